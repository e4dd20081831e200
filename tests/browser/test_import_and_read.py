"""The secretariat imports a seed through the upload page and reads the edition, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from drafting.models import Edition
from tests.browser.conftest import log_in
from tests.conftest import SEEDS
from tests.library_factories import SECRETARIAT, bodies, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer():
    bodies()
    return user("officer", SECRETARIAT)


def test_the_secretariat_imports_res75_and_reads_it(page, live_server, officer, screenshot):
    log_in(page, live_server, "officer")
    page.get_by_role("link", name="Import a text").click()
    page.set_input_files("#id_file", str(SEEDS / "wtsa-res75-rev-hammamet-2016.txt"))
    page.select_option("#id_body", "WTSA")
    page.get_by_role("button", name="Read and preview").click()

    preview = page.locator(".preview")
    expect(preview).to_contain_text("12 parts, 0 annexes, 70 clauses in all")
    expect(preview.locator(".outline")).to_contain_text("considering further")
    expect(preview.locator(".outline")).to_contain_text("ix)")
    assert page.url.endswith("/library/import/"), "the preview must not leave the page"
    screenshot(page, "import-preview")
    assert not Edition.objects.exists()

    page.get_by_role("button", name="Import this edition").click()
    page.wait_for_url(f"{live_server.url}/resolutions/wtsa/75/hammamet-2016/")
    expect(page.locator(".messages")).to_contain_text("Imported WTSA Resolution 75")
    expect(page.locator("h2#considering-further")).to_have_css("font-style", "italic")
    e = page.locator("#considering-e .label").bounding_box()
    ix = page.locator("#considering-e-ix .label").bounding_box()
    assert ix["x"] > e["x"] + 20, "a nested item is indented deeper than its parent"
    screenshot(page, "edition")

    page.locator("nav.toc").get_by_role("link", name="resolves").click()
    expect(page).to_have_url(f"{live_server.url}/resolutions/wtsa/75/hammamet-2016/#resolves")
    expect(page.locator("#resolves")).to_be_in_viewport()


def test_an_empty_file_shows_the_error_in_place(page, live_server, officer, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    log_in(page, live_server, "officer", land=False)
    page.goto(f"{live_server.url}/library/import/")
    page.set_input_files("#id_file", str(empty))
    page.get_by_role("button", name="Read and preview").click()
    expect(page.locator("#import-result .error")).to_contain_text("The submitted file is empty")
    assert page.url.endswith("/library/import/")
    assert not Edition.objects.exists()
