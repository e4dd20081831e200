"""The load model reads the live copies the app renders (scripts/loadtest/markup.py): a copy in an event
that the model cannot read makes every simulated page fetch its own, and the load test measures a day
no browser has (it happened when the copies started saying their language)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from drafting.live.copies import pushed_consolidation, pushed_delta
from drafting.models import Consolidation, Proposal
from drafting.models.people import DELEGATES
from drafting.services.amendments import modify_clause
from drafting.services.consolidation import settle_clause
from scripts.loadtest.markup import CONSOLIDATION_DELTA, PUSHED
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db


def test_the_model_reads_a_draft_s_changed_clauses_as_the_stream_sends_them():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    amina = person("amina", DELEGATES, atu)
    keys = clause_keys(edition)
    before, _ = pushed_delta(proposal.pk, True, None)
    modify_clause(amina, proposal, keys["considering-a"], "the outcomes of the WSIS+20 review;", 0)
    version, copy = pushed_delta(proposal.pk, True, before)
    assert copy is not None
    found = PUSHED.search(copy[:400])
    assert found, copy[:400]
    assert (
        (int(found[1]), int(found[2]))
        == (version, before)
        == (Proposal.objects.get(pk=proposal.pk).version, before)
    )


def test_the_model_reads_a_consolidation_s_settled_rows_as_the_stream_sends_them(demo_db):
    consolidation = Consolidation.objects.get(resolution__number="75")
    state, _ = pushed_consolidation(consolidation.pk, "all", "columns", None)
    row = next(r for r in consolidation.base_edition.clauses.all() if r.anchor == "resolves-4")
    settle_clause(User.objects.get(username="secretariat"), consolidation, str(row.provision.key), "base")
    _, copy = pushed_consolidation(consolidation.pk, "all", "columns", state)
    assert copy is not None
    found = CONSOLIDATION_DELTA.search(copy[:400])
    assert found, copy[:400]
    assert int(found[2]) == Consolidation.objects.get(pk=consolidation.pk).version
