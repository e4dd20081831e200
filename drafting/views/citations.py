"""Citations across the library: stale and wrong citations, drafting their update, the editor's live check."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from drafting.engine.citation_updates import latest_successor
from drafting.engine.citations import un_document
from drafting.models import Contribution, Proposal, Resolution, UnSupersession
from drafting.permissions import can_edit_contribution, can_view_contribution
from drafting.services import DomainError
from drafting.services.citations.editor import editor_check
from drafting.services.citations.stale import dangling_references, stale_citations, wrong_citations
from drafting.services.citations.un_successors import superseded_citations, un_successors
from drafting.services.citations.updates import draft_update, plan_update


def _draft_contributions(user) -> list[Contribution]:
    """The draft contributions this person may add proposals to."""
    if not user.is_authenticated:
        return []
    drafts = Contribution.objects.filter(
        status=Contribution.DRAFT, group__in=user.regional_groups.all()
    ).select_related("conference", "group")
    return [c for c in drafts if can_edit_contribution(user, c)]


def stale_report(request: HttpRequest) -> HttpResponse:
    """Every current text citing an older edition, grouped by the cited resolution and then the citing one."""
    cited = None
    if request.GET.get("resolution"):
        cited = get_object_or_404(
            Resolution.objects.select_related("body"), pk=_int(request.GET["resolution"])
        )
    groups = stale_citations(cited)
    wrong = [] if cited is not None else wrong_citations()
    superseded = [] if cited is not None else superseded_citations()
    dangling = [] if cited is not None else dangling_references()
    return render(
        request,
        "drafting/citations_stale.html",
        {
            "groups": groups,
            "wrong": wrong,
            "superseded": superseded,
            "dangling": dangling,
            "cited": cited,
            "drafts": _draft_contributions(request.user),
        },
    )


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404(gettext("No such thing.")) from None


@dataclass
class _Update:
    """What an update preview or draft is asked for: into which contribution, of which citations."""

    contribution: Contribution
    cited: Resolution | None
    citing: list[int]
    un: str | None  # a replaced UN document, canonical: "A/RES/70/125"

    def options(self) -> dict:
        return {"cited": self.cited, "citing_ids": self.citing, "un_document": self.un}

    def context(self, request: HttpRequest, plans, **more) -> dict:
        return {
            "contribution": self.contribution,
            "cited": self.cited,
            "citing": self.citing,
            "un": self.un,
            "successor": latest_successor(self.un, un_successors()) if self.un else "",
            "plans": plans,
            "can_edit": can_edit_contribution(request.user, self.contribution),
            "changes": sum(len(p.changes) for p in plans),
            **more,
        }


def _what(request: HttpRequest, data) -> _Update:
    contribution = get_object_or_404(
        Contribution.objects.select_related("conference", "group"), pk=_int(data.get("contribution"))
    )
    if not can_view_contribution(request.user, contribution):
        raise Http404(gettext("No such contribution."))
    cited = None
    if data.get("cited"):
        cited = get_object_or_404(Resolution.objects.select_related("body"), pk=_int(data.get("cited")))
    un = None
    if data.get("un"):
        un = un_document(data["un"])
        if un is None or not UnSupersession.objects.filter(document=un).exists():
            raise Http404(gettext("No such replaced UN document."))
        if cited is not None:
            raise BadRequest(gettext("Give the cited resolution or the replaced UN document, not both."))
    citing = [_int(v) for v in data.getlist("citing") if v]
    return _Update(contribution, cited, citing, un)


@login_required
def update_preview(request: HttpRequest) -> HttpResponse:
    """What drafting the update would add to the contribution, with its marks, before anything is saved."""
    asked = _what(request, request.GET)
    plans = plan_update(asked.contribution, **asked.options())
    return render(request, "drafting/citations_update.html", asked.context(request, plans))


@require_POST
@login_required
def update_apply(request: HttpRequest) -> HttpResponse:
    """Draft the update: a MOD proposal per affected resolution, an amendment per clause; all or nothing."""
    asked = _what(request, request.POST)
    try:
        draft_update(request.user, asked.contribution, **asked.options())
    except DomainError as problem:
        plans = plan_update(asked.contribution, **asked.options())
        return render(
            request,
            "drafting/citations_update.html",
            asked.context(request, plans, error=problem.message),
            status=problem.status,
        )
    if request.htmx:
        return HttpResponseClientRedirect(asked.contribution.get_absolute_url())
    return redirect(asked.contribution)


@login_required
def editor_citations(request: HttpRequest, pk: int) -> HttpResponse:
    """The citations of the text being typed in the proposal editor, checked against the venues and the library."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("contribution__conference__body", "base_edition__resolution__body"),
        pk=pk,
    )
    if not can_view_contribution(request.user, proposal.contribution):
        raise Http404(gettext("No such proposal."))
    text = request.POST.get("text", request.GET.get("text", ""))[:20000]
    found, warnings = editor_check(proposal, text)
    return render(request, "drafting/_citation_check.html", {"found": found, "warnings": warnings})
