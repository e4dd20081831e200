"""Carrying a proposal written against one edition onto another, clause by clause.

Clauses keep their identity (the provision key) from edition to edition, so a
change to "considering b)" of Rev. Hammamet, 2016 is a change to the same
provision in Rev. New Delhi, 2024, whatever its label has become. For each
changed clause the three texts are merged word by word (``merge3``): the text
of the edition the proposal was written against, the proposal's text and the
newer edition's text. Words only one side changed take that side's change;
words both changed differently are a conflict, kept as the proposal wrote them
and reported, for the secretariat (or the drafting group) to look at.

The three-way merge is a diff3 over difflib's matching blocks on the diff's
word tokens (``diff.tokens``), ``autojunk=False`` as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from .amend import ADD, AFTER, BEFORE, FIRST_CHILD, LAST_CHILD, MODIFY, SUPPRESS, Amendment
from .diff import _normal, tokens
from .tree import PART, Clause, ResolutionText

# What became of one change carried onto another edition.
CLEAN = "clean"  # its clause did not change between the editions: applied as it was
REBASED = "rebased"  # its clause changed, in other words: applied over the newer text
CONFLICT = (
    "conflict"  # the newer edition changed the same words: applied with the proposal's words, to look at
)
ALREADY = "already"  # the newer edition already says what the change said: nothing left to do
GONE = "gone"  # its clause is not in the newer edition: left out

STATES = (CLEAN, REBASED, CONFLICT, ALREADY, GONE)


@dataclass
class Overlap:
    """Words both sides changed differently: what the older edition, the proposal and the newer edition say."""

    base: str
    mine: str
    theirs: str


@dataclass
class Merged3:
    text: str  # the merge; at each overlap, the proposal's words
    overlaps: list[Overlap] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.overlaps


def _sync_regions(base: list[str], mine: list[str], theirs: list[str]) -> list[tuple[int, ...]]:
    """Runs of base words that both sides kept, as (base, base end, mine, mine end, theirs, theirs end)."""
    mine_blocks = SequenceMatcher(None, base, mine, autojunk=False).get_matching_blocks()
    their_blocks = SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    regions = []
    i = j = 0
    while i < len(mine_blocks) and j < len(their_blocks):
        b1, m1, n1 = mine_blocks[i]
        b2, t2, n2 = their_blocks[j]
        start, end = max(b1, b2), min(b1 + n1, b2 + n2)
        if start < end:
            regions.append((start, end, m1 + start - b1, m1 + end - b1, t2 + start - b2, t2 + end - b2))
        # Move on from whichever block ends first; the other may still overlap the next one.
        if b1 + n1 < b2 + n2:
            i += 1
        else:
            j += 1
    regions.append((len(base), len(base), len(mine), len(mine), len(theirs), len(theirs)))
    return regions


def merge3(base_text: str, mine_text: str, their_text: str) -> Merged3:
    """The proposal's changes (base to mine) applied to the newer text (base to theirs)."""
    base, mine, theirs = tokens(base_text), tokens(mine_text), tokens(their_text)
    nb, nm, nt = ([_normal(t) for t in s] for s in (base, mine, theirs))
    out: list[str] = []
    overlaps: list[Overlap] = []
    b = m = t = 0
    for b_end, b_next, m_end, m_next, t_end, t_next in _sync_regions(nb, nm, nt):
        # Between two stable runs: what each side made of base[b:b_end].
        mine_same = nm[m:m_end] == nb[b:b_end]
        theirs_same = nt[t:t_end] == nb[b:b_end]
        if mine_same:
            out.extend(theirs[t:t_end])
        elif theirs_same or nm[m:m_end] == nt[t:t_end]:
            out.extend(mine[m:m_end])
        else:
            overlaps.append(Overlap("".join(base[b:b_end]), "".join(mine[m:m_end]), "".join(theirs[t:t_end])))
            out.extend(mine[m:m_end])
        out.extend(theirs[t_end:t_next])
        b, m, t = b_next, m_next, t_next
    return Merged3("".join(out), overlaps)


@dataclass
class CarriedChange:
    """One amendment of the proposal and what became of it on the newer edition."""

    original: Amendment
    amendment: Amendment | None  # as it applies to the newer edition; None when left out
    state: str
    overlaps: list[Overlap] = field(default_factory=list)
    note: str = ""

    @property
    def key(self) -> str:
        """The clause the change is about: the one it adds, or the one it modifies or suppresses."""
        return self.original.key if self.original.action == ADD else self.original.target


@dataclass
class Rebase:
    changes: list[CarriedChange]

    @property
    def amendments(self) -> list[Amendment]:
        return [c.amendment for c in self.changes if c.amendment is not None]

    @property
    def states(self) -> dict[str, str]:
        """Per clause key, the state of the change about it (the worst, if several)."""
        order = {s: i for i, s in enumerate(STATES)}
        result: dict[str, str] = {}
        for change in self.changes:
            current = result.get(change.key)
            if current is None or order[change.state] > order[current]:
                result[change.key] = change.state
        return result

    def count(self, state: str) -> int:
        return sum(1 for c in self.changes if c.state == state)

    @property
    def conflicts(self) -> list[CarriedChange]:
        return [c for c in self.changes if c.state == CONFLICT]


def _value(clause: Clause) -> str:
    return clause.heading if clause.kind == PART else clause.text


def _index(text: ResolutionText) -> tuple[dict[str, Clause], dict[str, Clause | None]]:
    clauses: dict[str, Clause] = {}
    parents: dict[str, Clause | None] = {}

    def walk(children: list[Clause], parent: Clause | None) -> None:
        for child in children:
            clauses[child.key] = child
            parents[child.key] = parent
            walk(child.children, child)

    walk(text.clauses, None)
    return clauses, parents


def rebase(old: ResolutionText, new: ResolutionText, amendments: list[Amendment]) -> Rebase:
    """The amendments written against ``old``, carried onto ``new`` through the clauses' keys."""
    old_clauses, old_parents = _index(old)
    new_clauses, _ = _index(new)
    added = {a.key for a in amendments if a.action == ADD}
    changes: list[CarriedChange] = []

    def siblings(key: str) -> list[Clause]:
        parent = old_parents.get(key)
        return parent.children if parent is not None else old.clauses

    for a in amendments:
        if a.target in added:
            # Placed against, or changing, a clause the proposal itself adds: it goes where that one goes.
            changes.append(CarriedChange(a, a, CLEAN))
            continue
        old_clause, new_clause = old_clauses.get(a.target), new_clauses.get(a.target)
        if a.action == MODIFY:
            if new_clause is None:
                changes.append(
                    CarriedChange(a, None, GONE, note="The clause it changes is not in the newer edition.")
                )
                continue
            before = _value(old_clause) if old_clause is not None else _value(new_clause)
            now = _value(new_clause)
            mine = a.heading if new_clause.kind == PART else a.text
            if before == now:
                changes.append(CarriedChange(a, a, CLEAN))
                continue
            merged = merge3(before, mine, now)
            if merged.text == now:
                changes.append(
                    CarriedChange(a, None, ALREADY, note="The newer edition already makes this change.")
                )
                continue
            carried = (
                replace(a, heading=merged.text) if new_clause.kind == PART else replace(a, text=merged.text)
            )
            if merged.clean:
                changes.append(CarriedChange(a, carried, REBASED))
            else:
                changes.append(
                    CarriedChange(
                        a,
                        carried,
                        CONFLICT,
                        merged.overlaps,
                        note="The newer edition changed the same words.",
                    )
                )
        elif a.action == SUPPRESS:
            if new_clause is None:
                changes.append(
                    CarriedChange(a, None, ALREADY, note="The newer edition no longer has this clause.")
                )
            elif old_clause is not None and _value(old_clause) != _value(new_clause):
                # Suppressing words the newer edition rewrote: the rewrite may be what the group objected to.
                overlap = Overlap(_value(old_clause), "", _value(new_clause))
                changes.append(
                    CarriedChange(
                        a,
                        a,
                        CONFLICT,
                        [overlap],
                        note="The newer edition changed the clause this suppresses.",
                    )
                )
            else:
                changes.append(CarriedChange(a, a, CLEAN))
        elif a.action == ADD:
            if new_clause is not None:
                changes.append(CarriedChange(a, a, CLEAN))
                continue
            moved = _reanchor(a, siblings(a.target), old_parents.get(a.target), new_clauses)
            if moved is None:
                changes.append(
                    CarriedChange(a, None, GONE, note="The part it was added to is not in the newer edition.")
                )
            else:
                changes.append(
                    CarriedChange(
                        a,
                        moved,
                        REBASED,
                        note="The clause it was placed against is not in the newer edition: placed beside its neighbour.",
                    )
                )
        else:
            changes.append(CarriedChange(a, a, CLEAN))
    return Rebase(changes)


def _reanchor(
    a: Amendment, siblings: list[Clause], parent: Clause | None, present: dict[str, Clause]
) -> Amendment | None:
    """An addition placed against a clause the newer edition dropped, placed against the nearest one kept."""
    if a.position in (FIRST_CHILD, LAST_CHILD):
        return None
    keys = [c.key for c in siblings]
    at = keys.index(a.target)
    before = [k for k in reversed(keys[:at]) if k in present]
    after = [k for k in keys[at + 1 :] if k in present]
    if a.position == AFTER and before:
        return replace(a, target=before[0], position=AFTER)
    if a.position == BEFORE and after:
        return replace(a, target=after[0], position=BEFORE)
    if before:
        return replace(a, target=before[0], position=AFTER)
    if after:
        return replace(a, target=after[0], position=BEFORE)
    if parent is not None and parent.key in present:
        return replace(a, target=parent.key, position=FIRST_CHILD)
    return None
