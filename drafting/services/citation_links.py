"""Citations in any text a page shows, as links to the cited edition, resolved when the page is drawn.

The edition page links the citations stored for its clauses. Every other page shows
text that has no stored citations of its own (a proposal's draft, a consolidation's
results, the marks between two editions), so its citations are found when it is drawn,
by the same parser, and resolved against a snapshot of the library: every resolution
and edition as plain tuples, read once per state of the library (:func:`library_state`)
and shared by every page and request until an edition is imported or adopted. A page
costs one query (the state) however many citations it shows; the texts parsed are kept
with the snapshot, so a text is parsed once, not once per page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import get_language, gettext

from drafting.caching import Memo, library_state
from drafting.engine import citations as parser
from drafting.models import Conference, Edition, Resolution
from drafting.translation import say

from .citations.graph import Link

# Texts kept parsed, and kept linked per snapshot; past that they are dropped and done again as pages
# ask for them (a big conference's drafts hold a few thousand).
PARSED_TEXTS = 10_000

# What a text cites depends on the known meetings, not on the editions held: the parsed texts outlive
# a snapshot, so the first page after an import or an adoption only resolves its citations again.
_parsed: dict[tuple, list[parser.Citation]] = {}
_parsed_lock = threading.Lock()


def _parse(
    meetings: tuple, venues: parser.Venues, context: parser.Context, text: str
) -> list[parser.Citation]:
    key = (meetings, context, text)
    found = _parsed.get(key)
    if found is None:
        found = parser.parse_citations(text, context, venues)
        with _parsed_lock:
            if len(_parsed) >= PARSED_TEXTS:
                _parsed.clear()
            _parsed[key] = found
    return found


@dataclass
class _Edition:
    slug: str
    place: str
    year: int | None
    name: str


@dataclass
class _Resolution:
    body: str
    slug: str
    editions: list[_Edition]
    newest: _Edition | None


@dataclass
class LinkLibrary:
    """The library as plain values, to turn citations into links without a query each."""

    venues: parser.Venues
    resolutions: dict[tuple[str, str], _Resolution] = field(default_factory=dict)
    meetings: dict[int, parser.Context] = field(default_factory=dict)  # conference id -> "this Assembly"
    bodies: dict[int, str] = field(default_factory=dict)  # resolution id -> its body's code
    meetings_known: tuple = ()  # the meetings the venues were read from, as rows
    _linked: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load(cls) -> LinkLibrary:
        """Every resolution and edition, and the known meetings (3 queries)."""
        library = cls(venues=parser.Venues())
        meetings = tuple(Conference.objects.order_by("pk").values_list("pk", "body__code", "place", "year"))
        for pk, body, place, year in meetings:
            library.venues.add(body, place, year)
            library.meetings[pk] = parser.Context(body=body, place=place, year=year)
        library.meetings_known = meetings
        editions: dict[int, list[tuple]] = {}
        rows = Edition.objects.values_list(
            "resolution_id", "slug", "place", "year", "revision", "created_at", "pk"
        )
        for resolution_id, *edition in rows:
            editions.setdefault(resolution_id, []).append(tuple(edition))
        for pk, body, number, slug in Resolution.objects.values_list("pk", "body__code", "number", "slug"):
            mine = editions.get(pk, [])
            # The newest edition as the library orders them: by year (undated last), then creation.
            newest = max(mine, key=lambda e: (e[2] is not None, e[2] or 0, e[4], e[5]), default=None)
            resolution = _Resolution(
                body=body,
                slug=slug,
                editions=[_edition(e) for e in mine],
                newest=_edition(newest) if newest else None,
            )
            library.resolutions[parser.resolution_key(body, number)] = resolution
            library.bodies[pk] = body
        return library

    def _url(self, resolution: _Resolution, edition: _Edition) -> str:
        return reverse("edition_detail", args=[resolution.body.lower(), resolution.slug, edition.slug])

    def link(self, c: parser.Citation) -> Link | None:
        """Where one citation leads and what to say about it, as the edition page says it."""
        if not c.cites_library:
            return None  # a paragraph, a Recommendation or a UN document: nothing in the library to link to
        title = f"{c.body} Resolution {c.number}"
        resolution = self.resolutions.get(parser.resolution_key(c.body, c.number))
        cited = None
        if resolution is not None and c.year is not None:
            cited = next(
                (
                    e
                    for e in resolution.editions
                    if e.year == c.year and (not c.place or not e.place or e.place.lower() == c.place.lower())
                ),
                None,
            )
        target = cited or (resolution.newest if resolution else None)
        url = self._url(resolution, target) if target else ""
        note = ""
        newest = resolution.newest if resolution else None
        if c.problem in (parser.UNKNOWN_VENUE, parser.NO_SUCH_EDITION):
            note = say(c.message)
        elif c.year and newest and newest.year and c.year < newest.year:
            note = gettext("not the current edition: %(edition)s") % {"edition": newest.name}
        if not url:
            title += " " + gettext("(not in the library)")
        return Link(c.start, c.end, url, title, note)

    def links(self, text: str, context: parser.Context) -> list[Link]:
        """The citations of a text as links, in the order written (parsed once per text and context)."""
        # The links' titles and notes are words in the reader's language: kept per language.
        key = (context, text, get_language())
        found = self._linked.get(key)
        if found is None:
            cited = _parse(self.meetings_known, self.venues, context, text)
            found = [link for link in map(self.link, cited) if link is not None]
            with self._lock:
                if len(self._linked) >= PARSED_TEXTS:
                    self._linked.clear()
                self._linked[key] = found
        return found


def _edition(row: tuple) -> _Edition:
    slug, place, year, revision, _, _ = row
    name = revision or (f"{place}, {year}" if year else slug.replace("-", " ").capitalize())
    return _Edition(slug=slug, place=place, year=year, name=name)


libraries = Memo(2)  # the snapshot in use, and the one before it while its last pages finish


def current_library(state: str | None = None) -> LinkLibrary:
    """The snapshot of the library as it is now (``state``: as :func:`library_state` just said it is):
    one query, or none given the state, when the library is unchanged since the last page."""
    return libraries.get_or_build(state or library_state(), LinkLibrary.load)


@dataclass
class Citer:
    """What a page needs to link its citations: the library snapshot and what "this Assembly" means there."""

    library: LinkLibrary
    context: parser.Context

    def links(self, text: str) -> list[Link]:
        return self.library.links(text, self.context) if text else []

    @classmethod
    def for_meeting(cls, library: LinkLibrary, conference_id: int | None) -> Citer:
        """For a text going to a conference: "this Assembly" is that conference."""
        return cls(library, library.meetings.get(conference_id) or parser.Context())

    @classmethod
    def for_edition(cls, library: LinkLibrary, edition: Edition) -> Citer:
        """For an edition's own text: "this Assembly" is the meeting that adopted it."""
        body = library.bodies.get(edition.resolution_id, "")
        return cls(library, parser.Context(body=body, place=edition.place, year=edition.year))
