"""Messages the engine says to people, in English, remembering how they were made.

The engine imports nothing of Django, so it cannot translate; it marks its messages instead:
``gettext_noop("The text has %(lines)s lines…", lines="1,204")`` is the English message (a str, for
logs, tests and anyone who reads it as such) that also keeps its template and its values, so that
the layer above says it in the reader's language (drafting.translation.say). The name is the one
makemessages looks for, so every template lands in the catalogue.
"""

from __future__ import annotations


class Message(str):
    """An English message, with the template and the values it was made from."""

    template: str
    params: dict

    def __new__(cls, template: str, **params) -> Message:
        said = super().__new__(cls, template % params if params else template)
        said.template = template
        said.params = params
        return said


def gettext_noop(template: str, **params) -> Message:
    """A message for people, marked for the catalogue, in English until the layer above says it."""
    return Message(template, **params)
