"""The edition page, the library's most read page, rendered once per state of what it shows.

An edition's own text never changes once imported or adopted; what the page shows around it
does: the editions switch and "not the latest edition", where each citation in the text leads
and whether it cites the current edition, and which current texts cite the resolution. All of
it moves with the library's editions and meetings (:func:`drafting.services.citations.library_state`:
an import, an adoption, a deletion) or with the citations stored for this edition and for its
resolution (rebuilt from scratch, pointed at a resolution that arrived later). The page's
content is cached under a key made of those, read in two queries, so a reader's request costs
them, the cache read and the page around it (header, login), not the ~15 queries and the
typesetting of every clause.

The content is rendered without the request: nothing personal (a name, a CSRF token, a
role's button) can end up in what every reader is served. Anything personal goes outside it,
in ``edition_detail.html``'s frame.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Max, OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from drafting.models import Citation, Edition

# A change through the tool shows at once (it moves the key); this bounds what only the admin
# site can change in place (a body's name, an edition's metadata).
EDITION_PAGE_TTL = 3600


def with_citation_marks(editions):
    """Editions annotated with the newest citation ids the page depends on, in the same query."""
    newest = Citation.objects.filter(clause__isnull=False).order_by().values("edition_id")
    return editions.annotate(
        cites_mark=Subquery(newest.filter(edition_id=OuterRef("pk")).annotate(m=Max("id")).values("m")[:1]),
        cited_mark=Subquery(
            Citation.objects.filter(clause__isnull=False, cited_resolution_id=OuterRef("resolution_id"))
            .order_by()
            .values("cited_resolution_id")
            .annotate(m=Max("id"))
            .values("m")[:1]
        ),
    )


def page_key(edition: Edition, library: str) -> str:
    marks = (edition.pk, library, getattr(edition, "cites_mark", None), getattr(edition, "cited_mark", None))
    return "edition-page:" + hashlib.blake2b(repr(marks).encode(), digest_size=16).hexdigest()


def edition_page(edition: Edition, build) -> SafeString:
    """The edition page's content: from the cache, or rendered from ``build()``'s context and kept."""
    from drafting.services.citations import library_state

    key = page_key(edition, library_state())
    html = cache.get(key)
    if html is None:
        html = render_to_string("drafting/edition_detail.html#page", build())
        cache.set(key, html, EDITION_PAGE_TTL)
    return mark_safe(html)  # noqa: S308 (rendered by our own template, escaped there)
