"""Requests carrying a NUL character (or, in JSON, a lone surrogate) are refused at the door (400).

No text anywhere in the tool may hold NUL: PostgreSQL refuses it in any query (a DataError,
a 500), and no form, address or JSON document has a reason to carry one. The fields people
type are checked in detail (drafting.validation); this catches the rest at once: an address,
a query string, a form field or a JSON body (where NUL can only come escaped, as \\u0000)
used for a lookup rather than saved.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from whitenoise.middleware import WhiteNoiseMiddleware

_ESCAPED_NUL = re.compile(rb"\\u0000", re.IGNORECASE)
# JSON can also spell half of a surrogate pair alone, which no database can store or even look up.
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
MESSAGE = (
    "The request contains a NUL character, which no text in this tool can hold. Remove it and try again."
)


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    if any("\x00" in v for values in request.GET.lists() for v in values[1]):
        return True
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/json"):
            body = request.body
            return bool(_ESCAPED_NUL.search(body) or _LONE_SURROGATE.search(body)) or b"\x00" in body
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            return any("\x00" in v for values in request.POST.lists() for v in values[1])
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400)
            return HttpResponse(MESSAGE, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class StaticFiles(WhiteNoiseMiddleware):
    """whitenoise, with the hashed names cached for a year (``max-age=31536000, immutable``) rather than
    its ten years: a year is the customary ceiling (HTTP/1.1's old limit for ``Expires``, RFC 2616
    section 14.21), and a hashed name never changes content, so within it the browser never asks again."""

    FOREVER = 365 * 24 * 60 * 60
