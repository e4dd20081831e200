"""Where the citations fall in a text shown with revision marks, segment by segment.

Marked text is a list of segments ``(op, text)``, op one of equal, insert, delete.
It spells two texts: the text as proposed (equal and inserted segments) and the
text as it was (equal and deleted). A citation is found in one of those texts and
may span several segments: "(Rev. Dubai, <del>2012</del><ins>2018</ins>)" cites the
2018 edition in the proposed text and the 2012 edition in the old one. To link it
without breaking the marks, each segment is cut into runs, each run belonging to at
most one citation; a link is then drawn over each of its runs, inside the marks.

The proposed text wins where both texts cite over the same unchanged words: the
unchanged words belong to the citation as it will read, the deleted words to the
citation as it read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

EQUAL = "equal"
INSERT = "insert"
DELETE = "delete"

Span = tuple[int, int, Any]  # start and end in one spelled text, and what is cited there
Run = tuple[str, Any]  # a piece of a segment's text, and the citation it belongs to or None


def spelled(segments: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """The text as proposed (equal and inserted segments) and as it was (equal and deleted)."""
    new = "".join(text for op, text in segments if op != DELETE)
    old = "".join(text for op, text in segments if op != INSERT)
    return new, old


def _claims(offset: int, length: int, spans: Sequence[Span]) -> list[tuple[int, int, Any]]:
    """The parts of spans that fall in a segment at ``offset`` in the spelled text, in its own offsets."""
    end = offset + length
    return [
        (max(s, offset) - offset, min(e, end) - offset, what)
        for s, e, what in spans
        if s < end and e > offset
    ]


def _minus(lo: int, hi: int, taken: list[tuple[int, int, Any]]) -> list[tuple[int, int]]:
    """What is left of [lo, hi) once the taken intervals are out."""
    pieces, at = [], lo
    for t_lo, t_hi, _ in sorted(taken):
        if t_hi <= at or t_lo >= hi:
            continue
        if t_lo > at:
            pieces.append((at, t_lo))
        at = max(at, t_hi)
    if at < hi:
        pieces.append((at, hi))
    return pieces


def place_citations(
    segments: Sequence[tuple[str, str]], new_spans: Sequence[Span], old_spans: Sequence[Span] = ()
) -> list[list[Run]]:
    """Per segment, its text cut into runs, each with the citation it belongs to (or None).

    ``new_spans`` are offsets in the proposed text, ``old_spans`` in the old one (see
    :func:`spelled`). The runs of a segment spell exactly its text.
    """
    result: list[list[Run]] = []
    new_at = old_at = 0
    for op, text in segments:
        length = len(text)
        claims: list[tuple[int, int, Any]] = []
        if op != DELETE:
            claims = _claims(new_at, length, new_spans)
            new_at += length
        if op != INSERT:
            for lo, hi, what in _claims(old_at, length, old_spans):
                claims.extend((a, b, what) for a, b in _minus(lo, hi, claims))
            old_at += length
        runs: list[Run] = []
        at = 0
        for lo, hi, what in sorted(claims, key=lambda c: (c[0], c[1])):
            if lo < at or lo >= hi:
                continue  # overlapping citations (the parser gives none): the first one keeps the words
            if lo > at:
                runs.append((text[at:lo], None))
            runs.append((text[lo:hi], what))
            at = hi
        if at < length or not runs:
            runs.append((text[at:], None))
        result.append(runs)
    return result
