"""Reading a Word .docx into the plain-text layout the importer parses.

One paragraph a line in body order; typed labels and tabs kept; footnote
references written ``[footnoteRef:n]n`` with the footnote's text appended to
the paragraph as ``[n: n<tab>text]``, as converted documents show them. Text
in tracked insertions counts and text in tracked deletions does not: an
adopted edition is read as it now stands.

Read the way Word shows the text once every change is accepted: moved text
(``w:moveFrom``/``w:moveTo``) is gone from where it was and stands where it
went; a paragraph whose own mark is deleted joins the paragraph after it;
automatic numbering (``w:numPr`` with ``numbering.xml``) gives the labels a
reader sees (``a)``, ``1``, ``i)``, ``–``); a field gives its result, not its
instruction; hyperlinks, smart tags, content controls and bookmarks are read
through; a custom footnote mark (``w:customMarkFollows``, "1bis") is written
once, as the mark of its reference: ``[footnoteRef:2]1bis`` and ``[2: 1bis<tab>text]``.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator

from docx import Document
from lxml import etree

from .docx_package import read_package
from .parse import ParseError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MACRO_TYPES = ("macroEnabled", "ms-word.document.macroEnabled", "ms-word.template")


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _toggled(run, toggle: str) -> bool:
    """Whether a run has ``toggle`` (strike, u) switched on."""
    found = run.find(f"w:rPr/w:{toggle}", _NS) if run is not None else None
    return found is not None and found.get(_q("val"), "on") not in ("0", "false", "off", "none")


# Revisions: text in these is gone once every change is accepted, or there once they are.
_GONE = (_q("del"), _q("moveFrom"))
_COME = (_q("ins"), _q("moveTo"))
# Content only read through: it holds runs, not text of its own.
_PROPERTIES = (_q("pPr"), _q("rPr"), _q("sdtPr"), _q("sdtEndPr"), _q("tblPr"), _q("sectPr"))
_PRIVATE_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "•", "\uf076": "•", "\uf0fc": "•", "\uf02d": "–"}
_ROMAN_DIGITS = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
_ROMAN_DIGITS += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman(n: int) -> str:
    out = []
    for value, digits in _ROMAN_DIGITS:
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    """Word's letters: a ... z, then aa, bb ..."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Numbering:
    """Word's automatic numbering, counted paragraph by paragraph as a reader sees it.

    Counters belong to a list definition (``w:abstractNum``): instances (``w:num``) that share one
    continue each other's count unless they restart it (``w:lvlOverride/w:startOverride``, Word's
    "Restart at 1"); numbering an item resets the levels below it.
    """

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None):
        self.levels: dict[str, dict[int, tuple[str, str, int, str]]] = {}
        self.instances: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        self.style_numbering: dict[str, tuple[str | None, int | None]] = {}
        self.style_parent: dict[str, str] = {}
        if numbering is not None:
            for definition in numbering.iterfind("w:abstractNum", _NS):
                levels = {}
                for level in definition.iterfind("w:lvl", _NS):
                    levels[int(level.get(_q("ilvl"), "0"))] = (
                        _val(level, "w:numFmt", "decimal"),
                        _val(level, "w:lvlText", ""),
                        int(_val(level, "w:start", "1") or 1),
                        _val(level, "w:suff", "tab"),
                    )
                self.levels[definition.get(_q("abstractNumId"))] = levels
            for instance in numbering.iterfind("w:num", _NS):
                overrides = {
                    int(o.get(_q("ilvl"), "0")): int(_val(o, "w:startOverride", "1") or 1)
                    for o in instance.iterfind("w:lvlOverride", _NS)
                    if o.find("w:startOverride", _NS) is not None
                }
                self.instances[instance.get(_q("numId"))] = (_val(instance, "w:abstractNumId", ""), overrides)
        if styles is not None:
            for style in styles.iterfind("w:style", _NS):
                name = style.get(_q("styleId"))
                num = style.find("w:pPr/w:numPr", _NS)
                if num is not None:
                    ilvl = _val(num, "w:ilvl", None)
                    self.style_numbering[name] = (
                        _val(num, "w:numId", None),
                        None if ilvl is None else int(ilvl),
                    )
                parent = _val(style, "w:basedOn", None)
                if parent:
                    self.style_parent[name] = parent

    def _from_style(self, style: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_numbering:
                return self.style_numbering[style]
            style = self.style_parent.get(style)
        return None, None

    def label(self, paragraph: etree._Element) -> str:
        """The label Word shows before the paragraph, with what follows it (a TAB, a space), or ""."""
        props = paragraph.find("w:pPr", _NS)
        num = props.find("w:numPr", _NS) if props is not None else None
        style_num, style_level = self._from_style(
            _val(props, "w:pStyle", None) if props is not None else None
        )
        num_id = _val(num, "w:numId", None) if num is not None else None
        level = _val(num, "w:ilvl", None) if num is not None else None
        num_id = num_id if num_id is not None else style_num
        ilvl = int(level) if level is not None else (style_level or 0)
        if not num_id or num_id == "0" or num_id not in self.instances:
            return ""
        abstract, overrides = self.instances[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for restarted, start in overrides.items():
                counters[restarted] = start - 1
                for deeper in [k for k in counters if k > restarted]:
                    del counters[deeper]
        fmt, text, start, suffix = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def number(m: re.Match) -> str:
            at = int(m.group(1)) - 1
            at_fmt, _, at_start, _ = levels.get(at, ("decimal", "", 1, "tab"))
            return _format(counters.get(at, at_start), at_fmt)

        label = re.sub(r"%(\d)", number, text)
        label = "".join(_PRIVATE_BULLETS.get(c, c) for c in label).strip()
        if not label:
            return ""
        return label + {"tab": "\t", "space": " "}.get(suffix, "")


def _val(element: etree._Element | None, path: str, default):
    found = element.find(path, _NS) if element is not None else None
    return found.get(_q("val"), default) if found is not None else default


def _own_mark_gone(paragraph: etree._Element) -> bool:
    """Whether the paragraph's own mark is a tracked deletion or moved away: it joins the next one."""
    props = paragraph.find("w:pPr/w:rPr", _NS)
    return props is not None and any(props.find(f"w:{k}", _NS) is not None for k in ("del", "moveFrom"))


class _Paragraph:
    """One paragraph's pieces in reading order: (text, gone, come, node) with ``node`` the element read."""

    def __init__(self, paragraph: etree._Element, plain_marks: bool):
        self.pieces: list[tuple[str, bool, bool, etree._Element]] = []
        self.plain_marks = plain_marks
        self._fields: list[bool] = []  # open complex fields: True once past their separator (the result)
        self._read(paragraph, False, False)

    def _read(self, element: etree._Element, gone: bool, come: bool) -> None:
        for node in element:
            tag = node.tag
            if not isinstance(tag, str) or tag in _PROPERTIES:
                continue
            if tag in _GONE:
                self._read(node, True, come)
            elif tag in _COME:
                self._read(node, gone, True)
            elif tag == _q("r"):
                self._run(node, gone, come)
            elif tag in (_q("instrText"), _q("delInstrText")):
                continue
            else:
                # Hyperlinks, smart tags, content controls, simple fields (their runs are the result),
                # custom XML: read through.
                self._read(node, gone, come)

    def _run(self, run: etree._Element, gone: bool, come: bool) -> None:
        if self.plain_marks:
            gone = gone or _toggled(run, "strike") or _toggled(run, "dstrike")
            come = come or _toggled(run, "u")
        for node in run:
            tag = node.tag
            if tag == _q("fldChar"):
                kind = node.get(_q("fldCharType"))
                if kind == "begin":
                    self._fields.append(False)
                elif kind == "separate" and self._fields:
                    self._fields[-1] = True
                elif kind == "end" and self._fields:
                    self._fields.pop()
                continue
            if self._fields and not self._fields[-1]:
                continue  # the field's instruction, not its result
            if tag in (_q("t"), _q("delText")):
                self.pieces.append((node.text or "", gone, come, node))
            elif tag == _q("tab"):
                self.pieces.append(("\t", gone, come, node))
            elif tag in (_q("br"), _q("cr")):
                if node.get(_q("type")) not in ("page", "column"):
                    self.pieces.append((" ", gone, come, node))
            elif tag == _q("noBreakHyphen"):
                self.pieces.append(("\u2011", gone, come, node))
            elif tag == _q("softHyphen"):
                continue
            elif tag == _q("sym"):
                char = chr(int(node.get(_q("char"), "20"), 16))
                self.pieces.append((_PRIVATE_BULLETS.get(char, char), gone, come, node))
            elif tag == _q("footnoteReference"):
                self.pieces.append(("", gone, come, node))

    def kept(self) -> list[tuple[str, etree._Element]]:
        return [(text, node) for text, gone, _, node in self.pieces if not gone]


def _run_text(element, footnote_ref=None, plain_marks: bool = False) -> str:
    """Text of a paragraph-like element as it stands with every change accepted."""
    out = []
    custom_mark = False
    for text, node in _Paragraph(element, plain_marks).kept():
        if node.tag == _q("footnoteReference"):
            if footnote_ref is not None:
                custom_mark = node.get(_q("customMarkFollows")) in ("1", "true", "on")
                out.append(footnote_ref(node.get(_q("id")), custom_mark))
            continue
        out.append(text)
    return "".join(out)


def check_package(data: bytes) -> None:
    if not data:
        raise ParseError("The file is empty: there is nothing to import.")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ParseError(
            "This is not a Word .docx file (it is not a zip package). Old .doc files must be saved as .docx first."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "word/document.xml" not in names:
                raise ParseError("This zip file is not a Word document: it has no word/document.xml.")
            types = (
                package.read("[Content_Types].xml").decode("utf-8", "replace")
                if "[Content_Types].xml" in names
                else ""
            )
            package.read("word/document.xml")  # a damaged body is refused here, not met later as a crash
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise ParseError("This .docx file is damaged: its zip package cannot be read.") from None
    if any(t in types for t in _MACRO_TYPES):
        raise ParseError(
            "This is a macro-enabled Word file (.docm) or a template. Save it as a plain .docx and upload that."
        )


def open_docx(data: bytes):
    """The python-docx document, or ParseError with a message for a file that is not a usable .docx."""
    # Size, ratio and XML limits first: nothing below inflates an unchecked part.
    data = read_package(data)
    check_package(data)
    try:
        return Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several kinds on a broken package
        raise ParseError(f"This .docx file cannot be opened: {e}.") from None


def has_tracked_changes(document) -> bool:
    body = document.element.body
    return any(body.find(f".//w:{kind}", _NS) is not None for kind in ("ins", "del", "moveFrom", "moveTo"))


def _related(document, kind: str) -> etree._Element | None:
    """The XML of the document's part of one kind (footnotes, numbering, styles), if it has one."""
    for rel in document.part.rels.values():
        if rel.reltype == f"{_RELATIONSHIPS}/{kind}" and not rel.is_external:
            return etree.fromstring(rel.target_part.blob)
    return None


def _footnotes(document) -> dict[str, str]:
    """Footnote texts by their Word id (a custom mark's own text left out), from the footnotes part."""
    root = _related(document, "footnotes")
    notes: dict[str, str] = {}
    if root is None:
        return notes
    for note in root.iterfind("w:footnote", _NS):
        if note.get(_q("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paragraphs = [_run_text(p).strip() for p in note.iterfind(".//w:p", _NS)]
        notes[note.get(_q("id"))] = " ".join(p for p in paragraphs if p)
    return notes


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """The container's paragraphs in reading order, through content controls and custom XML (not tables)."""
    for child in container:
        if child.tag == _q("p"):
            yield child
        elif child.tag in (_q("sdt"), _q("customXml")):
            content = child.find("w:sdtContent", _NS) if child.tag == _q("sdt") else child
            if content is not None:
                yield from _blocks(content)


def inserted_paragraphs(document, *, plain_marks: bool = False) -> list[str]:
    """The text of every paragraph that is wholly an insertion or a move here (tracked, or underlined in
    plain marks).

    A paragraph that keeps some of its old words, even only its label, is a
    reworded clause; one inserted from end to end is a new clause, and so is a
    clause moved here (it is suppressed where it was).
    """
    found = []
    for paragraph in _blocks(document.element.body):
        pieces = [
            (text, come)
            for text, gone, come, node in _Paragraph(paragraph, plain_marks).pieces
            if text.strip() and not gone
        ]
        if pieces and all(come for _, come in pieces):
            found.append("".join(text for text, _ in pieces))
    return found


def docx_to_text(data: bytes) -> str:
    """The text of a .docx, one paragraph a line, with footnotes in the seed notation."""
    return document_text(open_docx(data))


def document_text(document, *, plain_marks: bool = False) -> str:
    """The text of an opened .docx, one paragraph a line, with footnotes in the seed notation.

    Tracked deletions and moved-away text are left out; with ``plain_marks``, so is struck-through
    text (a proposal marked with plain formatting rather than tracked changes). A paragraph whose own
    mark is a tracked deletion joins the paragraph after it, as Word's Accept All makes it: a
    suppressed item, struck from end to end, leaves nothing.
    """
    notes = _footnotes(document)
    numbering = _Numbering(_related(document, "numbering"), _related(document, "styles"))
    lines = []
    shown = 0
    carried = ""  # the text of paragraphs whose mark went, waiting for the paragraph they join
    for paragraph in _blocks(document.element.body):
        found: list[tuple[int, str, str]] = []

        def reference(word_id: str, custom: bool, found: list[tuple[int, str, str]] = found) -> str:
            nonlocal shown
            shown += 1
            found.append((shown, word_id, "" if custom else str(shown)))
            # A custom mark ("1bis") is the text of the run after the reference: written once, there.
            return f"[footnoteRef:{shown}]" + ("" if custom else str(shown))

        text = _run_text(paragraph, reference, plain_marks)
        for i, (number, word_id, mark) in enumerate(found):
            if not mark:
                mark = _mark_after(text, number)
                found[i] = (number, word_id, mark)
        struck_whole = plain_marks and not text.strip() and _had_text(paragraph)
        if not plain_marks and _own_mark_gone(paragraph):
            carried += text
            continue
        if struck_whole:
            continue
        label = numbering.label(paragraph) if text.strip() or carried.strip() else ""
        text = label + carried + text
        carried = ""
        for number, word_id, mark in found:
            note = notes.get(word_id, "")
            if mark != str(number) and note.startswith(mark):
                note = note[len(mark) :].lstrip()
            text += f" [{number}: {mark}\t{note}]"
        lines.append(text)
    if carried:
        lines.append(carried)
    return "\n".join(lines) + "\n"


def _mark_after(text: str, number: int) -> str:
    """A custom footnote mark: the word right after ``[footnoteRef:n]`` ("1bis", "*")."""
    m = re.search(rf"\[footnoteRef:{number}\](\S+?)(?=\[footnoteRef:|\s|$|[,;.)])", text)
    return m.group(1) if m else str(number)


def _had_text(paragraph: etree._Element) -> bool:
    return any((t.text or "").strip() for t in paragraph.iter(_q("t")))
