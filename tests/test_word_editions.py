"""A .docx proposal read against the right base edition, and refused against another edition of the same resolution."""

from __future__ import annotations

import pytest

from drafting.models import Amendment, Clause, Proposal
from drafting.models.people import DELEGATES
from drafting.services.amendments import modify_clause
from drafting.services.exports import render_now
from drafting.services.library import ImportProblem, import_text
from drafting.services.word import preview_docx_proposal
from tests.drafting_factories import base_edition, group, mod_proposal, person
from tests.library_factories import res75_geneva_2022

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    hammamet = base_edition()
    geneva = import_text(res75_geneva_2022(), body_code="WTSA", number="75").edition
    atu = group()
    proposal = mod_proposal(hammamet, atu)
    delegate = person("atu-delegate", DELEGATES, atu)
    clause = Clause.objects.get(edition=hammamet, anchor="resolves-1")
    modify_clause(delegate, proposal, str(clause.provision.key), clause.text.replace("continue", "pursue"), 0)
    _, data = render_now(delegate, "contribution", proposal.contribution)
    return hammamet, geneva, data


def test_the_proposal_is_read_against_the_edition_it_amends(world):
    hammamet, _, data = world
    preview = preview_docx_proposal("atu.docx", data, hammamet)
    assert [(a.action, "pursue" in a.text) for a in preview.amendments] == [("modify", True)]


def test_a_later_edition_of_the_same_resolution_is_refused_by_the_history_line(world):
    _, geneva, data = world
    # Geneva 2022 differs from Hammamet 2016 in a handful of clauses only: the words alone would pass.
    proposals, amendments = Proposal.objects.count(), Amendment.objects.count()
    with pytest.raises(ImportProblem) as refused:
        preview_docx_proposal("atu.docx", data, geneva)
    assert "amends another edition" in refused.value.message
    assert "Geneva, 2022" in refused.value.message and refused.value.status == 400
    assert (Proposal.objects.count(), Amendment.objects.count()) == (proposals, amendments)
