"""Knowing one provision across editions, whatever its label has become.

When a new edition is imported as text, its clauses carry no identity; this
matches them to the previous edition's clauses by their place in the tree and
by how alike their words are, so that "considering b)" of 2016 and the same
provision relabelled "considering c)" in 2022 share one key.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from .diff import tokens
from .tree import ITEM, PART, Clause, ResolutionText

THRESHOLD = 0.5


def _words(text: str) -> list[str]:
    return [t.lower() for t in tokens(text) if not t.isspace()]


def _ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def _body(clause: Clause) -> str:
    return " ".join(c.text for c in clause.children)[:3000]


def similarity(old: Clause, new: Clause) -> float:
    if old.kind != new.kind:
        return 0.0
    if old.kind == PART:
        # A renamed part ("considering" to "recalling") is still known by its items.
        if old.role != new.role:
            return 0.0
        return max(_ratio(old.heading, new.heading), _ratio(_body(old), _body(new)) * 0.9)
    if old.kind == ITEM:
        score = _ratio(old.text, new.text)
        if old.label and old.label == new.label:
            score = min(1.0, score + 0.05)
        return score
    return max(
        _ratio(old.heading + " " + old.text, new.heading + " " + new.text), _ratio(_body(old), _body(new))
    )


def align(old: list[Clause], new: list[Clause]) -> list[tuple[int, int]]:
    """Pairs (i, j) in order, maximising the total similarity of matched clauses."""
    n, m = len(old), len(new)
    sim = [[similarity(old[i], new[j]) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= THRESHOLD else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] >= THRESHOLD and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _match(old: list[Clause], new: list[Clause]) -> None:
    for i, j in align(old, new):
        new[j].key = old[i].key
        _match(old[i].children, new[j].children)


def carry_keys(previous: ResolutionText, current: ResolutionText) -> None:
    """Give the clauses of ``current`` the keys of the clauses they continue in ``previous``."""
    _match(previous.clauses, current.clauses)
