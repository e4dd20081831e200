"""The front lines a proposal can change (the title), carried onto a newer edition by their identity.

A front line is one clause of every edition of a resolution (its key is the resolution's), not a node
of the clause tree, so the tree's rebase (``rebase.rebase``) leaves it out; here each change of a front
line is carried as a word-level three-way merge (``rebase.merge3``): the proposal's words over the
newer edition's, kept whole where both changed the same words (a conflict, to settle), and dropped
when the newer edition already says them.
"""

from __future__ import annotations

from dataclasses import replace

from . import rebase as carry
from .amend import MODIFY, Amendment
from .merge import same_words
from .tree import ResolutionText


def _line_of(text: ResolutionText, key: str) -> str | None:
    return next((line for line, k in text.front_keys.items() if k == key), None)


def carry_front_line(old: ResolutionText, new: ResolutionText, a: Amendment) -> carry.CarriedChange:
    """One change of a front line carried from ``old`` onto ``new``."""
    line = _line_of(old, a.target) or _line_of(new, a.target)
    base = getattr(old, line) if line else ""
    edition = getattr(new, line) if line else ""
    mine = a.text
    if a.action != MODIFY or line is None:
        return carry.CarriedChange(a, a, carry.CLEAN, base=base, edition=edition, proposal=mine)
    if edition == base:
        return carry.CarriedChange(a, a, carry.CLEAN, base=base, edition=edition, proposal=mine)
    if same_words(edition) == same_words(mine):
        return carry.CarriedChange(a, None, carry.ALREADY, base=base, edition=edition, proposal=mine)
    merged = carry.merge3(base, mine, edition)
    if merged.overlaps:
        return carry.CarriedChange(
            a,
            a,
            carry.CONFLICT,
            overlaps=merged.overlaps,
            note="The newer edition changed the same words of the title: the proposal's are kept, to settle.",
            base=base,
            edition=edition,
            proposal=mine,
        )
    return carry.CarriedChange(
        a, replace(a, text=merged.text), carry.REBASED, base=base, edition=edition, proposal=mine
    )


def rebase_with_front(old: ResolutionText, new: ResolutionText, amendments: list[Amendment]) -> carry.Rebase:
    """``rebase.rebase`` for the body of the text, with the front lines' changes carried by their identity;
    the changes come back in the amendments' order, one each."""
    front = set(old.front_keys.values()) | set(new.front_keys.values())
    body = carry.rebase(old, new, [a for a in amendments if a.target not in front])
    rest = iter(body.changes)
    return carry.Rebase(
        [carry_front_line(old, new, a) if a.target in front else next(rest) for a in amendments]
    )
