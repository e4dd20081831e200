"""Consolidation: every group's proposal on one resolution, clause by clause, against one base edition.

Input is the base tree and, per group, the group's draft (the base with the
group's amendments applied, ``amend.apply_amendments``). Output is one row per
clause of the base and per clause the groups add, in reading order: the base
text, each group's text, and the merge of them (``merge.merge_versions``).

Groups add clauses with identities of their own, so additions are matched by
place and words: clauses added at the same place with the same words (as the
word diff compares them) are one row in agreement naming the groups; similar
but different ones at the same place are one row whose alternatives conflict;
unlike ones stand side by side, flagged as added at the same place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .amend import DraftClause, DraftResolution
from .merge import (
    AGREEMENT,
    COMBINABLE,
    CONFLICT,
    ONE,
    SUPPRESSED,
    UNCHANGED,
    MergeResult,
    merge_versions,
    same_words,
)
from .tree import FRONT, PART, Clause, ResolutionText


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
    aliases: list[str] = field(default_factory=list)  # the keys of every group's clause this row stands for
    rebased: list[str] = field(default_factory=list)  # groups whose change was carried from another edition
    rebase_conflicts: list[str] = field(default_factory=list)  # ... over words that edition changed too
    # Labels the groups set by hand on the clause ("" for an unlabelled paragraph), by group: a change
    # of its own, beside the words; two groups setting different ones conflict.
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def label_conflict(self) -> bool:
        return len(set(self.labels.values())) > 1

    @property
    def hand_label(self) -> str | None:
        """The label every group that set one set (None: none set, or they differ)."""
        found = set(self.labels.values())
        return found.pop() if len(found) == 1 else None

    @property
    def changed_by(self) -> list[str]:
        """Every group that changes the clause: its words, its suppression or its label."""
        return sorted({*self.merge.changed_by, *self.labels})

    @property
    def status(self) -> str:
        # A change carried from an older edition over words the newer one changed needs a decision.
        if self.rebase_conflicts and self.merge.status != UNCHANGED:
            return CONFLICT
        if self.label_conflict:
            return CONFLICT
        if self.labels and self.merge.status == UNCHANGED:
            return ONE if len(self.labels) == 1 else AGREEMENT
        if self.labels and set(self.labels) - set(self.merge.changed_by):
            return COMBINABLE if self.merge.status != CONFLICT else CONFLICT
        return self.merge.status

    @property
    def label(self) -> str:
        if self.base is not None:
            return self.base.label
        first = next(v.clause for v in self.versions.values() if v.clause is not None)
        return first.label


def _value(clause: Clause | DraftClause) -> str:
    return clause.heading if clause.kind == PART else clause.text


# Two added clauses at one place whose words are this alike are alternatives of one addition.
SIMILAR = 0.5


def _words(text: str) -> list[str]:
    return [w for w in same_words(text).split(" ") if w]


def similar(a: str, b: str) -> bool:
    """Whether two added texts are versions of one addition rather than two additions."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio() >= SIMILAR


def align_additions(runs: dict[str, list[DraftClause]]) -> list[dict[str, DraftClause]]:
    """The additions the groups make at one place, as rows of {group: clause}, in reading order.

    Each group's clauses keep their order. A clause joins the first later row (of
    another group's clauses) with the same words, else the first with similar
    words and the same kind, else it starts a row of its own, placed before the
    next row the group joins. Groups are taken in the order of their codes, so
    the rows do not depend on the order of the input.
    """
    rows: list[dict[str, DraftClause]] = []
    for group in sorted(runs):
        at = 0
        pending: list[DraftClause] = []  # the group's clauses that match none yet, in order
        for clause in runs[group]:
            found = _matching_row(rows, at, group, clause)
            if found is None:
                pending.append(clause)
                continue
            # Unmatched clauses before this one go right before the row it joins.
            rows[found:found] = [{group: c} for c in pending]
            found += len(pending)
            pending = []
            rows[found][group] = clause
            at = found + 1
        rows.extend({group: c} for c in pending)
    return rows


def _matching_row(rows: list[dict[str, DraftClause]], at: int, group: str, clause: DraftClause) -> int | None:
    """The first row from ``at`` with the clause's words, else with similar words; None if none."""
    value = _value(clause)
    words = same_words(value)
    candidates = [i for i in range(at, len(rows)) if group not in rows[i]]
    for alike in (lambda c: same_words(_value(c)) == words, lambda c: similar(_value(c), value)):
        for i in candidates:
            if any(c.kind == clause.kind and alike(c) for c in rows[i].values()):
                return i
    return None


def consolidate(
    base: ResolutionText,
    drafts: dict[str, DraftResolution],
    carried: dict[str, dict[str, str]] | None = None,
) -> list[ConsolidatedClause]:
    """One row per clause, in reading order.

    ``carried`` tells, per group whose proposal was written against another
    edition, the keys of the clauses whose change was rebased ("rebased") and
    of those where it overlaps what the newer edition changed ("conflict").
    """
    groups = sorted(drafts)
    carried = carried or {}
    index = {g: {c.key: c for c, _ in drafts[g].walk()} for g in groups}
    rows: list[ConsolidatedClause] = []

    def rebase_state(keys: dict[str, str]) -> tuple[list[str], list[str]]:
        """(rebased groups, conflicting groups) given each group's key of the clause."""
        states = {g: carried.get(g, {}).get(k) for g, k in keys.items()}
        return sorted(g for g, s in states.items() if s), sorted(
            g for g, s in states.items() if s == "conflict"
        )

    def base_row(clause: Clause, depth: int) -> ConsolidatedClause:
        versions = {g: GroupVersion(g, index[g].get(clause.key)) for g in groups}
        texts: dict[str, object] = {}
        for g, v in versions.items():
            if v.clause is None or v.clause.suppressed:
                texts[g] = SUPPRESSED
            elif v.clause.changed and _value(v.clause) != _value(clause):
                texts[g] = _value(v.clause)
        rebased, conflicts = rebase_state({g: clause.key for g in texts})
        labels = {
            g: v.clause.label
            for g, v in versions.items()
            if v.clause is not None and v.clause.label_fixed and not v.clause.suppressed
        }
        return ConsolidatedClause(
            clause.key,
            clause.kind,
            depth,
            clause,
            versions,
            merge_versions(_value(clause), texts),
            aliases=[clause.key],
            rebased=rebased,
            rebase_conflicts=conflicts,
            labels=labels,
        )

    def added_row(slot: dict[str, DraftClause], depth: int, several: bool) -> None:
        members = sorted(slot)
        first = slot[members[0]]
        versions = {g: GroupVersion(g, slot.get(g)) for g in groups}
        merge = merge_versions("", {g: _value(c) for g, c in slot.items()})
        rebased, conflicts = rebase_state({g: c.key for g, c in slot.items()})
        rows.append(
            ConsolidatedClause(
                first.key,
                first.kind,
                depth,
                None,
                versions,
                merge,
                members,
                same_place_as_others=several,
                aliases=[slot[g].key for g in members],
                rebased=rebased,
                rebase_conflicts=conflicts,
            )
        )
        children = {g: c.children for g, c in slot.items() if c.children}
        for child_slot in align_additions(children):
            added_row(child_slot, depth + 1, len(children) > 1)

    def added_rows(parent_key: str | None, after_key: str | None, depth: int) -> None:
        """Clauses the groups add right after ``after_key`` (or first inside ``parent_key``)."""
        runs: dict[str, list[DraftClause]] = {}
        for g in groups:
            siblings = _siblings(drafts[g], parent_key)
            position = 0
            if after_key is not None:
                keys = [c.key for c in siblings]
                if after_key not in keys:
                    continue
                position = keys.index(after_key) + 1
            while position < len(siblings) and siblings[position].added:
                runs.setdefault(g, []).append(siblings[position])
                position += 1
        for slot in align_additions(runs):
            added_row(slot, depth, len(runs) > 1)

    def walk(clauses: list[Clause], parent_key: str | None, depth: int) -> None:
        added_rows(parent_key, None, depth)
        for clause in clauses:
            rows.append(base_row(clause, depth))
            walk(clause.children, clause.key, depth + 1)
            added_rows(parent_key, clause.key, depth)

    # The front lines a proposal can change (the title) come first, each a row by its identity.
    for line, key in base.front_keys.items():
        front = Clause(kind=FRONT, text=getattr(base, line), role=line, key=key)
        versions = {
            g: GroupVersion(g, next((c for c in drafts[g].front if c.key == key), None)) for g in groups
        }
        texts = {
            g: v.clause.text
            for g, v in versions.items()
            if v.clause is not None and v.clause.text != front.text
        }
        rebased, conflicts = rebase_state({g: key for g in texts})
        rows.append(
            ConsolidatedClause(
                key,
                FRONT,
                0,
                front,
                versions,
                merge_versions(front.text, texts),
                aliases=[key],
                rebased=rebased,
                rebase_conflicts=conflicts,
            )
        )
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


_HISTORY_CLOSE = re.compile(r"\)(?P<calls>(?:\s*\[\^\d+\])*)\s*$")


def extended_history(history: str, place: str, year: int | str) -> str:
    """The history line with the new edition added: "(…; Hammamet, 2016)" -> "(…; Hammamet, 2016; New Delhi, 2024)".

    Footnote calls after the closing parenthesis stay after it.
    """
    if not history:
        return ""
    m = _HISTORY_CLOSE.search(history)
    if not m:
        return f"{history.rstrip()} ({place}, {year})"
    return f"{history[: m.start()]}; {place}, {year}){m.group('calls')}"
