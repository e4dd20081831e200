"""Item labels: what kind a label is, where it stands in its sequence, what comes next.

ITU resolutions label items ``a)``, ``b)`` ...; roman ``i)``, ``ii)`` ...; numbers
``1``, ``2`` ...; dashes ``–`` and bullets ``•``; or leave them unlabelled.
"""

from __future__ import annotations

import re

ALPHA = "alpha"
ROMAN = "roman"
NUMBER = "number"
DASH = "dash"
BULLET = "bullet"
NONE = "none"

DASHES = "–—-"
BULLETS = "•·▪○"

_ROMAN = re.compile(r"^x{0,3}(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def _core(label: str) -> str:
    """The label without its brackets: ``a)`` -> ``a``, ``(iv)`` -> ``iv``."""
    return label.strip().strip("()").strip()


def roman_to_int(text: str) -> int | None:
    if not text or not _ROMAN.match(text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def int_to_roman(n: int) -> str:
    parts = []
    for value, numeral in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            parts.append(numeral)
            n -= value
    return "".join(parts)


def alpha_to_int(text: str) -> int | None:
    # After z) ITU documents double the letter: aa), bb) ...
    if not text or not text.isalpha() or not text.islower() or len(set(text)) != 1:
        return None
    return (len(text) - 1) * 26 + (ord(text[0]) - ord("a") + 1)


def int_to_alpha(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def kinds_of(label: str) -> set[str]:
    """Every kind the label could be; ``i)`` is both alpha and roman."""
    core = _core(label)
    if not core:
        return {NONE}
    if core in DASHES:
        return {DASH}
    if core in BULLETS:
        return {BULLET}
    if re.fullmatch(r"\d+(\.\d+)*", core):
        return {NUMBER}
    kinds = set()
    if core.isalpha() and core.islower():
        if roman_to_int(core) is not None:
            kinds.add(ROMAN)
        if len(core) == 1 or roman_to_int(core) is None:
            kinds.add(ALPHA)
    return kinds or {ALPHA}


def index_of(label: str, kind: str) -> int | None:
    """1-based position of the label in a sequence of ``kind``, or None if it is not one."""
    core = _core(label)
    if kind == ALPHA:
        return alpha_to_int(core)
    if kind == ROMAN:
        return roman_to_int(core)
    if kind == NUMBER:
        return int(core) if core.isdigit() else None
    if kind in (DASH, BULLET):
        return 1
    return None


def make_label(kind: str, n: int) -> str:
    """The n-th label (1-based) of a sequence, written as ITU prints it."""
    if kind == ALPHA:
        return f"{int_to_alpha(n)})"
    if kind == ROMAN:
        return f"{int_to_roman(n)})"
    if kind == NUMBER:
        return str(n)
    if kind == DASH:
        return "–"
    if kind == BULLET:
        return "•"
    return ""


def follows(previous: str, label: str, kind: str) -> bool:
    """Whether ``label`` comes right after ``previous`` in a sequence of ``kind``."""
    if kind in (DASH, BULLET):
        return kind in kinds_of(label)
    a, b = index_of(previous, kind), index_of(label, kind)
    return a is not None and b is not None and b == a + 1


def is_first(label: str, kind: str) -> bool:
    return kind in kinds_of(label) and index_of(label, kind) == 1
