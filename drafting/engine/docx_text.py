"""Reading a Word .docx into the plain-text layout the importer parses.

One paragraph a line in body order; typed labels and tabs kept; footnote
references written ``[footnoteRef:n]n`` with the footnote's text appended to
the paragraph as ``[n: n<tab>text]``, as converted documents show them. Text
in tracked insertions counts and text in tracked deletions does not: an
adopted edition is read as it now stands.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from docx import Document
from lxml import etree

from .parse import ParseError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
_FOOTNOTES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_MACRO_TYPES = ("macroEnabled", "ms-word.document.macroEnabled", "ms-word.template")


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _within(node, tag: str) -> bool:
    return any(a.tag == _q(tag) for a in node.iterancestors())


def _formatted(node, toggle: str) -> bool:
    """Whether the run holding ``node`` has ``toggle`` (strike, u) switched on."""
    run = next((a for a in node.iterancestors() if a.tag == _q("r")), None)
    found = run.find(f"w:rPr/w:{toggle}", _NS) if run is not None else None
    return found is not None and found.get(_q("val"), "on") not in ("0", "false", "off", "none")


def _deleted(node, plain_marks: bool) -> bool:
    """A tracked deletion, or in plain marks (as ITU publishes), struck-through text."""
    return _within(node, "del") or (plain_marks and _formatted(node, "strike"))


def _inserted(node, plain_marks: bool) -> bool:
    return _within(node, "ins") or (plain_marks and _formatted(node, "u"))


def _run_text(element, footnote_ref=None, plain_marks: bool = False) -> str:
    """Text of a paragraph-like element, skipping deletions and field instructions."""
    out = []
    for node in element.iter():
        if node.tag in (_q("t"), _q("tab"), _q("footnoteReference")) and _deleted(node, plain_marks):
            continue
        if node.tag == _q("t"):
            out.append(node.text or "")
        elif node.tag == _q("tab"):
            if node.getparent() is None or node.getparent().tag != _q("tabs"):  # not a tab stop definition
                out.append("\t")
        elif node.tag in (_q("br"), _q("cr")):
            out.append(" ")
        elif node.tag == _q("noBreakHyphen"):
            out.append("\u2011")
        elif node.tag == _q("footnoteReference") and footnote_ref is not None:
            out.append(footnote_ref(node.get(_q("id"))))
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


def _footnotes(document) -> dict[str, str]:
    """Footnote texts by their Word id, from the footnotes part if there is one."""
    for rel in document.part.rels.values():
        if rel.reltype == _FOOTNOTES_TYPE:
            root = etree.fromstring(rel.target_part.blob)
            notes = {}
            for note in root.iterfind("w:footnote", _NS):
                if note.get(_q("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                paragraphs = [_run_text(p).strip() for p in note.iterfind(".//w:p", _NS)]
                notes[note.get(_q("id"))] = " ".join(p for p in paragraphs if p)
            return notes
    return {}


def open_docx(data: bytes):
    """The python-docx document, or ParseError with a message for a file that is not a usable .docx."""
    check_package(data)
    try:
        return Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several kinds on a broken package
        raise ParseError(f"This .docx file cannot be opened: {e}.") from None


def has_tracked_changes(document) -> bool:
    body = document.element.body
    return body.find(".//w:ins", _NS) is not None or body.find(".//w:del", _NS) is not None


def inserted_paragraphs(document, *, plain_marks: bool = False) -> list[str]:
    """The text of every paragraph that is wholly an insertion (tracked, or underlined in plain marks).

    A paragraph that keeps some of its old words, even only its label, is a
    reworded clause; one inserted from end to end is a new clause.
    """
    found = []
    for paragraph in document.element.body.iterfind("w:p", _NS):
        pieces = [
            node
            for node in paragraph.iter(_q("t"))
            if (node.text or "").strip() and not _deleted(node, plain_marks)
        ]
        if pieces and all(_inserted(node, plain_marks) for node in pieces):
            found.append("".join(node.text for node in pieces))
    return found


def docx_to_text(data: bytes) -> str:
    """The text of a .docx, one paragraph a line, with footnotes in the seed notation."""
    return document_text(open_docx(data))


def document_text(document, *, plain_marks: bool = False) -> str:
    """The text of an opened .docx, one paragraph a line, with footnotes in the seed notation.

    Tracked deletions are left out; with ``plain_marks``, so is struck-through
    text (a proposal marked with plain formatting rather than tracked changes).
    A paragraph whose own mark is a tracked deletion (a suppressed item) is left out whole.
    """
    notes = _footnotes(document)
    lines = []
    shown = 0
    for paragraph in document.element.body.iterfind("w:p", _NS):
        found: list[tuple[int, str]] = []

        def reference(word_id: str, found: list[tuple[int, str]] = found) -> str:
            nonlocal shown
            shown += 1
            found.append((shown, notes.get(word_id, "")))
            return f"[footnoteRef:{shown}]{shown}"

        mark = paragraph.find("w:pPr/w:rPr/w:del", _NS)
        text = _run_text(paragraph, reference, plain_marks)
        if mark is not None and not text.strip():
            continue
        for number, note in found:
            text += f" [{number}: {number}\t{note}]"
        lines.append(text)
    return "\n".join(lines) + "\n"
