"""In the proposal editor, a citation in the marked text is a link to the cited edition: clicked or
entered from the keyboard, it goes there instead of opening the clause."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from drafting.models import Clause, Conference, Contribution, Proposal
from drafting.models.people import DELEGATES
from drafting.services.amendments import modify_clause
from tests.browser.conftest import log_in
from tests.citation_factories import library
from tests.drafting_factories import group, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    res140, res75, _, _ = library()
    atu = group("ATU", "ATU")
    amina = person("amina", DELEGATES, atu)
    conference = Conference.objects.create(
        body=res75.resolution.body, code="WTSA-24", place="New Delhi", year=2024
    )
    contribution = Contribution.objects.create(
        conference=conference, group=atu, document_number="35", addendum=18, title="Proposals on Res. 75"
    )
    proposal = Proposal.objects.create(
        contribution=contribution,
        number=1,
        action=Proposal.MOD,
        resolution=res75.resolution,
        base_edition=res75,
        reasons="Cite the current edition.",
    )
    viii = Clause.objects.select_related("provision").get(edition=res75, anchor="considering-e-viii")
    modify_clause(
        amina, proposal, str(viii.provision.key), viii.text.replace("Busan, 2014", "Dubai, 2018"), 0
    )
    return res140, proposal, str(viii.provision.key)


def test_a_citation_in_the_editors_marks_leads_to_the_cited_edition(new_page, live_server, world, screenshot):
    res140, proposal, key = world
    page = new_page()
    log_in(page, live_server, "amina", land=False)
    editor = f"{live_server.url}{proposal.get_absolute_url()}"
    page.goto(editor)

    clause = page.locator(f"#c-{key}")
    inserted = clause.locator("ins a.citation")
    expect(inserted).to_have_text("Dubai, 2018")
    expect(clause.locator("del a.citation.outdated")).to_have_text("Busan, 2014")
    expect(clause.locator(".cite-note")).to_have_text("(not the current edition: Rev. Dubai, 2018)")
    clause.scroll_into_view_if_needed()
    screenshot(page, "citation-links-editor")

    inserted.click()
    expect(page).to_have_url(f"{live_server.url}{res140.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ITU's role in implementing the outcomes")

    # From the keyboard: Enter on the link follows it too, and does not open the clause's edit box.
    page.goto(editor)
    clause.locator("a.citation").first.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}{res140.get_absolute_url()}")
