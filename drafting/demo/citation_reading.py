"""A careful reader's citations of the seed texts and of sentences of other ITU texts, and how the tool's
own reading compares with them.

``seeds/citations.tsv`` holds, for every seed read as the importer reads it (the resolution's title,
enacting formula, every part heading, item and footnote), one line per cited document per
occurrence: where it is, what kind of thing is cited, which one, the paragraph or part it pins, and
for a reference inside the text the clause it names. It was read by hand; the tool's reading is
compared with it kind by kind (``scripts/benchmark_citation_reading.py``), and a test keeps it exact.

``seeds/citations-itu-sentences.txt`` is a second reading, of sentences of other real ITU texts (resolutions
of the Plenipotentiary Conference, WTSA, WTDC, the Radiocommunication Assembly and the Council), with the
context each was written in, and sentences that cite nothing: the parser was not tuned on the seeds alone.
Its header says which forms are citations of which kind.

Identities, as the file writes them:
- ITU resolution: ``PP 140 Dubai 2018`` (body, number, place, year; ``Council 1332 2016``; ``WTDC 30``);
- UN document: ``A/RES/70/125``; WSIS document: ``Tunis Agenda``; Recommendation: ``ITU-T X.1205``;
- treaty: ``Constitution``, ``Radio Regulations``; decision: ``PP 5 Dubai 2018``; opinion: ``WTPF 1 Geneva 2013``;
- reference inside the text: ``resolves 1`` (part and label as written), its target the clause's path
  (``resolves 1``, ``ANNEX 2``) or ``resolution`` for "this resolution".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafting.engine import citations as current_parser
from drafting.engine.parse import parse_resolution
from drafting.engine.tree import ANNEX, PART, ResolutionText

SEEDS = Path(__file__).parent / "seeds"
READING = SEEDS / "citations.tsv"
SENTENCES = SEEDS / "citations-itu-sentences.txt"

# What "this Assembly" and unqualified numbers mean in each seed: the meeting the text is of, or goes to.
CONTEXTS = {
    "wtsa-res75-rev-hammamet-2016.txt": ("WTSA", "Hammamet", 2016),
    "council-res1332.txt": ("Council", "", None),
    "citel-proposal-wtsa-res75.txt": ("WTSA", "", None),
    "atu-proposal-wtsa-res75.txt": ("WTSA", "New Delhi", 2024),
    "rcc-proposal-wtdc-res30.txt": ("WTDC", "Buenos Aires", 2017),
}

KINDS = (
    "resolution",
    "un",
    "wsis",
    "internal",
    "recommendation",
    "treaty",
    "decision",
    "opinion",
    "paragraph",
)
_WSIS_NAMES = {
    "tunis agenda": "Tunis Agenda",
    "tunis commitment": "Tunis Commitment",
    "geneva declaration of principles": "Geneva Declaration of Principles",
    "declaration of principles": "Geneva Declaration of Principles",
    "geneva plan of action": "Geneva Plan of Action",
}


@dataclass(frozen=True)
class Entry:
    file: str
    where: str
    kind: str
    cited: str
    pinpoint: str = ""
    target: str = ""

    def line(self) -> str:
        return "\t".join((self.file, self.where, self.kind, self.cited, self.pinpoint, self.target))


def load(path: Path = READING) -> list[Entry]:
    entries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t") + [""] * 6
        entries.append(Entry(*[c.strip() for c in cells[:6]]))
    return entries


def places(tree: ResolutionText) -> Iterator[tuple[str, str, Any]]:
    """(where, text, clause) for every text of a resolution a reader reads for citations."""
    yield "title", tree.title, None
    yield "formula", tree.enacting_formula, None
    for n, f in enumerate(tree.footnotes, 1):
        yield f"front footnote {n}", f.text, None

    def visit(node, path: str):
        yield path, node.heading if node.kind == PART else node.text, node
        for f in node.footnotes:
            yield f"{path} footnote {f.shown}", f.text, node
        for i, child in enumerate(node.children, 1):
            yield from visit(child, f"{path} {child.label or f'¶{i}'}")

    annexes = 0
    for node in tree.clauses:
        if node.kind == ANNEX:
            annexes += 1
            yield from visit(node, f"annex {annexes}")
        else:
            yield from visit(node, " ".join(node.heading.split()).rstrip(","))


def _identity(c, parser) -> tuple[str, str] | None:
    """(kind, identity) of a citation as the reading writes it, from any version of the parser."""
    kind = c.kind
    if kind == parser.RESOLUTION:
        place = c.place
        if c.problem == parser.UNKNOWN_VENUE and c.suggestion:
            place = c.suggestion.removeprefix("Rev. ").rpartition(", ")[0]  # "Buchrest": Bucharest meant
        edition = " ".join(str(x) for x in (place, c.year) if x)
        return "resolution", f"{c.body} {c.number} {edition}".strip()
    if kind == parser.UN_RESOLUTION:
        return "un", c.number
    if kind == parser.RECOMMENDATION:
        return "recommendation", f"{c.body} {c.number}".strip()
    if kind == getattr(parser, "WSIS", None):
        return "wsis", c.number
    if kind == getattr(parser, "INTERNAL", None):
        return "internal", c.describe()
    if kind == getattr(parser, "TREATY", None):
        return "treaty", c.number
    if kind in (getattr(parser, "DECISION", None), getattr(parser, "OPINION", None)):
        edition = " ".join(str(x) for x in (c.place, c.year) if x)
        return kind, f"{c.body} {c.number} {edition}".strip()
    if kind == parser.PARAGRAPH:
        # An older parser read "§ 69 of the Tunis Agenda" as a paragraph of an outside text.
        doc = " ".join((c.document or "").split()).lower()
        for name, short in _WSIS_NAMES.items():
            if doc.startswith(name):
                return "wsis", short
        return "paragraph", f"§ {c.number} of {c.document}".strip()
    return None


def _resolver(parser) -> Callable | None:
    """Internal references resolved in the text's own tree, when this version of the tool can."""
    if getattr(parser, "INTERNAL", None) is None or parser is not current_parser:
        return None
    from drafting.engine.references import parents_of, path_of, resolve

    def resolve_in(tree, c):
        target = resolve(c, tree.clauses)
        if target is None:
            return None
        return path_of(target, parents_of(tree.clauses))

    return resolve_in


def tool_reading(name: str, text: str, parser=current_parser) -> list[Entry]:
    """What the tool reads in one seed, as reading entries."""
    tree = parse_resolution(text)
    body, place, year = CONTEXTS.get(name, ("", "", None))
    context = parser.Context(body, place, year)
    resolve_in = _resolver(parser)
    entries = []
    for where, value, _ in places(tree):
        if not value:
            continue
        for c in parser.parse_citations(value, context):
            identity = _identity(c, parser)
            if identity is None:
                continue
            kind, cited = identity
            target = ""
            if kind == "internal":
                if resolve_in is None:
                    continue
                target = resolve_in(tree, c) or ""
                if not target and not c.pinpoint:
                    continue  # "resolves 5" with no "above": another text's, unless this one has it
            entries.append(Entry(name, where, kind, cited, getattr(c, "pinpoint", "") or "", target))
    return entries


@dataclass(frozen=True)
class Sentence:
    """One sentence of the second reading: where it is, the text it is of, and what that text is."""

    source: str  # "L12 recalling a)": its line in the reading and where it stands in its text
    text: str
    context: tuple[str, str, int | None]  # body, place, year of the text it is from


def load_sentences(path: Path = SENTENCES) -> tuple[list[Sentence], list[Entry]]:
    """The sentences of the second reading, and the reader's entries for them (file ``sentences``)."""
    sentences: list[Sentence] = []
    entries: list[Entry] = []
    context: tuple[str, str, int | None] = ("", "", None)
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or line.startswith("# ") or line == "#":
            continue
        if line.startswith("## "):
            _, _, ctx = line.partition(" | ")
            body, place, year = [*(x.strip() for x in ctx.split(",")), "", "", ""][:3]
            context = (body, place, int(year) if year else None)
            continue
        if line.lstrip().startswith("= "):
            cells = [c.strip() for c in line.lstrip()[2:].split("|")] + ["", "", ""]
            entries.append(Entry("sentences", sentences[-1].source, cells[0], cells[1], cells[2]))
            continue
        where, sep, text = line.partition(" | ")
        if not sep:
            raise ValueError(f"{path.name}:{n}: neither a text, a sentence nor an entry: {line!r}")
        sentences.append(Sentence(f"L{n} {where.strip()}", text.strip(), context))
    return sentences, entries


def sentences_reading(sentences: list[Sentence], parser=current_parser) -> list[Entry]:
    """What the tool reads in each sentence, as reading entries (references inside the text unresolved)."""
    entries = []
    for s in sentences:
        for c in parser.parse_citations(s.text, parser.Context(*s.context)):
            identity = _identity(c, parser)
            if identity is None:
                continue
            kind, cited = identity
            entries.append(Entry("sentences", s.source, kind, cited, getattr(c, "pinpoint", "") or ""))
    return entries


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    matched: int = 0
    pinpoints_right: int = 0
    pinpoints: int = 0
    targets_right: int = 0
    targets: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def compare(expected: list[Entry], found: list[Entry]) -> tuple[dict[str, Score], list[Entry], list[Entry]]:
    """Per kind, how many the reader wrote, the tool found, and both; and what each alone has."""
    scores = {k: Score() for k in KINDS}
    key = lambda e: (e.file, e.where, e.kind, e.cited)  # noqa: E731
    want = Counter(key(e) for e in expected)
    got = Counter(key(e) for e in found)
    for e in expected:
        scores[e.kind].expected += 1
    for e in found:
        scores[e.kind].found += 1
    for k, n in (want & got).items():
        scores[k[2]].matched += n
    missed = [e for e in expected if (want - got)[key(e)] > 0]
    extra = [e for e in found if (got - want)[key(e)] > 0]
    # Pinpoints and targets of what both read, in order of occurrence.
    by_key: dict[tuple, list[Entry]] = {}
    for e in found:
        by_key.setdefault(key(e), []).append(e)
    for e in expected:
        mine = by_key.get(key(e))
        if not mine:
            continue
        f = mine.pop(0)
        s = scores[e.kind]
        if e.pinpoint:
            s.pinpoints += 1
            s.pinpoints_right += f.pinpoint == e.pinpoint
        if e.kind == "internal" and e.target:
            s.targets += 1
            s.targets_right += f.target == e.target
    return scores, missed, extra


def seed_texts() -> dict[str, str]:
    return {name: (SEEDS / name).read_text(encoding="utf-8") for name in CONTEXTS}
