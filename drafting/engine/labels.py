"""Item labels: what kind a label is, where it stands in its sequence, what comes next.

ITU resolutions label items ``a)``, ``b)`` ...; roman ``i)``, ``ii)`` ...; numbers
``1``, ``2`` ...; hierarchical numbers ``1.1``, ``1.1.1`` in texts built of
sections; dashes ``–`` and bullets ``•``; or leave them unlabelled.

A provision inserted without renumbering what follows carries a Latin suffix
after the label it follows: ``1bis``, ``3ter``, ``5.4bis``, ``a bis)``,
``b)bis``, ``bbis)``; a suffix may sit inside a hierarchical number too
(``1bis.2.1``). Such a label keeps its *host*'s number (``1bis`` comes after
``1`` and before ``2``) and is never counted as a number of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ALPHA = "alpha"
ROMAN = "roman"
NUMBER = "number"
DASH = "dash"
BULLET = "bullet"
NONE = "none"

DASHES = "–—-"
BULLETS = "•·▪○"

# The Latin ordinals ITU uses, in order: "bis" is the first inserted provision, "ter" the second ...
SUFFIXES = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies")
SUFFIX_PATTERN = "(?:" + "|".join(sorted(SUFFIXES, key=len, reverse=True)) + ")"

# Where the suffix of a lettered label is written: "bbis)", "b bis)", "b)bis".
GLUED = "glued"
SPACED = "spaced"
AFTER = "after"

_ROMAN = re.compile(r"^x{0,3}(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}

_NUMBER_FORM = re.compile(
    rf"^(?P<open>\(?)(?P<prefix>(?:\d+{SUFFIX_PATTERN}?\.)*)(?P<core>\d+)(?P<suffix>{SUFFIX_PATTERN})?(?P<close>\)?)$"
)
# The letters are matched lazily so that "bbis)" reads as "b" + "bis", not as the letters "bbis".
_LETTER_FORM = re.compile(
    rf"^(?P<open>\(?)(?P<core>[a-z]+?)(?:(?P<space>\s?)(?P<suffix>{SUFFIX_PATTERN}))?(?P<close>\)?)"
    rf"(?P<after>{SUFFIX_PATTERN})?$"
)


@dataclass(frozen=True)
class Label:
    """A label taken apart: ``(`` + prefix + core + suffix + ``)``, and where its suffix is written."""

    open: str  # "(" or ""
    prefix: str  # for hierarchical numbers: "1.", "1bis.2."; else ""
    core: str  # "a", "iv", "3"
    suffix: str  # "", "bis", "ter" ...
    close: str  # ")" or ""
    form: str = GLUED  # for lettered labels with a suffix: glued, spaced or after

    @property
    def rank(self) -> int:
        """0 for a plain label, 1 for bis, 2 for ter ..."""
        return SUFFIXES.index(self.suffix) + 1 if self.suffix else 0

    def write(self, core: str | None = None, suffix: str | None = None, prefix: str | None = None) -> str:
        """The label written in this one's style, with another core, suffix or prefix."""
        core = self.core if core is None else core
        suffix = self.suffix if suffix is None else suffix
        prefix = self.prefix if prefix is None else prefix
        if not suffix:
            return f"{self.open}{prefix}{core}{self.close}"
        if self.form == AFTER and self.close:
            return f"{self.open}{prefix}{core}{self.close}{suffix}"
        space = " " if self.form == SPACED else ""
        return f"{self.open}{prefix}{core}{space}{suffix}{self.close}"


def parse_label(label: str) -> Label | None:
    """The parts of a number or letter label, or None (dashes, bullets, empty, anything else)."""
    text = label.strip()
    m = _NUMBER_FORM.match(text)
    if m:
        return Label(m["open"], m["prefix"], m["core"], m["suffix"] or "", m["close"])
    m = _LETTER_FORM.match(text)
    if m and (m["close"] or not m["open"]):
        suffix = m["suffix"] or m["after"] or ""
        if m["after"] and m["suffix"]:
            return None
        if m["after"] and not m["close"]:
            return None
        form = AFTER if m["after"] else SPACED if m["space"] else GLUED
        return Label(m["open"], "", m["core"], suffix, m["close"], form)
    return None


def _core(label: str) -> str:
    """The label without its brackets and suffix: ``a)`` -> ``a``, ``(iv)`` -> ``iv``, ``b)bis`` -> ``b``."""
    parsed = parse_label(label)
    if parsed is not None:
        return parsed.prefix + parsed.core
    return label.strip().strip("()").strip()


def suffix_of(label: str) -> str:
    """``bis`` for ``3bis``, ``b)bis`` or ``a bis)``; "" for a plain label."""
    parsed = parse_label(label)
    return parsed.suffix if parsed else ""


def rank_of(label: str) -> int:
    """0 for a plain label, 1 for a bis label, 2 for ter ..."""
    parsed = parse_label(label)
    return parsed.rank if parsed else 0


def without_suffix(label: str) -> str:
    """The label of the provision a bis label comes after: ``3bis`` -> ``3``, ``b)bis`` -> ``b)``."""
    parsed = parse_label(label)
    return parsed.write(suffix="") if parsed else label


def with_suffix(label: str, suffix: str, like: str = "") -> str:
    """``label`` with a suffix, written as ``like`` writes its own (``b)bis``) or glued (``bbis)``, ``3bis``)."""
    parsed = parse_label(label)
    if parsed is None:
        return label
    form = GLUED
    sample = parse_label(like) if like else None
    if sample is not None and sample.suffix:
        form = sample.form
    return Label(parsed.open, parsed.prefix, parsed.core, suffix, parsed.close, form).write()


def next_suffix(rank: int) -> str:
    """The suffix after the ``rank``-th: bis after a plain label, ter after bis ..."""
    if rank >= len(SUFFIXES):
        raise ValueError("No Latin suffix comes after decies.")
    return SUFFIXES[rank]


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
    stripped = label.strip().strip("()").strip()
    if not stripped:
        return {NONE}
    if stripped in DASHES:
        return {DASH}
    if stripped in BULLETS:
        return {BULLET}
    parsed = parse_label(label)
    core = parsed.core if parsed else stripped
    if core.isdigit():
        return {NUMBER}
    kinds = set()
    if core.isalpha() and core.islower():
        if roman_to_int(core) is not None:
            kinds.add(ROMAN)
        if len(core) == 1 or roman_to_int(core) is None:
            kinds.add(ALPHA)
    return kinds or {ALPHA}


def index_of(label: str, kind: str) -> int | None:
    """1-based position of the label in a sequence of ``kind``, or None if it is not one.

    A bis label has its host's position (``3bis`` is at 3, after ``3`` itself);
    a hierarchical number is at its last number (``1.2`` is at 2).
    """
    if kind in (DASH, BULLET):
        return 1 if kind in kinds_of(label) else None
    parsed = parse_label(label)
    if parsed is None:
        return None
    if kind == ALPHA:
        return alpha_to_int(parsed.core)
    if kind == ROMAN:
        return roman_to_int(parsed.core)
    if kind == NUMBER:
        return int(parsed.core) if parsed.core.isdigit() else None
    return None


def order_key(label: str, kind: str) -> tuple[int, int]:
    """Sorts labels of one list in reading order: ``3`` < ``3bis`` < ``3ter`` < ``4``."""
    return (index_of(label, kind) or 0, rank_of(label))


def prefix_of(label: str) -> str:
    """The hierarchical number above this one, with its dot: ``1.2.`` for ``1.2.3``; "" if none."""
    parsed = parse_label(label)
    return parsed.prefix if parsed else ""


def parent_number(label: str) -> str:
    """The label of the provision a hierarchical number sits in: ``1.2`` for ``1.2.3``, ``1bis`` for ``1bis.1``."""
    return prefix_of(label)[:-1]


def opens_under(parent: str, label: str) -> bool:
    """Whether ``label`` is the first number inside the provision labelled ``parent`` (``1.1`` inside ``1``)."""
    parsed, host = parse_label(label), parse_label(parent)
    if parsed is None or host is None or not parsed.core.isdigit() or not parsed.prefix:
        return False
    return (
        parsed.prefix == host.prefix + host.core + host.suffix + "."
        and parsed.core == "1"
        and not parsed.suffix
    )


def make_label(kind: str, n: int, like: str = "") -> str:
    """The n-th label (1-based) of a sequence, written as ITU prints it, or in the style of ``like``.

    ``like`` (a label of the same list) gives the brackets, ``(b)`` rather
    than ``b)``, and for hierarchical numbers the number above: ``1.3`` after ``1.2``.
    """
    if kind in (DASH, BULLET):
        return "–" if kind == DASH else "•"
    if kind == ALPHA:
        core, default = int_to_alpha(n), Label("", "", "", "", ")")
    elif kind == ROMAN:
        core, default = int_to_roman(n), Label("", "", "", "", ")")
    elif kind == NUMBER:
        core, default = str(n), Label("", "", "", "", "")
    else:
        return ""
    sample = parse_label(like) if like else None
    if sample is None or (kind == NUMBER) != sample.core.isdigit():
        sample = default
    return sample.write(core=core, suffix="")


def follows(previous: str, label: str, kind: str) -> bool:
    """Whether ``label`` comes right after ``previous`` in a sequence of ``kind``.

    ``3bis`` follows ``3`` (and ``3ter`` follows ``3bis``); ``4`` follows ``3bis``;
    ``1.3`` follows ``1.2`` but not ``2.2``.
    """
    if kind in (DASH, BULLET):
        return kind in kinds_of(label)
    a, b = index_of(previous, kind), index_of(label, kind)
    if a is None or b is None or prefix_of(previous) != prefix_of(label):
        return False
    ra, rb = rank_of(previous), rank_of(label)
    if rb:
        return b == a and rb > ra
    return b == a + 1


def is_first(label: str, kind: str) -> bool:
    return kind in kinds_of(label) and index_of(label, kind) == 1 and not suffix_of(label)


def is_valid(label: str) -> bool:
    """Whether a label typed by hand is one ITU writes: a letter, roman or number label
    (with brackets, a hierarchical number or a bis suffix), a dash or a bullet."""
    text = label.strip()
    if not text:
        return False
    if len(text) == 1 and text in DASHES + BULLETS:
        return True
    parsed = parse_label(text)
    if parsed is None:
        return False
    if parsed.core.isdigit():
        return True
    # Letters are always closed by a bracket: "b)", "(b)", never a bare "b".
    return bool(parsed.close) and (
        alpha_to_int(parsed.core) is not None or roman_to_int(parsed.core) is not None
    )


def citation_form(label: str) -> str:
    """How a label is cited in running text, for comparing: ``b)bis`` and ``bbis)`` -> ``bbis``."""
    parsed = parse_label(label)
    if parsed is None:
        return label.strip().strip("()")
    return parsed.prefix + parsed.core + parsed.suffix
