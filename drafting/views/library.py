"""Reading the library: resolutions, editions, comparisons and exports."""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from drafting.edition_cache import edition_page
from drafting.engine.anchors import find_labels
from drafting.engine.compare import compare_editions, counts
from drafting.engine.docx_write import edition_docx
from drafting.engine.export import resolution_data
from drafting.engine.printer import print_resolution
from drafting.engine.tree import Footnote as FootnoteNode
from drafting.models import Body, Clause, Edition, Resolution
from drafting.reading import clause_rows, edition_tree, latest_edition, tree_from_rows
from drafting.search import search_words
from drafting.services.citations.graph import citation_links, edition_citations


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


MAX_SEARCH_WORDS = 12


def resolution_list(request: HttpRequest) -> HttpResponse:
    """All resolutions by body, with search by number and by words."""
    query = request.GET.get("q", "").strip()
    body_code = request.GET.get("body", "").strip()
    resolutions = Resolution.objects.select_related("body").annotate(edition_count=Count("editions"))
    if body_code:
        resolutions = resolutions.filter(body__code__iexact=body_code)
    matches: dict[int, list[Clause]] = {}
    ranked = None
    if query:
        number = re.sub(r"^res(olution)?\.?\s*", "", query.lower()).strip()
        by_number = Q(number__iexact=number) | Q(number__istartswith=f"{number}-")
        if re.fullmatch(r"[\w\-\s]*\d[\w\-]*", number) and resolutions.filter(by_number).exists():
            # "75" means Resolution 75, not every text that mentions 75.
            resolutions = resolutions.filter(by_number)
        else:
            words = list(dict.fromkeys(query.split()))
            if len(words) > MAX_SEARCH_WORDS:
                # Each word is a condition of the query: SQLite refuses a few hundred of them.
                messages.info(
                    request,
                    gettext("Only the first %(MAX_SEARCH_WORDS)s words were searched for.")
                    % {"MAX_SEARCH_WORDS": MAX_SEARCH_WORDS},
                )
            # Words: the resolutions they find, most relevant first (drafting.search).
            ranked = []
            for hit in search_words(resolutions, " ".join(words[:MAX_SEARCH_WORDS])):
                hit.resolution.matches = hit.clauses
                ranked.append(hit.resolution)
    bodies = Body.objects.annotate(resolution_count=Count("resolutions"))
    groups: dict[Body, list[Resolution]] = {}
    if ranked is None:
        for resolution in resolutions:
            resolution.matches = matches.get(resolution.id, [])
            groups.setdefault(resolution.body, []).append(resolution)
    return render(
        request,
        "drafting/resolution_list.html",
        {"groups": groups, "ranked": ranked, "bodies": bodies, "query": query, "body_code": body_code},
    )


def _resolution(body: str, slug: str) -> Resolution:
    return get_object_or_404(Resolution.objects.select_related("body"), body__code__iexact=body, slug=slug)


def _edition(body: str, slug: str, edition: str) -> Edition:
    return get_object_or_404(
        Edition.objects.select_related("resolution__body"),
        resolution__body__code__iexact=body,
        resolution__slug=slug,
        slug=edition,
    )


def resolution_detail(request: HttpRequest, body: str, slug: str) -> HttpResponse:
    resolution = _resolution(body, slug)
    editions = list(resolution.editions.order_by("-year", "-created_at"))
    return render(
        request,
        "drafting/resolution_detail.html",
        {"resolution": resolution, "editions": editions},
    )


def edition_detail(request: HttpRequest, body: str, slug: str, edition: str) -> HttpResponse:
    """An edition typeset as ITU prints it, every clause addressable by its anchor: rendered once per
    state of what it shows, for every reader (drafting.edition_cache)."""
    current = _edition(body, slug, edition)
    page = edition_page(current, lambda: _edition_context(current))
    return render(
        request,
        "drafting/edition_detail.html",
        {"resolution": current.resolution, "edition": current, "page": page},
    )


def _edition_context(current: Edition) -> dict:
    rows = clause_rows(current)
    editions = list(current.resolution.editions.order_by("-year", "-created_at"))
    # The title's and history line's footnotes come first, as they are first in the text.
    front = [
        FootnoteNode(int(f["number"]), f.get("text", ""), f.get("mark", "")) for f in current.front_footnotes
    ]
    footnotes = front + [note for row in rows for note in row.footnotes.all()]
    graph = edition_citations(current)
    return {
        "graph": graph,
        "links": citation_links(graph.cites),
        "resolution": current.resolution,
        "edition": current,
        "clauses": rows,
        # How a reader names each clause when finding it by label ("resolves 3"): find.js.
        "clauses_found": list(
            zip(
                rows,
                find_labels([(r.depth, r.kind, r.heading if r.depth == 0 else r.label) for r in rows]),
                strict=True,
            )
        ),
        "parts": [row for row in rows if row.depth == 0],
        # The same for every reader (the page is cached for all): a PDF is built by the worker.
        "pdf_export": bool(settings.LIBREOFFICE),
        "footnotes": footnotes,
        "editions": editions,
        "is_latest": editions and editions[0].pk == current.pk,
    }


def edition_export(request: HttpRequest, body: str, slug: str, edition: str, fmt: str) -> HttpResponse:
    current = _edition(body, slug, edition)
    tree = tree_from_rows(current, clause_rows(current))
    filename = f"{current.resolution.body.code}-res{current.resolution.slug}-{current.slug}"
    if fmt == "txt":
        response = HttpResponse(print_resolution(tree), content_type="text/plain; charset=utf-8")
    elif fmt == "docx":
        response = HttpResponse(
            edition_docx(tree, current.resolution.number),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    elif fmt == "json":
        data = resolution_data(tree)
        data["body"] = current.resolution.body.code
        data["edition"] = current.slug
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
    else:
        raise Http404(gettext("Unknown export format."))
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.{fmt}"'
    return response


def edition_compare(request: HttpRequest, body: str, slug: str) -> HttpResponse:
    """Two editions of one resolution, clause by clause, with word-level marks."""
    resolution = _resolution(body, slug)
    editions = list(resolution.editions.order_by("year", "created_at"))
    if len(editions) < 2:
        return render(
            request,
            "drafting/compare.html",
            {"resolution": resolution, "editions": editions, "rows": None},
        )
    by_slug = {e.slug: e for e in editions}
    old = by_slug.get(request.GET.get("old", "")) or editions[-2]
    new = by_slug.get(request.GET.get("new", "")) or editions[-1]
    rows = compare_editions(edition_tree(old), edition_tree(new))
    changed_only = request.GET.get("changed") == "1"
    # Part headings stay as context for the changed items under them.
    shown = [r for r in rows if r.status != "same" or r.depth == 0] if changed_only else rows
    return render(
        request,
        "drafting/compare.html",
        {
            "resolution": resolution,
            "editions": editions,
            "old": old,
            "new": new,
            "rows": shown,
            "counts": counts(rows),
            "changed_only": changed_only,
        },
    )


def latest_edition_redirect(request: HttpRequest, body: str, slug: str) -> HttpResponse:
    from django.shortcuts import redirect

    resolution = _resolution(body, slug)
    edition = latest_edition(resolution)
    if edition is None:
        raise Http404(gettext("This resolution has no edition yet."))
    return redirect(edition)
