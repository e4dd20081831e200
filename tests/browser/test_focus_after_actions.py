"""Where the focus lands after each action, walked with the keyboard alone in Chromium (issue 24, item 4).

After Save, Cancel, Post (a comment), Restore this version, Suppress, Restore, Undo, Add, Remove and Replace in
the editor, and Save the decision on the synoptic view, the focus is on the clause acted on (or, when it
is gone, on the one after it), never on <body> (where the next Tab starts again from the top of the page:
one run needed 67 Shift+Tab to get back), and what was done is in a live region that was on the page from
the start (a region put on the page with its words is not announced by screen readers). Also the
suppressed-while-editing conflict as the delegate meets it: the save refused, saying who suppressed the
clause, the words kept in the box. One page load per page; every wait is for a condition.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from drafting.models import Clause
from drafting.models.people import COORDINATORS, DELEGATES, SECRETARIAT
from drafting.services.amendments import modify_clause, suppress_clause
from drafting.services.consolidation import open_consolidation
from drafting.services.contributions import submit_contribution
from tests.browser.conftest import log_in
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Where the focus is: the element, and the clause (or synoptic row) holding it.
WHERE = """() => {
  const a = document.activeElement;
  const holder = a && a.closest ? a.closest('.clause, .syn-row') : null;
  return {tag: a ? a.tagName : null, text: a ? (a.innerText || a.value || '').slice(0, 50) : null,
          holder: holder ? holder.id : null};
}"""


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    people = {
        "amina": person("amina", DELEGATES, atu),
        "kwame": person("kwame", DELEGATES, atu),
        "coordinator": person("atu-coordinator", COORDINATORS, atu),
        "officer": person("officer", SECRETARIAT),
    }

    def key(anchor: str) -> str:
        return str(Clause.objects.get(edition=edition, anchor=anchor).provision.key)

    return edition, proposal, people, key


def has_class(name: str) -> re.Pattern:
    return re.compile(rf"(^|\s){name}(\s|$)")


def containing(words: str) -> re.Pattern:
    return re.compile(re.escape(words))


def focus_in(page, holder: str) -> None:
    """Waits until the focus is inside the element of id ``holder`` (a clause or a synoptic row)."""
    try:
        page.wait_for_function(
            """id => { const a = document.activeElement;
                      return a && a !== document.body && a.closest && a.closest('#' + CSS.escape(id)) !== null; }""",
            arg=holder,
        )
    except Exception as problem:
        raise AssertionError(f"the focus is not in #{holder} but at {page.evaluate(WHERE)}") from problem


def tab_to(page, predicate: str, limit: int = 60) -> None:
    """Presses Tab until the focused element satisfies ``predicate`` (JavaScript, given the element).
    A clause's tools are a toolbar, one tab stop walked with the arrows (ARIA's toolbar pattern): in
    one, the arrows go through it before the next Tab."""

    def there() -> bool:
        return page.evaluate(f"() => {{ const el = document.activeElement; return Boolean({predicate}); }}")

    for _ in range(limit):
        if there():
            return
        tools = page.evaluate(
            "() => { const bar = document.activeElement && document.activeElement.closest"
            " && document.activeElement.closest('[role=toolbar]');"
            " return bar ? bar.querySelectorAll('button').length : 0; }"
        )
        for _ in range(max(tools - 1, 0)):
            page.keyboard.press("ArrowRight")
            if there():
                return
        page.keyboard.press("Tab")
    raise AssertionError(f"{predicate} never had the focus within {limit} Tabs; at {page.evaluate(WHERE)}")


def button(holder: str, words: str) -> str:
    """A predicate: the focused element is a button of ``holder`` whose text starts with ``words``."""
    return f"el.tagName === 'BUTTON' && el.closest('#{holder}') && el.innerText.trim().startsWith({words!r})"


def said(page, words: str) -> None:
    """The words are in one of the page's live regions, the same element as when the page loaded."""
    page.wait_for_function(
        """words => window.__regions.some(r => r.isConnected && r.textContent.includes(words))""", arg=words
    )


def test_the_focus_follows_each_action_in_the_editor_walked_with_the_keyboard(new_page, live_server, world):
    edition, proposal, people, key = world
    a, b = key("considering-a"), key("considering-b")
    page = new_page()
    page.on("pageerror", lambda e: print("PAGEERROR", e))
    page.on("console", lambda m: print("CONSOLE", m.type, m.text))
    log_in(page, live_server, "amina", land=False)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    page.evaluate("() => { window.__regions = Array.from(document.querySelectorAll('[aria-live]')); }")
    clause_a = page.locator(f"#c-{a}")

    # Save: Enter opens the box, Ctrl+Enter saves; the focus is back on the clause, "Saved" said.
    clause_a.locator(".clause-tools button.edit").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#t-{a}")).to_be_focused()
    page.keyboard.type(" as amended in Tunis")
    page.keyboard.press("Control+Enter")
    expect(clause_a.locator(".clause-view ins")).to_contain_text("as amended in Tunis")
    focus_in(page, f"c-{a}")
    said(page, "Saved")

    # Cancel: Esc closes the box, the words typed are not saved, the focus is on the clause.
    page.keyboard.press("Enter")
    expect(page.locator(f"#t-{a}")).to_be_focused()
    page.keyboard.type(" never kept")
    page.keyboard.press("Escape")
    expect(page.locator(f"#t-{a}")).to_have_count(0)
    focus_in(page, f"c-{a}")
    expect(clause_a).not_to_contain_text("never kept")

    # Post a comment, from the clause's history and comments panel.
    tab_to(page, button(f"c-{a}", "History"))
    page.keyboard.press("Enter")
    expect(page.locator(f"#comment-{a}")).to_be_visible()
    tab_to(page, f"el.id === 'comment-{a}'")
    page.keyboard.type("Tunis, not Geneva: check the citation")
    tab_to(page, button(f"panel-{a}", "Post"))
    page.keyboard.press("Enter")
    expect(page.locator(f"#panel-{a}")).to_contain_text("Tunis, not Geneva")
    focus_in(page, f"c-{a}")
    said(page, "comment")

    # Restore this version (the base text) from the panel: the clause has its words back.
    tab_to(page, button(f"c-{a}", "Restore this version"))
    page.keyboard.press("Enter")
    expect(clause_a.locator(".clause-view")).not_to_contain_text("as amended in Tunis")
    focus_in(page, f"c-{a}")
    said(page, "earlier version is back")

    # Suppress, then Restore: the focus stays on the clause (on its Restore while it is suppressed).
    tab_to(page, button(f"c-{a}", "Suppress"))
    page.keyboard.press("Enter")
    expect(clause_a).to_have_class(has_class("suppressed"))
    focus_in(page, f"c-{a}")
    said(page, "uppressed")
    tab_to(page, button(f"c-{a}", "Restore"))
    page.keyboard.press("Enter")
    expect(clause_a).not_to_have_class(has_class("suppressed"))
    focus_in(page, f"c-{a}")
    expect(clause_a.locator(".clause-tools button.edit")).to_be_focused()
    # Suppress again, then Undo from the message: the focus comes back from the message to the clause.
    tab_to(page, button(f"c-{a}", "Suppress"))
    page.keyboard.press("Enter")
    expect(clause_a).to_have_class(has_class("suppressed"))
    focus_in(page, f"c-{a}")
    page.locator("#messages button.undo").focus()
    page.keyboard.press("Enter")
    expect(clause_a).not_to_have_class(has_class("suppressed"))
    focus_in(page, f"c-{a}")

    # Add after: the focus goes to the new item; Remove it: the focus goes to the clause after it.
    tab_to(page, button(f"c-{a}", "Add after"))
    page.keyboard.press("Enter")
    expect(page.locator(f"#n-{a}")).to_be_visible()
    tab_to(page, f"el.id === 'n-{a}'")
    page.keyboard.type("the outcomes of the WSIS+20 review;")
    page.keyboard.press("Control+Enter")
    added = page.locator(".clause.added", has_text="WSIS+20 review")
    expect(added).to_have_count(1)
    added_id = added.get_attribute("id")
    focus_in(page, added_id)
    tab_to(page, button(added_id, "Remove"))
    page.keyboard.press("Enter")
    expect(page.locator(f"#{added_id}")).to_have_count(0)
    focus_in(page, f"c-{b}")

    # Replace: the focus goes to the first clause replaced.
    page.locator("#find").focus()
    page.keyboard.type("Information Society")
    page.keyboard.press("Tab")
    page.keyboard.type("Information and Knowledge Society")
    page.keyboard.press("Enter")
    first = page.locator(".replace-preview a.where").first
    expect(first).to_be_visible()
    replaced = first.get_attribute("href").lstrip("#")
    tab_to(page, "el.tagName === 'BUTTON' && el.innerText.startsWith('Replace the ticked')")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{replaced} .clause-view ins")).to_contain_text("and Knowledge")
    focus_in(page, replaced)
    said(page, "Replaced")

    # Suppressed by another delegate while the box is open: the save is refused, saying so, the
    # words kept in the box and the focus in it.
    clause_b = page.locator(f"#c-{b}")
    clause_b.locator(".clause-tools button.edit").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#t-{b}")).to_be_focused()
    page.keyboard.type(" and its follow-up")
    suppress_clause(people["kwame"], proposal, b)
    page.keyboard.press("Control+Enter")
    expect(clause_b.locator(".error")).to_contain_text("suppressed this clause")
    expect(page.locator(f"#t-{b}")).to_have_value(containing("and its follow-up"))
    focus_in(page, f"c-{b}")


def test_the_focus_stays_on_the_row_after_saving_a_decision(new_page, live_server, world):
    edition, proposal, people, key = world
    a = key("considering-a")
    modify_clause(people["amina"], proposal, a, "the relevant outcomes of the WSIS+20 review;", 0)
    submit_contribution(people["coordinator"], proposal.contribution)
    consolidation = open_consolidation(
        people["officer"], proposal.contribution.conference, proposal.resolution
    )
    page = new_page()
    log_in(page, live_server, "officer", land=False)
    page.goto(f"{live_server.url}/consolidations/{consolidation.pk}/?filter=changed")
    page.evaluate("() => { window.__regions = Array.from(document.querySelectorAll('[aria-live]')); }")
    row = page.locator(f"#k-{a}")
    row.locator("details.settle summary").focus()
    page.keyboard.press("Enter")
    expect(row.locator("form.settle-form")).to_be_visible()
    tab_to(page, f"el.name === 'choice' && el.closest('#k-{a}')")
    page.keyboard.press("Space")
    tab_to(page, button(f"k-{a}", "Save the decision"))
    page.keyboard.press("Enter")
    expect(row).to_have_class(has_class("settled"))
    focus_in(page, f"k-{a}")
    said(page, "Settled")
