"""Drafting views: contributions, proposals and the clause-by-clause editor."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from drafting.engine import amend as engine
from drafting.models import Conference, Contribution, Edition, Proposal, RegionalGroup
from drafting.permissions import (
    can_edit_contribution,
    can_submit_contribution,
    can_view_contribution,
    can_withdraw,
    is_group_member,
)
from drafting.services import DomainError
from drafting.services.drafting import (
    StaleEdit,
    _current_version,
    add_clause,
    add_comment,
    add_proposal,
    apply_replace,
    citation_warnings,
    clause_history,
    create_contribution,
    draft_of,
    modify_clause,
    parse_new_resolution,
    preview_replace,
    proposal_amendments,
    restore_clause,
    revise_contribution,
    save_new_resolution,
    submit_contribution,
    suppress_clause,
    update_contribution,
    update_reasons,
    withdraw_contribution,
)


def _get_contribution_for_user(request: HttpRequest, pk: int) -> tuple[Contribution, bool]:
    """The contribution if the user may read it (404 otherwise, so drafts stay invisible), and whether they may edit it."""
    contribution = get_object_or_404(
        Contribution.objects.select_related("conference__body", "group", "submitted_by"), pk=pk
    )
    if not can_view_contribution(request.user, contribution):
        raise Http404("No such contribution.")
    return contribution, can_edit_contribution(request.user, contribution)


def _get_proposal_for_user(request: HttpRequest, pk: int) -> tuple[Proposal, bool]:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "contribution__conference__body",
            "contribution__group",
            "resolution__body",
            "base_edition__resolution__body",
        ),
        pk=pk,
    )
    if not can_view_contribution(request.user, proposal.contribution):
        raise Http404("No such proposal.")
    return proposal, can_edit_contribution(request.user, proposal.contribution)


@login_required
def contribution_list(request: HttpRequest) -> HttpResponse:
    """Contributions the user can see: the group's drafts and everything submitted."""
    group_ids = list(request.user.regional_groups.values_list("id", flat=True))
    visible = Q(status__in=[Contribution.SUBMITTED, Contribution.WITHDRAWN]) | Q(group_id__in=group_ids)
    contributions = (
        Contribution.objects.filter(visible)
        .select_related("conference", "group")
        .annotate(proposal_count=Count("proposals"))
        .order_by("conference__code", "document_number", "addendum", "revision")
    )
    return render(request, "drafting/contribution_list.html", {"contributions": contributions})


@login_required
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, can_edit = _get_contribution_for_user(request, pk)
    proposals = list(
        contribution.proposals.select_related("resolution__body", "base_edition").annotate(
            amendment_count=Count("amendments")
        )
    )
    _attach_outcomes(contribution, proposals)
    return render(
        request,
        "drafting/contribution_detail.html",
        {
            "contribution": contribution,
            "proposals": proposals,
            "can_edit": can_edit,
            "can_submit": can_submit_contribution(request.user, contribution),
            "is_member": contribution.group.members.filter(pk=request.user.pk).exists(),
            "is_coordinator": can_withdraw(request.user, contribution),
            "proposal_form": ProposalForm() if can_edit else None,
            "revisions": list(contribution.revisions.all()),
        },
    )


@require_POST
@login_required
def contribution_submit(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, _ = _get_contribution_for_user(request, pk)
    try:
        submit_contribution(request.user, contribution)
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect(contribution)
    messages.success(request, f"{contribution} has been submitted. It is now frozen and visible to all.")
    return redirect(contribution)


def _attach_outcomes(contribution: Contribution, proposals: list[Proposal]) -> None:
    """What the consolidation made of each proposal, so the group sees what happened to it."""
    from drafting.models import Consolidation
    from drafting.services.consolidation import compile_consolidation, outcomes

    if contribution.status != Contribution.SUBMITTED:
        return
    consolidations = {
        c.resolution_id: c
        for c in Consolidation.objects.filter(
            conference=contribution.conference,
            resolution__in=[p.resolution_id for p in proposals if p.resolution_id],
        )
    }
    for proposal in proposals:
        consolidation = consolidations.get(proposal.resolution_id)
        if consolidation is not None:
            proposal.outcome = outcomes(compile_consolidation(consolidation)).get(contribution.group.code)
            proposal.consolidation = consolidation


def _editor_context(proposal: Proposal, can_edit: bool) -> dict:
    amendments = proposal_amendments(proposal)
    draft = draft_of(proposal, amendments)
    last_change = {}
    for a in amendments:
        key = str(a.added.key) if a.added_id else str(a.target.key)
        last_change[key] = a
    from drafting.models import ClauseComment

    comment_counts = dict(
        ClauseComment.objects.filter(proposal=proposal)
        .values_list("provision__key")
        .annotate(n=Count("id"))
        .values_list("provision__key", "n")
    )
    rows = []
    part = ""
    for clause, depth in draft.walk():
        if depth == 0:
            part = clause.heading if clause.kind == "part" else clause.heading or "annex"
        rows.append(
            {
                "clause": clause,
                "depth": depth,
                "change": last_change.get(clause.key),
                "part": part,
                "comments": comment_counts.get(uuid.UUID(clause.key), 0) if clause.key else 0,
            }
        )
    flagged = {id(c): citation for c, citation in engine.relabelled_references(draft)}
    for row in rows:
        row["flag"] = flagged.get(id(row["clause"]))
    changes = [row for row in rows if row["clause"].changed]
    labels = {row["clause"].key: row["clause"] for row in rows}
    warnings = [(w, labels.get(w.key)) for w in citation_warnings(draft)]
    return {
        "warnings": warnings,
        "proposal": proposal,
        "contribution": proposal.contribution,
        "rows": rows,
        "changes": changes,
        "problems": draft.problems,
        "can_edit": can_edit,
        "version": proposal.version,
    }


@login_required
def proposal_editor(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole resolution with the group's changes as revision marks; click a clause to edit it."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    if proposal.action == Proposal.ADD:
        return redirect("proposal_new_text", proposal.pk)
    if proposal.action != Proposal.MOD or proposal.base_edition_id is None:
        return render(request, "drafting/proposal_simple.html", {"proposal": proposal, "can_edit": can_edit})
    return render(request, "drafting/proposal_editor.html", _editor_context(proposal, can_edit))


@require_GET
@login_required
def proposal_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """What the editor polls: 204 when nothing changed since the version it shows, else the fresh draft."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    try:
        since = int(request.GET.get("since", "0"))
    except ValueError:
        since = 0
    if since == proposal.version:
        return HttpResponse(status=204)
    return render(request, "drafting/proposal_editor.html#draft", _editor_context(proposal, can_edit))


class ClauseForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), strip=True, required=False)
    version = forms.IntegerField(min_value=0)


def _clause_response(
    request: HttpRequest, proposal: Proposal, can_edit: bool, key: str, status: int = 200, **extra
):
    context = _editor_context(proposal, can_edit)
    row = next((r for r in context["rows"] if r["clause"].key == key), None)
    if row is None:
        # The clause is gone (a removed addition): refresh the whole draft instead.
        return render(request, "drafting/proposal_editor.html#draft", context, status=status)
    context.update(row=row, oob_changes=True, **extra)
    response = render(request, "drafting/proposal_editor.html#clause", context, status=status)
    return trigger_client_event(response, "draft-saved", {"version": context["version"]})


def _edit_gate(request: HttpRequest, proposal: Proposal) -> HttpResponse | None:
    """None if the user may edit the proposal now; else 403 (no right) or 409 (no longer a draft)."""
    from drafting.services.drafting import _require_edit

    try:
        _require_edit(request.user, proposal.contribution)
    except DomainError as problem:
        if problem.status == 403:
            raise PermissionDenied(problem.message) from None
        return render(request, "403.html", {"exception": problem.message}, status=problem.status)
    return None


def _open_clause(request: HttpRequest, pk: int, key: str):
    """(None, proposal, editor context, the clause's row) for someone who may edit it now, else (response, ...)."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    gate = _edit_gate(request, proposal)
    if gate is not None:
        return gate, None, None, None
    context = _editor_context(proposal, can_edit)
    row = next((r for r in context["rows"] if r["clause"].key == key), None)
    if row is None:
        raise Http404("This clause is not in the text.")
    return None, proposal, context, row


def _require_htmx_or_redirect(request: HttpRequest, proposal: Proposal, key: str):
    if not request.htmx:
        return redirect(f"{proposal.get_absolute_url()}#c-{key}")
    return None


@login_required
def clause_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """GET: the clause's edit form in place. POST: save it with the version it was opened at."""
    key = str(key)
    gate, proposal, context, row = _open_clause(request, pk, key)
    if gate is not None:
        return gate
    can_edit = context["can_edit"]
    clause = row["clause"]
    if request.method == "GET":
        version = row["change"].version if row["change"] and row["change"].action != engine.SUPPRESS else 0
        if clause.added:
            version = row["change"].version
        value = clause.heading if clause.kind == "part" else clause.text
        context.update(row=row, editing=True, value=value, edit_version=version)
        return render(request, "drafting/proposal_editor.html#clause", context)

    form = ClauseForm(request.POST)
    if not form.is_valid():
        context.update(row=row, editing=True, value=request.POST.get("text", ""), edit_version=0)
        context["error"] = "The form was incomplete: reload the page and try again."
        return render(request, "drafting/proposal_editor.html#clause", context, status=400)
    text, version = form.cleaned_data["text"], form.cleaned_data["version"]
    try:
        modify_clause(request.user, proposal, key, text, expected_version=version)
    except StaleEdit as stale:
        context.update(
            row=row,
            editing=True,
            value=text,
            edit_version=stale.current_version,
            error=stale.message,
            theirs=stale.current_text,
        )
        return render(request, "drafting/proposal_editor.html#clause", context, status=409)
    except DomainError as problem:
        context.update(row=row, editing=True, value=text, edit_version=version, error=problem.message)
        return render(request, "drafting/proposal_editor.html#clause", context, status=problem.status)
    proposal.refresh_from_db(fields=["version"])
    return _require_htmx_or_redirect(request, proposal, key) or _clause_response(
        request, proposal, can_edit, key
    )


@login_required
def clause_add(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """GET: a form for a new item after (or before, or inside) the clause. POST: add it."""
    key = str(key)
    gate, proposal, context, row = _open_clause(request, pk, key)
    if gate is not None:
        return gate
    can_edit = context["can_edit"]
    if request.method == "GET":
        context.update(row=row, adding=True, position=request.GET.get("position", engine.AFTER))
        return render(request, "drafting/proposal_editor.html#clause", context)
    position = request.POST.get("position", engine.AFTER)
    kind = "part" if request.POST.get("kind") == "part" else "item"
    text = request.POST.get("text", "")
    try:
        add_clause(
            request.user,
            proposal,
            key,
            position,
            text=text if kind == "item" else "",
            heading=text if kind == "part" else "",
            kind=kind,
            label=request.POST.get("label", ""),
        )
    except DomainError as problem:
        context.update(row=row, adding=True, position=position, value=text, error=problem.message)
        return render(request, "drafting/proposal_editor.html#clause", context, status=problem.status)
    if not request.htmx:
        return redirect(f"{proposal.get_absolute_url()}#c-{key}")
    proposal.refresh_from_db(fields=["version"])
    response = render(request, "drafting/proposal_editor.html#draft", _editor_context(proposal, can_edit))
    return trigger_client_event(response, "draft-saved", {"version": proposal.version})


@require_POST
@login_required
def clause_suppress(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    key = str(key)
    return _structure_change(request, pk, key, suppress_clause)


@require_POST
@login_required
def clause_restore(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    key = str(key)
    return _structure_change(request, pk, key, restore_clause)


def _structure_change(request: HttpRequest, pk: int, key: str, service) -> HttpResponse:
    """Suppressing and restoring relabel the clauses around: the whole draft is re-rendered."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    try:
        service(request.user, proposal, key)
    except DomainError as problem:
        if not request.htmx:
            messages.error(request, problem.message)
            return redirect(proposal)
        response = HttpResponse(problem.message, status=problem.status, content_type="text/plain")
        return trigger_client_event(response, "draft-error", {"message": problem.message})
    if not request.htmx:
        return redirect(f"{proposal.get_absolute_url()}#c-{key}")
    proposal.refresh_from_db(fields=["version"])
    response = render(request, "drafting/proposal_editor.html#draft", _editor_context(proposal, can_edit))
    return trigger_client_event(response, "draft-saved", {"version": proposal.version})


@login_required
def clause_cancel(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    key = str(key)
    proposal, can_edit = _get_proposal_for_user(request, pk)
    return _require_htmx_or_redirect(request, proposal, key) or _clause_response(
        request, proposal, can_edit, key
    )


@require_POST
@login_required
def proposal_replace(request: HttpRequest, pk: int) -> HttpResponse:
    """Find and replace across the resolution: a preview first, then one amendment per clause touched."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied("Only delegates of the group can edit its draft contribution.")
    find, replace = request.POST.get("find", ""), request.POST.get("replace", "")
    context = {"proposal": proposal, "find": find, "replace": replace}
    try:
        if request.POST.get("apply"):
            count = apply_replace(request.user, proposal, find, replace)
            messages.success(request, f"Replaced “{find}” in {count} clause{'s' if count != 1 else ''}.")
            if request.htmx:
                return HttpResponseClientRedirect(proposal.get_absolute_url())
            return redirect(proposal)
        context["replacements"] = preview_replace(proposal, find, replace)
    except DomainError as problem:
        context["error"] = problem.message
        return render(request, "drafting/_replace.html", context, status=problem.status)
    return render(request, "drafting/_replace.html", context)


class ContributionForm(forms.Form):
    conference = forms.ModelChoiceField(queryset=Conference.objects.all(), empty_label=None)
    group = forms.ModelChoiceField(queryset=RegionalGroup.objects.none(), empty_label=None, label="Source")
    document_number = forms.CharField(
        max_length=10, label="Document number", help_text="35 in “Addendum 18 to Document 35”"
    )
    addendum = forms.IntegerField(
        min_value=1, required=False, help_text="18 in “Addendum 18 to Document 35”; empty for none"
    )
    title = forms.CharField(max_length=500)
    abstract = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    introduction = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = user.regional_groups.all()


@login_required
def contribution_new(request: HttpRequest) -> HttpResponse:
    """A delegate starts a draft contribution of their group."""
    if not request.user.regional_groups.exists():
        raise PermissionDenied("Only delegates of a regional group can draft contributions.")
    form = ContributionForm(request.user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                contribution = create_contribution(
                    request.user,
                    conference=data["conference"],
                    group=data["group"],
                    document_number=data["document_number"],
                    addendum=data["addendum"],
                    title=data["title"],
                    abstract=data["abstract"],
                    introduction=data["introduction"],
                )
            except DomainError as problem:
                form.add_error(None, problem.message)
                status = problem.status
            else:
                messages.success(
                    request, f"{contribution} created as a draft, visible to {contribution.group.code} only."
                )
                return redirect(contribution)
        else:
            status = 400
    return render(request, "drafting/contribution_form.html", {"form": form}, status=status)


class ProposalForm(forms.Form):
    action = forms.ChoiceField(choices=Proposal.ACTION_CHOICES)
    edition = forms.ModelChoiceField(
        queryset=Edition.objects.select_related("resolution__body").order_by(
            "resolution__body__sort_order", "resolution__sort_key", "-year"
        ),
        required=False,
        label="Resolution (and, for MOD, the edition to amend)",
    )
    new_number = forms.CharField(max_length=40, required=False, label="New resolution's number (ADD)")
    new_title = forms.CharField(max_length=500, required=False, label="New resolution's title (ADD)")
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


@require_POST
@login_required
def proposal_new(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, _ = _get_contribution_for_user(request, pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "The proposal form was incomplete: " + " ".join(str(m) for e in form.errors.values() for m in e),
        )
        return redirect(contribution)
    data = form.cleaned_data
    edition = data["edition"]
    try:
        proposal = add_proposal(
            request.user,
            contribution,
            action=data["action"],
            resolution=edition.resolution if edition else None,
            base_edition=edition,
            reasons=data["reasons"],
            new_number=data["new_number"],
            new_title=data["new_title"],
        )
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect(contribution)
    messages.success(request, f"{proposal.label} added.")
    return redirect(proposal if proposal.action in (Proposal.MOD, Proposal.ADD) else contribution)


@require_POST
@login_required
def contribution_update(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, _ = _get_contribution_for_user(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        update_contribution(
            request.user,
            contribution,
            version,
            title=request.POST.get("title", contribution.title),
            abstract=request.POST.get("abstract", contribution.abstract),
            introduction=request.POST.get("introduction", contribution.introduction),
        )
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect(contribution)
    messages.success(request, "Saved.")
    return redirect(contribution)


@require_POST
@login_required
def contribution_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, _ = _get_contribution_for_user(request, pk)
    try:
        withdraw_contribution(request.user, contribution)
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect(contribution)
    messages.success(request, f"{contribution} has been withdrawn. It stays readable.")
    return redirect(contribution)


@require_POST
@login_required
def contribution_revise(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, _ = _get_contribution_for_user(request, pk)
    try:
        revision = revise_contribution(request.user, contribution)
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect(contribution)
    messages.success(
        request, f"{revision} is a new draft; {contribution.document_label} stays as it was submitted."
    )
    return redirect(revision)


@require_POST
@login_required
def proposal_reasons(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, _ = _get_proposal_for_user(request, pk)
    try:
        update_reasons(request.user, proposal, request.POST.get("reasons", ""))
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect(proposal)
    messages.success(request, "Reasons saved.")
    return redirect(proposal)


def _panel(
    request: HttpRequest, proposal: Proposal, can_edit: bool, key: str, status: int = 200, **extra
) -> HttpResponse:
    from drafting.models import ClauseComment

    context = {
        "proposal": proposal,
        "key": key,
        "can_edit": can_edit,
        "history": clause_history(proposal, key),
        "comments": ClauseComment.objects.filter(proposal=proposal, provision__key=key).select_related(
            "author"
        ),
        **extra,
    }
    return render(request, "drafting/_clause_panel.html", context, status=status)


@login_required
def clause_panel(request: HttpRequest, pk: int, key) -> HttpResponse:
    """A clause's history (each version restorable) and its comment thread, for the group."""
    key = str(key)
    proposal, can_edit = _get_proposal_for_user(request, pk)
    if not is_group_member(request.user, proposal.contribution.group_id):
        raise PermissionDenied("History and comments of a draft are for the group's delegates.")
    try:
        if request.method == "POST":
            add_comment(request.user, proposal, key, request.POST.get("text", ""))
        return _panel(request, proposal, can_edit, key)
    except DomainError as problem:
        return _panel(request, proposal, can_edit, key, status=problem.status, error=problem.message)


@require_POST
@login_required
def clause_restore_version(request: HttpRequest, pk: int, key) -> HttpResponse:
    """Bring back an earlier version of a clause's text: saved as a new version, nothing is erased."""
    key = str(key)
    proposal, can_edit = _get_proposal_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied("Only delegates of the group can edit its draft contribution.")
    history = clause_history(proposal, key)
    try:
        index = int(request.POST.get("index", ""))
        text = history[index]["text"]
    except (ValueError, IndexError):
        return _panel(
            request, proposal, can_edit, key, status=400, error="That version does not exist any more."
        )
    try:
        modify_clause(request.user, proposal, key, text, expected_version=_current_version(proposal, key))
    except DomainError as problem:
        return _panel(request, proposal, can_edit, key, status=problem.status, error=problem.message)
    messages.success(request, "The earlier version is back; the one it replaced stays in the history.")
    if request.htmx:
        return HttpResponseClientRedirect(f"{proposal.get_absolute_url()}#c-{key}")
    return redirect(f"{proposal.get_absolute_url()}#c-{key}")


NEW_RESOLUTION_TEMPLATE = """RESOLUTION [NUMBER] (NEW)
Title of the new resolution
The World Telecommunication Standardization Assembly (New Delhi, 2024),
considering
a)\tthat ...;
b)\tthat ...,
resolves
1\tto ...;
2\tto ....
"""


@login_required
def proposal_new_text(request: HttpRequest, pk: int) -> HttpResponse:
    """An ADD proposal: the new resolution typed in the printed layout, previewed as it will print."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    if proposal.action != Proposal.ADD:
        return redirect(proposal)
    text = proposal.new_text or NEW_RESOLUTION_TEMPLATE
    context = {"proposal": proposal, "can_edit": can_edit, "text": text, "version": proposal.version}
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only delegates of the group can edit its draft contribution.")
        text = request.POST.get("text", "")
        context["text"] = text
        try:
            if request.POST.get("save"):
                version = int(request.POST.get("version", "-1") or -1)
                save_new_resolution(request.user, proposal, text, version)
                messages.success(request, "The new resolution is saved.")
                if request.htmx:
                    return HttpResponseClientRedirect(reverse("proposal_new_text", args=[proposal.pk]))
                return redirect("proposal_new_text", proposal.pk)
            context["preview"] = parse_new_resolution(text)
        except StaleEdit as stale:
            context.update(error=stale.message, theirs=stale.current_text, version=stale.current_version)
            status = 409
        except DomainError as problem:
            context["error"] = problem.message
            status = problem.status
        if request.htmx:
            return render(request, "drafting/proposal_add.html#preview", context, status=status)
    elif text.strip():
        try:
            context["preview"] = parse_new_resolution(text)
        except DomainError as problem:
            context["error"] = problem.message
    return render(request, "drafting/proposal_add.html", context, status=status)
