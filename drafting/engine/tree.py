"""The clause tree of one edition of a resolution, as plain data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

PART = "part"
ITEM = "item"
ANNEX = "annex"
# A front line of the resolution that a proposal can change, as a clause of its draft: the title
# (Resolution 75 was retitled at Hammamet in 2016). The heading line, the history line and the
# enacting formula are the tool's to write: a revision puts its meeting in them.
FRONT = "front"
FRONT_LINES = ("title",)

PREAMBLE = "preamble"
OPERATIVE = "operative"


@dataclass
class Footnote:
    """A footnote, referenced in its clause's text as ``[^number]``.

    ``mark`` is what the reader sees at the call when it is not the number: ITU adds a footnote
    between 1 and 2 as "1bis" (Word's custom footnote mark).
    """

    number: int
    text: str
    mark: str = ""

    @property
    def shown(self) -> str:
        return self.mark or str(self.number)


@dataclass
class Clause:
    """One node of the tree: a part, an item (labelled or not) or an annex.

    A part has a ``heading`` ("considering further"); an annex has a heading
    ("ANNEX") and its title in ``text``; an item has a ``label`` ("a)", "1",
    "–", or "" for an unlabelled paragraph) and ``text``. ``key`` is the stable
    identity of the provision across editions, when known.
    """

    kind: str
    label: str = ""
    heading: str = ""
    text: str = ""
    role: str = ""  # preamble or operative, for parts
    footnotes: list[Footnote] = field(default_factory=list)
    children: list[Clause] = field(default_factory=list)
    key: str = ""

    def walk(self, depth: int = 0) -> Iterator[tuple[Clause, int]]:
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)

    def shape(self) -> tuple:
        """Everything but the keys, for comparing trees."""
        return (
            self.kind,
            self.label,
            self.heading,
            self.text,
            self.role,
            tuple((f.number, f.text, f.mark) for f in self.footnotes),
            tuple(c.shape() for c in self.children),
        )


@dataclass
class ResolutionText:
    """One edition as read from a document: its front lines and its clause tree."""

    number: str = ""  # "75", "ITU-R 61-3"; empty when the text has no heading line
    revision: str = ""  # "Rev. Hammamet, 2016", or "Hammamet, 2016" for a first edition
    title: str = ""
    history: str = ""  # "(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016)"
    enacting_formula: str = ""  # "The World Telecommunication Standardization Assembly (Hammamet, 2016),"
    # Footnotes called (``[^n]``) from the title, the history line or the enacting formula: ITU's
    # Resolution 1 has two on "(Hammamet, 2016)".
    footnotes: list[Footnote] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)  # parts, then annexes
    # The identity of each amendable front line ("title": key), the same in every edition of the
    # resolution; empty for a text not read from the library (nothing amends its front lines).
    front_keys: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # front matter and noise left out on purpose
    unplaced: list[str] = field(default_factory=list)  # lines the importer could not place

    def walk(self) -> Iterator[tuple[Clause, int]]:
        for clause in self.clauses:
            yield from clause.walk(0)

    @property
    def parts(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == PART]

    @property
    def annexes(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == ANNEX]

    def shape(self) -> tuple:
        return (
            self.number,
            self.revision,
            self.title,
            self.history,
            self.enacting_formula,
            tuple((f.number, f.text, f.mark) for f in self.footnotes),
            tuple(c.shape() for c in self.clauses),
        )
