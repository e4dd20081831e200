"""Reading resolutions from .docx files built with python-docx (no database)."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

from drafting.engine.docx_text import docx_to_text
from drafting.engine.parse import ParseError, parse_resolution

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def document_of_lines(lines: list[str]):
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    return document


def test_a_docx_of_the_res75_seed_parses_to_the_same_tree_as_the_text(seed_text):
    text = seed_text("wtsa-res75-rev-hammamet-2016.txt")
    data = docx_bytes(document_of_lines(text.splitlines()))
    assert parse_resolution(docx_to_text(data)).shape() == parse_resolution(text).shape()


def test_word_footnotes_become_clause_footnotes():
    document = document_of_lines(
        ["RESOLUTION 9 (Rev. Geneva, 2022)", "A title", "The Assembly,", "considering", ""]
    )
    paragraph = document.paragraphs[-1]
    paragraph.add_run("a)\tthe developing countries")
    paragraph._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W}"><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
        )
    )
    paragraph.add_run(";")
    footnotes = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        (
            f'<w:footnotes xmlns:w="{W}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:tab/><w:t>These include the least developed countries.</w:t></w:r></w:p></w:footnote>'
            "</w:footnotes>"
        ).encode(),
        document.part.package,
    )
    document.part.relate_to(footnotes, RT.FOOTNOTES)
    parsed = parse_resolution(docx_to_text(docx_bytes(document)))
    item = parsed.clauses[0].children[0]
    assert item.text == "the developing countries[^1];"
    assert [(f.number, f.text) for f in item.footnotes] == [
        (1, "These include the least developed countries.")
    ]


def test_tracked_deletions_are_left_out_and_insertions_kept():
    document = document_of_lines(
        ["RESOLUTION 9 (Rev. Geneva, 2022)", "A title", "The Assembly,", "resolves", ""]
    )
    paragraph = document.paragraphs[-1]
    paragraph.add_run("1\tto act ")
    paragraph._p.append(
        parse_xml(
            f'<w:del xmlns:w="{W}" w:id="1" w:author="ATU" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>slowly</w:delText></w:r></w:del>'
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:ins xmlns:w="{W}" w:id="2" w:author="ATU" w:date="2024-01-01T00:00:00Z"><w:r><w:t>quickly</w:t></w:r></w:ins>'
        )
    )
    paragraph.add_run(".")
    parsed = parse_resolution(docx_to_text(docx_bytes(document)))
    assert parsed.clauses[0].children[0].text == "to act quickly."


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"PK\x03\x04 this is not really a zip", "not a Word .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .doc", "not a Word .docx"),
    ],
)
def test_files_that_are_not_docx_are_refused_with_a_reason(data, words):
    with pytest.raises(ParseError, match=words):
        docx_to_text(data)


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hello")
    with pytest.raises(ParseError, match="not a Word document"):
        docx_to_text(buffer.getvalue())


def test_a_macro_enabled_document_is_refused():
    data = docx_bytes(document_of_lines(["text"]))
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
                )
            target.writestr(item, content)
    with pytest.raises(ParseError, match="macro-enabled"):
        docx_to_text(buffer.getvalue())
