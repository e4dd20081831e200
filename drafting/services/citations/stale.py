"""The stale report: clauses of the library's current texts citing an older edition than the newest held,
or a meeting that never was, grouped by cited and citing resolution."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils.translation import gettext, gettext_lazy

from drafting.engine import citations as parser
from drafting.models import Citation, Clause, Edition, Resolution

# An edition's own citations: its clauses' and its front matter's (a proposal's amendments have their own rows).
_IN_EDITION = Q(clause__isnull=False) | Q(clause__isnull=True, amendment__isnull=True)


@dataclass
class CitingClause:
    """A clause's citations, or (``clause`` None) those of the edition's title, enacting formula or front notes."""

    clause: Clause | None
    citations: list[Citation]
    source: str = ""  # for the front matter: "title", "formula", "front footnote 1"

    @property
    def where(self) -> str:
        """ "resolves 3", "title", "enacting formula": where the citations are, as a reader names it."""
        if self.clause is not None:
            return self.clause.anchor.replace("-", " ")
        return source_name(self.source)


# Where in a text a citation outside the clauses is, as a reader names it.
_SOURCES = {
    "formula": gettext_lazy("enacting formula"),
    "title": gettext_lazy("title"),
}


def source_name(source: str) -> str:
    """Where a citation outside the clauses is ("formula", "front footnote 2"), in the reader's language."""
    if source.startswith("front footnote "):
        return gettext("front footnote %(mark)s") % {"mark": source.removeprefix("front footnote ")}
    if source.startswith("footnote "):
        return gettext("footnote %(mark)s") % {"mark": source.removeprefix("footnote ")}
    return str(_SOURCES.get(source, source))


@dataclass
class CitingResolution:
    """One resolution whose current edition has clauses to update: one MOD proposal."""

    resolution: Resolution
    edition: Edition
    clauses: list[CitingClause] = field(default_factory=list)

    @property
    def citation_count(self) -> int:
        return sum(len(c.citations) for c in self.clauses)


@dataclass
class StaleGroup:
    """Every current text citing an older edition of one resolution."""

    cited: Resolution
    current: Edition
    citing: list[CitingResolution]

    @property
    def citation_count(self) -> int:
        return sum(r.citation_count for r in self.citing)


def group_by_citing(rows: list[Citation]) -> list[CitingResolution]:
    """Citation rows (in clause order) grouped by citing resolution and clause, as the reports list them."""
    by_resolution: dict[int, CitingResolution] = {}
    by_clause: dict[tuple, CitingClause] = {}
    for c in rows:
        citing = by_resolution.get(c.resolution_id)
        if citing is None:
            citing = by_resolution[c.resolution_id] = CitingResolution(c.edition.resolution, c.edition)
        # The title's, the enacting formula's and each front note's citations are listed apart, first.
        key = (c.clause_id,) if c.clause_id is not None else (None, c.edition_id, c.source)
        clause = by_clause.get(key)
        if clause is None:
            clause = by_clause[key] = CitingClause(c.clause, [], "" if c.clause_id else c.source)
            citing.clauses.append(clause)
        clause.citations.append(c)
    return sorted(by_resolution.values(), key=lambda r: (r.resolution.body.sort_order, r.resolution.sort_key))


def current_texts() -> tuple[dict[int, int], dict[int, int | None]]:
    """The newest edition of every resolution, and its year, by resolution id (1 query).

    Read once in Python: a correlated subquery per citation row costs seconds on a
    whole library (PostgreSQL ran one per row of 5,000), this costs one scan of the editions.
    """
    newest: dict[int, tuple] = {}
    for pk, resolution_id, year, created in Edition.objects.values_list(
        "pk", "resolution_id", "year", "created_at"
    ):
        rank = (year is not None, year or 0, created, pk)
        if resolution_id not in newest or rank > newest[resolution_id][0]:
            newest[resolution_id] = (rank, pk, year)
    return {r: v[1] for r, v in newest.items()}, {r: v[2] for r, v in newest.items()}


def stale_citations(cited: Resolution | None = None) -> list[StaleGroup]:
    """Clauses of current editions citing an edition older than the newest one in the library (3 queries).

    A citation without an edition ("Council Resolution 1332") is never stale, nor is a
    resolution citing an earlier edition of itself (its history line does that). Citations in an edition's
    title, enacting formula and front footnotes are listed as well as those of its clauses.
    """
    latest, year_of = current_texts()
    by_year: dict[int, list[int]] = defaultdict(list)
    for resolution_id, year in year_of.items():
        if year and (cited is None or resolution_id == cited.pk):
            by_year[year].append(resolution_id)
    if not by_year:
        return []
    older = Q()
    for year, resolutions in by_year.items():
        older |= Q(cited_resolution_id__in=resolutions, year__lt=year)
    rows = list(
        Citation.objects.filter(older, _IN_EDITION, edition_id__in=list(latest.values()))
        .exclude(resolution_id=F("cited_resolution_id"))
        .select_related("clause__provision", "edition__resolution__body")
        .order_by(
            "cited_resolution_id",
            "resolution_id",
            F("clause__position").asc(nulls_first=True),
            "source",
            "order",
        )
    )
    stale: dict[int, list[Citation]] = defaultdict(list)
    for c in rows:
        stale[latest[c.cited_resolution_id]].append(c)
    newest = Edition.objects.filter(pk__in=list(stale)).select_related("resolution__body") if stale else []
    newest = list(newest)
    for e in newest:
        for c in stale[e.pk]:
            # What the per-edition graph annotates: so "outdated" reads the same everywhere.
            c.current_id, c.current_slug, c.current_revision, c.current_year = (
                e.pk,
                e.slug,
                e.revision,
                e.year,
            )
    groups = [StaleGroup(cited=e.resolution, current=e, citing=group_by_citing(stale[e.pk])) for e in newest]
    return sorted(groups, key=lambda g: (g.cited.body.sort_order, g.cited.sort_key))


def wrong_citations() -> list[CitingResolution]:
    """Clauses of current editions citing a misspelt venue or an edition that never was (2 queries)."""
    latest, year_of = current_texts()
    rows = list(
        Citation.objects.filter(
            _IN_EDITION,
            edition_id__in=list(latest.values()),
            problem__in=[parser.UNKNOWN_VENUE, parser.NO_SUCH_EDITION],
        )
        .select_related("clause__provision", "edition__resolution__body")
        .order_by("resolution_id", F("clause__position").asc(nulls_first=True), "source", "order")
    )
    for c in rows:
        c.current_year = year_of.get(c.cited_resolution_id)
    return group_by_citing(rows)


def dangling_references() -> list[CitingResolution]:
    """References inside current texts naming an item the text does not have ("resolves 5 above") (2 queries)."""
    latest, _ = current_texts()
    rows = list(
        Citation.objects.filter(
            edition_id__in=list(latest.values()),
            amendment__isnull=True,
            kind=parser.INTERNAL,
            problem=parser.NO_SUCH_ITEM,
        )
        .select_related("clause__provision", "edition__resolution__body")
        .order_by("resolution_id", F("clause__position").asc(nulls_first=True), "source", "order")
    )
    return group_by_citing(rows)
