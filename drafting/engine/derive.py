"""The amendments that turn a base text into a proposed text, matched clause by clause.

Used to rebuild proposals from documents that hold the whole proposed text (a
proposal whose marks were lost, a .docx): clauses are matched as editions are
(``match.carry_keys``); a matched clause whose words differ is modified, a
clause only the proposal has is added after its previous sibling (or as the
first child of its parent), and a base clause the proposal lacks is suppressed.
Labels are not compared: the tool renumbers by itself, except that an added
clause whose label has a suffix (``3bis``) is inserted as bis, without renumbering.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from . import labels as lb
from .amend import ADD, AFTER, BEFORE, BIS, FIRST_CHILD, MODIFY, RENUMBER, SUPPRESS, Amendment
from .match import carry_keys
from .tree import ITEM, PART, Clause, ResolutionText


def derive_amendments(
    base: ResolutionText, proposed: ResolutionText, *, added: Callable[[Clause], bool] | None = None
) -> list[Amendment]:
    """Amendments, in an order the engine can apply, from ``base`` (with keys) to ``proposed``.

    ``added``, when the source shows it (a document's revision marks), tells
    which proposed clauses are wholly new: any other clause left unmatched is a
    rewording of the unmatched base clause in the same place, however different
    its words, and is modified rather than suppressed and added again.
    """
    for clause, _ in proposed.walk():
        clause.key = ""
    carry_keys(base, proposed)
    if added is not None:
        _pair_rewordings(base.clauses, proposed.clauses, added)
    amendments: list[Amendment] = []
    _siblings(base.clauses, proposed.clauses, None, amendments, added or (lambda clause: False))
    return _without_automatic_punctuation(base, amendments)


def _without_automatic_punctuation(base: ResolutionText, amendments: list[Amendment]) -> list[Amendment]:
    """Drop modifications of closing punctuation alone that the tool makes by itself.

    An item added after the last one turns the old last item's "," into ";": the
    proposed text shows it, but it is the tool's doing, not an amendment of its own.
    """
    from .amend import apply_amendments, closing_mark

    result = list(amendments)
    wanted = {a.key or a.target: a for a in amendments}
    for amendment in amendments:
        if amendment.action != MODIFY or amendment.heading:
            continue
        original = next((c for c, _ in base.walk() if c.key == amendment.target), None)
        if original is None:
            continue
        mark = closing_mark(amendment.text)
        if (
            amendment.text[: len(amendment.text) - len(mark)].rstrip()
            != original.text[: len(original.text) - len(closing_mark(original.text))].rstrip()
        ):
            continue
        trial = [a for a in result if a is not amendment]
        clause = apply_amendments(base, trial).find(amendment.target)
        if clause is not None and clause.text == wanted[amendment.target].text:
            result = trial
    return result


def _pair_rewordings(old: list[Clause], new: list[Clause], added: Callable[[Clause], bool]) -> None:
    """Match, in order, unmatched proposed clauses that are not new with unmatched base clauses in the same gap."""
    position = {c.key: i for i, c in enumerate(old)}
    matched = [j for j, c in enumerate(new) if c.key in position]
    bounds = [-1, *matched, len(new)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        low = position[new[start].key] + 1 if start >= 0 else 0
        high = position[new[end].key] if end < len(new) else len(old)
        free = list(old[low:high])
        for clause in new[start + 1 : end]:
            if added(clause):
                continue
            partner = next((c for c in free if c.kind == clause.kind), None)
            if partner is None:
                break
            free.remove(partner)
            clause.key = partner.key
            carry_keys(ResolutionText(clauses=partner.children), ResolutionText(clauses=clause.children))
    for clause in new:
        base = next((c for c in old if c.key == clause.key), None)
        if base is not None:
            _pair_rewordings(base.children, clause.children, added)


def _value(clause: Clause) -> str:
    return clause.heading if clause.kind == PART else clause.text


def _moved_out_of_order(old: list[Clause], new: list[Clause], added: Callable[[Clause], bool]) -> None:
    """Forget the pairing of clauses the proposal moved among their siblings.

    Clauses are paired wherever they stand, but an amendment cannot move a clause: one the
    proposal put elsewhere in the same list is suppressed where it was and added where it went.
    The pairs kept are those of the longest run in the base's order, counting the clauses the
    document marks as inserted (a paragraph dragged with Word's move marks) last, so that the
    one shown as moved is the one unpaired.
    """
    position = {c.key: i for i, c in enumerate(old)}
    paired = [c for c in new if c.key in position]
    if all(position[a.key] < position[b.key] for a, b in zip(paired, paired[1:], strict=False)):
        return
    # Heaviest increasing run of base positions; sibling lists are short, so O(n²) is fine.
    weight = [1 if added(c) else 1000 for c in paired]
    best = list(weight)
    before: list[int | None] = [None] * len(paired)
    for i, clause in enumerate(paired):
        for j in range(i):
            if position[paired[j].key] < position[clause.key] and best[j] + weight[i] > best[i]:
                best[i], before[i] = best[j] + weight[i], j
    in_order: set[int] = set()
    last: int | None = max(range(len(paired)), key=best.__getitem__)
    while last is not None:
        in_order.add(last)
        last = before[last]
    for i, clause in enumerate(paired):
        if i not in in_order:
            clause.key = ""


def _siblings(
    old: list[Clause],
    new: list[Clause],
    parent_key: str | None,
    out: list[Amendment],
    added: Callable[[Clause], bool],
) -> None:
    _moved_out_of_order(old, new, added)
    kept = {c.key for c in new if c.key}
    by_key = {c.key: c for c in old}
    previous: str | None = None
    for clause in new:
        if clause.key and clause.key in by_key:
            base = by_key[clause.key]
            if _value(base) != _value(clause):
                out.append(
                    Amendment(
                        MODIFY,
                        clause.key,
                        text=clause.text,
                        heading=clause.heading if clause.kind == PART else "",
                    )
                )
            _siblings(base.children, clause.children, clause.key, out, added)
        else:
            clause.key = str(uuid.uuid4())
            if previous is not None:
                target, position = previous, AFTER
            elif parent_key is not None:
                target, position = parent_key, FIRST_CHILD
            else:
                target, position = old[0].key, BEFORE
            out.append(
                Amendment(
                    ADD,
                    target,
                    position,
                    key=clause.key,
                    kind=clause.kind,
                    # "¶" keeps an added paragraph unlabelled; a part has no label at all.
                    label="" if clause.label or clause.kind != ITEM else "¶",
                    heading=clause.heading,
                    text=clause.text,
                    role=clause.role,
                    # A proposal that writes "3bis" inserts without renumbering what follows.
                    numbering=BIS if lb.suffix_of(clause.label) else RENUMBER,
                )
            )
            # Children of an added clause are added inside it, in order.
            _siblings([], clause.children, clause.key, out, added)
        previous = clause.key
    for base in old:
        if base.key not in kept:
            out.append(Amendment(SUPPRESS, base.key))
