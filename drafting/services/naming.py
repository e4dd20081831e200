"""What every page calls a clause: its part and label, whole ("recognizing e)"), never the bare
label ("e)"), which repeats from part to part."""

from __future__ import annotations

from django.utils.translation import gettext


def clause_name(part: str, kind: str, heading: str = "", label: str = "") -> str:
    """A part or an annex by its heading; an item by its part and label; an unlabelled paragraph
    by its part. ``part`` is the heading of the part the clause is in."""
    if kind == "front":
        return gettext("the title")
    if kind in ("part", "annex"):
        return heading or part or gettext("annex")
    if label:
        return f"{part} {label}" if part else label
    return (
        gettext("%(part)s, unnumbered paragraph") % {"part": part}
        if part
        else gettext("unnumbered paragraph")
    )
