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


def _struck(node) -> bool:
    """Whether the run holding ``node`` is formatted as struck through (a deletion in plain marks)."""
    run = next((a for a in node.iterancestors() if a.tag == _q("r")), None)
    if run is None:
        return False
    strike = run.find("w:rPr/w:strike", _NS)
    return strike is not None and strike.get(_q("val"), "true") not in ("0", "false", "off")


def _run_text(element, footnote_ref=None, strike_is_deleted: bool = False) -> str:
    """Text of a paragraph-like element, skipping deletions and field instructions."""
    out = []
    for node in element.iter():
        if node.tag == _q("t"):
            if any(a.tag == _q("del") for a in node.iterancestors()):
                continue
            if strike_is_deleted and _struck(node):
                continue
            out.append(node.text or "")
        elif node.tag == _q("tab"):
            if node.getparent() is not None and node.getparent().tag == _q("tabs"):
                continue  # a tab stop definition, not a tab
            if any(a.tag == _q("del") for a in node.iterancestors()) or (strike_is_deleted and _struck(node)):
                continue
            out.append("\t")
        elif node.tag in (_q("br"), _q("cr")):
            out.append(" ")
        elif node.tag == _q("noBreakHyphen"):
            out.append("\u2011")
        elif node.tag == _q("footnoteReference") and footnote_ref is not None:
            if any(a.tag == _q("del") for a in node.iterancestors()):
                continue
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


def _underlined(node) -> bool:
    run = next((a for a in node.iterancestors() if a.tag == _q("r")), None)
    underline = run.find("w:rPr/w:u", _NS) if run is not None else None
    return underline is not None and underline.get(_q("val"), "single") != "none"


def inserted_paragraphs(data: bytes, *, underline_is_inserted: bool = False) -> list[str]:
    """The text of every paragraph that is wholly an insertion (tracked, or underlined in plain marks).

    A paragraph that keeps some of its old words, even only its label, is a
    reworded clause; one inserted from end to end is a new clause.
    """
    document = Document(io.BytesIO(data))
    found = []
    for paragraph in document.element.body.iterfind("w:p", _NS):
        pieces = [
            node
            for node in paragraph.iter(_q("t"))
            if (node.text or "").strip()
            and not any(a.tag == _q("del") for a in node.iterancestors())
            and not (underline_is_inserted and _struck(node))
        ]
        if pieces and all(
            any(a.tag == _q("ins") for a in node.iterancestors())
            or (underline_is_inserted and _underlined(node))
            for node in pieces
        ):
            found.append("".join(node.text for node in pieces))
    return found


def docx_to_text(data: bytes, *, strike_is_deleted: bool = False) -> str:
    """The text of a .docx, one paragraph a line, with footnotes in the seed notation.

    Tracked deletions are left out; with ``strike_is_deleted``, so is struck-through
    text (a proposal marked with plain formatting rather than tracked changes).
    A paragraph whose own mark is a tracked deletion (a suppressed item) is left out whole.
    """
    check_package(data)
    try:
        document = Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several kinds on a broken package
        raise ParseError(f"This .docx file cannot be opened: {e}.") from None
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
        text = _run_text(paragraph, reference, strike_is_deleted)
        if mark is not None and not text.strip():
            continue
        for number, note in found:
            text += f" [{number}: {number}\t{note}]"
        lines.append(text)
    return "\n".join(lines) + "\n"
