"""Indexing the citations of the library: every clause version's, its footnotes' and its edition's front matter's.

Every clause version's citations are stored (:class:`drafting.models.Citation`) when an edition is
imported or adopted and when a delegate saves an amendment. A citation points at the library's
resolution and edition when the library has them; when a resolution or edition arrives later,
:func:`link_resolution` points the citations already stored at it. A reference inside the text
("resolves 1 above") points at the clause of the same edition it names.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db import connection, transaction
from django.db.models import Q

from drafting.engine import citations as parser
from drafting.engine import references
from drafting.engine.said import gettext_noop
from drafting.engine.tree import PART
from drafting.models import Amendment, Citation, Clause, Conference, Edition, Resolution
from drafting.models.library import Footnote
from drafting.translation import kept

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
        # Its template and values: each reader reads it in their own language (drafting.translation).
        "message_said": _json(kept(c.message)),
        "suggestion": c.suggestion[:120],
        "pinpoint": c.pinpoint[:120],
        "cited_resolution_id": cited_resolution,
        "cited_edition_id": cited_edition,
    }


def _json(value) -> str | None:
    """A JSON column's value for the plain INSERT (and PostgreSQL's COPY): its text, or NULL."""
    return None if value is None else json.dumps(value)


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
                if target is None:
                    # "resolves 5 above" and this text has no resolves 5: flagged for the next revision.
                    c = replace(
                        c, problem=parser.NO_SUCH_ITEM, message=gettext_noop("this text has no such item")
                    )
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
