"""The live poll in front of Django: answered without middleware, session, user or ORM.

``/live/events?c=<pass>&after=<id>`` is asked by every open editor and consolidation
page every second or two. Through Django's full stack it costs a session read, a user
read, permission queries and the middleware chain (about 20 ms measured); here it is one
HMAC check of the pass and one indexed query: 204 when nothing is new, else the events.
``/live/proposals/<pk>/draft?v=<version>&c=<pass>`` serves the rendered draft from the
cache when a previous request in this process rendered that version (with ``&from=<version>``,
the clauses changed since the version the editor has: see ``drafting.live.draft_delta``); a miss goes on to
Django's view, which renders and caches it.

Two POSTs of the editor are answered here too, each authorised by a pass its page was given rather
than by the session (so no CSRF token either: the pass is as secret as one): ``/live/presence``
(who edits which clause, ``drafting.live.presence``) and ``/live/citations`` (the citations of the
text being typed, checked at each pause; the proposal's live pass names the proposal). Through
Django's full stack each cost about 6-7 ms of CPU and 5 queries (session, user, groups, proposal,
contribution); here a presence told again costs no query, a new one 1 (and the event's insert),
a check 2 (the proposal, the library's state). Everything else goes to Django untouched.

What these answers say (a refusal's ``detail``, the citations' check) is in the page's language: the
pages send their own ``<html lang>`` as Accept-Language (their fetches carry no cookie here), read
without middleware or query (``drafting.live.language_asked``).
"""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import parse_qs

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from drafting import live
from drafting.live import access

logger = logging.getLogger(__name__)

DRAFT_PATH = re.compile(r"^/live/proposals/([0-9]{1,12})/draft$")
CONSOLIDATION_PATH = re.compile(r"^/live/consolidations/([0-9]{1,12})/page$")
PRESENCE_PATH = "/live/presence"
CITATIONS_PATH = "/live/citations"
TICKET_PATH = "/live/ticket"
# The largest form these take: a clause's text (checked up to MAX_CHECKED characters, each at most
# 9 bytes percent-encoded) and a pass.
MAX_CHECKED = 20_000
MAX_FORM_BYTES = MAX_CHECKED * 9 + 4096
EXPIRED = gettext_lazy("This page's live updates have expired: reload the page.")


def draft_cache_key(
    pk: int, version: int, can_edit: bool, since: int | None = None, language: str | None = None
) -> str:
    """A draft's live copy at a version: whole, or the clauses changed since version ``since``; in
    one language (copy_language), since its words are the reader's."""
    return (
        f"live:draft:{pk}:{version}:{int(can_edit)}"
        + ("" if since is None else f":{since}")
        + f"@{language or settings.LANGUAGE_CODE}"
    )


def consolidation_cache_key(pk: int, at: int, view: str, layout: str, language: str | None = None) -> str:
    """The synoptic view as a reader sees it after event ``at`` of its channel, in one filter, layout
    and language."""
    return f"live:consolidation:{pk}:{at}:{view[:20]}:{layout[:10]}@{language or settings.LANGUAGE_CODE}"


def copy_language(asked: str | None) -> str:
    """The language of a live copy: the one its page says it reads (``lang``), if offered, else the
    installation's. Not the request's own (a reader's page fetches without cookies, and the copy is
    kept for everyone asking in that language): a French reader once got the Russian copy a Russian
    colleague's fetch had left in the cache."""
    from drafting.languages import supported

    return supported((asked or "")[:20]) or settings.LANGUAGE_CODE


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
    return _respond(start_response, status, json.dumps({"detail": str(detail)}).encode())


_REASONS = {
    200: "200 OK",
    204: "204 No Content",
    400: "400 Bad Request",
    403: "403 Forbidden",
    404: "404 Not Found",
    429: "429 Too Many Requests",
}


def _read_form(environ) -> tuple[dict[str, list[str]], tuple[str, str] | None]:
    """The URL-encoded form of a POST, read within MAX_FORM_BYTES; or the status and why not."""
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return {}, ("415 Unsupported Media Type", gettext("Send the form URL-encoded."))
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return {}, ("411 Length Required", gettext("Say the body's length (Content-Length)."))
    if not 0 <= length <= MAX_FORM_BYTES:
        return {}, (
            "413 Content Too Large",
            gettext("At most %(count)s characters are checked at once.")
            % {"count": format(MAX_CHECKED, ",")},
        )
    body = environ["wsgi.input"].read(length)
    if b"\x00" in body or b"%00" in body:
        # As drafting.middleware refuses it for every request Django answers.
        return {}, (
            "400 Bad Request",
            gettext("The request contains a NUL character, which no text in this tool can hold."),
        )
    try:
        return parse_qs(body.decode("utf-8"), max_num_fields=10), None
    except (UnicodeDecodeError, ValueError):
        return {}, (
            "400 Bad Request",
            gettext("The form could not be read (UTF-8, URL-encoded, a few fields)."),
        )


def presence(form: dict[str, list[str]]) -> tuple[int, dict | None]:
    """(status, body) of a presence POST: 204 when taken (sent or not), else why not."""
    from drafting.live import presence as presence_state

    grant = presence_state.read_pass(form.get("p", [""])[0])
    if grant is None or not access.allowed_to_edit(grant[0], grant[1], grant[3]):
        return 403, {"detail": str(EXPIRED)}
    status, problem = presence_state.tell(grant, form.get("key", [""])[0], form.get("state", [""])[0])
    return status, ({"detail": problem} if problem else None)


def citation_check(form: dict[str, list[str]]) -> tuple[int, str]:
    """(status, HTML) of the check of a text being typed in a proposal's editor: its citations,
    each resolved in the library (``editor_check``), for holders of the proposal's live pass."""
    from django.template.loader import render_to_string

    from drafting.models import Proposal
    from drafting.services.citations.editor import editor_check

    value = form.get("c", [""])[0]
    grant = live.read_pass(value)
    if grant is None or not grant[0].startswith("proposal:") or not access.allowed(value):
        return 403, str(EXPIRED)
    proposal = (
        Proposal.objects.select_related("contribution__conference__body", "base_edition__resolution__body")
        .filter(pk=int(grant[0].partition(":")[2]))
        .first()
    )
    if proposal is None:
        return 404, gettext("No such proposal.")
    found, warnings = editor_check(proposal, form.get("text", [""])[0][:MAX_CHECKED])
    return 200, render_to_string("drafting/_citation_check.html", {"found": found, "warnings": warnings})


def pass_in(header: str | None, query: dict[str, list[str]]) -> str:
    """The pass a request carries: in the X-Live-Pass header, as the pages send it (a URL is kept in
    access logs), else in the query (``c``), as older pages and scripts do."""
    return header or query.get("c", [""])[0]


def poll(value: str, query: dict[str, list[str]]) -> tuple[int, dict | None]:
    """(status, body) of one poll: 204 when nothing is new, 200 with the events, 403 for a pass that is
    not valid or no longer gives access (logged out, deactivated, out of the group)."""
    grant = live.read_pass(value)
    if grant is None or not access.allowed(value):
        return 403, {"detail": str(EXPIRED)}
    after = live.whole_number(query.get("after", ["0"])[0] or "0")
    if after is None:
        return 400, {
            "detail": gettext("“after” must be a whole number from 0 to %(highest)s.")
            % {"highest": format(live.MAX_ID, ",")}
        }
    channel, _ = grant
    events = live.events_after(channel, after)
    if not events:
        return 204, None
    return 200, {"events": events, "last": events[-1]["id"]}


def ticket(value: str) -> tuple[int, dict]:
    """(status, body) of the exchange of a page's pass for a ticket to open the stream with."""
    issued = live.ticket_for(value) if access.allowed(value) else None
    if issued is None:
        return 403, {"detail": str(EXPIRED)}
    return 200, {"ticket": issued}


def access_allowed(value: str) -> bool:
    """``access.allowed`` between the connection checks Django makes around each request."""
    close_old_connections()
    try:
        return access.allowed(value)
    except Exception:
        logger.exception("live access check failed")
        return False
    finally:
        close_old_connections()


class LiveChannelApp:
    """WSGI middleware: the live paths answered here, the rest handed to Django."""

    def __init__(self, django_app):
        self.django_app = django_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/live/"):
            return self.django_app(environ, start_response)
        language = live.language_asked(environ.get("HTTP_ACCEPT_LANGUAGE", ""))
        if environ.get("REQUEST_METHOD") == "POST" and path in (PRESENCE_PATH, CITATIONS_PATH):
            with translation.override(language):
                return self._post(path, environ, start_response)
        query = parse_qs(environ.get("QUERY_STRING", ""))
        value = pass_in(environ.get("HTTP_X_LIVE_PASS"), query)
        if environ.get("REQUEST_METHOD") == "POST" and path == TICKET_PATH:
            with translation.override(language):
                return self._answer(start_response, ticket, value)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.django_app(environ, start_response)
        if path == "/live/events":
            with translation.override(language):
                return self._answer(start_response, poll, value, query)
        if not access_allowed(value):
            return self.django_app(environ, start_response)  # Django's view answers with the refusal
        match = DRAFT_PATH.match(path)
        if match:
            cached = self._cached_draft(int(match.group(1)), value, query)
            if cached is not None:
                return _respond(start_response, "200 OK", cached, "text/html; charset=utf-8")
        match = CONSOLIDATION_PATH.match(path)
        if match:
            cached = self._cached_consolidation(int(match.group(1)), value, query)
            if cached is not None:
                return _respond(start_response, "200 OK", cached, "text/html; charset=utf-8")
        return self.django_app(environ, start_response)

    def _answer(self, start_response, answer, *args):
        # As Django does around each request: drop connections past CONN_MAX_AGE or broken.
        close_old_connections()
        try:
            status, body = answer(*args)
        except Exception:
            logger.exception("live %s failed", answer.__name__)
            return _error(start_response, "503 Service Unavailable", gettext("Live updates are unavailable."))
        finally:
            close_old_connections()
        return _respond(start_response, _REASONS[status], json.dumps(body).encode() if body else b"")

    def _post(self, path: str, environ, start_response):
        form, problem = _read_form(environ)
        if problem is not None:
            return _error(start_response, *problem)
        close_old_connections()
        try:
            if path == PRESENCE_PATH:
                status, body = presence(form)
                payload, content_type = (json.dumps(body).encode() if body else b""), "application/json"
            else:
                status, html = citation_check(form)
                payload, content_type = html.encode(), "text/html; charset=utf-8"
                if status != 200:
                    payload, content_type = json.dumps({"detail": html}).encode(), "application/json"
        except Exception:
            logger.exception("%s failed", path)
            return _error(start_response, "503 Service Unavailable", gettext("Try again in a moment."))
        finally:
            close_old_connections()
        return _respond(start_response, _REASONS[status], payload, content_type)

    def _cached_draft(self, pk: int, value: str, query) -> bytes | None:
        grant = live.read_pass(value)
        if grant is None or grant[0] != live.proposal_channel(pk):
            return None  # Django's view answers with the right refusal
        version = live.whole_number(query.get("v", [""])[0])
        since = live.whole_number(query["from"][0]) if "from" in query else None
        if version is None or ("from" in query and since is None):
            return None
        return cache.get(
            draft_cache_key(pk, version, grant[1], since, copy_language(query.get("lang", [""])[0]))
        )

    def _cached_consolidation(self, pk: int, value: str, query) -> bytes | None:
        grant = live.read_pass(value)
        if grant is None or grant[0] != live.consolidation_channel(pk):
            return None
        at = live.whole_number(query.get("at", [""])[0])
        if at is None:
            return None
        view, layout = query.get("filter", ["all"])[0], query.get("layout", ["columns"])[0]
        return cache.get(
            consolidation_cache_key(pk, at, view, layout, copy_language(query.get("lang", [""])[0]))
        )
