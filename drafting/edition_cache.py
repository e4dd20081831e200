"""The edition page, the library's most read page, rendered once per state of what it shows.

An edition's own text never changes once imported or adopted; what the page shows around it
does: the editions switch and "not the latest edition", where each citation in the text leads
and whether it cites the current edition, and which current texts cite the resolution. All of
it moves with the library's editions and meetings (:func:`drafting.caching.library_state`:
an import, an adoption, a deletion) or with the citations stored for this edition and for its
resolution (rebuilt from scratch, pointed at a resolution that arrived later). The page's
content is cached under a key made of those, so a reader's request costs three small queries
(the edition, the library's state, the citations' newest ids), the cache read and the page
around it (header, login), not the ten or so queries and the typesetting of every clause.

The content is rendered without the request: nothing personal (a name, a CSRF token, a
role's button) can end up in what every reader is served. Anything personal goes outside it,
in ``edition_detail.html``'s frame.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from drafting.caching import library_state
from drafting.models import Citation, Edition

# A change through the tool shows at once (it moves the key); this bounds what only the admin
# site can change in place (a body's name, an edition's metadata).
EDITION_PAGE_TTL = 3600


def _citation_marks(edition: Edition) -> tuple:
    """The newest ids of the citations stored for the edition's clauses and of those citing its
    resolution: a rebuild of the graph, or citations pointed at the resolution, move them (1 query,
    two index lookups; plain SQL, as building the equivalent queryset costs more than running it)."""
    table = connection.ops.quote_name(Citation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {table} WHERE edition_id = %s AND clause_id IS NOT NULL),"  # noqa: S608
            f" (SELECT MAX(id) FROM {table} WHERE cited_resolution_id = %s AND clause_id IS NOT NULL)",
            [edition.pk, edition.resolution_id],
        )
        return cursor.fetchone()


def page_key(edition: Edition, library: str) -> str:
    # The interface around the text (buttons, headings, the citations' notes) is in the reader's
    # language: one page per language.
    marks = (edition.pk, library, _citation_marks(edition), get_language())
    return "edition-page:" + hashlib.blake2b(repr(marks).encode(), digest_size=16).hexdigest()


def edition_page(edition: Edition, build) -> SafeString:
    """The edition page's content: from the cache, or rendered from ``build()``'s context and kept."""
    key = page_key(edition, library_state())
    html = cache.get(key)
    if html is None:
        html = render_to_string("drafting/edition_detail.html#page", build())
        cache.set(key, html, EDITION_PAGE_TTL)
    return mark_safe(html)  # noqa: S308 (rendered by our own template, escaped there)
