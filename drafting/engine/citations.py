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

from .said import gettext_noop

PP = "PP"
WTSA = "WTSA"
WTDC = "WTDC"
RA = "RA"
COUNCIL = "Council"
WRC = "WRC"  # a World Radiocommunication Conference: its resolutions are ITU resolutions too
WTPF = "WTPF"  # the World Telecommunication/ICT Policy Forum, which adopts opinions
UNGA = "UNGA"
ECOSOC = "ECOSOC"
UNSC = "UNSC"  # the UN Security Council: "Security Council resolution 1325 (2000)"
HRC = "HRC"  # the UN Human Rights Council: "Human Rights Council resolution 20/8"
_UN_BODIES = (UNGA, ECOSOC, UNSC, HRC)
ITU_T = "ITU-T"
ITU_R = "ITU-R"

RESOLUTION = "resolution"
RECOMMENDATION = "recommendation"
UN_RESOLUTION = "un-resolution"
WSIS = "wsis"  # an outcome document of the World Summit on the Information Society: "the Tunis Agenda"
INTERNAL = (
    "internal"  # a reference inside the citing text: "resolves 1 and 2 above", "Annex 2 to this resolution"
)
PARAGRAPH = (
    "paragraph"  # paragraphs of an outside text the tool does not know: "§ 5 of the Busan Declaration"
)
# The Union's basic instruments and other treaties, by name: "Article 1 of the Constitution", "the Radio Regulations",
# "the Tampere Convention". The library cannot hold them: they are read, listed and left as text.
TREATY = "treaty"
DECISION = "decision"  # "Decision 5 (Rev. Dubai, 2018)", "Council Decision 482 (modified 2019)"
OPINION = "opinion"  # "Opinion 1 of the World Telecommunication/ICT Policy Forum (Geneva, 2013)"

# Problems a citation can have, for people and for the stale-citation report.
UNKNOWN_VENUE = "unknown-venue"  # "Buchrest": no ITU meeting was ever held at a place of that name
NO_SUCH_EDITION = "no-such-edition"  # "PP, Dubai, 2014": that body did not meet there that year
GLUED_EDITIONS = "glued-editions"  # "Dubai, 2018Bucharest, 2022": revision marks lost
UNKNOWN_BODY = "unknown-body"  # nothing says whose resolution it is
NO_SUCH_ITEM = (
    "no-such-item"  # "resolves 5 above" in a text with no resolves 5 (set when the text is indexed)
)

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
    WRC: {
        1992: "Malaga-Torremolinos",
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
    WTPF: {1996: "Geneva", 1998: "Geneva", 2001: "Geneva", 2009: "Lisbon", 2013: "Geneva", 2021: "Geneva"},
}

ANY_BODY = "*"  # a meeting known only by place and year

# Marked for the catalogue: a citation's note names the body in the reader's language.
BODY_NAMES = {
    PP: gettext_noop("Plenipotentiary Conference"),
    WTSA: gettext_noop("World Telecommunication Standardization Assembly"),
    WTDC: gettext_noop("World Telecommunication Development Conference"),
    RA: gettext_noop("Radiocommunication Assembly"),
    COUNCIL: gettext_noop("Council"),
    WRC: gettext_noop("World Radiocommunication Conference"),
    WTPF: gettext_noop("World Telecommunication/ICT Policy Forum"),
    UNGA: gettext_noop("United Nations General Assembly"),
}

# Meetings that have no resolutions of their own in the library's sense, and are left out when an edition
# names only a place and a year ("(Geneva, 2015)" is RA-15 to a reader, though WRC-15 met there too).
_NOT_BY_PLACE = (COUNCIL, ANY_BODY, WRC, WTPF)

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
            if b not in _NOT_BY_PLACE and year in years and _fold(years[year]) == folded
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
    # Where in the cited text: "§§ 69-71", "resolves 2", "Annex 1". For a reference inside the text
    # (kind INTERNAL), how it says so: "above", "below", "of this resolution", or "" when it does not.
    pinpoint: str = ""

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

    @property
    def part(self) -> str:
        """For a reference inside the text: the part, annex or paragraph it names ("resolves", "Annex")."""
        return self.document if self.kind == INTERNAL else ""

    def describe(self) -> str:
        """ "PP Resolution 140 (Rev. Bucharest, 2022)"."""
        if self.kind == PARAGRAPH:
            return f"§ {self.number}" + (f" of the {self.document}" if self.document else "")
        if self.kind == WSIS:
            return self.number
        if self.kind == INTERNAL:
            return f"{self.document} {self.number}".strip()
        if self.kind == RECOMMENDATION:
            return f"Recommendation {self.body} {self.number}".replace("  ", " ")
        if self.kind == TREATY:
            return self.document or self.number
        word = {DECISION: "Decision", OPINION: "Opinion"}.get(self.kind, "Resolution")
        name = f"{self.body} {word} {self.number}".strip()
        return f"{name} ({self.edition})" if self.edition else name


def un_document(number: str) -> str | None:
    """A UN document's symbol as the library keeps it: "70/125", "A/70/125" and "A/RES/70/125" are
    "A/RES/70/125"; a draft ("A/78/L.49") stays as it is; ECOSOC's "2006/46" is "E/RES/2006/46" (its
    resolutions are numbered by year). None if it is no symbol."""
    number = normalise(number).strip()
    if not re.fullmatch(_UN_NUMBER, number):
        return None
    if "L." in number:
        return number
    if re.fullmatch(r"(?:E/(?:RES/)?)?\d{4}/\d+", number):
        return "E/RES/" + re.sub(r"^E/(?:RES/)?", "", number)
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
    r"|Economic and Social Council(?: \(ECOSOC\))?|ECOSOC"
    r"|(?:United Nations |UN )?Security Council|(?:United Nations |UN )?Human Rights Council"
    r"|Plenipotentiary(?: Conference)?|PP|WTSA|WTDC|RA|WRC|WTPF|ITU Council|Council|ITU-[RT])"
    r"(?:[- ](?P<qyear>\d{2}|\d{4}))?(?: session)?\s+$"
)
_KEYWORD = re.compile(
    r"\b(?P<kw>Resolutions?|Recommendations?|Res\.|Decisions?|Opinions?)(?=\s)", re.IGNORECASE
)
_SECTOR = re.compile(r"\s*(?P<sector>ITU-[RT])(?=\s)")
_UN_NUMBER = r"A/(?:RES/)?\d{2}/(?:L\.)?\d+|E/(?:RES/)?\d{4}/\d{1,3}|(?:19|20)\d{2}/\d{1,3}|\d{2}/\d{1,3}"
# "Y.4000/Y.2060": one Recommendation with two numbers.
_REC_NUMBER = r"[A-Z]{1,3}\.\d+(?:\.\d+)?(?:-\d+)?(?:/[A-Z]{1,3}\.\d+(?:\.\d+)?)?"
_RES_NUMBER = r"\d{1,4}(?:-\d{1,2})?[A-Z]?"
_ANY_NUMBER = rf"(?:{_UN_NUMBER}|{_REC_NUMBER}|{_RES_NUMBER})"
# "Resolutions ITU-R 1-9 and ITU-R 2-9": the Sector may be written again before each number.
_NUMBERS = re.compile(
    rf"\s+(?P<list>{_ANY_NUMBER}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:ITU-[RT]\s+)?{_ANY_NUMBER})*)"
    r"(?![\w/]|\.\d)"
)
_ONE_NUMBER = re.compile(_ANY_NUMBER)
_EDITION = re.compile(r"\s*\((?P<inner>[^()]{1,90})\)")
_REV = re.compile(r"^\s*(?P<rev>Rev\.|Revised|Modified|Mod\.)\s*", re.IGNORECASE)
_PLACE_YEAR = re.compile(
    r"(?P<place>[^\W\d_][^\W\d_'.]*(?:[ \-'][^\W\d_][^\W\d_'.]*)*)?[\s,]*(?P<year>(?:19|20)\d{2})"
)
_BODY_AFTER = re.compile(
    r"\s*,?\s*(?:(?:first\s+)?adopted by|approved by|of|by)\s+(?:the\s+)?"
    r"(?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth)\s+)?"
    r"(?:ITU\s+)?(?P<q>(?i:this assembly|this conference|this forum)"
    r"|(?:United Nations |UN )?Security Council|(?:United Nations |UN )?Human Rights Council"
    r"|Plenipotentiary Conference|Plenipotentiary|World Telecommunication Standardization Assembly"
    r"|World Telecommunication Development Conference|Radiocommunication Assembly"
    r"|World Radiocommunication Conference|World Telecommunication/ICT Policy Forum"
    r"|Economic and Social Council|ITU Council|Council(?! of Europe)"
    r"|UN General Assembly|United Nations General Assembly|General Assembly|UNGA|ECOSOC"
    r"|(?:WTSA|WTDC|PP|RA|WRC|WTPF)\b)"
    r"(?:-(?P<ayear>\d{2})\b)?"  # "of WTSA-16"
)
# "Resolution 1332 adopted by the Council at its 2016 session", "adopted at the 2016 session of the Council":
# the Council revises its resolutions by session, so the session is the edition.
_COUNCIL_SESSION = re.compile(
    r"\s*,?\s*(?:(?:as\s+)?(?:adopted|approved|revised|modified)\s+(?P<by>by\s+(?:the\s+)?(?P<q>(?:ITU\s+)?Council)\s+)?"
    r"(?:at|in)|of)\s+(?:its|the)\s+(?P<year>(?:19|20)\d{2})\s+session"
    r"(?P<of>\s+of\s+(?:the\s+)?(?:ITU\s+)?Council)?"
)
# "of Council 2016", "of the Council at its 2016 session", "first adopted by the Council at its 2011 session and
# last modified at its 2019 session" (the last session named is the text cited).
_AT_SESSION = re.compile(
    r"(?:[\s-]+(?P<short>(?:19|20)\d{2})\b|\s+(?:at|in)\s+its\s+(?P<year>(?:19|20)\d{2})\s+session"
    r"(?P<later>\s+and\s+(?:(?:was\s+)?last\s+)?(?:modified|revised|amended)\s+(?:at|in)\s+its"
    r"(?P<years>(?:\s+(?:19|20)\d{2})+)\s+session)?)"
)
_CONTINUATION = re.compile(
    rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?P<list>{_RES_NUMBER}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){_RES_NUMBER})*)"
    r"(?![\w/]|\.\d)"
)
_PARAGRAPH = re.compile(
    r"(?P<sign>§§?)\s*(?P<ref>\d+(?:\s*[a-z]\))?(?:\s*(?:[-–]|to|and)\s*(?:\d+)?\s*(?:[a-z]\))?)?)"
    r"(?:\s+of\s+(?:the\s+)?(?P<doc>[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|for|of|the|on|and))*))?"
)

_SUFFIX = "bis|ter|quater|quinquies|sexies|septies|octies|novies|decies"
_SECTOR_HINT = re.compile(r"\b(ITU-[DTR])\b(?![^.;]*[.;])")

_QUALIFIERS = {
    "economic and social council": ECOSOC,
    "economic and social council (ecosoc)": ECOSOC,
    "ecosoc": ECOSOC,
    "world radiocommunication conference": WRC,
    "world telecommunication/ict policy forum": WTPF,
    "wtpf": WTPF,
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
    "wrc": WRC,
    "security council": UNSC,
    "un security council": UNSC,
    "united nations security council": UNSC,
    "human rights council": HRC,
    "un human rights council": HRC,
    "united nations human rights council": HRC,
}

# Resolutions of other organisations, named before the number or after it: no ITU resolution, whatever the
# citing text's body ("WHO resolution", "Resolution 12 of the Council of Europe").
_FOREIGN_BEFORE = re.compile(
    r"\b(?:WHO|WHA|UNESCO|IMO|ICAO|WMO|UPU|ILO|FAO|UNCTAD|UNDP|UNEP|UNICEF|UNHCR|OECD|APEC|CITEL|CEPT|APT|ATU|RCC"
    r"|ASMG|CTU|AU|EU|IEEE|ETSI|World Health Assembly|African Union|Council of Europe|European Parliament)"
    r"(?:[- ]\d{2,4})?\s+$"
)
_FOREIGN_AFTER = re.compile(
    r"\s*,?\s*(?:adopted by|of)\s+the\s+(?!International Telecommunication Union\b|ITU\b|Union\b)"
    r"(?:[A-Z][\w-]*\s+(?:of\s+)?){1,5}?(?:Assembly|Council|Conference|Organization|Organisation|Committee"
    r"|Board|Commission|Parliament|Union|Europe)\b"
)


def _qualifier(name: str, context: Context) -> str:
    name = name.lower()
    if name in ("this assembly", "this conference", "this forum"):
        return context.body
    return _QUALIFIERS.get(name, "")


@dataclass
class _Edition:
    start: int
    end: int
    revised: bool
    pairs: list[tuple[str, int]]
    year_only: bool
    body: str = ""  # "(Rev.WRC-15)": the meeting named in the edition

    @property
    def taken(self) -> tuple[str, int]:
        """The edition meant: of editions run together by lost marks, the newest (a proposal brings a
        citation up to date, whichever half the conversion wrote first); of equal years, the last."""
        return max(reversed(self.pairs), key=lambda pair: pair[1])


# An edition written as the meeting that adopted it: "(Rev.WRC-19)", "(WRC-15)", "(Rev. WTSA-16)"; the Council's
# sessions as "C09" or "C11, last amended C15" (the last session named is the text cited).
_MEETING_EDITION = re.compile(
    r"(?P<body>WRC|WTSA|WTDC|PP|RA|WTPF)-(?P<yy>\d{2})"
    r"|C(?P<council>\d{2})(?:\s*,\s*(?:last\s+)?(?:amended|modified|revised)\s+C(?P<last>\d{2}))?"
)


def meeting_year(body: str, written: int, venues: Venues | None = None) -> int:
    """The year a meeting named by its number met: "WTSA-20" met in 2022 (postponed), "PP-18" in 2018.

    A meeting is numbered by the year it was convened for; when it was put off, the next one the body
    held within two years is the one meant.
    """
    year = written if written > 100 else written + (1900 if written > 50 else 2000)
    met = (venues or _DEFAULT_VENUES).meetings.get(body, {})
    if not met or year in met:
        return year
    return next((later for later in (year + 1, year + 2) if later in met), year)


def _edition_at(text: str, pos: int, venues: Venues | None = None) -> _Edition | None:
    m = _EDITION.match(text, pos)
    if not m:
        return None
    inner = m.group("inner")
    rev = _REV.match(inner)
    rest = inner[rev.end() :] if rev else inner
    meeting = _MEETING_EDITION.fullmatch(rest.strip())
    if meeting:
        body = meeting.group("body") or COUNCIL
        yy = meeting.group("yy") or meeting.group("last") or meeting.group("council")
        year = meeting_year(body, int(yy), venues)
        # The Council's editions are its sessions, written without a place.
        place = "" if body == COUNCIL else (venues or _DEFAULT_VENUES).meetings.get(body, {}).get(year, "")
        return _Edition(
            start=m.start() + len(m.group(0)) - len(m.group(0).lstrip()),
            end=m.end(),
            revised=bool(rev),
            pairs=[(place, year)],
            year_only=not place,
            body=body,
        )
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
    """One keyword and the numbers after it, as written: "PP Resolutions 101, 102 and 133 (Rev. Dubai, 2018)".

    A list going on with numbers of another edition after the first one's ("Resolutions 47 and 48 (Rev.
    Dubai, 2012) and 49 and 75 (Rev. Hammamet, 2016)") makes a group per edition; the later ones have
    no keyword of their own (``kw_start == kw_end``, at their first number).
    """

    kw_start: int
    kw_end: int
    sector: re.Match | None
    numbers: list[tuple[str, int, int]]  # each number as normalised, and where it is
    before: re.Match | None  # a qualifier before the keyword ("PP", "Council 2016")
    qualifier: str
    qualifier_year: int | None
    edition: _Edition | None
    after: re.Match | None  # "of the Plenipotentiary Conference", "of this Assembly"
    trailing: str
    what: str  # RESOLUTION, RECOMMENDATION, DECISION or OPINION: what the keyword names
    session_year: int | None = None  # "adopted by the Council at its 2016 session"

    @property
    def is_rec(self) -> bool:
        return self.what == RECOMMENDATION

    @property
    def end(self) -> int:
        ends = [self.numbers[-1][2]]
        if self.edition is not None:
            ends.append(self.edition.end)
        return max(ends)

    @property
    def listable(self) -> bool:
        """Whether numbers after this group's edition may go on the list ("... (Rev. Dubai, 2012) and 69 (...)")."""
        return (
            self.what != RECOMMENDATION
            and UNGA not in (self.qualifier, self.trailing)
            and ECOSOC not in (self.qualifier, self.trailing)
            and all(re.fullmatch(_RES_NUMBER, n) for n, _, _ in self.numbers)
        )

    @property
    def resolutions_only(self) -> bool:
        """Whether every number is an ITU resolution's: only such groups are chained or rewritten."""
        return self.what == RESOLUTION and self.listable


# "Resolutions 101 and 178 (Rev. Dubai, 2018) and Resolution 140 (Rev. Bucharest, 2022) of the
# Plenipotentiary Conference": resolution lists joined so share the words before and after them.
_CONNECTOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def _after(
    norm: str, pos: int, context: Context, venues: Venues
) -> tuple[re.Match | None, str, int | None, _Edition | None]:
    """The body named after a citation ("of the Plenipotentiary Conference"), the Council's session or the
    meeting's year ("of WTSA-16"), and an edition written after the body ("of WTSA (Rev. Hammamet, 2016)")."""
    session = _COUNCIL_SESSION.match(norm, pos)
    if session and (session.group("by") or session.group("of")):
        return session, COUNCIL, int(session.group("year")), None
    after = _BODY_AFTER.match(norm, pos)
    if not after:
        return None, "", None, None
    trailing = _qualifier(after.group("q"), context)
    year = meeting_year(trailing, int(after.group("ayear")), venues) if after.group("ayear") else None
    if trailing == COUNCIL:
        at = _AT_SESSION.match(norm, after.end())
        if at:
            years = at.group("years")
            year = int(years.split()[-1] if years else at.group("year") or at.group("short"))
    return after, trailing, year, _edition_at(norm, after.end(), venues)


def _numbers_at(norm: str, m: re.Match) -> list[tuple[str, int, int]]:
    list_start = m.start("list")
    return [
        (n.group(0), list_start + n.start(), list_start + n.end())
        for n in _ONE_NUMBER.finditer(m.group("list"))
    ]


_WHAT = {"resolution": RESOLUTION, "res.": RESOLUTION, "recommendation": RECOMMENDATION}


def _scan(norm: str, context: Context, venues: Venues) -> list[_Group]:
    groups = []
    for kw in _KEYWORD.finditer(norm):
        keyword = kw.group("kw").lower().rstrip("s") if kw.group("kw") != "Res." else "res."
        what = {"decision": DECISION, "opinion": OPINION}.get(keyword, _WHAT.get(keyword, RESOLUTION))
        if what in (DECISION, OPINION) and not kw.group("kw")[0].isupper():
            continue  # "the decision 2 of them took", "opinions 3": the documents are written with a capital
        pos = kw.end()
        sector = _SECTOR.match(norm, pos)
        if sector:
            pos = sector.end()
        numbers = _NUMBERS.match(norm, pos)
        if not numbers:
            continue
        before = _BODY_BEFORE.search(norm[max(0, kw.start() - 60) : kw.start()])
        if before is None and _FOREIGN_BEFORE.search(norm[max(0, kw.start() - 60) : kw.start()]):
            continue
        qualifier = _qualifier(before.group("q"), context) if before else ""
        qualifier_year = None
        if before and before.group("qyear"):
            qualifier_year = meeting_year(qualifier, int(before.group("qyear")), venues)
        edition = _edition_at(norm, numbers.end(), venues)
        after, trailing, session_year, later_edition = _after(
            norm, edition.end if edition else numbers.end(), context, venues
        )
        if after is None and _FOREIGN_AFTER.match(norm, edition.end if edition else numbers.end()):
            continue  # "resolution 1325 (2000) of the UN Women Executive Board": another organisation's
        group = _Group(
            kw_start=kw.start(),
            kw_end=kw.end(),
            sector=sector,
            numbers=_numbers_at(norm, numbers),
            before=before,
            qualifier=qualifier,
            qualifier_year=qualifier_year,
            edition=edition or later_edition,
            after=after,
            trailing=trailing,
            what=what,
            session_year=session_year,
        )
        groups.append(group)
        # "Resolutions 47 and 48 (Rev. Dubai, 2012) and 49, 50 and 75 (Rev. Hammamet, 2016)": each number
        # takes the edition that follows it. Numbers after an edition are read only when an edition or the
        # body follows them in turn ("and 69 (Rev. Buenos Aires, 2017)"), never on their own.
        while group.edition is not None and group.after is None and group.listable:
            more = _CONTINUATION.match(norm, group.end)
            if not more:
                break
            edition = _edition_at(norm, more.end(), venues)
            after, trailing, session_year, later_edition = _after(
                norm, edition.end if edition else more.end(), context, venues
            )
            if edition is None and after is None:
                break
            first = more.start("list")
            group = _Group(
                kw_start=first,
                kw_end=first,
                sector=None,
                numbers=_numbers_at(norm, more),
                before=None,
                qualifier="",
                qualifier_year=None,
                edition=edition or later_edition,
                after=after,
                trailing=trailing,
                what=what,
                session_year=session_year,
            )
            groups.append(group)
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
                and prev.end <= g.kw_start
                and _CONNECTOR.fullmatch(norm, prev.end, g.kw_start)
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
    place, year = edition.taken
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
    for chain in _chains(norm, _scan(norm, context, venues)):
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
                    start=(g.kw_start - len(g.before.group(0)) if g.before else g.kw_start)
                    if i == 0
                    else n_start,
                    end=g.end if i == len(g.numbers) - 1 else n_end,
                    what=g.what,
                    sector=g.sector.group("sector") if g.sector else "",
                    qualifier=qualifier,
                    qualifier_year=g.qualifier_year or g.session_year,
                    trailing=trailing,
                    this_meeting=bool(g.after and (g.after.group("q") or "").lower().startswith("this ")),
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
                        keyword_start=g.kw_start,
                        keyword_end=g.kw_end,
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
    found = _documents_and_references(text, norm, found)
    found.sort(key=lambda c: c.start)
    return found, lists


# --- outside documents, paragraphs and references inside the text ------------------------------

# The outcome documents of the World Summit on the Information Society, by the names ITU texts give them:
# (pattern, short name kept as the number, full title).
_WSIS_DOCUMENTS = [
    (
        r"WSIS\+10 [Ss]tatement on (?:the )?[Ii]mplementation of (?:the )?WSIS [Oo]utcomes",
        "WSIS+10 Statement",
        "WSIS+10 Statement on the Implementation of WSIS Outcomes",
    ),
    (r"WSIS\+10 [Vv]ision for WSIS [Bb]eyond 2015", "WSIS+10 Vision", "WSIS+10 Vision for WSIS Beyond 2015"),
    (
        r"(?:Geneva |WSIS )?Declaration of Principles",
        "Geneva Declaration of Principles",
        "Geneva Declaration of Principles",
    ),
    (r"(?:Geneva|WSIS) (?:Plan of Action|Action Plan)", "Geneva Plan of Action", "Geneva Plan of Action"),
    (r"Tunis Commitment", "Tunis Commitment", "Tunis Commitment"),
    (
        r"Tunis Agenda(?: for the Information Society)?",
        "Tunis Agenda",
        "Tunis Agenda for the Information Society",
    ),
]
_WSIS = re.compile("|".join(f"(?P<w{i}>{p})" for i, (p, _, _) in enumerate(_WSIS_DOCUMENTS)))
# "the Geneva Declaration of Principles and Plan of Action": the Plan named after the Declaration is Geneva's.
_PLAN_AFTER_DECLARATION = re.compile(
    r"Declaration of Principles,?\s+and\s+(?:the\s+)?(?P<plan>Plan of Action)"
)

# The Union's basic instruments and Administrative Regulations, and other treaties named by title:
# (pattern, name kept as the number, full title). "Radio Regulations Board" is a board; "the constitution of a
# group" is no treaty (the instruments are written with a capital).
_TREATIES = [
    (
        r"(?:ITU\s+)?Constitution(?:\s+of\s+(?:the\s+)?(?:ITU|International Telecommunication Union))?(?:\s+\(CS\))?"
        r"(?!\s+of\s+(?:the\s+)?(?!Union\b)[A-Z])",
        "Constitution",
        "Constitution of the International Telecommunication Union",
    ),
    (
        r"(?:ITU\s+|International Telecommunication\s+)?Convention(?!\s+(?:on|for|of the Council)\s)"
        r"(?:\s+of\s+(?:the\s+)?(?:ITU|International Telecommunication Union))?(?:\s+\(CV\))?",
        "Convention",
        "Convention of the International Telecommunication Union",
    ),
    (r"Radio Regulations(?!\s+Board)(?:\s+\(RR\))?|(?<=the )RR\b", "Radio Regulations", "Radio Regulations"),
    (
        r"International Telecommunication Regulations(?:\s+\(ITRs?\))?|(?<=the )ITRs?\b",
        "International Telecommunication Regulations",
        "International Telecommunication Regulations",
    ),
    (
        r"General Rules(?: of [Cc]onferences, [Aa]ssemblies and [Mm]eetings of the Union)?",
        "General Rules",
        "General Rules of conferences, assemblies and meetings of the Union",
    ),
    (
        r"(?:United Nations |UN )?Framework Convention on Climate Change(?:\s+\(UNFCCC\))?|(?<=the )UNFCCC\b",
        "UNFCCC",
        "United Nations Framework Convention on Climate Change",
    ),
    (r"Paris Agreement", "Paris Agreement", "Paris Agreement"),
    (r"Kyoto Protocol", "Kyoto Protocol", "Kyoto Protocol"),
    (
        r"Optional Protocol on the Compulsory Settlement of Disputes(?: [Rr]elating to the Constitution of the "
        r"International Telecommunication Union, to the Convention of the International Telecommunication Union "
        r"and to the Administrative Regulations)?",
        "Optional Protocol",
        "Optional Protocol on the Compulsory Settlement of Disputes",
    ),
]
_TREATY = re.compile("|".join(f"(?P<t{i}>(?<![\\w-]){p})" for i, (p, _, _) in enumerate(_TREATIES)))
# Other conventions, by the name before "Convention" ("the Tampere Convention") or the title after it ("the
# United Nations Convention on the Rights of the Child"): the title's capitalised words and the small words
# between them.
_NAMED_CONVENTION = re.compile(
    r"(?:(?:United Nations|UN)\s+)?(?<!Framework )Convention\s+on\s+(?!Climate Change)(?:the\s+)?"
    r"(?P<title>[A-Z][\w'-]*(?:\s+(?:(?:of|the|for|and|with|on|to)\s+)*[A-Z][\w'-]*)*)"
    r"|(?P<name>(?!(?:The|ITU|Telecommunication|Nations|UN|Framework)\b)[A-Z][a-z]+)\s+Convention\b"
)
# The provision of a treaty cited: "Article 12 of", "No. 196 of", "Nos. 184 to 191 of", "Appendix 30B to".
_PROVISION_REF = r"\d{1,4}[A-Z]?(?:\.\d{1,4}[A-Z]?)*"
_PROVISION = re.compile(
    rf"(?P<pin>(?:Articles?|Nos?\.|Appendi(?:x|ces)|Annex(?:es)?|Resolutions?)\s+{_PROVISION_REF}"
    rf"(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+to\s+|\s*[-–]\s*){_PROVISION_REF})*)"
    r"\s+(?:of|to|in)\s+(?:the\s+)?$"
)

# UN resolutions written by their symbol alone.
_UN_SYMBOL = re.compile(
    r"(?<![\w/])(?:A/RES/\d{2}/\d{1,3}|A/\d{2}/L\.\d{1,3}|E/RES/\d{4}/\d{1,3}|A/HRC/RES/\d{1,2}/\d{1,3})(?![\w/])"
)

# UN General Assembly documents named by their title, not their symbol.
_UN_TITLES = [
    (
        r"[Oo]utcome [Dd]ocument of the (?:20\d\d )?(?:[Hh]igh-[Ll]evel [Mm]eeting of the )?"
        r"(?:UN |United Nations )?(?:General Assembly|UNGA)(?: \(UNGA\))? on the [Oo]verall [Rr]eview of the "
        r"[Ii]mplementation of (?:the )?(?:WSIS [Oo]utcomes|[Oo]utcomes of WSIS|[Oo]utcomes of the World Summit on the "
        r"Information Society(?: \(WSIS\))?)",
        "A/RES/70/125",
    ),
    (r"(?:United Nations )?Millennium Declaration", "A/RES/55/2"),
    (r"Universal Declaration of Human Rights", "A/RES/217(III)"),
]
_UN_TITLE = re.compile("|".join(f"(?P<u{i}>{p})" for i, (p, _) in enumerate(_UN_TITLES)))

# Paragraphs: "§ 109", "§§ 35 a)-e)", "§§ 69-71", "§§ 69 to 71", "§§ 27 and 50", "paragraphs 29-82".
_PARA_ONE = r"\d{1,3}(?:\s?[a-z]\))?(?:\s*(?:-|–|to)\s*(?:\d{1,3})?(?:\s?[a-z]\))?)?"
_PARAGRAPHS = re.compile(
    rf"(?P<sign>§§?|\b[Pp]aragraphs?|\b[Pp]aras?\.)\s*(?P<ref>{_PARA_ONE}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){_PARA_ONE})*)"
    r"(?![\w/])"
)
_PARA_NUMBER = re.compile(r"\d{1,3}(?:\s?[a-z]\))?")
_OF = re.compile(r"\s*,?\s+(?:of|in|to)\s+(?:the\s+)?")
_THAT_DOCUMENT = re.compile(r"(?:that|the same|the said) (?:[Rr]esolution|document|[Aa]genda)\b")
_OTHER_DOCUMENT = re.compile(r"[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|for|of|the|on|and))*")
_INTERNAL_MARKER = re.compile(
    r"\s*,?\s+(?P<m>above|below|hereunder|hereafter|(?:of|in|to) (?:this|the present) [Rr]esolution)\b"
)

# Parts of a resolution named in a reference: "resolves 1", "recognizing further a)", "requests the Council 3",
# "instructs the Director of the Telecommunication Standardization Bureau 2". Lower case, as ITU prints them.
_PREAMBLE_PARTS = (
    "considering|recognizing|recognising|noting|recalling|bearing in mind|keeping in mind|taking into account"
    "|emphasizing|emphasising|acknowledging|welcoming|observing|mindful|highlighting|affirming|reaffirming"
    "|stressing|realizing|aware|convinced|concerned|underlining|taking note|having regard|guided by"
    "|noting with (?:satisfaction|concern|appreciation)"
)
_OPERATIVE_PARTS = (
    "resolves|resolve|decides|decide|instructs|invites|requests|calls upon|urges|encourages|appeals to"
    "|endorses|approves|adopts|charges|recommends|asks|entrusts|declares|agrees|supports"
)
_ADDRESSEE_WORD = r"(?:the|of|and|for|all|its|their|in|with|to|ITU-[DRT]|[A-Z][\w&'’.-]*)"
_LABEL = (
    rf"(?:\d{{1,3}}(?:{_SUFFIX})?(?:\.\d{{1,3}}(?:{_SUFFIX})?)*(?:\s?[a-z]{{1,4}}\))?"
    rf"|[a-z]{{1,4}}(?:\s?(?:{_SUFFIX}))?\)(?:{_SUFFIX})?(?:\s?[ivx]{{1,5}}\))?)"  # "e) ix)": an item inside an item
)
_PART_REFERENCE = re.compile(
    rf"(?<![\w-])(?P<part>(?:further\s+)?(?:{_PREAMBLE_PARTS})(?:\s+(?:further|also|moreover))?"
    rf"|(?:further\s+)?(?:{_OPERATIVE_PARTS})(?:\s+(?:further|also))?(?:,?\s+{_ADDRESSEE_WORD}){{0,14}}?)"
    rf"\s+(?P<labels>{_LABEL}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+or\s+|\s+to\s+|\s*[-–]\s*){_LABEL})*)"
    r"(?![\w/]|\.\d)"
)
_ONE_LABEL = re.compile(_LABEL)
# What may follow a bare number naming an item ("resolves 2 above", "resolves 2 of Resolution 58", "resolves 2;"):
# "taking into account 17 Sustainable Development Goals", "noting 1 000 participants" name no item.
_AFTER_NUMBER_LABEL = re.compile(
    r"\s*(?:$|[,;.:)\]\u201d\"]|(?:above|below|hereunder|hereafter|of|and|or|in|to|as|which|that|shall|should"
    r"|is|are|was|were|be|has|have|with|for|by|also|on|under|where|when)\b)"
)
_PINPOINT_AFTER = re.compile(
    r"\s*,?\s*\(?\s*(?:(?:in particular|especially|notably|including|in|and|see|under)\s+)?(?:its\s+|their\s+)?"
)
# "resolves 2 and instructs the Secretary-General 1" after a citation: the second part is pinned in it too.
_PINPOINT_AND = re.compile(r"\s*(?:,\s*)?(?:(?:and|or)\s+)?(?:in\s+)?")
# A range of items: "resolves 1 to 3", "recognizing a)-c)".
_RANGE = re.compile(r"\s+to\s+|\s*[-–]\s*")
_ANNEX_NUMBER = r"(?:\d{1,2}|[A-Z])(?![\w-])"
_ANNEX = re.compile(
    r"(?<![\w-])(?P<word>Annex(?:es)?|ANNEX(?:ES)?|Appendix|Appendices|APPENDIX|Attachments?|annex(?:es)?|appendix)"
    rf"(?:\s+(?P<n>{_ANNEX_NUMBER}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+to\s+|\s*[-–]\s*){_ANNEX_NUMBER})*))?"
    r"(?![\w-])"
)
_ONE_ANNEX = re.compile(_ANNEX_NUMBER)
_ANNEX_WORD = {"annexes": "Annex", "appendices": "Appendix", "attachments": "Attachment"}
_THIS_RESOLUTION = re.compile(r"\b(?:this|the present) [Rr]esolution\b")
# "to this resolution", "to the present resolution" (whose "the" _OF would take).
_OF_THIS = re.compile(r"\s*,?\s+(?:of|in|to)\s+(?:this|the present)\s+[Rr]esolution\b")


def _un_body_of(symbol: str) -> str:
    if symbol.startswith("E/"):
        return ECOSOC
    if symbol.startswith("S/"):
        return UNSC
    return HRC if symbol.startswith("A/HRC/") else UNGA


def _cite(
    text: str, kind: str, start: int, end: int, *, number: str = "", document: str = "", pinpoint: str = ""
) -> Citation:
    return Citation(
        kind=kind,
        body=_un_body_of(number) if kind == UN_RESOLUTION else "",
        number=number,
        text=text[start:end],
        start=start,
        end=end,
        document=document,
        pinpoint=pinpoint,
    )


# Words a text must hold for a pattern to have anything to find: most clauses cite no treaty, no WSIS document
# and no annex, and a substring test costs far less than running the pattern over the clause.
_WSIS_HINTS = ("Tunis", "Declaration of Principles", "Plan of Action", "Action Plan", "WSIS+10")
_TREATY_HINTS = (
    "Constitution", "Convention", "Regulations", "RR", "ITR", "General Rules", "Protocol", "Agreement", "UNFCCC",
)  # fmt: skip
_ANNEX_HINTS = ("nnex", "NNEX", "ppendi", "PPENDI", "ttachment")


def _found(pattern: re.Pattern, norm: str, hints: tuple[str, ...]):
    """The pattern's matches in the text, none at all when the text holds none of the words it needs."""
    return pattern.finditer(norm) if any(h in norm for h in hints) else ()


_ABBREVIATION = re.compile(r"\s*\((?:[A-Z][\w&/-]*(?:-\d{2})?)\)")


def _past_body(norm: str, pos: int) -> int:
    """After a citation, past the body written after it: "Resolution 22 (Rev. Dubai, 2012) of WTSA|, resolves 2",
    "... of the World Telecommunication Development Conference (WTDC)|, in particular § 3"."""
    after = _BODY_AFTER.match(norm, pos)
    if after is None:
        return pos
    abbreviation = _ABBREVIATION.match(norm, after.end())
    return abbreviation.end() if abbreviation else after.end()


def _ranges(norm: str, labels: list[re.Match]) -> list[tuple[int, int, str]]:
    """The items a list of labels names, a range as one: "1, 3 to 5 and 7" -> 1, "3 to 5", 7 (start, end, number).

    A range is read as the range it is, so that renumbering rewrites its ends and it keeps naming what it named.
    """
    named: list[tuple[int, int, str]] = []
    range_open = False
    for lm in labels:
        label = re.sub(r"\s+", " ", lm.group(0))
        if named and range_open:
            start, _, first = named[-1]
            sep = " to " if "to" in norm[named[-1][1] : lm.start()] else "-"  # "–" is written "-"
            named[-1] = (start, lm.end(), f"{first}{sep}{label}")
        else:
            named.append((lm.start(), lm.end(), label))
        range_open = bool(_RANGE.match(norm, lm.end())) and not range_open
    return named


def _pinpoint(sign: str, ref: str) -> str:
    ref = re.sub(r"\s+", " ", ref).strip()
    several = bool(re.search(r",|\band\b|\bto\b|[-–]", ref))
    return ("§§ " if several else "§ ") + ref


def _documents_and_references(text: str, norm: str, found: list[Citation]) -> list[Citation]:
    """Add the WSIS documents, the UN documents named by title, the paragraphs of outside texts and the
    references inside the text to the resolutions already found; pinpoint those a paragraph or part names."""
    taken: list[tuple[int, int]] = [(c.start, c.end) for c in found]
    by_start = {c.start: i for i, c in enumerate(found)}

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    extra: list[Citation] = []
    # The WSIS outcome documents and the UN documents named by title.
    documents: dict[int, Citation] = {}
    for m in _found(_WSIS, norm, _WSIS_HINTS):
        i = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        _, short, full = _WSIS_DOCUMENTS[i]
        documents[m.start()] = _cite(text, WSIS, m.start(), m.end(), number=short, document=full)
    for m in _found(_PLAN_AFTER_DECLARATION, norm, ("Plan of Action",)):
        if m.start("plan") not in documents:
            documents[m.start("plan")] = _cite(
                text,
                WSIS,
                m.start("plan"),
                m.end("plan"),
                number="Geneva Plan of Action",
                document="Geneva Plan of Action",
            )
    for m in _found(_UN_TITLE, norm, ("utcome", "Declaration")):
        i = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        symbol = _UN_TITLES[i][1]
        # "UNGA Resolution A/70/125 "Outcome Document of ..."": the title of a symbol just cited is no
        # second citation.
        just_before = [
            c
            for c in found
            if c.kind == UN_RESOLUTION
            and c.number == symbol
            and re.fullmatch(r"[\s,:;\"“”'‘’]*(?:on\s+)?(?:the\s+)?", norm[c.end : m.start()])
        ]
        if not just_before:
            documents[m.start()] = _cite(text, UN_RESOLUTION, m.start(), m.end(), number=symbol)
    for m in _found(_UN_SYMBOL, norm, ("/RES/", "/L.")):
        # "(A/RES/70/125)": a symbol written without "Resolution" before it.
        symbol = un_document(m.group(0)) or m.group(0)
        documents[m.start()] = _cite(text, UN_RESOLUTION, m.start(), m.end(), number=symbol)
    for m in _found(_NAMED_CONVENTION, norm, ("Convention",)):
        if m.group("title"):
            title = re.sub(r"(?:\s+(?:of|the|for|and|with|on|to))+$", "", m.group("title"))
            name = f"Convention on {'the ' if norm[m.start('title') - 4 : m.start('title')] == 'the ' else ''}{title}"
            end = m.start("title") + len(title)
            start = (
                m.start()
                if not m.group(0).startswith(("United", "UN"))
                else m.start() + m.group(0).index("Convention")
            )
            documents[start] = _cite(text, TREATY, start, end, number=name, document=name)
        else:
            documents[m.start()] = _cite(
                text,
                TREATY,
                m.start(),
                m.end(),
                number=f"{m.group('name')} Convention",
                document=f"{m.group('name')} Convention",
            )
    for m in _found(_TREATY, norm, _TREATY_HINTS):
        if any(c.start <= m.start() < c.end for c in documents.values() if c.kind == TREATY):
            continue  # "Convention" of "the Tampere Convention": that one
        i = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        _, short, full = _TREATIES[i]
        start = m.start()
        pin = _PROVISION.search(norm, max(0, start - 80), start)
        pinpoint = ""
        if pin:
            start = pin.start()
            pinpoint = re.sub(r"\s+", " ", pin.group("pin"))
        documents[start] = _cite(text, TREATY, start, m.end(), number=short, document=full, pinpoint=pinpoint)
    for start in sorted(documents):
        c = documents[start]
        if free(c.start, c.end):
            extra.append(c)
            taken.append((c.start, c.end))
    extra_by_start = {c.start: c for c in extra}

    def document_at(pos: int) -> tuple[str, int] | None:
        """What a pinpoint at ``pos`` points into: a citation starting there (extra or found)."""
        if pos in extra_by_start:
            return ("extra", pos)
        for c in found:
            # "PP Resolution 140" starts at "PP"; "of Resolution 140" at "Resolution".
            if c.start == pos or (pos < c.end and c.start <= pos and not norm[c.start : pos].strip(" ")):
                return ("found", c.start)
        return None

    def previous(pos: int) -> Citation | None:
        before = [
            c
            for c in found + extra
            if c.end <= pos and c.kind in (RESOLUTION, UN_RESOLUTION, WSIS, TREATY, DECISION, OPINION)
        ]
        return max(before, key=lambda c: c.end) if before else None

    def located(c: Citation) -> tuple[str, int]:
        return ("extra", c.start) if extra_by_start.get(c.start) is c else ("found", c.start)

    def attach(where: tuple[str, int], pin: str) -> None:
        kind, start = where
        if kind == "extra":
            c = extra_by_start[start]
            new = replace(c, pinpoint=f"{c.pinpoint}, {pin}" if c.pinpoint else pin)
            extra[extra.index(c)] = new
            extra_by_start[start] = new
        else:
            i = by_start[start]
            c = found[i]
            found[i] = replace(c, pinpoint=f"{c.pinpoint}, {pin}" if c.pinpoint else pin)

    # Paragraphs, pinned to the document they are of.
    for m in _found(_PARAGRAPHS, norm, ("§", "aragraph", "ara.", "aras.")):
        if not free(m.start(), m.end()):
            continue
        pin = _pinpoint(m.group("sign"), m.group("ref"))
        of = _OF.match(norm, m.end())
        where = document_at(of.end()) if of else None
        if where is not None:
            attach(where, pin)
            taken.append((m.start(), m.end()))
            continue
        if of:
            that = _THAT_DOCUMENT.match(norm, of.end())
            if that:
                prior = previous(m.start())
                if prior is not None:
                    extra.append(
                        replace(
                            prior,
                            text=text[m.start() : that.end()],
                            start=m.start(),
                            end=that.end(),
                            pinpoint=pin,
                            edition_start=None,
                            edition_end=None,
                            shared=False,
                        )
                    )
                    taken.append((m.start(), that.end()))
                    continue
            annex = _ANNEX.match(norm, of.end())
            this = _OF_THIS.match(norm, annex.end()) if annex else None
            if annex and (this or not _OF.match(norm, annex.end())):
                # "§ 4 of the Annex to this resolution": a paragraph of this text's annex.
                end = this.end() if this else annex.end()
                extra.append(
                    _cite(
                        text,
                        INTERNAL,
                        m.start(),
                        end,
                        number=annex.group("n") or "",
                        document="Annex",
                        pinpoint=pin,
                    )
                )
                taken.append((m.start(), end))
                continue
            other = _OTHER_DOCUMENT.match(norm, of.end())
            if other and not _INTERNAL_MARKER.match(norm, m.end()):
                doc = re.sub(r"(?:\s+(?:for|of|the|on|and))+$", "", other.group(0).strip())
                extra.append(
                    _cite(
                        text,
                        PARAGRAPH,
                        m.start(),
                        other.end(),
                        number=re.sub(r"\s+", " ", m.group("ref")).strip(),
                        document=doc,
                    )
                )
                taken.append((m.start(), other.end()))
                continue
        # "the Tunis Agenda, in particular §§ 27 and 50", "the Tunis Agenda (§ 35)", "UNGA Resolution 70/125, in
        # particular §§ 55 and 65 thereof": the document just named.
        prior = previous(m.start())
        thereof = re.match(r"\s+thereof\b", norm[m.end() :])
        if (
            prior is not None
            and not _INTERNAL_MARKER.match(norm, m.end())
            and (
                thereof
                or re.fullmatch(
                    r"[\s,(]*(?:(?:in particular|especially|notably|including|and|see)\s+)?(?:in\s+)?",
                    norm[_past_body(norm, prior.end) : m.start()],
                )
            )
        ):
            attach(located(prior), pin)
            taken.append((m.start(), m.end() + (thereof.end() if thereof else 0)))
            continue
        if m.group("sign").startswith("§") or _INTERNAL_MARKER.match(norm, m.end()):
            marker = _INTERNAL_MARKER.match(norm, m.end())
            end = marker.end() if marker else m.end()
            numbers = list(_PARA_NUMBER.finditer(norm, m.start("ref"), m.end("ref")))
            for i, (start, stop, number) in enumerate(_ranges(norm, numbers)):
                extra.append(
                    replace(
                        _cite(
                            text, INTERNAL, m.start() if i == 0 else start, stop, number=number, document="§"
                        ),
                        pinpoint=marker.group("m") if marker else "",
                    )
                )
            taken.append((m.start(), end))

    # References to parts of a resolution: this one's ("resolves 1 and 2 above") or another's
    # ("resolves 2 of Resolution 58 (Rev. Busan, 2014)", a pinpoint of that citation).
    references: list[Citation] = []
    pinned: tuple[tuple[str, int], int] | None = None  # the citation a part was last pinned in, and where
    for m in _PART_REFERENCE.finditer(norm):
        if not free(m.start(), m.end()):
            continue
        if not m.group("labels").endswith(")") and not _AFTER_NUMBER_LABEL.match(norm, m.end()):
            continue  # a number in prose, not an item
        part = re.sub(r"\s+", " ", m.group("part")).strip().rstrip(",")
        labels = [lm for lm in _ONE_LABEL.finditer(norm, m.start("labels"), m.end("labels"))]
        of = _OF.match(norm, m.end())
        where = document_at(of.end()) if of and not _INTERNAL_MARKER.match(norm, m.end()) else None
        if where is None and not _INTERNAL_MARKER.match(norm, m.end()):
            # "Resolution 140 (Rev. Dubai, 2018), resolves 2", "Resolution 140, in its resolves 2": that one's.
            just_before = [
                c
                for c in found
                if c.kind in (RESOLUTION, UN_RESOLUTION)
                and c.end <= m.start()
                and _PINPOINT_AFTER.fullmatch(norm, _past_body(norm, c.end), m.start())
            ]
            if just_before:
                where = ("found", just_before[-1].start)
            elif pinned is not None and _PINPOINT_AND.fullmatch(norm, pinned[1], m.start()):
                where = pinned[0]  # "..., in particular resolves 2 and instructs the Secretary-General 1"
        if where is not None:
            attach(where, f"{part} {re.sub(r'\s+', ' ', m.group('labels'))}")
            taken.append((m.start(), m.end()))
            pinned = (where, m.end())
            continue
        if of and _THAT_DOCUMENT.match(norm, of.end()):
            continue  # "resolves 2 of that resolution": another text's, and which one is not sure
        marker = _INTERNAL_MARKER.match(norm, m.end())
        end = marker.end() if marker else m.end()
        named = _ranges(norm, labels)
        for start, stop, number in named:
            references.append(
                replace(
                    _cite(text, INTERNAL, start, stop, number=number, document=part),
                    pinpoint=marker.group("m") if marker else "",
                )
            )
        # The first label's citation spans the part's name, so it reads "resolves 1" as written.
        first = references[-len(named)]
        references[-len(named)] = replace(first, start=m.start(), text=text[m.start() : first.end])
        taken.append((m.start(), end))
    # "resolves 1 and instructs the Secretary-General 2 above": one "above" for both.
    for i in range(len(references) - 2, -1, -1):
        a, b = references[i], references[i + 1]
        if (
            not a.pinpoint
            and b.pinpoint
            and re.fullmatch(r"[\s,;]*(?:(?:and|or)\s+)?(?:[\w-]+\s+){0,14}?", norm[a.end : b.start] + " ")
        ):
            references[i] = replace(a, pinpoint=b.pinpoint)
    extra.extend(references)

    for m in _found(_ANNEX, norm, _ANNEX_HINTS):
        if not free(m.start(), m.end()):
            continue
        of = _OF.match(norm, m.end())
        this = _OF_THIS.match(norm, m.end())
        if of and not this:
            where = document_at(of.end())
            if where is not None:
                attach(where, " ".join([m.group("word").capitalize(), m.group("n") or ""]).strip())
                taken.append((m.start(), m.end()))
            continue  # "Annex 2 to Document 35", "Annex 1 to the Constitution": another text's
        prior = previous(m.start())
        if (
            not this
            and prior is not None
            and m.group("word")[0].isupper()
            and _PINPOINT_AFTER.fullmatch(norm, _past_body(norm, prior.end), m.start())
            and not _INTERNAL_MARKER.match(norm, m.end())
        ):
            # "Decision 5 (Rev. Dubai, 2018), Annex 1": an annex of the document just cited.
            attach(located(prior), re.sub(r"\s+", " ", m.group(0)).strip())
            taken.append((m.start(), m.end()))
            continue
        if m.group("word").isupper() and m.start() == 0 and m.end() == len(norm.rstrip()):
            continue  # a heading "ANNEX" on its own
        if m.group("word").islower() and not this:
            continue  # "an annex", "annexed": only "the annex to this resolution" is this text's
        marker = this or _INTERNAL_MARKER.match(norm, m.end())  # "to this resolution", "above"
        end = marker.end() if marker else m.end()
        word = _ANNEX_WORD.get(m.group("word").lower(), m.group("word").capitalize())
        pinpoint = re.sub(r"\s+", " ", norm[m.end() : end]).strip().lstrip(", ") if marker else ""
        # "Annexes 1 and 3 to this resolution": one reference per annex, each spanning its number (the first
        # its word too), so that renumbering rewrites each number where it is written.
        numbers = list(_ONE_ANNEX.finditer(norm, m.start("n"), m.end("n"))) if m.group("n") else []
        named = _ranges(norm, numbers) if numbers else [(m.start(), m.end(), "")]
        for i, (start, stop, number) in enumerate(named):
            extra.append(
                replace(
                    _cite(text, INTERNAL, m.start() if i == 0 else start, stop, number=number, document=word),
                    pinpoint=pinpoint,
                )
            )
        taken.append((m.start(), end))

    for m in _found(_THIS_RESOLUTION, norm, ("esolution",)):
        if free(m.start(), m.end()):
            extra.append(_cite(text, INTERNAL, m.start(), m.end(), document="this resolution"))
            taken.append((m.start(), m.end()))
    return found + extra


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
    what: str,
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
    if what == RECOMMENDATION:
        body = sector or (qualifier if qualifier in (ITU_T, ITU_R) else "")
        if not re.fullmatch(_REC_NUMBER, number):
            return None
        return Citation(RECOMMENDATION, body, number, written, start, end)
    un_body = next((b for b in (qualifier, trailing) if b in _UN_BODIES), "")
    if un_body == UNSC:
        # The Security Council's resolutions are numbered on, and cited with their year: "1325 (2000)".
        if what != RESOLUTION or not re.fullmatch(r"\d{1,4}", number):
            return None
        year = edition.taken[1] if edition is not None and edition.year_only else None
        symbol = f"S/RES/{number}" + (f" ({year})" if year else "")
        return Citation(UN_RESOLUTION, UNSC, symbol, written, start, end)
    if un_body == HRC:
        if what != RESOLUTION or not re.fullmatch(r"(?:A/HRC/RES/)?\d{1,2}/\d{1,3}", number):
            return None
        return Citation(
            UN_RESOLUTION, HRC, "A/HRC/RES/" + number.removeprefix("A/HRC/RES/"), written, start, end
        )
    if re.fullmatch(_UN_NUMBER, number) or un_body:
        if what != RESOLUTION:
            return None
        canonical = un_document(number)
        if canonical is None:
            return None
        if un_body == ECOSOC and canonical.startswith("A/"):
            return None  # ECOSOC's resolutions are numbered by year: "2006/46"
        return Citation(
            UN_RESOLUTION, ECOSOC if canonical.startswith("E/") else UNGA, canonical, written, start, end
        )
    if re.fullmatch(_REC_NUMBER, number):
        return None  # a Recommendation number after "Resolution": not a citation we understand
    if what == OPINION:
        body = WTPF  # only the Policy Forum gives opinions
    elif sector == ITU_R or qualifier == ITU_R:
        body = RA
        number = f"ITU-R {number}"
    else:
        body = qualifier or trailing or (edition.body if edition is not None else "")

    place, year, revised = "", None, False
    problem = message = suggestion = ""
    edition_start = edition_end = None
    if edition is not None:
        place, year = edition.taken
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
        and int(re.match(r"\d+", re.sub(r"^ITU-R ", "", number)).group())
        >= (100 if what == DECISION else 1000)
    ):
        body = COUNCIL  # Council resolutions are numbered from 1000 on, its decisions from some 400
    if place and year is not None:
        known = venues.canonical(place)
        if known is None:
            close = get_close_matches(_fold(place), list(venues.places()), n=1, cutoff=0.75)
            if close:
                known_place = venues.places()[close[0]]
                problem, message = UNKNOWN_VENUE, gettext_noop("did you mean %(place)s?", place=known_place)
                guess_bodies = [body] if body else venues.bodies_at(known_place, year)
                if len(guess_bodies) == 1 and venues.held(guess_bodies[0], known_place, year):
                    body = body or guess_bodies[0]
                    suggestion = _edition_text(revised, known_place, year)
            else:
                problem, message = (
                    UNKNOWN_VENUE,
                    gettext_noop("no ITU meeting is known at %(place)s", place=place),
                )
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
                    message = gettext_noop(
                        "the %(body)s of %(year)s met in %(met)s, not %(place)s",
                        body=BODY_NAMES.get(body, body),
                        year=year,
                        met=met,
                        place=place,
                    )
                    suggestion = _edition_text(revised, met, year)
                elif same_place:
                    message = gettext_noop(
                        "the %(body)s met in %(place)s in %(years)s, not in %(year)s",
                        body=BODY_NAMES.get(body, body),
                        place=place,
                        years=", ".join(map(str, same_place)),
                        year=year,
                    )
                    if len(same_place) == 1:
                        suggestion = _edition_text(revised, place, same_place[0])
                else:
                    message = gettext_noop(
                        "the %(body)s did not meet in %(year)s", body=BODY_NAMES.get(body, body), year=year
                    )
            elif not body and not venues.held_anywhere(place, year):
                years = sorted(
                    y
                    for years in venues.meetings.values()
                    for y, p in years.items()
                    if _fold(p) == _fold(place)
                )
                problem = NO_SUCH_EDITION
                message = gettext_noop(
                    "%(place)s held no ITU meeting in %(year)s that the tool knows of (it did in %(years)s)",
                    place=place,
                    year=year,
                    years=", ".join(map(str, sorted(set(years)))),
                )
    if edition is not None and len(edition.pairs) > 1 and not problem:
        problem = GLUED_EDITIONS
        message = gettext_noop("several editions run together: revision marks lost? The last one is taken")
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
            message = message or gettext_noop("whose resolution this is is not said")
    if body == RA and not number.startswith("ITU-R"):
        number = f"ITU-R {number}"  # "Resolution 9 of the Radiocommunication Assembly" is Resolution ITU-R 9
    return Citation(
        kind=what if what in (DECISION, OPINION) else RESOLUTION,
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
                    gettext_noop(
                        "%(place)s held no ITU meeting in %(year)s that the tool knows of",
                        place=known,
                        year=year,
                    ),
                )
            )
            continue
        close = get_close_matches(_fold(place), list(venues.places()), n=1, cutoff=0.75)
        if not close and not m.group("rev"):
            continue  # "(Tunis, 2005)": an event, not an ITU edition
        message = (
            gettext_noop("did you mean %(place)s?", place=venues.places()[close[0]])
            if close
            else gettext_noop("no known venue of that name")
        )
        result.append((m.start(), m.end(), text[m.start() : m.end()], message))
    return result


def with_context(citation: Citation, **changes) -> Citation:
    return replace(citation, **changes)
