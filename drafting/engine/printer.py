"""Printing a clause tree back to plain text, in the layout the importer reads."""

from __future__ import annotations

from .parse import FOOTNOTE_MARK
from .tree import ANNEX, PART, Clause, ResolutionText


def _text_with_footnotes(clause: Clause) -> str:
    """The clause text with its footnotes written the way converted documents show them."""
    notes = {f.number: f.text for f in clause.footnotes}
    text = FOOTNOTE_MARK.sub(lambda m: f"[footnoteRef:{m.group(1)}]{m.group(1)}", clause.text)
    definitions = "".join(f" [{n}: {n}\t{notes[n]}]" for n in notes)
    return text + definitions


def _clause_lines(clause: Clause) -> list[str]:
    if clause.kind == PART:
        lines = [clause.heading]
    elif clause.kind == ANNEX:
        lines = [clause.heading]
        if clause.text:
            lines.append(_text_with_footnotes(clause))
    else:
        text = _text_with_footnotes(clause)
        lines = [f"{clause.label}\t{text}" if clause.label else text]
    for child in clause.children:
        lines.extend(_clause_lines(child))
    return lines


def print_resolution(resolution: ResolutionText) -> str:
    """The whole resolution as plain text, one paragraph a line."""
    lines = []
    if resolution.number:
        revision = f" ({resolution.revision})" if resolution.revision else ""
        lines.append(f"RESOLUTION {resolution.number}{revision}")
    for value in (resolution.title, resolution.history, resolution.enacting_formula):
        if value:
            lines.append(value)
    for clause in resolution.clauses:
        lines.extend(_clause_lines(clause))
    return "\n".join(lines) + "\n"
