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

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from . import limits
from .docx_package import read_parts, safe_parser
from .parse import ParseError
from .said import Message, gettext_noop
from .text import xml_safe

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MACRO_TYPES = ("macroEnabled", "ms-word.document.macroEnabled", "ms-word.template")


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _toggled(properties: etree._Element | None, toggle: str) -> bool:
    """Whether a run's properties (``w:rPr``) have ``toggle`` (strike, u) switched on."""
    found = properties.find(toggle) if properties is not None else None
    return found is not None and found.get(_q("val"), "on") not in ("0", "false", "off", "none")


class _Refused(Exception):
    """A value of an element that Word does not write (``malformed``) or that asks for more than any
    resolution needs; the reader that knows where it was (which paragraph, which list) says so."""

    def __init__(self, what: Message, *, malformed: bool = True):
        super().__init__(what)
        self.what = what
        self.malformed = malformed

    def at(self, place: Message) -> ParseError:
        if self.malformed:
            return ParseError(
                gettext_noop(
                    "This .docx is not what Word writes: %(place)s, %(what)s. Open it in Word, save it again and upload that.",
                    place=place,
                    what=self.what,
                )
            )
        return ParseError(
            gettext_noop(
                "This .docx asks for more than a resolution needs: %(place)s, %(what)s. It was not read.",
                place=place,
                what=self.what,
            )
        )


def _whole(
    value: str | None, what: Message, highest: int, default: int, *, past_is_malformed: bool = False
) -> int:
    """A whole number from an attribute, from 0 to ``highest``; ``default`` when there is none."""
    if value is None:
        return default
    text = value.strip()
    if not text.isascii() or not text.isdigit():
        raise _Refused(
            gettext_noop(
                "%(what)s is “%(xml_safe)s”, which is not a whole number",
                what=what,
                xml_safe=xml_safe(value[:20]),
            )
        )
    if len(text) > 9 or int(text) > highest:
        raise _Refused(
            gettext_noop(
                "%(what)s is %(int)s; Word's go up to %(highest)s",
                what=what,
                int=format(int(text[:15]), ","),
                highest=format(highest, ","),
            ),
            malformed=past_is_malformed,
        )
    return int(text)


def _level(value: str | None, default: int = 0) -> int:
    """A list level: Word has nine, 0 to 8, and writes no other."""
    return _whole(
        value, gettext_noop("the list level (w:ilvl)"), limits.MAX_LIST_LEVEL, default, past_is_malformed=True
    )


_HEX = re.compile(r"[0-9A-Fa-f]{1,4}")


def _symbol(value: str | None) -> str:
    """The character of Word's ``w:sym`` (a hexadecimal code of at most four digits, as Word writes it)."""
    code = (value or "20").strip()
    if not _HEX.fullmatch(code) or 0xD800 <= int(code, 16) <= 0xDFFF:
        raise _Refused(
            gettext_noop(
                "a symbol (w:sym) has the character code “%(xml_safe)s”, which is not a character",
                xml_safe=xml_safe(code[:12]),
            )
        )
    char = chr(int(code, 16))
    return _PRIVATE_BULLETS.get(char, char)


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
    """The number ``n`` in a list format; refused past the longest label a clause keeps (item 600 of a
    lettered list would be twenty-three letters long, item 30,000 in roman numerals thirty)."""
    if fmt in ("lowerLetter", "upperLetter", "lowerRoman", "upperRoman"):
        length = (n - 1) // 26 + 1 if fmt.endswith("Letter") else n // 1000
        if length > limits.MAX_LABEL_CHARS:
            raise _Refused(
                gettext_noop(
                    "an item numbered %(n)s in %(fmt)s would have a label longer than %(MAX_LABEL_CHARS)s characters",
                    n=format(n, ","),
                    fmt=fmt,
                    MAX_LABEL_CHARS=limits.MAX_LABEL_CHARS,
                ),
                malformed=False,
            )
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
    "Restart at 1"); numbering an item resets the levels below it. Every number is read within what
    Word writes (levels 0 to 8, starts up to 32,767) and every label within what a clause keeps, so a
    list starting at two billion in roman numerals is refused, not spelt out.
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
                name = xml_safe((definition.get(_q("abstractNumId")) or "")[:20])
                levels = {}
                for level in definition.iterfind("w:lvl", _NS):
                    place = gettext_noop("in the numbering (word/numbering.xml), list %(list)s", list=name)
                    try:
                        ilvl = _level(level.get(_q("ilvl")))
                        place = gettext_noop(
                            "in the numbering (word/numbering.xml), list %(list)s level %(level)s",
                            list=name,
                            level=ilvl,
                        )
                        text = _val(level, "w:lvlText", "")
                        if len(text) > limits.MAX_LEVEL_TEXT:
                            raise _Refused(
                                gettext_noop(
                                    "the label pattern (w:lvlText) is %(len)s characters long; Word's are a few (at most %(MAX_LEVEL_TEXT)s are read)",
                                    len=format(len(text), ","),
                                    MAX_LEVEL_TEXT=limits.MAX_LEVEL_TEXT,
                                ),
                                malformed=False,
                            )
                        levels[ilvl] = (
                            _val(level, "w:numFmt", "decimal"),
                            text,
                            _whole(
                                _val(level, "w:start", None),
                                gettext_noop("the start (w:start)"),
                                limits.MAX_LIST_START,
                                1,
                            ),
                            _val(level, "w:suff", "tab"),
                        )
                    except _Refused as refused:
                        raise refused.at(place) from None
                self.levels[definition.get(_q("abstractNumId"))] = levels
            for instance in numbering.iterfind("w:num", _NS):
                place = gettext_noop(
                    "in the numbering (word/numbering.xml), list instance %(instance)s",
                    instance=xml_safe((instance.get(_q("numId")) or "")[:20]),
                )
                try:
                    overrides = {
                        _level(o.get(_q("ilvl"))): _whole(
                            _val(o, "w:startOverride", None),
                            gettext_noop("the restart (w:startOverride)"),
                            limits.MAX_LIST_START,
                            1,
                        )
                        for o in instance.iterfind("w:lvlOverride", _NS)
                        if o.find("w:startOverride", _NS) is not None
                    }
                except _Refused as refused:
                    raise refused.at(place) from None
                self.instances[instance.get(_q("numId"))] = (_val(instance, "w:abstractNumId", ""), overrides)
        if styles is not None:
            for style in styles.iterfind("w:style", _NS):
                name = style.get(_q("styleId"))
                num = style.find("w:pPr/w:numPr", _NS)
                if num is not None:
                    ilvl = _val(num, "w:ilvl", None)
                    try:
                        level = None if ilvl is None else _level(ilvl)
                    except _Refused as refused:
                        raise refused.at(
                            gettext_noop(
                                "in the styles (word/styles.xml), the style “%(style)s”",
                                style=xml_safe((name or "")[:40]),
                            )
                        ) from None
                    self.style_numbering[name] = (_val(num, "w:numId", None), level)
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
        """The label Word shows before the paragraph, with what follows it (a TAB, a space), or "".

        Raises ``_Refused`` for a level Word does not write or a label longer than a clause keeps."""
        props = _properties(paragraph)
        if props is None:
            return ""  # neither numbered nor styled: the paragraph's style is Normal, never numbered here
        num = props.find(_NUMBERING_PROPERTIES)
        style = props.find(_STYLE)
        style_num, style_level = self._from_style(style.get(_VAL) if style is not None else None)
        num_id, level = None, None
        if num is not None:
            found = num.find(_NUM_ID)
            num_id = found.get(_VAL) if found is not None else None
            found = num.find(_LEVEL)
            level = found.get(_VAL) if found is not None else None
        num_id = num_id if num_id is not None else style_num
        ilvl = _level(level) if level is not None else (style_level or 0)
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

        label = _PLACEHOLDER.sub(number, text)
        if len(label) > limits.MAX_LEVEL_TEXT:
            raise _Refused(
                gettext_noop(
                    "the list gives the label “%(xml_safe)s…”, %(len)s characters long; a label is a few (at most %(MAX_LEVEL_TEXT)s are read)",
                    xml_safe=xml_safe(label[:30]),
                    len=format(len(label), ","),
                    MAX_LEVEL_TEXT=limits.MAX_LEVEL_TEXT,
                ),
                malformed=False,
            )
        label = "".join(_PRIVATE_BULLETS.get(c, c) for c in label).strip()
        if not label:
            return ""
        return label + {"tab": "\t", "space": " "}.get(suffix, "")


_PLACEHOLDER = re.compile(r"%(\d)")


def _val(element: etree._Element | None, path: str, default):
    found = element.find(path, _NS) if element is not None else None
    return found.get(_q("val"), default) if found is not None else default


def _properties(paragraph: etree._Element) -> etree._Element | None:
    """The paragraph's ``w:pPr``, if it has one."""
    return paragraph.find(_PARAGRAPH_PROPERTIES)


_PARAGRAPH_PROPERTIES, _NUMBERING_PROPERTIES, _STYLE = _q("pPr"), _q("numPr"), _q("pStyle")
_NUM_ID, _LEVEL, _VAL, _MARK_PROPERTIES = _q("numId"), _q("ilvl"), _q("val"), _q("rPr")


def _own_mark_gone(paragraph: etree._Element) -> bool:
    """Whether the paragraph's own mark is a tracked deletion or moved away: it joins the next one."""
    props = _properties(paragraph)
    mark = props.find(_MARK_PROPERTIES) if props is not None else None
    return mark is not None and any(mark.find(kind) is not None for kind in _GONE)


class _Paragraph:
    """One paragraph's pieces in reading order: (text, gone, come, node) with ``node`` the element read.

    Raises ``_Refused`` for a symbol Word does not write or more footnote calls than a paragraph holds."""

    def __init__(self, paragraph: etree._Element, plain_marks: bool):
        self.pieces: list[tuple[str, bool, bool, etree._Element]] = []
        self.plain_marks = plain_marks
        self.notes = 0
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
            elif tag == _RUN:
                self._run(node, gone, come)
            elif tag in (_q("instrText"), _q("delInstrText")):
                continue
            else:
                # Hyperlinks, smart tags, content controls, simple fields (their runs are the result),
                # custom XML: read through.
                self._read(node, gone, come)

    def _run(self, run: etree._Element, gone: bool, come: bool) -> None:
        if self.plain_marks:
            properties = run.find(_RUN_PROPERTIES)
            gone = gone or _toggled(properties, _STRIKE) or _toggled(properties, _DOUBLE_STRIKE)
            come = come or _toggled(properties, _UNDERLINE)
        for node in run:
            tag = node.tag
            if tag == _FIELD_CHAR:
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
            if tag in _TEXTS:
                self.pieces.append((node.text or "", gone, come, node))
            elif tag == _TAB:
                self.pieces.append(("\t", gone, come, node))
            elif tag in _BREAKS:
                if node.get(_q("type")) not in ("page", "column"):
                    self.pieces.append((" ", gone, come, node))
            elif tag == _NO_BREAK_HYPHEN:
                self.pieces.append(("\u2011", gone, come, node))
            elif tag == _SYMBOL:
                self.pieces.append((_symbol(node.get(_q("char"))), gone, come, node))
            elif tag == _FOOTNOTE_REFERENCE:
                self.notes += 1
                if self.notes > limits.MAX_NOTES_PER_PARAGRAPH:
                    raise _Refused(
                        gettext_noop(
                            "it has more than %(MAX_NOTES_PER_PARAGRAPH)s footnote calls (a clause has a few)",
                            MAX_NOTES_PER_PARAGRAPH=limits.MAX_NOTES_PER_PARAGRAPH,
                        ),
                        malformed=False,
                    )
                self.pieces.append(("", gone, come, node))

    def kept(self) -> list[tuple[str, etree._Element]]:
        return [(text, node) for text, gone, _, node in self.pieces if not gone]


_RUN = _q("r")
_RUN_PROPERTIES = _q("rPr")
_STRIKE, _DOUBLE_STRIKE, _UNDERLINE = _q("strike"), _q("dstrike"), _q("u")
_FIELD_CHAR = _q("fldChar")
_TEXTS = (_q("t"), _q("delText"))
_TAB = _q("tab")
_BREAKS = (_q("br"), _q("cr"))
_NO_BREAK_HYPHEN = _q("noBreakHyphen")
_SYMBOL = _q("sym")
_FOOTNOTE_REFERENCE = _q("footnoteReference")


def _run_text(element, plain_marks: bool = False) -> str:
    """Text of a paragraph-like element as it stands with every change accepted (footnote calls left out)."""
    return "".join(
        text for text, node in _Paragraph(element, plain_marks).kept() if node.tag != _FOOTNOTE_REFERENCE
    )


def _excerpt(paragraph: etree._Element) -> str:
    words = " ".join("".join(t.text or "" for t in paragraph.iter(_q("t"))).split())
    return xml_safe(words[:40] + ("…" if len(words) > 40 else ""))


def _paragraph_place(index: int, paragraph: etree._Element) -> Message:
    return gettext_noop(
        "in paragraph %(index)s of the text (“%(excerpt)s”)",
        index=format(index, ","),
        excerpt=_excerpt(paragraph),
    )


@dataclass
class WordDocument:
    """The parts of a .docx the readers use: the body of the main document and, by kind (footnotes,
    numbering, styles), the parts related to it. Read straight from the checked package with the
    bounded parser: no other part is parsed."""

    body: etree._Element
    related: dict[str, etree._Element]


_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RELATED_KINDS = ("footnotes", "numbering", "styles")


def _parse_part(parts: dict[str, bytes], name: str) -> etree._Element:
    try:
        return etree.fromstring(parts[name], safe_parser())
    except etree.XMLSyntaxError as e:  # read_parts checked it already; kept for a parser that disagrees
        raise ParseError(
            gettext_noop(
                "This .docx is damaged: %(name)s is not well-formed XML (%(value)s).",
                name=name,
                value=e.msg or e,
            )
        ) from None


def _targets(parts: dict[str, bytes], source: str) -> dict[str, str]:
    """The parts the part ``source`` relates to, by kind, from its relationships part."""
    folder, _, filename = source.rpartition("/")
    rels = f"{folder}/_rels/{filename}.rels" if folder else f"_rels/{filename}.rels"
    if rels not in parts:
        return {}
    found: dict[str, str] = {}
    for rel in _parse_part(parts, rels).iter(f"{{{_PACKAGE_RELATIONSHIPS}}}Relationship"):
        kind = (rel.get("Type") or "").rpartition("/")[2]
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or kind not in _RELATED_KINDS or kind in found:
            continue
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{folder}/{target}")
        if name in parts:
            found[kind] = name
    return found


def open_docx(data: bytes) -> WordDocument:
    """The document's body and related parts, or ParseError with a message for a file that is not a
    usable .docx."""
    # Size, ratio and XML limits first: nothing below inflates an unchecked part.
    parts = read_parts(data)
    if "word/document.xml" not in parts:
        raise ParseError(gettext_noop("This zip file is not a Word document: it has no word/document.xml."))
    types = parts.get("[Content_Types].xml", b"").decode("utf-8", "replace")
    if any(t in types for t in _MACRO_TYPES):
        raise ParseError(
            gettext_noop(
                "This is a macro-enabled Word file (.docm) or a template. Save it as a plain .docx and upload that."
            )
        )
    body = _parse_part(parts, "word/document.xml").find(_q("body"))
    if body is None:
        raise ParseError(gettext_noop("This .docx file cannot be opened: its word/document.xml has no body."))
    related = {kind: _parse_part(parts, name) for kind, name in _targets(parts, "word/document.xml").items()}
    return WordDocument(body=body, related=related)


def has_tracked_changes(document: WordDocument) -> bool:
    return next(document.body.iter(*_GONE, *_COME), None) is not None


def _related(document: WordDocument, kind: str) -> etree._Element | None:
    """The XML of the document's part of one kind (footnotes, numbering, styles), if it has one."""
    return document.related.get(kind)


def _footnotes(document) -> dict[str, str]:
    """Footnote texts by their Word id (a custom mark's own text left out), from the footnotes part."""
    root = _related(document, "footnotes")
    notes: dict[str, str] = {}
    if root is None:
        return notes
    for note in root.iterfind("w:footnote", _NS):
        if note.get(_q("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        try:
            paragraphs = [_run_text(p).strip() for p in note.iterfind(".//w:p", _NS)]
        except _Refused as refused:
            name = xml_safe((note.get(_q("id")) or "")[:20])
            raise refused.at(gettext_noop("in footnote %(name)s (word/footnotes.xml)", name=name)) from None
        notes[note.get(_q("id"))] = " ".join(p for p in paragraphs if p)
    return notes


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """The container's paragraphs in reading order, through content controls and custom XML (not tables)."""
    for child in container:
        tag = child.tag
        if tag == _PARAGRAPH:
            yield child
        elif tag == _CONTENT_CONTROL:
            content = child.find(_CONTENT_CONTROL_CONTENT)
            if content is not None:
                yield from _blocks(content)
        elif tag == _CUSTOM_XML:
            yield from _blocks(child)


_PARAGRAPH = _q("p")
_CONTENT_CONTROL, _CONTENT_CONTROL_CONTENT, _CUSTOM_XML = _q("sdt"), _q("sdtContent"), _q("customXml")
# A custom footnote mark: the word right after the call ("1bis", "*").
_CUSTOM_MARK = re.compile(r"(\S+?)(?=\[footnoteRef:|\s|$|[,;.)])")


def read_document(document: WordDocument, *, plain_marks: bool = False) -> tuple[str, list[str]]:
    """The text of an opened .docx (``document_text``) and its wholly inserted paragraphs
    (``inserted_paragraphs``), in one reading of the body.

    Bounded as it reads: at most ``MAX_PARAGRAPHS`` paragraphs and ``MAX_DOCUMENT_CHARS`` characters
    (footnotes and labels repeat text: a small file could otherwise spell out gigabytes); a value Word
    does not write, or one past its bound, is a ParseError naming the paragraph.
    """
    notes = _footnotes(document)
    numbering = _Numbering(_related(document, "numbering"), _related(document, "styles"))
    lines: list[str] = []
    inserted: list[str] = []
    size = 0
    shown = 0
    carried = ""  # the text of paragraphs whose mark went, waiting for the paragraph they join
    for index, element in enumerate(_blocks(document.body), 1):
        try:
            if index > limits.MAX_PARAGRAPHS:
                raise _Refused(
                    gettext_noop(
                        "the text has more than %(MAX_PARAGRAPHS)s paragraphs; a contribution has a few thousand",
                        MAX_PARAGRAPHS=format(limits.MAX_PARAGRAPHS, ","),
                    ),
                    malformed=False,
                )
            pieces = _Paragraph(element, plain_marks).pieces
            label_wanted = False
            out: list[str] = []
            found: list[tuple[int, str, bool, int]] = []  # number shown, Word's id, custom mark, call's end
            at = 0
            come_all, any_text = True, False
            for text, gone, come, node in pieces:
                if gone:
                    continue
                if node.tag == _FOOTNOTE_REFERENCE:
                    shown += 1
                    if shown > limits.MAX_FOOTNOTES:
                        raise _Refused(
                            gettext_noop(
                                "the text calls more than %(MAX_FOOTNOTES)s footnotes; a resolution has a handful",
                                MAX_FOOTNOTES=limits.MAX_FOOTNOTES,
                            ),
                            malformed=False,
                        )
                    call = f"[footnoteRef:{shown}]"
                    custom = node.get(_q("customMarkFollows")) in ("1", "true", "on")
                    # A custom mark ("1bis") is the text of the run after the reference: written once, there.
                    found.append((shown, node.get(_q("id")), custom, at + len(call)))
                    text = call if custom else call + str(shown)
                elif text.strip():
                    any_text = True
                    come_all = come_all and come
                out.append(text)
                at += len(text)
            if any_text and come_all:
                inserted.append(
                    "".join(
                        t
                        for t, gone, _, node in pieces
                        if not gone and node.tag != _FOOTNOTE_REFERENCE and t.strip()
                    )
                )
            text = "".join(out)
            if not plain_marks and _own_mark_gone(element):
                carried += text
                continue
            if plain_marks and not text.strip() and _had_text(element):
                continue  # struck through from end to end: a suppressed item
            label_wanted = bool(text.strip() or carried.strip())
            label = numbering.label(element) if label_wanted else ""
        except _Refused as refused:
            raise refused.at(_paragraph_place(index, element)) from None
        line = [label, carried, text]
        carried = ""
        for number, word_id, custom, end in found:
            mark = _CUSTOM_MARK.match(text, end) if custom else None
            mark = mark.group(1) if mark else str(number)
            note = notes.get(word_id, "")
            if mark != str(number) and note.startswith(mark):
                note = note[len(mark) :].lstrip()
            line.append(f" [{number}: {mark}\t{note}]")
        lines.append("".join(line))
        size += len(lines[-1]) + 1
        if size > limits.MAX_DOCUMENT_CHARS:
            raise _Refused(
                gettext_noop(
                    "the text read so far is over %(MAX_DOCUMENT_CHARS)s characters (footnotes counted wherever they are called); a contribution is a few hundred thousand",
                    MAX_DOCUMENT_CHARS=format(limits.MAX_DOCUMENT_CHARS, ","),
                ),
                malformed=False,
            ).at(_paragraph_place(index, element))
    if carried:
        lines.append(carried)
    return "\n".join(lines) + "\n", inserted


def inserted_paragraphs(document: WordDocument, *, plain_marks: bool = False) -> list[str]:
    """The text of every paragraph that is wholly an insertion or a move here (tracked, or underlined in
    plain marks).

    A paragraph that keeps some of its old words, even only its label, is a
    reworded clause; one inserted from end to end is a new clause, and so is a
    clause moved here (it is suppressed where it was).
    """
    return read_document(document, plain_marks=plain_marks)[1]


def docx_to_text(data: bytes) -> str:
    """The text of a .docx, one paragraph a line, with footnotes in the seed notation."""
    return document_text(open_docx(data))


def document_text(document: WordDocument, *, plain_marks: bool = False) -> str:
    """The text of an opened .docx, one paragraph a line, with footnotes in the seed notation.

    Tracked deletions and moved-away text are left out; with ``plain_marks``, so is struck-through
    text (a proposal marked with plain formatting rather than tracked changes). A paragraph whose own
    mark is a tracked deletion joins the paragraph after it, as Word's Accept All makes it: a
    suppressed item, struck from end to end, leaves nothing.
    """
    return read_document(document, plain_marks=plain_marks)[0]


def _had_text(paragraph: etree._Element) -> bool:
    return any((t.text or "").strip() for t in paragraph.iter(_q("t")))
