"""A delegate's day in the proposal editor, in Chromium: what Word users expect to just work."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from drafting.models import Amendment, Clause
from drafting.models.people import DELEGATES
from drafting.services.amendments import modify_clause
from tests.browser.conftest import log_in
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    person("amina", DELEGATES, atu)
    return edition, proposal


def key_of(edition, anchor: str) -> str:
    return str(Clause.objects.get(edition=edition, anchor=anchor).provision.key)


def open_editor(new_page, live_server, proposal, width: int = 1366):
    page = new_page(width)
    log_in(page, live_server, "amina", land=False)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    return page


def test_restoring_a_version_swaps_the_clause_and_lists_it_at_once(new_page, live_server, draft):
    edition, proposal = draft
    from django.contrib.auth.models import User

    amina = User.objects.get(username="amina")
    key = key_of(edition, "considering-a")
    modify_clause(amina, proposal, key, "First wording;", expected_version=0)
    modify_clause(amina, proposal, key, "Second wording;", expected_version=1)
    page = open_editor(new_page, live_server, proposal)
    clause = page.locator(f"#c-{key}")
    clause.hover()
    clause.get_by_role("button", name=re.compile("History")).click()
    history = page.locator(f"#panel-{key} .history li")
    expect(history).to_have_count(3)
    # Restore "First wording" (the second entry): no reload, no waiting for the poll (cut off here, so
    # that only the restore's own answer can bring the text).
    page.evaluate("window.__sameDocument = true")
    page.route(re.compile(r"/live/"), lambda route: route.abort())
    history.nth(1).get_by_role("button", name="Restore this version").click()
    expect(clause.locator(".text ins").last).to_contain_text("First wording")
    expect(page.locator(f"#panel-{key} .history li")).to_have_count(4)
    expect(page.locator(f"#panel-{key} .history li").last).to_contain_text("First wording")
    expect(page.locator("#messages")).to_contain_text("The earlier version is back")
    assert page.evaluate("window.__sameDocument") is True
    assert Amendment.objects.get(proposal=proposal).text == "First wording;"
    # The message does not turn up again on the next page.
    page.goto(f"{live_server.url}/contributions/")
    expect(page.locator("#messages")).not_to_contain_text("The earlier version is back")


def test_the_caret_lands_where_the_delegate_clicked(new_page, live_server, draft):
    edition, proposal = draft
    key = key_of(edition, "considering-a")
    page = open_editor(new_page, live_server, proposal)
    text = page.locator(f"#c-{key} .text")
    full = text.inner_text()
    word = "outcomes"
    # Click in the middle of the word "outcomes".
    box = page.evaluate(
        """([sel, word]) => {
            const span = document.querySelector(sel);
            const node = span.firstChild;
            const i = node.textContent.indexOf(word);
            const r = document.createRange(); r.setStart(node, i + 3); r.setEnd(node, i + 4);
            const b = r.getBoundingClientRect();
            return {x: b.left + 1, y: b.top + b.height / 2};
        }""",
        [f"#c-{key} .text", word],
    )
    page.mouse.click(box["x"], box["y"])
    textarea = page.locator(f"#c-{key} textarea")
    expect(textarea).to_be_focused()
    caret = textarea.evaluate("t => t.selectionStart")
    assert abs(caret - (full.index(word) + 3)) <= 1, (caret, full.index(word) + 3)
    # Opened with the keyboard, the caret is at the end, as in Word after Enter on a paragraph.
    textarea.press("Escape")
    edit = page.locator(f"#c-{key} .clause-tools button.edit")
    expect(edit).to_be_focused()
    edit.press("Enter")
    textarea = page.locator(f"#c-{key} textarea")
    expect(textarea).to_be_focused()
    assert textarea.evaluate("t => t.selectionStart === t.value.length")


def test_the_hover_toolbar_does_not_move_the_text(new_page, live_server, draft):
    edition, proposal = draft
    page = open_editor(new_page, live_server, proposal)
    a, b = key_of(edition, "considering-a"), key_of(edition, "considering-b")
    page.mouse.move(5, 5)
    before = page.locator(f"#c-{b}").bounding_box()["y"]
    page.locator(f"#c-{a} .clause-view").hover()
    expect(page.locator(f"#c-{a} .clause-tools")).to_be_visible()
    after = page.locator(f"#c-{b}").bounding_box()["y"]
    assert after == before


def test_screen_reader_names_focus_and_saved_announcement(new_page, live_server, draft):
    edition, proposal = draft
    key = key_of(edition, "considering-a")
    page = open_editor(new_page, live_server, proposal)
    # The text is no button (its citation links stay links): an Edit button beside it, named whole.
    expect(page.locator(f"#c-{key} .clause-view")).not_to_have_attribute("role", "button")
    view = page.get_by_role("button", name="Edit considering a)", exact=True)
    expect(view).to_have_text("Edit")
    # A skip link leads past the clauses to the side panel.
    skip = page.get_by_role("link", name=re.compile("changes, find and replace", re.I))
    expect(skip).to_have_attribute("href", "#side-panel")
    expect(page.locator("#side-panel")).to_have_count(1)
    view.focus()
    view.press("Enter")
    textarea = page.locator(f"#c-{key} textarea")
    textarea.fill("the relevant outcomes of WSIS;")
    textarea.press("Control+Enter")
    expect(page.locator(f"#c-{key} .text del").first).to_contain_text("World Summit")
    expect(page.locator(f"#c-{key} .clause-tools button.edit")).to_be_focused()
    expect(page.locator("#editor-status")).to_have_text(re.compile("Saved"))
    expect(page.locator("#editor-status")).to_have_attribute("aria-live", "polite")
    # Esc returns the focus to the clause's Edit button too.
    page.locator(f"#c-{key} .clause-tools button.edit").press("Enter")
    # The box is ready (htmx has processed it, the focus is in it) before Esc means "cancel".
    expect(page.locator(f"#c-{key} textarea")).to_be_focused()
    page.locator(f"#c-{key} textarea").press("Escape")
    expect(page.locator(f"#c-{key} .clause-tools button.edit")).to_be_focused()


def test_the_change_list_has_one_entry_per_change(new_page, live_server, draft):
    edition, proposal = draft
    page = open_editor(new_page, live_server, proposal)
    g = key_of(edition, "considering-g")
    page.locator(f"#c-{g}").hover()
    page.locator(f"#c-{g} .clause-tools").get_by_role("button", name="Suppress").click()
    expect(page.locator(f"#c-{g} .label del")).to_have_text("g)")
    entries = page.locator("#change-list li")
    # g) suppressed and the items after it relabelled: one change, one entry, g) named once.
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("considering g) suppressed")
    expect(entries.first).to_contain_text("h) now g)")
    assert entries.first.inner_text().count("g)") <= 2


def test_submitting_asks_first_and_works_without_javascript(new_page, live_server, draft, browser):
    edition, proposal = draft
    from drafting.models.people import COORDINATORS

    person("kofi", COORDINATORS, proposal.contribution.group)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server, "kofi", land=False)
        page.goto(f"{live_server.url}{proposal.contribution.get_absolute_url()}")
        confirm = page.get_by_role("button", name="Yes, submit it")
        expect(confirm).to_be_hidden()
        page.get_by_text("Submit to WTSA-24…").click()
        expect(confirm).to_be_visible()
        proposal.contribution.refresh_from_db()
        assert proposal.contribution.status == "draft"
        confirm.click()
        page.wait_for_load_state()
        proposal.contribution.refresh_from_db()
        assert proposal.contribution.status == "submitted"
    finally:
        context.close()


def test_each_role_lands_on_its_days_first_page(new_page, live_server, draft):
    edition, proposal = draft
    from drafting.models.people import SECRETARIAT

    person("officer", SECRETARIAT)
    page = new_page()
    log_in(page, live_server, "amina", form=True)
    # Amina's group has one draft: she lands on it.
    assert page.url == f"{live_server.url}{proposal.contribution.get_absolute_url()}"
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "officer", form=True)
    assert page.url == f"{live_server.url}/consolidations/"
    # The API docs lead back to the application.
    page.goto(f"{live_server.url}/api/docs")
    page.get_by_role("link", name="← Back to the drafting tool").click()
    assert page.url == f"{live_server.url}/consolidations/"
    # A favicon, not a 404.
    assert page.request.get(f"{live_server.url}" + page.locator("link[rel=icon]").get_attribute("href")).ok


def test_the_citation_check_follows_each_save(new_page, live_server, draft):
    edition, proposal = draft
    page = open_editor(new_page, live_server, proposal)
    key = key_of(edition, "considering-a")
    warnings = page.locator("#citation-warnings")
    expect(warnings).not_to_contain_text("Buchrest")
    page.locator(f"#c-{key} .clause-view").click()
    expect(page.locator(f"#c-{key} textarea")).to_be_focused()  # the box is ready
    textarea = page.locator(f"#c-{key} textarea")
    textarea.fill("the outcomes of the Plenipotentiary Conference (Buchrest, 2022);")
    textarea.press("Control+Enter")
    expect(page.locator(f"#c-{key} .text ins").last).to_contain_text("Buchrest")
    # Without a reload, the side panel lists the citation to check...
    expect(warnings).to_contain_text("Buchrest")
    # ...and drops it once it is corrected.
    page.locator(f"#c-{key} .clause-view").click()
    expect(page.locator(f"#c-{key} textarea")).to_be_focused()  # the box is ready
    textarea = page.locator(f"#c-{key} textarea")
    textarea.fill("the outcomes of the Plenipotentiary Conference (Bucharest, 2022);")
    textarea.press("Control+Enter")
    expect(page.locator(f"#c-{key} .text ins").last).to_contain_text("Bucharest")
    expect(warnings).not_to_contain_text("Buchrest")


@pytest.mark.parametrize("width", [1366, 390])
def test_find_and_replace_match_by_match_without_a_reload(new_page, live_server, draft, width):
    edition, proposal = draft
    page = open_editor(new_page, live_server, proposal, width)
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Go to the changes, find and replace ↓").click()
    page.fill("#find", "(Busan, 2014)")
    page.fill("#replace", "(Bucharest, 2022)")
    page.get_by_role("button", name="Preview").click()
    matches = page.locator(".replace-preview li")
    expect(matches.first).to_be_visible()
    total = matches.count()
    assert total >= 3
    # Each match in its context, before → after.
    expect(matches.first.locator("del")).to_contain_text("(Busan, 2014)")
    expect(matches.first.locator("ins")).to_contain_text("(Bucharest, 2022)")
    assert len(matches.first.locator(".in-context").inner_text()) > len("(Busan, 2014)(Bucharest, 2022)") + 10
    # Leave the first one out.
    left_out = matches.first.locator("input[type=checkbox]").get_attribute("value")
    matches.first.locator("input[type=checkbox]").uncheck()
    page.get_by_role("button", name="Replace the ticked matches").click()
    expect(page.locator("#replace-result")).to_contain_text("Replaced “(Busan, 2014)”")
    key = left_out.split(":")[0]
    expect(page.locator("#change-list li").first).to_be_attached()
    assert page.evaluate("window.__sameDocument") is True
    texts = {
        a.target.key if a.target_id else None: a.text for a in Amendment.objects.filter(proposal=proposal)
    }
    assert sum(t.count("(Bucharest, 2022)") for t in texts.values()) == total - 1
    # The left-out match is still there, in the text and on the page.
    from drafting.models import Provision

    clause_text = (
        texts.get(Provision.objects.get(key=key).key)
        or Clause.objects.get(edition=edition, provision__key=key).text
    )
    assert "(Busan, 2014)" in clause_text
    expect(page.locator(f"#c-{key}")).to_contain_text("(Busan, 2014)")


def test_the_edit_box_keeps_the_marks_in_sight_while_typing(new_page, live_server, draft):
    edition, proposal = draft
    key = key_of(edition, "considering-a")
    page = open_editor(new_page, live_server, proposal)
    page.locator(f"#c-{key} .clause-view").click()
    expect(page.locator(f"#c-{key} textarea")).to_be_focused()  # the box is ready
    marks = page.locator(f"#m-{key}")
    textarea = page.locator(f"#c-{key} textarea")
    expect(textarea).to_be_focused()
    textarea.fill("the relevant outcomes of both phases of WSIS and of the WSIS+20 review;")
    expect(marks).to_be_visible()
    expect(marks.locator("del").first).to_contain_text("the World Summit on")
    expect(marks.locator("ins").last).to_contain_text("WSIS+20 review")
    textarea.press("End")
    textarea.type(" more")
    expect(marks.locator("ins").last).to_contain_text("more")


def test_after_a_stale_save_the_texts_are_compared_and_can_be_combined(new_page, live_server, draft):
    edition, proposal = draft
    from django.contrib.auth.models import User

    key = key_of(edition, "considering-a")
    page = open_editor(new_page, live_server, proposal)
    page.locator(f"#c-{key} .clause-view").click()
    expect(page.locator(f"#c-{key} textarea")).to_be_focused()  # the box is ready
    textarea = page.locator(f"#c-{key} textarea")
    base = textarea.input_value()
    # Someone else changes the start of the clause while Amina changes its end.
    theirs = base.replace("the relevant outcomes", "the main outcomes")
    modify_clause(User.objects.get(username="amina"), proposal, key, theirs, expected_version=0)
    mine = base.replace("(WSIS);", "(WSIS) and of WSIS+20;")
    textarea.fill(mine)
    textarea.press("Control+Enter")
    clause = page.locator(f"#c-{key}")
    expect(clause.locator(".error")).to_be_visible()
    expect(clause.locator(".stale-compare del")).to_contain_text("main")
    expect(clause.locator(".stale-compare ins").first).to_contain_text("relevant")
    clause.get_by_role("button", name="Combine: their text with your changes").click()
    combined = textarea.input_value()
    assert "the main outcomes" in combined and "WSIS+20" in combined
    # Their text, then back to mine: nothing of what Amina typed is lost.
    clause.get_by_role("button", name="Use their text").click()
    assert textarea.input_value() == theirs
    clause.get_by_role("button", name="Back to my text").click()
    assert textarea.input_value() == mine
    clause.get_by_role("button", name="Combine: their text with your changes").click()
    textarea.press("Control+Enter")
    expect(clause.locator(".text ins").last).to_contain_text("WSIS+20")
    assert Amendment.objects.get(proposal=proposal).text == combined


def test_no_content_security_policy_violation_through_a_days_swaps(new_page, live_server, draft):
    edition, proposal = draft
    page = new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));"
    )
    log_in(page, live_server, "amina", land=False)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    key = key_of(edition, "considering-b")
    clause = page.locator(f"#c-{key}")
    clause.locator(".clause-view").click()
    expect(clause.locator(" textarea")).to_be_focused()  # the box is ready
    page.locator(f"#c-{key} textarea").fill("United Nations General Assembly Resolution 70/1;")
    page.locator(f"#c-{key} textarea").press("Control+Enter")
    expect(clause.locator(".text del").first).to_be_visible()
    clause.hover()
    clause.get_by_role("button", name=re.compile("History")).click()
    expect(page.locator(f"#panel-{key}")).to_be_visible()
    clause.hover()
    clause.locator(".clause-tools").get_by_role("button", name="Add after").click()
    page.locator(f"#c-{key} form.add").get_by_role("button", name="Cancel").click()
    page.fill("#find", "Busan")
    page.fill("#replace", "Busan, Korea")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".replace-preview li").first).to_be_visible()
    page.get_by_role("button", name="Replace the ticked matches").click()
    expect(page.locator("#replace-result")).to_contain_text("Replaced")
    assert page.evaluate("window.__csp") == []


def test_delegates_see_who_is_editing_which_clause_now(new_page, live_server, draft):
    edition, proposal = draft
    person("kwame", DELEGATES, proposal.contribution.group)
    url = f"{live_server.url}/proposals/{proposal.pk}/"
    amina, kwame = new_page(), new_page()
    log_in(amina, live_server, "amina", land=False)
    log_in(kwame, live_server, "kwame", land=False)
    amina.goto(url)
    kwame.goto(url)
    a = key_of(edition, "considering-a")
    amina.locator(f"#c-{a} .clause-view").click()
    expect(amina.locator(f"#c-{a} textarea")).to_be_focused()
    note = kwame.locator(f"#c-{a} .presence")
    expect(note).to_contain_text("amina is editing this clause now")
    # Amina does not see herself; nobody else's clause is marked.
    expect(amina.locator(".presence")).to_have_count(0)
    expect(kwame.locator(".presence")).to_have_count(1)
    # Kwame opening the same clause sees it in his edit box too.
    kwame.locator(f"#c-{a} .clause-view").click()
    expect(kwame.locator(f"#c-{a} textarea")).to_be_focused()  # the box is ready
    expect(kwame.locator(f"#c-{a} textarea")).to_be_visible()
    expect(kwame.locator(f"#c-{a} .presence")).to_contain_text("amina")
    expect(amina.locator(f"#c-{a} .presence")).to_contain_text("kwame")
    # Amina leaves with Esc: the note goes away on Kwame's page.
    amina.locator(f"#c-{a} textarea").press("Escape")
    expect(kwame.locator(f"#c-{a} .presence")).to_have_count(0)
