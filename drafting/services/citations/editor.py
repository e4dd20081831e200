"""The proposal editor's citation check: the clause being typed and the whole draft, read by the same
parser against the library's newest editions and known meetings, as of the library's state."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Subquery
from django.urls import reverse
from django.utils.translation import gettext

from drafting.caching import Memo, library_state
from drafting.engine import citations as parser
from drafting.engine.citation_updates import latest_successor
from drafting.engine.replace import check_citations
from drafting.models import Proposal, Resolution
from drafting.translation import say

from .graph import newest_edition_of
from .indexing import known_venues
from .un_successors import un_successors


def current_editions(keys: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, int, str, str]]:
    """For cited resolutions by key: their newest edition's place, year, name and URL (1 query)."""
    numbers = {number for _, number in keys}
    if not numbers:
        return {}
    candidates = numbers | {f"itu-r {n}" for n in numbers}
    newest = newest_edition_of("pk")
    rows = (
        Resolution.objects.filter(
            number__iregex=r"^(" + "|".join(_escape(n) for n in candidates) + r")(-\d+)?$"
        )
        .annotate(
            current_place=Subquery(newest.values("place")[:1]),
            current_year=Subquery(newest.values("year")[:1]),
            current_revision=Subquery(newest.values("revision")[:1]),
            current_slug=Subquery(newest.values("slug")[:1]),
        )
        .select_related("body")
    )
    result = {}
    for r in rows:
        key = parser.resolution_key(r.body.code, r.number)
        if key in keys and r.current_slug:
            url = reverse("edition_detail", args=[r.body.code.lower(), r.slug, r.current_slug])
            result[key] = (r.current_place, r.current_year, r.current_revision or r.current_slug, url)
    return result


# What the library answers, kept by its state (``library_state``): the meetings and the newest
# editions only change with an import, an adoption or a new conference, which move the state.
library_reads = Memo(64)


def library_venues(state: str) -> parser.Venues:
    """``known_venues`` as of this library state (read again only when it moves)."""
    return library_reads.get_or_build(("venues", state), known_venues)


def library_current(keys: frozenset, state: str) -> dict:
    """``current_editions`` of these resolutions as of this library state."""
    return library_reads.get_or_build(("current", state, keys), lambda: current_editions(keys))


def _escape(number: str) -> str:
    return re.escape(number)


def proposal_context(proposal: Proposal) -> parser.Context:
    """ "this Assembly" in a proposal means the conference it goes to."""
    conference = proposal.contribution.conference
    return parser.Context(body=conference.body.code, place=conference.place, year=conference.year)


@dataclass
class Checked:
    """A citation in the text being typed, with where it leads and what to say about it."""

    citation: parser.Citation
    url: str = ""
    note: str = ""


def editor_check(proposal: Proposal, text: str) -> tuple[list[Checked], list]:
    """The citations of a clause being typed, each resolved in the library, and the warnings about them."""
    state = library_state()
    venues = library_venues(state)
    context = proposal_context(proposal)
    found = [
        c
        for c in parser.parse_citations(text, context, venues)
        if c.kind in (parser.RESOLUTION, parser.UN_RESOLUTION, parser.RECOMMENDATION)
    ]
    current = library_current(
        frozenset(parser.resolution_key(c.body, c.number) for c in found if c.cites_library), state
    )
    successors = un_successors() if any(c.kind == parser.UN_RESOLUTION for c in found) else {}
    checked = []
    for c in found:
        newest = current.get(parser.resolution_key(c.body, c.number)) if c.cites_library else None
        note = ""
        replaced_by = latest_successor(c.number, successors) if c.kind == parser.UN_RESOLUTION else None
        if replaced_by:
            note = gettext("replaced by %(successor)s") % {"successor": replaced_by}
        elif c.problem:
            note = say(c.message)
        elif newest and c.year and newest[1] and c.year < newest[1]:
            note = gettext("not the current edition: %(edition)s") % {"edition": newest[2]}
        elif c.cites_library and newest is None:
            note = gettext("not in the library")
        checked.append(Checked(c, newest[3] if newest else "", note))
    warnings = check_citations(
        [("", text)],
        context=context,
        venues=venues,
        current={k: (v[0], v[1], v[2]) for k, v in current.items()},
    )
    return checked, warnings


def draft_warnings(texts: list[tuple[str, str]], proposal: Proposal | None = None) -> list:
    """The proposal editor's side panel: every citation of the draft to check, by the same parser and graph."""
    state = library_state()
    venues = library_venues(state)
    context = proposal_context(proposal) if proposal is not None else None
    keys = frozenset(
        parser.resolution_key(c.body, c.number)
        for _, text in texts
        for c in parser.parse_citations(text, context, venues)
        if c.cites_library
    )
    # Every build of a draft asks the same: read again only when the library changes.
    current = library_current(keys, state)
    return check_citations(
        texts, context=context, venues=venues, current={k: (v[0], v[1], v[2]) for k, v in current.items()}
    )
