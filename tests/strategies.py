"""Hypothesis strategies: random resolutions that the plain-text layout can express."""

from __future__ import annotations

from hypothesis import strategies as st

from drafting.engine import labels as lb
from drafting.engine.tree import ANNEX, ITEM, OPERATIVE, PART, PREAMBLE, Clause, Footnote, ResolutionText

PREAMBLE_HEADINGS = [
    "considering",
    "considering further",
    "recognizing",
    "recognizing further",
    "taking into account",
    "noting",
    "noting further",
    "recalling",
    "bearing in mind",
    "emphasizing",
]
OPERATIVE_HEADINGS = [
    "resolves",
    "instructs the Director of the Telecommunication Standardization Bureau",
    "instructs the Secretary-General",
    "invites Member States",
    "invites Member States, Sector Members, Associates and academia",
    "requests the Secretary-General",
    "calls upon Member States",
    "encourages all stakeholders",
    "further instructs the Director of the Telecommunication Development Bureau",
]

# Words that cannot start a paragraph: they would read as a label or a heading.
_WORDS = st.sampled_from(
    "the ITU role of in and to WSIS outcomes Agenda Sustainable Development Resolution (Rev. Busan, 2014) "
    "Council working group membership information society digital divide § 35 a)-e) ICTs 2030 Member States".split()
)
_FIRST = st.sampled_from(["the", "that", "to", "ITU", "Resolution", "UNGA", "in", "a", "all", "its"])
_END = st.sampled_from([";", ",", ".", ":", ""])


@st.composite
def sentence(draw) -> str:
    words = [draw(_FIRST)] + draw(st.lists(_WORDS, min_size=1, max_size=14))
    return " ".join(words) + draw(_END)


class _Numbering:
    """Footnotes are numbered 1, 2, ... through the whole document, in reading order."""

    def __init__(self):
        self.n = 0


@st.composite
def text_with_footnote(draw, numbering: _Numbering) -> tuple[str, list[Footnote]]:
    text = draw(sentence())
    if draw(st.integers(0, 9)) == 0:
        numbering.n += 1
        words = text.split(" ")
        at = draw(st.integers(1, len(words)))
        words[at - 1] += f"[^{numbering.n}]"
        return " ".join(words), [Footnote(numbering.n, draw(sentence()))]
    return text, []


@st.composite
def item_list(
    draw, kind: str, depth: int, used: set[str], numbering: _Numbering, parent_label: str = ""
) -> list[Clause]:
    items = []
    count = draw(st.integers(1, 4 if depth > 1 else 6))
    for n in range(1, count + 1):
        item = Clause(kind=ITEM, label=lb.make_label(kind, n))
        item.text, item.footnotes = draw(text_with_footnote(numbering))
        if depth < 3:
            item.children = draw(children_of(item, depth + 1, used | {kind}, numbering))
        items.append(item)
    return items


@st.composite
def children_of(draw, item: Clause, depth: int, used: set[str], numbering: _Numbering) -> list[Clause]:
    if draw(st.integers(0, 3)) != 0:
        return []
    kinds = [k for k in (lb.ROMAN, lb.ALPHA, lb.DASH, lb.BULLET) if k not in used]
    # After "h)" a nested list starting "i)" cannot be told from the item "i)": the layout cannot express it.
    if lb.ROMAN in kinds and item.label == "h)":
        kinds.remove(lb.ROMAN)
    if not kinds:
        return []
    children = []
    for _ in range(draw(st.integers(1, 2))):
        if depth == 2 and draw(st.booleans()):
            # Unlabelled paragraphs continue a top-level item.
            paragraph = Clause(kind=ITEM)
            paragraph.text, paragraph.footnotes = draw(text_with_footnote(numbering))
            children.append(paragraph)
        else:
            kind = draw(st.sampled_from(kinds))
            if children and children[-1].label:
                continue  # a list right after a list would read as nested in it, or as its continuation
            children.extend(draw(item_list(kind, depth, used, numbering, item.label)))
    return children


@st.composite
def part(draw, numbering: _Numbering) -> Clause:
    role = draw(st.sampled_from([PREAMBLE, OPERATIVE]))
    heading = draw(st.sampled_from(PREAMBLE_HEADINGS if role == PREAMBLE else OPERATIVE_HEADINGS))
    clause = Clause(kind=PART, heading=heading, role=role)
    for _ in range(draw(st.integers(0, 1))):
        paragraph = Clause(kind=ITEM)
        paragraph.text, paragraph.footnotes = draw(text_with_footnote(numbering))
        clause.children.append(paragraph)
    if not clause.children or draw(st.booleans()):
        kind = lb.ALPHA if role == PREAMBLE else lb.NUMBER
        clause.children.extend(draw(item_list(kind, 1, {kind}, numbering)))
    return clause


@st.composite
def annex(draw, numbering: _Numbering, n: int) -> Clause:
    clause = Clause(kind=ANNEX, heading="ANNEX" if n == 1 else f"ANNEX {n}")
    clause.text = draw(
        st.sampled_from(
            ["Terms of Reference", "List of action lines", "Council CWG-WSIS&SDG Terms of Reference"]
        )
    )
    clause.children = draw(item_list(lb.ALPHA, 1, {lb.ALPHA}, numbering))
    return clause


@st.composite
def resolutions(draw) -> ResolutionText:
    numbering = _Numbering()
    number = draw(st.sampled_from(["75", "ITU-R 61-3", "1332", "", "30"]))
    place, year = draw(
        st.sampled_from([("Hammamet", 2016), ("Geneva", 2022), ("New Delhi", 2024), ("Busan", 2014)])
    )
    resolution = ResolutionText(
        number=number,
        revision=(f"Rev. {place}, {year}" if number and draw(st.booleans()) else f"{place}, {year}")
        if number
        else "",
        title=draw(
            st.sampled_from(
                ["The ITU role in WSIS", "Role of the ITU Telecommunication Development Sector in WSIS"]
            )
        ),
        history=draw(st.sampled_from(["", f"(Johannesburg, 2008; {place}, {year})"])),
        enacting_formula=draw(
            st.sampled_from(
                [f"The World Telecommunication Standardization Assembly ({place}, {year}),", "The Council,"]
            )
        ),
    )
    resolution.clauses = [draw(part(numbering)) for _ in range(draw(st.integers(1, 6)))]
    resolution.clauses += [draw(annex(numbering, n)) for n in range(1, draw(st.integers(0, 2)) + 1)]
    return resolution
