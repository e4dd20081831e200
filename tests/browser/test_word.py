"""Word in Chromium: delegates and the secretariat export .docx files with progress cards, delegates import one."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from drafting.demo.load import DEMO_PASSWORD
from drafting.models import Consolidation, Contribution, Edition, Export, Proposal, ProposalUpload
from drafting.services.contributions import create_contribution
from drafting.services.exports import render_now
from drafting.services.word import preview_docx_proposal
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
DOWNLOAD = re.compile(r"^Download ")


@pytest.fixture
def demo(committed_demo):
    """The demo data, committed."""


@pytest.fixture
def laptop(page):
    page.set_viewport_size(LAPTOP)
    return page


def enter(page, live_server, username: str, **how) -> None:
    log_in(page, live_server, username, DEMO_PASSWORD, **how)


def tab_to(page, target, presses: int = 12) -> None:
    """Press Tab until ``target`` has the focus, as someone with a keyboard would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reached with Tab within {presses} presses")


def download(page, link) -> tuple[str, Path]:
    with page.expect_download() as info:
        link.click()
    return info.value.suggested_filename, Path(info.value.path())


def tracked_changes(path: Path) -> int:
    return len(docx.Document(str(path)).element.body.xpath(".//w:ins"))


def test_a_delegate_exports_the_contribution_with_the_mouse_and_the_keyboard(
    laptop, live_server, demo, screenshot
):
    page = laptop
    contribution = Contribution.objects.get(group__code="ATU", addendum=18)
    enter(page, live_server, "atu-delegate", land=False)
    page.goto(f"{live_server.url}{contribution.get_absolute_url()}")

    cards = page.locator(f"#exports-contribution-{contribution.pk} .export-card")
    page.get_by_role("button", name="Word document (.docx, tracked changes)").click()
    expect(cards).to_have_count(1)
    card = cards.first
    expect(card).to_contain_text("tracked changes")
    link = card.get_by_role("link", name=DOWNLOAD)
    expect(link).to_be_visible()
    name, path = download(page, link)
    assert name == "ATU-35A18.docx"
    assert tracked_changes(path) > 0, "the tracked export has w:ins elements"
    screenshot(page, "word-contribution-export")

    # The same with the keyboard: Tab to the plain export, Enter, then Tab to its download and Enter.
    page.get_by_role("link", name="Contributions", exact=True).last.focus()
    plain = page.get_by_role("button", name="Word document (.docx, underline and strikethrough)")
    tab_to(page, plain)
    page.keyboard.press("Enter")
    expect(cards).to_have_count(2)
    newest = cards.first  # the newest card comes first
    expect(newest).to_contain_text("underline and strikethrough")
    plain_link = newest.get_by_role("link", name=DOWNLOAD)
    expect(plain_link).to_be_visible()
    tab_to(page, plain_link, presses=3)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "ATU-35A18-plain.docx"
    assert tracked_changes(Path(info.value.path())) == 0, "the plain export has no tracked change"
    assert Export.objects.filter(requested_by__username="atu-delegate", status=Export.DONE).count() == 2


def test_without_javascript_the_export_has_a_page_of_its_own(browser, live_server, demo):
    contribution = Contribution.objects.get(group__code="ATU", addendum=18)
    context = browser.new_context(viewport=LAPTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        enter(page, live_server, "atu-delegate", land=False)
        page.goto(f"{live_server.url}{contribution.get_absolute_url()}")
        page.get_by_role("button", name="Word document (.docx, tracked changes)").click()
        export = Export.objects.get(requested_by__username="atu-delegate")
        page.wait_for_url(f"{live_server.url}/exports/{export.pk}/")
        card = page.locator(f"#export-{export.pk}")
        expect(card).to_contain_text(str(contribution))
        name, path = download(page, card.get_by_role("link", name="Download ATU-35A18.docx"))
        assert name == "ATU-35A18.docx" and tracked_changes(path) > 0
    finally:
        context.close()


def test_the_secretariat_exports_the_compilation_and_the_consolidated_draft(
    laptop, live_server, demo, screenshot
):
    page = laptop
    consolidation = Consolidation.objects.get(resolution__number="75")
    enter(page, live_server, "secretariat", land=False)
    page.goto(f"{live_server.url}{consolidation.get_absolute_url()}")

    exports = page.locator("details.exports")
    expect(exports.get_by_role("button", name="Compilation table (.docx, tracked changes)")).to_be_hidden()
    exports.locator("summary", has_text="Export to Word").click()
    exports.get_by_role("button", name="Compilation table (.docx, tracked changes)").click()
    exports.get_by_role("button", name="Consolidated draft (.docx, tracked changes)").click()
    compilation = page.locator(f"#exports-compilation-{consolidation.pk} .export-card")
    draft = page.locator(f"#exports-consolidated-{consolidation.pk} .export-card")
    expect(compilation).to_contain_text("Compilation table")
    expect(draft).to_contain_text("Consolidated draft")
    expect(compilation.get_by_role("link", name=DOWNLOAD)).to_be_visible()
    expect(draft.get_by_role("link", name=DOWNLOAD)).to_be_visible()
    screenshot(page, "word-consolidation-exports")
    name, path = download(page, draft.get_by_role("link", name=DOWNLOAD))
    assert name.startswith("draft-") and name.endswith(".docx"), name
    assert tracked_changes(path) > 0

    page.get_by_role("link", name="Exports", exact=True).click()
    page.wait_for_url(f"{live_server.url}/exports/")
    listed = page.locator(".export-card")
    expect(listed).to_have_count(2)
    expect(listed.nth(0)).to_contain_text("Consolidated draft")
    expect(listed.nth(1)).to_contain_text("Compilation table")
    for i in range(2):
        expect(listed.nth(i).get_by_role("link", name=DOWNLOAD)).to_be_visible()
    screenshot(page, "word-export-list")


@pytest.fixture
def atu_draft(demo, tmp_path):
    """A fresh ATU draft at WTSA-24, and ATU's submitted contribution on Res. 75 as a .docx to import into it."""
    delegate = User.objects.get(username="atu-delegate")
    submitted = Contribution.objects.get(group__code="ATU", addendum=18)
    draft = create_contribution(
        delegate,
        conference=submitted.conference,
        group=submitted.group,
        document_number="35",
        addendum=40,
        title="Proposed modifications to Resolution 75, from Word",
    )
    filename, data = render_now(delegate, "contribution", submitted, tracked=True)
    path = tmp_path / filename
    path.write_bytes(data)
    edition = Edition.objects.get(resolution__body__code="WTSA", resolution__number="75")
    return draft, path, edition


def read_and_preview(page, path: Path, edition: Edition) -> None:
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_edition", str(edition.pk))
    page.get_by_role("button", name="Read and preview").click()


def test_a_delegate_imports_a_proposal_from_word(laptop, live_server, atu_draft, tmp_path, screenshot):
    page = laptop
    draft, path, edition = atu_draft
    expected = preview_docx_proposal(path.name, path.read_bytes(), edition)
    proposals = Proposal.objects.count()
    enter(page, live_server, "atu-delegate", land=False)
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    page.get_by_role("link", name="Import a proposal from Word").click()
    page.wait_for_url(f"{live_server.url}/contributions/{draft.pk}/import/")

    # Not a .docx: the reason is shown on the page, and nothing is kept.
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% not a Word document\n")
    read_and_preview(page, pdf, edition)
    expect(page.get_by_role("alert")).to_contain_text("minutes.pdf is not a .docx file")
    expect(page.locator("section.preview")).to_have_count(0)
    assert not ProposalUpload.objects.exists()
    assert Proposal.objects.count() == proposals
    screenshot(page, "word-import-error")

    # A document read, then dropped: back to the contribution, nothing kept.
    read_and_preview(page, path, edition)
    page.get_by_role("button", name="Drop this document").click()
    page.wait_for_url(f"{live_server.url}{draft.get_absolute_url()}")
    expect(page.locator(".messages")).to_contain_text("nothing was imported")
    assert not ProposalUpload.objects.exists()

    page.get_by_role("link", name="Import a proposal from Word").click()
    read_and_preview(page, path, edition)
    preview = page.locator("section.preview")
    expect(preview.get_by_role("heading", level=2)).to_contain_text(f"MOD {expected.label}")
    modified = expected.counts["modify"]
    counts = (
        f"{modified} clause{'s' if modified != 1 else ''} modified, "
        f"{expected.counts['add']} added, {expected.counts['suppress']} suppressed."
    )
    expect(preview.get_by_role("status")).to_contain_text(counts)
    expect(preview.locator("article ins").first).to_be_visible()
    expect(preview.locator("article del").first).to_be_visible()
    # Each change is read under its part, even when the part itself is unchanged.
    expect(preview.locator(".part-heading.context", has_text="considering further")).to_have_count(1)
    # The long preview keeps the import at hand.
    confirm = page.get_by_role("button", name=f"Import as a proposal of {draft}")
    expect(confirm).to_be_in_viewport()
    assert ProposalUpload.objects.filter(contribution=draft).count() == 1
    assert Proposal.objects.count() == proposals, "the preview saves no proposal"
    screenshot(page, "word-import-preview")

    confirm.click()
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get(contribution=draft)
    assert page.url == f"{live_server.url}{proposal.get_absolute_url()}"
    expect(page.locator(".messages")).to_contain_text(
        f"Imported {proposal.label} with {len(expected.amendments)} changes."
    )
    assert proposal.amendments.count() == len(expected.amendments)
    assert not ProposalUpload.objects.exists()
