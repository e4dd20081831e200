"""Readable URL anchors for clauses: ``#considering-further-b``, ``#resolves-3-a``."""

from __future__ import annotations

import re

from . import labels as lb
from .parse import FOOTNOTE_MARK
from .tree import ANNEX, PART, Clause, ResolutionText


def _slug(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "part"


def assign_anchors(resolution: ResolutionText) -> dict[int, str]:
    """Anchor of every clause, keyed by ``id(clause)``; unique within the edition."""
    anchors: dict[int, str] = {}
    used: set[str] = set()

    def unique(candidate: str) -> str:
        anchor, n = candidate, 2
        while anchor in used:
            anchor, n = f"{candidate}-{n}", n + 1
        used.add(anchor)
        return anchor

    def children(parent: Clause, prefix: str) -> None:
        unlabelled = dashes = 0
        for child in parent.children:
            core = child.label.strip().strip("()")
            if not core:
                unlabelled += 1
                part = f"p{unlabelled}"
            elif lb.kinds_of(child.label) & {lb.DASH, lb.BULLET}:
                dashes += 1
                part = f"dash{dashes}"
            else:
                part = _slug(core, 12)
            anchors[id(child)] = unique(f"{prefix}-{part}")
            children(child, anchors[id(child)])

    for clause in resolution.clauses:
        if clause.kind == PART:
            base = _slug(clause.heading)
        elif clause.kind == ANNEX:
            base = _slug(clause.heading) or "annex"
        else:
            base = "clause"
        anchors[id(clause)] = unique(base)
        children(clause, anchors[id(clause)])
    return anchors


def label_word(label: str) -> str:
    """A label as a reader types it when finding a clause ("resolves 3", "considering e ix"):
    "e)" -> "e", "(iv)" -> "iv", "3bis" -> "3bis"; a dash or a bullet -> "" (not found by label)."""
    core = re.sub(r"[()\s]", "", label).rstrip(".").lower()
    return "" if lb.kinds_of(label) & {lb.DASH, lb.BULLET} else core


def find_labels(rows: list[tuple[int, str, str]]) -> list[tuple[str, str]]:
    """Per clause in reading order, given as (depth, kind, heading or label): its part's heading and
    its own label as a reader types them. A clause's full label ("e ix") is its ancestors' labels
    and its own: the page puts them together (find.js), so that relabelling an item changes the
    fragment of that item only, not those of its children."""
    result = []
    part = ""
    for depth, kind, name in rows:
        if depth == 0:
            # A heading's footnote call ("considering[^4]") is no word a reader types.
            part = " ".join(FOOTNOTE_MARK.sub("", name).lower().split()) if kind in (PART, ANNEX) else ""
            result.append((part, ""))
        else:
            result.append((part, label_word(name)))
    return result
