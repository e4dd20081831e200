"""Merging several groups' proposed versions of one clause against its base text.

Each group's version is compared word by word with the base (the same diff as
the revision marks). Changes are gathered into *hunks*: runs of base words that
at least one group changed, widened until no group's change crosses a hunk's
edge. Within a hunk:

- one group changed it: that group's words stand;
- several groups changed it identically: agreement, naming the groups;
- groups changed it differently: a conflict, with each alternative and its groups.

Changes in different hunks combine. Suppressing the clause against another
group's modification is a conflict too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .diff import _GLUE, _normal, tokens

UNCHANGED = "unchanged"
ONE = "one group"
AGREEMENT = "agreement"
COMBINABLE = "combinable"
CONFLICT = "conflict"

SUPPRESSED = object()  # a group's "version" of a clause it suppresses


@dataclass
class Alternative:
    text: str
    groups: list[str]
    suppress: bool = False


@dataclass
class Hunk:
    """A run of base words (``start``..``end`` in base tokens) that some group changed."""

    start: int
    end: int
    base: str
    alternatives: list[Alternative]  # what the groups that changed it wrote, one per distinct text

    @property
    def conflict(self) -> bool:
        return len(self.alternatives) > 1

    @property
    def groups(self) -> list[str]:
        return [g for a in self.alternatives for g in a.groups]


@dataclass
class MergeResult:
    status: str
    base: str
    text: str | None  # the merged text, or None when a conflict leaves it open
    hunks: list[Hunk] = field(default_factory=list)
    agreeing: list[str] = field(default_factory=list)  # groups whose changes agree with another group's
    suppressed_by: list[str] = field(default_factory=list)
    changed_by: list[str] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Hunk]:
        return [h for h in self.hunks if h.conflict]

    def bracketed(self, separator: str = " / ") -> str:
        """The text with every unsettled hunk as "[alternative / alternative]", as ITU drafts show them."""
        if self.text is not None:
            return self.text
        if self.suppressed_by and not self.hunks:
            return f"[{self.base}]"
        base = tokens(self.base)
        out, at = [], 0
        for hunk in self.hunks:
            out.append("".join(base[at : hunk.start]))
            if hunk.conflict:
                out.append(_alternatives(hunk.alternatives, separator))
            else:
                out.append(hunk.alternatives[0].text)
            at = hunk.end
        out.append("".join(base[at:]))
        return "".join(out)


def _alternatives(alternatives: list[Alternative], separator: str) -> str:
    """ "[CWG-WSIS&SDG and (ATU) / (CITEL: deleted)] ": each alternative with its sources, as ITU
    meetings write them; a deletion or a suppression is said in words, never an invisible empty text.
    The spaces around the changed words stay outside the brackets."""
    lead = " " if any(a.text[:1].isspace() for a in alternatives if not a.suppress) else ""
    trail = " " if any(a.text[-1:].isspace() for a in alternatives if not a.suppress) else ""
    options = []
    for a in alternatives:
        groups = ", ".join(a.groups)
        words = a.text.strip()
        if a.suppress:
            options.append(f"({groups}: suppress)")
        elif not words:
            options.append(f"({groups}: deleted)")
        else:
            options.append(f"{words} ({groups})")
    return lead + "[" + separator.join(options) + "]" + trail


def same_words(text: str) -> str:
    """The text as the word diff sees it: two texts with the same form here show no mark between them."""
    return "".join(_normal(t) for t in tokens(text))


def word_edits(base: list[str], version: list[str]) -> list[tuple[int, int, int, int]]:
    """(i1, i2, j1, j2) for every change: base[i1:i2] becomes version[j1:j2]."""
    matcher = SequenceMatcher(None, [_normal(t) for t in base], [_normal(t) for t in version], autojunk=False)
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _span_text(base: list[str], version: list[str], edits, start: int, end: int) -> str:
    """The group's words for base[start:end], given its edits inside that span, in order."""
    out, at = [], start
    for i1, i2, j1, j2 in sorted(edits):
        out.append("".join(base[at:i1]))
        out.append("".join(version[j1:j2]))
        at = i2
    out.append("".join(base[at:end]))
    return "".join(out)


def merge_versions(base_text: str, versions: dict[str, object]) -> MergeResult:
    """Merge each group's version of a clause (its text, or SUPPRESSED) against the base text.

    Groups whose version is the base text, or None, proposed nothing for the clause.
    """
    changed = {g: v for g, v in versions.items() if v is not None and v != base_text}
    suppressed = sorted(g for g, v in changed.items() if v is SUPPRESSED)
    modified = {g: v for g, v in changed.items() if v is not SUPPRESSED}
    if not changed:
        return MergeResult(UNCHANGED, base_text, base_text)
    if suppressed and not modified:
        status = AGREEMENT if len(suppressed) > 1 else ONE
        return MergeResult(
            status,
            base_text,
            "",
            suppressed_by=suppressed,
            changed_by=suppressed,
            agreeing=suppressed if len(suppressed) > 1 else [],
        )

    base = tokens(base_text)
    parsed = {g: tokens(v) for g, v in modified.items()}
    edits = {g: word_edits(base, parsed[g]) for g in modified}

    # Every edit of every group, by where it starts in the base; overlapping edits (and insertions
    # at the same point, or inside another edit) fall into one hunk.
    spans = sorted((e[0], e[1], g, e) for g, group_edits in edits.items() for e in group_edits)
    hunks_at: list[list] = []  # [start, end, {group: [edits]}]
    for i1, i2, g, e in spans:
        if hunks_at:
            last = hunks_at[-1]
            point = i1 == i2 or last[0] == last[1]
            if i1 < last[1] or (i1 == last[1] and point):
                last[1] = max(last[1], i2)
                last[2].setdefault(g, []).append(e)
                continue
        hunks_at.append([i1, i2, {g: [e]}])

    # "Dubai" and "2018" changed by the same groups are one change, "Dubai, 2018", as marks show it.
    joined: list[list] = []
    for hunk in hunks_at:
        if joined:
            last = joined[-1]
            gap = "".join(base[last[1] : hunk[0]])
            if set(last[2]) == set(hunk[2]) and _GLUE.match(gap):
                last[1] = hunk[1]
                for g, group_edits in hunk[2].items():
                    last[2][g].extend(group_edits)
                continue
        joined.append(hunk)

    hunks = []
    for start, end, group_edits in joined:
        # Texts that differ only where the diff sees no difference (a non-breaking space) are one alternative.
        by_text: dict[str, Alternative] = {}
        for g in sorted(group_edits):
            text = _span_text(base, parsed[g], group_edits[g], start, end)
            by_text.setdefault(same_words(text), Alternative(text, [])).groups.append(g)
        hunks.append(Hunk(start, end, "".join(base[start:end]), list(by_text.values())))

    agreeing = sorted({g for h in hunks for a in h.alternatives if len(a.groups) > 1 for g in a.groups})
    if suppressed:
        # Suppressing the clause while others amend it: a conflict at the level of the clause.
        return MergeResult(
            CONFLICT,
            base_text,
            None,
            hunks=hunks,
            agreeing=agreeing,
            suppressed_by=suppressed,
            changed_by=sorted(changed),
        )
    if any(h.conflict for h in hunks):
        return MergeResult(
            CONFLICT, base_text, None, hunks=hunks, agreeing=agreeing, changed_by=sorted(changed)
        )

    out, at = [], 0
    for hunk in hunks:
        out.append("".join(base[at : hunk.start]))
        out.append(hunk.alternatives[0].text)
        at = hunk.end
    out.append("".join(base[at:]))
    merged = "".join(out)
    if len(modified) == 1:
        status = ONE
    elif len({same_words(v) for v in modified.values()}) == 1:
        status = AGREEMENT
    else:
        status = COMBINABLE
    return MergeResult(status, base_text, merged, hunks=hunks, agreeing=agreeing, changed_by=sorted(changed))
