"""Filters that typeset clause text: footnote marks and revision marks."""

from __future__ import annotations

import re
from types import SimpleNamespace

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext_lazy

register = template.Library()

_FOOTNOTE = re.compile(r"\[\^(\d+)\]")


def _footnotes(escaped: str) -> str:
    return _FOOTNOTE.sub(
        lambda m: (
            f'<sup class="fn-ref"><a href="#fn-{m.group(1)}" id="fnref-{m.group(1)}" '
            f'aria-label="footnote {m.group(1)}">{m.group(1)}</a></sup>'
        ),
        escaped,
    )


@register.filter
def without_footnotes(text: str) -> str:
    """The text without its ``[^n]`` footnote calls: for tables of contents and labels."""
    return _FOOTNOTE.sub("", text)


@register.filter
def clause_text(text: str) -> SafeString:
    """Escape clause text and turn its ``[^n]`` markers into footnote links."""
    return mark_safe(_footnotes(escape(text)))


@register.filter
def marks(segments) -> SafeString:
    """Revision marks: deletions struck through, insertions underlined. Screen readers are told
    where each starts and ends by app.css (words before and after every <ins> and <del>, in the
    reader's language: mark_words below), not by words in the text, which copying would take along."""
    html = []
    for op, text in segments:
        body = _footnotes(escape(text))
        if op == "delete":
            html.append(f"<del>{body}</del>")
        elif op == "insert":
            html.append(f"<ins>{body}</ins>")
        else:
            html.append(body)
    return mark_safe("".join(html))


@register.simple_tag
def depth_class(depth: int) -> str:
    return format_html("depth-{}", min(int(depth), 6))


@register.filter
def ago(moment) -> str:
    """ "just now", "5 minutes ago": how long ago something happened, for people."""
    from django.utils import timezone
    from django.utils.timesince import timesince
    from django.utils.translation import gettext

    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return gettext("just now")
    # timesince speaks the active language; its first unit is enough ("5 minutes", not "5 minutes, 3 seconds").
    return gettext("%(duration)s ago") % {"duration": timesince(moment, depth=1)}


# The words the engine uses as values (a row's status, a clause's kind) are names in code: shown to
# people, they go through these tables, so that the catalogue holds them and pages speak the reader's language.
_ROW_STATUS = {
    "unchanged": pgettext_lazy("row", "unchanged"),
    "one group": pgettext_lazy("row", "one group"),
    "agreement": pgettext_lazy("row", "agreement"),
    "combinable": pgettext_lazy("row", "combinable"),
    "conflict": pgettext_lazy("row", "conflict"),
}
_KIND = {
    "part": pgettext_lazy("kind", "part"),
    "item": pgettext_lazy("kind", "item"),
    "annex": pgettext_lazy("kind", "annex"),
    "front": pgettext_lazy("kind", "title"),
}

_PART_ROLE = {
    "preamble": pgettext_lazy("part", "preamble"),
    "operative": pgettext_lazy("part", "operative"),
}


@register.filter
def part_role(role: str) -> str:
    """A part's role ("preamble", "operative") in the reader's language."""
    return _PART_ROLE.get(role, role)


_CHANGE = {
    "added": pgettext_lazy("clause", "added"),
    "removed": pgettext_lazy("clause", "removed"),
    "suppressed": pgettext_lazy("clause", "suppressed"),
    "restored": pgettext_lazy("clause", "restored"),
    "modified": pgettext_lazy("clause", "modified"),
    "relabelled": pgettext_lazy("clause", "relabelled"),
}


@register.filter
def change_name(what: str) -> str:
    """What happened to a clause ("added", "relabelled") in the reader's language."""
    return _CHANGE.get(what, what)


@register.filter
def row_status(status: str) -> str:
    """A synoptic row's status ("conflict", "one group") in the reader's language."""
    return _ROW_STATUS.get(status, status)


@register.filter
def kind_name(kind: str) -> str:
    """A clause's kind ("part", "item") in the reader's language."""
    return _KIND.get(kind, kind)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template ("one group" has a space, so no dotted lookup)."""
    try:
        return mapping.get(key) if hasattr(mapping, "get") else mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def attr(obj, name: str):
    value = getattr(obj, name, None)
    return value() if callable(value) else value


@register.filter
def bis_of(label: str) -> str:
    """The label an item inserted as bis after this one takes: 3bis after 3, bbis) after b)."""
    from drafting.engine.labels import with_suffix

    return with_suffix(label, "bis")


@register.filter
def undo_action(message):
    """The action a message offers to undo (its ``undo-<id>`` tag, ``views.undo.undo_tag``), or None."""
    for tag in (getattr(message, "extra_tags", "") or "").split():
        if tag.startswith("undo-") and tag[5:].isdigit():
            return SimpleNamespace(pk=int(tag[5:]))
    return None


@register.filter
def css_string(value) -> SafeString:
    """A value as a CSS string literal, for a nonce'd <style> (the print header): quotes, backslashes,
    angle brackets and control characters escaped the CSS way, not the HTML way."""
    out = []
    for ch in str(value):
        if ch in '"\\<>&' or ord(ch) < 32 or ch in "\u2028\u2029\x7f":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return mark_safe('"' + "".join(out) + '"')  # noqa: S308 (escaped above)


@register.filter
def comment_text(comment) -> SafeString:
    """A comment's text, escaped, its lines kept, the members it names (``@username``) in bold."""
    text = escape(comment.text)
    names = {u.username for u in comment.mentions.all()}
    if names:
        text = re.sub(
            r"(?<![\w.@])@([\w.@+-]{1,150})",
            lambda m: (
                f'<strong class="mention">@{m.group(1)}</strong>'
                if m.group(1).rstrip(".") in names
                else m.group(0)
            ),
            text,
        )
    return mark_safe(text.replace("\n", "<br>"))  # noqa: S308 (escaped above)


@register.simple_tag
def mark_words() -> SafeString:
    """The words screen readers say around revision marks, in the reader's language, as the CSS
    custom properties app.css puts before and after each <ins> and <del>."""
    from django.utils.translation import gettext

    words = {
        "--ins-start": gettext("[insertion start]"),
        "--ins-end": gettext("[insertion end]"),
        "--del-start": gettext("[deletion start]"),
        "--del-end": gettext("[deletion end]"),
    }
    return mark_safe(":root{" + ";".join(f"{name}:{css_string(text)}" for name, text in words.items()) + "}")
