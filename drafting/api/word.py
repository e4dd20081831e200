"""The JSON API for Word documents: fetch any export, queue long ones, import a .docx proposal in two steps."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from drafting.api.drafting import AUTH, Problem, ProposalOut, _contribution, _fail, _proposal_out
from drafting.models import Contribution, Export
from drafting.services import DomainError
from drafting.services.exports import TARGETS, own_export, render_now, request_export
from drafting.services.library import check_size
from drafting.services.word import confirm_docx_proposal, stage_docx_proposal, staged_upload
from drafting.views.word import download

router = Router(auth=AUTH, tags=["word"])


class ExportIn(Schema):
    kind: str  # contribution, compilation, consolidated, edition
    target: (
        int | str
    )  # the id of the contribution, consolidation or edition (an edition: or BODY/number/slug)
    tracked: bool = True  # False: underline and strikethrough
    format: str = "docx"  # "txt" for editions


class ExportOut(Schema):
    id: int
    kind: str
    status: str  # queued, running, done, failed
    done: int
    total: int
    filename: str
    error: str
    seconds: float | None
    status_url: str
    file_url: str


class AmendmentOut(Schema):
    action: str
    target: str
    position: str
    text: str
    heading: str


class PreviewOut(Schema):
    upload: int
    label: str
    reasons: str
    base_edition: str
    modified: int
    added: int
    suppressed: int
    amendments: list[AmendmentOut]
    unmatched: list[str]
    other_proposals: list[str]
    confirm_url: str


def _target(request, kind: str, pk: int | str):
    """The contribution, consolidation or edition to export; an edition may be named by slug too."""
    from drafting.api.editions import edition_by_reference
    from drafting.models import Edition

    if kind not in TARGETS:
        raise HttpError(
            400,
            gettext("Unknown kind of export: %(kind)s. Choose one of %(join)s.")
            % {"kind": repr(kind), "join": ", ".join(TARGETS)},
        )
    model = TARGETS[kind][1]
    if model is Edition:
        return edition_by_reference(pk)
    if not str(pk).isdigit():
        raise HttpError(
            400,
            gettext("The %(value)s to export is named by its id, not %(pk)s.")
            % {"value": TARGETS[kind][0], "pk": repr(pk)},
        )
    if model is Contribution:
        return _contribution(request, int(pk))
    return get_object_or_404(model, pk=int(pk))


def _export_out(export: Export) -> dict:
    return {
        "id": export.pk,
        "kind": export.kind,
        "status": export.status,
        "done": export.done,
        "total": export.total,
        "filename": export.filename,
        "error": export.said_error,
        "seconds": export.seconds,
        "status_url": f"/api/exports/{export.pk}",
        "file_url": f"/api/exports/{export.pk}/file",
    }


@router.get(
    "/export/{kind}/{path:target}",
    response={200: None, 400: Problem, 403: Problem, 404: Problem},
    summary=gettext_lazy("Export now"),
    description=gettext_lazy(
        "Any export, built while you wait and returned as the file (use POST /exports for long ones)."
    ),
)
def export_now(request, kind: str, target: str, tracked: bool = True, format: str = "docx"):
    try:
        filename, data = render_now(
            request.user, kind, _target(request, kind, target), tracked=tracked, file_format=format
        )
    except DomainError as problem:
        _fail(problem)
    content_type = Export(file_format=filename.rsplit(".", 1)[-1]).content_type
    return download(filename, data, content_type)


@router.post(
    "/exports",
    response={202: ExportOut, 400: Problem, 403: Problem, 404: Problem},
    summary=gettext_lazy("Queue export"),
    description=gettext_lazy("Queue an export for the worker; poll its status_url, then fetch its file_url."),
)
def queue_export(request, body: ExportIn):
    try:
        export = request_export(
            request.user,
            body.kind,
            _target(request, body.kind, body.target),
            tracked=body.tracked,
            file_format=body.format,
        )
    except DomainError as problem:
        _fail(problem)
    export.refresh_from_db()
    return Status(202, _export_out(export))


def _own_export(request, pk: int, *, with_file: bool = False) -> Export:
    export = own_export(request.user, pk, with_file=with_file)
    if export is None:
        raise HttpError(404, gettext("No such export of yours."))
    return export


@router.get("/exports/{pk}", response={200: ExportOut, 404: Problem}, summary=gettext_lazy("Export status"))
def export_status(request, pk: int):
    return _export_out(_own_export(request, pk))


@router.get(
    "/exports/{pk}/file",
    response={200: None, 404: Problem, 409: Problem},
    summary=gettext_lazy("Export file"),
)
def export_file(request, pk: int):
    export = _own_export(request, pk, with_file=True)
    if export.status != Export.DONE:
        raise HttpError(
            409,
            gettext("This export is %(status)s, not ready: poll /api/exports/%(pk)s until it is done.")
            % {"status": export.status, "pk": pk},
        )
    return download(export)


def _preview_out(upload, preview) -> dict:
    return {
        "upload": upload.pk,
        "label": preview.label,
        "reasons": preview.reasons,
        "base_edition": str(upload.base_edition),
        "modified": preview.counts["modify"],
        "added": preview.counts["add"],
        "suppressed": preview.counts["suppress"],
        "amendments": [
            {
                "action": a.action,
                "target": a.target,
                "position": a.position,
                "text": a.text,
                "heading": a.heading,
            }
            for a in preview.amendments
        ],
        "unmatched": preview.unplaced,
        "other_proposals": preview.other_proposals,
        "confirm_url": f"/api/contributions/{upload.contribution_id}/imports/{upload.pk}/confirm",
    }


@router.post(
    "/contributions/{pk}/imports",
    response={201: PreviewOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem, 413: Problem},
    summary=gettext_lazy("Upload proposal"),
    description=gettext_lazy(
        'Read a .docx contribution against a base edition: the preview of the MOD proposal it would become.\n\n``base_edition`` is the edition\'s id (GET /api/editions lists them), BODY/number/slug ("WTSA/75/hammamet-2016"), or a slug only one resolution has. Nothing is added to the contribution until the preview is confirmed.'
    ),
)
def upload_proposal(request, pk: int, file: File[UploadedFile], base_edition: Form[str]):
    from drafting.api.editions import edition_by_reference

    contribution = _contribution(request, pk)
    edition = edition_by_reference(base_edition)
    try:
        check_size(file.size)
        upload, preview = stage_docx_proposal(
            request.user, contribution, file.name or "upload.docx", file.read(), edition
        )
    except DomainError as problem:
        _fail(problem)
    return Status(201, _preview_out(upload, preview))


@router.post(
    "/contributions/{pk}/imports/{upload}/confirm",
    response={201: ProposalOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Confirm proposal"),
    description=gettext_lazy(
        "The previewed document becomes a MOD proposal of the contribution, with its amendments."
    ),
)
def confirm_proposal(request, pk: int, upload: int):
    contribution = _contribution(request, pk)
    try:
        proposal = confirm_docx_proposal(request.user, contribution, upload)
    except DomainError as problem:
        _fail(problem)
    return Status(201, _proposal_out(proposal))


@router.delete(
    "/contributions/{pk}/imports/{upload}",
    response={204: None, 404: Problem},
    summary=gettext_lazy("Drop upload"),
)
def drop_upload(request, pk: int, upload: int):
    contribution = _contribution(request, pk)
    try:
        staged_upload(request.user, contribution, upload).delete()
    except DomainError as problem:
        _fail(problem)
    return Status(204, None)
