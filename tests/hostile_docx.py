"""Hostile .docx packages built from a real one: bombs, lying directories, encryption, broken parts.

Shared by the tests and by scripts/measure_docx_bomb.py, which measures the
worst file the limits still let through.
"""

from __future__ import annotations

import io
import random
import string
import struct
import zipfile

from docx import Document

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def plain_docx(lines: list[str] | None = None) -> bytes:
    """A small, ordinary Word document made by python-docx."""
    document = Document()
    for line in lines or ["RESOLUTION 1 (Geneva, 2024)", "A title", "resolves", "1\tto do it."]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, *, compression=zipfile.ZIP_DEFLATED, **extra):
    """The package with some parts replaced and others (``extra``, by name) added."""
    replace = dict(replace or {})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.pop(info.filename, source.read(info)))
        for name, content in {**replace, **extra}.items():
            target.writestr(name, content)
    return out.getvalue()


def empty_paragraphs_body(size: int) -> bytes:
    """A document.xml of ``size`` bytes, almost all of it empty paragraphs (compresses about 1000:1)."""
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'
    tail = "</w:body></w:document>"
    count = max(0, (size - len(head) - len(tail)) // len("<w:p/>"))
    return (head + "<w:p/>" * count + tail).encode()


def decompression_bomb(body_bytes: int = 20 * 1024 * 1024) -> bytes:
    """The finding of issue 11: an export whose document.xml is replaced by ``body_bytes`` of empty paragraphs."""
    return rezip(plain_docx(), {"word/document.xml": empty_paragraphs_body(body_bytes)})


def streamed_bomb(path, compressed_bytes: int) -> None:
    """Write to ``path`` a .docx whose document.xml of empty paragraphs deflates to about ``compressed_bytes``
    (some gigabytes inflated), without ever holding it inflated in memory."""
    head, tail = empty_paragraphs_body(0).split(b"</w:body>")[0], b"</w:body></w:document>"
    chunk = b"<w:p/>" * 200_000
    with (
        zipfile.ZipFile(io.BytesIO(plain_docx())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for info in source.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, source.read(info))
        with z.open("word/document.xml", "w", force_zip64=True) as body:
            body.write(head)
            while z.fp.tell() < compressed_bytes:
                body.write(chunk)
            body.write(tail)


def content_types_comment_bomb(comment_bytes: int = 200 * 1024 * 1024) -> bytes:
    """[Content_Types].xml with a huge comment ahead of its root element."""
    data = plain_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml")
    declaration, _, rest = types.partition(b"?>")
    padded = declaration + b"?><!--" + b" " * comment_bytes + b"-->" + rest
    return rezip(data, {"[Content_Types].xml": padded})


def many_entries(count: int = 5000) -> bytes:
    return rezip(plain_docx(), **{f"hostile/item{i}.xml": b"<a/>" for i in range(count)})


def _patch_central_directory(data: bytes, name: str, patch) -> bytes:
    """Apply ``patch(bytearray, offset_of_record)`` to the central directory record of ``name``."""
    buffer = bytearray(data)
    start = 0
    while True:
        offset = buffer.find(b"PK\x01\x02", start)
        if offset < 0:
            raise ValueError(f"{name} not in the central directory")
        name_length = struct.unpack_from("<H", buffer, offset + 28)[0]
        if bytes(buffer[offset + 46 : offset + 46 + name_length]).decode() == name:
            patch(buffer, offset)
            return bytes(buffer)
        start = offset + 4


def _local_header_offset(buffer: bytearray, central: int) -> int:
    return struct.unpack_from("<I", buffer, central + 42)[0]


def lying_directory(declared: int = 4096, body_bytes: int = 3 * 1024 * 1024) -> bytes:
    """document.xml declares ``declared`` bytes in the zip directory but inflates to ``body_bytes``."""
    data = rezip(plain_docx(), {"word/document.xml": empty_paragraphs_body(body_bytes)})

    def patch(buffer: bytearray, central: int) -> None:
        struct.pack_into("<I", buffer, central + 24, declared)  # uncompressed size, central directory
        struct.pack_into(
            "<I", buffer, _local_header_offset(buffer, central) + 22, declared
        )  # and local header

    return _patch_central_directory(data, "word/document.xml", patch)


def encrypted_entry() -> bytes:
    """document.xml flagged as encrypted (general purpose bit 0), as a password-protected zip is."""

    def patch(buffer: bytearray, central: int) -> None:
        for at in (central + 8, _local_header_offset(buffer, central) + 6):
            flags = struct.unpack_from("<H", buffer, at)[0]
            struct.pack_into("<H", buffer, at, flags | 0x1)

    return _patch_central_directory(plain_docx(), "word/document.xml", patch)


def unknown_compression(method: int = 99) -> bytes:
    """document.xml stored with a compression method number Python and Word do not read (99: AES)."""

    def patch(buffer: bytearray, central: int) -> None:
        struct.pack_into("<H", buffer, central + 10, method)
        struct.pack_into("<H", buffer, _local_header_offset(buffer, central) + 8, method)

    return _patch_central_directory(plain_docx(), "word/document.xml", patch)


def bzip2_compressed() -> bytes:
    """Every part compressed with bzip2: Python reads it, Word never writes it."""
    return rezip(plain_docx(), compression=zipfile.ZIP_BZIP2)


def with_part(name: str, content: bytes, relationship: str | None = None) -> bytes:
    """The document with a part added (or replaced) and, for a new part, its relationship from the body."""
    data = plain_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("word/_rels/document.xml.rels")
        types = z.read("[Content_Types].xml")
    replace = {name: content}
    if relationship and relationship.encode() not in rels:
        target = name.removeprefix("word/")
        rels = rels.replace(
            b"</Relationships>",
            f'<Relationship Id="rIdHostile" Type="{relationship}" Target="{target}"/></Relationships>'.encode(),
        )
        replace["word/_rels/document.xml.rels"] = rels
        content_type = {
            "word/footnotes.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
            "word/numbering.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
        }.get(name)
        if content_type and f'PartName="/{name}"'.encode() not in types:
            types = types.replace(
                b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode()
            )
            replace["[Content_Types].xml"] = types
    return rezip(data, replace)


FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE w:footnotes [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9))
    + f']><w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1"><w:p><w:r><w:t>&j;</w:t></w:r></w:p>'
    f"</w:footnote></w:footnotes>".encode()
)


def worst_allowed(limits, *, seed: int = 11) -> bytes:
    """The most work a file inside every limit can ask for: a MOD proposal on Res. 75 whose body is at
    the element limit, item after item of text random enough to stay under the compression ratio."""
    rng = random.Random(seed)
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'
    tail = "</w:body></w:document>"

    def paragraph(text: str) -> str:
        return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    paragraphs = [
        paragraph(line)
        for line in ("MOD ATU/35A18/1", "RESOLUTION 75 (Rev. Hammamet, 2016)", "A title", "resolves")
    ]
    size, elements = len(head) + len(tail) + sum(map(len, paragraphs)), 2 + 3 * len(paragraphs)
    letters = string.ascii_lowercase + "     "
    number = 0
    while True:
        number += 1
        text = "".join(rng.choice(letters) for _ in range(60))
        item = paragraph(f"{number}\t{text};")
        if elements + 3 > limits.max_xml_elements or size + len(item) > limits.max_entry_bytes:
            break
        paragraphs.append(item)
        size += len(item)
        elements += 3
    body = (head + "".join(paragraphs) + tail).encode()
    return rezip(plain_docx(), {"word/document.xml": body})


# --- files inside the package limits that ask for unbounded work through their values (issue 22) ---

PROPOSAL_HEAD = ("MOD ATU/35A18/1", "RESOLUTION 75 (Rev. Hammamet, 2016)", "A title", "resolves")
LIBRARY_HEAD = ("RESOLUTION 75 (Rev. Hammamet, 2016)", "A title", "resolves")


def text_paragraph(text: str, props: str = "") -> str:
    """One paragraph of the body: ``props`` is its w:pPr content (numbering, style)."""
    return f'<w:p>{f"<w:pPr>{props}</w:pPr>" if props else ""}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def body_docx(paragraphs: list[str], *, head=LIBRARY_HEAD, parts: dict[str, bytes] | None = None) -> bytes:
    """A .docx whose body is the ``head`` lines then ``paragraphs`` (XML), with parts replaced or added."""
    body = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'
        + "".join(text_paragraph(line) for line in head)
        + "".join(paragraphs)
        + "</w:body></w:document>"
    ).encode()
    return rezip(plain_docx(), {"word/document.xml": body, **(parts or {})})


def numbering_part(
    *,
    start: str = "1",
    fmt: str = "decimal",
    lvl_text: str = "%1)",
    ilvl: str = "0",
    override: str | None = None,
) -> bytes:
    """numbering.xml with one list (w:numId 9 on w:abstractNum 7) of one level, as given."""
    restart = (
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{override}"/></w:lvlOverride>'
        if override is not None
        else ""
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w="{W_NS}">'
        f'<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{lvl_text}"/><w:suff w:val="tab"/></w:lvl></w:abstractNum>'
        f'<w:num w:numId="9"><w:abstractNumId w:val="7"/>{restart}</w:num></w:numbering>'
    ).encode()


def numbered_docx(
    items: int = 30,
    *,
    start: str = "1",
    fmt: str = "decimal",
    lvl_text: str = "%1)",
    ilvl: str = "0",
    paragraph_ilvl: str | None = None,
    override: str | None = None,
    head=LIBRARY_HEAD,
) -> bytes:
    """``items`` paragraphs numbered by Word's automatic numbering, with the list's values as given."""
    level = paragraph_ilvl if paragraph_ilvl is not None else ilvl
    props = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="9"/></w:numPr>'
    paragraphs = [text_paragraph(f"to act on item {i};", props) for i in range(items)]
    numbering = numbering_part(start=start, fmt=fmt, lvl_text=lvl_text, ilvl=ilvl, override=override)
    return body_docx(paragraphs, head=head, parts={"word/numbering.xml": numbering})


def footnotes_part(count: int, note_chars: int = 0) -> bytes:
    """``count`` footnotes, each "Note n." followed by ``note_chars`` random letters."""
    rng = random.Random(count)

    def words() -> str:
        return "".join(rng.choice(string.ascii_lowercase + "   ") for _ in range(note_chars))

    notes = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:t>Note {i}. {words()}</w:t></w:r></w:p></w:footnote>'
        for i in range(1, count + 1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">{notes}</w:footnotes>'
    ).encode()


def footnoted_docx(
    references: int, *, paragraphs: int = 1, custom: bool = False, note_chars: int = 0, head=LIBRARY_HEAD
) -> bytes:
    """``paragraphs`` items, each with ``references`` footnote references (custom marks "1bis" if
    ``custom``) to 50 footnotes of ``note_chars`` characters."""
    mark = ' w:customMarkFollows="1"' if custom else ""
    after = '<w:r><w:t xml:space="preserve">1bis </w:t></w:r>' if custom else ""
    # Ids drawn at random, so that the part stays inside the compression ratio check as a real file does.
    rng = random.Random(references)
    refs = "".join(
        f'<w:r><w:footnoteReference w:id="{rng.randint(1, 50)}"{mark}/></w:r>{after}'
        for _ in range(references)
    )
    body = [
        f'<w:p><w:r><w:t xml:space="preserve">{n + 1}\tto act </w:t></w:r>{refs}<w:r><w:t>;</w:t></w:r></w:p>'
        for n in range(paragraphs)
    ]
    data = body_docx(body, head=head)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("word/_rels/document.xml.rels")
        types = z.read("[Content_Types].xml")
    rels = rels.replace(
        b"</Relationships>",
        f'<Relationship Id="rIdNotes" Type="{FOOTNOTES_REL}" Target="footnotes.xml"/></Relationships>'.encode(),
    )
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument'
        b'.wordprocessingml.footnotes+xml"/></Types>',
    )
    return rezip(
        data,
        {
            "word/_rels/document.xml.rels": rels,
            "[Content_Types].xml": types,
            "word/footnotes.xml": footnotes_part(50, note_chars),
        },
    )


def symbol_docx(char: str, *, head=LIBRARY_HEAD) -> bytes:
    """An item holding Word's symbol element ``<w:sym w:char="..."/>`` with the value given."""
    paragraph = f'<w:p><w:r><w:t xml:space="preserve">1\tto act </w:t><w:sym w:font="Symbol" w:char="{char}"/></w:r></w:p>'
    return body_docx([paragraph], head=head)


def many_element_parts(parts: int, part_bytes: int = 255 * 1024) -> bytes:
    """``parts`` extra XML parts, each just under the ratio check's floor and made of empty elements."""
    element = b"<a/>"
    content = b"<r>" + element * ((part_bytes - 7) // len(element)) + b"</r>"
    return rezip(plain_docx(), **{f"customXml/item{i + 10}.xml": content for i in range(parts)})


def random_words(rng: random.Random, chars: int) -> str:
    """``chars`` characters of lowercase words: random enough to deflate as real text does (about 2:1)."""
    letters = string.ascii_lowercase + "     "
    return "".join(rng.choice(letters) for _ in range(chars)).strip() or "x"


def lines_docx(lines: list[str], *, head=LIBRARY_HEAD, parts: dict[str, bytes] | None = None) -> bytes:
    """A .docx of plain paragraphs: the ``head`` lines, then ``lines``."""
    return body_docx([text_paragraph(line) for line in lines], head=head, parts=parts)


def items(count: int, chars: int, *, seed: int = 22) -> list[str]:
    """``count`` numbered items of ``chars`` characters each ("7<tab>words;")."""
    rng = random.Random(seed)
    return [f"{n}\t{random_words(rng, chars)};" for n in range(1, count + 1)]
