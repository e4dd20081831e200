"""Saying in the reader's language what the engine said in English (drafting.engine.said)."""

from __future__ import annotations

from django.utils.translation import gettext

from drafting.engine.said import Message


def say(message) -> str:
    """The message in the active language: a Message from its template, anything else as it is."""
    if isinstance(message, BaseException):
        message = getattr(message, "message", None) or (message.args[0] if message.args else str(message))
    if isinstance(message, Message):
        return gettext(message.template) % message.params if message.params else gettext(message.template)
    return str(message)
