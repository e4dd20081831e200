"""A delegate follows a stale citation from the library to the drafted update, then types a citation in the editor."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from drafting.models import Clause, Conference, Contribution
from drafting.models.people import DELEGATES, SECRETARIAT
from drafting.services.consolidation import adopt, open_consolidation
from tests.browser.conftest import log_in
from tests.citation_factories import library, pp22
from tests.drafting_factories import group, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    res140, res75, res1332, res30 = library()
    secretariat = person("sec", SECRETARIAT)
    adopt(secretariat, open_consolidation(secretariat, pp22(), res140.resolution), leave_open_as_base=True)
    atu = group("ATU", "ATU")
    person("amina", DELEGATES, atu)
    conference = Conference.objects.create(
        body=res75.resolution.body, code="WTSA-24", place="New Delhi", year=2024
    )
    contribution = Contribution.objects.create(
        conference=conference, group=atu, document_number="35", addendum=18, title="Citation updates"
    )
    return res75, contribution


def test_a_delegate_drafts_the_citation_update_and_checks_a_citation_while_typing(
    new_page, live_server, world, screenshot
):
    res75, contribution = world
    page = new_page()
    log_in(page, live_server, "amina", land=False)

    # Res. 75 in the library: its citation of PP Res. 140 links to the current edition and says it is older.
    page.goto(f"{live_server.url}{res75.get_absolute_url()}")
    citation = page.locator("#considering-e-viii a.citation")
    expect(citation).to_have_text("Resolution\u00a0140 (Rev.\u00a0Busan, 2014)")
    expect(page.locator("#considering-e-viii .cite-note")).to_have_text(
        "(not the current edition: Rev. Bucharest, 2022)"
    )
    citation.click()
    expect(page).to_have_url(f"{live_server.url}/resolutions/pp/140/bucharest-2022/")

    # Resolution 140's page: who cites it, and the way to the report.
    expect(page.locator(".cited-by")).to_contain_text("WTSA Resolution 75")
    page.locator("#citations").scroll_into_view_if_needed()
    screenshot(page, "citations-edition-page")
    page.get_by_role("link", name="Texts citing an older edition of this resolution").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Citations to update: PP Resolution 140")
    expect(page.locator(".stale-group")).to_contain_text(
        "9 citations in 3 resolutions cite an older edition."
    )
    screenshot(page, "citations-stale-report")

    # Preview, then draft: three MOD proposals, one amendment per clause.
    page.get_by_role("button", name="Preview the proposals").click()
    expect(page.locator(".update-plan")).to_have_count(3)
    expect(page.locator(".update-plan").first.locator("del").first).to_contain_text("Busan, 2014")
    expect(page.locator(".update-plan").first.locator("ins").first).to_contain_text("Bucharest, 2022")
    # The list "Resolutions 101, 140 and 178 (Rev. Dubai, 2018)" is split, Resolution 140 taking its own edition.
    split = page.locator(".update-plan").nth(1).locator(".marked").nth(1)
    expect(split.locator("del")).to_have_text(", 140")
    expect(split.locator("ins")).to_have_text("and Resolution 140 (Rev. Bucharest, 2022) ")
    screenshot(page, "citations-update-preview")
    page.get_by_role("button", name="Draft 9 amendments").click()
    expect(page).to_have_url(f"{live_server.url}{contribution.get_absolute_url()}")
    for label in ("MOD ATU/35A18/1", "MOD ATU/35A18/2", "MOD ATU/35A18/3"):
        expect(page.get_by_text(label)).to_be_visible()

    # In the editor, a citation typed with a misspelt venue is flagged as she types.
    proposal = contribution.proposals.get(resolution=res75.resolution)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    key = Clause.objects.get(edition=res75, anchor="taking-into-account-a").provision.key
    page.locator(f"#c-{key} .clause-view").click()
    expect(page.locator(f"#c-{key} textarea")).to_be_focused()  # the box is ready
    textarea = page.locator(f"#c-{key} textarea")
    textarea.fill(
        "Resolution 30 (Rev. Kigali, 2022) of the World Telecommunication Development Conference, and"
    )
    textarea.press_sequentially(" PP Resolution 71 (Rev. Buchrest, 2022);", delay=20)
    check = page.locator(f"#c-{key} .citation-check")
    expect(check).to_contain_text("PP Resolution 71 (Rev. Buchrest, 2022) (did you mean Bucharest?)")
    expect(check.get_by_role("link", name="WTDC Resolution 30 (Rev. Kigali, 2022)")).to_have_attribute(
        "href", "/resolutions/wtdc/30/buenos-aires-2017/"
    )
    screenshot(page, "citations-live-check")


def test_the_check_while_typing_is_in_the_page_s_language_not_the_browser_s(new_page, live_server, world):
    """The check's request carries no cookie; the page sends its own language (Chromium's is English)."""
    from django.contrib.auth.models import User

    from drafting.services.contributions import add_proposal
    from tests.locales import catalogue

    res75, contribution = world
    amina = User.objects.get(username="amina")
    proposal = add_proposal(amina, contribution, action="MOD", resolution=res75.resolution)
    page = new_page()
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
    log_in(page, live_server, "amina", land=False)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    key = Clause.objects.get(edition=res75, anchor="taking-into-account-a").provision.key
    page.locator(f"#c-{key} .clause-view").click()
    textarea = page.locator(f"#c-{key} textarea")
    expect(textarea).to_be_focused()
    textarea.fill("no reference here")
    textarea.press_sequentially(" at all", delay=20)
    expect(page.locator(f"#c-{key} .citation-check")).to_have_text(
        catalogue("ru").find("No citation in this text.").msgstr
    )
