"""Printing a clause tree back to plain text, in the layout the importer reads."""

from __future__ import annotations

import re

from .parse import FOOTNOTE_MARK
from .tree import ANNEX, PART, Clause, Footnote, ResolutionText


def with_footnotes(text: str, footnotes: list[Footnote]) -> str:
    """A text with the footnotes it calls written the way converted documents show them.

    ``[^1]`` becomes ``[footnoteRef:1]1`` (or ``[footnoteRef:2]1bis`` for a custom mark), and the
    footnotes called follow the text as ``[1: 1<tab>text]``.
    """
    notes = {f.number: f for f in footnotes}

    def call(m: re.Match) -> str:
        number = int(m.group(1))
        note = notes.get(number)
        return f"[footnoteRef:{number}]{note.shown if note else number}"

    called = [int(n) for n in FOOTNOTE_MARK.findall(text)]
    definitions = "".join(
        f" [{n}: {notes[n].shown}\t{notes[n].text}]" for n in dict.fromkeys(called) if n in notes
    )
    return FOOTNOTE_MARK.sub(call, text) + definitions


def _text_with_footnotes(clause: Clause) -> str:
    """The clause text with its footnotes written the way converted documents show them."""
    notes = {f.number: f for f in clause.footnotes}
    text = with_footnotes(clause.text, clause.footnotes)
    # Footnotes the text does not call are kept too, after it, as before.
    called = {int(n) for n in FOOTNOTE_MARK.findall(clause.text)}
    return text + "".join(f" [{n}: {notes[n].shown}\t{notes[n].text}]" for n in notes if n not in called)


def _clause_lines(clause: Clause) -> list[str]:
    if clause.kind == PART:
        lines = [with_footnotes(clause.heading, clause.footnotes)]
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
            lines.append(with_footnotes(value, resolution.footnotes))
    for clause in resolution.clauses:
        lines.extend(_clause_lines(clause))
    return "\n".join(lines) + "\n"
