"""The projector in Chromium: the officer moves and settles on the synoptic view, and a delegate types in
the group's editor; the room's screen (1920x1080) and a delegate following on a phone (390x844) follow
through the live stream, and a delegate leaves the room to read elsewhere and comes back."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from drafting.models import Clause, Contribution
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT
from drafting.services.amendments import modify_clause
from drafting.services.consolidation import open_consolidation
from drafting.services.contributions import submit_contribution
from tests.browser.conftest import log_in, open_settle_form
from tests.browser.test_live_stream import stream_server  # noqa: F401 (a fixture)
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def room():
    """Res. 75 with ATU's submitted proposal (one changed clause) consolidated, and CEPT's draft."""
    edition = base_edition()
    atu, cept = group("ATU"), group("CEPT", "EUR")
    amina = person("amina", DELEGATES, atu)
    coordinator = person("atu-coord", COORDINATORS, atu)
    person("eva", DELEGATES, cept)
    person("fred", DELEGATES, cept)
    person("olga", OBSERVERS)
    officer = person("officer", SECRETARIAT)
    proposal = mod_proposal(edition, atu)
    a = Clause.objects.get(edition=edition, anchor="considering-a")
    modify_clause(
        amina, proposal, str(a.provision.key), "the outcomes of the WSIS+20 review, as ATU says;", 0
    )
    submit_contribution(coordinator, proposal.contribution)
    consolidation = open_consolidation(officer, proposal.contribution.conference, edition.resolution)
    Contribution.objects.filter(pk=proposal.contribution_id).update(addendum=17)  # CEPT's is 35 add. 18
    return edition, consolidation, mod_proposal(edition, cept)


def key_of(edition, anchor: str) -> str:
    return str(Clause.objects.get(edition=edition, anchor=anchor).provision.key)


def test_the_room_s_screens_follow_the_officer_and_the_typing(
    new_page,
    live_server,
    room,
    stream_server,  # noqa: F811 (the fixture imported above)
    screenshot,
):
    edition, consolidation, draft = room
    officer, screen, phone = new_page(), new_page(1920, 1080), new_page(390, 844)
    # Nothing the screens do breaks the page's Content Security Policy, nor fails in a script.
    problems: list[str] = []
    for follower in (screen, phone):
        follower.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        follower.on("pageerror", lambda e: problems.append(str(e)))
    log_in(officer, live_server, "officer", land=False)
    log_in(screen, live_server, "olga", land=False)
    log_in(phone, live_server, "amina", land=False)
    officer.goto(f"{live_server.url}/consolidations/{consolidation.pk}/")
    for follower in (screen, phone):
        follower.goto(f"{live_server.url}/consolidations/{consolidation.pk}/projector/")
        expect(follower.locator("#projector")).to_have_attribute("data-live-stream", stream_server)
        expect(follower.locator(".projector-bar")).to_contain_text("WTSA-24")
        expect(follower.locator(".projector-bar")).to_contain_text("Resolution 75")

    # The officer drives: a row far down the view is on every screen, highlighted, named and in view.
    officer.get_by_role("button", name="Drive the projector").click()
    expect(officer.get_by_role("button", name="Drive the projector")).to_have_attribute(
        "aria-pressed", "true"
    )
    far = key_of(edition, "resolves-3")
    officer.locator(f"#k-{far}").scroll_into_view_if_needed()
    officer.locator(f"#k-{far}").click(position={"x": 5, "y": 5})
    for follower in (screen, phone):
        expect(follower.locator(f"#c-{far}")).to_have_class(re.compile(r"\bpointed\b"))
        expect(follower.locator(f"#c-{far}")).to_be_in_viewport()
        expect(follower.locator("#projector-clause")).to_have_text("resolves 3")
        expect(follower.locator(".pointed")).to_have_count(1)

    # From the keyboard: "u" goes to the next row still to settle (ATU's), and the screens with it.
    a = key_of(edition, "considering-a")
    officer.locator("body").click(position={"x": 2, "y": 2})
    officer.keyboard.press("u")
    expect(officer.locator(f"#k-{a}")).to_have_class(re.compile(r"\bkb-current\b"))
    for follower in (screen, phone):
        expect(follower.locator("#projector-clause")).to_have_text("considering a")

    # The officer settles ATU's row: the screens go to it and show the settled text.
    row = officer.locator(f"#k-{a}")
    open_settle_form(row)
    for follower in (screen, phone):
        expect(follower.locator(f"#c-{a}")).to_have_class(re.compile(r"\bpointed\b"))
        expect(follower.locator(f"#c-{a}")).to_be_in_viewport()
    expect(screen.locator(f"#c-{a} ins").first).to_have_text("[")  # open: in square brackets
    # The officer writes the text in the row's box: the screens show it as typed, marked.
    row.locator("form.settle-form textarea[name=text]").fill(
        "the outcomes of the WSIS+20 review, as the meeting agreed;"
    )
    for follower in (screen, phone):
        expect(follower.locator(f"#c-{a} .being-typed ins").last).to_contain_text("meeting agreed")
    row.locator("form.settle-form input[value=manual]").check()
    row.get_by_role("button", name="Save the decision").click()
    for follower in (screen, phone):
        # Settled: the officer's words marked against the base, no longer in [square brackets].
        expect(follower.locator(f"#c-{a} .being-typed")).to_have_count(0)
        expect(follower.locator(f"#c-{a} ins").last).to_contain_text("meeting agreed")
        expect(follower.locator(f"#c-{a} ins").first).not_to_have_text("[")
        expect(follower.locator(f"#c-{a}")).to_have_class(re.compile(r"\bpointed\b"))
    screenshot(screen, "projector-1920")
    screenshot(phone, "projector-390")
    # WCAG 2.1 AA by axe-core, once (the same page at either size; each scan costs seconds).
    found = Axe().run(phone, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert found.violations_count == 0, found.generate_report()

    # On the phone, the delegate leaves the room to read elsewhere: the screen stays where she reads.
    phone.get_by_role("button", name="Following the room").click()
    expect(phone.get_by_role("button", name="Follow the room")).to_have_attribute("aria-pressed", "false")
    phone.evaluate("() => window.scrollTo(0, 0)")
    officer.locator(f"#k-{far}").scroll_into_view_if_needed()
    officer.locator(f"#k-{far}").click(position={"x": 5, "y": 5})
    expect(phone.locator(f"#c-{far}")).to_have_class(re.compile(r"\bpointed\b"))
    expect(phone.locator("#projector-clause")).to_have_text("resolves 3")
    assert phone.evaluate("() => window.scrollY") == 0
    expect(screen.locator(f"#c-{far}")).to_be_in_viewport()
    # ... and comes back to the room.
    phone.get_by_role("button", name="Follow the room").click()
    expect(phone.locator(f"#c-{far}")).to_be_in_viewport()

    # A group's proposal: a delegate types in the editor; a colleague's screen shows the words as
    # typed, then the saved text with its marks.
    eva, fred = officer, screen
    eva.context.clear_cookies()
    log_in(eva, live_server, "eva", land=False)
    log_in(fred, live_server, "fred", land=False)
    eva.goto(f"{live_server.url}/proposals/{draft.pk}/")
    fred.goto(f"{live_server.url}/proposals/{draft.pk}/projector/")
    expect(fred.locator("#projector")).to_have_attribute("data-live-stream", stream_server)
    eva.get_by_role("button", name="Drive the projector").click()
    b = key_of(edition, "considering-b")
    eva.locator(f"#c-{b} .clause-view").click()
    box = eva.locator(f"#c-{b} textarea")
    expect(box).to_be_focused()
    expect(fred.locator(f"#c-{b}")).to_have_class(re.compile(r"\bpointed\b"))
    box.evaluate("b => b.setSelectionRange(b.value.length, b.value.length)")
    box.press_sequentially(" typed in the room")
    # As typed, marked against the clause as it was: the words added underlined.
    expect(fred.locator(f"#c-{b} .being-typed ins")).to_have_text(" typed in the room")
    expect(fred.locator(f"#c-{b} .being-typed del")).to_have_count(0)
    expect(fred.locator("#projector-typing")).to_be_visible()
    screenshot(fred, "projector-typing-1920")
    box.press("Control+Enter")
    expect(fred.locator(f"#c-{b} ins").last).to_contain_text("typed in the room")
    expect(fred.locator(f"#c-{b} .being-typed")).to_have_count(0)
    expect(fred.locator("#projector-typing")).to_be_hidden()
    assert problems == []
