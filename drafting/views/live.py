"""The live channel through Django: the same poll as the WSGI fast path, and the draft it points to.

In production ``drafting.wsgi`` answers ``/live/events`` before Django (no session, no
middleware); these views answer it wherever Django is called directly (the test client,
a server started without the wrapper), and render a proposal's draft for a page that
learnt of a new version, caching it so that the next delegates asking get it from the
cache in front of Django.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from drafting import live, livedraft
from drafting.livewsgi import consolidation_cache_key, draft_cache_key, poll
from drafting.models import Consolidation, Proposal

# A rendered draft is kept this long; a version is never rendered differently, only evicted.
DRAFT_TTL = 600

# One render per copy and process: the pages told of an event all ask for the same copy within
# milliseconds; the first renders it, the others (threads of the same worker) wait and take it
# from the cache rather than render it too (70 readers of a consolidation asking at once made
# 70 renders of the same rows).
_renders: dict[str, threading.Lock] = {}
_renders_lock = threading.Lock()


@contextmanager
def _one_render(key: str | None):
    if key is None:
        yield
        return
    with _renders_lock:
        lock = _renders.setdefault(key, threading.Lock())
    try:
        with lock:
            yield
    finally:
        with _renders_lock:
            if not lock.locked() and _renders.get(key) is lock:
                del _renders[key]


def _cached_copy(key: str | None) -> HttpResponse | None:
    content = cache.get(key) if key is not None else None
    if content is None:
        return None
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def live_events(request: HttpRequest) -> HttpResponse:
    status, body = poll({k: request.GET.getlist(k) for k in request.GET})
    response = HttpResponse(status=204) if body is None else JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _expired() -> HttpResponse:
    return HttpResponse(
        json.dumps({"detail": "This page's live updates have expired: reload the page."}),
        status=403,
        content_type="application/json",
    )


def _synthetic_request(query: dict[str, str] | None = None) -> HttpRequest:
    """The request a page's fetch of a live copy would be, less the person: the copies are the
    same for everyone with the same pass (they are cached and shared the same way)."""
    from django.contrib.auth.models import AnonymousUser
    from django_htmx.middleware import HtmxDetails

    request = HttpRequest()
    request.method = "GET"
    request.META = {"HTTP_HX_REQUEST": "true", "SERVER_NAME": "live", "SERVER_PORT": "80"}
    request.GET = QueryDict(mutable=True)
    request.GET.update(query or {})
    request.user = AnonymousUser()
    request.htmx = HtmxDetails(request)
    return request


def _consolidations():
    """What the synoptic view's copies read of a consolidation, in the one query."""
    return Consolidation.objects.select_related(
        "conference", "resolution__body", "base_edition", "adopted_edition"
    )


def pushed_consolidation(
    pk: int, view: str, layout: str, since: dict[str, str] | None
) -> tuple[dict[str, str], str | None]:
    """For the stream server (drafting.livestream): what a change did to the synoptic view as its
    readers see it in this filter and layout. Returns the view's state (each row's content stamp,
    the head and the version) and, given the state the readers' pages have (``since``), the bar,
    the rows whose stamp changed and the order of all rows: a settlement is one row and the bar,
    not the 190 KB of the whole view for every reader. None when nothing can be sent that way
    (a new column of a group, or no state to compare with): the pages fetch their copy."""
    from drafting.views.consolidation import FILTERS, _context

    if view not in FILTERS or layout not in ("columns", "stacked"):
        return {}, None
    consolidation = _consolidations().filter(pk=pk).first()
    if consolidation is None:
        return {}, None
    request = _synthetic_request({"filter": view, "layout": layout})
    context = _context(request, consolidation)
    state = {f"k-{item['row'].key}": item["stamp"] for item in context["rows"]}
    state[":head"] = " ".join(context["compilation"].groups)
    state[":version"] = str(consolidation.version)
    if not since or since.get(":head") != state[":head"]:
        return state, None
    changed = [item for item in context["rows"] if since.get(f"k-{item['row'].key}") != item["stamp"]]
    html = render_to_string(
        "drafting/_consolidation_delta.html",
        {**context, "changed": changed, "delta_since": since[":version"]},
        request,
    )
    return state, html


@require_GET
def live_consolidation(request: HttpRequest, pk: int) -> HttpResponse:
    """The synoptic view's progress bar and rows as a reader sees them, for holders of its pass;
    cached per event, filter and layout. The secretariat's own page reloads through its session."""
    from django.contrib.auth.models import AnonymousUser

    from drafting.views.consolidation import _context

    grant = live.read_pass(request.GET.get("c", ""))
    if grant is None or grant[0] != live.consolidation_channel(pk):
        return _expired()
    consolidation = get_object_or_404(_consolidations(), pk=pk)
    at = _whole_number(request.GET.get("at"))
    key = (
        None
        if at is None
        else consolidation_cache_key(
            pk, at, request.GET.get("filter", "all"), request.GET.get("layout", "columns")
        )
    )
    with _one_render(key):
        cached = _cached_copy(key)
        if cached is not None:
            return cached
        # Whoever asks, this is the readers' view: no settle forms, no CSRF token, nothing personal.
        request.user = AnonymousUser()
        response = render(request, "drafting/_consolidation_live.html", _context(request, consolidation))
        if key is not None:
            cache.set(key, response.content, DRAFT_TTL)
    response["Cache-Control"] = "no-store"
    return response


def _whole_number(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 <= number < 2**31 else None


@require_GET
def live_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor's draft at its current version, for holders of the proposal's pass: the whole draft,
    or with ``from`` (the version the editor has) the clauses changed since (drafting.livedraft)."""
    grant = live.read_pass(request.GET.get("c", ""))
    if grant is None or grant[0] != live.proposal_channel(pk):
        return _expired()
    since = _whole_number(request.GET.get("from"))
    asked = _whole_number(request.GET.get("v"))
    key = None if asked is None else draft_cache_key(pk, asked, grant[1], since)
    with _one_render(key):
        cached = _cached_copy(key)
        if cached is not None:
            return cached
        proposal = _draft_proposal(pk)
        if proposal is None:
            raise Http404("This proposal has no clause-by-clause draft.")
        response, _ = _draft_copy(request, proposal, grant[1], since)
        # What was rendered is at least the version asked for (the event came after the commit).
        for version in {proposal.version, asked} - {None}:
            if version <= proposal.version:
                cache.set(draft_cache_key(pk, version, grant[1], since), response.content, DRAFT_TTL)
    response["Cache-Control"] = "no-store"
    return response


def _draft_proposal(pk: int) -> Proposal | None:
    proposal = (
        Proposal.objects.select_related(
            "contribution__group", "contribution__conference", "base_edition__resolution__body"
        )
        .filter(pk=pk)
        .first()
    )
    if proposal is None or proposal.action != Proposal.MOD or proposal.base_edition_id is None:
        return None
    return proposal


def _draft_copy(
    request: HttpRequest, proposal: Proposal, may_edit: bool, since: int | None
) -> tuple[HttpResponse, bool]:
    """The live copy of the draft at its current version, and whether it is only what changed since
    ``since`` (when that version's stamps are known here) rather than the whole draft."""
    from drafting.views.amendments import _editor_context

    can_edit = may_edit and proposal.contribution.editable
    context = _editor_context(proposal, can_edit)
    # An editor that says which version it has gets only the clauses changed since, when they are known.
    changed = (
        None
        if since is None
        else livedraft.delta(
            proposal.pk, since, proposal.version, can_edit, context["rows"], context["clause_stamps"]
        )
    )
    if changed is not None:
        return render(request, "drafting/_draft_delta.html", {**context, "delta": changed}), True
    return render(request, "drafting/proposal_editor.html#draft", context), False


def pushed_delta(pk: int, may_edit: bool, since: int | None) -> tuple[int, str | None]:
    """For the stream server (drafting.livestream), which sends a new version's changed clauses in the
    event itself: the draft's current version, and the clauses changed since ``since`` as the live
    copy renders them (None when they are not known here: the editors fetch their copy). Without
    ``since`` it only builds the version, which leaves its stamps for the next delta."""
    from drafting.views.amendments import _editor_context

    proposal = _draft_proposal(pk)
    if proposal is None:
        return 0, None
    if since is None:
        _editor_context(proposal, may_edit and proposal.contribution.editable)
        return proposal.version, None
    response, is_delta = _draft_copy(_synthetic_request(), proposal, may_edit, since)
    return proposal.version, response.content.decode() if is_delta else None
