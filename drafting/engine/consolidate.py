"""Consolidation: every group's proposal on one resolution, clause by clause, against one base edition.

Input is the base tree and, per group, the group's draft (the base with the
group's amendments applied, ``amend.apply_amendments``). Output is one row per
clause of the base and per clause any group adds, in reading order: the base
text, each group's text, and the merge of them (``merge.merge_versions``).
Clauses added by several groups at the same place are all kept, in the order
of the groups' codes, and flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .amend import DraftClause, DraftResolution
from .merge import AGREEMENT, CONFLICT, ONE, SUPPRESSED, UNCHANGED, MergeResult, merge_versions
from .tree import PART, Clause, ResolutionText


@dataclass
class GroupVersion:
    group: str
    clause: DraftClause | None  # the group's clause; None if the group's text does not have it

    @property
    def changed(self) -> bool:
        return self.clause is not None and self.clause.changed


@dataclass
class ConsolidatedClause:
    key: str
    kind: str
    depth: int
    base: Clause | None  # None for a clause some group adds
    versions: dict[str, GroupVersion]
    merge: MergeResult
    added_by: list[str] = field(default_factory=list)
    same_place_as_others: bool = False  # added where another group also adds

    @property
    def status(self) -> str:
        return self.merge.status

    @property
    def label(self) -> str:
        if self.base is not None:
            return self.base.label
        first = next(v.clause for v in self.versions.values() if v.clause is not None)
        return first.label


def _value(clause: Clause | DraftClause) -> str:
    return clause.heading if clause.kind == PART else clause.text


def consolidate(base: ResolutionText, drafts: dict[str, DraftResolution]) -> list[ConsolidatedClause]:
    groups = sorted(drafts)
    index = {g: {c.key: c for c, _ in drafts[g].walk()} for g in groups}
    rows: list[ConsolidatedClause] = []

    def base_row(clause: Clause, depth: int) -> ConsolidatedClause:
        versions = {g: GroupVersion(g, index[g].get(clause.key)) for g in groups}
        texts: dict[str, object] = {}
        for g, v in versions.items():
            if v.clause is None or v.clause.suppressed:
                texts[g] = SUPPRESSED
            elif v.clause.changed and _value(v.clause) != _value(clause):
                texts[g] = _value(v.clause)
        return ConsolidatedClause(
            clause.key, clause.kind, depth, clause, versions, merge_versions(_value(clause), texts)
        )

    def added_rows(parent_key: str | None, after_key: str | None, depth: int) -> None:
        """Clauses the groups add right after ``after_key`` (or first inside ``parent_key``)."""
        found: list[tuple[str, DraftClause]] = []
        for g in groups:
            siblings = _siblings(drafts[g], parent_key)
            position = 0
            if after_key is not None:
                keys = [c.key for c in siblings]
                if after_key not in keys:
                    continue
                position = keys.index(after_key) + 1
            while position < len(siblings) and siblings[position].added:
                found.append((g, siblings[position]))
                position += 1
        several = len({g for g, _ in found}) > 1
        for g, clause in found:
            versions = {other: GroupVersion(other, clause if other == g else None) for other in groups}
            merge = merge_versions("", {g: _value(clause)})
            rows.append(
                ConsolidatedClause(
                    clause.key, clause.kind, depth, None, versions, merge, [g], same_place_as_others=several
                )
            )
            _walk_added_children(clause, depth + 1, g)

    def _walk_added_children(clause: DraftClause, depth: int, g: str) -> None:
        for child in clause.children:
            versions = {other: GroupVersion(other, child if other == g else None) for other in groups}
            rows.append(
                ConsolidatedClause(
                    child.key, child.kind, depth, None, versions, merge_versions("", {g: _value(child)}), [g]
                )
            )
            _walk_added_children(child, depth + 1, g)

    def walk(clauses: list[Clause], parent_key: str | None, depth: int) -> None:
        added_rows(parent_key, None, depth)
        for clause in clauses:
            rows.append(base_row(clause, depth))
            walk(clause.children, clause.key, depth + 1)
            added_rows(parent_key, clause.key, depth)

    walk(base.clauses, None, 0)
    return rows


def _siblings(draft: DraftResolution, parent_key: str | None) -> list[DraftClause]:
    if parent_key is None:
        return draft.clauses
    parent = draft.find(parent_key)
    return parent.children if parent is not None else []


def counts(rows: list[ConsolidatedClause]) -> dict[str, int]:
    result = {UNCHANGED: 0, ONE: 0, AGREEMENT: 0, "combinable": 0, CONFLICT: 0}
    for row in rows:
        result[row.status] = result.get(row.status, 0) + 1
    return result
