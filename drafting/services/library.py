"""Importing editions of resolutions into the library."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from drafting.engine.anchors import assign_anchors
from drafting.engine.match import carry_keys
from drafting.engine.parse import ParseError, parse_resolution
from drafting.engine.tree import ANNEX, ITEM, PART, ResolutionText
from drafting.models import Body, Clause, Edition, Footnote, Provision, Resolution
from drafting.reading import edition_tree, latest_edition
from drafting.translation import say

from . import DomainError


class ImportProblem(DomainError):
    """A file or text that cannot become an edition; nothing has been saved."""


@dataclass
class ImportSummary:
    edition: Edition
    parts: int
    items: int
    annexes: int
    footnotes: int
    carried_over: int  # clauses known from the previous edition


def check_size(size: int) -> None:
    """Refuse a file over the upload limit, before anything reads it."""
    limit = settings.MAX_UPLOAD_BYTES
    if size > limit:
        raise ImportProblem(
            gettext(
                "The file is %(size)s MB; the largest file accepted is %(limit)s MB. A resolution is usually well under 1 MB: is this the right file?"
            )
            % {"size": format(size / 1_048_576, ".1f"), "limit": format(limit / 1_048_576, ".0f")},
            status=413,
        )


def check_upload(filename: str, data: bytes, *, wanted: str, save_as: str) -> None:
    """Refuse an empty or oversized upload, or a kind of file the tool does not read, by its name."""
    if not data:
        raise ImportProblem(gettext("The file is empty: there is nothing to import."))
    check_size(len(data))
    if filename.lower().endswith((".doc", ".docm", ".dot", ".rtf", ".odt", ".pdf")):
        raise ImportProblem(
            gettext("%(filename)s is not %(wanted)s. Save it as %(save_as)s and upload that.")
            % {"filename": filename, "wanted": wanted, "save_as": save_as}
        )


def read_upload(filename: str, data: bytes) -> str:
    """The text of an uploaded file (.txt in UTF-8 or UTF-16, or .docx), or ImportProblem."""
    check_upload(
        filename,
        data,
        wanted=gettext("a file this tool reads"),
        save_as=gettext("a Word document (.docx) or as plain text (.txt, UTF-8)"),
    )
    name = filename.lower()
    if name.endswith(".docx") or data[:4] == b"PK\x03\x04":
        from drafting.engine.docx_text import docx_to_text

        try:
            return docx_to_text(data)
        except ParseError as e:
            raise ImportProblem(say(e)) from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportProblem(
                gettext("The file claims to be UTF-16 text but is not readable as such.")
            ) from None
    if b"\x00" in data[:65536]:
        raise ImportProblem(
            gettext(
                "This is not a text file: it contains binary data. Upload the resolution as a .docx "
                "or as plain text (.txt)."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportProblem(
            gettext(
                "The file is not UTF-8 text (unreadable byte at position %(start)s). Save it again as plain text with UTF-8 encoding (in Word: Save As, Plain Text, Unicode (UTF-8))."
            )
            % {"start": e.start}
        ) from None


def parse_text(text: str) -> ResolutionText:
    """Parse a resolution text, turning parser failures into ImportProblem."""
    try:
        parsed = parse_resolution(text)
    except ParseError as e:
        raise ImportProblem(say(e)) from None
    if not parsed.parts:
        raise ImportProblem(gettext("No resolution was recognised: the text has no parts."))
    return parsed


_REVISION = re.compile(r"^(?:Rev\.\s*)?(?P<place>.*?)\s*,\s*(?P<year>\d{4})\s*$", re.IGNORECASE)
# The Council revises its resolutions by session: "Modified 2019", "Rev. 2019", "2019".
_SESSION = re.compile(r"^(?:(?:Rev\.|Revised|Modified|Mod\.)\s*)?(?P<year>(?:19|20)\d{2})\s*$", re.IGNORECASE)


def split_revision(revision: str) -> tuple[str, int | None]:
    """ "Rev. Hammamet, 2016" -> ("Hammamet", 2016)."""
    m = _REVISION.match(revision.replace("\u00a0", " ").strip())
    if not m:
        session = _SESSION.match(revision.replace("\u00a0", " ").strip())
        return ("", int(session.group("year"))) if session else ("", None)
    return m.group("place").strip(), int(m.group("year"))


def _same_number(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"[\s\u00a0\u2011\-]+", "-", s.strip().lower())

    return norm(a) == norm(b)


def content_hash(parsed: ResolutionText) -> str:
    return hashlib.sha256(repr(parsed.shape()).encode()).hexdigest()


@transaction.atomic
def import_edition(
    parsed: ResolutionText,
    *,
    body_code: str,
    number: str = "",
    source_name: str = "",
    user=None,
) -> ImportSummary:
    """Save a parsed text as a new edition of a resolution, in one transaction.

    Clauses that continue a clause of the previous edition keep its provision,
    so the two editions can be compared clause by clause.
    """
    body = Body.objects.filter(code__iexact=body_code.strip()).first()
    if body is None:
        known = ", ".join(Body.objects.values_list("code", flat=True)) or gettext("none yet")
        raise ImportProblem(
            gettext("There is no body called %(body_code)s. Known bodies: %(known)s.")
            % {"body_code": repr(body_code), "known": known}
        )
    number = (number or parsed.number).strip()
    if not number:
        raise ImportProblem(gettext("The text does not say which resolution it is: give its number."))
    if parsed.number and not _same_number(parsed.number, number):
        raise ImportProblem(
            gettext(
                "The text is Resolution %(number)s, not Resolution %(number2)s. Check the number you gave."
            )
            % {"number": parsed.number, "number2": number}
        )

    resolution, _ = Resolution.objects.get_or_create(
        body=body, number=number, defaults={"title": parsed.title}
    )
    place, year = split_revision(parsed.revision)
    existing = list(resolution.editions.all())
    slug = (
        "-".join(p for p in (re.sub(r"[^a-z0-9]+", "-", place.lower()).strip("-"), str(year)) if p)
        if year
        else ""
    )
    if not slug:
        slug = f"edition-{len(existing) + 1}"
    digest = content_hash(parsed)
    for edition in existing:
        if edition.slug == slug:
            raise ImportProblem(
                gettext("%(resolution)s already has the edition %(name)s. Nothing was imported.")
                % {"resolution": resolution, "name": edition.name},
                status=409,
            )
        if edition.source_hash == digest:
            raise ImportProblem(
                gettext(
                    "This text is already in the library as %(resolution)s (%(name)s). Nothing was imported."
                )
                % {"resolution": resolution, "name": edition.name},
                status=409,
            )

    previous = latest_edition(resolution)
    carried = 0
    if previous is not None:
        carry_keys(edition_tree(previous), parsed)
        carried = sum(1 for clause, _ in parsed.walk() if clause.key)

    edition = Edition.objects.create(
        resolution=resolution,
        revision=parsed.revision,
        place=place,
        year=year,
        slug=slug,
        title=parsed.title,
        history_line=parsed.history,
        enacting_formula=parsed.enacting_formula,
        front_footnotes=front_footnotes_data(parsed),
        previous=previous,
        source_name=source_name[:255],
        source_hash=digest,
        imported_by=user if user is not None and user.is_authenticated else None,
    )
    summary = save_tree(edition, parsed)
    summary.carried_over = carried

    newest = latest_edition(resolution)
    if newest is not None and newest.pk == edition.pk and resolution.title != parsed.title:
        resolution.title = parsed.title
        resolution.save()
    return summary


def front_footnotes_data(parsed: ResolutionText) -> list[dict]:
    """The footnotes of the title, history line and enacting formula, as the edition keeps them."""
    return [{"number": f.number, "text": f.text, "mark": f.mark} for f in parsed.footnotes]


def save_tree(edition: Edition, parsed: ResolutionText) -> ImportSummary:
    """Writes the edition's clause tree (an import, an adoption), level by level, so every parent has
    its id before its children; inside the caller's transaction."""
    nodes = list(parsed.walk())
    anchors = assign_anchors(parsed)
    known = {
        str(k): pk
        for k, pk in Provision.objects.filter(key__in=[c.key for c, _ in nodes if c.key]).values_list(
            "key", "id"
        )
    }
    new_provisions = [Provision(resolution=edition.resolution) for c, _ in nodes if c.key not in known]
    Provision.objects.bulk_create(new_provisions)
    if new_provisions and new_provisions[0].pk is None:  # backends that return no ids
        new_provisions = list(
            Provision.objects.filter(key__in=[p.key for p in new_provisions]).order_by("id")
        )
    fresh = iter(new_provisions)

    parent_of: dict[int, object] = {}
    for clause, _ in nodes:
        for child in clause.children:
            parent_of[id(child)] = clause
    rows: dict[int, Clause] = {}
    by_depth: dict[int, list[tuple[object, Clause]]] = {}
    for position, (clause, depth) in enumerate(nodes):
        provision_id = known[clause.key] if clause.key in known else next(fresh).pk
        row = Clause(
            edition=edition,
            provision_id=provision_id,
            position=position,
            depth=depth,
            kind=clause.kind,
            role=clause.role,
            label=clause.label,
            heading=clause.heading,
            text=clause.text,
            anchor=anchors[id(clause)],
        )
        rows[id(clause)] = row
        by_depth.setdefault(depth, []).append((clause, row))

    for depth in sorted(by_depth):
        level = by_depth[depth]
        for clause, row in level:
            parent = parent_of.get(id(clause))
            row.parent = rows[id(parent)] if parent is not None else None
        created = bulk_create_with_history([row for _, row in level], Clause)
        for (_, row), saved in zip(level, created, strict=True):
            if row.pk is None:
                row.pk = saved.pk

    footnotes = [
        Footnote(clause=rows[id(clause)], number=note.number, text=note.text, mark=note.mark)
        for clause, _ in nodes
        for note in clause.footnotes
    ]
    if footnotes:
        bulk_create_with_history(footnotes, Footnote)

    edition.clause_count = len(nodes)
    edition.save(update_fields=["clause_count"])
    # Imports and adoptions both come through here: keep the citation graph current.
    from .citations.indexing import edition_saved

    edition_saved(edition)
    kinds = [clause.kind for clause, _ in nodes]
    return ImportSummary(
        edition=edition,
        parts=kinds.count(PART),
        items=kinds.count(ITEM),
        annexes=kinds.count(ANNEX),
        footnotes=len(footnotes),
        carried_over=0,
    )


def import_text(
    text: str, *, body_code: str, number: str = "", source_name: str = "", user=None
) -> ImportSummary:
    return import_edition(
        parse_text(text), body_code=body_code, number=number, source_name=source_name, user=user
    )
