"""One check of every request at the door: characters no text here can hold are a 400 before any view.

No text anywhere in the tool may hold NUL: PostgreSQL refuses it in any query (a DataError, a
500), and no form, address or JSON document has a reason to carry one. Nor may it hold half of a
surrogate pair, which neither database can store or even look up (SQLite's driver cannot encode
it: a 500 there too). The fields people type are checked in detail (drafting.validation); this
catches the rest at once, wherever it is: the address, the query string, and the body of any
request whatever its Content-Type says. The API reads a JSON body whatever the header claims
(``text/plain``, ``Application/JSON``...), so every body that is not a multipart upload is read as
JSON would read it: a raw NUL byte, an escaped ``\\u0000``, an escaped lone surrogate (``\\ud800``
not followed by its pair) or bytes that are not UTF-8 are refused, and a form's fields are looked
at once decoded. An escaped backslash before ``u`` (``"\\\\ud800"``, the six characters a person
typed) is text like any other and passes. Uploaded files are not text and are not looked at.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext, gettext_lazy
from whitenoise.middleware import WhiteNoiseMiddleware

# A JSON escape is a backslash preceded by an even number of backslashes (none, or escaped pairs).
_ESCAPE = rb"(?<!\\)(?:\\\\)*\\u"
_ESCAPED_NUL = re.compile(_ESCAPE + rb"0000")
_ESCAPED_HIGH = re.compile(_ESCAPE + rb"[dD][89abAB][0-9a-fA-F]{2}")
_ESCAPED_LOW = re.compile(_ESCAPE + rb"[dD][c-fC-F][0-9a-fA-F]{2}")
_LOW_AFTER = re.compile(rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}")

# Said in the reader's language (a request refused here has been through PreferredLanguage).
NUL = gettext_lazy("a NUL character (U+0000), which no text in this tool can hold")
SURROGATE = gettext_lazy(
    "a broken character (half of a surrogate pair, %(escape)s in JSON), which no text can hold: "
    "it is not a letter of any script"
)
NOT_UTF8 = gettext_lazy("bytes that are not UTF-8 text (at byte %(at)s)")
WHERE = {
    "address": gettext_lazy("in its address"),
    "query": gettext_lazy("in its query"),
    "field": gettext_lazy("in a form field"),
    "body": gettext_lazy("in its body"),
}


def _said(what, where: str) -> str:
    return gettext("The request contains %(what)s %(where)s. Remove it and try again.") % {
        "what": what,
        "where": WHERE[where],
    }


def _lone_surrogate(body: bytes) -> str | None:
    """The first escaped half of a surrogate pair that is not part of a pair, as written, or None."""
    for m in _ESCAPED_HIGH.finditer(body):
        if not _LOW_AFTER.match(body, m.end()):
            return body[m.end() - 6 : m.end()].decode("ascii")
    paired = {m.end() + 6 for m in _ESCAPED_HIGH.finditer(body)}
    for m in _ESCAPED_LOW.finditer(body):
        if m.end() not in paired:
            return body[m.end() - 6 : m.end()].decode("ascii")
    return None


def _in_fields(values) -> bool:
    return any("\x00" in value for _, items in values.lists() for value in items)


def request_problem(request: HttpRequest) -> str | None:
    """What in the request no text here can hold, said for a person, or None."""
    if "\x00" in request.path:
        return _said(NUL, "address")
    if _in_fields(request.GET):
        return _said(NUL, "query")
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    if request.content_type == "multipart/form-data":
        # Files are bytes of their own (a .docx holds NUL bytes); the form's fields are text.
        return _said(NUL, "field") if _in_fields(request.POST) else None
    body = request.body
    if not body:
        return None
    if b"\x00" in body or _ESCAPED_NUL.search(body):
        return _said(NUL, "body")
    escape = _lone_surrogate(body) if b"\\u" in body or b"\\U" in body else None
    if escape is not None:
        return _said(SURROGATE % {"escape": escape}, "body")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as e:
        return _said(NOT_UTF8 % {"at": format(e.start, ",")}, "body")
    if request.content_type == "application/x-www-form-urlencoded" and _in_fields(request.POST):
        return _said(NUL, "field")
    return None


class RequestCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = request_problem(request)
        if problem is not None:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": problem}, status=400)
            return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


# The name it had when it looked for NUL alone.
RefuseNulMiddleware = RequestCheckMiddleware


class StaticFiles(WhiteNoiseMiddleware):
    """whitenoise, with the hashed names cached for a year (``max-age=31536000, immutable``) rather than
    its ten years: a year is the customary ceiling (HTTP/1.1's old limit for ``Expires``, RFC 2616
    section 14.21), and a hashed name never changes content, so within it the browser never asks again."""

    FOREVER = 365 * 24 * 60 * 60
