"""PDF beside the Word exports: the worker has LibreOffice lay the Word document out (underline and
strikethrough, as ITU publishes), read back here with poppler-utils."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from drafting.models import Consolidation, Contribution, Edition, Export
from drafting.services.exports import ExportProblem, render_now

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def pdf_text(data: bytes, tmp_path: Path) -> tuple[int, str]:
    """(pages, text) of a PDF, by pdfinfo and pdftotext."""
    path = tmp_path / "export.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)), " ".join(text.split())


@pytest.mark.one_database  # LibreOffice lays out the same file from either database
def test_every_kind_of_export_is_made_as_a_pdf_of_its_word_document(demo_db, tmp_path):
    # The contribution and the compilation here; the consolidated draft (through the worker) and the
    # edition (through the API) in the next test: each LibreOffice run costs seconds.
    officer = User.objects.get(username="secretariat")
    atu = Contribution.objects.get(group__code="ATU")
    consolidation = Consolidation.objects.get(resolution__number="75")
    cases = [
        ("contribution", atu, ["Addendum 18 to Document 35", "MOD ATU/35A18/1", "Reasons:", "CWG-WSIS&SDG"]),
        ("compilation", consolidation, ["Compilation of proposals", "ATU", "CITEL"]),
    ]
    for kind, target, words in cases:
        filename, data = render_now(officer, kind, target, file_format=Export.PDF)
        assert filename.endswith(".pdf") and "-plain" not in filename, filename
        assert data.startswith(b"%PDF"), kind
        pages, text = pdf_text(data, tmp_path)
        assert pages >= 1
        # Word's no-break hyphen comes out as a hyphen or a soft one: compared without them.
        flat = text.replace("\u2011", "-").replace("\u00ad", "")
        for word in words:
            assert word in flat, (kind, word)
        if kind == "contribution":
            # Underline and strikethrough: the deleted words and the inserted ones are both on the page.
            assert "WG-WSIS" in flat and "CWG-WSIS&SDG" in flat
            assert "Hammamet, 2016" in flat and "New Delhi, 2024" in flat


@pytest.mark.one_database  # LibreOffice lays out the same file from either database
def test_the_pages_offer_pdf_and_the_worker_builds_it(demo_db, tmp_path, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(User.objects.get(username="secretariat"))
    consolidation = Consolidation.objects.get(resolution__number="75")
    page = client.get(f"/consolidations/{consolidation.pk}/").content.decode()
    assert 'name="format" value="pdf"' in page and "Export to Word or PDF" in page
    edition_pk = Edition.objects.get(slug="hammamet-2016").pk
    edition = client.get("/resolutions/wtsa/75/hammamet-2016/").content.decode()
    # The edition page is the same for every reader (cached): a link to the export's buttons.
    assert f"/exports/new/?kind=edition&amp;target={edition_pk}&amp;format=pdf" in edition
    choice = client.get(f"/exports/new/?kind=edition&target={edition_pk}&format=pdf").content.decode()
    assert 'name="format" value="pdf"' in choice
    with django_capture_on_commit_callbacks(execute=True):  # the worker's turn, at once
        response = client.post(
            "/exports/new/",
            {"kind": "consolidated", "target": consolidation.pk, "format": "pdf"},
            follow=True,
        )
    export = Export.objects.get()
    assert response.status_code == 200 and export.status == Export.DONE and export.file_format == "pdf"
    assert not export.tracked
    download = client.get(f"/exports/{export.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].endswith('.pdf"')
    pages, text = pdf_text(download.content, tmp_path)
    assert pages >= 1
    for word in ["Consolidated draft", "New Delhi, 2024", "square brackets"]:
        assert word in text.replace("\u2011", "-").replace("\u00ad", ""), word
    api = client.get(f"/api/export/edition/{edition_pk}?format=pdf")
    assert (
        api.status_code == 200
        and api["Content-Type"] == "application/pdf"
        and api.content.startswith(b"%PDF")
    )
    pages, text = pdf_text(api.content, tmp_path)
    assert "RESOLUTION 75 (Rev. Hammamet, 2016)" in text and "resolves" in text


def test_without_libreoffice_pdf_is_not_offered_and_refused_with_a_reason(demo_db, settings):
    settings.LIBREOFFICE = ""
    officer = User.objects.get(username="secretariat")
    client = Client()
    client.force_login(officer)
    consolidation = Consolidation.objects.get(resolution__number="75")
    assert 'value="pdf"' not in client.get(f"/consolidations/{consolidation.pk}/").content.decode()
    with pytest.raises(ExportProblem, match="PDF export is not available") as refused:
        render_now(officer, "consolidated", consolidation, file_format=Export.PDF)
    assert refused.value.status == 400
    response = client.post(
        "/exports/new/", {"kind": "consolidated", "target": consolidation.pk, "format": "pdf"}
    )
    assert response.status_code == 400 and not Export.objects.exists()


def test_the_production_image_carries_libreoffice_for_the_worker():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"apt-get install[^\n]*libreoffice-writer-nogui", dockerfile)
