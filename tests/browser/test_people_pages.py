"""The people pages at a laptop's and a phone's width: the registration list's preview and a group's members."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from drafting.models import Body, Conference
from drafting.models.people import COORDINATORS, DELEGATES, SECRETARIAT
from tests.browser.conftest import ARTIFACTS, log_in
from tests.drafting_factories import group, person
from tests.test_registration_list import ROWS, csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page, width: int) -> None:
    wide = page.evaluate(
        """(w) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
                 .filter(e => { for (let a = e.parentElement; a; a = a.parentElement) {
                     if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return false; } return true; })
                 .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
        width,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide


# At a phone's width, where a layout breaks first (the laptop's was looked at when these pages were built).
@pytest.mark.parametrize("width", [390])
def test_the_secretariat_uploads_a_list_sees_the_preview_and_applies_it(
    new_page, live_server, tmp_path, width
):
    for code, prefix in (("ATU", "ATU"), ("CITEL", "IAP"), ("RCC", "RCC")):
        group(code, prefix)
    body, _ = Body.objects.get_or_create(code="WTSA", defaults={"name": "WTSA"})
    Conference.objects.create(body=body, code="WTSA-24", place="New Delhi", year=2024)
    person("officer", SECRETARIAT)
    rows = [
        *ROWS,
        ["Bad Row", "not-an-address", "Chad", "ATU", "delegate"],
        ["Lost", "lost@example.org", "", "Nowhere", "delegate"],
    ]
    path = tmp_path / "wtsa-24.csv"
    path.write_bytes(csv_bytes(rows))
    page = new_page(width)
    log_in(page, live_server, "officer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Registration").click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Read and preview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Registration list for WTSA-24: preview")
    expect(page.get_by_role("link", name="2 rows refused")).to_be_visible()
    expect(page.get_by_text("unknown regional group “Nowhere”")).to_be_visible()
    fits(page, width)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"registration-preview-{width}.png"), full_page=True)
    page.get_by_role("button", name="Apply: change 5 accounts").click()
    expect(page.locator(".messages")).to_contain_text(
        "5 accounts made, 0 updated, 0 unchanged, 2 rows refused"
    )
    fits(page, width)
    page.screenshot(path=str(ARTIFACTS / f"registration-done-{width}.png"), full_page=True)


# At a phone's width, where a layout breaks first (the laptop's was looked at when these pages were built).
@pytest.mark.parametrize("width", [390])
def test_a_coordinator_adds_and_promotes_a_member(new_page, live_server, width):
    atu = group("ATU")
    person("atu-c", COORDINATORS, atu)
    delegate = person("atu-d", DELEGATES, atu)
    delegate.first_name, delegate.last_name, delegate.email = "Awa", "Ba", "awa@example.org"
    delegate.save()
    page = new_page(width)
    log_in(page, live_server, "atu-c", land=False)
    page.goto(f"{live_server.url}/groups/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ATU: members")
    page.fill("#id_email", "kofi@example.org")
    page.fill("#id_name", "Kofi Mensah")
    page.get_by_role("button", name="Add to the group").click()
    expect(page.locator(".messages")).to_contain_text("Kofi Mensah was invited to ATU")
    page.get_by_role("button", name="Make coordinator Awa Ba").click()
    expect(page.locator(".messages")).to_contain_text("Awa Ba is now a coordinator of ATU")
    expect(page.get_by_role("table").last).to_contain_text("Awa Ba made coordinator")
    fits(page, width)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"group-page-{width}.png"), full_page=True)


# At a phone's width, where a layout breaks first (the laptop's was looked at when these pages were built).
@pytest.mark.parametrize("width", [390])
def test_an_invited_delegate_chooses_a_password_and_lands_on_the_groups_draft(
    new_page, live_server, settings, width
):
    import re

    from django.core import mail

    from drafting.services.groups import add_member
    from tests.drafting_factories import base_edition, mod_proposal

    settings.SITE_URL = live_server.url
    atu = group("ATU")
    draft = mod_proposal(base_edition(), atu).contribution
    coordinator = person("atu-c", COORDINATORS, atu)
    add_member(coordinator, atu, f"kofi.{width}@example.org", "Kofi Mensah")  # committed: the mail goes out
    (message,) = [m for m in mail.outbox if m.to == [f"kofi.{width}@example.org"]]
    link = re.search(r"(http://\S+/accounts/invitation/\S+/)", message.body).group(1)
    page = new_page(width)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome: choose your password")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"invitation-{width}.png"), full_page=True)
    page.fill("#id_new_password1", "a long passphrase 42")
    page.fill("#id_new_password2", "a long passphrase 42")
    page.get_by_role("button", name="Set my password and log in").click()
    page.wait_for_url(f"{live_server.url}{draft.get_absolute_url()}")
    expect(page.locator(".account .who")).to_contain_text("Kofi Mensah · Delegate")
    fits(page, width)
    # The link is spent.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation link no longer works")
