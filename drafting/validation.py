"""One check of what comes in, whichever door it comes through: pages, the API or an importer.

Text is checked by ``drafting.engine.text`` (control characters, NUL, lone
surrogates; line breaks normalised); lengths and whole numbers against the
model's own fields, with the same ranges on SQLite (which would store anything)
as on PostgreSQL (which would answer a 500). Every save of a drafting model
passes through ``check_instance`` (a pre_save signal), and the services that
write with ``update()`` pass their values through ``clean_values``; numbers
read from forms and queries go through ``whole_number``; the API's schemas use
``ApiText`` and ``ApiVersion``. Each refusal is an ``InvalidInput`` (a 400)
whose message names the field.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.expressions import Combinable
from django.utils.translation import gettext
from pydantic import AfterValidator, Field, ValidationInfo

from drafting.engine import limits
from drafting.engine.text import TextProblem, clean_text
from drafting.field_names import field_name
from drafting.services import DomainError
from drafting.translation import say

# The ranges PostgreSQL enforces, applied on every database.
_RANGES = BaseDatabaseOperations.integer_field_ranges
# Ids and version counters read from requests: PostgreSQL's bigint.
MAX_ID = 2**63 - 1


class InvalidInput(DomainError):
    """A value that cannot be stored as given; nothing was saved."""


# The longest text a field without a column length keeps (drafting.engine.limits): a clause of one
# megabyte cost 23 s of CPU at every editor load and Word export after it was saved. Any other long
# text is a note (reasons, comments, an abstract).
_TEXT_LIMITS = {
    ("Amendment", "text"): limits.MAX_CLAUSE_CHARS,
    ("Amendment", "heading"): limits.MAX_CLAUSE_CHARS,
    ("Clause", "text"): limits.MAX_CLAUSE_CHARS,
    ("Clause", "heading"): limits.MAX_CLAUSE_CHARS,
    ("Footnote", "text"): limits.MAX_CLAUSE_CHARS,
    ("Decision", "text"): limits.MAX_SETTLED_CHARS,
    ("Contribution", "title"): limits.MAX_TITLE_CHARS,
    ("Proposal", "new_title"): limits.MAX_TITLE_CHARS,
    ("Resolution", "title"): limits.MAX_TITLE_CHARS,
    ("Edition", "title"): limits.MAX_TITLE_CHARS,
    ("Edition", "history_line"): limits.MAX_TITLE_CHARS,
    ("Edition", "enacting_formula"): limits.MAX_TITLE_CHARS,
    ("Proposal", "new_text"): limits.MAX_RESOLUTION_CHARS,
}


def max_length(model: type[models.Model], field: models.Field) -> int | None:
    """How many characters a text field keeps: its column's length, else its kind's limit."""
    if field.max_length is not None or not isinstance(field, models.TextField):
        return field.max_length
    return _TEXT_LIMITS.get((model._meta.object_name, field.name), limits.MAX_NOTE_CHARS)


def _field_name(model: type[models.Model], field: models.Field):
    # The field's own words in the reader's language (drafting.field_names): what the person typed
    # into is the title or the text they see in front of them; the model's English name is not said.
    return field_name(field.name)


def _clean(model: type[models.Model], field: models.Field, value: Any) -> Any:
    if value is None or isinstance(value, Combinable):
        return value
    if isinstance(field, models.CharField | models.TextField) and isinstance(value, str):
        try:
            return clean_text(value, _field_name(model, field), max_length=max_length(model, field))
        except TextProblem as problem:
            raise InvalidInput(say(problem)) from None
    if isinstance(field, models.IntegerField) and not field.primary_key and isinstance(value, int):
        low, high = _RANGES.get(field.get_internal_type(), (None, None))
        if (low is not None and value < low) or (high is not None and value > high):
            raise InvalidInput(
                gettext("The %(_field_name)s must be a whole number from %(low)s to %(high)s, not %(value)s.")
                % {
                    "_field_name": _field_name(model, field),
                    "low": format(low, ","),
                    "high": format(high, ","),
                    "value": format(value, ","),
                }
            )
    return value


def clean_values(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """The values for ``model`` checked and normalised, for services that write with ``update()``."""
    fields = {f.name: f for f in model._meta.concrete_fields} | {
        f.attname: f for f in model._meta.concrete_fields
    }
    return {name: _clean(model, fields[name], v) if name in fields else v for name, v in values.items()}


def check_instance(instance: models.Model) -> None:
    """Check and normalise every text and number of a model instance before it is saved."""
    model = type(instance)
    for field in model._meta.concrete_fields:
        value = getattr(instance, field.attname)
        cleaned = _clean(model, field, value)
        if cleaned is not value:
            setattr(instance, field.attname, cleaned)


def check_before_save(sender, instance, raw=False, **kwargs) -> None:
    """pre_save receiver for the drafting app's own models (not their history records)."""
    if raw:  # loaddata: fixtures are trusted as they were dumped
        return
    check_instance(instance)


def whole_number(
    value: Any, what: str, *, minimum: int = 0, maximum: int = MAX_ID, default: int | None = None
) -> int:
    """A whole number from a form or a query, or InvalidInput naming what it was for.

    ``default`` is used for a missing or empty value; without one, a missing value is refused too.
    """
    text = str(value if value is not None else "").strip()
    if not text and default is not None:
        return default
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 20:
        raise InvalidInput(
            gettext("The %(what)s must be a whole number, not “%(value)s”. Reload the page and try again.")
            % {"what": what, "value": text[:30]}
        )
    number = int(text)
    if not minimum <= number <= maximum:
        raise InvalidInput(
            gettext("The %(what)s must be from %(minimum)s to %(maximum)s, not %(number)s.")
            % {
                "what": what,
                "minimum": format(minimum, ","),
                "maximum": format(maximum, ","),
                "number": format(number, ","),
            }
        )
    return number


def _api_text(value: str, info: ValidationInfo) -> str:
    try:
        return clean_text(value, field_name(info.field_name or "text"))
    except TextProblem as problem:
        raise ValueError(say(problem)) from None


# For django-ninja schemas: text checked as the models check it (422 naming the field), and counters
# and ids within what the database can hold.
ApiText = Annotated[str, AfterValidator(_api_text)]
ApiVersion = Annotated[int, Field(ge=0, le=2**31 - 1)]
ApiId = Annotated[int, Field(ge=1, le=MAX_ID)]
