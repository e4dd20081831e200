"""Word documents out (exports built in the background, with progress) and proposals in from .docx."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from drafting.models import Edition, Export
from drafting.services import DomainError
from drafting.services.exports import KEPT_PER_PERSON, TARGETS, own_export, request_export
from drafting.services.library import check_size
from drafting.services.word import confirm_docx_proposal, stage_docx_proposal, staged_upload
from drafting.validation import InvalidInput, whole_number
from drafting.views.contributions import _get_contribution_for_user


def download(export_or_name, data: bytes | None = None, content_type: str | None = None) -> HttpResponse:
    if isinstance(export_or_name, Export):
        export = export_or_name
        export_or_name, data, content_type = export.filename, bytes(export.data), export.content_type
    response = HttpResponse(data, content_type=content_type or Export(file_format=Export.DOCX).content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_or_name}"'
    return response


@login_required
def export_request(request: HttpRequest) -> HttpResponse:
    """POST: queue an export; htmx gets the progress card in place, others the export's page. GET
    (``?kind=&target=&format=``, a link from a page cached for every reader, which carries no form):
    the export's buttons, to ask for it."""
    if request.method == "GET":
        return _export_choice(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    kind = request.POST.get("kind", "")
    if kind not in TARGETS:
        return HttpResponse(gettext("Unknown kind of export."), status=400)
    try:
        pk = whole_number(request.POST.get("target"), gettext("document to export"))
    except InvalidInput as problem:
        return HttpResponse(problem.message, status=problem.status)
    target = get_object_or_404(TARGETS[kind][1], pk=pk)
    if kind == Export.CONTRIBUTION:
        _get_contribution_for_user(request, target.pk)  # 404 for a draft of another group
    try:
        export = request_export(
            request.user,
            kind,
            target,
            tracked=request.POST.get("marks") != "plain",
            file_format=request.POST.get("format", Export.DOCX),
        )
    except DomainError as problem:
        return HttpResponse(problem.message, status=problem.status)
    export.refresh_from_db()  # a worker may already have started, or (immediate backend) finished
    if request.htmx:
        return render(request, "drafting/_export_card.html", {"export": export})
    if export.status == Export.DONE:
        messages.success(
            request,
            gettext("The %(kind)s export is ready.") % {"kind": export.get_kind_display()},
        )
    else:
        messages.info(
            request,
            gettext("The %(kind)s export is being prepared.") % {"kind": export.get_kind_display()},
        )
    return redirect(export)


def _export_choice(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in TARGETS:
        return HttpResponse(gettext("Unknown kind of export."), status=400)
    try:
        pk = whole_number(request.GET.get("target"), gettext("document to export"))
    except InvalidInput as problem:
        return HttpResponse(problem.message, status=problem.status)
    target = get_object_or_404(TARGETS[kind][1], pk=pk)
    if kind == Export.CONTRIBUTION:
        _get_contribution_for_user(request, target.pk)
    return render(
        request,
        "drafting/export_choice.html",
        {"kind": kind, "target": target, "label": str(target), "clean": kind == Export.EDITION},
    )


def _own_export(request: HttpRequest, pk: int, *, with_file: bool = False) -> Export:
    export = own_export(request.user, pk, with_file=with_file)
    if export is None:
        raise Http404(gettext("No such export of yours."))
    return export


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's progress; htmx polls the card until the file is ready."""
    export = _own_export(request, pk)
    template = "drafting/_export_card.html" if request.htmx else "drafting/export_detail.html"
    return render(request, template, {"export": export})


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    exports = (
        Export.objects.defer("data")
        .filter(requested_by=request.user)
        .select_related(
            "contribution__group",
            "contribution__conference",
            "consolidation__resolution__body",
            "consolidation__conference",
            "edition__resolution__body",
        )[:KEPT_PER_PERSON]
    )
    return render(request, "drafting/export_list.html", {"exports": exports})


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk, with_file=True)
    if export.status != Export.DONE:
        return HttpResponse(gettext("This export is not ready yet."), status=409)
    return download(export)


class DocxForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Contribution document (.docx)"), allow_empty_file=True)
    edition = forms.ModelChoiceField(
        queryset=Edition.objects.select_related("resolution__body").order_by(
            "resolution__body__sort_order", "resolution__sort_key", "-year"
        ),
        label=gettext_lazy("The edition it amends"),
    )


@login_required
def proposal_import(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form. POST: read the document and show what would be imported; the proposal is not saved yet."""
    contribution, can_edit = _get_contribution_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied(
            gettext("Only delegates of the group can add proposals to its draft contribution.")
        )
    # The edition the group's MOD proposals already amend is the likeliest one.
    amended = contribution.proposals.filter(action="MOD").exclude(base_edition=None).first()
    form = DocxForm(
        request.POST or None,
        request.FILES or None,
        initial={"edition": amended.base_edition_id if amended else None},
    )
    context = {"contribution": contribution, "form": form}
    if request.method != "POST":
        return render(request, "drafting/proposal_import.html", context)
    if not form.is_valid():
        context["error"] = " ".join(str(m) for e in form.errors.values() for m in e)
        return render(request, "drafting/proposal_import.html", context, status=400)
    upload, edition = form.cleaned_data["file"], form.cleaned_data["edition"]
    try:
        check_size(upload.size)
        staged, preview = stage_docx_proposal(request.user, contribution, upload.name, upload.read(), edition)
    except DomainError as problem:
        context["error"] = problem.message
        return render(request, "drafting/proposal_import.html", context, status=problem.status)
    changes, part = [], ""
    for clause, depth in preview.draft.walk():
        if depth == 0:
            part = clause.heading
        if clause.changed:
            changes.append((part, clause, depth))
    context.update(preview=preview, upload=staged, edition=edition, changes=changes, counts=preview.counts)
    return render(request, "drafting/proposal_import.html", context)


@require_POST
@login_required
def proposal_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, _ = _get_contribution_for_user(request, pk)
    try:
        if request.POST.get("discard"):
            staged_upload(
                request.user, contribution, whole_number(request.POST.get("upload"), gettext("upload"))
            ).delete()
            messages.info(request, gettext("The uploaded document was dropped; nothing was imported."))
            return redirect(contribution)
        proposal = confirm_docx_proposal(
            request.user, contribution, whole_number(request.POST.get("upload"), gettext("upload"))
        )
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect("proposal_import", contribution.pk)
    messages.success(
        request,
        gettext("Imported %(label)s with %(count)s changes.")
        % {"label": proposal.label, "count": proposal.amendments.count()},
    )
    return redirect(proposal)
