"""The secretariat's day on the synoptic view: progress that means what it says."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from drafting.demo.load import load_demo
from drafting.models import Consolidation
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    load_demo()
    officer = User.objects.get(username="secretariat")
    officer.set_password("pw")
    officer.save()
    return Consolidation.objects.get(resolution__number="75")


def test_progress_counts_decisions_on_changed_clauses_and_leave_open_says_so(page, live_server, demo):
    log_in(page, live_server, "secretariat")
    page.goto(f"{live_server.url}/consolidations/{demo.pk}/")
    bar = page.locator(".cons-bar")
    # Nothing decided yet: nothing settled, whatever the number of unchanged clauses.
    expect(bar).to_contain_text(re.compile(r"\b0 of \d+ changed clauses settled"))
    total = int(re.search(r"0 of (\d+)", bar.inner_text()).group(1))
    expect(page.locator(".cons-bar progress")).to_have_attribute("value", "0")
    changed = page.locator(".syn-row:not(.status-unchanged)")
    assert changed.count() == total

    first = changed.first
    details = first.locator("details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    first.locator("input[name=choice][value=open]").check()
    first.get_by_role("button", name="Save the decision").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Left open")
    expect(page.locator(".messages")).not_to_contain_text("Settled.")
    expect(bar).to_contain_text(f"0 of {total} changed clauses settled")

    first = page.locator(".syn-row:not(.status-unchanged)").first
    details = first.locator("details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    first.locator("input[name=choice][value=base]").check()
    first.get_by_role("button", name="Save the decision").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Settled")
    expect(page.locator(".cons-bar")).to_contain_text(f"1 of {total} changed clauses settled")
    expect(page.locator(".cons-bar progress")).to_have_attribute("value", "1")


def test_each_count_badge_leads_to_its_clauses(page, live_server, demo):
    log_in(page, live_server, "secretariat")
    page.goto(f"{live_server.url}/consolidations/{demo.pk}/")
    bar = page.locator(".cons-bar")
    for name, status in [("conflict", "conflict"), ("combinable", "combinable"), ("unchanged", "unchanged")]:
        badge = bar.get_by_role("link", name=re.compile(rf"^\d+ {name}"))
        count = int(badge.inner_text().split()[0])
        badge.click()
        page.wait_for_load_state()
        expect(page.locator(".syn-row")).to_have_count(count)
        assert page.locator(f".syn-row.status-{status}").count() == count
        page.go_back()
