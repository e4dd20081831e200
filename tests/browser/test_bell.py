"""The bell: its count follows the person's live channel, and it leads to the notifications."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from drafting.models.people import COORDINATORS, DELEGATES
from drafting.services.contributions import submit_contribution
from tests.browser.conftest import ARTIFACTS, log_in
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# At a phone's width, where a layout breaks first (the laptop's was looked at when these pages were built).
@pytest.mark.parametrize("width", [390])
def test_the_bell_rings_when_the_coordinator_submits_and_leads_to_the_notification(
    new_page, live_server, settings, width
):
    settings.NOTIFY_POLL_MS = 300
    atu = group("ATU")
    contribution = mod_proposal(base_edition(), atu).contribution
    person("amina", DELEGATES, atu)
    chen = person("chen", COORDINATORS, atu)
    page = new_page(width)
    log_in(page, live_server, "amina")
    bell = page.locator("#bell")
    expect(bell).to_have_attribute("aria-label", "Notifications")
    expect(bell).to_have_attribute("data-live-listening", "1")
    submit_contribution(chen, contribution)
    # The poll of the person's channel brings the new count: no reload.
    expect(bell.locator(".count")).to_have_text("1")
    expect(bell).to_have_attribute("aria-label", "Notifications: 1 unread")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"bell-{width}.png"))
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.locator("ol.notifications li.unread")).to_contain_text("was submitted to WTSA-24 by chen")
    page.screenshot(path=str(ARTIFACTS / f"notifications-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("ol.notifications li a.title").first.click()
    page.wait_for_url(f"{live_server.url}{contribution.get_absolute_url()}")
    expect(page.locator("#bell .count")).to_be_hidden()
