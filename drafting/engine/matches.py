"""Find and replace one occurrence at a time: each match in its context, each one can be left out.

A delegate replacing "(Rev. Dubai, 2018)" wants to see every place it occurs, with
the words around it and what it becomes, and to leave out the one that cites the old
edition on purpose. A match is named ``key:n``, the n-th occurrence in that clause's
text, so the choice made on the preview can be sent back and applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafting.engine.replace import pattern_for

CONTEXT = 40  # characters of context on each side of a match


@dataclass
class Match:
    key: str
    n: int  # the n-th occurrence in the clause's text, from 0
    before: str  # context before the match ("…" when cut)
    found: str
    after: str  # context after the match
    replacement: str

    @property
    def id(self) -> str:
        return f"{self.key}:{self.n}"


def _cut_left(text: str) -> str:
    if len(text) <= CONTEXT:
        return text
    cut = text[-CONTEXT:]
    space = cut.find(" ")
    return "…" + (cut[space + 1 :] if 0 <= space < CONTEXT // 2 else cut)


def _cut_right(text: str) -> str:
    if len(text) <= CONTEXT:
        return text
    cut = text[:CONTEXT]
    space = cut.rfind(" ")
    return (cut[:space] if space > CONTEXT // 2 else cut) + "…"


def find_matches(texts: list[tuple[str, str]], find: str, replace: str) -> list[Match]:
    """Every occurrence of ``find`` in the (key, text) pairs, in order, with its context."""
    if not find.strip():
        return []
    pattern = pattern_for(find)
    result = []
    for key, text in texts:
        for n, m in enumerate(pattern.finditer(text)):
            if m.group(0) == replace:
                continue  # replacing it would change nothing
            result.append(
                Match(key, n, _cut_left(text[: m.start()]), m.group(0), _cut_right(text[m.end() :]), replace)
            )
    return result


def replace_chosen(text: str, key: str, find: str, replace: str, chosen: set[str] | None) -> str:
    """The clause's text with the chosen occurrences replaced (every one when ``chosen`` is None)."""
    pattern = pattern_for(find)
    counter = iter(range(10**9))

    def swap(m):
        n = next(counter)
        return replace if chosen is None or f"{key}:{n}" in chosen else m.group(0)

    return pattern.sub(swap, text)
