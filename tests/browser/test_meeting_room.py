"""In the meeting room, in Chromium: settling many rows with a preview and one undo, the keyboard
shortcuts, and finding words and labels in the draft and the synoptic view."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from drafting.models import Amendment, Consolidation, Decision, Proposal
from drafting.services.consolidation import bulk_preview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(committed_demo):
    for name in ("secretariat", "rcc-delegate"):
        user = User.objects.get(username=name)
        user.set_password("pw")
        user.save()
    return Consolidation.objects.get(resolution__number="75")


def log_in(page, live_server, username, **how):
    from tests.browser.conftest import log_in as enter

    enter(page, live_server, username, **how)


def test_every_one_group_row_of_a_group_is_previewed_settled_and_undone_at_once(page, live_server, demo):
    expected = bulk_preview(demo, "one-group", "ATU")
    log_in(page, live_server, "secretariat", land=False)
    page.goto(f"{live_server.url}/consolidations/{demo.pk}/")
    page.select_option("#bulk-rule", "one-group:ATU")
    page.get_by_role("button", name="Preview").click()
    boxes = page.locator(".bulk-preview input[name=key]")
    expect(boxes).to_have_count(len(expected.rows))
    # Each row shows the text it will have, with its marks against the base.
    expect(page.locator(".bulk-preview .bulk-result ins").first).to_be_visible()
    boxes.nth(1).uncheck()
    page.get_by_role("button", name="Settle the ticked rows").click()
    message = page.locator("#messages .message")
    settled = len(expected.rows) - 1
    expect(message).to_contain_text(f"{settled} rows settled")
    expect(page.locator(".cons-bar")).to_contain_text(f"{settled} of")
    assert Decision.objects.count() == settled
    assert not Decision.objects.filter(key=expected.rows[1].row.key).exists()

    message.get_by_role("button", name="Undo").click()
    expect(page.locator("#messages .message")).to_contain_text("Undone")
    expect(page.locator(".cons-bar")).to_contain_text("0 of")
    assert not Decision.objects.exists()


def test_the_officer_settles_from_the_keyboard_and_undoes_from_the_message(page, live_server, demo):
    log_in(page, live_server, "secretariat", land=False)
    page.goto(f"{live_server.url}/consolidations/{demo.pk}/")
    page.keyboard.press("?")
    dialog = page.locator("#shortcuts-help")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("next / previous row still to settle")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # u: the first row still to settle, o: its settle form, the first choice focused.
    page.keyboard.press("u")
    row = page.locator(".syn-row.kb-current")
    expect(row).to_have_count(1)
    first_open = page.locator(".syn-row:not(.status-unchanged):not(.settled)").first
    key = row.get_attribute("data-key")
    assert row.get_attribute("id") == first_open.get_attribute("id") == f"k-{key}"
    row = page.locator(f"#k-{key}")
    page.keyboard.press("o")
    choice = row.locator("form.settle-form input[name=choice]").first
    expect(choice).to_be_focused()
    # Typing in a field never moves: "j" and "u" in the note are letters.
    row.locator("input[name=note]").fill("")
    row.locator("input[name=note]").press_sequentially("just u")
    expect(row).to_have_class(re.compile("kb-current"))
    expect(row.locator("input[name=note]")).to_have_value("just u")
    choice.check()
    page.keyboard.press("Control+s")
    expect(page.locator("#messages .message")).to_contain_text("Settled")
    expect(row).to_have_class(re.compile(r"\bsettled\b.*kb-current|kb-current.*\bsettled\b"))
    expect(row).to_be_focused()
    assert Decision.objects.get(key=key).note == "just u"

    # The next "u" goes on to the next row still to settle; Undo takes the settle back in place.
    page.locator("#messages .message").get_by_role("button", name="Undo").click()
    expect(page.locator("#messages .message")).to_contain_text("Undone")
    expect(page.locator(f"#k-{key}")).not_to_have_class(re.compile("settled"))
    assert not Decision.objects.exists()


def test_a_delegate_moves_through_changes_opens_and_saves_from_the_keyboard(page, live_server, demo):
    proposal = Proposal.objects.get(contribution__group__code="RCC")
    log_in(page, live_server, "rcc-delegate", land=False)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    page.keyboard.press("n")
    current = page.locator(".clause.kb-current")
    expect(current).to_have_class(re.compile("changed"))
    first_change = page.locator("#draft .clause.changed").first.get_attribute("id")
    assert current.get_attribute("id") == first_change
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.locator(".clause.kb-current").get_attribute("id") == first_change
    page.keyboard.press("Enter")
    box = page.locator(f"#{first_change} textarea[name=text]")
    expect(box).to_be_focused()
    box.press("End")
    box.press_sequentially(" (as amended)")
    page.keyboard.press("Control+s")
    expect(page.locator(f"#{first_change} .clause-view")).to_contain_text("(as amended)")

    # Suppress a clause, then take it back from the message that says so.
    version = Proposal.objects.get(pk=proposal.pk).version
    target = page.locator("#draft .clause:not(.changed):not(.kind-part)").nth(1)
    key = target.get_attribute("data-key")
    target.hover()
    target.get_by_role("button", name="Suppress").click()
    expect(page.locator(f"#c-{key}")).to_have_class(re.compile("suppressed"))
    message = page.locator("#messages .message")
    expect(message).to_contain_text("Suppressed")
    message.get_by_role("button", name="Undo").click()
    expect(page.locator(f"#c-{key}")).not_to_have_class(re.compile("suppressed"))
    assert not Amendment.objects.filter(proposal=proposal, target__key=key, action="suppress").exists()
    assert Proposal.objects.get(pk=proposal.pk).version == version + 2


def test_find_by_label_and_by_words_in_the_draft_and_the_synoptic_view(page, live_server, demo):
    log_in(page, live_server, "secretariat", land=False)
    page.goto(f"{live_server.url}/consolidations/{demo.pk}/draft/")
    page.keyboard.press("/")
    find = page.locator("#find-in-page")
    expect(find).to_be_focused()
    find.fill("resolves 3")
    status = page.locator("#find-status")
    expect(status).to_have_text("1 of 1")
    hit = page.locator(".clause.find-label-hit")
    expect(hit).to_have_count(1)
    expect(hit).to_contain_text("in cooperation with other relevant stakeholders")
    expect(hit).to_be_in_viewport()

    # Words: every occurrence highlighted (the CSS Custom Highlight API), stepped through with Enter.
    find.fill("WSIS")
    text = " ".join(page.locator("#consolidated-draft .clause").all_inner_texts())
    total = len(re.findall("WSIS", text))
    assert total > 10
    expect(status).to_have_text(f"1 of {total}")
    assert page.evaluate("CSS.highlights.get('find-hit').size") == total
    find.press("Enter")
    find.press("Enter")
    expect(status).to_have_text(f"3 of {total}")
    find.press("Shift+Enter")
    expect(status).to_have_text(f"2 of {total}")
    find.fill("no such words here")
    expect(status).to_have_text("Not found")
    find.press("Escape")
    assert page.evaluate("CSS.highlights.has('find-hit')") is False

    # The synoptic view: a nested label, and words across every column of the rows shown.
    page.goto(f"{live_server.url}/consolidations/{demo.pk}/?find=considering%20e%20ix")
    row = page.locator(".syn-row.find-label-hit")
    expect(row).to_have_count(1)
    assert (row.get_attribute("data-find-part"), row.get_attribute("data-find-label")) == (
        "considering",
        "ix",
    )
    assert row.get_attribute("data-depth") == "2"
    expect(page.locator("#find-status")).to_have_text("1 of 1")
