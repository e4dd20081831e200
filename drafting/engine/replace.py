"""Find and replace across a resolution, and a check of the citations in it.

The everyday case is updating every "(Rev. Dubai, 2018)" to "(Rev. Bucharest,
2022)". ITU texts mix ordinary and non-breaking spaces ("Resolution 71"), and
spacing after commas varies ("Busan,2014"), so white space in what is looked for
matches any run of white space, or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import citations
from .said import gettext_noop


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
    """A citation to look at: ``citation`` as written, what is wrong, and what it should read if known."""

    key: str
    citation: str
    suggestion: str
    start: int = 0
    end: int = 0
    replacement: str = ""  # the edition as it should read: "Rev. Bucharest, 2022"
    outdated: bool = False  # a real edition, but the library has a newer one


def check_citations(
    texts: list[tuple[str, str]],
    extra_venues: dict[str, set[int]] | None = None,
    *,
    context: citations.Context | None = None,
    venues: citations.Venues | None = None,
    current: dict[tuple[str, str], tuple[str, int, str]] | None = None,
) -> list[CitationWarning]:
    """Citations to check, by the one citation parser: misspelt venues ("Buchrest"), editions
    that never were, editions run together, and (given ``current``, the library's newest edition of
    each resolution by :func:`citations.resolution_key`: place, year, name) editions that are out of date.
    """
    venues = venues or citations.Venues()
    for place, years in (extra_venues or {}).items():
        for year in years:
            venues.add(citations.ANY_BODY, place, year)
    warnings = []
    for key, text in texts:
        spans = []
        for c in citations.parse_citations(text, context, venues):
            if c.edition_start is not None:
                spans.append((c.edition_start, c.edition_end))
            written = text[c.edition_start : c.edition_end] if c.edition_start is not None else c.text
            if c.problem in (citations.UNKNOWN_VENUE, citations.NO_SUCH_EDITION, citations.GLUED_EDITIONS):
                if c.shared and any(w.key == key and w.start == c.edition_start for w in warnings):
                    continue  # one warning for "Resolutions 101, 102 and 133 (Rev. Buchrest, 2022)"
                warnings.append(
                    CitationWarning(
                        key,
                        written,
                        c.message,
                        c.edition_start or c.start,
                        c.edition_end or c.end,
                        c.suggestion,
                    )
                )
            elif current and c.cites_library and c.year is not None:
                newest = current.get(citations.resolution_key(c.body, c.number))
                if newest and newest[1] and c.year < newest[1]:
                    warnings.append(
                        CitationWarning(
                            key,
                            c.text,
                            gettext_noop(
                                "the current edition of %(resolution)s is %(edition)s",
                                resolution=gettext_noop(
                                    "%(body)s Resolution %(number)s", body=c.body, number=c.number
                                ),
                                edition=newest[2],
                            ),
                            c.start,
                            c.end,
                            f"Rev. {newest[0]}, {newest[1]}",
                            outdated=True,
                        )
                    )
        for start, end, written, message in citations.stray_editions(text, venues):
            if not any(s <= start < e for s, e in spans):
                warnings.append(CitationWarning(key, written, message, start, end))
    return warnings
