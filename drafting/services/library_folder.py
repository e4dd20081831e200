"""Importing a whole folder of resolutions at once, one transaction per file, with a report per file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext

from drafting.engine.tree import ResolutionText
from drafting.models import Citation

from . import DomainError
from .library import ImportProblem, import_edition, parse_text, read_upload

READABLE = (".txt", ".docx")

# What the enacting formula says, to tell the body when the command is not told.
_FORMULA_BODY = [
    (re.compile(r"Plenipotentiary Conference", re.IGNORECASE), "PP"),
    (re.compile(r"World Telecommunication Standardization Assembly", re.IGNORECASE), "WTSA"),
    (re.compile(r"World Telecommunication Development Conference", re.IGNORECASE), "WTDC"),
    (re.compile(r"Radiocommunication Assembly", re.IGNORECASE), "RA"),
    (re.compile(r"^The\s+(?:ITU\s+)?Council\b", re.IGNORECASE), "Council"),
]
# "council-res1332.txt", "WTSA-Res75.docx", "pp_res_140.txt", "ra-res61.txt"
_FILE_NAME = re.compile(
    r"^(?P<body>wtsa|wtdc|pp|ra|council)[-_ ]?(?:res(?:olution)?)?[-_ ]?(?P<number>\d+(?:-\d+)?)", re.I
)
_BODY_CASE = {"wtsa": "WTSA", "wtdc": "WTDC", "pp": "PP", "ra": "RA", "council": "Council"}


@dataclass
class FileReport:
    """What became of one file: created (with what) or failed (and why)."""

    name: str
    ok: bool
    message: str
    citations: int = 0


def body_and_number(name: str, parsed: ResolutionText, body: str = "") -> tuple[str, str]:
    """The body and number of a text: as told, else from its enacting formula and number line, else its file name."""
    by_name = _FILE_NAME.match(Path(name).stem)
    if not body:
        body = next((code for pattern, code in _FORMULA_BODY if pattern.search(parsed.enacting_formula)), "")
    if not body and by_name:
        body = _BODY_CASE[by_name.group("body").lower()]
    number = parsed.number
    if not number and by_name:
        number = by_name.group("number")
    if body == "RA" and number and not number.upper().startswith("ITU-R"):
        number = f"ITU-R {number}"
    return body, number


def import_file(path: Path, *, body: str = "", user=None) -> FileReport:
    """One file into the library in one transaction; a failure saves nothing of it and says why."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return FileReport(path.name, False, f"cannot be read: {e.strerror}")
    try:
        parsed = parse_text(read_upload(path.name, data))
        code, number = body_and_number(path.name, parsed, body)
        if not code:
            raise ImportProblem(
                gettext(
                    "whose resolution this is cannot be told: give --body, or name the file like wtsa-res75.txt"
                )
            )
        summary = import_edition(parsed, body_code=code, number=number, source_name=path.name, user=user)
    except DomainError as problem:
        return FileReport(path.name, False, problem.message)
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the other 299; its transaction is rolled back
        return FileReport(path.name, False, f"could not be imported ({type(error).__name__}: {error})")
    edition = summary.edition
    count = Citation.objects.filter(edition=edition, clause__isnull=False).count()
    return FileReport(
        path.name,
        True,
        f"{edition.resolution} ({edition.name}): {summary.parts} parts, {summary.items} items, {count} citations",
        citations=count,
    )


def import_folder(folder: Path, *, body: str = "", user=None) -> list[FileReport]:
    """Every .txt and .docx file of a folder, in name order, each on its own."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in READABLE)
    return [import_file(path, body=body, user=user) for path in files]
