"""Find and replace across a resolution, and a check of the citations in it.

The everyday case is updating every "(Rev. Dubai, 2018)" to "(Rev. Bucharest,
2022)". ITU texts mix ordinary and non-breaking spaces ("Resolution 71"), and
spacing after commas varies ("Busan,2014"), so white space in what is looked for
matches any run of white space, or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches

# Venues of ITU conferences and assemblies, for telling a real citation from a typo.
KNOWN_VENUES: dict[str, set[int]] = {
    "Geneva": {1989, 1992, 1993, 1996, 1997, 2000, 2003, 2007, 2012, 2013, 2014, 2015, 2019, 2022, 2023},
    "Kyoto": {1994},
    "Minneapolis": {1998},
    "Marrakesh": {2002},
    "Antalya": {2006},
    "Guadalajara": {2010},
    "Busan": {2014},
    "Dubai": {2012, 2014, 2018, 2023},
    "Bucharest": {2022},
    "Helsinki": {1993},
    "Montreal": {2000},
    "Florianópolis": {2004},
    "Johannesburg": {2008},
    "Hammamet": {2016},
    "New Delhi": {2024},
    "Buenos Aires": {1994, 2017},
    "Valletta": {1998},
    "Istanbul": {2002},
    "Doha": {2006},
    "Hyderabad": {2010},
    "Kigali": {2022},
    "Baku": {2025},
    "Sharm el-Sheikh": {2019},
}

_CITATION = re.compile(
    r"\((?P<rev>Rev\.[\s\u00a0]*)?(?P<place>[A-Z][^\W\d_]+(?:[\s\u00a0\-][A-Za-z][^\W\d_]*)*),[\s\u00a0]*(?P<year>\d{4})\)"
)


def pattern_for(find: str) -> re.Pattern[str]:
    """A pattern that finds ``find`` whatever the kind and amount of white space and the kind of hyphen."""

    def word(text: str) -> str:
        # A hyphen typed on a keyboard also finds ITU's non-breaking hyphen ("ITU‑T").
        return "".join("[-\u2010\u2011]" if ch in "-\u2010\u2011" else re.escape(ch) for ch in text)

    parts = [word(p) for p in re.split(r"[\s\u00a0]+", find.strip()) if p]
    return re.compile(r"[\s\u00a0]*".join(parts))


@dataclass
class Replacement:
    key: str
    before: str
    after: str
    count: int


def find_replace(texts: list[tuple[str, str]], find: str, replace: str) -> list[Replacement]:
    """For each (key, text) in which ``find`` occurs, the text with every occurrence replaced."""
    if not find.strip():
        return []
    pattern = pattern_for(find)
    result = []
    for key, text in texts:
        after, count = pattern.subn(lambda _m: replace, text)
        if count and after != text:
            result.append(Replacement(key, text, after, count))
    return result


@dataclass
class CitationWarning:
    key: str
    citation: str
    suggestion: str


def check_citations(
    texts: list[tuple[str, str]], extra_venues: dict[str, set[int]] | None = None
) -> list[CitationWarning]:
    """Citations such as "(Rev. Buchrest, 2022)" whose place and year match no known venue."""
    venues = {place: set(years) for place, years in KNOWN_VENUES.items()}
    for place, years in (extra_venues or {}).items():
        venues.setdefault(place, set()).update(years)
    warnings = []
    for key, text in texts:
        for m in _CITATION.finditer(text):
            place = re.sub(r"[\s\u00a0]+", " ", m.group("place"))
            year = int(m.group("year"))
            if place in venues and year in venues[place]:
                continue
            if place in venues:
                suggestion = f"{place} held no ITU meeting in {year} that the tool knows of"
            else:
                close = get_close_matches(place, venues, n=1, cutoff=0.75)
                if not close and not m.group("rev"):
                    continue  # "(Geneva, 2014)" style event citations of unknown places are not checked
                suggestion = f"did you mean {close[0]}?" if close else "no known venue of that name"
            warnings.append(CitationWarning(key, m.group(0), suggestion))
    return warnings
