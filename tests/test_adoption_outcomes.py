"""Adoption closes the loop: every group sees what became of its proposal and of each change.

On the demo consolidation of Res. 75 (ATU and CITEL): the officer confirms
adoption on a page that shows what will be adopted and what is still open;
afterwards the contribution, proposal, consolidation and draft pages and the
API all tell the outcome, and the proposals on that resolution are closed.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from drafting.models import Clause, Consolidation, Decision, Edition, Proposal
from drafting.services import DomainError
from drafting.services.consolidation import (
    NOT_TAKEN,
    PENDING,
    TAKEN,
    TAKEN_MODIFIED,
    adopt,
    compile_consolidation,
    fates,
    outcomes,
    settle_clause,
)
from drafting.services.contributions import revise_contribution, withdraw_contribution

pytestmark = pytest.mark.django_db


def kinds(found: dict) -> dict[str, str]:
    return {group: outcome.kind for group, outcome in found.items()}


@pytest.fixture
def world(demo_db):
    consolidation = Consolidation.objects.get(resolution__number="75")
    return consolidation, User.objects.get(username="secretariat")


def key(consolidation, anchor: str) -> str:
    return str(Clause.objects.get(edition=consolidation.base_edition, anchor=anchor).provision.key)


def visible_text(html: str) -> str:
    """The text a sighted reader sees: without the "[deleted: ...]" said only to screen readers."""
    return re.sub(r'<span class="sr-only">[^<]*</span>', "", html)


def fate_of(compilation, group: str, k: str):
    return next(f for f in fates(compilation)[group] if f.key == k)


def settle_some(consolidation, officer):
    """Three clauses settled three ways; everything else left open."""
    r4 = key(consolidation, "resolves-4")  # both groups reword it, differently
    considering = key(consolidation, "considering")  # ATU renames the part
    taking = key(consolidation, "taking-into-account-a")  # ATU updates a citation
    settle_clause(officer, consolidation, r4, Decision.GROUP, group="CITEL")
    settle_clause(
        officer, consolidation, considering, Decision.BASE, note="Keep the heading; discussed in SWG."
    )
    settle_clause(
        officer,
        consolidation,
        taking,
        Decision.MANUAL,
        text="Resolution 30 (Rev. Kigali, 2022) of the World Telecommunication Development Conference (WTDC), "
        "on the role of the ITU Telecommunication Development Sector;",
    )
    return r4, considering, taking


def test_each_change_has_its_fate_and_open_ones_are_pending_until_adoption(world):
    consolidation, officer = world
    r4, considering, taking = settle_some(consolidation, officer)
    compilation = compile_consolidation(consolidation)
    assert fate_of(compilation, "CITEL", r4).fate == TAKEN
    # CITEL's words drop WG-WSIS as ATU's do, in other words: ATU's change is taken as modified.
    assert fate_of(compilation, "ATU", r4).fate == TAKEN_MODIFIED
    heading = fate_of(compilation, "ATU", considering)
    assert heading.fate == NOT_TAKEN and heading.note == "Keep the heading; discussed in SWG."
    assert heading.proposed == "recalling" and heading.result == "considering"
    assert fate_of(compilation, "ATU", taking).fate == TAKEN_MODIFIED
    assert fate_of(compilation, "ATU", taking).result.startswith("Resolution 30 (Rev. Kigali, 2022)")
    assert {f.fate for f in fates(compilation)["ATU"]} >= {PENDING}
    assert kinds(outcomes(compilation)) == {"ATU": "pending", "CITEL": "pending"}
    assert str(outcomes(compilation)["ATU"]) == "pending: 3 of 18 changes settled"
    # As adoption would leave them: open clauses keep the base text, so they are not taken. Most of
    # each group's changes are still open: the proposals are partly adopted, and say how far.
    as_adopted = outcomes(compilation, adopted=True)
    assert kinds(as_adopted) == {"ATU": "partly adopted", "CITEL": "partly adopted"}
    assert str(as_adopted["ATU"]) == "partly adopted: 2 of 18 changes taken"


def test_a_text_that_changes_other_words_does_not_take_the_groups_change(world):
    consolidation, officer = world
    taking = key(consolidation, "taking-into-account-a")
    base = Clause.objects.get(edition=consolidation.base_edition, anchor="taking-into-account-a").text
    settle_clause(
        officer, consolidation, taking, Decision.MANUAL, text=base.replace("role of", "role played by")
    )
    assert fate_of(compile_consolidation(consolidation), "ATU", taking).fate == NOT_TAKEN


def test_adopting_asks_for_confirmation_showing_the_text_and_what_is_open(world):
    consolidation, officer = world
    settle_some(consolidation, officer)
    open_now = len(compile_consolidation(consolidation).open_rows())
    client = Client()
    client.force_login(officer)
    draft = client.get(f"/consolidations/{consolidation.pk}/draft/").content.decode()
    assert f'href="/consolidations/{consolidation.pk}/adoption/"' in draft
    page = client.get(f"/consolidations/{consolidation.pk}/adoption/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"{open_now} clauses still open" in html
    assert "Adopt Res" not in html and "Adopt as Rev. New Delhi, 2024" in html
    assert 'name="leave_open" value="1" required' in html  # the form works without JavaScript
    assert 'ATU <span class="badge">partly adopted: 2 of 18 changes taken</span>' in html
    # The confirmed text carries no bracket: open clauses keep the base text there.
    assert "[" not in visible_text(html[html.index('<article class="resolution compare"') :])
    # Nothing was adopted by looking.
    assert not Edition.objects.filter(slug="new-delhi-2024").exists()
    delegate = Client()
    delegate.force_login(User.objects.get(username="atu-delegate"))
    assert delegate.get(f"/consolidations/{consolidation.pk}/adoption/").status_code == 403


def test_after_adoption_every_page_tells_what_became_of_each_change(world):
    consolidation, officer = world
    r4, considering, taking = settle_some(consolidation, officer)
    client = Client()
    client.force_login(officer)
    response = client.post(
        f"/consolidations/{consolidation.pk}/adopt/",
        {"leave_open": "1", "version": Consolidation.objects.get(pk=consolidation.pk).version},
    )
    assert response.status_code == 302
    consolidation.refresh_from_db()
    assert consolidation.status == Consolidation.ADOPTED
    compilation = compile_consolidation(consolidation)
    assert kinds(outcomes(compilation)) == {"ATU": "partly adopted", "CITEL": "partly adopted"}
    assert not any(f.fate == PENDING for group in fates(compilation).values() for f in group)
    left_open = [f for f in fates(compilation)["ATU"] if f.decision == ""]
    assert left_open and all(
        f.fate == NOT_TAKEN and f.note == "Left open at adoption: the base text was kept." for f in left_open
    )

    atu = Proposal.objects.get(contribution__group__code="ATU", resolution__number="75")
    delegate = Client()
    delegate.force_login(User.objects.get(username="atu-delegate"))
    contribution_page = delegate.get(f"/contributions/{atu.contribution.pk}/").content.decode()
    said = str(outcomes(compilation)["ATU"])
    assert said.startswith("partly adopted: ") and said.endswith(" of 18 changes taken")
    assert f'consolidation</a>: <span class="badge">{said}</span>' in contribution_page
    assert "What became of each change" in contribution_page
    assert "Keep the heading; discussed in SWG." in contribution_page
    assert "taken as modified" in contribution_page and "not taken" in contribution_page
    assert "Make a revision" not in contribution_page
    assert "has been adopted at WTSA-24" in contribution_page

    proposal_page = delegate.get(f"/proposals/{atu.pk}/").content.decode()
    assert f'Outcome: <span class="badge">{said}</span>' in proposal_page
    assert 'adopted as <a href="/resolutions/wtsa/75/new-delhi-2024/">' in proposal_page
    assert "A newer edition" not in proposal_page  # the adopted edition is no edition to carry it onto

    consolidation_page = delegate.get(f"/consolidations/{consolidation.pk}/").content.decode()
    assert (
        "(pending)" not in consolidation_page and "Outcomes: what became of each group" in consolidation_page
    )
    assert " open</a>" not in consolidation_page and "left open kept the base text" in consolidation_page
    # The list of fates comes when it is opened (htmx), or on a page of its own.
    for headers in ({"HTTP_HX_REQUEST": "true"}, {}):
        fates_page = delegate.get(f"/consolidations/{consolidation.pk}/fates/", **headers).content.decode()
        assert f'ATU: <span class="badge">{said}</span>' in fates_page
        assert "taken as modified" in fates_page and "pending" not in fates_page
        assert ("<html" in fates_page) == (not headers)

    # The consolidated draft is the adopted text: no bracketed leftovers.
    draft_page = delegate.get(f"/consolidations/{consolidation.pk}/draft/").content.decode()
    assert "This is the text that was adopted" in draft_page
    assert "[" not in visible_text(draft_page[draft_page.index('<article class="resolution compare"') :])
    adopted = Edition.objects.get(slug="new-delhi-2024")
    adopted_texts = list(adopted.clauses.values_list("text", flat=True))
    assert not any(t.startswith("[") for t in adopted_texts)

    # Revisions of proposals on the adopted resolution are closed, with the reason.
    with pytest.raises(DomainError, match="has been adopted at WTSA-24") as closed:
        revise_contribution(User.objects.get(username="atu-delegate"), atu.contribution)
    assert closed.value.status == 409
    refused = delegate.post(f"/contributions/{atu.contribution.pk}/revise/")
    assert refused.status_code == 302 and not atu.contribution.revisions.exists()
    with pytest.raises(DomainError, match="can no longer be withdrawn") as withdrawing:
        withdraw_contribution(User.objects.get(username="atu-coordinator"), atu.contribution)
    assert withdrawing.value.status == 409


def test_the_api_tells_each_proposal_its_outcome(world):
    import base64

    consolidation, officer = world
    r4, _, _ = settle_some(consolidation, officer)
    adopt(officer, consolidation, leave_open_as_base=True)
    citel = Proposal.objects.get(contribution__group__code="CITEL", resolution__number="75")
    user = User.objects.get(username="citel-delegate")
    user.set_password("pw")
    user.save()
    auth = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"citel-delegate:pw").decode()}
    data = Client().get(f"/api/proposals/{citel.pk}/outcome", **auth).json()
    assert data["outcome"] == "partly adopted" and data["consolidation_status"] == "adopted"
    assert data["outcome_text"] == f"partly adopted: {data['changes_taken']} of 18 changes taken"
    assert data["changes_proposed"] == 18 == len(data["fates"])
    assert data["adopted_edition"]["slug"] == "new-delhi-2024" and data["adopted_edition"]["id"]
    r4_fate = next(f for f in data["fates"] if f["key"] == r4)
    assert r4_fate["fate"] == "taken" and r4_fate["decision"] == "group"
    revise = Client().post(f"/api/contributions/{citel.contribution.pk}/submit", **auth)
    assert revise.status_code in (403, 409)
