"""The citation graph of the library: indexing clause texts, what cites what, stale citations, and updates.

Every clause version's citations are stored (:class:`drafting.models.Citation`)
when an edition is imported or adopted and when a delegate saves an amendment.
A citation points at the library's resolution and edition when the library has
them; when a resolution or edition arrives later, :func:`link_resolution` points
the citations already stored at it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse

from drafting.caching import Memo, library_state
from drafting.engine import citations as parser
from drafting.engine import references
from drafting.engine.citation_updates import Target, latest_successor, update_editions
from drafting.engine.citation_updates import replace_un_documents as update_un_documents
from drafting.engine.diff import diff_words
from drafting.engine.tree import PART
from drafting.models import (
    Amendment,
    Citation,
    Clause,
    Conference,
    Edition,
    Proposal,
    Resolution,
    UnSupersession,
)
from drafting.models.library import Footnote

from drafting.services import DomainError


class CitationProblem(DomainError):
    """A citation update that cannot be drafted; nothing was saved."""


# --- reading the library once ------------------------------------------------------------


def known_venues() -> parser.Venues:
    """The venue table, with every conference the tool knows (1 query)."""
    venues = parser.Venues()
    for body, place, year in Conference.objects.values_list("body__code", "place", "year"):
        venues.add(body, place, year)
    return venues


@dataclass
class Library:
    """Every resolution and edition as plain tuples, to resolve citations without a query each (2 queries)."""

    resolutions: dict[tuple[str, str], int] = field(default_factory=dict)
    editions: dict[int, list[tuple[int, str, int | None]]] = field(default_factory=dict)

    @classmethod
    def load(cls, numbers: set[str] | None = None) -> Library:
        """The whole library, or only the resolutions with these numbers (a clause being saved)."""
        library = cls()
        resolutions = Resolution.objects.all()
        if numbers is not None:
            wanted = {n.lower() for n in numbers}
            wanted |= {
                n.upper() for n in wanted
            }  # "18a" and "18A": the key is lower case, numbers may not be
            resolutions = resolutions.filter(Q(number__in=wanted) | Q(number__istartswith="ITU-R"))
        for pk, body, number in resolutions.values_list("pk", "body__code", "number"):
            library.resolutions[parser.resolution_key(body, number)] = pk
        editions = Edition.objects.all()
        if numbers is not None:
            editions = editions.filter(resolution_id__in=list(library.resolutions.values()))
        for pk, resolution_id, place, year in editions.values_list("pk", "resolution_id", "place", "year"):
            library.editions.setdefault(resolution_id, []).append((pk, place, year))
        return library

    def resolve(self, c: parser.Citation) -> tuple[int | None, int | None]:
        if not c.cites_library:
            return None, None
        resolution_id = self.resolutions.get(parser.resolution_key(c.body, c.number))
        if resolution_id is None or c.year is None:
            return resolution_id, None
        for pk, place, year in self.editions.get(resolution_id, []):
            if year == c.year and (not c.place or not place or place.lower() == c.place.lower()):
                return resolution_id, pk
        return resolution_id, None


def context_of(edition: Edition, body_code: str) -> parser.Context:
    return parser.Context(body=body_code, place=edition.place, year=edition.year)


_COLUMNS = [
    f
    for f in Citation._meta.concrete_fields
    if not f.primary_key  # every column but the id, in model order
]


def _values(c: parser.Citation, order: int, library: Library, **where) -> dict:
    unknown = set(where) - {
        "clause_id",
        "amendment_id",
        "edition_id",
        "resolution_id",
        "source",
        "cited_clause_id",
    }
    if unknown:  # ids only: these rows skip the model, so a relation given as an object would be lost
        raise TypeError(f"give ids, not {sorted(unknown)}")
    cited_resolution, cited_edition = library.resolve(c)
    return {
        "clause_id": None,
        "amendment_id": None,
        "edition_id": None,
        "resolution_id": None,
        "source": "",
        "cited_clause_id": None,
        **where,  # clause_id or amendment_id, edition_id, resolution_id
        "order": order,
        "kind": c.kind,
        "body": c.body,
        "number": c.number[:40],
        "number_key": parser.resolution_key(c.body, c.number)[1][:40],
        "place": c.place[:100],
        "year": c.year,
        "revised": c.revised,
        "text": c.text[:300],
        "start": c.start,
        "end": c.end,
        "edition_start": c.edition_start,
        "edition_end": c.edition_end,
        "shared": c.shared,
        "document": c.document[:200],
        "problem": c.problem,
        "message": c.message[:300],
        "suggestion": c.suggestion[:120],
        "pinpoint": c.pinpoint[:120],
        "cited_resolution_id": cited_resolution,
        "cited_edition_id": cited_edition,
    }


def _insert(rows: list[dict]) -> None:
    """Plain INSERTs of already clean values: building 5,000 model instances for bulk_create cost most
    of the time of indexing a library, for rows that nothing reads back at once."""
    if not rows:
        return
    table = connection.ops.quote_name(Citation._meta.db_table)
    names = [connection.ops.quote_name(f.column) for f in _COLUMNS]
    values = [tuple(row[f.attname] for f in _COLUMNS) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: psycopg spends longer binding a many-row INSERT than PostgreSQL takes to run it.
            with cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            placeholders = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})", values)


def clause_value(clause) -> str:
    """The text a clause's citations are in: a part's heading, an item's or annex title's text."""
    return clause.heading if clause.kind == PART else clause.text


# --- indexing -----------------------------------------------------------------------------


@dataclass
class _Node:
    """A clause as plain values, to resolve the references inside an edition's text without a query each."""

    pk: int
    kind: str
    label: str
    heading: str
    children: list[_Node] = field(default_factory=list)


def index_editions(editions: list[Edition], *, library: Library | None = None, venues=None) -> int:
    """Store the citations of every clause of these editions, their footnotes and front matter included,
    replacing what was stored (constant queries). References inside the text point at the clause they name."""
    if not editions:
        return 0
    library = library or Library.load()
    venues = venues or known_venues()
    by_pk = {e.pk: e for e in editions}
    front = {
        pk: (body, title, formula, notes)
        for pk, body, title, formula, notes in Edition.objects.filter(pk__in=by_pk).values_list(
            "pk", "resolution__body__code", "title", "enacting_formula", "front_footnotes"
        )
    }
    Citation.objects.filter(edition_id__in=by_pk, amendment__isnull=True).delete()
    notes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for clause_id, number, mark, text in (
        Footnote.objects.filter(clause__edition_id__in=by_pk)
        .order_by("clause_id", "number")
        .values_list("clause_id", "number", "mark", "text")
    ):
        notes[clause_id].append((f"footnote {mark or number}", text))
    # Every text of an edition a reader reads for citations: (edition, clause or None, source, text).
    texts: list[tuple[int, int | None, str, str]] = []
    trees: dict[int, list[_Node]] = defaultdict(list)
    nodes: dict[int, _Node] = {}
    clauses = Clause.objects.filter(edition_id__in=by_pk).order_by("edition_id", "position")
    for pk, edition_id, parent_id, kind, label, heading, text in clauses.values_list(
        "pk", "edition_id", "parent_id", "kind", "label", "heading", "text"
    ).iterator(chunk_size=2000):
        node = nodes[pk] = _Node(pk, kind, label, heading)
        (nodes[parent_id].children if parent_id in nodes else trees[edition_id]).append(node)
        value = heading if kind == PART else text
        if value:
            texts.append((edition_id, pk, "", value))
        texts.extend((edition_id, pk, source, note) for source, note in notes.get(pk, []))
    for pk, (_, title, formula, front_notes) in front.items():
        texts.append((pk, None, "title", title))
        texts.append((pk, None, "formula", formula))
        for n, note in enumerate(front_notes or [], 1):
            if isinstance(note, dict):
                texts.append(
                    (
                        pk,
                        None,
                        f"front footnote {note.get('mark') or note.get('number') or n}",
                        note.get("text", ""),
                    )
                )
    rows = []
    for edition_id, clause_id, source, value in texts:
        if not value:
            continue
        edition = by_pk[edition_id]
        found = parser.parse_citations(value, context_of(edition, front[edition_id][0]), venues)
        for order, c in enumerate(found):
            cited_clause = None
            if c.kind == parser.INTERNAL:
                target = references.resolve(c, trees[edition_id])
                if target is None and not c.pinpoint:
                    continue  # "resolves 5" with no "above", and this text has none: another text's
                cited_clause = target.pk if isinstance(target, _Node) else None
            rows.append(
                _values(
                    c,
                    order,
                    library,
                    clause_id=clause_id,
                    edition_id=edition_id,
                    resolution_id=edition.resolution_id,
                    source=source,
                    cited_clause_id=cited_clause,
                )
            )
    _insert(rows)
    return len(rows)


def link_resolution(resolution: Resolution, library: Library | None = None) -> None:
    """Point the stored citations of this resolution, and of each of its editions, at the library's rows."""
    key = parser.resolution_key(resolution.body.code, resolution.number)
    cited = Citation.objects.filter(body=key[0], number_key=key[1])
    cited.exclude(cited_resolution=resolution).update(cited_resolution=resolution)
    for edition in resolution.editions.all():
        if edition.year is None:
            continue
        same = cited.filter(year=edition.year)
        if edition.place:
            same = same.filter(Q(place__iexact=edition.place) | Q(place=""))
        same.update(cited_edition=edition)


def edition_saved(edition: Edition) -> int:
    """Keep the graph current after an import or an adoption: index the new edition, link those citing it."""
    count = index_editions([edition])
    link_resolution(edition.resolution)
    return count


def index_amendment(amendment: Amendment) -> None:
    """The citations of a proposal's version of a clause, stored again on every save."""
    Citation.objects.filter(amendment=amendment).delete()
    value = amendment.heading if amendment.kind == PART and amendment.heading else amendment.text
    if not value:
        return
    proposal = amendment.proposal
    base = proposal.base_edition
    body = proposal.contribution.conference.body.code
    conference = proposal.contribution.conference
    context = parser.Context(body=body, place=conference.place, year=conference.year)
    found = parser.parse_citations(value, context, known_venues())
    if not found:
        return
    library = Library.load(
        numbers={parser.resolution_key(c.body, c.number)[1] for c in found if c.cites_library}
    )
    _insert(
        [
            _values(
                c,
                order,
                library,
                amendment_id=amendment.pk,
                edition_id=base.pk if base else None,
                resolution_id=proposal.resolution_id,
            )
            for order, c in enumerate(found)
        ]
    )


def rebuild_graph() -> int:
    """Every citation of the library parsed again from the clause texts (for a new parser, or a benchmark)."""
    with transaction.atomic():
        Citation.objects.filter(amendment__isnull=True).delete()
        library = Library.load()
        venues = known_venues()
        editions = list(Edition.objects.only("pk", "resolution_id", "place", "year"))
        count = index_editions(editions, library=library, venues=venues)
    return count


# --- what cites what ------------------------------------------------------------------------


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


def in_current_texts(citations):
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
        in_current_texts(
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
            if c.cited_clause_id is not None:
                # "resolves 1 above": to the clause it names, on the same page.
                links[c.clause_id].append(Link(c.start, c.end, f"#{c.cited_clause.anchor}", c.text, ""))
            continue
        if c.kind in (parser.PARAGRAPH, parser.WSIS):
            continue
        note = ""
        if c.problem in (parser.UNKNOWN_VENUE, parser.NO_SUCH_EDITION):
            note = c.message
        elif is_outdated(c):
            note = f"not the current edition: {c.current_revision or c.current_year}"
        title = f"{c.body} Resolution {c.number}" if c.kind == parser.RESOLUTION else c.number
        if c.kind == parser.RESOLUTION and not citation_url(c):
            title += " (not in the library)"
        links[c.clause_id].append(Link(c.start, c.end, citation_url(c), title, note))
    return links


def is_outdated(c: Citation) -> bool:
    """A dated citation of a resolution whose newest edition in the library is later."""
    current_year = getattr(c, "current_year", None)
    return bool(c.year and current_year and c.year < current_year)


# --- stale citations ------------------------------------------------------------------------


@dataclass
class CitingClause:
    clause: Clause
    citations: list[Citation]


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


def _group(rows: list[Citation]) -> list[CitingResolution]:
    by_resolution: dict[int, CitingResolution] = {}
    by_clause: dict[int, CitingClause] = {}
    for c in rows:
        citing = by_resolution.get(c.resolution_id)
        if citing is None:
            citing = by_resolution[c.resolution_id] = CitingResolution(c.edition.resolution, c.edition)
        clause = by_clause.get(c.clause_id)
        if clause is None:
            clause = by_clause[c.clause_id] = CitingClause(c.clause, [])
            citing.clauses.append(clause)
        clause.citations.append(c)
    return sorted(by_resolution.values(), key=lambda r: (r.resolution.body.sort_order, r.resolution.sort_key))


def _current_texts() -> tuple[dict[int, int], dict[int, int | None]]:
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
    resolution citing an earlier edition of itself (its history line does that).
    """
    latest, year_of = _current_texts()
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
        Citation.objects.filter(older, clause__isnull=False, edition_id__in=list(latest.values()))
        .exclude(resolution_id=F("cited_resolution_id"))
        .select_related("clause__provision", "edition__resolution__body")
        .order_by("cited_resolution_id", "resolution_id", "clause__position", "order")
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
    groups = [StaleGroup(cited=e.resolution, current=e, citing=_group(stale[e.pk])) for e in newest]
    return sorted(groups, key=lambda g: (g.cited.body.sort_order, g.cited.sort_key))


def wrong_citations() -> list[CitingResolution]:
    """Clauses of current editions citing a misspelt venue or an edition that never was (2 queries)."""
    latest, year_of = _current_texts()
    rows = list(
        Citation.objects.filter(
            clause__isnull=False,
            edition_id__in=list(latest.values()),
            problem__in=[parser.UNKNOWN_VENUE, parser.NO_SUCH_EDITION],
        )
        .select_related("clause__provision", "edition__resolution__body")
        .order_by("resolution_id", "clause__position", "order")
    )
    for c in rows:
        c.current_year = year_of.get(c.cited_resolution_id)
    return _group(rows)


# --- drafting the updates -------------------------------------------------------------------


@dataclass
class PlannedChange:
    clause: Clause
    before: str
    after: str
    citations: list[Citation]
    # Other resolutions of the same list brought to their current editions with it ("PP Resolution 101
    # (Rev. Bucharest, 2022)"): a list sharing one edition is updated as a whole, as ITU would write it.
    also: list[str] = field(default_factory=list)

    @property
    def marks(self):
        return diff_words(self.before, self.after)


@dataclass
class PlannedProposal:
    resolution: Resolution
    edition: Edition
    existing: Proposal | None
    changes: list[PlannedChange] = field(default_factory=list)
    skipped: list[tuple[Clause, Citation, str]] = field(default_factory=list)


def _revised(name: str) -> bool | None:
    """True when an edition's name says it is a revision ("Rev. Bucharest, 2022"), else None: as written."""
    return True if name.startswith("Rev.") else None


def _target_of(c: Citation, current: Edition | None) -> Target | None:
    """The edition a citation should read: the current edition, or the corrected venue."""
    if current is not None:
        return Target(current.place, current.year, _revised(current.revision))
    if c.suggestion:
        inner = c.suggestion.removeprefix("Rev. ")
        place, _, year = inner.rpartition(", ")
        if place and year.isdigit():
            return Target(place, int(year))  # "Rev." as written: only the venue was wrong
    return None


def plan_update(
    contribution,
    *,
    cited: Resolution | None = None,
    citing_ids: list[int] | None = None,
    un_document: str | None = None,
) -> list[PlannedProposal]:
    """What drafting the update would do, without saving: per citing resolution, the clauses before and after.

    ``cited`` given: bring every citation of an older edition of it up to its newest
    edition. ``un_document`` given: cite the UN document that replaces it instead. Neither:
    correct the misspelt venues and editions that never were.
    """
    successors: dict[str, str] = {}
    current = None
    if cited is not None:
        groups = stale_citations(cited)
        citing = groups[0].citing if groups else []
        current = groups[0].current if groups else None
    elif un_document is not None:
        replaced = superseded_citations(un_document)
        citing = replaced[0].citing if replaced else []
        # Only this document: another replaced one cited in the same clause has its own update.
        successors = {un_document: replaced[0].successor} if replaced else {}
    else:
        citing = wrong_citations()
    if citing_ids:
        citing = [r for r in citing if r.resolution.pk in set(citing_ids)]
    existing = {
        p.resolution_id: p
        for p in Proposal.objects.filter(
            contribution=contribution, resolution_id__in=[r.resolution.pk for r in citing]
        )
    }
    amended = {
        (a.proposal_id, a.target_id): a
        for a in Amendment.objects.filter(proposal__in=list(existing.values()), action="modify").only(
            "proposal_id", "target_id", "text", "heading", "kind"
        )
    }
    venues = known_venues()
    newest: dict[tuple[str, str], tuple] = {}  # current editions of other resolutions of shared lists
    plans = []
    for group in citing:
        proposal = existing.get(group.resolution.pk)
        plan = PlannedProposal(group.resolution, group.edition, proposal)
        if proposal is not None and (
            proposal.action != Proposal.MOD or proposal.base_edition_id != group.edition.pk
        ):
            for cc in group.clauses:
                for c in cc.citations:
                    plan.skipped.append(
                        (
                            cc.clause,
                            c,
                            f"the contribution's proposal {proposal.label} is not a MOD of this edition",
                        )
                    )
            plans.append(plan)
            continue
        for cc in group.clauses:
            clause = cc.clause
            in_notes = [c for c in cc.citations if c.source]
            for c in in_notes:
                plan.skipped.append(
                    (clause, c, f"it is in the clause's {c.source}: edit the footnote by hand")
                )
            cc = CitingClause(clause, [c for c in cc.citations if not c.source])
            if not cc.citations:
                continue
            base_text = clause_value(clause)
            existing_amendment = amended.get((proposal.pk, clause.provision_id)) if proposal else None
            before = (
                (existing_amendment.heading if clause.kind == PART else existing_amendment.text)
                if existing_amendment
                else base_text
            )
            if un_document is not None:
                after, also = _replace_un(before, base_text, cc.citations, successors, plan, clause), []
                if after != before:
                    plan.changes.append(PlannedChange(clause, before, after, cc.citations))
                continue
            after, also = _rewrite(
                before,
                base_text,
                cc.citations,
                current,
                plan,
                clause,
                context=context_of(group.edition, group.resolution.body.code),
                venues=venues,
                newest=newest if cited is not None else None,
            )
            if after != before:
                plan.changes.append(PlannedChange(clause, before, after, cc.citations, also))
        plans.append(plan)
    return plans


def _rewrite(
    text: str,
    base_text: str,
    stored: list[Citation],
    current: Edition | None,
    plan: PlannedProposal,
    clause: Clause,
    *,
    context: parser.Context,
    venues: parser.Venues,
    newest: dict | None,
) -> tuple[str, list[str]]:
    """The text with each stored citation rewritten, re-parsed so an already edited clause is handled too.

    A citation in a list sharing its edition ("Resolutions 101, 140 and 178 (Rev. Dubai, 2018)") takes
    the others of the list along when they too have a newer edition in the library (``newest`` given:
    updating to current editions), so the list keeps one edition when it can and is split otherwise.
    """
    keys = {(c.body, c.number_key, c.year, c.text) for c in stored}
    found = [
        c
        for c in parser.parse_citations(text, context, venues)
        if (c.body, parser.resolution_key(c.body, c.number)[1], c.year, c.text[:300]) in keys
    ]
    if text != base_text and not found:
        for c in stored:
            plan.skipped.append((clause, c, "the proposal has already changed this citation"))
        return text, []
    targets: dict[int, Target] = {}
    rows = {}
    for c in found:
        row = next(s for s in stored if s.text == c.text[:300])
        target = _target_of(row, current)
        if target is None:
            plan.skipped.append((clause, row, "the tool does not know what it should read"))
            continue
        targets[c.start] = target
        rows[c.start] = row
    also = []
    if newest is not None and any(c.shared for c in found):
        for lst in parser.cited_lists(text, context, venues):
            members = lst.citations
            if not any(c.start in targets for c in members):
                continue
            others = [c for c in members if c.start not in targets and c.cites_library and c.year]
            wanted = {parser.resolution_key(c.body, c.number) for c in others} - set(newest)
            newest.update(dict.fromkeys(wanted))  # looked up once per plan, None when not in the library
            newest.update(current_editions(wanted))
            for c in others:
                now = newest.get(parser.resolution_key(c.body, c.number))
                if now and now[1] and now[1] > c.year:
                    targets[c.start] = Target(now[0], now[1], _revised(now[2]))
                    also.append(f"{c.body} Resolution {c.number} ({now[2]})")
    result = update_editions(text, targets, context, venues)
    for start in result.unapplied:
        if start in rows:
            plan.skipped.append(
                (clause, rows[start], "the tool cannot rewrite this citation: edit it by hand")
            )
    return result.text, also


def _replace_un(
    text: str,
    base_text: str,
    stored: list[Citation],
    successors: dict[str, str],
    plan: PlannedProposal,
    clause: Clause,
) -> str:
    """The text citing the successors of the replaced UN documents it cites; only the symbols change."""
    context = parser.Context(body=stored[0].edition.resolution.body.code)
    for c in stored:
        if not re.search(r"\d{2}/(?:L\.)?\d+", c.text):
            # "the Outcome Document of the UNGA on ...", "§ 65 of that resolution": no symbol to change.
            plan.skipped.append(
                (clause, c, "it names the document by its title, not its symbol: edit it by hand")
            )
    after, replaced = update_un_documents(text, successors, context)
    if not replaced and text != base_text:
        for c in stored:
            plan.skipped.append((clause, c, "the proposal has already changed this citation"))
    return after


@transaction.atomic
def draft_update(
    user,
    contribution,
    *,
    cited: Resolution | None = None,
    citing_ids: list[int] | None = None,
    un_document: str | None = None,
) -> list[Proposal]:
    """Into a draft contribution: a MOD proposal per affected resolution, an amendment per clause (one transaction)."""
    from drafting.services.amendments import clause_version, modify_clause
    from drafting.services.contributions import add_proposal

    plans = plan_update(contribution, cited=cited, citing_ids=citing_ids, un_document=un_document)
    if not any(p.changes for p in plans):
        raise CitationProblem("There is no citation to update here: nothing was drafted.", status=409)
    if cited is not None:
        what = f"To cite the current edition of {cited} ({plans and cited and _current_name(cited)})."
    elif un_document is not None:
        successor = latest_successor(un_document, un_successors())
        what = f"To cite UNGA Resolution {successor}, which replaces UNGA Resolution {un_document}."
    else:
        what = "To correct citations of meetings that never took place."
    proposals = []
    for plan in plans:
        if not plan.changes:
            continue
        proposal = plan.existing or add_proposal(
            user,
            contribution,
            action=Proposal.MOD,
            resolution=plan.resolution,
            base_edition=plan.edition,
            reasons=what,
        )
        for change in plan.changes:
            key = str(change.clause.provision.key)
            modify_clause(user, proposal, key, change.after, expected_version=clause_version(proposal, key))
        proposals.append(proposal)
    return proposals


# --- UN documents replaced by their successors ----------------------------------------------------


def un_successors() -> dict[str, str]:
    """Every recorded replacement of a UN document, replaced -> successor (1 query)."""
    return dict(UnSupersession.objects.values_list("document", "successor"))


def _symbol(value: str, what: str) -> str:
    symbol = parser.un_document(value or "")
    if symbol is None:
        raise CitationProblem(
            f"{what} {value!r} is not a UN General Assembly document symbol such as A/RES/70/125.", status=400
        )
    return symbol


@transaction.atomic
def record_supersession(
    user, document: str, successor: str, *, note: str = "", replace: bool = False
) -> UnSupersession:
    """Record that a UN document is replaced by another: citations of it become citations to update."""
    old, new = _symbol(document, "The replaced document"), _symbol(successor, "The successor")
    if old == new:
        raise CitationProblem(f"{old} cannot replace itself.", status=400)
    successors = {
        d: s
        for d, s in UnSupersession.objects.select_for_update().values_list("document", "successor")
        if d != old
    }
    # A successor replaced, in turn, by the document it replaces would send updates round in circles.
    seen, step = {new}, new
    while step in successors:
        step = successors[step]
        if step == old:
            raise CitationProblem(
                f"{new} is itself recorded as replaced, in the end, by {old}: the two would replace each "
                "other. Nothing was recorded.",
                status=409,
            )
        if step in seen:
            break
        seen.add(step)
    existing = UnSupersession.objects.filter(document=old).first()
    if existing is not None and existing.successor != new and not replace:
        raise CitationProblem(
            f"{old} is already recorded as replaced by {existing.successor}; replace that record to change it.",
            status=409,
        )
    record = existing or UnSupersession(document=old)
    record.successor, record.note, record.recorded_by = new, note[:300], user
    record.save()
    return record


@transaction.atomic
def withdraw_supersession(user, document: str) -> None:
    """Forget that a UN document is replaced (recorded by mistake)."""
    symbol = _symbol(document, "The document")
    deleted, _ = UnSupersession.objects.filter(document=symbol).delete()
    if not deleted:
        raise CitationProblem(f"{symbol} is not recorded as replaced.", status=404)


@dataclass
class SupersededGroup:
    """Every current text citing one replaced UN document."""

    document: str
    successor: str  # the latest one, when the successor is itself replaced
    note: str
    citing: list[CitingResolution]

    @property
    def citation_count(self) -> int:
        return sum(r.citation_count for r in self.citing)


def superseded_citations(document: str | None = None) -> list[SupersededGroup]:
    """Clauses of current editions citing a UN document that a later one replaces (3 queries)."""
    every = {r.document: r for r in UnSupersession.objects.all()}
    successors = {d: r.successor for d, r in every.items()}
    records = every if document is None else {d: r for d, r in every.items() if d == document}
    if not records:
        return []
    latest, _ = _current_texts()
    rows = list(
        Citation.objects.filter(
            body=parser.UNGA,  # by the (body, number_key) index: the key is the symbol in lower case
            number_key__in=[parser.resolution_key(parser.UNGA, d)[1] for d in records],
            kind=parser.UN_RESOLUTION,
            clause__isnull=False,
            edition_id__in=list(latest.values()),
        )
        .select_related("clause__provision", "edition__resolution__body")
        .order_by("number", "resolution_id", "clause__position", "order")
    )
    by_document: dict[str, list[Citation]] = defaultdict(list)
    for c in rows:
        by_document[c.number].append(c)
    return [
        SupersededGroup(
            d, latest_successor(d, successors) or records[d].successor, records[d].note, _group(found)
        )
        for d, found in sorted(by_document.items())
    ]


def _current_name(resolution: Resolution) -> str:
    latest = _current_texts()[0].get(resolution.pk)
    return Edition.objects.get(pk=latest).name if latest else ""


# --- the editor's check -----------------------------------------------------------------------


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
    from drafting.engine.replace import check_citations

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
            note = f"replaced by {replaced_by}"
        elif c.problem:
            note = c.message
        elif newest and c.year and newest[1] and c.year < newest[1]:
            note = f"not the current edition: {newest[2]}"
        elif c.cites_library and newest is None:
            note = "not in the library"
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
    from drafting.engine.replace import check_citations

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
