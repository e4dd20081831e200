"""Comparing two editions of a resolution, clause by clause, word by word."""

from __future__ import annotations

from dataclasses import dataclass, field

from .diff import Segment, changed, diff_words
from .tree import Clause, ResolutionText

SAME = "same"
MOVED = "moved"  # to another part or list, words unchanged (a moved clause whose words changed is "changed")
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"


@dataclass
class ComparedClause:
    """One clause of either edition, with what happened to it in the newer one."""

    status: str
    kind: str
    depth: int
    key: str
    old: Clause | None
    new: Clause | None
    label: list[Segment] = field(default_factory=list)
    heading: list[Segment] = field(default_factory=list)
    text: list[Segment] = field(default_factory=list)
    # Where a clause stood when the newer edition moved it to another part or list: "recognizing a)".
    # A move is one row, where the clause now stands, never a removal and an addition.
    moved_from: str = ""

    @property
    def relabelled(self) -> bool:
        return changed(self.label)

    @property
    def moved(self) -> bool:
        return bool(self.moved_from)


def _flat(resolution: ResolutionText) -> list[tuple[Clause, int]]:
    return list(resolution.walk())


def _parents(resolution: ResolutionText) -> dict[str, Clause | None]:
    parents: dict[str, Clause | None] = {}
    for clause, _ in resolution.walk():
        for child in clause.children:
            parents[child.key] = clause
    for clause in resolution.clauses:
        parents[clause.key] = None
    return parents


def place(clause: Clause, parents: dict[str, Clause | None]) -> str:
    """Where a clause stands, as a reader cites it: "recognizing further a)", "considering e) ix)"."""
    names = []
    node: Clause | None = clause
    while node is not None:
        names.append(node.heading if node.kind != "item" else node.label)
        node = parents.get(node.key)
    return " ".join(n.strip() for n in reversed(names) if n.strip())


def _pair(old: Clause, new: Clause, depth: int) -> ComparedClause:
    label = diff_label(old.label, new.label)
    heading = diff_words(old.heading, new.heading)
    text = diff_words(old.text, new.text)
    notes_changed = [(f.number, f.text) for f in old.footnotes] != [(f.number, f.text) for f in new.footnotes]
    status = CHANGED if changed(label) or changed(heading) or changed(text) or notes_changed else SAME
    return ComparedClause(status, new.kind, depth, new.key, old, new, label, heading, text)


def diff_label(old: str, new: str) -> list[Segment]:
    """A label is replaced whole: ~~b)~~ c), never letter by letter."""
    if old == new:
        return [("equal", new)] if new else []
    return [s for s in (("delete", old), ("insert", new)) if s[1]]


def _one_sided(status: str, clause: Clause, depth: int) -> ComparedClause:
    op = "delete" if status == REMOVED else "insert"

    def seg(text: str) -> list[Segment]:
        return [(op, text)] if text else []

    old, new = (clause, None) if status == REMOVED else (None, clause)
    return ComparedClause(
        status,
        clause.kind,
        depth,
        clause.key,
        old,
        new,
        seg(clause.label),
        seg(clause.heading),
        seg(clause.text),
    )


def compare_editions(old: ResolutionText, new: ResolutionText) -> list[ComparedClause]:
    """Every clause of both editions in reading order, paired by their keys.

    Clauses are read in the newer edition's order; a clause that only the older
    edition has is shown where it stood, after the clauses that preceded it.
    """
    old_flat, new_flat = _flat(old), _flat(new)
    old_index = {c.key: i for i, (c, _) in enumerate(old_flat) if c.key}
    new_keys = {c.key for c, _ in new_flat if c.key}
    old_parents, new_parents = _parents(old), _parents(new)

    def parent_key(parents: dict[str, Clause | None], key: str) -> str:
        parent = parents.get(key)
        return parent.key if parent is not None else ""

    rows: list[ComparedClause] = []
    pointer = 0

    def removed_until(stop: int) -> None:
        nonlocal pointer
        while pointer < stop:
            clause, depth = old_flat[pointer]
            if clause.key not in new_keys:
                rows.append(_one_sided(REMOVED, clause, depth))
            pointer += 1

    for clause, depth in new_flat:
        i = old_index.get(clause.key) if clause.key else None
        if i is None:
            rows.append(_one_sided(ADDED, clause, depth))
            continue
        removed_until(i)
        pointer = max(pointer, i + 1)
        row = _pair(old_flat[i][0], clause, depth)
        if parent_key(old_parents, clause.key) != parent_key(new_parents, clause.key):
            row.moved_from = place(old_flat[i][0], old_parents)
            row.status = MOVED if row.status == SAME else row.status
        rows.append(row)
    removed_until(len(old_flat))
    return rows


def counts(rows: list[ComparedClause]) -> dict[str, int]:
    """Clauses per status; ``moved`` counts every moved clause, its words changed or not."""
    result = {SAME: 0, CHANGED: 0, ADDED: 0, REMOVED: 0, MOVED: 0}
    for row in rows:
        if row.status != MOVED:
            result[row.status] += 1
        if row.moved:
            result[MOVED] += 1
    return result
