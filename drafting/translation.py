"""Saying in the reader's language what the engine said in English (drafting.engine.said)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext

from drafting.engine.said import Message


def say(message) -> str:
    """The message in the active language: a Message from its template, the values that are words
    (Messages themselves) said first; anything else as it is (a lazy string in the active language)."""
    if isinstance(message, BaseException):
        message = getattr(message, "message", None) or (message.args[0] if message.args else str(message))
    if isinstance(message, Message):
        if message.params:
            params = {
                name: say(value) if isinstance(value, Message) else value
                for name, value in message.params.items()
            }
            text = gettext(message.template) % params
        else:
            text = gettext(message.template)
        return text[:1].upper() + text[1:] if message.capital else text
    return str(message)


# A message kept in the database (a citation's note) is kept as what it is: its template and values,
# values that are words kept so too; a string value at most this long.
_KEPT_VALUE = 300


def kept(message) -> dict | None:
    """A message as the database keeps it (JSON), to be said later in its reader's language; None for
    words that are not a Message (nothing to say but themselves)."""
    if not isinstance(message, Message):
        return None
    params = {}
    for name, value in message.params.items():
        if isinstance(value, Message):
            params[name] = kept(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            params[name] = value
        else:
            params[name] = str(value)[:_KEPT_VALUE]
    kept_message = {"template": message.template[:_KEPT_VALUE], "params": params}
    if message.capital:
        kept_message["capital"] = True
    return kept_message


def said_kept(value, words: str = "") -> str:
    """A kept message (kept()) in the active language; a row without one says ``words``, as the
    catalogue says them if it has them (rows made before messages were kept)."""
    if isinstance(value, dict):
        try:
            params = {name: said_kept(v) if isinstance(v, dict) else v for name, v in value["params"].items()}
            template = gettext(value["template"])
            text = template % params if params else template
            return text[:1].upper() + text[1:] if value.get("capital") else text
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # not as this version keeps it: its English
    return gettext(words) if words else ""


def supported(code: str | None) -> str | None:
    """The code among settings.LANGUAGES that ``code`` names ("fr-CA" -> "fr"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None
