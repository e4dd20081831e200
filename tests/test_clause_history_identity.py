"""A clause's history holds its own versions only, and restoring one of them brings back its own words.

Issue 24, defect 1: the history of "recalling a)" listed the text of an item added after it (b)), and
"Restore this version" wrote b)'s words into a). An addition placed against a clause is not a version
of that clause: history goes by the clause's identity alone.
"""

from __future__ import annotations

import pytest
from django.test import Client

from drafting.models import Amendment, Clause
from drafting.models.people import DELEGATES
from drafting.services.amendments import (
    add_clause,
    clause_history,
    draft_of,
    modify_clause,
    suppress_clause,
)
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    key = str(Clause.objects.get(edition=edition, anchor="considering-a").provision.key)
    return proposal, key, person("amina", DELEGATES, atu)


def test_an_item_added_after_a_clause_is_not_a_version_of_it(world):
    proposal, key, amina = world
    modify_clause(amina, proposal, key, "the outcomes of WSIS;", 0)
    added = add_clause(
        amina, proposal, key, "after", text="United Nations General Assembly Resolution A/70/125;"
    )
    before_child = add_clause(amina, proposal, key, "first_child", text="a sub-item placed inside;")
    texts = [v["text"] for v in clause_history(proposal, key)]
    assert "United Nations General Assembly Resolution A/70/125;" not in texts
    assert "a sub-item placed inside;" not in texts
    assert texts[-1] == "the outcomes of WSIS;"
    # The added clauses have histories of their own, with their own words only.
    assert [v["text"] for v in clause_history(proposal, str(added.added.key))] == [
        "United Nations General Assembly Resolution A/70/125;"
    ]
    assert [v["what"] for v in clause_history(proposal, str(before_child.added.key))] == ["added"]


def test_restoring_a_version_never_writes_another_clauses_words(world):
    proposal, key, amina = world
    base_text = clause_history(proposal, key)[0]["text"]
    modify_clause(amina, proposal, key, "the outcomes of WSIS;", 0)
    add_clause(amina, proposal, key, "after", text="United Nations General Assembly Resolution A/70/125;")
    client = Client()
    client.force_login(amina)
    panel = client.get(f"/proposals/{proposal.pk}/clauses/{key}/panel/", **HX).content.decode()
    assert "A/70/125" not in panel
    # Every entry the panel offers to restore gives back words this clause had.
    own = {base_text, "the outcomes of WSIS;"}
    for index, version in enumerate(clause_history(proposal, key)[:-1]):
        client.post(f"/proposals/{proposal.pk}/clauses/{key}/restore-version/", {"index": index}, **HX)
        assert draft_of(proposal).find(key).text in own
        assert version["text"] in own


def test_a_suppressed_then_removed_addition_leaves_the_anchor_history_alone(world):
    proposal, key, amina = world
    added = add_clause(amina, proposal, key, "after", text="a new consideration;")
    suppress_clause(amina, proposal, str(added.added.key))  # removes the addition
    assert [v["what"] for v in clause_history(proposal, key)] == ["base text"]
    assert not Amendment.objects.filter(action="add").exists()
