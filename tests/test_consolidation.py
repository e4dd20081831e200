"""Consolidation: ATU's and CITEL's demo proposals on Res. 75, settled clause by clause and adopted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from drafting.models import Clause, Consolidation, Decision, Edition
from drafting.services.consolidation import (
    ConsolidationProblem,
    adopt,
    compile_consolidation,
    consolidated_draft,
    outcomes,
    settle_clause,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo_db):
    consolidation = Consolidation.objects.get(resolution__number="75")
    return consolidation, User.objects.get(username="secretariat")


def row_at(compilation, anchor):
    key = str(Clause.objects.get(edition=compilation.consolidation.base_edition, anchor=anchor).provision.key)
    return next(r for r in compilation.rows if r.key == key)


def test_the_seed_proposals_give_the_agreement_and_conflicts_read_off_their_texts(world):
    consolidation, _ = world
    compilation = compile_consolidation(consolidation)
    assert compilation.groups == ["ATU", "CITEL"]
    # Both reword resolves 4, differently: a conflict naming both.
    resolves_4 = row_at(compilation, "resolves-4")
    assert resolves_4.status == "conflict"
    assert {g for h in resolves_4.merge.conflicts for g in h.groups} == {"ATU", "CITEL"}
    # Instructs 1: ATU renames the working group, CITEL adds words at the end: both stand.
    instructs_1 = row_at(compilation, "instructs-the-director-of-the-telecommunication-standardizat-1")
    assert instructs_1.status == "combinable"
    assert (
        "CWG‑WSIS&SDG" in instructs_1.merge.text
        and "activities related to the 2030 Agenda" in instructs_1.merge.text
    )
    # Both add an item after recognizing b): b)'s closing comma becomes a semicolon in both, an agreement,
    # and the two new items stand at the same place, flagged.
    assert row_at(compilation, "recognizing-b").status == "agreement"
    added = [r for r in compilation.rows if r.same_place_as_others]
    assert sorted(r.added_by[0] for r in added) == ["ATU", "CITEL"]
    # Only ATU renames considering to recalling.
    assert row_at(compilation, "considering").status == "one group"


def test_each_kind_of_decision_and_the_draft(world):
    consolidation, officer = world
    compilation = compile_consolidation(consolidation)
    r4 = row_at(compilation, "resolves-4")
    i1 = row_at(compilation, "instructs-the-director-of-the-telecommunication-standardizat-1")
    part = row_at(compilation, "considering")
    g = row_at(compilation, "considering-e-xi")  # CITEL suppresses it
    settle_clause(officer, consolidation, r4.key, Decision.GROUP, group="CITEL")
    settle_clause(officer, consolidation, i1.key, Decision.MERGED)
    settle_clause(officer, consolidation, part.key, Decision.BASE, note="Keep the heading; discussed in SWG.")
    settle_clause(
        officer,
        consolidation,
        g.key,
        Decision.MANUAL,
        text="the opinions of the World Telecommunication/ICT Policy Forum (Geneva, 2013);",
    )
    draft = consolidated_draft(compile_consolidation(consolidation))
    assert draft.problems == []
    assert draft.find(r4.key).text.startswith(
        "that the relevant ITU‑T study groups should consider in their studies the output of CWG‑Internet"
    )
    assert "activities related to the 2030 Agenda" in draft.find(i1.key).text
    assert draft.clauses[0].heading == "considering"
    # Open clauses carry their text in square brackets.
    c = row_at(compile_consolidation(consolidation), "considering-c")
    assert draft.find(c.key).text.replace("\u00a0", " ").startswith("[UNGA Resolution A/70/125")


def test_a_conflict_has_no_merged_text_to_take(world):
    consolidation, officer = world
    r4 = row_at(compile_consolidation(consolidation), "resolves-4")
    with pytest.raises(ConsolidationProblem, match="no merged text"):
        settle_clause(officer, consolidation, r4.key, Decision.MERGED)
    assert not Decision.objects.exists()


def test_a_delegate_cannot_settle(world):
    consolidation, _ = world
    r4 = row_at(compile_consolidation(consolidation), "resolves-4")
    with pytest.raises(ConsolidationProblem) as problem:
        settle_clause(User.objects.get(username="atu-delegate"), consolidation, r4.key, Decision.BASE)
    assert problem.value.status == 403


def test_two_officers_settling_the_same_clause_from_the_same_version(world):
    consolidation, officer = world
    other = User.objects.create_user("officer2")
    other.groups.add(*officer.groups.all())
    r4 = row_at(compile_consolidation(consolidation), "resolves-4")
    settle_clause(officer, consolidation, r4.key, Decision.GROUP, group="ATU", expected_version=0)
    with pytest.raises(ConsolidationProblem, match="settled this clause") as problem:
        settle_clause(other, consolidation, r4.key, Decision.GROUP, group="CITEL", expected_version=0)
    assert problem.value.status == 409
    assert Decision.objects.get().group == "ATU"


def test_settling_against_a_base_that_changed_is_refused(world):
    consolidation, officer = world
    r4 = row_at(compile_consolidation(consolidation), "resolves-4")
    with pytest.raises(
        ConsolidationProblem, match="base edition of this consolidation has changed"
    ) as problem:
        settle_clause(
            officer, consolidation, r4.key, Decision.BASE, expected_base=consolidation.base_edition_id + 999
        )
    assert problem.value.status == 409


def test_every_decision_is_kept_in_history_and_can_be_changed_back(world):
    consolidation, officer = world
    r4 = row_at(compile_consolidation(consolidation), "resolves-4")
    d = settle_clause(officer, consolidation, r4.key, Decision.GROUP, group="ATU")
    d = settle_clause(officer, consolidation, r4.key, Decision.BASE, expected_version=d.version)
    settle_clause(officer, consolidation, r4.key, Decision.GROUP, group="ATU", expected_version=d.version)
    assert [h.choice for h in Decision.history.order_by("history_date")] == ["group", "base", "group"]


def test_adoption_refuses_open_clauses_unless_told(world):
    consolidation, officer = world
    with pytest.raises(ConsolidationProblem, match="still open") as problem:
        adopt(officer, consolidation)
    assert problem.value.status == 400
    assert not Edition.objects.filter(slug="new-delhi-2024").exists()


def test_adoption_makes_the_next_edition_with_identities_carried_over(world):
    consolidation, officer = world
    compilation = compile_consolidation(consolidation)
    for row in compilation.open_rows():
        choice = Decision.GROUP if row.status == "conflict" else Decision.MERGED
        settle_clause(
            officer, consolidation, row.key, choice, group="ATU" if choice == Decision.GROUP else ""
        )
    assert {g: o.kind for g, o in outcomes(compile_consolidation(consolidation)).items()} == {
        "ATU": "adopted",
        "CITEL": "adopted with modifications",
    }
    edition = adopt(officer, consolidation)
    assert edition.revision == "Rev. New Delhi, 2024"
    assert edition.history_line == "(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016; New Delhi, 2024)"
    assert (
        edition.enacting_formula == "The World Telecommunication Standardization Assembly (New Delhi, 2024),"
    )
    base = consolidation.base_edition
    # Considering e) of 2016 is recalling f) now (ATU added an item before it): one provision.
    old = Clause.objects.get(edition=base, anchor="considering-e")
    assert Clause.objects.get(edition=edition, provision=old.provision).anchor == "recalling-f"
    consolidation.refresh_from_db()
    assert consolidation.status == "adopted" and consolidation.adopted_edition == edition
    with pytest.raises(ConsolidationProblem, match="already been adopted"):
        adopt(officer, consolidation)
    # The two editions compare clause by clause.
    client = Client()
    html = client.get(f"/resolutions/wtsa/75/compare/?old={base.slug}&new={edition.slug}").content.decode()
    assert "<ins>recalling" in html


def test_the_pages(world):
    consolidation, officer = world
    client = Client()
    client.force_login(officer)
    html = client.get(f"/consolidations/{consolidation.pk}/?filter=conflicts").content.decode()
    assert "1 conflict" in html and html.count('class="syn-row ') == 1
    stacked = client.get(f"/consolidations/{consolidation.pk}/?layout=stacked").content.decode()
    assert "synoptic stacked" in stacked
    r4 = row_at(compile_consolidation(consolidation), "resolves-4")
    response = client.post(
        f"/consolidations/{consolidation.pk}/settle/",
        {
            "key": r4.key,
            "choice": "group",
            "group": "ATU",
            "version": 0,
            "base": consolidation.base_edition_id,
        },
    )
    assert response.status_code == 302 and Decision.objects.get().group == "ATU"
    draft = client.get(f"/consolidations/{consolidation.pk}/draft/").content.decode()
    assert "Adopt as Rev. New Delhi, 2024" in draft
    refused = client.post(f"/consolidations/{consolidation.pk}/adopt/", {"version": 0})
    assert refused.status_code == 302 and not Edition.objects.filter(slug="new-delhi-2024").exists()
    adopted = client.post(f"/consolidations/{consolidation.pk}/adopt/", {"leave_open": "1"})
    assert adopted["Location"] == "/resolutions/wtsa/75/new-delhi-2024/"
    delegate = Client()
    delegate.force_login(User.objects.get(username="citel-delegate"))
    assert "MOD IAP/36A3/1" in delegate.get(f"/consolidations/{consolidation.pk}/").content.decode()


def test_the_api_reads_settles_and_adopts_for_the_secretariat_only(world):
    import base64
    import json

    consolidation, officer = world
    officer.set_password("pw")
    officer.save()
    delegate = User.objects.get(username="atu-delegate")
    delegate.set_password("pw")
    delegate.save()

    def call(method, url, who, body=None):
        auth = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{who}:pw".encode()).decode()}
        if body is not None:
            auth.update(data=json.dumps(body), content_type="application/json")
        return getattr(Client(), method)(url, **auth)

    data = call("get", f"/api/consolidations/{consolidation.pk}", "atu-delegate").json()
    conflict = next(r for r in data["rows"] if r["status"] == "conflict")
    assert {g["group"] for g in conflict["groups"]} == {"ATU", "CITEL"} and conflict["conflicts"]
    body = {"key": conflict["key"], "choice": "group", "group": "CITEL", "version": 0}
    assert (
        call("post", f"/api/consolidations/{consolidation.pk}/settle", "atu-delegate", body).status_code
        == 403
    )
    settled = call("post", f"/api/consolidations/{consolidation.pk}/settle", "secretariat", body).json()
    row = next(r for r in settled["rows"] if r["key"] == conflict["key"])
    assert row["decision"] == "group" and row["decision_group"] == "CITEL" and not row["open"]
    stale = call(
        "post", f"/api/consolidations/{consolidation.pk}/settle", "secretariat", {**body, "group": "ATU"}
    )
    assert stale.status_code == 409
    assert call("post", f"/api/consolidations/{consolidation.pk}/adopt", "secretariat", {}).status_code == 400
    adopted = call(
        "post", f"/api/consolidations/{consolidation.pk}/adopt", "secretariat", {"leave_open_as_base": True}
    )
    assert adopted.json()["revision"] == "Rev. New Delhi, 2024"


def test_a_submitted_revision_replaces_the_original_and_the_group_sees_its_outcome(world):
    from drafting.services.amendments import modify_clause
    from drafting.services.contributions import revise_contribution, submit_contribution

    consolidation, officer = world
    atu = (
        Consolidation.objects.get(pk=consolidation.pk)
        .resolution.proposals.get(contribution__group__code="ATU")
        .contribution
    )
    revision = revise_contribution(User.objects.get(username="atu-delegate"), atu)
    proposal = revision.proposals.get()
    r4 = row_at(compile_consolidation(consolidation), "resolves-4")
    current = proposal.amendments.get(target__key=r4.key, action="modify")
    citel_text = r4.versions["CITEL"].clause.text
    modify_clause(User.objects.get(username="atu-delegate"), proposal, r4.key, citel_text, current.version)
    submit_contribution(User.objects.get(username="atu-coordinator"), revision)
    compilation = compile_consolidation(consolidation)
    assert compilation.proposals["ATU"].contribution == revision
    # Same words now; ATU's added resolves 5 still turns the closing comma into a semicolon, which combines.
    assert row_at(compilation, "resolves-4").status == "combinable"
    client = Client()
    client.force_login(User.objects.get(username="atu-delegate"))
    html = client.get(f"/contributions/{revision.pk}/").content.decode()
    assert 'consolidation</a>: <span class="badge">pending: 0 of ' in html
