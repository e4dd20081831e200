"""Contributions: created by a group, given proposals, submitted, withdrawn and revised."""

from __future__ import annotations

import pytest
from django.test import Client

from drafting.models import Amendment, Clause, Conference, Contribution, Proposal
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT
from drafting.services.amendments import add_clause, draft_of, modify_clause
from drafting.services.contributions import (
    DraftingProblem,
    add_proposal,
    create_contribution,
    revise_contribution,
    submit_contribution,
    update_contribution,
    withdraw_contribution,
)
from tests.drafting_factories import base_edition, group, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    edition = base_edition()
    conference = Conference.objects.create(
        body=edition.resolution.body, code="WTSA-24", place="New Delhi", year=2024
    )
    atu = group("ATU")
    return {
        "edition": edition,
        "conference": conference,
        "atu": atu,
        "delegate": person("atu-d", DELEGATES, atu),
        "coordinator": person("atu-c", COORDINATORS, atu),
        "citel": person("citel-d", DELEGATES, group("CITEL", "IAP")),
        "secretariat": person("sec", SECRETARIAT),
        "observer": person("obs", OBSERVERS),
    }


def new_contribution(w, who="delegate"):
    return create_contribution(
        w[who], conference=w["conference"], group=w["atu"], document_number="35", addendum=18, title="Res. 75"
    )


def test_a_delegate_creates_a_draft_and_numbers_its_proposals(world):
    contribution = new_contribution(world)
    assert contribution.status == "draft" and contribution.code == "35A18"
    mod = add_proposal(world["delegate"], contribution, action="MOD", resolution=world["edition"].resolution)
    assert mod.base_edition == world["edition"]
    add = add_proposal(
        world["delegate"],
        contribution,
        action="ADD",
        new_number="[ATU-1]",
        new_title="Artificial intelligence",
    )
    assert [mod.label, add.label] == ["MOD ATU/35A18/1", "ADD ATU/35A18/2"]


@pytest.mark.parametrize("who", ["citel", "secretariat", "observer"])
def test_only_the_groups_delegates_create_its_contributions(world, who):
    with pytest.raises(DraftingProblem) as problem:
        new_contribution(world, who)
    assert problem.value.status == 403
    assert not Contribution.objects.exists()


def test_a_document_number_is_used_once_per_conference(world):
    new_contribution(world)
    with pytest.raises(DraftingProblem, match="already exists") as problem:
        new_contribution(world)
    assert problem.value.status == 409


def test_a_proposal_needs_a_resolution_and_one_per_resolution(world):
    contribution = new_contribution(world)
    with pytest.raises(DraftingProblem, match="Choose the resolution"):
        add_proposal(world["delegate"], contribution, action="MOD")
    add_proposal(world["delegate"], contribution, action="NOC", resolution=world["edition"].resolution)
    with pytest.raises(DraftingProblem, match="already has a proposal"):
        add_proposal(world["delegate"], contribution, action="SUP", resolution=world["edition"].resolution)
    assert Proposal.objects.count() == 1


def test_editing_the_contribution_checks_the_version(world):
    contribution = new_contribution(world)
    update_contribution(world["delegate"], contribution, contribution.version, abstract="ATU proposes...")
    with pytest.raises(DraftingProblem, match="Someone changed this contribution"):
        update_contribution(world["delegate"], contribution, 1, abstract="stale")
    contribution.refresh_from_db()
    assert contribution.abstract == "ATU proposes..."


def test_withdrawing_needs_a_submitted_contribution_and_the_coordinator(world):
    contribution = new_contribution(world)
    with pytest.raises(DraftingProblem):
        withdraw_contribution(world["coordinator"], contribution)
    submit_contribution(world["coordinator"], contribution)
    with pytest.raises(DraftingProblem) as problem:
        withdraw_contribution(world["delegate"], contribution)
    assert problem.value.status == 403
    withdraw_contribution(world["coordinator"], contribution)
    contribution.refresh_from_db()
    assert contribution.status == "withdrawn"


def test_a_revision_copies_every_change_and_keeps_the_submitted_one_as_it_was(world):
    contribution = new_contribution(world)
    proposal = add_proposal(
        world["delegate"], contribution, action="MOD", resolution=world["edition"].resolution
    )
    a = str(Clause.objects.get(edition=world["edition"], anchor="considering-a").provision.key)
    modify_clause(world["delegate"], proposal, a, "changed;", 0)
    added = add_clause(world["delegate"], proposal, a, "after", text="a new item")
    add_clause(world["delegate"], proposal, str(added.added.key), "after", text="after the new item")
    submit_contribution(world["coordinator"], contribution)

    revision = revise_contribution(world["delegate"], contribution)
    assert revision.document_label == "Revision 1 to Addendum 18 to Document 35"
    assert revision.code == "35A18R1" and revision.status == "draft" and revision.revises == contribution
    copy = revision.proposals.get()
    assert copy.label == "MOD ATU/35A18R1/1"
    old_text = [(c.label, c.text) for c, _ in draft_of(proposal).walk()]
    assert [(c.label, c.text) for c, _ in draft_of(copy).walk()] == old_text
    # Editing the revision leaves the submitted contribution untouched.
    modify_clause(world["delegate"], copy, a, "changed again;", copy.amendments.get(action="modify").version)
    assert Amendment.objects.get(proposal=proposal, action="modify").text == "changed;"
    with pytest.raises(DraftingProblem, match="already has a revision"):
        revise_contribution(world["delegate"], contribution)


def test_the_pages_create_a_contribution_and_a_proposal(world):
    client = Client()
    client.force_login(world["delegate"])
    assert "New contribution" in client.get("/contributions/").content.decode()
    response = client.post(
        "/contributions/new/",
        {
            "conference": world["conference"].pk,
            "group": world["atu"].pk,
            "document_number": "35",
            "addendum": "18",
            "title": "On Res. 75",
        },
    )
    contribution = Contribution.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/contributions/{contribution.pk}/"
    response = client.post(
        f"/contributions/{contribution.pk}/proposals/",
        {"action": "MOD", "edition": world["edition"].pk, "reasons": "Alignment with PP-22."},
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "MOD ATU/35A18/1" in page and "Alignment with PP-22." in page
    again = client.post(
        "/contributions/new/",
        {
            "conference": world["conference"].pk,
            "group": world["atu"].pk,
            "document_number": "35",
            "addendum": "18",
            "title": "Again",
        },
    )
    assert again.status_code == 409 and "already exists" in again.content.decode()


def test_people_outside_a_group_cannot_start_its_contribution_through_the_page(world):
    client = Client()
    client.force_login(world["observer"])
    assert client.get("/contributions/new/").status_code == 403
