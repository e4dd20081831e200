"""What cites what: an edition's citations and the current texts citing it, and citations as links."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext

from drafting.engine import citations as parser
from drafting.models import Citation, Edition


def newest_edition_of(resolution_ref: str):
    """The newest edition of the resolution named by an outer column, as a subquery (undated editions last)."""
    return Edition.objects.filter(resolution_id=OuterRef(resolution_ref)).order_by(
        F("year").desc(nulls_last=True), "-created_at", "-pk"
    )


def with_current(citations):
    """Citations annotated with the cited resolution's newest edition: its id, slug, name and year (one query)."""
    newest = newest_edition_of("cited_resolution_id")
    return citations.annotate(
        current_id=Subquery(newest.values("pk")[:1]),
        current_slug=Subquery(newest.values("slug")[:1]),
        current_revision=Subquery(newest.values("revision")[:1]),
        current_year=Subquery(newest.values("year")[:1]),
    )


def incurrent_texts(citations):
    """Only citations in the newest edition of the resolution that makes them: what the library says now."""
    return citations.annotate(
        citing_current=Subquery(newest_edition_of("resolution_id").values("pk")[:1])
    ).filter(edition_id=F("citing_current"))


@dataclass
class EditionCitations:
    cites: list[Citation]
    cited_by: list[Citation]
    cited_by_count: int


def edition_citations(edition: Edition, limit: int = 200) -> EditionCitations:
    """What an edition cites, and the current texts that cite its resolution, each with its clause (2 queries).

    The number of queries does not grow with the library: the newest editions are subqueries.
    """
    cites = list(
        with_current(Citation.objects.filter(edition=edition, amendment__isnull=True))
        .select_related("clause", "cited_resolution__body", "cited_edition", "cited_clause")
        .order_by(F("clause__position").asc(nulls_first=True), "source", "order")
    )
    cited_by = list(
        incurrent_texts(
            Citation.objects.filter(cited_resolution_id=edition.resolution_id, clause__isnull=False).exclude(
                resolution_id=edition.resolution_id
            )
        )
        .select_related("clause", "edition__resolution__body", "cited_edition")
        .order_by(
            "edition__resolution__body__sort_order",
            "edition__resolution__sort_key",
            "clause__position",
            "order",
        )[: limit + 1]
    )
    return EditionCitations(cites=cites, cited_by=cited_by[:limit], cited_by_count=len(cited_by))


def citation_url(c: Citation) -> str:
    """Where a citation leads: the cited edition, else the cited resolution's newest edition, else nowhere."""
    if c.cited_resolution_id is None:
        return ""
    r = c.cited_resolution
    slug = c.cited_edition.slug if c.cited_edition_id is not None else getattr(c, "current_slug", None)
    if not slug:
        return ""
    return reverse("edition_detail", args=[r.body.code.lower(), r.slug, slug])


@dataclass
class Link:
    """A citation in a clause's text as a page shows it."""

    start: int
    end: int
    url: str
    title: str
    note: str  # "not the current edition: Rev. Bucharest, 2022", or what is wrong with it


def citation_links(citations: list[Citation]) -> dict[int, list[Link]]:
    """Per clause id, its citations as links, each saying when it does not cite the current edition."""
    links: dict[int, list[Link]] = defaultdict(list)
    for c in citations:
        if c.source or c.clause_id is None:
            continue  # in a footnote or the front matter: its offsets are not the clause text's
        if c.kind == parser.INTERNAL:
            named = f"{c.document} {c.number}".strip()  # "resolves 2", also when written "2" in a list
            if c.cited_clause_id is not None:
                # "resolves 1 above": to the clause it names, on the same page.
                links[c.clause_id].append(Link(c.start, c.end, f"#{c.cited_clause.anchor}", named, ""))
            elif c.problem == parser.NO_SUCH_ITEM:
                links[c.clause_id].append(Link(c.start, c.end, "", named, c.said_message))
            continue
        if c.kind in (parser.PARAGRAPH, parser.WSIS):
            continue
        note = ""
        if c.problem in (parser.UNKNOWN_VENUE, parser.NO_SUCH_EDITION):
            note = c.said_message
        elif is_outdated(c):
            note = gettext("not the current edition: %(edition)s") % {
                "edition": c.current_revision or c.current_year
            }
        title = _title(c)
        if c.kind == parser.RESOLUTION and not citation_url(c):
            title += " " + gettext("(not in the library)")
        links[c.clause_id].append(Link(c.start, c.end, citation_url(c), title, note))
    return links


def _title(c: Citation) -> str:
    """What a citation's link says it cites: "PP Resolution 71", "PP Decision 5", "Radio Regulations"."""
    if c.kind in (parser.RESOLUTION, parser.DECISION, parser.OPINION):
        word = {parser.DECISION: "Decision", parser.OPINION: "Opinion"}.get(c.kind, "Resolution")
        return f"{c.body} {word} {c.number}"
    if c.kind == parser.TREATY:
        return (c.document or c.number) + (f", {c.pinpoint}" if c.pinpoint else "")
    return c.number


def is_outdated(c: Citation) -> bool:
    """A dated citation of a resolution whose newest edition in the library is later."""
    current_year = getattr(c, "current_year", None)
    return bool(c.year and current_year and c.year < current_year)
