"""What changed since a moment, for a whole draft: a group's proposal, or a consolidation's draft."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from drafting.engine.changes import CHANGED_SINCE
from drafting.models import Consolidation, Proposal
from drafting.services import DomainError
from drafting.services.since import VISIT, consolidation_since, last_visit, proposal_since
from drafting.views.contributions import _get_proposal_for_user


def _page(request: HttpRequest, context: dict, compute) -> HttpResponse:
    """``?since=visit|yesterday|submission``, or ``?since=at&at=2026-12-06T17:30``."""
    choice = request.GET.get("since", VISIT)[:20]
    at = request.GET.get("at", "")[:40]
    context.update(choice=choice, at=at)
    try:
        since = compute(at if choice == "at" else choice)
    except DomainError as problem:
        context["error"] = problem.message
        return render(request, "drafting/since.html", context, status=problem.status)
    counts = [(what, since.count(what)) for what in CHANGED_SINCE]
    context.update(since=since, counts=[(what, n) for what, n in counts if n])
    return render(request, "drafting/since.html", context)


@login_required
def proposal_since_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal's whole text: what changed since the reader's last visit, yesterday, the submission, or a moment."""
    proposal, _can_edit = _get_proposal_for_user(request, pk)
    if proposal.action != Proposal.MOD or proposal.base_edition_id is None:
        return redirect(proposal)
    contribution = proposal.contribution
    context = {
        "title": proposal.label,
        "back": proposal.get_absolute_url(),
        "anchor": "c",
        "last_visit": last_visit(request.user, proposal=proposal),
        "can_submission": bool(
            contribution.submitted_at or (contribution.revises_id and contribution.revises.submitted_at)
        ),
    }
    return _page(request, context, lambda asked: proposal_since(request.user, proposal, asked))


@login_required
def consolidation_since_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A consolidation's draft: what the decisions changed in it since a moment."""
    consolidation = get_object_or_404(
        Consolidation.objects.select_related("conference", "resolution__body", "base_edition"), pk=pk
    )
    context = {
        "title": str(consolidation),
        "back": consolidation.get_absolute_url() + "draft/",
        "anchor": "c",
        "last_visit": last_visit(request.user, consolidation=consolidation),
        "can_submission": False,
    }
    return _page(request, context, lambda asked: consolidation_since(request.user, consolidation, asked))
