"""Word files built the way Word writes them: python-docx's package with raw WordprocessingML put in.

``word_file(body)`` takes the body's paragraphs as XML (the ``w:`` prefix bound), and optionally the
numbering definitions, footnotes and styles, and gives the bytes of a .docx Word would open.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEAD = f'<w:document xmlns:w="{W}"><w:body>'
_TAIL = "<w:sectPr/></w:body></w:document>"
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
DATE = 'w:author="ATU" w:date="2024-09-01T12:00:00Z"'


def p(*runs: str, props: str = "") -> str:
    """A paragraph of runs (XML strings), with paragraph properties."""
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{''.join(runs)}</w:p>"


def r(text: str, props: str = "") -> str:
    """A run of text; TABs become w:tab."""
    parts = []
    for i, piece in enumerate(text.split("\t")):
        if i:
            parts.append("<w:tab/>")
        if piece:
            parts.append(f'<w:t xml:space="preserve">{piece}</w:t>')
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{''.join(parts)}</w:r>"


def numbered(num_id: int, level: int = 0) -> str:
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


def footnote_ref(word_id: int, custom: str = "") -> str:
    """A footnote reference; with ``custom`` a custom mark ("1bis") in the run after it, as Word writes it."""
    if custom:
        return (
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:customMarkFollows="1" w:id="{word_id}"/></w:r>'
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>{custom}</w:t></w:r>'
        )
    return (
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{word_id}"/></w:r>'
    )


def footnote(word_id: int, text: str, custom: str = "") -> str:
    mark = (
        f"<w:r><w:t>{custom}</w:t></w:r>"
        if custom
        else '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
    )
    return f'<w:footnote w:id="{word_id}"><w:p>{mark}{r(chr(9) + text)}</w:p></w:footnote>'


def level(ilvl: int, fmt: str, text: str, start: int = 1, suffix: str = "") -> str:
    suff = f'<w:suff w:val="{suffix}"/>' if suffix else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{suff}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
    )


def numbering(abstracts: dict[int, list[str]], instances: dict[int, tuple[int, dict[int, int]]]) -> str:
    """numbering.xml: list definitions by id (their levels), and instances (definition, restarts)."""
    out = [f'<w:numbering xmlns:w="{W}">']
    for abstract_id, levels in abstracts.items():
        out.append(f'<w:abstractNum w:abstractNumId="{abstract_id}">{"".join(levels)}</w:abstractNum>')
    for num_id, (abstract_id, restarts) in instances.items():
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            for lvl, start in restarts.items()
        )
        out.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>')
    return "".join(out) + "</w:numbering>"


def word_file(
    body: list[str], *, numbering_xml: str = "", footnotes: list[str] | None = None, styles: str = ""
) -> bytes:
    """A .docx with these body paragraphs, numbering definitions, footnotes and extra paragraph styles."""
    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = (_HEAD + "".join(body) + _TAIL).encode("utf-8")
            elif name == "word/styles.xml" and styles:
                data = data.replace(b"</w:styles>", styles.encode("utf-8") + b"</w:styles>")
            elif name == "word/numbering.xml" and numbering_xml:
                data = numbering_xml.encode("utf-8")
            elif name == "[Content_Types].xml" and footnotes is not None:
                data = data.replace(
                    b"</Types>",
                    f'<Override PartName="/word/footnotes.xml" ContentType="{_FOOTNOTES_TYPE}"/></Types>'.encode(),
                )
            elif name == "word/_rels/document.xml.rels" and footnotes is not None:
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdNotes" Type="{_FOOTNOTES_REL}" Target="footnotes.xml"/></Relationships>'.encode(),
                )
            package.writestr(name, data)
        if footnotes is not None:
            notes = (
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                "</w:r></w:p></w:footnote>"
            )
            package.writestr(
                "word/footnotes.xml", f'<w:footnotes xmlns:w="{W}">{notes}{"".join(footnotes)}</w:footnotes>'
            )
    return out.getvalue()
