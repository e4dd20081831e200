"""Reading a conference's registration list (CSV or XLSX) into checked rows, without Django.

A list has one person per row: name, e-mail, administration, regional group, role, under a
header row naming the columns (in any order, in the words secretariats use: "E-mail",
"Email address", "Country", "Group"...). The file is bounded before it is read (rows,
columns, cell lengths; an XLSX's zip package is checked from its directory before anything
is inflated, and its XML may declare no DTD), and every row is checked on its own: a row
that cannot be used is refused with the reason, the others go on. What the rows do to the
accounts is the service's part (``drafting.services.registration``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from .said import Message, gettext_noop
from .text import TextProblem, clean_text


class ListProblem(Exception):
    """The whole file cannot be read as a registration list; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ListLimits:
    max_rows: int = 5000
    max_columns: int = 30
    max_cell: int = 300  # characters in one cell
    # An XLSX package: a list of 5,000 people inflates to a few megabytes.
    max_entries: int = 200
    max_inflated: int = 24 * 1024 * 1024
    max_ratio: int = 100
    ratio_floor: int = 256 * 1024


FIELDS = ("name", "email", "administration", "group", "role")
FIELD_LABELS = {
    "name": "name",
    "email": "e-mail",
    "administration": "administration",
    "group": "regional group",
    "role": "role",
}
# Header words, lower-cased with spaces, hyphens and underscores taken out.
_HEADERS = {
    "name": "name",
    "fullname": "name",
    "delegate": "name",
    "participant": "name",
    "email": "email",
    "emailaddress": "email",
    "mail": "email",
    "administration": "administration",
    "memberstate": "administration",
    "country": "administration",
    "delegation": "administration",
    "regionalgroup": "group",
    "group": "group",
    "regionalorganization": "group",
    "regionalorganisation": "group",
    "role": "role",
    "function": "role",
}
REQUIRED = ("name", "email", "role")


@dataclass
class ListRow:
    """One row of the file, as read: its line number and its cells by field (cleaned, bounded)."""

    number: int
    cells: dict[str, str]
    problem: str = ""  # why the row cannot be used, if it cannot


@dataclass
class CheckedRow:
    number: int
    name: str
    email: str
    administration: str
    group: str  # the regional group's code, "" for none
    role: str  # the role's name (Delegates, Coordinators, Secretariat, Observers)
    refused: str = ""
    cells: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "name": self.name,
            "email": self.email,
            "administration": self.administration,
            "group": self.group,
            "role": self.role,
            "refused": self.refused,
            # How the reason was said, so that each reader gets it in their language (stored as JSON).
            "refused_said": [self.refused.template, self.refused.params]
            if isinstance(self.refused, Message)
            else None,
            "cells": self.cells,
        }


def _header_key(value: str) -> str:
    return re.sub(r"[\s\-_.:]+", "", str(value or "").lower())


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = _HEADERS.get(_header_key(cell))
        if name and name not in columns:
            columns[name] = index
    missing = [FIELD_LABELS[f] for f in REQUIRED if f not in columns]
    if missing:
        raise ListProblem(
            gettext_noop(
                "The first row must name the columns: name, e-mail, administration, regional group and role. This file's first row has no column for: %(join)s.",
                join=", ".join(missing),
            )
        )
    return columns


def _cell(value, limits: ListLimits) -> tuple[str, str]:
    """The cell as text and a problem, if any ("" when none)."""
    if value is None:
        return "", ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    if len(text) > limits.max_cell:
        return "", gettext_noop(
            "a cell is %(length)s characters long (at most %(limit)s)",
            length=f"{len(text):,}",
            limit=f"{limits.max_cell:,}",
        )
    try:
        return clean_text(text, gettext_noop("cell")).strip(), ""
    except TextProblem:
        return "", gettext_noop("a cell holds control characters (often copied from another program)")


def _rows(table, limits: ListLimits) -> list[ListRow]:
    """Rows of a table given as an iterator of lists of cell values, the header first."""
    table = iter(table)
    header: list | None = None
    line = 0
    for line, values in enumerate(table, start=1):  # noqa: B007 (the header's line is needed)
        if values and any(v not in (None, "") for v in values):
            header = [str(v) if v is not None else "" for v in values[: limits.max_columns + 1]]
            while header and not header[-1].strip():  # a spreadsheet pads rows with empty cells
                header.pop()
            break
    if header is None:
        raise ListProblem(gettext_noop("The file is empty: there is no header row and no person in it."))
    if len(header) > limits.max_columns:
        raise ListProblem(
            gettext_noop(
                "The file has more than %(max_columns)s columns: is this the registration list?",
                max_columns=limits.max_columns,
            )
        )
    columns = _columns(header)
    rows: list[ListRow] = []
    for number, values in enumerate(table, start=line + 1):
        values = list(values or [])
        if not any(v not in (None, "") for v in values):
            continue
        if len(rows) >= limits.max_rows:
            raise ListProblem(
                gettext_noop(
                    "The list holds more than %(max_rows)s people; at most %(max_rows)s are read at once. Split it into several files.",
                    max_rows=format(limits.max_rows, ","),
                )
            )
        cells, problem = {}, ""
        for name, index in columns.items():
            text, trouble = _cell(values[index] if index < len(values) else None, limits)
            cells[name] = text
            problem = problem or trouble
        rows.append(ListRow(number, cells, problem))
    return rows


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Excel on Windows saves "CSV" in the machine's code page: Western European is the common one.
    return data.decode("cp1252", errors="replace")


def read_csv(data: bytes, limits: ListLimits = ListLimits()) -> list[ListRow]:
    text = _decode(data)
    if "\x00" in text:
        raise ListProblem(
            gettext_noop("This is not a text (CSV) file. Save the list as CSV or XLSX and upload that.")
        )
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    csv.field_size_limit(max(limits.max_cell * 4, 4096))
    try:
        return _rows(reader, limits)
    except csv.Error as problem:
        raise ListProblem(
            gettext_noop(
                "This CSV file cannot be read (%(problem)s). Save it again from the spreadsheet.",
                problem=problem,
            )
        ) from None


# A DTD may follow comments of any length in the prolog: the whole part is searched (it is bounded).
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _checked_package(data: bytes, limits: ListLimits) -> bytes:
    """The XLSX package re-written uncompressed after checking it, or ListProblem."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ListProblem(
            gettext_noop("This is not an Excel .xlsx file. Save the list as .xlsx or CSV and upload that.")
        ) from None
    infos = [i for i in package.infolist() if not i.is_dir()]
    if len(infos) > limits.max_entries:
        raise ListProblem(
            gettext_noop(
                "This .xlsx holds %(len)s parts; a spreadsheet has a few dozen. It was not read.",
                len=format(len(infos), ","),
            )
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ListProblem(
                gettext_noop("This .xlsx is password-protected. Remove the protection and upload it again.")
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ListProblem(
                gettext_noop("This .xlsx uses a compression Excel does not write. Save it again from Excel.")
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise ListProblem(
                gettext_noop("This .xlsx inflates far more than a spreadsheet does. It was not read.")
            )
        total += info.file_size
    if total > limits.max_inflated:
        raise ListProblem(
            gettext_noop(
                "This .xlsx inflates to %(value)s MB; a registration list is a few MB. It was not read.",
                value=format(total / 1_048_576, ".0f"),
            )
        )
    out = io.BytesIO()
    budget = limits.max_inflated
    try:
        with package, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            for info in infos:
                with package.open(info) as entry:
                    content = entry.read(min(info.file_size, budget) + 1)
                if len(content) != info.file_size:
                    raise ListProblem(
                        gettext_noop(
                            "This .xlsx is damaged (a part is not the size it says). It was not read."
                        )
                    )
                budget -= len(content)
                if info.filename.endswith((".xml", ".rels")) and _DTD.search(content):
                    raise ListProblem(
                        gettext_noop(
                            "This .xlsx is not what Excel writes (it declares a DTD). It was not read."
                        )
                    )
                copy.writestr(info.filename, content)
    except ListProblem:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise ListProblem(
            gettext_noop("This .xlsx is damaged and cannot be read. Save it again from Excel.")
        ) from None
    return out.getvalue()


def read_xlsx(data: bytes, limits: ListLimits = ListLimits()) -> list[ListRow]:
    """The first worksheet's rows, read with openpyxl in read-only mode from a checked package."""
    from openpyxl import load_workbook

    checked = _checked_package(data, limits)
    try:
        book = load_workbook(io.BytesIO(checked), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (openpyxl raises many kinds on a damaged file)
        raise ListProblem(
            gettext_noop("This .xlsx cannot be read as a spreadsheet. Save it again from Excel.")
        ) from None
    try:
        if not book.worksheets:
            raise ListProblem(gettext_noop("This .xlsx has no worksheet."))
        sheet = book.worksheets[0]
        table = sheet.iter_rows(
            max_col=limits.max_columns + 1, max_row=limits.max_rows + 200, values_only=True
        )
        try:
            return _rows(table, limits)
        except ListProblem:
            raise
        except Exception:  # noqa: BLE001
            raise ListProblem(
                gettext_noop("This .xlsx cannot be read as a spreadsheet. Save it again from Excel.")
            ) from None
    finally:
        book.close()


def read_list(filename: str, data: bytes, limits: ListLimits = ListLimits()) -> list[ListRow]:
    """Rows of a CSV or XLSX file (told apart by content, then by name)."""
    if not data:
        raise ListProblem(gettext_noop("The file is empty: there is nothing to read."))
    name = filename.lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        return read_xlsx(data, limits)
    if name.endswith((".xls", ".ods", ".numbers", ".docx", ".pdf")):
        raise ListProblem(
            gettext_noop("Only CSV and .xlsx lists are read. Save the list in one of those and upload that.")
        )
    return read_csv(data, limits)


def check_rows(
    rows: list[ListRow], groups: dict[str, str], roles: dict[str, str], group_roles: set[str]
) -> list[CheckedRow]:
    """Each row checked on its own: a reason for every row that cannot be used.

    ``groups`` maps every lower-cased name of a regional group (code, prefix, name) to its
    code; ``roles`` maps the words for a role to its name; ``group_roles`` are the roles that
    need a group. The second row with an e-mail address already seen is refused as a duplicate.
    """
    from email.utils import parseaddr

    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        c = row.cells
        name, raw_email = c.get("name", ""), c.get("email", "")
        group_word, role_word = c.get("group", ""), c.get("role", "")
        email = raw_email.lower()
        role = roles.get(" ".join(role_word.split()).lower(), "")
        group = groups.get(" ".join(group_word.split()).lower(), "") if group_word else ""
        reason = row.problem
        if not reason and not name:
            reason = gettext_noop("no name")
        if not reason and (not _EMAIL.fullmatch(email) or parseaddr(email)[1] != email):
            reason = (
                gettext_noop("bad e-mail address “%(address)s”", address=raw_email)
                if raw_email
                else gettext_noop("no e-mail address")
            )
        if not reason and email in seen:
            reason = gettext_noop("duplicate: the same e-mail address as row %(row)s", row=seen[email])
        if not reason and not role:
            reason = (
                gettext_noop(
                    "unknown role “%(role)s” (delegate, coordinator, secretariat or observer)", role=role_word
                )
                if role_word
                else gettext_noop("no role")
            )
        if not reason and group_word and not group:
            reason = gettext_noop("unknown regional group “%(group)s”", group=group_word)
        if not reason and role in group_roles and not group:
            reason = gettext_noop("a delegate or coordinator needs a regional group")
        if not reason:
            seen[email] = row.number
        checked.append(
            CheckedRow(
                number=row.number,
                name=name[:150],
                email=email if not reason else raw_email,
                administration=c.get("administration", "")[:200],
                group=group,
                role=role,
                refused=reason,
                cells=dict(c),
            )
        )
    return checked


# The address forms a list may hold: one @, a dotted domain, nothing a mail server refuses.
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+"
)
