"""The secretariat consolidates Res. 75 from ATU's and CITEL's proposals in Chromium, and adopts it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from drafting.models import Clause, Consolidation, Decision
from tests.browser.conftest import log_in, open_settle_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(committed_demo):
    officer = User.objects.get(username="secretariat")
    officer.set_password("pw")
    officer.save()
    return Consolidation.objects.get(resolution__number="75")


def row(page, consolidation, anchor):
    key = Clause.objects.get(edition=consolidation.base_edition, anchor=anchor).provision.key
    return page.locator(f"#k-{key}")


def settle(page, target, choice: str, text: str = "") -> None:
    open_settle_form(target)
    target.locator(f"input[name=choice][value='{choice}']").check()
    if text:
        target.locator("textarea[name=text]").fill(text)
    # Settled in place (htmx) or by a full page: either way, wait for the answer and what it shows.
    with page.expect_response(lambda r: "/settle/" in r.url):
        target.get_by_role("button", name="Save the decision").click()
    page.wait_for_load_state()


def consolidation_pk(page) -> str:
    return page.url.rstrip("/").split("/consolidations/")[1].split("/")[0]


def test_filter_settle_each_way_adopt_and_compare(page, live_server, demo, screenshot):
    consolidation = demo
    log_in(page, live_server, "secretariat")
    page.get_by_role("link", name="Consolidation", exact=True).click()
    page.get_by_role("link", name="Open the synoptic view").click()
    expect(page.locator(".cons-bar")).to_contain_text("1 conflict")

    page.select_option("#filter", "conflicts")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".syn-row")).to_have_count(1)
    conflict = page.locator(".syn-row").first
    expect(conflict).to_contain_text("MOD ATU/35A18/1")
    expect(conflict).to_contain_text("MOD IAP/36A3/1")
    expect(conflict.locator(".result")).to_contain_text("[")
    screenshot(page, "consolidation-conflicts")
    settle(page, conflict, "group:CITEL")
    expect(page.locator(".messages")).to_contain_text("Settled.")

    page.goto(f"{live_server.url}/consolidations/{consolidation.pk}/?filter=all")
    settle(
        page,
        row(page, consolidation, "instructs-the-director-of-the-telecommunication-standardizat-1"),
        "merged",
    )
    settle(page, row(page, consolidation, "considering"), "base")
    settle(
        page,
        row(page, consolidation, "considering-c"),
        "manual",
        "UNGA Resolution A/70/125, on the outcome of the WSIS review;",
    )
    settle(page, row(page, consolidation, "resolves-2"), "open")
    assert sorted(Decision.objects.values_list("choice", flat=True)) == [
        "base",
        "group",
        "manual",
        "merged",
        "open",
    ]
    expect(page.locator(".cons-bar")).to_contain_text("4 of 33 changed clauses settled")

    page.get_by_role("link", name="The consolidated draft").click()
    # The open clause stands in square brackets, marked as inserted.
    expect(page.locator("article ins").filter(has_text="[").first).to_be_visible()
    screenshot(page, "consolidated-draft")
    # Adopting goes through a confirmation page: what would be adopted, and what is still open.
    page.get_by_role("link", name="Adopt as Rev. New Delhi, 2024…").click()
    expect(page.locator("h1")).to_contain_text("as Rev. New Delhi, 2024?")
    expect(page.locator(".adopt-summary")).to_contain_text("clauses still open")
    expect(page.locator("article ins").filter(has_text="[")).to_have_count(0)
    screenshot(page, "adoption-confirmation")
    # With clauses open, the browser will not submit until the officer says they keep the base text.
    page.get_by_role("button", name="Adopt as Rev. New Delhi, 2024").click()
    expect(page).to_have_url(f"{live_server.url}/consolidations/{consolidation_pk(page)}/adoption/")
    page.get_by_label("still open: they keep the base text").check()
    page.get_by_role("button", name="Adopt as Rev. New Delhi, 2024").click()
    page.wait_for_url(f"{live_server.url}/resolutions/wtsa/75/new-delhi-2024/")
    expect(page.locator(".res-head")).to_contain_text("RESOLUTION 75 (Rev. New Delhi, 2024)")
    expect(page.locator(".res-head")).to_contain_text("Hammamet, 2016; New Delhi, 2024)")
    expect(page.locator("article")).to_contain_text(
        "UNGA Resolution A/70/125, on the outcome of the WSIS review;"
    )

    page.get_by_role("link", name="Compare with Rev. Hammamet, 2016").click()
    expect(page.locator(".counts")).to_contain_text("changed")
    expect(page.locator("article.compare ins").first).to_be_visible()
    screenshot(page, "adopted-compare")

    # The groups see what became of each change, on their proposal's page.
    atu = demo.resolution.proposals.get(contribution__group__code="ATU")
    page.goto(f"{live_server.url}{atu.get_absolute_url()}")
    expect(page.locator(".outcome-box h2")).to_contain_text("partly adopted")
    expect(page.locator(".outcome-box h2")).to_contain_text("changes taken")
    expect(page.locator(".outcome-box .fates")).to_contain_text("not taken")
    expect(page.locator(".outcome-box .fates")).to_contain_text("Left open at adoption")
    screenshot(page, "proposal-outcome")
