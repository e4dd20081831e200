"""Settling at speed: bulk settlements with their preview and one undo, and undo of a single settle."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting.models import Consolidation, Decision, UndoableAction
from drafting.services.consolidation import (
    ConsolidationProblem,
    adopt,
    bulk_preview,
    changers,
    compile_consolidation,
    resolved_text,
    settle_clause,
    settle_many,
    undo_settlement,
)
from drafting.services.undo import UndoProblem

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo_db):
    consolidation = Consolidation.objects.get(resolution__number="75")
    return consolidation, User.objects.get(username="secretariat")


def fresh(consolidation) -> Consolidation:
    return Consolidation.objects.get(pk=consolidation.pk)


def decisions() -> dict[str, tuple]:
    return {d.key: (d.choice, d.group, d.text, d.note) for d in Decision.objects.all()}


def test_every_agreement_row_is_previewed_then_settled_with_the_agreed_text_and_one_undo_takes_it_back(world):
    consolidation, officer = world
    compilation = compile_consolidation(consolidation)
    agreements = [r for r in compilation.rows if r.status == "agreement" and r.merge.text is not None]
    assert agreements, "the demo has agreements (recognizing b), for one)"
    preview = bulk_preview(consolidation, "agreement")
    assert [b.row.key for b in preview.rows] == [r.key for r in agreements]
    assert [b.result for b in preview.rows] == [
        resolved_text(r, Decision(choice="merged"))[0] for r in agreements
    ]
    assert not Decision.objects.exists()  # a preview saves nothing
    version = consolidation.version

    count, action = settle_many(officer, consolidation, "agreement", expected_version=preview.version)
    assert count == len(agreements)
    assert {d.key: d.choice for d in Decision.objects.all()} == {r.key: "merged" for r in agreements}
    assert fresh(consolidation).version == version + 1
    assert action.kind == UndoableAction.SETTLE_MANY and str(count) in action.summary

    undo(officer, action.pk)
    assert not Decision.objects.exists()
    assert fresh(consolidation).version == version + 2
    with pytest.raises(UndoProblem) as twice:
        undo(officer, action.pk)
    assert twice.value.status == 409


def test_one_groups_rows_take_that_groups_text_and_rows_settled_already_are_left_alone(world):
    consolidation, officer = world
    compilation = compile_consolidation(consolidation)
    atu_only = [r for r in compilation.rows if r.status == "one group" and changers(r) == ["ATU"]]
    citel_only = [r for r in compilation.rows if r.status == "one group" and changers(r) == ["CITEL"]]
    assert len(atu_only) > 3 and citel_only
    # One of ATU's rows was settled by hand (keep the base), another left open.
    settle_clause(officer, consolidation, atu_only[0].key, Decision.BASE, note="by hand")
    settle_clause(officer, consolidation, atu_only[1].key, Decision.OPEN)
    before = decisions()
    preview = bulk_preview(fresh(consolidation), "one-group", "ATU")
    assert preview.already == 1
    assert [b.row.key for b in preview.rows] == [r.key for r in atu_only[1:]]
    assert preview.rows[0].decision.choice == Decision.OPEN

    settle_many(officer, fresh(consolidation), "one-group", "ATU", expected_version=preview.version)
    after = decisions()
    assert after[atu_only[0].key] == ("base", "", "", "by hand")
    assert all(after[r.key][:2] == ("group", "ATU") for r in atu_only[1:])
    assert not any(r.key in after for r in citel_only)
    # The undo puts the row left open back to open, and removes the others.
    settle_action = UndoableAction.objects.filter(kind=UndoableAction.SETTLE_MANY).get()
    undo_settlement(officer, settle_action.pk)
    assert decisions() == before


def test_only_the_ticked_rows_of_the_preview_are_settled(world):
    consolidation, officer = world
    preview = bulk_preview(consolidation, "one-group", "CITEL")
    ticked = [b.row.key for b in preview.rows[::2]]
    count, _ = settle_many(
        officer, consolidation, "one-group", "CITEL", keys=ticked, expected_version=preview.version
    )
    assert count == len(ticked) and set(decisions()) == set(ticked)


def test_a_preview_older_than_the_consolidation_saves_nothing(world):
    consolidation, officer = world
    preview = bulk_preview(consolidation, "agreement")
    other = bulk_preview(consolidation, "one-group", "ATU").rows[0].row
    settle_clause(officer, consolidation, other.key, Decision.BASE)
    state = decisions()
    with pytest.raises(ConsolidationProblem, match="changed since your preview") as problem:
        settle_many(officer, fresh(consolidation), "agreement", expected_version=preview.version)
    assert problem.value.status == 409
    assert decisions() == state


def test_a_bulk_settlement_is_for_the_secretariat_on_an_open_consolidation(world):
    consolidation, officer = world
    delegate = User.objects.get(username="atu-delegate")
    with pytest.raises(ConsolidationProblem) as refused:
        settle_many(delegate, consolidation, "agreement", expected_version=consolidation.version)
    assert refused.value.status == 403
    with pytest.raises(ConsolidationProblem, match="Choose the group"):
        settle_many(officer, consolidation, "one-group", "NOBODY", expected_version=consolidation.version)
    with pytest.raises(ConsolidationProblem, match="Choose which rows"):
        settle_many(officer, consolidation, "everything", expected_version=consolidation.version)
    adopt(officer, consolidation, leave_open_as_base=True)
    with pytest.raises(ConsolidationProblem, match="adopted") as adopted:
        settle_many(officer, fresh(consolidation), "agreement", expected_version=fresh(consolidation).version)
    assert adopted.value.status == 409
    assert not Decision.objects.exists()


def test_an_undo_is_refused_whole_when_one_of_its_rows_was_settled_again_since(world):
    consolidation, officer = world
    preview = bulk_preview(consolidation, "one-group", "ATU")
    _, action = settle_many(officer, consolidation, "one-group", "ATU", expected_version=preview.version)
    changed = preview.rows[2].row.key
    decision = Decision.objects.get(key=changed)
    settle_clause(officer, consolidation, changed, Decision.BASE, expected_version=decision.version)
    state = decisions()
    with pytest.raises(ConsolidationProblem, match="settled again since") as refused:
        undo(officer, action.pk)
    assert refused.value.status == 409
    assert decisions() == state  # all or nothing
    assert UndoableAction.objects.get(pk=action.pk).undone_at is None


def test_a_single_settle_is_undone_to_what_it_was_before(world):
    consolidation, officer = world
    row = bulk_preview(consolidation, "one-group", "CITEL").rows[0].row
    first = settle_clause(officer, consolidation, row.key, Decision.BASE, note="first")
    second = settle_clause(
        officer,
        consolidation,
        row.key,
        Decision.GROUP,
        group="CITEL",
        note="second",
        expected_version=first.version,
    )
    assert second.undo.kind == UndoableAction.SETTLE
    undo(officer, second.undo.pk)
    assert decisions() == {row.key: ("base", "", "", "first")}
    # One undo, of the last action: the first settle's result was changed since (by the undo).
    with pytest.raises(ConsolidationProblem, match="settled again since"):
        undo(officer, first.undo.pk)
    other = bulk_preview(consolidation, "one-group", "CITEL").rows[1].row
    created = settle_clause(officer, consolidation, other.key, Decision.GROUP, group="CITEL")
    undo(officer, created.undo.pk)
    assert decisions() == {row.key: ("base", "", "", "first")}
    # Every version is still in the decision's history.
    assert Decision.history.filter(key=row.key).count() == 3  # settled, settled again, undone


def test_only_the_officer_who_did_it_undoes_it(world):
    consolidation, officer = world
    other = User.objects.create_user("officer2")
    other.groups.add(*officer.groups.all())
    row = bulk_preview(consolidation, "one-group", "CITEL").rows[0].row
    decision = settle_clause(officer, consolidation, row.key, Decision.BASE)
    with pytest.raises(UndoProblem) as refused:
        undo(other, decision.undo.pk)
    assert refused.value.status == 403
    with pytest.raises(UndoProblem) as missing:
        undo(officer, 10**9)
    assert missing.value.status == 404
    assert Decision.objects.count() == 1


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_bulk_settlement_over_any_earlier_decisions_is_undone_to_the_same_state(world, data):
    consolidation, officer = world
    compilation = compile_consolidation(consolidation)
    changed = [r for r in compilation.rows if r.status != "unchanged"]
    with transaction.atomic():
        # Some rows decided beforehand, some left open.
        for row in data.draw(st.lists(st.sampled_from(changed), max_size=6, unique_by=lambda r: r.key)):
            choice = data.draw(st.sampled_from([Decision.BASE, Decision.OPEN]))
            existing = Decision.objects.filter(key=row.key).first()
            settle_clause(
                officer, consolidation, row.key, choice, expected_version=existing.version if existing else 0
            )
        rule = data.draw(
            st.sampled_from(
                [("agreement", ""), ("combinable", ""), ("one-group", "ATU"), ("one-group", "CITEL")]
            )
        )
        current = fresh(consolidation)
        preview = bulk_preview(current, *rule)
        keys = [b.row.key for b in preview.rows]
        ticked = data.draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
        before = decisions()
        if not ticked:
            with pytest.raises(ConsolidationProblem, match="No row to settle"):
                settle_many(officer, current, *rule, keys=ticked, expected_version=preview.version)
        else:
            count, action = settle_many(
                officer, current, *rule, keys=ticked, expected_version=preview.version
            )
            assert count == len(ticked)
            assert all(decisions()[k][0] in ("merged", "group") for k in ticked)
            undo(officer, action.pk)
        assert decisions() == before
        transaction.set_rollback(True)


def test_the_pages_preview_settle_and_undo(world):
    consolidation, officer = world
    client = Client()
    client.force_login(officer)
    page = client.get(f"/consolidations/{consolidation.pk}/").content.decode()
    assert "Settle several rows at once" in page and 'value="one-group:ATU"' in page
    preview = client.get(f"/consolidations/{consolidation.pk}/settle-many/?rule=one-group:ATU")
    html = preview.content.decode()
    expected = bulk_preview(consolidation, "one-group", "ATU")
    assert preview.status_code == 200 and html.count('name="key"') == len(expected.rows)
    assert not Decision.objects.exists()
    response = client.post(
        f"/consolidations/{consolidation.pk}/settle-many/",
        {
            "rule": "one-group:ATU",
            "version": expected.version,
            "previewed": "1",
            "key": [expected.rows[0].row.key],
        },
        follow=True,
    )
    html = response.content.decode()
    action = UndoableAction.objects.filter(consolidation=consolidation).get()
    assert "1 row settled" in html and f'action="/undo/{action.pk}/"' in html
    assert list(decisions()) == [expected.rows[0].row.key]
    undone = client.post(f"/undo/{action.pk}/", follow=True).content.decode()
    assert "Undone: 1 row settled" in undone and not Decision.objects.exists()
    # A stale preview goes back to the preview, saying why.
    stale = client.post(
        f"/consolidations/{consolidation.pk}/settle-many/",
        {"rule": "agreement", "version": expected.version},
        follow=True,
    )
    assert "changed since your preview" in stale.content.decode() and not Decision.objects.exists()


def test_the_settle_message_of_the_synoptic_view_offers_undo_in_place(world):
    consolidation, officer = world
    client = Client()
    client.force_login(officer)
    row = bulk_preview(consolidation, "one-group", "CITEL").rows[0].row
    hx = {"HTTP_HX_REQUEST": "true"}
    response = client.post(
        f"/consolidations/{consolidation.pk}/settle/", {"key": row.key, "choice": "base", "version": 0}, **hx
    )
    action = UndoableAction.objects.filter(consolidation=consolidation).get()
    html = response.content.decode()
    assert f'hx-post="/undo/{action.pk}/"' in html and f'hx-target="#k-{row.key}"' in html
    undone = client.post(f"/undo/{action.pk}/", **hx)
    assert undone.status_code == 200 and f'id="k-{row.key}"' in undone.content.decode()
    assert "Undone" in undone.content.decode() and not Decision.objects.exists()
    again = client.post(f"/undo/{action.pk}/", **hx)
    assert again.status_code == 409 and "undone already" in again.content.decode()


def undo(user, pk: int):
    """What the Undo button does (drafting.views.undo)."""
    from drafting.services.amendments import undo_change
    from drafting.services.consolidation import undo_settlement
    from drafting.services.undo import is_settlement

    return (undo_settlement if is_settlement(pk) else undo_change)(user, pk)
