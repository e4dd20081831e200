"""Writing ITU documents as Word files: contributions with real tracked changes, and clean editions.

python-docx cannot write tracked changes, so insertions and deletions are
added through its XML layer: ``w:ins`` and ``w:del`` with an id, the group as
author and a date, deleted text in ``w:delText``; a whole added or suppressed
paragraph also marks its paragraph mark, so Word's Accept and Reject work on
every change. With ``tracked=False`` the same marks are plain formatting
(underline and strikethrough), which is how ITU publishes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from .amend import DraftClause, DraftResolution
from .diff import Segment, diff_words
from .text import xml_safe
from .tree import ANNEX, PART, Footnote, ResolutionText

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTE = re.compile(r"\[\^(\d+)\]")
INDENT = Cm(1.0)  # indentation added by each level of items
HANGING = Cm(1.5)  # room for a label ("viii)", or "iii)iv)" with marks) before its text
Progress = Callable[[int, int], None]  # (done, total), called as long exports go


def _no_progress(done: int, total: int) -> None:
    pass


def separator(label: list[Segment], sep: str) -> list[Segment]:
    """The TAB (or space) between a label and its text, marked as the label is.

    Kept where the base and the proposal both have a label; inserted with a label that only the
    proposal has (an added item), deleted with one only the base has (a suppressed item). Written as
    unchanged text, it would survive Reject All of an added item and glue the next paragraph onto it.
    """
    had = any(op in ("equal", "delete") for op, _ in label)
    has = any(op in ("equal", "insert") for op, _ in label)
    if had and has:
        return [("equal", sep)]
    if had or has:
        return [("delete" if had else "insert", sep)]
    return []


def exact_marks(clause: DraftClause, attribute: str) -> list[Segment]:
    """A clause's heading or text marked character for character: what Accept All and Reject All need.

    The pages' marks treat a no-break space and a space as the same; a Word file cannot, or rejecting
    its changes would not give the base text back.
    """
    old = getattr(clause.base, attribute) if clause.base is not None else ""
    new = getattr(clause, attribute)
    if clause.added:
        return [("insert", new)] if new else []
    if clause.suppressed:
        return [("delete", old)] if old else []
    return diff_words(old, new, exact=True)


def item_marks(clause: DraftClause, sep: str = " ") -> list[Segment]:
    """An item's label and text in one run of marks (a table cell), or a part's heading."""
    if clause.kind == PART:
        return exact_marks(clause, "heading")
    label = clause.label_marks()
    return [*label, *separator(label, sep), *exact_marks(clause, "text")]


def revised_revision(revision: str, old: str, new: str) -> str:
    """ "Rev.\u00a0Hammamet, 2016" -> "Rev.\u00a0New Delhi, 2024": the base's own spacing kept;
    a first edition's "Hammamet, 2016" becomes "Rev. New Delhi, 2024"."""
    if old and old in revision:
        revised = revision.replace(old, new, 1)
        return revised if revised.startswith("Rev.") else f"Rev. {revised}"
    return f"Rev. {new}"


def revised_front(
    base: ResolutionText, revision: tuple[str, str] | None, *, title: str | None = None
) -> dict[str, tuple[str, str]]:
    """(base, proposed) of each front line: the heading line, title, history and enacting formula.

    A revision puts the conference's place and year in the heading line and the enacting formula and
    adds them to the history line; the title is the proposal's (``title``, its draft's front line);
    everything else is the base's, character for character.
    """
    revised = base.revision
    history, formula = base.history, base.enacting_formula
    if revision is not None:
        old, new = revision
        revised = revised_revision(base.revision, old, new)
        # "(Helsinki, 1993; Hammamet, 2016)[^1][^2]": the new edition goes inside the parenthesis,
        # before the footnote calls on the line.
        m = re.match(r"^(?P<line>.*\))(?P<after>(?:\s*\[\^\d+\])*\s*)$", history, re.S)
        if m:
            history = f"{m.group('line')[:-1]}; {new})" + m.group("after")
        elif history:
            history = f"{history}; {new}"
        if f"({old})" in formula:
            formula = formula.replace(f"({old})", f"({new})", 1)

    def heading(rev: str) -> str:
        if not base.number:
            return ""
        return f"RESOLUTION {base.number}" + (f" ({rev})" if rev else "")

    return {
        "heading": (heading(base.revision), heading(revised)),
        "title": (base.title, base.title if title is None else title),
        "history": (base.history, history),
        "enacting_formula": (base.enacting_formula, formula),
    }


def _inside_suppressed(clause: DraftClause) -> bool:
    parent = clause.parent
    while parent is not None:
        if parent.suppressed:
            return True
        parent = parent.parent
    return False


@dataclass
class ProposalDoc:
    """One proposal as it goes into the document."""

    label: str  # "MOD ATU/35A18/1"
    reasons: str
    draft: DraftResolution | None = None  # MOD: the base with the group's amendments
    revision: tuple[str, str] | None = None  # MOD: ("Hammamet, 2016", "New Delhi, 2024") for the heading line
    text: ResolutionText | None = None  # ADD: the new resolution
    resolution: str = ""  # SUP/NOC: "Resolution 75 (Rev. Hammamet, 2016)"


@dataclass
class ContributionDoc:
    conference: str  # "World Telecommunication Standardization Assembly (WTSA-24)\nNew Delhi, 2024"
    document: str  # "Addendum 18 to Document 35-E"
    date: str  # "15 September 2024"
    language: str  # "Original: English"
    source: str  # "African Telecommunications Union (ATU)"
    author: str  # tracked changes' author: the group
    title: str
    abstract: str = ""
    introduction: str = ""
    proposals: list[ProposalDoc] = field(default_factory=list)
    when: datetime | None = None


class _Writer:
    def __init__(self, author: str, when: datetime, tracked: bool):
        self.document = Document()
        self.author = author
        # Word dates revisions in UTC; a naive time is taken to be UTC already.
        self.when = (when.astimezone(UTC) if when.tzinfo else when).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.tracked = tracked
        self.size: Pt | None = None  # a smaller size for marked text, as in table cells
        self.next_id = 1
        self.footnotes: list[tuple[int, str, str]] = []  # Word id, text, custom mark
        style = self.document.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(12)
        section = self.document.sections[0]
        section.left_margin = section.right_margin = Cm(2)

    # --- runs and marks -------------------------------------------------------------------------
    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def _run(self, text: str, *, italic=False, bold=False, deleted=False, inserted=False) -> etree._Element:
        run = etree.Element(qn("w:r"))
        props = etree.SubElement(run, qn("w:rPr"))
        if bold:
            etree.SubElement(props, qn("w:b"))
        if italic:
            etree.SubElement(props, qn("w:i"))
        if not self.tracked and deleted:
            etree.SubElement(props, qn("w:strike"))
        if self.size:  # the schema's order: b, i, strike, sz, u
            etree.SubElement(props, qn("w:sz")).set(qn("w:val"), str(int(self.size.pt * 2)))
        if not self.tracked and inserted:
            etree.SubElement(props, qn("w:u")).set(qn("w:val"), "single")
        # Text stored before input was checked may hold characters XML cannot carry: leave them out.
        # TABs and non-breaking hyphens ("ITU‑T") as Word writes them: w:tab and w:noBreakHyphen, which
        # every font shows, where U+2011 in the text needs a font that has it.
        for piece in re.split(r"([\t\u2011])", xml_safe(text)):
            if piece == "\t":
                etree.SubElement(run, qn("w:tab"))
            elif piece == "\u2011":
                etree.SubElement(run, qn("w:noBreakHyphen"))
            elif piece:
                node = etree.SubElement(run, qn("w:delText" if (deleted and self.tracked) else "w:t"))
                node.text = piece
                node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return run

    def _stamp(self, change: etree._Element) -> etree._Element:
        """A revision's id, author and date, as Word lists them."""
        change.set(qn("w:id"), self._id())
        change.set(qn("w:author"), self.author)
        change.set(qn("w:date"), self.when)
        return change

    def _marked(self, run: etree._Element, deleted: bool, inserted: bool) -> etree._Element:
        """The run inside a tracked deletion or insertion (plain marks are already in its formatting)."""
        if not self.tracked or not (deleted or inserted):
            return run
        wrapper = self._stamp(etree.Element(qn("w:del" if deleted else "w:ins")))
        wrapper.append(run)
        return wrapper

    def _superscript(self, deleted: bool, inserted: bool) -> etree._Element:
        run = etree.Element(qn("w:r"))
        props = etree.SubElement(run, qn("w:rPr"))
        # In plain marks the call is struck or underlined with its words, or dropping them would keep it.
        if not self.tracked and deleted:
            etree.SubElement(props, qn("w:strike"))
        if not self.tracked and inserted:
            etree.SubElement(props, qn("w:u")).set(qn("w:val"), "single")
        etree.SubElement(props, qn("w:vertAlign")).set(qn("w:val"), "superscript")
        return run

    def _footnote_ref(self, note: Footnote | None, deleted: bool, inserted: bool) -> list[etree._Element]:
        """A footnote call; a custom mark ("1bis") is written after it, as Word writes one."""
        mark = note.mark if note is not None else ""
        self.footnotes.append((len(self.footnotes) + 1, note.text if note is not None else "", mark))
        run = self._superscript(deleted, inserted)
        reference = etree.SubElement(run, qn("w:footnoteReference"))
        if mark:
            reference.set(qn("w:customMarkFollows"), "1")
        reference.set(qn("w:id"), str(len(self.footnotes)))
        runs = [run]
        if mark:
            # In the reference's own run, as Word writes it: LibreOffice takes the mark only from there.
            text = etree.SubElement(run, qn("w:delText" if (deleted and self.tracked) else "w:t"))
            text.text = mark
        if not self.tracked or not (deleted or inserted):
            return runs
        wrapper = self._stamp(etree.Element(qn("w:del" if deleted else "w:ins")))
        wrapper.extend(runs)
        return [wrapper]

    def segments(self, paragraph, segments: list[Segment], *, italic=False, bold=False, notes=None) -> None:
        notes = notes or {}
        for op, text in segments:
            deleted, inserted = op == "delete", op == "insert"
            for i, piece in enumerate(_FOOTNOTE.split(text)):
                if i % 2:
                    paragraph._p.extend(self._footnote_ref(notes.get(int(piece)), deleted, inserted))
                elif piece:
                    run = self._run(piece, italic=italic, bold=bold, deleted=deleted, inserted=inserted)
                    paragraph._p.append(self._marked(run, deleted, inserted))

    def mark_paragraph(self, paragraph, kind: str) -> None:
        """A whole added (ins) or suppressed (del) paragraph: its paragraph mark is marked too."""
        if not self.tracked:
            return
        props = paragraph._p.get_or_add_pPr()
        run_props = props.find(qn("w:rPr"))
        if run_props is None:
            run_props = etree.SubElement(props, qn("w:rPr"))
        self._stamp(etree.SubElement(run_props, qn(f"w:{kind}")))

    # --- paragraphs ----------------------------------------------------------------------------
    def para(self, text: str = "", *, bold=False, italic=False, center=False, size=None, space_after=6):
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(space_after)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic
            if size:
                run.font.size = Pt(size)
        return paragraph

    def item_paragraph(self, depth: int):
        paragraph = self.document.add_paragraph()
        fmt = paragraph.paragraph_format
        indent = INDENT * (max(depth, 1) - 1) + HANGING
        fmt.left_indent = indent
        fmt.first_line_indent = -HANGING
        fmt.space_after = Pt(4)
        fmt.tab_stops.add_tab_stop(indent)
        return paragraph

    def header(self, conference: str, right: list[str]) -> None:
        """The ITU block: the conference on the left, the document's number, date and language on the right."""
        table = self.document.add_table(rows=len(right), cols=2)
        table.autofit = False
        _set_widths(table, [Cm(10.5), Cm(6.5)])
        for i, (row, line) in enumerate(zip(table.rows, right, strict=True)):
            row.cells[1].paragraphs[0].add_run(line).bold = i == 0
        first = table.rows[0].cells[0]
        merged = first.merge(table.rows[-1].cells[0])
        name, *rest = conference.splitlines()
        paragraph = merged.paragraphs[0]
        run = paragraph.add_run(name)
        run.bold, run.font.size = True, Pt(13)
        for line in rest:
            merged.add_paragraph(line)
        self.para("", space_after=18)

    # --- a resolution with marks -----------------------------------------------------------------
    def draft(
        self, draft: DraftResolution, revision: tuple[str, str] | None, progress: Progress | None = None
    ) -> None:
        base = draft.base
        front = revised_front(base, revision, title=draft.front_text("title"))
        front_notes = {f.number: f for f in base.footnotes}
        for name, bold, center, space_after in (
            ("heading", True, True, 12),
            ("title", True, True, 12),
            ("history", False, True, 6),
            ("enacting_formula", False, False, 6),
        ):
            old, new = front[name]
            if old or new:
                paragraph = self.para(center=center, space_after=space_after)
                self.segments(paragraph, diff_words(old, new, exact=True), bold=bold, notes=front_notes)
                if not old or not new:
                    self.mark_paragraph(paragraph, "del" if new == "" else "ins")
        clauses = list(draft.walk())
        for done, (clause, depth) in enumerate(clauses, 1):
            if not clause.suppressed and _inside_suppressed(clause):
                # A suppressed clause takes its sub-items with it, as in the proposed text: they are
                # struck out too (a sub-item added under it is not shown), or Accept All would keep them.
                if not clause.added:
                    self.draft_clause(replace(clause, suppressed=True), depth)
            else:
                self.draft_clause(clause, depth)
            if progress is not None:
                progress(done, len(clauses))

    def draft_clause(self, clause: DraftClause, depth: int) -> None:
        paragraphs = self.place(
            clause.kind,
            depth,
            exact_marks(clause, "heading"),
            clause.label_marks(),
            exact_marks(clause, "text"),
            clause.footnotes,
        )
        if clause.added or clause.suppressed:
            for paragraph in paragraphs:
                self.mark_paragraph(paragraph, "ins" if clause.added else "del")

    def place(self, kind: str, depth: int, heading, label, text, footnotes) -> list:
        """A clause's paragraphs: a part's italic heading, an annex's heading and title, an item's label and text."""
        notes = {f.number: f for f in footnotes}
        if kind == PART:
            paragraph = self.para(space_after=4)
            paragraph.paragraph_format.space_before = Pt(8)
            self.segments(paragraph, heading, italic=True, notes=notes)
            return [paragraph]
        if kind == ANNEX:
            paragraph, title = self.para(center=True), self.para(center=True, space_after=12)
            self.segments(paragraph, heading, bold=True)
            self.segments(title, text, bold=True, notes=notes)
            return [paragraph, title]
        paragraph = self.item_paragraph(depth)
        self.segments(paragraph, [*label, *separator(label, "\t")])
        self.segments(paragraph, text, notes=notes)
        return [paragraph]

    def clean(self, text: ResolutionText, number: str, *, inserted: bool = False) -> None:
        """A resolution without marks, or (``inserted``) wholly inserted, as an ADD proposal is."""
        op = "insert" if inserted else "equal"
        revision = f" ({text.revision})" if text.revision else ""
        front_notes = {f.number: f for f in text.footnotes}
        lines = [(f"RESOLUTION {number}{revision}", True), (text.title, True)]
        for line, bold in lines:
            paragraph = self.para(center=True, space_after=12)
            self.segments(paragraph, [(op, line)], bold=bold, notes=front_notes)
            if inserted:
                self.mark_paragraph(paragraph, "ins")
        for line, center in ((text.history, True), (text.enacting_formula, False)):
            if line:
                paragraph = self.para(center=center)
                self.segments(paragraph, [(op, line)], notes=front_notes)
                if inserted:
                    self.mark_paragraph(paragraph, "ins")
        for clause, depth in text.walk():
            label = [(op, clause.label)] if clause.label else []
            paragraphs = self.place(
                clause.kind, depth, [(op, clause.heading)], label, [(op, clause.text)], clause.footnotes
            )
            if inserted:
                for paragraph in paragraphs:
                    self.mark_paragraph(paragraph, "ins")

    # --- the package -------------------------------------------------------------------------------
    def finish(self) -> bytes:
        if self.tracked:
            _keep_revisions_apart(self.document.element.body)
        if self.footnotes:
            self._footnotes_part()
        if self.tracked:
            settings = self.document.settings.element
            etree.SubElement(settings, qn("w:trackRevisions"))
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def _footnotes_part(self) -> None:
        notes = [
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
        ]
        for number, text, mark in self.footnotes:
            body = etree.Element(qn("w:p"))
            ref = etree.SubElement(body, qn("w:r"))
            etree.SubElement(etree.SubElement(ref, qn("w:rPr")), qn("w:vertAlign")).set(
                qn("w:val"), "superscript"
            )
            if mark:  # a custom mark is typed in the note too, where Word has its own number otherwise
                etree.SubElement(ref, qn("w:t")).text = mark
            else:
                etree.SubElement(ref, qn("w:footnoteRef"))
            body.append(self._run("\t" + text))
            notes.append(
                f'<w:footnote w:id="{number}">{etree.tostring(body, encoding="unicode")}</w:footnote>'
            )
        xml = f'<w:footnotes xmlns:w="{W}">' + "".join(notes) + "</w:footnotes>"
        part = Part(
            PackURI("/word/footnotes.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
            xml.encode("utf-8"),
            self.document.part.package,
        )
        self.document.part.relate_to(part, RT.FOOTNOTES)


def contribution_docx(doc: ContributionDoc, *, tracked: bool = True) -> bytes:
    """The contribution in the ITU layout, every change a tracked change (or plain marks)."""
    w = _Writer(doc.author, doc.when or datetime.now(UTC), tracked)
    w.header(doc.conference, [doc.document, doc.date, doc.language])
    w.para(doc.source, bold=True, center=True, space_after=12)
    w.para(doc.title.upper(), bold=True, center=True, size=13, space_after=18)
    if doc.abstract:
        w.para("Abstract:", bold=True, space_after=2)
        w.para(doc.abstract)
    if doc.introduction:
        w.para("Introduction", bold=True, space_after=2)
        for line in doc.introduction.splitlines():
            w.para(line)
    for proposal in doc.proposals:
        w.document.add_page_break()
        w.para(proposal.label, bold=True, space_after=12)
        if proposal.draft is not None:
            w.draft(proposal.draft, proposal.revision)
        elif proposal.text is not None:
            w.clean(proposal.text, proposal.text.number, inserted=True)
        elif proposal.resolution:
            w.para(proposal.resolution, bold=True, center=True)
        w.para("")
        reasons = w.para()
        reasons.add_run("Reasons:").bold = True
        reasons.add_run("\t" + (proposal.reasons or ""))
    return w.finish()


@dataclass
class CompilationRow:
    """One clause of the compilation: the base, each group's text with its marks, and the decision."""

    label: str
    kind: str
    depth: int
    base: str | None  # None for a clause some group adds
    versions: dict[str, list[Segment] | None]  # None: the group does not change it
    status: str
    decision: str = ""  # the settled text, "[...]" while open, "" for unchanged clauses
    note: str = ""


@dataclass
class CompilationDoc:
    title: str  # "Compilation of proposals: WTSA Resolution 75"
    lines: list[str]  # conference, base edition, date
    groups: list[str]
    rows: list[CompilationRow]


def compilation_docx(
    doc: CompilationDoc, *, tracked: bool = False, progress: Progress = _no_progress
) -> bytes:
    """The compilation table: clause, base text, every group's text with its marks, the decision.

    Landscape, one column per group. Marks are underline and strikethrough, as
    ITU compilations are printed; tracked, each group's changes carry the group as author.
    """
    w = _Writer("", datetime.now(UTC), tracked)
    section = w.document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.5)
    w.para(doc.title, bold=True, center=True, size=14, space_after=4)
    for line in doc.lines:
        w.para(line, center=True, space_after=2)
    w.para("", space_after=6)
    table = w.document.add_table(rows=1, cols=len(doc.groups) + 3)
    _grid_lines(table)
    w.size = Pt(10)

    def small(paragraph, text: str, *, bold=False, italic=False, size=10):
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)

    head = ["Clause", "Base text", *doc.groups, "Decision"]
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        small(cell.paragraphs[0], text, bold=True)
    _repeat_as_header(table.rows[0])
    total = len(doc.rows)
    for done, row in enumerate(doc.rows, 1):
        cells = table.add_row().cells
        label = row.label or ("part" if row.kind == PART else "")
        small(cells[0].paragraphs[0], ("  " * row.depth) + label, italic=row.kind == PART)
        small(cells[0].add_paragraph(), row.status, size=8)
        base = cells[1].paragraphs[0]
        if row.base is None:
            small(base, "(new)", italic=True)
        else:
            w.segments(base, [("equal", _without_notes(row.base))], italic=row.kind == PART)
        for i, group in enumerate(doc.groups):
            paragraph = cells[2 + i].paragraphs[0]
            marks = row.versions.get(group)
            if marks is None:
                small(paragraph, "–")
                continue
            w.author = group
            w.segments(paragraph, [(op, _without_notes(text)) for op, text in marks], italic=row.kind == PART)
        small(cells[-1].paragraphs[0], _without_notes(row.decision))
        if row.note:
            small(cells[-1].add_paragraph(), f"Note: {row.note}", italic=True)
        progress(done, total)
    usable = section.page_width - section.left_margin - section.right_margin
    label = Cm(2.2)
    _set_widths(table, [label] + [int((usable - label) / (len(doc.groups) + 2))] * (len(doc.groups) + 2))
    return w.finish()


def _own_mark(paragraph: etree._Element) -> etree._Element | None:
    """The revision on a paragraph's own mark (w:pPr/w:rPr/w:ins or w:del), if any."""
    props = paragraph.find(qn("w:pPr"))
    run_props = props.find(qn("w:rPr")) if props is not None else None
    if run_props is None:
        return None
    return next((c for c in run_props if c.tag in (qn("w:ins"), qn("w:del"))), None)


def _keep_revisions_apart(body: etree._Element) -> None:
    """Wholly added (or suppressed) paragraphs after a paragraph that ends with an insertion (or a deletion).

    LibreOffice joins two revisions of one author, kind and minute that touch, and a paragraph's end
    touches the next paragraph's start: the joined revision then spans the paragraph mark between
    them, which is not marked, and rejecting it glues the paragraph before onto the one after the
    added ones ("…activities of ITU,recognizing further"). Word records typing Enter at the end of
    a paragraph as that paragraph's mark inserted, the old mark ending the new paragraph; written
    that way here, every mark inside the joined revision is itself marked, and both Word and
    LibreOffice give both texts back. Elsewhere each added paragraph keeps its own mark marked,
    which keeps each paragraph's formatting through Reject All.
    """
    paragraphs = [child for child in body if child.tag == qn("w:p")]
    i = 0
    while i < len(paragraphs):
        mark = _own_mark(paragraphs[i])
        if mark is None:
            i += 1
            continue
        j = i
        while j + 1 < len(paragraphs) and (following := _own_mark(paragraphs[j + 1])) is not None:
            if following.tag != mark.tag or paragraphs[j + 1].getprevious() is not paragraphs[j]:
                break
            j += 1
        before = paragraphs[i].getprevious()
        content = [c for c in before if c.tag != qn("w:pPr")] if before is not None else []
        if (
            before is not None
            and before.tag == qn("w:p")
            and _own_mark(before) is None
            and content
            and content[-1].tag == mark.tag
        ):
            last = _own_mark(paragraphs[j])
            props = before.find(qn("w:pPr"))
            if props is None:
                props = etree.SubElement(before, qn("w:pPr"))
                before.insert(0, props)
            run_props = props.find(qn("w:rPr"))
            if run_props is None:
                run_props = etree.SubElement(props, qn("w:rPr"))  # last in w:pPr, as the schema wants
            last.getparent().remove(last)
            run_props.append(last)
        i = j + 1


def _set_widths(table, widths) -> None:
    """Widths on the grid and on every cell: LibreOffice follows the grid, Word the cells."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _grid_lines(table) -> None:
    """Borders set on the table itself. A table style would do, but with tracked changes on,
    LibreOffice reports every styled paragraph as a formatting change by an unknown author."""
    properties = table._tbl.tblPr
    borders = etree.Element(qn("w:tblBorders"))
    # The schema's order: tblBorders comes before shading, layout, margins and look.
    later = [
        qn(f"w:{t}") for t in ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
    ]
    following = next((child for child in properties if child.tag in later), None)
    if following is not None:
        following.addprevious(borders)
    else:
        properties.append(borders)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = etree.SubElement(borders, qn(f"w:{side}"))
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "808080")


def _repeat_as_header(row) -> None:
    """The heading row is repeated at the top of every page of a long table."""
    properties = row._tr.get_or_add_trPr()
    etree.SubElement(properties, qn("w:tblHeader"))


def _without_notes(text: str) -> str:
    """Footnote calls are dropped from table cells: the compilation compares the words."""
    return _FOOTNOTE.sub("", text)


@dataclass
class ConsolidatedDoc:
    conference: str  # two lines, as in ContributionDoc
    date: str
    title: str  # "Draft revision of Resolution 75"
    note: str  # what the brackets mean, against which edition
    draft: DraftResolution
    revision: tuple[str, str] | None = None  # ("Hammamet, 2016", "New Delhi, 2024")
    author: str = "ITU Secretariat"
    when: datetime | None = None


def consolidated_docx(
    doc: ConsolidatedDoc, *, tracked: bool = True, progress: Progress = _no_progress
) -> bytes:
    """The consolidated draft revision: the base with every decision, marks, and open text in [brackets]."""
    w = _Writer(doc.author, doc.when or datetime.now(UTC), tracked)
    w.header(doc.conference, ["Consolidated draft", doc.date, "Original: English"])
    w.para(doc.author, bold=True, center=True, space_after=12)
    w.para(doc.title.upper(), bold=True, center=True, size=13, space_after=6)
    w.para(doc.note, italic=True, center=True, space_after=18)
    w.draft(doc.draft, doc.revision, progress=progress)
    return w.finish()


def edition_docx(text: ResolutionText, number: str) -> bytes:
    """A clean edition, as adopted."""
    w = _Writer("", datetime.now(UTC), tracked=False)
    w.clean(text, number)
    return w.finish()
