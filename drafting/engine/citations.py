"""Finding the citations in a clause's text: which resolution, Recommendation or UN document, which edition.

ITU texts cite each other in many shapes: "Resolution 71 (Rev. Busan, 2014) of
the Plenipotentiary Conference", "PP Resolution 140", "Resolutions 101, 102 and
133 (Rev. Dubai, 2018)", "Council 2016 Resolution 1332", "Resolution ITU-R 61-3",
"Recommendation ITU-T X.1205", "UNGA Resolution A/70/125", "§§ 35 a)–e) of the
Tunis Agenda". The body a citation means is read from what is written around the
number, else from the edition (Busan 2014 can only be a Plenipotentiary
Conference), else from the text the citation is in (:class:`Context`).

The venue table tells a real edition from a typo ("Buchrest") or an edition that
never was ("Plenipotentiary Conference, Dubai, 2014"). The seeds that lost their
revision marks glue deleted and inserted editions together ("Dubai, 2018Buchrest,
2022"): the last one written is taken and the citation is flagged.

Offsets are those of the text as given: normalising no-break spaces and hyphens
maps one character to one character.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from difflib import get_close_matches

PP = "PP"
WTSA = "WTSA"
WTDC = "WTDC"
RA = "RA"
COUNCIL = "Council"
UNGA = "UNGA"
ITU_T = "ITU-T"
ITU_R = "ITU-R"

RESOLUTION = "resolution"
RECOMMENDATION = "recommendation"
UN_RESOLUTION = "un-resolution"
PARAGRAPH = "paragraph"

# Problems a citation can have, for people and for the stale-citation report.
UNKNOWN_VENUE = "unknown-venue"  # "Buchrest": no ITU meeting was ever held at a place of that name
NO_SUCH_EDITION = "no-such-edition"  # "PP, Dubai, 2014": that body did not meet there that year
GLUED_EDITIONS = "glued-editions"  # "Dubai, 2018Bucharest, 2022": revision marks lost
UNKNOWN_BODY = "unknown-body"  # nothing says whose resolution it is

# Where and when each body met, so an edition can be checked and its body inferred.
# Council meets every year, mostly in Geneva; its resolutions are cited by session year.
VENUES: dict[str, dict[int, str]] = {
    PP: {
        1989: "Nice",
        1992: "Geneva",
        1994: "Kyoto",
        1998: "Minneapolis",
        2002: "Marrakesh",
        2006: "Antalya",
        2010: "Guadalajara",
        2014: "Busan",
        2018: "Dubai",
        2022: "Bucharest",
        2026: "Doha",
    },
    WTSA: {
        1993: "Helsinki",
        1996: "Geneva",
        2000: "Montreal",
        2004: "Florianópolis",
        2008: "Johannesburg",
        2012: "Dubai",
        2016: "Hammamet",
        2022: "Geneva",
        2024: "New Delhi",
    },
    WTDC: {
        1994: "Buenos Aires",
        1998: "Valletta",
        2002: "Istanbul",
        2006: "Doha",
        2010: "Hyderabad",
        2014: "Dubai",
        2017: "Buenos Aires",
        2022: "Kigali",
        2025: "Baku",
    },
    RA: {
        1993: "Geneva",
        1995: "Geneva",
        1997: "Geneva",
        2000: "Istanbul",
        2003: "Geneva",
        2007: "Geneva",
        2012: "Geneva",
        2015: "Geneva",
        2019: "Sharm el-Sheikh",
        2023: "Dubai",
    },
    COUNCIL: {year: "Geneva" for year in range(1990, 2031)},
}

ANY_BODY = "*"  # a meeting known only by place and year

BODY_NAMES = {
    PP: "Plenipotentiary Conference",
    WTSA: "World Telecommunication Standardization Assembly",
    WTDC: "World Telecommunication Development Conference",
    RA: "Radiocommunication Assembly",
    COUNCIL: "Council",
    UNGA: "United Nations General Assembly",
}

# Hyphens, spaces and the look-alike Cyrillic A of the seeds, mapped one to one so offsets hold.
_SAME_LENGTH = str.maketrans(
    {
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2011": "-",
        "\u2010": "-",
        "\u0410": "A",  # Cyrillic capital A in "А/70/125"
        "\u2019": "'",
    }
)


def normalise(text: str) -> str:
    """The text with no-break spaces as spaces and ITU's hyphens as hyphens; same length, same offsets."""
    return _normalised(text) if len(text) <= 4096 else text.translate(_SAME_LENGTH)


@functools.lru_cache(maxsize=8192)
def _normalised(text: str) -> str:
    # Kept per clause-sized text: every build of a draft checks the same clauses again, and
    # str.translate with a table is slow.
    return text.translate(_SAME_LENGTH)


def _fold(place: str) -> str:
    """A place name compared without case, accents or spacing: "BUENOS AIRES" = "Buenos Aires"."""
    decomposed = unicodedata.normalize("NFKD", place)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s\-]+", " ", plain).strip().lower()


@dataclass(frozen=True)
class Context:
    """What "this Assembly", "this Conference" and unqualified citations mean in the citing text."""

    body: str = ""
    place: str = ""
    year: int | None = None


@dataclass
class Venues:
    """The known meetings: body -> year -> place, with any the library adds."""

    meetings: dict[str, dict[int, str]] = field(
        default_factory=lambda: {b: dict(y) for b, y in VENUES.items()}
    )

    _places: dict[str, str] | None = field(default=None, repr=False)
    _signature: tuple | None = field(default=None, repr=False)

    def add(self, body: str, place: str, year: int) -> None:
        self.meetings.setdefault(body, {})[year] = place
        self._places = None
        self._signature = None

    def signature(self) -> tuple:
        """Every meeting, as a value: two tables with the same meetings parse a text the same."""
        if self._signature is None:
            self._signature = tuple(
                sorted((body, tuple(sorted(years.items()))) for body, years in self.meetings.items())
            )
        return self._signature

    def places(self) -> dict[str, str]:
        """Folded name -> name as printed, for every known place (computed once)."""
        if self._places is None:
            self._places = {_fold(p): p for years in self.meetings.values() for p in years.values()}
        return self._places

    def bodies_at(self, place: str, year: int) -> list[str]:
        folded = _fold(place)
        return [
            b
            for b, years in self.meetings.items()
            if b not in (COUNCIL, ANY_BODY) and year in years and _fold(years[year]) == folded
        ]

    def held(self, body: str, place: str, year: int) -> bool:
        met = self.meetings.get(body, {}).get(year)
        return met is not None and (not place or _fold(met) == _fold(place))

    def held_anywhere(self, place: str, year: int) -> bool:
        """Whether any meeting the tool knows of, of any body, took place there that year."""
        return any(self.held(b, place, year) for b in self.meetings)

    def canonical(self, place: str) -> str | None:
        return self.places().get(_fold(place))


@dataclass(frozen=True)
class Citation:
    """One thing cited, where it is in the text, and what is wrong with it if anything.

    ``edition_start``/``edition_end`` span the edition's parenthesis ("(Rev. Busan,
    2014)"), shared by every number of "Resolutions 101, 102 and 133 (Rev. Dubai,
    2018)" (``shared``), so an update can rewrite exactly that.
    """

    kind: str
    body: str
    number: str
    text: str
    start: int
    end: int
    place: str = ""
    year: int | None = None
    revised: bool = False
    edition_start: int | None = None
    edition_end: int | None = None
    shared: bool = False
    document: str = ""
    problem: str = ""
    message: str = ""
    suggestion: str = ""  # the edition as it should read, "Rev. Bucharest, 2022", when the tool knows

    @property
    def edition(self) -> str:
        if self.year is None:
            return ""
        where = f"{self.place}, {self.year}" if self.place else str(self.year)
        return f"Rev. {where}" if self.revised else where

    @property
    def cites_library(self) -> bool:
        """Whether the citation names something the library can hold: an ITU resolution."""
        return self.kind == RESOLUTION and self.body not in ("", UNGA)

    def describe(self) -> str:
        """ "PP Resolution 140 (Rev. Bucharest, 2022)"."""
        if self.kind == PARAGRAPH:
            return f"§ {self.number}" + (f" of the {self.document}" if self.document else "")
        if self.kind == RECOMMENDATION:
            return f"Recommendation {self.body} {self.number}".replace("  ", " ")
        name = f"{self.body} Resolution {self.number}".strip()
        return f"{name} ({self.edition})" if self.edition else name


def un_document(number: str) -> str | None:
    """A UN General Assembly document's symbol as the library keeps it: "70/125", "A/70/125" and
    "A/RES/70/125" are "A/RES/70/125"; a draft ("A/78/L.49") stays as it is. None if it is no symbol."""
    number = normalise(number).strip()
    if not re.fullmatch(_UN_NUMBER, number):
        return None
    if "L." in number:
        return number
    return "A/RES/" + re.sub(r"^A/(?:RES/)?", "", number)


def resolution_key(body: str, number: str) -> tuple[str, str]:
    """The key a cited resolution and a library resolution share: RA's "ITU-R 61-3" is RA "61"."""
    number = normalise(number).strip()
    if body == RA:
        number = re.sub(r"^ITU-R\s*", "", number, flags=re.IGNORECASE)
        number = re.sub(r"-\d+$", "", number)
    return body, number.lower()


# --- the patterns -------------------------------------------------------------------------

_BODY_BEFORE = re.compile(
    r"(?P<q>United Nations General Assembly(?: \(UNGA\))?|UN General Assembly|General Assembly|UNGA"
    r"|Plenipotentiary(?: Conference)?|PP|WTSA|WTDC|RA|WRC|ITU Council|Council|ITU-[RT])"
    r"(?:[- ](?P<qyear>\d{2}|\d{4}))?(?: session)?\s+$"
)
_KEYWORD = re.compile(r"\b(?P<kw>Resolutions?|Recommendations?|Res\.)(?=\s)", re.IGNORECASE)
_SECTOR = re.compile(r"\s*(?P<sector>ITU-[RT])(?=\s)")
_UN_NUMBER = r"A/(?:RES/)?\d{2}/(?:L\.)?\d+|\d{2}/\d{1,3}"
_REC_NUMBER = r"[A-Z]{1,3}\.\d+(?:\.\d+)?(?:-\d+)?"
_RES_NUMBER = r"\d{1,4}(?:-\d{1,2})?[A-Z]?"
_ANY_NUMBER = rf"(?:{_UN_NUMBER}|{_REC_NUMBER}|{_RES_NUMBER})"
_NUMBERS = re.compile(
    rf"\s+(?P<list>{_ANY_NUMBER}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){_ANY_NUMBER})*)(?![\w/]|\.\d)"
)
_ONE_NUMBER = re.compile(_ANY_NUMBER)
_EDITION = re.compile(r"\s*\((?P<inner>[^()]{1,90})\)")
_REV = re.compile(r"^\s*(?P<rev>Rev\.|Revised|Modified|Mod\.)\s*", re.IGNORECASE)
_PLACE_YEAR = re.compile(
    r"(?P<place>[^\W\d_][^\W\d_'.]*(?:[ \-'][^\W\d_][^\W\d_'.]*)*)?[\s,]*(?P<year>(?:19|20)\d{2})"
)
_BODY_AFTER = re.compile(
    r"\s*,?\s*(?:of|adopted by|approved by|by)\s+(?:the\s+)?(?P<q>this Assembly|this Conference|this conference"
    r"|Plenipotentiary Conference|Plenipotentiary|World Telecommunication Standardization Assembly"
    r"|World Telecommunication Development Conference|Radiocommunication Assembly|ITU Council|Council"
    r"|UN General Assembly|United Nations General Assembly|General Assembly|UNGA)"
)
_PARAGRAPH = re.compile(
    r"(?P<sign>§§?)\s*(?P<ref>\d+(?:\s*[a-z]\))?(?:\s*(?:[-–]|to|and)\s*(?:\d+)?\s*(?:[a-z]\))?)?)"
    r"(?:\s+of\s+(?:the\s+)?(?P<doc>[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|for|of|the|on|and))*))?"
)

_SECTOR_HINT = re.compile(r"\b(ITU-[DTR])\b(?![^.;]*[.;])")

_QUALIFIERS = {
    "united nations general assembly": UNGA,
    "united nations general assembly (unga)": UNGA,
    "un general assembly": UNGA,
    "general assembly": UNGA,
    "unga": UNGA,
    "plenipotentiary": PP,
    "plenipotentiary conference": PP,
    "pp": PP,
    "wtsa": WTSA,
    "world telecommunication standardization assembly": WTSA,
    "wtdc": WTDC,
    "world telecommunication development conference": WTDC,
    "ra": RA,
    "radiocommunication assembly": RA,
    "council": COUNCIL,
    "itu council": COUNCIL,
    "itu-r": ITU_R,
    "itu-t": ITU_T,
    "wrc": "WRC",
}


def _qualifier(name: str, context: Context) -> str:
    name = name.lower()
    if name in ("this assembly", "this conference"):
        return context.body
    return _QUALIFIERS.get(name, "")


@dataclass
class _Edition:
    start: int
    end: int
    revised: bool
    pairs: list[tuple[str, int]]
    year_only: bool


def _edition_at(text: str, pos: int) -> _Edition | None:
    m = _EDITION.match(text, pos)
    if not m:
        return None
    inner = m.group("inner")
    rev = _REV.match(inner)
    rest = inner[rev.end() :] if rev else inner
    pairs: list[tuple[str, int]] = []
    consumed = 0
    for pm in _PLACE_YEAR.finditer(rest):
        if rest[consumed : pm.start()].strip(" ,;"):
            return None  # words that are no edition: "(Geneva, 2014) and endorsed", "(WSIS)"
        place = (pm.group("place") or "").strip()
        pairs.append((place, int(pm.group("year"))))
        consumed = pm.end()
    if not pairs or rest[consumed:].strip(" ,;"):
        return None
    # "Geneva, 20122015": the second year reuses the place written before it.
    filled, last_place = [], ""
    for place, year in pairs:
        filled.append((place or last_place, year))
        last_place = place or last_place
    return _Edition(
        start=m.start() + len(m.group(0)) - len(m.group(0).lstrip()),
        end=m.end(),
        revised=bool(rev),
        pairs=filled,
        year_only=not any(p for p, _ in filled),
    )


@dataclass
class _Group:
    """One keyword and the numbers after it, as written: "PP Resolutions 101, 102 and 133 (Rev. Dubai, 2018)"."""

    keyword: re.Match
    sector: re.Match | None
    numbers: list[tuple[str, int, int]]  # each number as normalised, and where it is
    before: re.Match | None  # a qualifier before the keyword ("PP", "Council 2016")
    qualifier: str
    qualifier_year: int | None
    edition: _Edition | None
    after: re.Match | None  # "of the Plenipotentiary Conference", "of this Assembly"
    trailing: str
    is_rec: bool

    @property
    def end(self) -> int:
        return self.edition.end if self.edition else self.numbers[-1][2]

    @property
    def resolutions_only(self) -> bool:
        """Whether every number is an ITU resolution's: only such groups are chained or rewritten."""
        return (
            not self.is_rec
            and UNGA not in (self.qualifier, self.trailing)
            and all(re.fullmatch(_RES_NUMBER, n) for n, _, _ in self.numbers)
        )


# "Resolutions 101 and 178 (Rev. Dubai, 2018) and Resolution 140 (Rev. Bucharest, 2022) of the
# Plenipotentiary Conference": resolution lists joined so share the words before and after them.
_CONNECTOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def _scan(norm: str, context: Context) -> list[_Group]:
    groups = []
    for kw in _KEYWORD.finditer(norm):
        keyword = kw.group("kw").lower()
        pos = kw.end()
        sector = _SECTOR.match(norm, pos)
        if sector:
            pos = sector.end()
        numbers = _NUMBERS.match(norm, pos)
        if not numbers:
            continue
        before = _BODY_BEFORE.search(norm[max(0, kw.start() - 60) : kw.start()])
        qualifier_year = None
        if before and before.group("qyear"):
            y = int(before.group("qyear"))
            qualifier_year = y if y > 1900 else 2000 + y
        edition = _edition_at(norm, numbers.end())
        after = _BODY_AFTER.match(norm, edition.end if edition else numbers.end())
        list_start = numbers.start("list")
        groups.append(
            _Group(
                keyword=kw,
                sector=sector,
                numbers=[
                    (m.group(0), list_start + m.start(), list_start + m.end())
                    for m in _ONE_NUMBER.finditer(numbers.group("list"))
                ],
                before=before,
                qualifier=_qualifier(before.group("q"), context) if before else "",
                qualifier_year=qualifier_year,
                edition=edition,
                after=after,
                trailing=_qualifier(after.group("q"), context) if after else "",
                is_rec=keyword.startswith("recommendation"),
            )
        )
    return groups


def _chains(norm: str, groups: list[_Group]) -> list[list[_Group]]:
    """Groups joined by "and" or a comma, each but the last with its own edition and no words of its own after."""
    chains: list[list[_Group]] = []
    for g in groups:
        if chains:
            prev = chains[-1][-1]
            if (
                prev.resolutions_only
                and g.resolutions_only
                and prev.edition is not None
                and prev.after is None
                and g.before is None
                and prev.end <= g.keyword.start()
                and _CONNECTOR.fullmatch(norm, prev.end, g.keyword.start())
            ):
                chains[-1].append(g)
                continue
        chains.append([g])
    return chains


def _fits(body: str, edition: _Edition | None, venues: Venues) -> bool:
    """Whether the body met where and when this edition says: only then do joined lists share the body.

    Never the Council: it meets in Geneva every year, so an edition says nothing of whether it is its.
    """
    if not body or body == COUNCIL or edition is None or body not in venues.meetings:
        return False
    place, year = edition.pairs[-1]
    return venues.held(body, venues.canonical(place) or place, year)


@dataclass(frozen=True)
class ListGroup:
    """One "Resolutions 101 and 178 (Rev. Dubai, 2018)" of a :class:`CitedList`, with where its parts are."""

    keyword_start: int
    keyword_end: int
    numbers: tuple[tuple[int, int], ...]  # where each number is written
    edition_start: int | None
    edition_end: int | None
    citations: tuple[Citation, ...]

    @property
    def end(self) -> int:
        return self.edition_end if self.edition_end is not None else self.numbers[-1][1]


@dataclass(frozen=True)
class CitedList:
    """Resolutions cited together: one list sharing an edition, or lists joined by "and" sharing the words
    around them ("Resolutions 101 and 178 (Rev. Dubai, 2018) and Resolution 140 (Rev. Bucharest, 2022) of
    the Plenipotentiary Conference"). A single citation is a list of one."""

    groups: tuple[ListGroup, ...]

    @property
    def start(self) -> int:
        return self.groups[0].keyword_start

    @property
    def end(self) -> int:
        return self.groups[-1].end

    @property
    def citations(self) -> list[Citation]:
        return [c for g in self.groups for c in g.citations]


# Parsed texts, by text, context and meetings: a page's citations are read on every build of a
# draft (the editor's check, the links), and almost every clause is the same text as last time.
_PARSED: OrderedDict[tuple, tuple[tuple[Citation, ...], tuple[CitedList, ...]]] = OrderedDict()
_PARSED_LOCK = threading.Lock()
PARSED_KEPT = 8192
_DEFAULT_VENUES = Venues()


def clear_parsed() -> None:
    with _PARSED_LOCK:
        _PARSED.clear()


def _parse(
    text: str, context: Context | None, venues: Venues | None
) -> tuple[list[Citation], list[CitedList]]:
    """Every citation and cited list of a text (the results are immutable: kept and shared)."""
    context = context or Context()
    venues = venues or _DEFAULT_VENUES
    key = (text, context, venues.signature())
    with _PARSED_LOCK:
        kept = _PARSED.get(key)
        if kept is not None:
            _PARSED.move_to_end(key)
    if kept is None:
        found, lists = _parse_text(text, context, venues)
        kept = (tuple(found), tuple(lists))
        with _PARSED_LOCK:
            _PARSED[key] = kept
            while len(_PARSED) > PARSED_KEPT:
                _PARSED.popitem(last=False)
    return list(kept[0]), list(kept[1])


def _parse_text(text: str, context: Context, venues: Venues) -> tuple[list[Citation], list[CitedList]]:
    norm = normalise(text)
    found: list[Citation] = []
    lists: list[CitedList] = []
    for chain in _chains(norm, _scan(norm, context)):
        first, last = chain[0], chain[-1]
        list_groups = []
        for g in chain:
            qualifier, trailing = g.qualifier, g.trailing
            # Words before the first list or after the last are the whole chain's, where the body met then.
            if g is not first and not qualifier and _fits(first.qualifier, g.edition, venues):
                qualifier = first.qualifier
            if g is not last and not trailing and _fits(last.trailing, g.edition, venues):
                trailing = last.trailing
            cited = []
            for i, (number, n_start, n_end) in enumerate(g.numbers):
                citation = _one(
                    text=text,
                    number=number,
                    start=(g.keyword.start() - len(g.before.group(0)) if g.before else g.keyword.start())
                    if i == 0
                    else n_start,
                    end=g.end if i == len(g.numbers) - 1 else n_end,
                    is_rec=g.is_rec,
                    sector=g.sector.group("sector") if g.sector else "",
                    qualifier=qualifier,
                    qualifier_year=g.qualifier_year,
                    trailing=trailing,
                    this_meeting=bool(g.after and g.after.group("q").lower().startswith("this ")),
                    edition=g.edition,
                    shared=len(g.numbers) > 1,
                    context=context,
                    venues=venues,
                )
                if citation is not None:
                    cited.append(citation)
            found.extend(cited)
            if (
                g.resolutions_only
                and len(cited) == len(g.numbers)
                and all(c.kind == RESOLUTION for c in cited)
            ):
                list_groups.append(
                    ListGroup(
                        keyword_start=g.keyword.start(),
                        keyword_end=g.keyword.end(),
                        numbers=tuple((s, e) for _, s, e in g.numbers),
                        edition_start=g.edition.start if g.edition else None,
                        edition_end=g.edition.end if g.edition else None,
                        citations=tuple(cited),
                    )
                )
            elif list_groups:  # a group that is no list of resolutions breaks the chain
                lists.append(CitedList(tuple(list_groups)))
                list_groups = []
        if list_groups:
            lists.append(CitedList(tuple(list_groups)))
    for pm in _PARAGRAPH.finditer(norm):
        doc = (pm.group("doc") or "").strip()
        doc = re.sub(r"(?:\s+(?:for|of|the|on|and))+$", "", doc)
        found.append(
            Citation(
                kind=PARAGRAPH,
                body="",
                number=re.sub(r"\s+", " ", pm.group("ref")).strip(),
                text=text[pm.start() : pm.end()],
                start=pm.start(),
                end=pm.end(),
                document=doc,
            )
        )
    found.sort(key=lambda c: c.start)
    return found, lists


def parse_citations(
    text: str, context: Context | None = None, venues: Venues | None = None
) -> list[Citation]:
    """Every citation in a clause's text, in the order written."""
    return _parse(text, context, venues)[0]


def cited_lists(text: str, context: Context | None = None, venues: Venues | None = None) -> list[CitedList]:
    """The ITU resolutions a text cites, as the lists they are written in, for rewriting their editions."""
    return _parse(text, context, venues)[1]


def _one(
    *,
    text: str,
    number: str,
    start: int,
    end: int,
    is_rec: bool,
    sector: str,
    qualifier: str,
    qualifier_year: int | None,
    trailing: str,
    this_meeting: bool,
    edition: _Edition | None,
    shared: bool,
    context: Context,
    venues: Venues,
) -> Citation | None:
    written = text[start:end]
    if is_rec:
        body = sector or (qualifier if qualifier in (ITU_T, ITU_R) else "")
        if not re.fullmatch(_REC_NUMBER, number):
            return None
        return Citation(RECOMMENDATION, body, number, written, start, end)
    if re.fullmatch(_UN_NUMBER, number) or qualifier == UNGA or trailing == UNGA:
        canonical = un_document(number)
        if canonical is None:
            return None
        return Citation(UN_RESOLUTION, UNGA, canonical, written, start, end)
    if re.fullmatch(_REC_NUMBER, number):
        return None  # a Recommendation number after "Resolution": not a citation we understand
    if sector == ITU_R or qualifier == ITU_R:
        body = RA
        number = f"ITU-R {number}"
    else:
        body = qualifier or trailing
    if body == "WRC":
        body = ""

    place, year, revised = "", None, False
    problem = message = suggestion = ""
    edition_start = edition_end = None
    if edition is not None:
        place, year = edition.pairs[-1]
        revised = edition.revised
        edition_start, edition_end = edition.start, edition.end
    elif qualifier_year is not None and body:
        # "Council 2016 Resolution 1332", "PP-14 Resolution 140": the meeting names the edition.
        year = qualifier_year
        place = "" if body == COUNCIL else venues.meetings.get(body, {}).get(year, "")
    elif this_meeting and context.year:
        place, year = context.place, context.year  # "Resolution 8 of this Conference"

    if (
        not body
        and not place
        and year is None
        and int(re.match(r"\d+", re.sub(r"^ITU-R ", "", number)).group()) >= 1000
    ):
        body = COUNCIL  # Council resolutions are numbered from 1000 on
    if place and year is not None:
        known = venues.canonical(place)
        if known is None:
            close = get_close_matches(_fold(place), list(venues.places()), n=1, cutoff=0.75)
            if close:
                known_place = venues.places()[close[0]]
                problem, message = UNKNOWN_VENUE, f"did you mean {known_place}?"
                guess_bodies = [body] if body else venues.bodies_at(known_place, year)
                if len(guess_bodies) == 1 and venues.held(guess_bodies[0], known_place, year):
                    body = body or guess_bodies[0]
                    suggestion = _edition_text(revised, known_place, year)
            else:
                problem, message = UNKNOWN_VENUE, f"no ITU meeting is known at {place}"
        else:
            place = known
            if not body:
                at = venues.bodies_at(place, year)
                if len(at) == 1:
                    body = at[0]
            if (
                body
                and body in venues.meetings
                and not venues.held(body, place, year)
                and not venues.held(ANY_BODY, place, year)
            ):
                met = venues.meetings[body].get(year)
                same_place = sorted(y for y, p in venues.meetings[body].items() if _fold(p) == _fold(place))
                problem = NO_SUCH_EDITION
                if met:
                    message = f"the {BODY_NAMES.get(body, body)} of {year} met in {met}, not {place}"
                    suggestion = _edition_text(revised, met, year)
                elif same_place:
                    message = (
                        f"the {BODY_NAMES.get(body, body)} met in {place} in "
                        f"{', '.join(map(str, same_place))}, not in {year}"
                    )
                    if len(same_place) == 1:
                        suggestion = _edition_text(revised, place, same_place[0])
                else:
                    message = f"the {BODY_NAMES.get(body, body)} did not meet in {year}"
            elif not body and not venues.held_anywhere(place, year):
                years = sorted(
                    y
                    for years in venues.meetings.values()
                    for y, p in years.items()
                    if _fold(p) == _fold(place)
                )
                problem = NO_SUCH_EDITION
                message = f"{place} held no ITU meeting in {year} that the tool knows of (it did in {', '.join(map(str, sorted(set(years))))})"
    if edition is not None and len(edition.pairs) > 1 and not problem:
        problem = GLUED_EDITIONS
        message = "several editions run together: revision marks lost? The last one is taken"
    if not body and year is None:
        # "the ITU-D Action Plan, and in particular Resolution 30": the Sector named just before.
        hint = _SECTOR_HINT.findall(normalise(text[max(0, start - 80) : start]))
        if hint:
            body = {"ITU-D": WTDC, "ITU-T": WTSA, "ITU-R": RA}[hint[-1]]
    if not body:
        # Unqualified: the citing text's own body; Council texts cite the Plenipotentiary's resolutions so.
        body = PP if context.body == COUNCIL else context.body
        if not body:
            problem = problem or UNKNOWN_BODY
            message = message or "whose resolution this is is not said"
    return Citation(
        kind=RESOLUTION,
        body=body,
        number=number,
        text=written,
        start=start,
        end=end,
        place=place,
        year=year,
        revised=revised,
        edition_start=edition_start,
        edition_end=edition_end,
        shared=shared,
        problem=problem,
        message=message,
        suggestion=suggestion,
    )


def _edition_text(revised: bool, place: str, year: int) -> str:
    return f"{'Rev. ' if revised else ''}{place}, {year}"


def rewrite_edition(text: str, citation: Citation, place: str, year: int) -> str:
    """The text with this citation's edition changed to ``place, year``, keeping how it was written.

    "(Rev.\u00a0Dubai, 2018)" becomes "(Rev.\u00a0Bucharest, 2022)": the "Rev." and its space stay.
    A citation written without an edition gets one after its number.
    """
    if citation.edition_start is None:
        return f"{text[: citation.end]} (Rev. {place}, {year}){text[citation.end :]}"
    inner = text[citation.edition_start + 1 : citation.edition_end - 1]
    rev = _REV.match(normalise(inner))
    prefix = inner[: rev.end()] if rev else ""
    return f"{text[: citation.edition_start]}({prefix}{place}, {year}){text[citation.edition_end :]}"


def stray_editions(text: str, venues: Venues | None = None) -> list[tuple[int, int, str, str]]:
    """ "(Rev. Buchrest, 2022)" that no resolution number precedes: (start, end, as written, message).

    The editor checks these too: a revision line or an edition cited on its own.
    """
    venues = venues or Venues()
    norm = normalise(text)
    result = []
    for m in re.finditer(
        r"\((?P<rev>Rev\.\s*)?(?P<place>[A-Z][^\W\d_]+(?:[ \-][A-Za-z][^\W\d_]*)*),\s*(?P<year>\d{4})\)", norm
    ):
        place, year = m.group("place"), int(m.group("year"))
        known = venues.canonical(place)
        if known is not None:
            if not m.group("rev") or venues.held_anywhere(known, year):
                continue  # "(Geneva, 2014)" without "Rev." may be any event held there
            result.append(
                (
                    m.start(),
                    m.end(),
                    text[m.start() : m.end()],
                    f"{known} held no ITU meeting in {year} that the tool knows of",
                )
            )
            continue
        close = get_close_matches(_fold(place), list(venues.places()), n=1, cutoff=0.75)
        if not close and not m.group("rev"):
            continue  # "(Tunis, 2005)": an event, not an ITU edition
        message = f"did you mean {venues.places()[close[0]]}?" if close else "no known venue of that name"
        result.append((m.start(), m.end(), text[m.start() : m.end()], message))
    return result


def with_context(citation: Citation, **changes) -> Citation:
    return replace(citation, **changes)
