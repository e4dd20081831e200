"""A proposal's outcome is named by what happened to its changes, in one definition shown everywhere alike.

Issue 24, defect 4: a group 16 of whose 18 changes were not taken was shown "adopted with
modifications". The outcome is now read from the counts of its changes' fates
(``drafting.services.outcomes``): "partly adopted: 2 of 18 changes taken"; and the same words are on
the contribution, proposal, consolidation, fates and adoption pages, in the API and in the
compilation's Word export.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from drafting.models import Consolidation, Decision, Proposal
from drafting.services.consolidation import compile_consolidation, fates, outcomes, settle_clause
from drafting.services.outcomes import (
    ADOPTED,
    ADOPTED_MODIFIED,
    NOT_ADOPTED,
    NOT_TAKEN,
    PARTLY_ADOPTED,
    PENDING,
    TAKEN,
    TAKEN_MODIFIED,
    outcome_of,
)

FATES = st.lists(st.sampled_from([TAKEN, TAKEN_MODIFIED, NOT_TAKEN, PENDING]), min_size=1, max_size=40)


def test_two_of_eighteen_changes_taken_is_partly_adopted_and_says_so():
    outcome = outcome_of([TAKEN, TAKEN_MODIFIED] + [NOT_TAKEN] * 16)
    assert outcome.kind == PARTLY_ADOPTED
    assert str(outcome) == "partly adopted: 2 of 18 changes taken"


@given(FATES)
def test_the_outcome_is_what_its_changes_fates_add_up_to(kinds):
    outcome = outcome_of(kinds)
    taken = sum(k in (TAKEN, TAKEN_MODIFIED) for k in kinds)
    assert (outcome.proposed, outcome.taken) == (len(kinds), taken)
    if PENDING in kinds:
        assert outcome.kind == PENDING
        assert str(outcome).startswith(f"pending: {len(kinds) - kinds.count(PENDING)} of {len(kinds)} change")
    elif taken == len(kinds):
        assert outcome.kind == (ADOPTED_MODIFIED if TAKEN_MODIFIED in kinds else ADOPTED)
    elif taken == 0:
        assert outcome.kind == NOT_ADOPTED
    else:
        assert outcome.kind == PARTLY_ADOPTED
        assert str(outcome) == f"partly adopted: {taken} of {len(kinds)} changes taken"


@pytest.mark.django_db
def test_every_page_the_api_and_the_export_say_the_same_outcome(demo_db):
    consolidation = Consolidation.objects.get(resolution__number="75")
    officer = User.objects.get(username="secretariat")
    compilation = compile_consolidation(consolidation)
    # Two of ATU's changes taken, and nothing else settled: adopted so, the rest keeps the base text.
    settled = 0
    for row in compilation.rows:
        if settled < 2 and "ATU" in row.merge.changed_by and row.status == "one group":
            settle_clause(officer, consolidation, row.key, Decision.GROUP, group="ATU")
            settled += 1
    from drafting.services.consolidation import adopt

    adopt(officer, consolidation, leave_open_as_base=True)
    compilation = compile_consolidation(Consolidation.objects.get(pk=consolidation.pk))
    atu_fates = fates(compilation)["ATU"]
    outcome = outcomes(compilation)["ATU"]
    taken = sum(f.fate in (TAKEN, TAKEN_MODIFIED) for f in atu_fates)
    assert outcome.kind == PARTLY_ADOPTED and outcome.taken == taken >= 2
    said = f"partly adopted: {taken} of {len(atu_fates)} changes taken"
    assert str(outcome) == said

    atu = Proposal.objects.get(contribution__group__code="ATU", resolution__number="75")
    delegate = Client()
    delegate.force_login(User.objects.get(username="atu-delegate"))
    officer_client = Client()
    officer_client.force_login(officer)
    pages = {
        "contribution": delegate.get(f"/contributions/{atu.contribution.pk}/"),
        "proposal": delegate.get(f"/proposals/{atu.pk}/"),
        "consolidation": delegate.get(f"/consolidations/{consolidation.pk}/"),
        "fates": delegate.get(f"/consolidations/{consolidation.pk}/fates/"),
    }
    for name, page in pages.items():
        assert said in page.content.decode(), name
        assert "adopted with modifications" not in page.content.decode().split("ATU", 1)[-1][:400], name
    api = delegate.get(f"/api/proposals/{atu.pk}/outcome").json()
    assert (api["outcome"], api["outcome_text"]) == (PARTLY_ADOPTED, said)
    state = officer_client.get(f"/api/consolidations/{consolidation.pk}").json()
    assert state["outcomes"]["ATU"] == PARTLY_ADOPTED and state["outcome_texts"]["ATU"] == said
    groups = officer_client.get(f"/api/consolidations/{consolidation.pk}/outcomes").json()
    assert next(g for g in groups if g["group"] == "ATU")["outcome_text"] == said
    exported = officer_client.get(f"/api/export/compilation/{consolidation.pk}")
    assert exported.status_code == 200
    paragraphs = [p.text for p in Document(io.BytesIO(exported.content)).paragraphs]
    assert any(f"ATU: {said}" in p for p in paragraphs)
