"""Layout at a laptop's 1366 px and a phone's 390 px: nothing cut off, every tool in reach."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from drafting.models import Consolidation, Proposal
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1366, 390]


@pytest.fixture
def demo(committed_demo):
    for user in User.objects.filter(username__in=["secretariat", "rcc-delegate"]):
        user.set_password("pw")
        user.save()
    return Consolidation.objects.get(resolution__number="75")


def assert_nothing_cut_off(page, width: int) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth")
    # Which elements stick out, so that a failure says where to look.
    wide = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)""",
        width,
    )
    assert overflow <= width, f"the page is {overflow} px wide in a {width} px window: {wide}"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_menu_wraps_and_every_page_fits(new_page, live_server, demo, width):
    page = new_page(width)
    log_in(page, live_server, "secretariat", land=False)
    for path in [
        "/",
        "/contributions/",
        "/consolidations/",
        "/exports/",
        f"/consolidations/{demo.pk}/draft/",
    ]:
        page.goto(live_server.url + path)
        expect(
            page.get_by_role("navigation", name="Main").get_by_role("link", name="API")
        ).to_be_in_viewport()
        expect(
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Exports")
        ).to_be_in_viewport()
        assert_nothing_cut_off(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_delegate_reaches_clause_tools_and_the_side_panel_by_tap(new_page, live_server, demo, width):
    proposal = Proposal.objects.get(contribution__group__code="RCC")
    page = new_page(width)
    log_in(page, live_server, "rcc-delegate", land=False)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    assert_nothing_cut_off(page, width)
    clause = page.locator(".clause:not(.suppressed)").nth(3)
    if width < 600:
        # No hover on a phone: the "⋯" button opens the tools, a tap on the text still edits.
        toggle = clause.locator(".tools-toggle")
        expect(toggle).to_be_visible()
        expect(clause.locator(".clause-tools")).to_be_hidden()
        toggle.tap()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(clause.get_by_role("button", name="Add after")).to_be_visible()
        clause.get_by_role("button", name="Add after").tap()
    else:
        clause.hover()
        clause.get_by_role("button", name="Add after").click()
    expect(clause.locator("form.add textarea")).to_be_visible()
    # The changes and find and replace are one tap away from the top, not thousands of pixels down.
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    link = page.get_by_role("link", name="Go to the changes, find and replace ↓")
    expect(link).to_be_in_viewport()
    link.click()
    expect(page.locator("#side-panel h2").first).to_be_in_viewport()
    expect(page.locator("#find")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_synoptic_column_heads_stay_and_every_cell_says_whose(new_page, live_server, demo, width):
    page = new_page(width)
    log_in(page, live_server, "secretariat", land=False)
    page.goto(f"{live_server.url}/consolidations/{demo.pk}/")
    assert_nothing_cut_off(page, width)
    head = page.locator(".syn-head")
    page.mouse.wheel(0, 3000)
    page.wait_for_function("window.scrollY > 2000")
    if width >= 600:
        # The heads stay at the top of what is left to read: right under the find bar, which stays too.
        box = head.bounding_box()
        bar = page.locator("#find-bar").bounding_box()
        top = bar["y"] + bar["height"] if bar else 0
        assert -1 <= box["y"] - top <= 5, (box, bar)
        expect(head).to_contain_text("ATU")
    # Half-way down, a cell without a change still says whose it is.
    rows = page.locator(".syn-row")
    middle = rows.nth(rows.count() // 2)
    cells = middle.locator(".syn-cell.group")
    expect(cells.nth(0)).to_contain_text("ATU")
    expect(cells.nth(1)).to_contain_text("CITEL")


def test_at_1920_px_the_parts_list_shows_whole_part_names(new_page, live_server, demo):
    page = new_page(1920)
    page.goto(f"{live_server.url}/resolutions/wtsa/75/hammamet-2016/")
    toc = page.locator("nav.toc")
    expect(toc).to_contain_text("instructs the Director of the Telecommunication Standardization Bureau")
    assert "…" not in toc.inner_text()
    assert_nothing_cut_off(page, 1920)


def test_the_editions_table_says_where_each_edition_comes_from(new_page, live_server, demo):
    from drafting.models import Edition

    Edition.objects.filter(resolution__number="75", slug="hammamet-2016").update(
        source_name="adopted at WTSA-16"
    )
    page = new_page()
    page.goto(f"{live_server.url}/resolutions/wtsa/75/")
    table = page.locator("table.editions")
    expect(table).to_contain_text("Adopted at WTSA-16,")
    expect(table).not_to_contain_text("from adopted at")
