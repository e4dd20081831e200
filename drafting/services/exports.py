"""Exports: documents built from the drafting records, in the background when they are long.

``render`` builds any export's file from the records and reports progress;
``request_export`` checks the right to it and queues it; the task
(``build_export``, below) runs ``build`` in a worker and keeps the file
on the ``Export`` row for download.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext

from drafting.engine.docx_write import (
    CompilationDoc,
    CompilationRow,
    ConsolidatedDoc,
    ContributionDoc,
    ProposalDoc,
    compilation_docx,
    consolidated_docx,
    contribution_docx,
    edition_docx,
    item_marks,
)
from drafting.engine.merge import UNCHANGED
from drafting.engine.pdf import ConversionFailed, docx_to_pdf
from drafting.engine.printer import print_resolution
from drafting.engine.said import gettext_noop
from drafting.engine.tree import FRONT, PART
from drafting.models import Consolidation, Contribution, Edition, Export, Proposal
from drafting.models.drafting import document_name
from drafting.permissions import can_view_contribution
from drafting.reading import edition_tree
from drafting.translation import kept

from . import DomainError
from .amendments import draft_of, proposal_amendments
from .consolidation import compile_consolidation, consolidated_draft, outcomes, resolved_text
from .contributions import parse_new_resolution

Progress = Callable[[int, int], None]
SECRETARIAT_AUTHOR = "ITU Secretariat"
KEPT_PER_PERSON = 30  # the exports page lists as many


class ExportProblem(DomainError):
    pass


# What each kind of export is made of: the Export field that holds it, and its model.
TARGETS = {
    Export.CONTRIBUTION: ("contribution", Contribution),
    Export.COMPILATION: ("consolidation", Consolidation),
    Export.CONSOLIDATED: ("consolidation", Consolidation),
    Export.EDITION: ("edition", Edition),
}


# --- documents from records ----------------------------------------------------------------------


def _proposal_doc(proposal: Proposal) -> ProposalDoc:
    doc = ProposalDoc(label=proposal.label, reasons=proposal.reasons)
    if proposal.action == Proposal.MOD and proposal.base_edition_id:
        doc.draft = draft_of(proposal, proposal_amendments(proposal))
        doc.revision = revision_change(proposal.base_edition, proposal.contribution.conference)
    elif proposal.action == Proposal.ADD and proposal.new_text:
        doc.text = parse_new_resolution(proposal.new_text)
    elif proposal.resolution_id:
        doc.resolution = str(proposal.resolution)
    return doc


def revision_change(base: Edition, conference) -> tuple[str, str] | None:
    """What the revision line changes to (the documents and the adopted draft's front): the base edition's place and year, then the conference's."""
    if base.place and base.year:
        return (f"{base.place}, {base.year}", f"{conference.place}, {conference.year}")
    return None


def _conference_lines(conference) -> str:
    return f"{conference.body.name} ({conference.code})\n{conference.place}, {conference.year}"


def contribution_document(contribution: Contribution, progress: Progress | None = None) -> ContributionDoc:
    """The contribution as a document; reading each proposal's draft is the work ``progress`` follows."""
    group = contribution.group
    proposals = list(contribution.proposals.select_related("base_edition", "resolution__body"))
    docs = []
    for done, proposal in enumerate(proposals, 1):
        docs.append(_proposal_doc(proposal))
        if progress is not None:
            progress(done, len(proposals) + 1)
    when = contribution.submitted_at or contribution.updated_at or timezone.now()
    return ContributionDoc(
        conference=_conference_lines(contribution.conference),
        # The number as printed carries the document's language ("35-E"); the name is built around it.
        document=document_name(
            f"{contribution.document_number}-E", contribution.addendum, contribution.revision
        ),
        date=when.strftime("%-d %B %Y"),
        language="Original: English",
        source=f"{group.name} ({group.code})" if group.name != group.code else group.code,
        author=group.code,
        title=contribution.title,
        abstract=contribution.abstract,
        introduction=contribution.introduction,
        proposals=docs,
        when=when,
    )


def compilation_document(consolidation: Consolidation) -> CompilationDoc:
    compilation = compile_consolidation(consolidation)
    rows = []
    for row in compilation.rows:
        decision = compilation.decisions.get(row.key)
        untouched = row.status == UNCHANGED and decision is None
        if untouched and row.kind != PART:
            continue  # no group touches it: the table lists what is proposed, under its part headings
        versions = {}
        for group in compilation.groups:
            version = row.versions.get(group)
            versions[group] = item_marks(version.clause) if version is not None and version.changed else None
        text, _ = resolved_text(row, decision)
        rows.append(
            CompilationRow(
                label=gettext("title") if row.kind == FRONT else row.label,
                kind=row.kind,
                depth=row.depth,
                base=None if row.base is None else (row.base.heading if row.kind == PART else row.base.text),
                versions=versions,
                status=row.status,
                decision="" if untouched else ("(suppressed)" if text is None else text),
                note=decision.note if decision is not None else "",
            )
        )
    conference = consolidation.conference
    found = outcomes(compilation)
    return CompilationDoc(
        title=f"Compilation of proposals: {consolidation.resolution}",
        lines=[
            f"{conference.body.name} ({conference.code}), {conference.place}, {conference.year}",
            f"Against {consolidation.base_edition.name}; proposals of "
            + (", ".join(f"{g} ({p.label})" for g, p in compilation.proposals.items()) or "no group yet"),
            # The outcomes in the words every page and the API use (drafting.services.outcomes).
            *(["Outcomes: " + "; ".join(f"{g}: {o}" for g, o in sorted(found.items()))] if found else []),
            timezone.now().strftime("%-d %B %Y"),
        ],
        groups=compilation.groups,
        rows=rows,
    )


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "-" for c in text).strip("-")


def render(export: Export, progress: Progress) -> tuple[str, bytes]:
    """(filename, file) for an export; ``progress(done, total)`` is called as the work goes. A PDF is
    the Word document with its marks as underline and strikethrough, laid out by LibreOffice."""
    if export.file_format == Export.PDF:
        filename, data = _render(export, progress)
        try:
            pdf = docx_to_pdf(data, settings.LIBREOFFICE)
        except ConversionFailed as problem:
            raise ExportProblem(problem.args[0], status=500) from None  # a Message: said to its reader
        return filename.rsplit(".", 1)[0].removesuffix("-plain") + ".pdf", pdf
    return _render(export, progress)


def _render(export: Export, progress: Progress) -> tuple[str, bytes]:
    # A document is in the installation's language whoever asks for it (the worker and a request
    # alike): its names ("Addendum 18 to Document 35", "WTSA Resolution 75") are the texts' own.
    with translation.override(settings.LANGUAGE_CODE):
        return _render_document(export, progress)


def _render_document(export: Export, progress: Progress) -> tuple[str, bytes]:
    marks = "" if export.tracked else "-plain"
    if export.kind == Export.CONTRIBUTION:
        contribution = export.contribution
        doc = contribution_document(contribution, progress)
        data = contribution_docx(doc, tracked=export.tracked)
        progress(len(doc.proposals) + 1, len(doc.proposals) + 1)  # the last step: writing the file
        return _slug(f"{contribution.group.code}-{contribution.code}{marks}") + ".docx", data
    if export.kind == Export.COMPILATION:
        consolidation = export.consolidation
        name = _slug(f"compilation-{consolidation.resolution.body.code}-res{consolidation.resolution.slug}")
        doc = compilation_document(consolidation)
        return f"{name}-{consolidation.conference.code}{marks}.docx", compilation_docx(
            doc, tracked=export.tracked, progress=progress
        )
    if export.kind == Export.CONSOLIDATED:
        consolidation = export.consolidation
        conference, base = consolidation.conference, consolidation.base_edition
        doc = ConsolidatedDoc(
            conference=_conference_lines(conference),
            date=timezone.now().strftime("%-d %B %Y"),
            title=f"Draft revision of Resolution {consolidation.resolution.number}",
            note=f"All proposals consolidated against {base.name}; text not yet settled stands in [square brackets].",
            draft=consolidated_draft(compile_consolidation(consolidation)),
            revision=revision_change(base, conference),
            author=SECRETARIAT_AUTHOR,
        )
        data = consolidated_docx(doc, tracked=export.tracked, progress=progress)
        name = _slug(f"draft-{consolidation.resolution.body.code}-res{consolidation.resolution.slug}")
        return f"{name}-{conference.code}{marks}.docx", data
    if export.kind == Export.EDITION:
        edition = export.edition
        name = f"{edition.resolution.body.code}-res{edition.resolution.slug}-{edition.slug}"
        tree = edition_tree(edition)
        progress(1, 1)
        if export.file_format == Export.TEXT:
            return f"{name}.txt", print_resolution(tree).encode("utf-8")
        return f"{name}.docx", edition_docx(tree, edition.resolution.number)
    raise ExportProblem(gettext_noop("Unknown kind of export: %(kind)s.", kind=export.kind))


# --- asking for one, building it -------------------------------------------------------------------


def check_right(user, export: Export) -> None:
    if export.kind == Export.CONTRIBUTION and not can_view_contribution(user, export.contribution):
        raise ExportProblem(
            gettext("This contribution is still a draft: only its group's delegates can export it."),
            status=403,
        )


def new_export(user, kind: str, target, *, tracked: bool = True, file_format: str = Export.DOCX) -> Export:
    """An unsaved export of ``target`` (a contribution, a consolidation or an edition), the right checked."""
    if kind not in TARGETS:
        raise ExportProblem(
            gettext("Unknown kind of export: %(kind)s. Choose one of %(join)s.")
            % {"kind": repr(kind), "join": ", ".join(TARGETS)},
            status=400,
        )
    if file_format not in (Export.DOCX, Export.TEXT, Export.PDF) or (
        file_format == Export.TEXT and kind != Export.EDITION
    ):
        raise ExportProblem(
            gettext("Plain text is made of editions only; the other exports are Word documents or PDF."),
            status=400,
        )
    if file_format == Export.PDF:
        if not settings.LIBREOFFICE:
            raise ExportProblem(gettext("PDF export is not available on this server."), status=400)
        tracked = False  # on paper the marks are underline and strikethrough, as ITU publishes them
    export = Export(
        kind=kind, tracked=tracked, file_format=file_format, requested_by=user, **{TARGETS[kind][0]: target}
    )
    check_right(user, export)
    return export


def request_export(
    user, kind: str, target, *, tracked: bool = True, file_format: str = Export.DOCX
) -> Export:
    """Queue an export: the worker builds it once the request's transaction is committed."""
    export = new_export(user, kind, target, tracked=tracked, file_format=file_format)
    export.save()
    # Files are kept to download again, but not for ever: a person's oldest finished ones go.
    kept = (
        Export.objects.filter(requested_by=user).order_by("-requested_at", "-id").values_list("pk", flat=True)
    )
    Export.objects.filter(requested_by=user, status__in=[Export.DONE, Export.FAILED]).exclude(
        pk__in=list(kept[:KEPT_PER_PERSON])
    ).delete()
    transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


def own_export(user, pk: int, *, with_file: bool = False) -> Export | None:
    """One of the person's exports (nobody else's), its file read only when it is to be sent."""
    exports = Export.objects.filter(pk=pk, requested_by=user)
    return (exports if with_file else exports.defer("data")).first()


def build(export_id: int) -> Export:
    """Build the export's file, saving its progress as it goes; a failure is kept with its message."""
    export = Export.objects.select_related(
        "contribution__group",
        "contribution__conference__body",
        "consolidation__resolution__body",
        "consolidation__conference__body",
        "consolidation__base_edition",
        "edition__resolution__body",
    ).get(pk=export_id)
    if export.finished:
        return export
    Export.objects.filter(pk=export.pk).update(status=Export.RUNNING)
    started = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        # A row update per clause would slow the export more than it informs: a few a second.
        now = time.perf_counter()
        if done == total or now - last[0] > 0.25:
            last[0] = now
            Export.objects.filter(pk=export.pk).update(done=done, total=total)

    try:
        filename, data = render(export, progress)
    except Exception as problem:  # kept on the row so the person who asked sees what went wrong
        message = (
            problem.message
            if isinstance(problem, DomainError)
            else gettext_noop("The export failed: %(problem)s", problem=str(problem))
        )
        # Kept as what it says (template and values), read later in the reader's language; the
        # worker's own language is nobody's.
        Export.objects.filter(pk=export.pk).update(
            status=Export.FAILED,
            error=str(message)[:2000],
            error_said=kept(message),
            finished_at=timezone.now(),
        )
        raise
    Export.objects.filter(pk=export.pk).update(
        status=Export.DONE,
        filename=filename,
        data=data,
        finished_at=timezone.now(),
        seconds=time.perf_counter() - started,
    )
    export.refresh_from_db()
    return export


@task
def build_export(export_id: int) -> int:
    """The worker's task (django-tasks-db's ``db_worker`` runs it): ``build`` in the background."""
    return build(export_id).pk


def render_now(
    user, kind: str, target, *, tracked: bool = True, file_format: str = Export.DOCX
) -> tuple[str, bytes]:
    """A small export built in the request (an edition, one contribution through the API)."""
    export = new_export(user, kind, target, tracked=tracked, file_format=file_format)
    return render(export, lambda done, total: None)
