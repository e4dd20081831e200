"""Word-level differences between two texts: the one diff of the product.

Texts are split into words, spaces and punctuation, and compared with
difflib's SequenceMatcher with ``autojunk=False`` (its default heuristic marks
far too much as changed on long paragraphs).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "delete", "insert"]
Segment = tuple[Op, str]

# Words keep their inner hyphens, non-breaking hyphens and apostrophes ("ITU‑T", "ITU's").
_TOKEN = re.compile(r"\s+|\w+(?:[\-\u2010\u2011'’]\w+)*|[^\w\s]")
# What a reader does not tell apart inside a word: Word's non-breaking hyphen ("ITU‑T") and
# typographic apostrophe ("ITU’s") beside the plain forms a typed or pasted text has.
_INVISIBLE = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2019": "'"})


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _normal(token: str) -> str:
    return " " if token.isspace() else token.translate(_INVISIBLE)


def diff_words(old: str, new: str, *, exact: bool = False) -> list[Segment]:
    """Segments that turn ``old`` into ``new``: equal, deleted and inserted runs of text.

    On a page, a non-breaking space where a space was (or two spaces for one), a non-breaking
    hyphen for a hyphen or a typographic apostrophe for a straight one is no change a reader can
    see, and the equal text is shown as ``new`` has it. With ``exact``, every character counts:
    the equal segments are in both texts as they stand and each whitespace difference is a change
    of its own, so that dropping the insertions gives ``old`` back and dropping the deletions gives
    ``new``, character for character (what Word's Reject All and Accept All do to a file).
    """
    if old == new:
        return [("equal", new)] if new else []
    a, b = tokens(old), tokens(new)
    # Words are aligned on their visible form either way, so a changed space never splits a phrase.
    na, nb = [_normal(t) for t in a], [_normal(t) for t in b]
    segments: list[Segment] = []

    def add(op: Op, parts: list[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if segments and segments[-1][0] == op:
            segments[-1] = (op, segments[-1][1] + text)
        else:
            segments.append((op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, na, nb, autojunk=False).get_opcodes():
        if tag == "equal" and exact:
            for old_token, new_token in zip(a[i1:i2], b[j1:j2], strict=True):
                if old_token == new_token:
                    add("equal", [new_token])
                else:
                    add("delete", [old_token])
                    add("insert", [new_token])
        elif tag == "equal":
            add("equal", b[j1:j2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return _absorb_lone_spaces(segments)


_GLUE = re.compile(r"^[\s\u00a0,.;:/]{1,3}$")


def _absorb_lone_spaces(segments: list[Segment]) -> list[Segment]:
    """Fold a space or a comma between two changes into them, so marks read as phrases.

    "(Rev. ~~Dubai~~ Bucharest, ~~2018~~ 2022)" reads better, and as ITU documents
    show it, as "(Rev. ~~Dubai, 2018~~ Bucharest, 2022)".
    """
    out: list[Segment] = []
    i = 0
    while i < len(segments):
        op, text = segments[i]
        if (
            op == "equal"
            and _GLUE.match(text)
            and 0 < i < len(segments) - 1
            and segments[i - 1][0] != "equal"
            and segments[i + 1][0] != "equal"
        ):
            out.append(("delete", text))
            out.append(("insert", text))
        else:
            out.append((op, text))
        i += 1
    merged: list[Segment] = []
    # Regroup so that all deletions of a changed run come before its insertions.
    run: dict[str, str] = {"delete": "", "insert": ""}
    for op, text in out:
        if op == "equal":
            for kind in ("delete", "insert"):
                if run[kind]:
                    merged.append((kind, run[kind]))
            run = {"delete": "", "insert": ""}
            merged.append((op, text))
        else:
            run[op] += text
    for kind in ("delete", "insert"):
        if run[kind]:
            merged.append((kind, run[kind]))
    return merged


def changed(segments: list[Segment]) -> bool:
    return any(op != "equal" for op, _ in segments)
