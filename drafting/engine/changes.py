"""The editor's list of changes: one entry per change a delegate made, not per clause touched.

Adding or suppressing an item relabels the items after it (c) becomes b)); listed
one by one, those relabels drown the changes that caused them and show the same
label twice ("b) suppressed", "b) relabelled"). Here a clause whose only change is
its label is folded into the entry of the change before it in the same list, and
every entry is named by the label the reader of the base text knows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from .diff import diff_words

ADDED, SUPPRESSED, MODIFIED, RELABELLED = "added", "suppressed", "modified", "relabelled"


class ChangedClause(Protocol):
    key: str
    kind: str
    label: str
    heading: str
    text: str
    suppressed: bool

    @property
    def added(self) -> bool: ...

    @property
    def base_label(self) -> str: ...


@dataclass
class ChangeEntry:
    key: str
    part: str
    name: str  # "b)" or, for a part, its heading
    what: str  # added, suppressed, modified, relabelled
    relabelled_from: str = ""  # the base label when a modified clause also got a new label
    relabels: list[tuple[str, str]] = field(default_factory=list)  # (old, new) labels it caused

    @property
    def relabelled_range(self) -> tuple[str, str]:
        """("c)–h)", "b)–g)"), or ("e)", "d)") for one: the labels of the items after it that took
        new ones, before and after (the page puts the words between them, in its language)."""
        if not self.relabels:
            return ("", "")
        first, last = self.relabels[0], self.relabels[-1]
        if len(self.relabels) == 1:
            return first
        return (f"{first[0]}–{last[0]}", f"{first[1]}–{last[1]}")

    @property
    def relabel_summary(self) -> str:
        """ "c)–h) now b)–g)", or "e) now d)" for one (in English: the tests and the API)."""
        old, new = self.relabelled_range
        return f"{old} now {new}" if old else ""


def _what(clause: ChangedClause, base_text: str, base_heading: str) -> str:
    if clause.added:
        return ADDED
    if clause.suppressed:
        return SUPPRESSED
    if (clause.text, clause.heading) == (base_text, base_heading) and clause.label != clause.base_label:
        return RELABELLED
    return MODIFIED


def change_entries(rows: list[tuple[ChangedClause, str, str, str]]) -> list[ChangeEntry]:
    """Entries for (clause, part, base text, base heading) of every changed clause, in text order."""
    entries: list[ChangeEntry] = []
    for clause, part, base_text, base_heading in rows:
        what = _what(clause, base_text, base_heading)
        if what == RELABELLED and entries and entries[-1].part == part:
            entries[-1].relabels.append((clause.base_label, clause.label))
            continue
        if clause.kind == "part":
            name = clause.heading or base_heading
        elif clause.kind == "front":
            name = clause.role  # "title"
        elif what == SUPPRESSED:
            name = clause.base_label or "¶"
        else:
            name = clause.label or clause.base_label or "¶"
        entries.append(
            ChangeEntry(
                key=clause.key,
                part=part,
                name=name,
                what=what,
                relabelled_from=clause.base_label
                if what == MODIFIED and clause.base_label and clause.base_label != clause.label
                else "",
            )
        )
    return entries


# --- what changed between two moments of a draft ------------------------------------------------

CHANGED_SINCE = ("added", "removed", "suppressed", "restored", "modified", "relabelled")


@dataclass
class SinceEntry:
    """One clause that is not as it was at the earlier moment."""

    key: str
    part: str
    name: str  # its label now (or then, when it is gone), or a part's heading
    what: str  # one of CHANGED_SINCE
    marks: list[tuple[str, str]]  # its text then against now, word by word
    label_was: str = ""  # its label then, when it changed


def _text(clause) -> str:
    return clause.heading if clause.kind == "part" else clause.text


def between(then, now) -> list[SinceEntry]:
    """The clauses of ``now`` (a draft, ``amend.DraftResolution``) that differ from ``then`` (the same
    draft at an earlier moment), in the reading order of ``now``, the clauses gone since after them."""

    def index(draft):
        found, part = {}, ""
        for clause, depth in draft.walk():
            if depth == 0:
                part = clause.heading
            found[clause.key] = (clause, part)
        return found

    before, after = index(then), index(now)
    entries = []
    for key, (clause, part) in after.items():
        old = before.get(key)
        name = clause.heading if clause.kind == "part" else (clause.label or clause.base_label or "¶")
        if old is None:
            entries.append(SinceEntry(key, part, name, "added", [("insert", _text(clause))]))
            continue
        was = old[0]
        if was.suppressed != clause.suppressed:
            what = "suppressed" if clause.suppressed else "restored"
            entries.append(SinceEntry(key, part, name, what, [("equal", _text(clause))]))
        elif _text(was) != _text(clause):
            entries.append(
                SinceEntry(key, part, name, "modified", diff_words(_text(was), _text(clause)), was.label)
            )
        elif was.label != clause.label:
            entries.append(SinceEntry(key, part, name, "relabelled", [("equal", _text(clause))], was.label))
    for key, (clause, part) in before.items():
        if key not in after:
            name = clause.heading if clause.kind == "part" else (clause.label or "¶")
            entries.append(SinceEntry(key, part, name, "removed", [("delete", _text(clause))]))
    return entries
