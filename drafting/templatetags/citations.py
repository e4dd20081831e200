"""Typesetting citations in clause text as links to what they cite."""

from __future__ import annotations

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from drafting.engine.marked_citations import DELETE, EQUAL, INSERT, place_citations, spelled

from .drafting import _FOOTNOTE, _footnotes

register = template.Library()


@register.filter
def cited_text(clause, links) -> SafeString:
    """A clause's text, escaped, with its footnote marks and each citation a link to the cited edition.

    A citation of an older edition than the library's newest, or of a meeting that
    never was, says so beside the link, in words (not only in colour).
    """
    text = clause.heading if clause.kind == "part" else clause.text
    found = sorted((links or {}).get(clause.pk, []), key=lambda link: link.start)
    html, at = [], 0
    for link in found:
        if link.start < at or link.end > len(text):
            continue  # overlapping or out of date offsets: leave that part as plain text
        html.append(_footnotes(escape(text[at : link.start])))
        shown = escape(text[link.start : link.end])
        css = "citation" + (" outdated" if link.note else "")
        if link.url:
            html.append(
                format_html('<a class="{}" href="{}" title="{}">{}</a>', css, link.url, link.title, shown)
            )
        else:
            html.append(format_html('<span class="{}" title="{}">{}</span>', css, link.title, shown))
        if link.note:
            html.append(format_html('<span class="cite-note">({})</span>', link.note))
        at = link.end
    html.append(_footnotes(escape(text[at:])))
    return mark_safe("".join(html))


@register.filter
def source_name(source: str) -> str:
    """Where a citation outside the clauses is ("formula", "title"), in the reader's language."""
    from drafting.services.citations.stale import source_name as name

    return name(source)


@register.filter
def anchor_label(anchor: str) -> str:
    """ "considering-further-b" -> "considering further b"."""
    return (anchor or "").replace("-", " ")


@register.simple_tag
def citation_link(c) -> SafeString:
    """One stored citation as a link to what it cites, saying when it is not the current edition."""
    from drafting.engine.citations import NO_SUCH_EDITION, UNKNOWN_VENUE
    from drafting.services.citations.graph import citation_url, is_outdated

    if c.kind == "resolution":
        name = gettext("%(body)s Resolution %(number)s") % {"body": c.body, "number": c.number} + (
            f" ({c.edition_name})" if c.edition_name else ""
        )
    elif c.kind == "recommendation":
        name = (gettext("Recommendation %(body)s %(number)s") % {"body": c.body, "number": c.number}).replace(
            "  ", " "
        )
    elif c.kind in ("wsis", "treaty"):
        # "Tunis Agenda for the Information Society", "Radio Regulations": the library holds none
        name = c.document or c.number
    elif c.kind in ("decision", "opinion"):
        words = (
            gettext("%(body)s Decision %(number)s")
            if c.kind == "decision"
            else gettext("%(body)s Opinion %(number)s")
        )
        name = words % {"body": c.body, "number": c.number} + (
            f" ({c.edition_name})" if c.edition_name else ""
        )
    else:
        name = gettext("%(body)s Resolution %(number)s") % {"body": c.body, "number": c.number}
    if c.pinpoint:
        name += f", {c.pinpoint}"  # "§§ 69-71", "resolves 2": the part cited
    url = citation_url(c)
    html = format_html('<a href="{}">{}</a>', url, name) if url else format_html("{}", name)
    if c.problem in (UNKNOWN_VENUE, NO_SUCH_EDITION):
        html += format_html(' <span class="cite-note">({})</span>', c.said_message)
    elif is_outdated(c):
        html += format_html(
            ' <span class="cite-note">({})</span>',
            gettext("not the current edition: %(edition)s")
            % {"edition": c.current_revision or c.current_year},
        )
    elif c.kind == "resolution" and not url:
        html += format_html(' <span class="cite-muted">{}</span>', gettext("not in the library"))
    return html


# --- citations in any text, found when the page is drawn ---------------------------------------

# Screen readers are told where a mark starts and ends by app.css (templatetags.drafting.mark_words).
_MARK_OPEN = {DELETE: "<del>", INSERT: "<ins>"}
_MARK_CLOSE = {DELETE: "</del>", INSERT: "</ins>"}


def _page_citer(context):
    """The page's citer: the library snapshot, and "this Assembly" read from what the page shows.

    A view may put a ``citer`` in the context; otherwise the meeting a text is for is
    the consolidation's conference, else the proposal's or the contribution's, else
    the edition's own (the compare page: the later one). Kept on the request, so a page
    reads the library's state once (none when the cached context says it).
    """
    from drafting.models import Edition
    from drafting.services.citation_links import Citer, current_library

    given = context.get("citer")
    if isinstance(given, Citer):
        return given
    request = context.get("request")
    store = request.__dict__.setdefault("_citers", {}) if request is not None else context.render_context
    consolidation = context.get("consolidation")
    proposal = context.get("proposal")
    contribution = context.get("contribution")
    edition = context.get("edition") or context.get("new")
    if consolidation is not None:
        key = ("meeting", consolidation.conference_id)
    elif proposal is not None and getattr(proposal, "contribution_id", None):
        key = ("meeting", proposal.contribution.conference_id)
    elif contribution is not None:
        key = ("meeting", contribution.conference_id)
    elif isinstance(edition, Edition):
        key = ("edition", edition.pk)
    else:
        key = ("meeting", None)
    citer = store.get(key)
    if citer is None:
        if "library" not in store:
            store["library"] = current_library(context.get("library_state"))
        library = store["library"]
        if key[0] == "edition":
            citer = Citer.for_edition(library, edition)
        else:
            citer = Citer.for_meeting(library, key[1])
        store[key] = citer
    return citer


def _linked(piece: str, link) -> str:
    """A piece of one citation as a link (or a titled span when the library lacks it); footnote calls
    inside it stay links of their own, beside it, as a link cannot hold a link."""
    css = "citation" + (" outdated" if link.note else "")
    html, at = [], 0
    for m in [*_FOOTNOTE.finditer(piece), None]:
        text = piece[at : m.start() if m else len(piece)]
        if text:
            if link.url:
                html.append(
                    format_html('<a class="{}" href="{}" title="{}">{}</a>', css, link.url, link.title, text)
                )
            else:
                html.append(format_html('<span class="{}" title="{}">{}</span>', css, link.title, text))
        if m:
            html.append(_footnotes(m.group(0)))
            at = m.end()
    return "".join(html)


def typeset(segments, citer) -> str:
    """Revision marks as the ``marks`` filter draws them, with each citation a link to what it cites.

    Citations are found in the text as proposed and in the text as it was: a deleted
    citation links to the edition it named. A citation over several segments is a link
    in each of them, inside the marks, and its note follows its last piece.
    """
    segments = [(op, text) for op, text in segments]
    new, old = spelled(segments)
    new_links = citer.links(new)
    old_links = citer.links(old) if any(op == DELETE for op, _ in segments) else []
    if not new_links and not old_links:  # most clauses: the marks alone
        return "".join(
            _MARK_OPEN.get(op, "") + _footnotes(escape(text)) + _MARK_CLOSE.get(op, "")
            for op, text in segments
        )
    runs = place_citations(
        segments,
        [(link.start, link.end, link) for link in new_links],
        [(link.start, link.end, link) for link in old_links],
    )
    last = {}
    for i, segment_runs in enumerate(runs):
        for j, (_, link) in enumerate(segment_runs):
            if link is not None:
                last[id(link)] = (i, j)
    html = []
    for i, ((op, _), segment_runs) in enumerate(zip(segments, runs, strict=True)):
        body, notes = [], []
        for j, (piece, link) in enumerate(segment_runs):
            if link is None:
                body.append(_footnotes(escape(piece)))
                continue
            body.append(_linked(piece, link))
            if link.note and last[id(link)] == (i, j):
                note = format_html('<span class="cite-note">({})</span>', link.note)
                # Inside an insertion or a deletion the note would read as part of the change.
                (body if op == EQUAL else notes).append(note)
        if op in _MARK_OPEN:
            html.append(_MARK_OPEN[op] + "".join(body) + _MARK_CLOSE[op])
        else:
            html.append("".join(body))
        html.extend(notes)
    return "".join(html)


@register.simple_tag(takes_context=True)
def linked_marks(context, segments) -> SafeString:
    """``{% linked_marks segments %}``: revision marks with each citation a link to the cited edition."""
    if not segments:
        return mark_safe("")
    return mark_safe(typeset(segments, _page_citer(context)))


@register.simple_tag(takes_context=True)
def linked_text(context, text) -> SafeString:
    """``{% linked_text text %}``: clause text, footnote calls and each citation a link to the cited edition."""
    if not text:
        return mark_safe("")
    return mark_safe(typeset([(EQUAL, str(text))], _page_citer(context)))
