"""Typesetting citations in clause text as links to what they cite."""

from __future__ import annotations

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .drafting import _footnotes

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
def anchor_label(anchor: str) -> str:
    """ "considering-further-b" -> "considering further b"."""
    return (anchor or "").replace("-", " ")


@register.simple_tag
def citation_link(c) -> SafeString:
    """One stored citation as a link to what it cites, saying when it is not the current edition."""
    from drafting.engine.citations import NO_SUCH_EDITION, UNKNOWN_VENUE
    from drafting.services.citations import citation_url, is_outdated

    if c.kind == "resolution":
        name = f"{c.body} Resolution {c.number}" + (f" ({c.edition_name})" if c.edition_name else "")
    elif c.kind == "recommendation":
        name = f"Recommendation {c.body} {c.number}".replace("  ", " ")
    else:
        name = f"{c.body} Resolution {c.number}"
    url = citation_url(c)
    html = format_html('<a href="{}">{}</a>', url, name) if url else format_html("{}", name)
    if c.problem in (UNKNOWN_VENUE, NO_SUCH_EDITION):
        html += format_html(' <span class="cite-note">({})</span>', c.message)
    elif is_outdated(c):
        html += format_html(
            ' <span class="cite-note">(not the current edition: {})</span>',
            c.current_revision or c.current_year,
        )
    elif c.kind == "resolution" and not url:
        html += format_html(' <span class="cite-muted">{}</span>', "not in the library")
    return html
