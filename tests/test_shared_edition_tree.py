"""An edition's tree is read once per process and shared by every draft built on it: no draft changes it."""

from __future__ import annotations

import copy

import pytest

from drafting import caching
from drafting.engine.amend import ADD, MODIFY, SUPPRESS
from drafting.models import Edition, Proposal
from drafting.models.people import DELEGATES
from drafting.reading import edition_tree, shared_edition_tree
from drafting.services.amendments import add_clause, draft_of, modify_clause, suppress_clause
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db


def test_drafts_of_every_kind_of_change_leave_the_shared_tree_as_read(django_assert_num_queries):
    edition = base_edition()
    atu = group("ATU")
    delegate = person("atu-d", DELEGATES, atu)
    proposal = mod_proposal(edition, atu)
    keys = clause_keys(edition)
    shared = shared_edition_tree(edition)
    pristine = copy.deepcopy(shared)

    modify_clause(
        delegate, proposal, keys["considering-a"], "a new text citing Resolution 1 (Rev. Dubai, 2018);", 0
    )
    modify_clause(delegate, proposal, keys["considering-b"], None, 0, label="b)")
    modify_clause(delegate, proposal, keys["considering"], "considering again", 0)
    add_clause(delegate, proposal, keys["considering-e-ii"], "after", text="an added sub-item;")
    add_clause(delegate, proposal, keys["considering-further"], "before", text="a new paragraph;")
    suppress_clause(delegate, proposal, keys["considering-e-iv"])
    suppress_clause(delegate, proposal, keys["recognizing-further"])
    proposal = Proposal.objects.get(pk=proposal.pk)
    draft = draft_of(proposal)
    assert {a.action for a in proposal.amendments.all()} >= {MODIFY, ADD, SUPPRESS}
    assert draft.base is shared  # the draft was built on the shared tree...
    assert shared == pristine  # ...and left it as it was read
    assert shared == edition_tree(edition)

    # Read once: the next draft on the edition reads no clause of it.
    edition = Edition.objects.get(pk=edition.pk)
    with django_assert_num_queries(0):
        assert shared_edition_tree(edition) is shared
    caching.edition_trees.clear()
    assert shared_edition_tree(edition) is not shared
