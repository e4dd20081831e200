"""The secretariat's upload page: preview the recognised structure, then import."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from drafting.models import Body
from drafting.permissions import secretariat_required
from drafting.services.library import ImportProblem, check_size, import_text, parse_text, read_upload

PENDING = "pending_imports"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Resolution file (.txt or .docx)"))
    body = forms.ModelChoiceField(
        queryset=Body.objects.all(), to_field_name="code", empty_label=None, label=gettext_lazy("Body")
    )
    number = forms.CharField(
        max_length=40,
        required=False,
        label=gettext_lazy("Resolution number"),
        help_text=gettext_lazy("Needed when the text has no “RESOLUTION n” line, as in Council texts."),
    )


def _render(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    template = "drafting/import.html#result" if request.htmx else "drafting/import.html"
    return render(request, template, context, status=status)


@secretariat_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: read and parse the file, and show what was recognised."""
    if request.method != "POST":
        return render(request, "drafting/import.html", {"form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = " ".join(str(message) for errors in form.errors.values() for message in errors)
        return _render(
            request, {"form": form, "error": problems or gettext("Choose a file and a body.")}, status=400
        )
    upload = form.cleaned_data["file"]
    try:
        check_size(upload.size)
        text = read_upload(upload.name, upload.read())
        parsed = parse_text(text)
    except ImportProblem as problem:
        return _render(request, {"form": form, "error": problem.message}, status=problem.status)

    number = form.cleaned_data["number"].strip() or parsed.number
    token = secrets.token_urlsafe(12)
    pending = request.session.get(PENDING, {})
    # Keep only the latest few previews: an abandoned one must not grow the session forever.
    pending = dict(list(pending.items())[-2:])
    pending[token] = {
        "text": text,
        "body": form.cleaned_data["body"].code,
        "number": number,
        "filename": upload.name,
    }
    request.session[PENDING] = pending
    return _render(
        request,
        {
            "form": form,
            "preview": parsed,
            "outline": list(parsed.walk()),
            "token": token,
            "body": form.cleaned_data["body"],
            "number": number,
            "filename": upload.name,
        },
    )


@require_POST
@secretariat_required
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Save the previewed text as a new edition, all or nothing."""
    pending = request.session.get(PENDING, {})
    item = pending.get(request.POST.get("token", ""))
    if item is None:
        return _render(
            request,
            {
                "form": UploadForm(),
                "error": gettext("This preview has expired or was already imported. Upload the file again."),
            },
            status=409,
        )
    try:
        summary = import_text(
            item["text"],
            body_code=item["body"],
            number=item["number"],
            source_name=item["filename"],
            user=request.user,
        )
    except ImportProblem as problem:
        return _render(request, {"form": UploadForm(), "error": problem.message}, status=problem.status)
    pending.pop(request.POST["token"], None)
    request.session[PENDING] = pending
    edition = summary.edition
    messages.success(
        request,
        gettext(
            "Imported %(resolution)s (%(name)s): %(parts)s parts, %(items)s items, %(annexes)s annexes, %(footnotes)s footnotes."
        )
        % {
            "resolution": edition.resolution,
            "name": edition.name,
            "parts": summary.parts,
            "items": summary.items,
            "annexes": summary.annexes,
            "footnotes": summary.footnotes,
        },
    )
    if request.htmx:
        return HttpResponseClientRedirect(edition.get_absolute_url())
    return redirect(edition)
