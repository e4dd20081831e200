"""The projector: a draft full screen for the meeting room, following the officer who drives it.

The screen shows the draft as its own page does (the consolidated draft's rows, the editor's read-only
draft) in large type, and listens to the draft's live channel: a ``projector`` event moves it to the
clause the officer is on (and shows the words being typed there); a ``changed`` event brings the
draft's new text. The officer's pages send where they are through ``projector_point``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from drafting import live
from drafting.models import Consolidation
from drafting.services.projector import ProjectorProblem, consolidation_room, point, pointed, proposal_room
from drafting.views.amendments import proposal_editor_context
from drafting.views.consolidation import consolidated_draft_context
from drafting.views.contributions import _get_proposal_for_user

# A consolidation's draft as the screens following it fetch it after a change, kept per version:
# every screen in the room asks for the same one within a second.
DRAFT_TTL = 600


def _consolidation(pk: int) -> Consolidation:
    return get_object_or_404(
        Consolidation.objects.select_related("conference", "resolution__body", "base_edition"), pk=pk
    )


def _refused(problem: ProjectorProblem) -> HttpResponse:
    return JsonResponse({"detail": problem.message}, status=problem.status)


def _screen_refused(request: HttpRequest, problem: ProjectorProblem, back: str) -> HttpResponse:
    """A screen that cannot be shown: not found, or back to the draft's page with the reason."""
    if problem.status == 404:
        raise Http404(problem.message)
    messages.error(request, problem.message)
    return redirect(back)


def _page(request: HttpRequest, room, context: dict, draft_url: str) -> HttpResponse:
    context.update(
        live.page_context(
            room.channel, can_edit=False, holder=request.user.pk, session=request.session.session_key
        )
    )
    context.update(room=room, pointed=pointed(room), draft_url=draft_url)
    return render(request, "drafting/projector.html", context)


@require_GET
@login_required
def consolidation_projector(request: HttpRequest, pk: int) -> HttpResponse:
    """A consolidation's draft revision on the room's screen (``?fragment=draft``: the draft alone)."""
    consolidation = _consolidation(pk)
    try:
        room = consolidation_room(request.user, consolidation)
    except ProjectorProblem as problem:
        return _screen_refused(request, problem, "consolidation_list")
    if request.GET.get("fragment") == "draft":
        # Kept per language: the draft's interface words are its reader's.
        key = f"projector:consolidation:{consolidation.pk}:{consolidation.version}:{get_language()}"
        html = cache.get(key)
        if html is None:
            context = consolidated_draft_context(consolidation)
            html = render(request, "drafting/consolidation_draft.html#draft", context).content
            cache.set(key, html, DRAFT_TTL)
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response
    context = consolidated_draft_context(consolidation)
    return _page(request, room, context, f"{request.path}?fragment=draft")


@require_GET
@login_required
def proposal_projector(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's proposal on the room's screen: the editor's read-only draft, its live copies after a save."""
    proposal, _ = _get_proposal_for_user(request, pk)
    try:
        room = proposal_room(request.user, proposal)
    except ProjectorProblem as problem:
        return _screen_refused(request, problem, proposal.contribution.get_absolute_url())
    # The readers' draft (no edit box, no tool), the very copy the editor's live updates send.
    context = proposal_editor_context(proposal, False)
    from django.urls import reverse

    return _page(request, room, context, reverse("live_draft", args=[proposal.pk]))


@require_POST
@login_required
def projector_point(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The officer is on a clause (``key``), typing in it (``text``, if sent): told to the room's screens."""
    try:
        if kind == "consolidation":
            room = consolidation_room(request.user, _consolidation(pk))
        else:
            proposal, _ = _get_proposal_for_user(request, pk)
            room = proposal_room(request.user, proposal)
        text = request.POST.get("text") if "text" in request.POST else None
        point(request.user, room, request.POST.get("key", ""), text)
    except ProjectorProblem as problem:
        return _refused(problem)
    return HttpResponse(status=204)
