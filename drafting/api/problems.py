"""The API's refusals of a request it cannot read, in the reader's language.

django-ninja answers a body or a query that does not fit its schema with pydantic's English
("Field required", "Input should be a valid integer"), and a body that is not JSON with "Cannot
parse request body". Here each error keeps what a script reads (``type``, ``loc``, ``ctx``) and its
``msg`` becomes a sentence in the reader's language naming the field in their words
(drafting.field_names). A check of ours (``value_error``: a text the tool cannot store) already
says its own sentence in the reader's language; pydantic's "Value error, " before it is dropped.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext, gettext_lazy
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

from drafting.field_names import field_name

# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) that a request
# to this API can meet, each with its sentence; ``%(field)s`` is the field in the reader's words, the
# other names are the error's ``ctx``.
_SAID = {
    "missing": gettext_lazy("“%(field)s” is required."),
    "string_type": gettext_lazy("“%(field)s” must be a text (a JSON string)."),
    "string_too_long": gettext_lazy("“%(field)s” is at most %(max_length)s characters long."),
    "string_too_short": gettext_lazy("“%(field)s” is at least %(min_length)s characters long."),
    "int_type": gettext_lazy("“%(field)s” must be a whole number."),
    "int_parsing": gettext_lazy("“%(field)s” must be a whole number."),
    "int_from_float": gettext_lazy("“%(field)s” must be a whole number."),
    "int_parsing_size": gettext_lazy("“%(field)s” is too large a number."),
    "float_type": gettext_lazy("“%(field)s” must be a number."),
    "float_parsing": gettext_lazy("“%(field)s” must be a number."),
    "bool_type": gettext_lazy("“%(field)s” must be true or false."),
    "bool_parsing": gettext_lazy("“%(field)s” must be true or false."),
    "greater_than_equal": gettext_lazy("“%(field)s” must be at least %(ge)s."),
    "greater_than": gettext_lazy("“%(field)s” must be more than %(gt)s."),
    "less_than_equal": gettext_lazy("“%(field)s” must be at most %(le)s."),
    "less_than": gettext_lazy("“%(field)s” must be less than %(lt)s."),
    "literal_error": gettext_lazy("“%(field)s” must be one of: %(expected)s."),
    "enum": gettext_lazy("“%(field)s” must be one of: %(expected)s."),
    "list_type": gettext_lazy("“%(field)s” must be a list (a JSON array)."),
    "too_long": gettext_lazy("“%(field)s” holds at most %(max_length)s items."),
    "too_short": gettext_lazy("“%(field)s” holds at least %(min_length)s items."),
    "dict_type": gettext_lazy("“%(field)s” must be an object (JSON)."),
    "model_type": gettext_lazy("“%(field)s” must be an object (JSON)."),
    "model_attributes_type": gettext_lazy("“%(field)s” must be an object (JSON)."),
    "uuid_type": gettext_lazy("“%(field)s” must be a clause's key (a UUID)."),
    "uuid_parsing": gettext_lazy("“%(field)s” must be a clause's key (a UUID)."),
    "json_invalid": gettext_lazy("The body is not valid JSON."),
    "extra_forbidden": gettext_lazy("“%(field)s” is not a field of this request."),
}
# Any other kind: still a sentence in the reader's language; ``type`` says which for a script.
_OTHER = gettext_lazy("“%(field)s” is not accepted as sent.")
_BODY = gettext_lazy("the body")
# The places ninja puts first in ``loc``, and the name of the parameter holding a whole body.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file", "payload"}


def _field(loc: list | tuple) -> str:
    """The last named place of ``loc`` (a list's index is no name), in the reader's words."""
    for part in reversed(loc):
        if isinstance(part, str) and part not in _SOURCES:
            return str(field_name(part))
    return str(_BODY)


def said(error: dict[str, Any]) -> str:
    """One pydantic error as a sentence in the reader's language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])  # our own check's sentence, already in the reader's language
    values = {"field": _field(error.get("loc", ()))}
    values.update({name: _value(value) for name, value in ctx.items()})
    try:
        return str(_SAID.get(kind, _OTHER)) % values
    except (KeyError, ValueError, TypeError):  # a ctx without the value the sentence names
        return str(_OTHER) % values


def _value(value: Any) -> str:
    return format(value, ",") if isinstance(value, int) and not isinstance(value, bool) else str(value)


def validation_error(request, exc: ValidationError, api):
    """422 with pydantic's errors, each ``msg`` in the reader's language."""
    errors = [{**error, "msg": said(error)} for error in exc.errors]
    return api.create_response(request, {"detail": errors}, status=422)


def http_error(request, exc: HttpError, api):
    """ninja's own refusals (a body it cannot parse, no login, no right, too many requests) said in
    the reader's language; ours, already in it, as they are."""
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = gettext(
            "The body of the request could not be read: send JSON (Content-Type: application/json)."
        )
    elif isinstance(exc, AuthenticationError) and message == "Unauthorized":
        message = gettext(
            "Log in first: send a token (Authorization: Bearer …) or your login (HTTP Basic), or use the tool in this browser."
        )
    elif isinstance(exc, AuthorizationError) and message == "Forbidden":
        message = gettext("You may not do this.")
    elif isinstance(exc, Throttled):
        message = gettext("Too many requests: wait a moment and try again.")
    response = api.create_response(request, {"detail": message}, status=exc.status_code)
    if isinstance(exc, Throttled) and exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


def not_found(request, exc: Http404, api):
    """A 404 (no such object): ninja's "Not Found", in the reader's language."""
    return api.create_response(request, {"detail": gettext("Not found.")}, status=404)


def described(text):
    """A schema's ``json_schema_extra`` that gives it ``text`` (lazy) as its description, said in the
    active language each time the schema is made (/api/openapi.json is made per request)."""

    def extra(schema: dict, model=None) -> None:
        schema["description"] = str(text)

    return extra
