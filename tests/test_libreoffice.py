"""Every export opened by LibreOffice: converted to PDF (its text read back with pdftotext) and to flat ODF,
where LibreOffice lists the tracked changes it understood, with their author and date.

All the Word files are converted in two soffice runs (PDF, then .fodt) with a private profile. Page 1 of
each PDF (and page 2 of a contribution, where its proposal begins) is kept as a PNG in
test-artifacts/word/ for people to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from lxml import etree

from drafting.engine.parse import parse_resolution
from drafting.models import Clause, Consolidation, Contribution, Edition
from drafting.services.exports import SECRETARIAT_AUTHOR, render_now

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "word"
NS = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}
TEXT, STYLE, FO = (f"{{{NS[prefix]}}}" for prefix in ("text", "style", "fo"))
SOFFICE_TIMEOUT = 120

# name of the file in the artefacts -> (kind of export, tracked)
EXPORTS = {
    "contribution-tracked": ("contribution", True),
    "contribution-plain": ("contribution", False),
    "compilation": ("compilation", False),
    "compilation-tracked": ("compilation", True),
    "consolidated": ("consolidated", True),
    "edition": ("edition", True),
}


def require(program: str, package: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.fail(
            f"{program} is missing: install Debian's {package} (apt-get install {package}); never skip these tests."
        )
    return path


# --- reading what LibreOffice wrote ------------------------------------------------------------------


def flat(text: str) -> str:
    """Whitespace (non-breaking spaces, line ends) collapsed, non-breaking hyphens as hyphens."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u2011", "-")).strip()


@dataclass
class Change:
    kind: str  # insertion, deletion, format-change
    creator: str
    date: str
    text: str = ""


@dataclass
class Odf:
    """A .fodt read back: its tracked changes with their text, and the text under underline or strike."""

    changes: dict[str, Change] = field(default_factory=dict)
    underlined: str = ""
    struck: str = ""
    body: str = ""

    def text_of(self, kind: str) -> str:
        return flat(" ".join(c.text for c in self.changes.values() if c.kind == kind))


def _text_styles(tree) -> dict[str, tuple[bool | None, bool | None]]:
    """Style name -> (underline, strike) as its text properties set them (None: not set)."""
    styles = {}
    for style in tree.iter(STYLE + "style"):
        props = style.find("style:text-properties", NS)
        if props is None:
            continue
        under = props.get(STYLE + "text-underline-style")
        strike = props.get(STYLE + "text-line-through-style")
        styles[style.get(STYLE + "name")] = (
            None if under is None else under != "none",
            None if strike is None else strike != "none",
        )
    return styles


def read_fodt(path: Path) -> Odf:
    tree = etree.parse(str(path))
    odf = Odf()
    for region in tree.iterfind(".//text:tracked-changes/text:changed-region", NS):
        change = next(iter(region))
        info = change.find("office:change-info", NS)
        odf.changes[region.get(TEXT + "id")] = Change(
            kind=etree.QName(change).localname,
            creator=info.findtext("dc:creator", namespaces=NS) or "",
            date=info.findtext("dc:date", namespaces=NS) or "",
            # ODF keeps deleted text in the region; LibreOffice 7 keeps it inline too (read below).
            text=" ".join("".join(p.itertext()) for p in change.iterfind("text:p", NS)),
        )
    styles = _text_styles(tree)
    body = tree.find(".//office:body/office:text", NS)
    pieces: list[tuple[str, bool, bool, frozenset[str]]] = []
    stack: list[tuple[bool, bool]] = [(False, False)]
    open_changes: set[str] = set()
    skipping = 0
    for event, el in etree.iterwalk(body, events=("start", "end")):
        name = el.tag
        if name == TEXT + "tracked-changes":
            skipping += 1 if event == "start" else -1
            continue
        if skipping or not isinstance(name, str):
            continue
        if event == "start":
            under, strike = stack[-1]
            own = styles.get(el.get(TEXT + "style-name"), (None, None))
            stack.append((under if own[0] is None else own[0], strike if own[1] is None else own[1]))
            if name == TEXT + "change-start":
                open_changes.add(el.get(TEXT + "change-id"))
            elif name == TEXT + "change-end":
                open_changes.discard(el.get(TEXT + "change-id"))
            elif name == TEXT + "s":
                pieces.append((" " * int(el.get(TEXT + "c", "1")), *stack[-1], frozenset(open_changes)))
            elif name in (TEXT + "tab", TEXT + "line-break"):
                pieces.append((" ", *stack[-1], frozenset(open_changes)))
            if el.text:
                pieces.append((el.text, *stack[-1], frozenset(open_changes)))
        else:
            stack.pop()
            if name in (TEXT + "p", TEXT + "h"):
                pieces.append(("\n", False, False, frozenset()))
            if el.tail:
                pieces.append((el.tail, *stack[-1], frozenset(open_changes)))
    odf.body = "".join(p[0] for p in pieces)
    odf.underlined = flat(" ".join(p[0] for p in pieces if p[1]))
    odf.struck = flat(" ".join(p[0] for p in pieces if p[2]))
    for change_id, change in odf.changes.items():
        inline = "".join(p[0] for p in pieces if change_id in p[3])
        change.text = f"{change.text} {inline}".strip()
    return odf


@dataclass
class Converted:
    pdf: Path
    fodt: Path
    png: Path
    text: str  # pdftotext, whitespace collapsed
    layout: str  # pdftotext -layout: table rows read across, as printed
    pages: int


@pytest.fixture(scope="module")
def converted(demo_db, django_db_blocker, tmp_path_factory):
    """Every export as LibreOffice sees it: name -> PDF, flat ODF, page-1 PNG, the PDF's text."""
    soffice = require("soffice", "libreoffice-writer-nogui")
    pdftotext = require("pdftotext", "poppler-utils")
    pdftoppm = require("pdftoppm", "poppler-utils")
    pdfinfo = require("pdfinfo", "poppler-utils")
    work = tmp_path_factory.mktemp("libreoffice")
    files, out = work / "files", work / "out"
    files.mkdir()
    with django_db_blocker.unblock():
        officer = User.objects.get(username="secretariat")
        consolidation = Consolidation.objects.get(resolution__number="75")
        targets = {
            "contribution": Contribution.objects.get(group__code="ATU", conference__code="WTSA-24"),
            "compilation": consolidation,
            "consolidated": consolidation,
            "edition": Edition.objects.get(resolution__body__code="WTSA", resolution__number="75"),
        }
        for name, (kind, tracked) in EXPORTS.items():
            filename, data = render_now(officer, kind, targets[kind], tracked=tracked)
            assert filename.endswith(".docx"), filename
            (files / f"{name}.docx").write_bytes(data)
    documents = sorted(str(p) for p in files.glob("*.docx"))
    profile = (work / "profile").as_uri()
    for target in ("pdf", "fodt"):
        run = subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
            + ["--convert-to", target, "--outdir", str(out), *documents],
            capture_output=True,
            text=True,
            timeout=SOFFICE_TIMEOUT,
        )
        assert run.returncode == 0, run.stderr
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    result = {}
    for name in EXPORTS:
        pdf, fodt = out / f"{name}.pdf", out / f"{name}.fodt"
        assert pdf.exists() and fodt.exists(), f"LibreOffice did not convert {name}.docx"
        png = ARTIFACTS / f"{name}.png"
        # Page 1; a contribution's proposals begin on page 2, so that page is kept too.
        for page in (1, 2) if name.startswith("contribution") else (1,):
            picture = png if page == 1 else ARTIFACTS / f"{name}-page{page}.png"
            subprocess.run(
                [pdftoppm, "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile"]
                + [str(pdf), str(picture.with_suffix(""))],
                check=True,
                timeout=60,
            )
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
        text, layout = (
            subprocess.run(
                [pdftotext, *mode, str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            for mode in ([], ["-layout"])
        )
        result[name] = Converted(
            pdf=pdf,
            fodt=fodt,
            png=png,
            text=flat(text),
            layout=layout,
            pages=int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)),
        )
    return result


@pytest.fixture
def atu(demo_db):
    return Contribution.objects.get(group__code="ATU", conference__code="WTSA-24")


def base_text(anchor: str) -> str:
    edition = Edition.objects.get(resolution__body__code="WTSA", resolution__number="75")
    return flat(Clause.objects.get(edition=edition, anchor=anchor).text)


# --- the tests --------------------------------------------------------------------------------------


@pytest.mark.one_database  # LibreOffice reads the same file from either database
def test_every_export_opens_as_a_pdf_with_pages_and_a_picture(converted):
    for name, doc in converted.items():
        assert doc.pages >= 1, name
        assert doc.png.exists() and doc.png.stat().st_size > 1000, name
        assert "RESOLUTION 75" in doc.text or "Resolution 75" in doc.text, name
    assert (ARTIFACTS / "contribution-tracked-page2.png").exists()


@pytest.mark.one_database  # LibreOffice reads the same file from either database
def test_the_tracked_contribution_reads_as_itu_document_with_the_groups_changes(converted, atu):
    doc = converted["contribution-tracked"]
    for phrase in (
        "Addendum 18 to Document 35-E",
        "Original: English",
        "African Telecommunications Union (ATU)",
        "MOD ATU/35A18/1",
        "RESOLUTION 75 (Rev. Hammamet, 2016New Delhi, 2024)",  # both shown, as Word shows the marks
        "Reasons:",
        "To align Resolution 75 with PP Resolution 140",
    ):
        assert phrase in doc.text, phrase
    odf = read_fodt(doc.fodt)
    kinds = {c.kind for c in odf.changes.values()}
    assert {"insertion", "deletion"} <= kinds, kinds
    assert {c.creator for c in odf.changes.values()} == {"ATU"}
    assert {c.date[:10] for c in odf.changes.values()} == {atu.submitted_at.strftime("%Y-%m-%d")}
    deleted, inserted = odf.text_of("deletion"), odf.text_of("insertion")
    # The revision line, the renamed part heading, the suppressed item, added and rewritten items.
    assert "Hammamet, 2016" in deleted and "New Delhi, 2024" in inserted
    assert "considering" in deleted and "recalling" in inserted
    assert base_text("recognizing-further-b") in deleted
    assert "UNGA Resolution A/78/L.49 on Seizing the opportunities" in inserted
    assert "Resolution 70 (Rev. Bucharest, 2022) on mainstreaming a gender perspective" in inserted
    assert "Bucharest, 2022" not in deleted and "Hammamet, 2016" not in inserted


@pytest.mark.one_database  # LibreOffice reads the same file from either database
def test_the_plain_contribution_has_underline_and_strike_and_no_tracked_change(converted):
    doc = converted["contribution-plain"]
    assert "MOD ATU/35A18/1" in doc.text and "Reasons:" in doc.text
    odf = read_fodt(doc.fodt)
    assert odf.changes == {}
    assert "New Delhi, 2024" in odf.underlined and "recalling" in odf.underlined
    assert "UNGA Resolution A/78/L.49 on Seizing the opportunities" in odf.underlined
    assert "Hammamet, 2016" in odf.struck and "considering" in odf.struck
    assert base_text("recognizing-further-b") in odf.struck
    # Unchanged text carries neither mark.
    assert base_text("considering-a") not in odf.underlined + odf.struck
    assert base_text("considering-a") in flat(odf.body)


HEADER_ROW = re.compile(r"^\f? *Clause +Base text +ATU +CITEL +Decision *$", re.M)


@pytest.mark.one_database  # LibreOffice reads the same file from either database
def test_the_compilation_is_a_table_with_a_column_per_group(converted):
    doc = converted["compilation"]
    for phrase in ("Compilation of proposals: WTSA Resolution 75", "MOD ATU/35A18/1", "MOD IAP/36A3/1"):
        assert phrase in doc.text, phrase
    # The header row, read across, repeated at the top of every page.
    assert doc.pages > 1 and len(HEADER_ROW.findall(doc.layout)) == doc.pages
    odf = read_fodt(doc.fodt)
    assert odf.changes == {}
    assert "recalling" in odf.underlined and "considering" in odf.struck


@pytest.mark.one_database  # LibreOffice reads the same file from either database
def test_the_tracked_compilation_gives_each_groups_marks_with_the_group_as_author(converted):
    doc = converted["compilation-tracked"]
    assert len(HEADER_ROW.findall(doc.layout)) == doc.pages
    odf = read_fodt(doc.fodt)
    marks = [c for c in odf.changes.values() if c.kind in ("insertion", "deletion")]
    assert {c.creator for c in marks} == {"ATU", "CITEL"}
    by = {group: flat(" ".join(c.text for c in marks if c.creator == group)) for group in ("ATU", "CITEL")}
    assert "recalling" in by["ATU"] and "Outcome Document" in by["CITEL"]


@pytest.mark.one_database  # LibreOffice reads the same file from either database
def test_the_tracked_compilation_holds_no_change_but_the_groups(converted):
    odf = read_fodt(converted["compilation-tracked"].fodt)
    assert {c.kind for c in odf.changes.values()} == {"insertion", "deletion"}


@pytest.mark.one_database  # LibreOffice reads the same file from either database
def test_the_consolidated_draft_is_tracked_by_the_secretariat_with_open_text_in_brackets(converted):
    doc = converted["consolidated"]
    assert "RESOLUTION 75" in doc.text and "DRAFT REVISION OF RESOLUTION 75" in doc.text
    assert "text not yet settled stands in [square brackets]" in " ".join(doc.text.split())
    assert doc.text.count("[") > 5
    odf = read_fodt(doc.fodt)
    kinds = {c.kind for c in odf.changes.values()}
    assert {"insertion", "deletion"} <= kinds, kinds
    assert {c.creator for c in odf.changes.values()} == {SECRETARIAT_AUTHOR}
    assert "recalling" in odf.text_of("insertion")


@pytest.mark.one_database  # LibreOffice reads the same file from either database
def test_the_edition_is_the_clean_text(converted):
    doc = converted["edition"]
    assert "RESOLUTION 75 (Rev. Hammamet, 2016)" in doc.text
    for phrase in ("considering", "resolves", base_text("considering-a"), base_text("recognizing-further-b")):
        assert phrase in doc.text, phrase
    odf = read_fodt(doc.fodt)
    assert odf.changes == {} and odf.underlined == "" and odf.struck == ""


@pytest.mark.one_database  # LibreOffice reads the same file from either database
def test_the_document_number_is_bold_in_the_header_block(converted):
    tree = etree.parse(str(converted["contribution-tracked"].fodt))
    bold = {
        s.get(STYLE + "name")
        for s in tree.iter(STYLE + "style")
        if s.find("style:text-properties", NS) is not None
        and s.find("style:text-properties", NS).get(FO + "font-weight") == "bold"
    }
    # The paragraph holding the number, or the span inside it, carries the weight.
    holders = [
        el.get(TEXT + "style-name")
        for el in tree.iter(TEXT + "span", TEXT + "p")
        if flat("".join(el.itertext())) == "Addendum 18 to Document 35-E"
    ]
    assert holders and set(holders) & bold, holders


def test_the_edition_as_plain_text_is_the_resolution(demo_db):
    edition = Edition.objects.get(resolution__body__code="WTSA", resolution__number="75")
    filename, data = render_now(
        User.objects.get(username="secretariat"), "edition", edition, file_format="txt"
    )
    assert filename.endswith(".txt")
    text = data.decode("utf-8")
    assert not data.startswith(b"PK")
    assert flat(text).startswith("RESOLUTION 75 (Rev. Hammamet, 2016)")
    assert base_text("recognizing-further-b") in flat(text)
    assert sum(1 for _ in parse_resolution(text).walk()) == edition.clause_count
