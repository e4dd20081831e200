"""The live channel through Django: the same poll as the WSGI fast path, and the draft it points to.

In production ``drafting.wsgi`` answers ``/live/events`` before Django (no session, no
middleware); these views answer it wherever Django is called directly (the test client,
a server started without the wrapper), and render a proposal's draft for a page that
learnt of a new version, caching it so that the next delegates asking get it from the
cache in front of Django.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from drafting import live
from drafting.live import access, draft_delta
from drafting.live.copies import consolidations, draft_copy, draft_proposal
from drafting.live.wsgi import (
    EXPIRED,
    citation_check,
    consolidation_cache_key,
    copy_language,
    draft_cache_key,
    pass_in,
    poll,
    presence,
    ticket,
)

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


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def _over_render_budget(request: HttpRequest, value: str) -> HttpResponse | None:
    """A 429 when the pass's holder (or the pass, given to no one) or the address asked for more renders
    this minute than ``LIVE_COPY_RENDERS_PER_HOLDER`` / ``_PER_ADDRESS``: a copy served from the cache
    costs nothing, a render costs a whole draft or synoptic view, and a page needs one per change."""
    from drafting.throttling import client_ip

    minute = int(time.time() // 60)
    holder = live.pass_holder(value)
    counted = (
        (f"live:renders:holder:{holder or _digest(value)}:{minute}", settings.LIVE_COPY_RENDERS_PER_HOLDER),
        (f"live:renders:address:{client_ip(request)}:{minute}", settings.LIVE_COPY_RENDERS_PER_ADDRESS),
    )
    for key, limit in counted:
        cache.add(key, 0, 120)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted in between: counted again from here
            cache.set(key, 1, 120)
            count = 1
        if count > limit:
            response = JsonResponse(
                {
                    "detail": gettext(
                        "Too many fresh copies asked for this minute (at most %(limit)s): wait a minute."
                    )
                    % {"limit": format(limit, ",")}
                },
                status=429,
            )
            response["Retry-After"] = str(60 - int(time.time()) % 60)
            return response
    return None


def _cached_copy(key: str | None) -> HttpResponse | None:
    content = cache.get(key) if key is not None else None
    if content is None:
        return None
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _pass(request: HttpRequest) -> str:
    return pass_in(request.headers.get(live.PASS_HEADER), {"c": request.GET.getlist("c")})


@require_GET
def live_events(request: HttpRequest) -> HttpResponse:
    status, body = poll(_pass(request), {k: request.GET.getlist(k) for k in request.GET})
    response = HttpResponse(status=204) if body is None else JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


# Like the poll: the pass (in its header) is the proof, not the session.
@csrf_exempt
@require_POST
def live_ticket(request: HttpRequest) -> HttpResponse:
    """A ticket to open the stream with (drafting.live.ticket_for): what ``/live/ticket`` answers in front of Django."""
    status, body = ticket(_pass(request))
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _form(request: HttpRequest) -> dict[str, list[str]]:
    return {k: request.POST.getlist(k) for k in request.POST}


# The pass is the proof of who may do this (as secret as a CSRF token), as in front of Django.
@csrf_exempt
@require_POST
def live_presence(request: HttpRequest) -> HttpResponse:
    """Who edits which clause (drafting.live.presence): what ``/live/presence`` answers in front of Django."""
    status, body = presence(_form(request))
    response = HttpResponse(status=204) if body is None else JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def live_citations(request: HttpRequest) -> HttpResponse:
    """The citations of a text being typed in the editor: what ``/live/citations`` answers in front of Django."""
    status, html = citation_check(_form(request))
    response = (
        HttpResponse(html, content_type="text/html; charset=utf-8")
        if status == 200
        else JsonResponse({"detail": html}, status=status)
    )
    response["Cache-Control"] = "no-store"
    return response


def _expired() -> HttpResponse:
    return HttpResponse(
        json.dumps({"detail": str(EXPIRED)}),
        status=403,
        content_type="application/json",
    )


@require_GET
def live_consolidation(request: HttpRequest, pk: int) -> HttpResponse:
    """The synoptic view's progress bar and rows as a reader sees them, for holders of its pass;
    cached per event, filter and layout. The secretariat's own page reloads through its session.

    Cached only as it is after the channel's latest event, in a filter and a layout the page has:
    ``at`` is what the page asks for, not what is kept (a pass holder asking for every number
    filled the cache with 5,000 copies of 126 KB, issue 22)."""
    from django.contrib.auth.models import AnonymousUser

    from drafting.views.consolidation import FILTERS, synoptic_context

    value = _pass(request)
    grant = live.read_pass(value)
    if grant is None or grant[0] != live.consolidation_channel(pk) or not access.allowed(value):
        return _expired()
    consolidation = get_object_or_404(consolidations(), pk=pk)
    view, layout = request.GET.get("filter", "all"), request.GET.get("layout", "columns")
    if view not in FILTERS or layout not in ("columns", "stacked"):
        # Not a view the page has: rendered uncached each time, it would cost a whole synoptic view.
        return JsonResponse(
            {
                "detail": gettext("“filter” must be one of %(filters)s, and “layout” columns or stacked.")
                % {"filters": ", ".join(FILTERS)}
            },
            status=400,
        )
    language = copy_language(request.GET.get("lang"))
    key = consolidation_cache_key(pk, live.last_event_id(grant[0]), view, layout, language)
    with _one_render(key), translation.override(language):
        cached = _cached_copy(key)
        if cached is not None:
            return cached
        refused = _over_render_budget(request, value)
        if refused is not None:
            return refused
        # Whoever asks, this is the readers' view: no settle forms, no CSRF token, nothing personal.
        request.user = AnonymousUser()
        response = render(
            request, "drafting/_consolidation_live.html", synoptic_context(request, consolidation)
        )
        if key is not None:
            cache.set(key, response.content, DRAFT_TTL)
    response["Cache-Control"] = "no-store"
    return response


def _whole_number(value: str | None) -> int | None:
    return live.whole_number(value)


@require_GET
def live_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor's draft at its current version, for holders of the proposal's pass: the whole draft,
    or with ``from`` (the version the editor has) the clauses changed since (drafting.live.copies).

    Cached only at the draft's current version, and with ``from`` only when the clauses changed since
    that version are known (its stamps are kept for a version that was built): ``v`` and ``from`` are
    what the page asks for, not what is kept (a pass holder asking for every number filled the cache,
    issue 22). A ``from`` that is not a version the draft had gets the whole draft."""
    value = _pass(request)
    grant = live.read_pass(value)
    if grant is None or grant[0] != live.proposal_channel(pk) or not access.allowed(value):
        return _expired()
    may_edit = grant[1]
    since = _whole_number(request.GET.get("from"))
    asked = _whole_number(request.GET.get("v"))
    language = copy_language(request.GET.get("lang"))
    cached = _cached_copy(None if asked is None else draft_cache_key(pk, asked, may_edit, since, language))
    if cached is not None:
        return cached  # only real versions are ever kept
    proposal = draft_proposal(pk)
    if proposal is None:
        raise Http404(gettext("This proposal has no clause-by-clause draft."))
    if since is not None and not draft_delta.known(pk, since, proposal.version, may_edit):
        since = None
    key = draft_cache_key(pk, proposal.version, may_edit, since, language)
    with _one_render(key), translation.override(language):
        cached = _cached_copy(key)
        if cached is not None:
            return cached
        refused = _over_render_budget(request, value)
        if refused is not None:
            return refused
        response, is_delta = draft_copy(request, proposal, may_edit, since)
        # The stamps may have gone in between: then this is the whole draft, kept as such.
        kept = (
            key
            if is_delta or since is None
            else draft_cache_key(pk, proposal.version, may_edit, None, language)
        )
        cache.set(kept, response.content, DRAFT_TTL)
    response["Cache-Control"] = "no-store"
    return response
