"""Reading proposals out of a contribution document (.docx): each proposal's label and its proposed text.

A contribution holds one or more proposals, each starting with its label line
("MOD ATU/35A18/1") and ending with its "Reasons:". The revision marks are
Word tracked changes or, as ITU publishes, underline and strikethrough: either
way the proposed text is what remains once deleted text is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .docx_text import has_tracked_changes, open_docx, read_document
from .tree import PART, Clause

_LABEL = re.compile(r"^(?P<action>MOD|ADD|SUP|NOC)\s+(?P<label>[A-Z][\w-]*/[\w]+/\d+)\s*$")
_REASONS = re.compile(r"^Reasons\s*:\s*(?P<text>.*)$")
_NOTE_REF = re.compile(r"\[footnoteRef:(\d+)\](\d+)")
_NOTE_DEF = re.compile(r"\[(\d+): (\d+)\t")


def _footnotes_from_one(text: str) -> str:
    """Word numbers footnotes through the whole document; each resolution numbers its own from 1."""
    numbers: dict[str, str] = {}
    for m in _NOTE_REF.finditer(text):
        numbers.setdefault(m.group(1), str(len(numbers) + 1))
    if all(old == new for old, new in numbers.items()):
        return text

    def new(m: re.Match) -> str:
        return numbers.get(m.group(1), m.group(1))

    text = _NOTE_REF.sub(lambda m: f"[footnoteRef:{new(m)}]{new(m)}", text)
    return _NOTE_DEF.sub(lambda m: f"[{new(m)}: {new(m)}\t", text)


@dataclass
class DocxProposal:
    action: str
    label: str  # "ATU/35A18/1"
    text: str  # the proposed text, from the label line to the reasons
    reasons: str


@dataclass
class ContributionFile:
    proposals: list[DocxProposal]  # in the document's order
    added: Callable[
        [Clause], bool
    ]  # whether a clause read from it is there as a whole insertion (a new clause)


def read_contribution(data: bytes) -> ContributionFile:
    """Every proposal in the document; the marks are tracked changes or, failing any, plain formatting."""
    document = open_docx(data)
    plain = not has_tracked_changes(document)
    text, inserted = read_document(document, plain_marks=plain)  # the body read once, for both
    paragraphs = [" ".join(p.split()) for p in inserted]

    def added(clause: Clause) -> bool:
        words = " ".join((clause.heading if clause.kind == PART else clause.text).split("[^")[0].split())[:60]
        return bool(words) and any(words in p for p in paragraphs)

    return ContributionFile(_proposals(text), added)


def _proposals(text: str) -> list[DocxProposal]:
    proposals: list[DocxProposal] = []
    current: DocxProposal | None = None
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        m = _LABEL.match(stripped)
        if m:
            if current is not None:
                current.text = _footnotes_from_one("\n".join(lines) + "\n")
                proposals.append(current)
            current, lines = DocxProposal(m.group("action"), m.group("label"), "", ""), []
            continue
        if current is None:
            continue
        r = _REASONS.match(stripped)
        if r:
            current.reasons = r.group("text").strip()
            current.text = _footnotes_from_one("\n".join(lines) + "\n")
            proposals.append(current)
            current, lines = None, []
            continue
        lines.append(line)
    if current is not None:
        current.text = _footnotes_from_one("\n".join(lines) + "\n")
        proposals.append(current)
    return proposals
