"""Pages of a group's contributions and their proposals: list, create, submit, withdraw, revise."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from drafting.models import Conference, Contribution, Edition, Proposal, RegionalGroup
from drafting.permissions import (
    can_edit_contribution,
    can_submit_contribution,
    can_view_contribution,
    can_withdraw,
)
from drafting.services import DomainError
from drafting.services.contributions import (
    StaleEdit,
    add_proposal,
    create_contribution,
    parse_new_resolution,
    revise_contribution,
    save_new_resolution,
    submit_contribution,
    update_contribution,
    update_reasons,
    withdraw_contribution,
)
from drafting.validation import whole_number


def _get_contribution_for_user(request: HttpRequest, pk: int) -> tuple[Contribution, bool]:
    """The contribution if the user may read it (404 otherwise, so drafts stay invisible), and whether they may edit it."""
    contribution = get_object_or_404(
        Contribution.objects.select_related("conference__body", "group", "submitted_by"), pk=pk
    )
    if not can_view_contribution(request.user, contribution):
        raise Http404(gettext("No such contribution."))
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
        raise Http404(gettext("No such proposal."))
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
    can_submit = can_submit_contribution(request.user, contribution)
    return render(
        request,
        "drafting/contribution_detail.html",
        {
            "contribution": contribution,
            "proposals": proposals,
            "can_edit": can_edit,
            "seen_draft": contribution.pk if can_edit else None,
            "can_submit": can_submit,
            # A delegate sees, where Submit would be, who submits: the group's coordinators.
            "submitters": _coordinators(contribution) if can_edit and not can_submit else None,
            "is_member": contribution.group.members.filter(pk=request.user.pk).exists(),
            "is_coordinator": can_withdraw(request.user, contribution),
            "proposal_form": ProposalForm() if can_edit else None,
            "revisions": list(contribution.revisions.all()),
            "revisions_closed": _revisions_closed(contribution),
        },
    )


def _coordinators(contribution: Contribution) -> list[str]:
    """The names of the group's coordinators, who submit its contributions."""
    from drafting.models.people import COORDINATORS

    people = contribution.group.members.filter(groups__name=COORDINATORS, is_active=True).order_by(
        "last_name", "first_name", "username"
    )
    return [p.get_full_name() or p.username for p in people]


def _revisions_closed(contribution: Contribution) -> str:
    from drafting.services.contributions import revisions_closed_message

    return revisions_closed_message(contribution) if contribution.status != Contribution.DRAFT else ""


@require_POST
@login_required
def contribution_submit(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, _ = _get_contribution_for_user(request, pk)
    try:
        submit_contribution(request.user, contribution)
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect(contribution)
    messages.success(
        request,
        gettext("%(contribution)s has been submitted. It is now frozen and visible to all.")
        % {"contribution": contribution},
    )
    return redirect(contribution)


def _attach_outcomes(contribution: Contribution, proposals: list[Proposal]) -> None:
    """What the consolidation made of each proposal, so the group sees what happened to it."""
    from drafting.models import Consolidation
    from drafting.services.consolidation import compile_consolidation, fates, outcomes
    from drafting.services.outcomes import replaced, withdrawn

    if contribution.status == Contribution.DRAFT:
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
            compilation = compile_consolidation(consolidation)
            group = contribution.group.code
            current = compilation.proposals.get(group)
            is_current = current is not None and current.pk == proposal.pk
            proposal.outcome = (
                withdrawn()
                if contribution.status == Contribution.WITHDRAWN
                else outcomes(compilation).get(group)
                if is_current or current is None
                else replaced()
            )
            # Change by change, for the proposal the consolidation compiled.
            proposal.fates = fates(compilation).get(group, []) if is_current else []
            proposal.consolidation = consolidation


class ContributionForm(forms.Form):
    conference = forms.ModelChoiceField(
        queryset=Conference.objects.all(), empty_label=None, label=gettext_lazy("Conference")
    )
    group = forms.ModelChoiceField(
        queryset=RegionalGroup.objects.none(), empty_label=None, label=gettext_lazy("Source")
    )
    document_number = forms.CharField(
        max_length=10,
        label=gettext_lazy("Document number"),
        help_text=gettext_lazy("35 in “Addendum 18 to Document 35”"),
    )
    addendum = forms.IntegerField(
        min_value=1,
        label=gettext_lazy("Addendum"),
        required=False,
        help_text=gettext_lazy("18 in “Addendum 18 to Document 35”; empty for none"),
    )
    title = forms.CharField(max_length=500, label=gettext_lazy("Title"))
    abstract = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=gettext_lazy("Abstract")
    )
    introduction = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=gettext_lazy("Introduction")
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = user.regional_groups.all()


@login_required
def contribution_new(request: HttpRequest) -> HttpResponse:
    """A delegate starts a draft contribution of their group."""
    if not request.user.regional_groups.exists():
        raise PermissionDenied(gettext("Only delegates of a regional group can draft contributions."))
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
                    request,
                    gettext("%(contribution)s created as a draft, visible to %(code)s only.")
                    % {"contribution": contribution, "code": contribution.group.code},
                )
                return redirect(contribution)
        else:
            status = 400
    return render(request, "drafting/contribution_form.html", {"form": form}, status=status)


class ProposalForm(forms.Form):
    action = forms.ChoiceField(choices=Proposal.ACTION_CHOICES, label=gettext_lazy("Proposal"))
    edition = forms.ModelChoiceField(
        queryset=Edition.objects.select_related("resolution__body").order_by(
            "resolution__body__sort_order", "resolution__sort_key", "-year"
        ),
        required=False,
        label=gettext_lazy("Resolution (and, for MOD, the edition to amend)"),
    )
    new_number = forms.CharField(
        max_length=40, required=False, label=gettext_lazy("New resolution's number (ADD)")
    )
    new_title = forms.CharField(
        max_length=500, required=False, label=gettext_lazy("New resolution's title (ADD)")
    )
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=gettext_lazy("Reasons")
    )


@require_POST
@login_required
def proposal_new(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, _ = _get_contribution_for_user(request, pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            gettext("The proposal form was incomplete:")
            + " "
            + " ".join(str(m) for e in form.errors.values() for m in e),
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
    messages.success(request, gettext("%(label)s added.") % {"label": proposal.label})
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
    messages.success(request, gettext("Saved."))
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
    messages.success(
        request,
        gettext("%(contribution)s has been withdrawn. It stays readable.") % {"contribution": contribution},
    )
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
        request,
        gettext("%(revision)s is a new draft; %(document_label)s stays as it was submitted.")
        % {"revision": revision, "document_label": contribution.document_label},
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
    messages.success(request, gettext("Reasons saved."))
    return redirect(proposal)


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
            raise PermissionDenied(gettext("Only delegates of the group can edit its draft contribution."))
        text = request.POST.get("text", "")
        context["text"] = text
        try:
            if request.POST.get("save"):
                version = whole_number(request.POST.get("version"), gettext("version of the text"))
                save_new_resolution(request.user, proposal, text, version)
                messages.success(request, gettext("The new resolution is saved."))
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
