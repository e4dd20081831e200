"""Opening a .docx someone uploaded without letting it exhaust the server.

A .docx is a zip package: a 65 KB file can inflate to gigabytes (a
decompression bomb), claim one size in its directory and inflate to another,
hide entries behind encryption or a compression method Python cannot read, or
carry XML that is malformed or declares entities. ``read_package`` checks the
zip directory against the limits before anything is inflated, then inflates
each entry with a running count (the directory can lie), parses every XML part
with a bounded parser, and gives back a plain, uncompressed copy of the package
holding only what was checked. Every refusal is a ParseError whose message a
person can act on.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from .parse import ParseError
from .said import Message, capitalised, gettext_noop


@dataclass(frozen=True)
class PackageLimits:
    """What a contribution or resolution document may be made of.

    A real ITU contribution's ``word/document.xml`` is well under 2 MB
    inflated and compresses about ten to one; a package has a few dozen
    entries. The limits leave ample room for that and bound the work a
    hostile file can cause (README, "Uploaded files").
    """

    max_entries: int = 500
    max_entry_bytes: int = 8 * 1024 * 1024  # one inflated part
    max_total_bytes: int = 32 * 1024 * 1024  # every inflated part together
    max_ratio: int = 100  # inflated / compressed, for parts over ratio_floor
    ratio_floor: int = 256 * 1024
    max_xml_elements: int = 200_000  # in any one XML part
    max_total_xml_elements: int = 300_000  # in all the XML parts together


LIMITS = PackageLimits()

# The parts whose damage is named in the message: they hold what the importers read.
_PART_NAMES = {
    "word/document.xml": gettext_noop("the document's text (word/document.xml)"),
    "word/footnotes.xml": gettext_noop("the footnotes (word/footnotes.xml)"),
    "word/endnotes.xml": gettext_noop("the endnotes (word/endnotes.xml)"),
    "word/styles.xml": gettext_noop("the styles (word/styles.xml)"),
    "word/numbering.xml": gettext_noop("the numbering (word/numbering.xml)"),
    "[Content_Types].xml": gettext_noop("the list of parts ([Content_Types].xml)"),
}
_CHUNK = 64 * 1024


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def _part_name(name: str) -> Message:
    return _PART_NAMES.get(name) or gettext_noop("the part %(name)s", name=name)


def _first_upper(message: Message) -> Message:
    # Capitalised when said, in the reader's language: the phrase starts the sentence.
    return capitalised(message)


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _check_directory(infos: list[zipfile.ZipInfo], limits: PackageLimits) -> None:
    """Refuse from the zip directory alone, before a byte is inflated."""
    if len(infos) > limits.max_entries:
        raise ParseError(
            gettext_noop(
                "This .docx holds %(len)s parts; a Word document has a few dozen (at most %(max_entries)s are accepted). It was not read.",
                len=format(len(infos), ","),
                max_entries=format(limits.max_entries, ","),
            )
        )
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise ParseError(
            gettext_noop("This .docx is damaged: its zip package lists the same part twice. It was not read.")
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ParseError(
                gettext_noop(
                    "This .docx is encrypted or password-protected (%(_part_name)s). Remove the protection in Word (File, Info, Protect Document) and upload it again.",
                    _part_name=_part_name(info.filename),
                )
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ParseError(
                gettext_noop(
                    "This .docx uses a compression method Word does not write (method %(compress_type)s in %(_part_name)s). Open it in Word, save it as .docx and upload that.",
                    compress_type=info.compress_type,
                    _part_name=_part_name(info.filename),
                )
            )
        if info.file_size > limits.max_entry_bytes:
            raise ParseError(
                gettext_noop(
                    "%(_first_upper)s inflates to %(_mb)s; at most %(_mb2)s is accepted. A resolution is far smaller: is this the right file?",
                    _first_upper=_first_upper(_part_name(info.filename)),
                    _mb=_mb(info.file_size),
                    _mb2=_mb(limits.max_entry_bytes),
                )
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise ParseError(
                gettext_noop(
                    "%(_first_upper)s inflates %(value)s times over; Word's files inflate at most about ten times. This file was not read.",
                    _first_upper=_first_upper(_part_name(info.filename)),
                    value=format(info.file_size // max(info.compress_size, 1), ","),
                )
            )
        total += info.file_size
    if total > limits.max_total_bytes:
        raise ParseError(
            gettext_noop(
                "This .docx inflates to %(_mb)s; at most %(_mb2)s is accepted. A resolution is far smaller: is this the right file?",
                _mb=_mb(total),
                _mb2=_mb(limits.max_total_bytes),
            )
        )


def _inflate(package: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, limits: PackageLimits) -> bytes:
    """The entry's bytes, stopping as soon as it outgrows what its directory record declared or the budget."""
    allowed = min(info.file_size, limits.max_entry_bytes, budget)
    chunks, size = [], 0
    with package.open(info) as entry:
        while True:
            chunk = entry.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > allowed:
                raise ParseError(
                    gettext_noop(
                        "This .docx is damaged: %(_part_name)s inflates to more than its package declares. It was not read.",
                        _part_name=_part_name(info.filename),
                    )
                )
            chunks.append(chunk)
    if size != info.file_size:
        raise ParseError(
            gettext_noop(
                "This .docx is damaged: %(_part_name)s is cut short. It was not read.",
                _part_name=_part_name(info.filename),
            )
        )
    return b"".join(chunks)


def safe_parser() -> etree.XMLParser:
    """An XML parser that expands no entities, loads no DTD, reaches no network and keeps libxml2's size limits."""
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, remove_comments=True
    )


def _check_xml(name: str, data: bytes, limits: PackageLimits, budget: int) -> int:
    """Refuse an XML part that is malformed, declares a DTD or entities, or holds too many elements
    (of its own, or with the parts before it more than ``budget``); returns how many it holds."""
    count = 0
    try:
        events = etree.iterparse(
            io.BytesIO(data),
            events=("start",),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
        )
        for _, element in events:
            count += 1
            if count == 1:
                docinfo = element.getroottree().docinfo
                if docinfo.doctype or docinfo.internalDTD is not None:
                    raise ParseError(
                        gettext_noop(
                            "This .docx is not what Word writes: %(_part_name)s declares a DTD. It was not read.",
                            _part_name=_part_name(name),
                        )
                    )
            if count > limits.max_xml_elements:
                raise ParseError(
                    gettext_noop(
                        "%(_first_upper)s holds more than %(max_xml_elements)s elements; a resolution holds a few thousand. This file was not read.",
                        _first_upper=_first_upper(_part_name(name)),
                        max_xml_elements=format(limits.max_xml_elements, ","),
                    )
                )
            if count > budget:
                raise ParseError(
                    gettext_noop(
                        "This .docx holds more than %(max_total_xml_elements)s XML elements in all (the limit was passed in %(_part_name)s); a resolution holds a few thousand. This file was not read.",
                        max_total_xml_elements=format(limits.max_total_xml_elements, ","),
                        _part_name=_part_name(name),
                    )
                )
    except etree.XMLSyntaxError as e:
        raise ParseError(
            gettext_noop(
                "This .docx is damaged: %(_part_name)s is not well-formed XML (%(value)s). Open it in Word, save it again and upload that.",
                _part_name=_part_name(name),
                value=e.msg or e,
            )
        ) from None
    return count


def read_parts(data: bytes, limits: PackageLimits = LIMITS) -> dict[str, bytes]:
    """Every part of the .docx package by name, checked, or ParseError saying what is wrong with it."""
    if not data:
        raise ParseError(gettext_noop("The file is empty: there is nothing to import."))
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ParseError(
            gettext_noop(
                "This is not a Word .docx file (it is not a zip package). Old .doc files must be saved as .docx first."
            )
        ) from None
    parts: dict[str, bytes] = {}
    try:
        with package:
            infos = [info for info in package.infolist() if not info.is_dir()]
            _check_directory(infos, limits)
            budget = limits.max_total_bytes
            elements = limits.max_total_xml_elements
            for info in infos:
                content = _inflate(package, info, budget, limits)
                budget -= len(content)
                if _is_xml(info.filename):
                    elements -= _check_xml(info.filename, content, limits, elements)
                parts[info.filename] = content
    except ParseError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError):
        raise ParseError(
            gettext_noop("This .docx file is damaged: its zip package cannot be read.")
        ) from None
    except NotImplementedError:
        raise ParseError(
            gettext_noop(
                "This .docx uses a feature of zip that Word does not write. Open it in Word, save it as .docx "
                "and upload that."
            )
        ) from None
    return parts


def read_package(data: bytes, limits: PackageLimits = LIMITS) -> bytes:
    """A checked copy of the .docx package (uncompressed), or ParseError saying what is wrong with it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for name, content in read_parts(data, limits).items():
            copy.writestr(name, content)
    return out.getvalue()
