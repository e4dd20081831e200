"""Word's Accept All and Reject All, done independently of the writer, over ``word/document.xml``.

Accepting keeps inserted and moved-to text and drops deleted and moved-from text; rejecting does the
reverse. A paragraph whose own mark is dropped (``w:pPr/w:rPr/w:del`` on accept, ``w:ins`` on
reject, the same for moves) joins the paragraph after it, as in Word. With plain marks (underline and
strikethrough, as ITU publishes), accepting drops struck text and rejecting drops underlined text; a
paragraph that had text and has none left goes with it.

The text of a paragraph is its ``w:t``/``w:delText``, ``w:tab`` as a TAB, ``w:noBreakHyphen`` as
U+2011, ``w:br`` as a line feed, and a footnote reference as ``[^the footnote's text]``, so footnotes
are compared by what they say, whatever Word numbers them.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
ACCEPT, REJECT = "accept", "reject"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _read(data: bytes, name: str) -> etree._Element | None:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        if name not in package.namelist():
            return None
        return etree.fromstring(package.read(name))


def footnote_texts(data: bytes, mode: str = ACCEPT) -> dict[str, str]:
    """Each footnote's text by its Word id, its own revisions resolved the same way."""
    root = _read(data, "word/footnotes.xml")
    if root is None:
        return {}
    notes = {}
    for note in root.iterfind("w:footnote", NS):
        if note.get(q("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        resolved = _resolve_tracked(copy.deepcopy(note), mode)
        text = " ".join(_text(p, {}) for p in resolved.iterfind(".//w:p", NS))
        notes[note.get(q("id"))] = text.strip()
    return notes


def _drop(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        # The element's tail (whitespace in pretty-printed XML) is of no account in WordprocessingML.
        parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in list(element):
        parent.insert(index, child)
        index += 1
    parent.remove(element)


def _mark_of(paragraph: etree._Element, kinds: tuple[str, ...]) -> bool:
    props = paragraph.find("w:pPr/w:rPr", NS)
    return props is not None and any(props.find(f"w:{k}", NS) is not None for k in kinds)


def _resolve_tracked(root: etree._Element, mode: str) -> etree._Element:
    dropped, kept = (
        (("del", "moveFrom"), ("ins", "moveTo"))
        if mode == ACCEPT
        else (("ins", "moveTo"), ("del", "moveFrom"))
    )
    # Paragraph marks first: the marks themselves sit in w:pPr/w:rPr and are not content.
    for paragraph in list(root.iter(q("p"))):
        joins = _mark_of(paragraph, dropped)
        props = paragraph.find("w:pPr/w:rPr", NS)
        if props is not None:
            for kind in (*dropped, *kept):
                for mark in props.findall(f"w:{kind}", NS):
                    props.remove(mark)
        if joins:
            paragraph.set("joins-next", "1")
    for kind in dropped:
        for element in list(root.iter(q(kind))):
            if element.getparent() is not None and element.getparent().tag != q("rPr"):
                _drop(element)
    for kind in kept:
        for element in list(root.iter(q(kind))):
            if element.getparent() is not None and element.getparent().tag != q("rPr"):
                _unwrap(element)
    for tag in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"):
        for element in list(root.iter(q(tag))):
            _drop(element)
    for deleted in root.iter(q("delText")):
        deleted.tag = q("t")
    _join_paragraphs(root)
    return root


def _join_paragraphs(root: etree._Element) -> None:
    """A paragraph whose mark went joins the next paragraph of the same container (cell, body)."""
    for paragraph in list(root.iter(q("p"))):
        if paragraph.get("joins-next") != "1":
            continue
        paragraph.attrib.pop("joins-next")
        following = paragraph.getnext()
        while following is not None and following.tag != q("p"):
            following = following.getnext()
        if following is None:
            continue  # the last paragraph of its container keeps its mark, as in Word
        content = [c for c in paragraph if c.tag != q("pPr")]
        props = following.find("w:pPr", NS)
        at = 0 if props is None else following.index(props) + 1
        for child in content:
            following.insert(at, child)
            at += 1
        _drop(paragraph)


def _toggle(run: etree._Element, name: str) -> bool:
    found = run.find(f"w:rPr/w:{name}", NS)
    return found is not None and found.get(q("val"), "on") not in ("0", "false", "off", "none")


def _resolve_plain(root: etree._Element, mode: str) -> etree._Element:
    dropped = "strike" if mode == ACCEPT else "u"
    for paragraph in list(root.iter(q("p"))):
        runs = list(paragraph.iter(q("r")))
        had_text = any(_content(r) for r in runs)
        for run in runs:
            if _toggle(run, dropped):
                _drop(run)
        if had_text and not any(_content(r) for r in paragraph.iter(q("r"))):
            _drop(paragraph)
    return root


def _content(run: etree._Element) -> bool:
    return any(
        (c.tag == q("t") and c.text) or c.tag in (q("tab"), q("footnoteReference"), q("noBreakHyphen"))
        for c in run
    )


def _text(paragraph: etree._Element, notes: dict[str, str]) -> str:
    """A paragraph's text; a custom footnote mark (the text of the run after its reference) is read as
    ``[^mark: the footnote's text]``."""
    out = []
    custom = None  # the note whose mark the next text is
    for run in paragraph.iter(q("r")):
        for node in run:
            if custom is not None and node.tag in (q("t"), q("delText")):
                mark = node.text or ""
                body = notes.get(custom, "?")
                out.append(f"[^{mark}: {body.removeprefix(mark).strip()}]")
                custom = None
                continue
            if node.tag in (q("t"), q("delText")):
                out.append(node.text or "")
            elif node.tag == q("tab"):
                out.append("\t")
            elif node.tag == q("noBreakHyphen"):
                out.append("\u2011")
            elif node.tag in (q("br"), q("cr")):
                out.append("\n")
            elif node.tag == q("footnoteReference"):
                if node.get(q("customMarkFollows")) in ("1", "true", "on"):
                    custom = node.get(q("id"))
                else:
                    out.append(f"[^{notes.get(node.get(q('id')), '?')}]")
    return "".join(out)


class Resolved:
    """A .docx with every change accepted or rejected: its body's paragraphs and its tables' cells as text."""

    def __init__(self, data: bytes, mode: str, *, plain: bool = False):
        body = _read(data, "word/document.xml").find("w:body", NS)
        self.notes = footnote_texts(data, mode)
        self.body = _resolve_plain(body, mode) if plain else _resolve_tracked(body, mode)

    def lines(self) -> list[str]:
        """The body's own paragraphs (not those in tables), one a line."""
        return [_text(p, self.notes) for p in self.body.iterfind("w:p", NS)]

    def table_rows(self, index: int = -1) -> list[list[str]]:
        """The cells of a table of the body, each cell's paragraphs joined by line feeds."""
        table = self.body.findall("w:tbl", NS)[index]
        return [
            [
                "\n".join(_text(p, self.notes) for p in cell.iterfind("w:p", NS))
                for cell in row.iterfind("w:tc", NS)
            ]
            for row in table.iterfind("w:tr", NS)
        ]


def proposal_lines(lines: list[str], label: str) -> list[str]:
    """The resolution of one proposal of a contribution: the paragraphs between its label and ``Reasons:``."""
    start = lines.index(label) + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Reasons:"))
    found = lines[start:end]
    while found and found[-1] == "":
        found.pop()
    return found


def lines_after(lines: list[str], marker: str) -> list[str]:
    """Paragraphs after the one that reads ``marker`` (the consolidated draft's note), trailing empties off."""
    found = lines[lines.index(marker) + 1 :]
    while found and found[-1] == "":
        found.pop()
    return found


_NOTE = re.compile(r"\[\^(\d+)\]")


def clause_text(text: str, footnotes) -> str:
    """A clause's text with its footnote calls as the checker reads them: ``[^the footnote's text]``,
    ``[^1bis: the footnote's text]`` for a custom mark."""
    notes = {f.number: f for f in footnotes}

    def call(m: re.Match) -> str:
        note = notes.get(int(m.group(1)))
        if note is None:
            return "[^?]"
        mark = getattr(note, "mark", "")
        return f"[^{mark}: {note.text}]" if mark else f"[^{note.text}]"

    return _NOTE.sub(call, text)


def resolution_lines(resolution, heading: str | None = None) -> list[str]:
    """A resolution as the Word files set it out, one paragraph a line: the printer's layout.

    ``heading`` replaces the "RESOLUTION n (revision)" line, for drafts whose revision changes.
    """
    from drafting.engine.tree import ANNEX, PART

    lines = []
    if heading is None and resolution.number:
        revision = f" ({resolution.revision})" if resolution.revision else ""
        heading = f"RESOLUTION {resolution.number}{revision}"
    if heading:
        lines.append(heading)
    for attr in ("title", "history", "enacting_formula"):
        value = getattr(resolution, attr)
        if value:
            lines.append(clause_text(value, resolution.footnotes))
    for clause, _ in resolution.walk():
        if clause.kind == PART:
            lines.append(clause_text(clause.heading, clause.footnotes))
        elif clause.kind == ANNEX:
            lines.append(clause.heading)
            if clause.text:
                lines.append(clause_text(clause.text, clause.footnotes))
        else:
            text = clause_text(clause.text, clause.footnotes)
            lines.append(f"{clause.label}\t{text}" if clause.label else text)
    return lines


def compare(got: list[str], wanted: list[str]) -> tuple[int, int]:
    """(lines equal, lines wanted), lines matched in order."""
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, got, wanted, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()), len(wanted)


# --- what the exports should give back --------------------------------------------------------------


def revised_front(base, revision: tuple[str, str] | None) -> tuple[str, object]:
    """(heading line, resolution) with the front lines a revision gives: the new place and year in the
    heading and the enacting formula, the new edition at the end of the history line."""
    from dataclasses import replace

    if revision is None:
        return None, base
    old, new = revision
    heading = None
    if base.number:
        kept = re.match(r"Rev\.\s", base.revision)
        heading = f"RESOLUTION {base.number} ({kept.group(0) if kept else 'Rev. '}{new})"
    history = base.history
    calls = re.search(r"(?:\[\^\d+\])*$", history).group(0)  # footnote calls after the parenthesis
    line = history[: len(history) - len(calls)]
    if line.endswith(")"):
        history = f"{line[:-1]}; {new}){calls}"
    formula = base.enacting_formula.replace(f"({old})", f"({new})", 1)
    return heading, replace(base, history=history, enacting_formula=formula)


def draft_expectations(draft, revision) -> tuple[list[str], list[str]]:
    """(lines after Accept All, lines after Reject All) of a draft resolution as Word sets it out."""
    proposed = draft.proposed_text()
    proposed.footnotes = list(draft.base.footnotes)  # the front lines are the base's, footnotes with them
    heading, proposed = revised_front(proposed, revision)
    return resolution_lines(proposed, heading), resolution_lines(draft.base)


def version_cell(clause, *, base: bool) -> str:
    """A group's cell of the compilation: a part's heading, or an item's label, a space and its text,
    as the group proposes it or (``base``) as the base has it; empty for a clause not there."""
    from drafting.engine.tree import PART

    source = clause.base if base else (None if clause.suppressed else clause)
    if source is None:
        return ""
    value = source.heading if clause.kind == PART else source.text
    value = _NOTE.sub("", value)
    if clause.kind != PART and source.label:
        return f"{source.label} {value}"
    return value


# --- every demo export, checked -------------------------------------------------------------------------


class Check:
    """One export: its file, how to take the resolution's lines out of it, and what they should be."""

    def __init__(self, name: str, data: bytes, tracked: bool, extract, wanted: dict[str, list[str]]):
        self.name, self.data, self.tracked = name, data, tracked
        self.extract, self.wanted = extract, wanted

    def lines(self, mode: str, data: bytes | None = None, *, resolved: bool = False) -> list[str]:
        """The lines after accepting or rejecting (``resolved``: a file already resolved, by LibreOffice)."""
        document = Resolved(data or self.data, mode, plain=not self.tracked and not resolved)
        return self.extract(document)

    def score(self, data: bytes | None = None) -> tuple[str, str]:
        return tuple(self._score(self.lines(mode, data), mode) for mode in (ACCEPT, REJECT))

    def score_resolved(self, data: bytes, mode: str) -> str:
        return self._score(self.lines(mode, data, resolved=True), mode)

    def _score(self, got: list[str], mode: str) -> str:
        equal, wanted = compare(got, self.wanted[mode])
        extra = len(got) - equal
        return f"{equal}/{wanted}" + (f" (+{extra} other)" if extra else "")


def contribution_check(name: str, contribution, tracked: bool) -> Check:
    from drafting.engine.docx_write import contribution_docx
    from drafting.models import Proposal
    from drafting.services.exports import contribution_document

    doc = contribution_document(contribution)
    data = contribution_docx(doc, tracked=tracked)
    accepted, rejected = [], []
    labels = []
    for proposal, item in zip(contribution.proposals.all(), doc.proposals, strict=True):
        labels.append(item.label)
        if proposal.action == Proposal.MOD and item.draft is not None:
            a, r = draft_expectations(item.draft, item.revision)
        elif item.text is not None:
            a, r = resolution_lines(item.text), []
        else:
            continue
        accepted += a
        rejected += r

    def extract(document: Resolved) -> list[str]:
        lines = document.lines()
        found = []
        for label in labels:
            found += proposal_lines(lines, label)
        return found

    return Check(name, data, tracked, extract, {ACCEPT: accepted, REJECT: rejected})


def compilation_check(name: str, consolidation, tracked: bool) -> Check:
    from drafting.engine.docx_write import compilation_docx
    from drafting.engine.merge import UNCHANGED
    from drafting.engine.tree import PART
    from drafting.services.consolidation import compile_consolidation
    from drafting.services.exports import compilation_document

    data = compilation_docx(compilation_document(consolidation), tracked=tracked)
    compilation = compile_consolidation(consolidation)
    groups = compilation.groups
    wanted = {ACCEPT: [], REJECT: []}
    for row in compilation.rows:
        if row.status == UNCHANGED and compilation.decisions.get(row.key) is None and row.kind != PART:
            continue
        for group in groups:
            version = row.versions.get(group)
            for mode in (ACCEPT, REJECT):
                if version is None or not version.changed:
                    cell = "–"
                else:
                    cell = version_cell(version.clause, base=mode == REJECT)
                wanted[mode].append(f"{group}: {cell}")

    def extract(document: Resolved) -> list[str]:
        head, *rows = document.table_rows(-1)
        return [f"{group}: {row[2 + i]}" for row in rows for i, group in enumerate(groups)]

    return Check(name, data, tracked, extract, wanted)


def consolidated_check(name: str, consolidation, tracked: bool) -> Check:
    from drafting.engine.docx_write import ConsolidatedDoc, consolidated_docx
    from drafting.services.consolidation import compile_consolidation, consolidated_draft
    from drafting.services.exports import revision_change

    base = consolidation.base_edition
    doc = ConsolidatedDoc(
        conference="Conference\nPlace, 2024",
        date="1 December 2026",
        title="Draft revision",
        note="Text not yet settled stands in [square brackets].",
        draft=consolidated_draft(compile_consolidation(consolidation)),
        revision=revision_change(base, consolidation.conference),
    )
    data = consolidated_docx(doc, tracked=tracked)
    accepted, rejected = draft_expectations(doc.draft, doc.revision)
    return Check(
        name,
        data,
        tracked,
        lambda document: lines_after(document.lines(), doc.note),
        {ACCEPT: accepted, REJECT: rejected},
    )


def demo_checks() -> list[Check]:
    """Every kind of Word export of the demo data, tracked and with plain marks."""
    from drafting.models import Consolidation, Contribution

    checks = []
    for contribution in (
        Contribution.objects.filter(proposals__action="MOD").distinct().order_by("group__code", "pk")
    ):
        for tracked in (True, False):
            marks = "tracked" if tracked else "plain"
            name = f"contribution {contribution.group.code} {contribution.document_label}, {marks}"
            checks.append(contribution_check(name, contribution, tracked))
    for consolidation in Consolidation.objects.order_by("pk"):
        for tracked in (True, False):
            marks = "tracked" if tracked else "plain"
            checks.append(
                compilation_check(
                    f"compilation {consolidation.resolution}, group columns, {marks}", consolidation, tracked
                )
            )
            checks.append(
                consolidated_check(
                    f"consolidated draft {consolidation.resolution}, {marks}", consolidation, tracked
                )
            )
    return checks


def has_revisions(data: bytes) -> bool:
    """Whether a file still holds tracked insertions, deletions or moves."""
    body = _read(data, "word/document.xml")
    return any(body.find(f".//w:{kind}", NS) is not None for kind in ("ins", "del", "moveFrom", "moveTo"))
