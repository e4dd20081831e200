"""The names people read for the fields the tool checks, in their language.

A message about a field ("The title is 3,000 characters long") names it with its words in the
reader's language, never with the model's English attribute glued into a translated sentence. One
name per attribute name (the same words whichever model holds it: what a person typed into is a
"title" or a "text" wherever it is), with the context "field" so that a bare word such as "order"
or "number" is translated as the name of a field and not borrowed from another sentence. Every
text and number field of the drafting models and every text field of the API has one: a test
fails on a new field without it (tests/test_checks_in_the_reader_s_language.py).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

FIELD_NAMES: dict[str, Promise] = {
    "abstract": pgettext_lazy("field", "abstract"),
    "action": pgettext_lazy("field", "action"),
    "addendum": pgettext_lazy("field", "addendum"),
    "administration": pgettext_lazy("field", "administration"),
    "anchor": pgettext_lazy("field", "anchor"),
    "base_text": pgettext_lazy("field", "base text"),
    "body": pgettext_lazy("field", "body"),
    "change": pgettext_lazy("field", "change"),
    "channel": pgettext_lazy("field", "channel"),
    "choice": pgettext_lazy("field", "choice"),
    "clause_count": pgettext_lazy("field", "clause count"),
    "code": pgettext_lazy("field", "code"),
    "conference": pgettext_lazy("field", "conference"),
    "count": pgettext_lazy("field", "count"),
    "depth": pgettext_lazy("field", "depth"),
    "digest": pgettext_lazy("field", "digest"),
    "document": pgettext_lazy("field", "document"),
    "document_number": pgettext_lazy("field", "document number"),
    "done": pgettext_lazy("field", "done"),
    "edition": pgettext_lazy("field", "edition"),
    "edition_end": pgettext_lazy("field", "end in the edition"),
    "edition_start": pgettext_lazy("field", "start in the edition"),
    "edition_text": pgettext_lazy("field", "edition's text"),
    "email_notifications": pgettext_lazy("field", "e-mail notifications"),
    "enacting_formula": pgettext_lazy("field", "enacting formula"),
    "end": pgettext_lazy("field", "end"),
    "error": pgettext_lazy("field", "error"),
    "file_format": pgettext_lazy("field", "file format"),
    "filename": pgettext_lazy("field", "file name"),
    "find": pgettext_lazy("field", "text to find"),
    "group": pgettext_lazy("field", "group"),
    "heading": pgettext_lazy("field", "heading"),
    "history_change_reason": pgettext_lazy("field", "reason for the change"),
    "history_line": pgettext_lazy("field", "history line"),
    "history_type": pgettext_lazy("field", "kind of change"),
    "id": pgettext_lazy("field", "identifier"),
    "internal_note": pgettext_lazy("field", "internal note"),
    "introduction": pgettext_lazy("field", "introduction"),
    "key": pgettext_lazy("field", "clause"),
    "kind": pgettext_lazy("field", "kind"),
    "label": pgettext_lazy("field", "label"),
    "language": pgettext_lazy("field", "language"),
    "mark": pgettext_lazy("field", "footnote mark"),
    "message": pgettext_lazy("field", "message"),
    "name": pgettext_lazy("field", "name"),
    "new_number": pgettext_lazy("field", "new number"),
    "new_text": pgettext_lazy("field", "new text"),
    "new_title": pgettext_lazy("field", "new title"),
    "note": pgettext_lazy("field", "note"),
    "number": pgettext_lazy("field", "number"),
    "number_key": pgettext_lazy("field", "number for sorting"),
    "numbering": pgettext_lazy("field", "numbering"),
    "oidc_issuer": pgettext_lazy("field", "identity provider"),
    "oidc_subject": pgettext_lazy("field", "identity at the provider"),
    "order": pgettext_lazy("field", "order"),
    "pinpoint": pgettext_lazy("field", "pinpoint"),
    "place": pgettext_lazy("field", "place"),
    "position": pgettext_lazy("field", "position"),
    "prefix": pgettext_lazy("field", "prefix"),
    "problem": pgettext_lazy("field", "problem"),
    "proposal_prefix": pgettext_lazy("field", "proposal prefix"),
    "proposal_text": pgettext_lazy("field", "proposal's text"),
    "reasons": pgettext_lazy("field", "reasons"),
    "region": pgettext_lazy("field", "region"),
    "replace": pgettext_lazy("field", "replacement text"),
    "revision": pgettext_lazy("field", "revision"),
    "revoked_reason": pgettext_lazy("field", "reason for revocation"),
    "role": pgettext_lazy("field", "role"),
    "slug": pgettext_lazy("field", "short name in addresses"),
    "sort_key": pgettext_lazy("field", "sort key"),
    "sort_order": pgettext_lazy("field", "sort order"),
    "source": pgettext_lazy("field", "source"),
    "source_hash": pgettext_lazy("field", "source's fingerprint"),
    "source_name": pgettext_lazy("field", "source's name"),
    "start": pgettext_lazy("field", "start"),
    "status": pgettext_lazy("field", "status"),
    "successor": pgettext_lazy("field", "successor"),
    "suggestion": pgettext_lazy("field", "suggestion"),
    "summary": pgettext_lazy("field", "summary"),
    "text": pgettext_lazy("field", "text"),
    "title": pgettext_lazy("field", "title"),
    "total": pgettext_lazy("field", "total"),
    "url": pgettext_lazy("field", "address"),
    "version": pgettext_lazy("field", "version"),
    "via": pgettext_lazy("field", "channel of the notice"),
    "year": pgettext_lazy("field", "year"),
}


def field_name(name: str) -> Promise | str:
    """The words for the field ``name`` (an attribute or a JSON key) in the reader's language."""
    return FIELD_NAMES.get(name) or name.replace("_", " ")
