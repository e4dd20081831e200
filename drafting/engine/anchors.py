"""Readable URL anchors for clauses: ``#considering-further-b``, ``#resolves-3-a``."""

from __future__ import annotations

import re

from . import labels as lb
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
