"""What text the tool stores: one check of characters, shared by forms, the API and the importers.

A clause, a title or a comment is plain text: letters, tabs and line breaks.
Control characters other than tab and newline (C0, DEL and C1), NUL and lone
surrogates are refused where text comes in (PostgreSQL cannot store NUL, Word's
XML cannot hold C0 controls, and none of them is visible), with a message naming
the field and the character. So are the bidirectional embeddings, overrides and
isolates (U+202A–U+202E, U+2066–U+2069): they make a page or a Word file show the
characters in another order than they are stored ("Trojan Source"), so that
what a delegate reads would not be what the record holds. Line breaks in their
other spellings (a carriage return, Word's vertical tab for Shift+Enter, a form
feed for a page break, next line, the Unicode line and paragraph separators)
are what the person meant by a new line, so they become one.

Writers use ``xml_safe`` on the way out, so text stored before this check
existed still exports.
"""

from __future__ import annotations

import re

from .said import Message, gettext_noop

# Spellings of "a new line" that people paste from Word, Windows or the web.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# The bidirectional formatting characters: embeddings, overrides and their end (U+202A–U+202E),
# isolates and their end (U+2066–U+2069).
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Everything XML 1.0 cannot carry (and PostgreSQL refuses NUL): C0 controls but tab and
# newline, lone surrogates, and the two non-characters U+FFFE and U+FFFF; and what is invisible
# or changes what is shown: DEL, the C1 controls, the bidirectional controls.
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff{BIDI_CONTROLS}]")
_BIDI_NAMES = {
    "\u202a": gettext_noop("a left-to-right embedding"),
    "\u202b": gettext_noop("a right-to-left embedding"),
    "\u202c": gettext_noop("the end of a directional embedding or override"),
    "\u202d": gettext_noop("a left-to-right override"),
    "\u202e": gettext_noop("a right-to-left override"),
    "\u2066": gettext_noop("a left-to-right isolate"),
    "\u2067": gettext_noop("a right-to-left isolate"),
    "\u2068": gettext_noop("a first-strong isolate"),
    "\u2069": gettext_noop("the end of a directional isolate"),
}


class TextProblem(ValueError):
    """Text that cannot be stored; the message names the field and the character."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def normalise_line_breaks(text: str) -> str:
    """Every other spelling of a line break as one newline."""
    return _LINE_BREAKS.sub("\n", text)


def _describe(char: str) -> Message:
    """What the character is, in words a translator translates whole (said as the object of
    "contains ...")."""
    code = f"U+{ord(char):04X}"
    if char == "\x00":
        return gettext_noop("a NUL character (%(code)s)", code=code)
    if "\ud800" <= char <= "\udfff":
        return gettext_noop("a broken character (a lone surrogate, %(code)s)", code=code)
    if char in _BIDI_NAMES:
        return gettext_noop(
            "%(name)s (%(code)s), an invisible character that makes the text shown differ from the text stored",
            name=_BIDI_NAMES[char],
            code=code,
        )
    return gettext_noop("an invisible control character (%(code)s)", code=code)


def forbidden_character(text: str) -> tuple[int, Message] | None:
    """The position and description of the first character that cannot be stored, or None."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    return found.start(), _describe(found.group())


# The field a text is for when the caller names none: a message, so that it is said in the reader's
# language like the sentence around it (the layer above names its fields in theirs).
TEXT = gettext_noop("text")


def clean_text(text: str, field: str = TEXT, *, max_length: int | None = None) -> str:
    """The text with its line breaks normalised, or TextProblem naming ``field`` (a Message or words
    already in the reader's language, never English glued into another language's sentence).

    ``max_length`` counts characters, as both databases do for a varchar column.
    """
    text = normalise_line_breaks(text)
    problem = forbidden_character(text)
    if problem is not None:
        position, what = problem
        raise TextProblem(
            gettext_noop(
                "The %(field)s contains %(what)s at character %(value)s. Remove it (it often comes from copying out of another program) and try again.",
                field=field,
                what=what,
                value=position + 1,
            ),
            field=field,
        )
    if max_length is not None and len(text) > max_length:
        raise TextProblem(
            gettext_noop(
                "The %(field)s is %(len)s characters long; at most %(max_length)s fit. Shorten it.",
                field=field,
                len=format(len(text), ","),
                max_length=format(max_length, ","),
            ),
            field=field,
        )
    return text


def xml_safe(text: str) -> str:
    """The text with line breaks normalised and anything XML cannot hold left out (for writers)."""
    return _FORBIDDEN.sub("", normalise_line_breaks(text))
