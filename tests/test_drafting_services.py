"""Drafting services: amendments saved clause by clause, with version checks and permissions."""

from __future__ import annotations

import pytest

from drafting.models import Amendment, Clause, Contribution
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT
from drafting.services.amendments import add_clause, draft_of, modify_clause, restore_clause, suppress_clause
from drafting.services.contributions import DraftingProblem, StaleEdit, submit_contribution
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    return {
        "edition": edition,
        "proposal": proposal,
        "delegate": person("atu-d", DELEGATES, atu),
        "delegate2": person("atu-d2", DELEGATES, atu),
        "coordinator": person("atu-c", COORDINATORS, atu),
        "other": person("citel-d", DELEGATES, group("CITEL", "IAP")),
        "secretariat": person("sec", SECRETARIAT),
        "observer": person("obs", OBSERVERS),
    }


def key(edition, anchor: str) -> str:
    return str(Clause.objects.get(edition=edition, anchor=anchor).provision.key)


def test_proposal_label_is_written_the_itu_way(setup):
    assert setup["proposal"].label == "MOD ATU/35A18/1"
    assert setup["proposal"].contribution.document_label == "Addendum 18 to Document 35"


def test_modifying_a_clause_creates_one_amendment_and_marks_words(setup):
    p, e = setup["proposal"], setup["edition"]
    k = key(e, "considering-a")
    modify_clause(
        setup["delegate"], p, k, "the relevant outcomes of both phases of WSIS;", expected_version=0
    )
    clause = draft_of(p).find(k)
    assert ("delete", "the World Summit on the Information Society (") in clause.text_marks()
    assert Amendment.objects.filter(proposal=p).count() == 1


def test_a_stale_save_never_overwrites(setup):
    p, e = setup["proposal"], setup["edition"]
    k = key(e, "considering-a")
    first = modify_clause(setup["delegate"], p, k, "first text;", expected_version=0)
    modify_clause(setup["delegate2"], p, k, "second text;", expected_version=first.version)
    with pytest.raises(StaleEdit) as stale:
        modify_clause(setup["delegate"], p, k, "my late text;", expected_version=first.version)
    assert stale.value.current_text == "second text;"
    assert stale.value.status == 409
    assert Amendment.objects.get(proposal=p).text == "second text;"


def test_two_first_saves_from_the_base_version_conflict(setup):
    p, e = setup["proposal"], setup["edition"]
    k = key(e, "considering-b")
    modify_clause(setup["delegate"], p, k, "one;", expected_version=0)
    with pytest.raises(StaleEdit):
        modify_clause(setup["delegate2"], p, k, "two;", expected_version=0)


def test_saving_the_base_text_again_removes_the_amendment(setup):
    p, e = setup["proposal"], setup["edition"]
    k = key(e, "considering-a")
    base_text = Clause.objects.get(edition=e, anchor="considering-a").text
    a = modify_clause(setup["delegate"], p, k, "changed;", expected_version=0)
    assert modify_clause(setup["delegate"], p, k, base_text, expected_version=a.version) is None
    assert not Amendment.objects.filter(proposal=p).exists()


def test_renaming_a_part(setup):
    p, e = setup["proposal"], setup["edition"]
    modify_clause(setup["delegate"], p, key(e, "considering"), "recalling", expected_version=0)
    assert draft_of(p).clauses[0].heading == "recalling"


def test_adding_and_suppressing_renumber_the_items(setup):
    p, e = setup["proposal"], setup["edition"]
    add_clause(setup["delegate"], p, key(e, "considering-d"), "after", text="UNGA Resolution A/78/L.49")
    suppress_clause(setup["delegate"], p, key(e, "considering-g"))
    labels = [(c.base_label, c.label, c.suppressed) for c in draft_of(p).clauses[0].children]
    assert labels[3:9] == [
        ("d)", "d)", False),
        ("", "e)", False),
        ("e)", "f)", False),
        ("f)", "g)", False),
        ("g)", "g)", True),
        ("h)", "h)", False),
    ]


def test_restoring_a_suppressed_clause(setup):
    p, e = setup["proposal"], setup["edition"]
    k = key(e, "considering-g")
    suppress_clause(setup["delegate"], p, k)
    restore_clause(setup["delegate"], p, k)
    assert not draft_of(p).find(k).suppressed
    with pytest.raises(DraftingProblem):
        restore_clause(setup["delegate"], p, k)


def test_an_added_clause_can_be_edited_and_removed(setup):
    p, e = setup["proposal"], setup["edition"]
    added = add_clause(setup["delegate"], p, key(e, "resolves-4"), "after", text="to invite members")
    new_key = str(added.added.key)
    modify_clause(
        setup["delegate"],
        p,
        new_key,
        "to invite the members and stakeholders",
        expected_version=added.version,
    )
    assert draft_of(p).find(new_key).text.startswith("to invite the members and stakeholders")
    suppress_clause(setup["delegate"], p, new_key)
    assert draft_of(p).find(new_key) is None


def test_empty_text_and_label_clash_are_refused_and_nothing_is_saved(setup):
    p, e = setup["proposal"], setup["edition"]
    with pytest.raises(DraftingProblem, match="cannot be empty"):
        modify_clause(setup["delegate"], p, key(e, "considering-a"), "   ", expected_version=0)
    with pytest.raises(DraftingProblem, match="already an item b\\)"):
        add_clause(setup["delegate"], p, key(e, "considering-a"), "after", text="x", label="b)")
    assert not Amendment.objects.exists()


def test_an_amendment_against_a_clause_that_does_not_exist(setup):
    with pytest.raises(DraftingProblem) as problem:
        modify_clause(setup["delegate"], setup["proposal"], "00000000-0000-0000-0000-000000000000", "x", 0)
    assert problem.value.status == 404


@pytest.mark.parametrize("who", ["other", "secretariat", "observer"])
def test_only_the_groups_delegates_edit_its_draft(setup, who):
    with pytest.raises(DraftingProblem) as problem:
        modify_clause(setup[who], setup["proposal"], key(setup["edition"], "considering-a"), "x;", 0)
    assert problem.value.status == 403
    assert not Amendment.objects.exists()


def test_only_the_coordinator_submits_and_nobody_edits_a_submitted_contribution(setup):
    contribution = setup["proposal"].contribution
    with pytest.raises(DraftingProblem) as problem:
        submit_contribution(setup["delegate"], contribution)
    assert problem.value.status == 403
    submit_contribution(setup["coordinator"], contribution)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.SUBMITTED
    with pytest.raises(DraftingProblem) as problem:
        modify_clause(setup["delegate"], setup["proposal"], key(setup["edition"], "considering-a"), "x;", 0)
    assert problem.value.status == 409
    with pytest.raises(DraftingProblem):
        submit_contribution(setup["coordinator"], contribution)


def test_every_saved_version_is_kept_in_history(setup):
    p, e = setup["proposal"], setup["edition"]
    k = key(e, "considering-a")
    a = modify_clause(setup["delegate"], p, k, "first;", expected_version=0)
    a = modify_clause(setup["delegate2"], p, k, "second;", expected_version=a.version)
    texts = [h.text for h in a.history.order_by("history_date")]
    assert texts[0] == "first;"
    assert texts[-1] == "second;"
