"""Labels set by hand are changes the consolidation shows, settles and adopts; two groups' different ones conflict.

Issue 24, defect 6: two groups setting different labels on the same clause by hand were not flagged
(the merge compared words only), and the state machine found the class: a label set by hand was not in
the consolidation at all (the row read "unchanged"), so it could be neither settled nor adopted.
"""

from __future__ import annotations

import pytest

from drafting.models import Consolidation, Decision
from drafting.models.people import COORDINATORS, DELEGATES, SECRETARIAT
from drafting.services import DomainError
from drafting.services.amendments import modify_clause
from drafting.services.consolidation import (
    adopt,
    compile_consolidation,
    consolidated_draft,
    fates,
    open_consolidation,
    settle_clause,
)
from drafting.services.contributions import create_contribution, submit_contribution
from drafting.services.outcomes import NOT_TAKEN, TAKEN
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    edition = base_edition()
    keys = clause_keys(edition)
    officer = person("officer", SECRETARIAT)
    proposals = {}
    for number, code in enumerate(("ATU", "CITEL"), start=35):
        g = group(code)
        delegate = person(f"{code.lower()}-delegate", DELEGATES, g)
        coordinator = person(f"{code.lower()}-coordinator", COORDINATORS, g)
        if not proposals:
            proposal = mod_proposal(edition, g)
        else:
            contribution = create_contribution(
                delegate,
                conference=proposals["ATU"][0].contribution.conference,
                group=g,
                document_number=str(number),
                addendum=3,
                title="Proposals",
            )
            proposal = contribution.proposals.create(
                number=1, action="MOD", resolution=edition.resolution, base_edition=edition
            )
        proposals[code] = (proposal, delegate, coordinator)
    return edition, keys, officer, proposals


def _submit_all(proposals, officer, edition) -> Consolidation:
    for proposal, _, coordinator in proposals.values():
        submit_contribution(coordinator, proposal.contribution)
    proposal = proposals["ATU"][0]
    return open_consolidation(officer, proposal.contribution.conference, edition.resolution, edition)


def test_a_label_set_by_hand_is_a_change_the_consolidation_shows(world):
    edition, keys, officer, proposals = world
    b = keys["considering-b"]
    atu, delegate, _ = proposals["ATU"]
    modify_clause(delegate, atu, b, None, 0, label="abis)")
    consolidation = _submit_all(proposals, officer, edition)
    row = compile_consolidation(consolidation).row(b)
    assert row.labels == {"ATU": "abis)"} and row.status == "one group" and row.changed_by == ["ATU"]
    assert [f.key for f in fates(compile_consolidation(consolidation))["ATU"]] == [b]


def test_two_groups_setting_different_labels_by_hand_conflict(world):
    edition, keys, officer, proposals = world
    b = keys["considering-b"]
    modify_clause(proposals["ATU"][1], proposals["ATU"][0], b, None, 0, label="abis)")
    modify_clause(proposals["CITEL"][1], proposals["CITEL"][0], b, None, 0, label="aa)")
    consolidation = _submit_all(proposals, officer, edition)
    row = compile_consolidation(consolidation).row(b)
    assert row.label_conflict and row.status == "conflict"
    with pytest.raises(DomainError, match="different labels by hand"):
        settle_clause(officer, consolidation, b, Decision.MERGED)
    # Settled with one group's text, the clause takes that group's label, in the draft and the edition.
    settle_clause(officer, consolidation, b, Decision.GROUP, group="CITEL")
    compilation = compile_consolidation(consolidation)
    assert consolidated_draft(compilation).find(b).label == "aa)"
    taken = {g: [f.fate for f in fs if f.key == b] for g, fs in fates(compilation).items()}
    assert taken == {"ATU": [NOT_TAKEN], "CITEL": [TAKEN]}
    edition2 = adopt(officer, consolidation, leave_open_as_base=True)
    assert edition2.clauses.get(provision__key=b).label == "aa)"


def test_the_same_label_set_by_two_groups_agrees(world):
    edition, keys, officer, proposals = world
    b = keys["considering-b"]
    for code in ("ATU", "CITEL"):
        modify_clause(proposals[code][1], proposals[code][0], b, None, 0, label="abis)")
    consolidation = _submit_all(proposals, officer, edition)
    row = compile_consolidation(consolidation).row(b)
    assert row.status == "agreement" and row.hand_label == "abis)"
    settle_clause(officer, consolidation, b, Decision.MERGED)
    assert consolidated_draft(compile_consolidation(consolidation)).find(b).label == "abis)"


def test_a_label_beside_another_groups_words_combines(world):
    edition, keys, officer, proposals = world
    b = keys["considering-b"]
    modify_clause(proposals["ATU"][1], proposals["ATU"][0], b, None, 0, label="abis)")
    modify_clause(
        proposals["CITEL"][1], proposals["CITEL"][0], b, "UNGA Resolution 70/1, on the 2030 Agenda;", 0
    )
    consolidation = _submit_all(proposals, officer, edition)
    row = compile_consolidation(consolidation).row(b)
    assert row.status == "combinable" and row.changed_by == ["ATU", "CITEL"]
    settle_clause(officer, consolidation, b, Decision.MERGED)
    clause = consolidated_draft(compile_consolidation(consolidation)).find(b)
    assert clause.label == "abis)" and clause.text.replace("\xa0", " ").startswith(
        "UNGA Resolution 70/1, on the 2030 Agenda"
    )
