"""The live poll in front of Django: answered without middleware, session, user or ORM.

``/live/events?c=<pass>&after=<id>`` is asked by every open editor and consolidation
page every second or two. Through Django's full stack it costs a session read, a user
read, permission queries and the middleware chain (about 20 ms measured); here it is one
HMAC check of the pass and one indexed query: 204 when nothing is new, else the events.
``/live/proposals/<pk>/draft?v=<version>&c=<pass>`` serves the rendered draft from the
cache when a previous request in this process rendered that version (with ``&from=<version>``,
the clauses changed since the version the editor has: see ``drafting.live.draft_delta``); a miss goes on to
Django's view, which renders and caches it. Everything else goes to Django untouched.
"""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import parse_qs

from django.core.cache import cache
from django.db import close_old_connections

from drafting import live

logger = logging.getLogger(__name__)

DRAFT_PATH = re.compile(r"^/live/proposals/([0-9]{1,12})/draft$")
CONSOLIDATION_PATH = re.compile(r"^/live/consolidations/([0-9]{1,12})/page$")


def draft_cache_key(pk: int, version: int, can_edit: bool, since: int | None = None) -> str:
    """A draft's live copy at a version: whole, or the clauses changed since version ``since``."""
    return f"live:draft:{pk}:{version}:{int(can_edit)}" + ("" if since is None else f":{since}")


def consolidation_cache_key(pk: int, at: int, view: str, layout: str) -> str:
    """The synoptic view as a reader sees it after event ``at`` of its channel, in one filter and layout."""
    return f"live:consolidation:{pk}:{at}:{view[:20]}:{layout[:10]}"


def _respond(start_response, status: str, body: bytes = b"", content_type: str = "application/json"):
    headers = [
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Length", str(len(body))),
    ]
    if body:
        headers.append(("Content-Type", content_type))
    start_response(status, headers)
    return [body]


def _error(start_response, status: str, detail: str):
    return _respond(start_response, status, json.dumps({"detail": detail}).encode())


def poll(query: dict[str, list[str]]) -> tuple[int, dict | None]:
    """(status, body) of one poll: 204 when nothing is new, 200 with the events, 403 for a bad pass."""
    grant = live.read_pass(query.get("c", [""])[0])
    if grant is None:
        return 403, {"detail": "This page's live updates have expired: reload the page."}
    try:
        after = int(query.get("after", ["0"])[0])
    except ValueError:
        return 400, {"detail": "after must be a whole number."}
    channel, _ = grant
    events = live.events_after(channel, max(after, 0))
    if not events:
        return 204, None
    return 200, {"events": events, "last": events[-1]["id"]}


class LiveChannelApp:
    """WSGI middleware: the live paths answered here, the rest handed to Django."""

    def __init__(self, django_app):
        self.django_app = django_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/live/") or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.django_app(environ, start_response)
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if path == "/live/events":
            return self._events(query, start_response)
        match = DRAFT_PATH.match(path)
        if match:
            cached = self._cached_draft(int(match.group(1)), query)
            if cached is not None:
                return _respond(start_response, "200 OK", cached, "text/html; charset=utf-8")
        match = CONSOLIDATION_PATH.match(path)
        if match:
            cached = self._cached_consolidation(int(match.group(1)), query)
            if cached is not None:
                return _respond(start_response, "200 OK", cached, "text/html; charset=utf-8")
        return self.django_app(environ, start_response)

    def _events(self, query, start_response):
        # As Django does around each request: drop connections past CONN_MAX_AGE or broken.
        close_old_connections()
        try:
            status, body = poll(query)
        except Exception:
            logger.exception("live poll failed")
            return _error(start_response, "503 Service Unavailable", "Live updates are unavailable.")
        finally:
            close_old_connections()
        reason = {200: "200 OK", 204: "204 No Content", 400: "400 Bad Request", 403: "403 Forbidden"}[status]
        return _respond(start_response, reason, json.dumps(body).encode() if body else b"")

    def _cached_draft(self, pk: int, query) -> bytes | None:
        grant = live.read_pass(query.get("c", [""])[0])
        if grant is None or grant[0] != live.proposal_channel(pk):
            return None  # Django's view answers with the right refusal
        try:
            version = int(query.get("v", [""])[0])
            since = int(query["from"][0]) if "from" in query else None
        except ValueError:
            return None
        return cache.get(draft_cache_key(pk, version, grant[1], since))

    def _cached_consolidation(self, pk: int, query) -> bytes | None:
        grant = live.read_pass(query.get("c", [""])[0])
        if grant is None or grant[0] != live.consolidation_channel(pk):
            return None
        try:
            at = int(query.get("at", [""])[0])
        except ValueError:
            return None
        view, layout = query.get("filter", ["all"])[0], query.get("layout", ["columns"])[0]
        return cache.get(consolidation_cache_key(pk, at, view, layout))
