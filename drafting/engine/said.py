"""Messages the engine says to people, in English, remembering how they were made.

The engine imports nothing of Django, so it cannot translate; it marks its messages instead:
``gettext_noop("The text has %(lines)s lines…", lines="1,204")`` is the English message (a str, for
logs, tests and anyone who reads it as such) that also keeps its template and its values, so that
the layer above says it in the reader's language (drafting.translation.say). The name is the one
makemessages looks for, so every template lands in the catalogue.

A value that is words (what a character is, which part of a .docx, which field) is a message of
its own, marked the same way, never English glued in: the layer above says it in the reader's
language too, before putting it in its sentence. So a translator translates whole phrases, and a
Russian reader never reads "Поле «text» содержит a right-to-left override".
"""

from __future__ import annotations


class Message(str):
    """An English message, with the template and the values it was made from."""

    template: str
    params: dict
    capital: bool

    def __new__(cls, template: str, capital: bool = False, **params) -> Message:
        text = template % params if params else template
        said = super().__new__(cls, text[:1].upper() + text[1:] if capital else text)
        said.template = template
        said.params = params
        said.capital = capital
        return said


def gettext_noop(template: str, **params) -> Message:
    """A message for people, marked for the catalogue, in English until the layer above says it."""
    return Message(template, **params)


def capitalised(message: Message) -> Message:
    """The same words begun with a capital letter, in whatever language they are said
    (a phrase such as "the footnotes (word/footnotes.xml)" that starts a sentence)."""
    return Message(message.template, capital=True, **message.params)
