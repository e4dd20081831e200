"""Paper: the edition, the proposal editor, the consolidated draft and the synoptic view printed to PDF
by Chromium (as a person's Print does), read back with poppler-utils: no control of the screen on
paper, the document's name on every page and the page numbers, landscape where the page is wide,
and revision marks that read in black and white."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.contrib.auth.models import User

from drafting.demo.load import load_demo
from drafting.models import Consolidation, Proposal
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words of the screen's controls and menus, none of which may be printed.
CONTROLS = [
    "Log out",
    "API tokens",
    "Library",
    "Save the decision",
    "Keyboard shortcuts",
    "Export to Word",
    "Settle several rows",
    "Go to the changes",
    "Find and replace",
    "Preview",
    "History & comments",
    "Skip to content",
    "OpenAPI schema",
    "Tracked changes",
    "Settle",
    "Show",
]


@pytest.fixture
def demo():
    load_demo()
    for name in ("secretariat", "rcc-delegate"):
        user = User.objects.get(username=name)
        user.set_password("pw")
        user.save()
    return Consolidation.objects.get(resolution__number="75")


def printed(page, tmp_path, name: str) -> tuple[int, str, str]:
    """(pages, text, page size) of the page printed to PDF as Print does (A4 unless the page says)."""
    path = tmp_path / f"{name}.pdf"
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    width, height = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M).groups())
    # A4 is 595 x 842 points (Chromium rounds to its own units).
    size = "portrait" if abs(width - 595) < 2 and abs(height - 842) < 2 else ""
    size = size or ("landscape" if abs(width - 842) < 2 and abs(height - 595) < 2 else f"{width} x {height}")
    return pages, text.stdout, size


def assert_on_paper(text: str, pages: int, name: str) -> None:
    for control in CONTROLS:
        assert not re.search(rf"\b{re.escape(control)}\b", text), f"{control!r} printed"
    assert text.count(name) == pages, "the document's name heads every page"
    for n in range(1, pages + 1):
        assert re.search(rf"\b{n}\s*/\s*{pages}\b", text), f"page {n} of {pages} is numbered"


def marks_in_black_and_white(page) -> None:
    """On paper a deletion is struck through and an insertion underlined, both in black."""
    page.emulate_media(media="print")
    styles = page.evaluate(
        """() => ['del', 'ins'].map(tag => {
            const el = document.querySelector('main ' + tag);
            const style = el && getComputedStyle(el);
            return style && [style.textDecorationLine, style.color];
        })"""
    )
    page.emulate_media(media="null")  # back to what the page would have: print when printed
    assert styles[0] == ["line-through", "rgb(0, 0, 0)"]
    assert styles[1] == ["underline", "rgb(0, 0, 0)"]


def test_the_four_pages_print_as_documents(page, new_page, live_server, demo, tmp_path):
    log_in(page, live_server, "secretariat", land=False)
    portrait, landscape = "portrait", "landscape"

    page.goto(f"{live_server.url}/resolutions/wtsa/75/hammamet-2016/")
    pages, text, size = printed(page, tmp_path, "edition")
    assert_on_paper(text, pages, "WTSA Resolution 75 (Rev. Hammamet, 2016)")
    assert size == portrait and pages <= 7  # 9 before the print stylesheet
    assert "the WSIS Vision beyond 2015" in " ".join(text.split())

    page.goto(f"{live_server.url}/consolidations/{demo.pk}/draft/")
    pages, text, size = printed(page, tmp_path, "draft")
    assert_on_paper(text, pages, "Draft revision of WTSA Resolution 75 for WTSA-24")
    assert size == portrait and pages <= 9  # 9
    marks_in_black_and_white(page)

    page.goto(f"{live_server.url}/consolidations/{demo.pk}/")
    pages, text, size = printed(page, tmp_path, "synoptic")
    assert_on_paper(text, pages, "Compilation of proposals: WTSA Resolution 75 at WTSA-24")
    assert size == landscape and pages <= 14  # 24 portrait pages before
    assert "ATU" in text and "CITEL" in text and "Decision" in text
    marks_in_black_and_white(page)

    page = new_page()
    log_in(page, live_server, "rcc-delegate", land=False)
    proposal = Proposal.objects.get(contribution__group__code="RCC")
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    pages, text, size = printed(page, tmp_path, "editor")
    assert_on_paper(text, pages, f"{proposal.label} · WTDC Resolution 30")
    assert size == portrait and pages <= 9  # 10
    marks_in_black_and_white(page)
