"""A decision of the secretariat follows its clause through the group's revisions and rebases.

Issue 24, defect 6: a revision gave the clauses a proposal adds new identities, so the secretariat's
decisions on them no longer applied to the revision. A revision now keeps every clause's identity, the
added ones included; a rebase carries amendments by identity too.
"""

from __future__ import annotations

import pytest

from drafting.models import Decision
from drafting.models.people import COORDINATORS, DELEGATES, SECRETARIAT
from drafting.services.amendments import add_clause, clause_version, modify_clause
from drafting.services.consolidation import compile_consolidation, open_consolidation, settle_clause
from drafting.services.contributions import revise_contribution, submit_contribution
from drafting.services.library import import_text
from drafting.services.rebase import rebase_proposal
from tests import drafting_model as dm
from tests.conftest import SEEDS
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    edition = base_edition()
    rcc = group("RCC")
    proposal = mod_proposal(edition, rcc)
    keys = clause_keys(edition)
    delegate = person("rcc-delegate", DELEGATES, rcc)
    coordinator = person("rcc-coordinator", COORDINATORS, rcc)
    officer = person("officer", SECRETARIAT)
    return edition, keys, proposal, delegate, coordinator, officer


def test_a_decision_on_an_added_clause_follows_it_into_the_revision(world):
    edition, keys, proposal, delegate, coordinator, officer = world
    added = add_clause(delegate, proposal, keys["considering-h"], "after", text="the WSIS+20 review;")
    b = keys["considering-b"]
    modify_clause(delegate, proposal, b, "UNGA Resolution 70/1, on the 2030 Agenda;", 0)
    submit_contribution(coordinator, proposal.contribution)
    consolidation = open_consolidation(officer, proposal.contribution.conference, edition.resolution, edition)
    new_key = str(added.added.key)
    settle_clause(officer, consolidation, new_key, Decision.GROUP, group="RCC", note="Agreed in SWG.")
    settle_clause(officer, consolidation, b, Decision.BASE)

    revision = revise_contribution(delegate, proposal.contribution)
    revised = revision.proposals.get()
    # The revision's addition is the same clause: same identity, and the delegate rewords it.
    assert revised.amendments.get(action="add").added.key == added.added.key
    modify_clause(
        delegate,
        revised,
        new_key,
        "the WSIS+20 review by the General Assembly;",
        clause_version(revised, new_key),
    )
    submit_contribution(coordinator, revision)

    compilation = compile_consolidation(consolidation)
    assert compilation.proposals["RCC"].pk == revised.pk
    row = compilation.row(new_key)
    assert row is not None and compilation.decisions[row.key].note == "Agreed in SWG."
    assert compilation.decisions[compilation.row(b).key].choice == Decision.BASE


def test_a_decision_follows_its_clause_through_a_rebase(world):
    edition, keys, proposal, delegate, coordinator, officer = world
    seed = (SEEDS / "wtsa-res75-rev-hammamet-2016.txt").read_text(encoding="utf-8")
    newer = import_text(dm.newer_edition_text(seed), body_code="WTSA", number="75").edition
    b = keys["considering-b"]
    added = add_clause(delegate, proposal, keys["resolves-4"], "after", text="to report on WSIS+20.")
    modify_clause(delegate, proposal, b, "UNGA Resolution 70/1, on the 2030 Agenda;", 0)
    submit_contribution(coordinator, proposal.contribution)
    consolidation = open_consolidation(officer, proposal.contribution.conference, edition.resolution, newer)
    settle_clause(officer, consolidation, b, Decision.GROUP, group="RCC")
    settle_clause(officer, consolidation, str(added.added.key), Decision.GROUP, group="RCC")
    revision = revise_contribution(delegate, proposal.contribution)
    rebase_proposal(delegate, revision.proposals.get(), newer)
    submit_contribution(coordinator, revision)
    compilation = compile_consolidation(consolidation)
    assert compilation.proposals["RCC"].base_edition_id == newer.pk
    for key in (b, str(added.added.key)):
        row = compilation.row(key)
        assert row is not None and compilation.decisions[row.key].choice == Decision.GROUP
