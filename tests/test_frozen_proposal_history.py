"""A submitted, withdrawn or adopted proposal keeps its clauses' history and comments readable to its group.

Issue 24, defect 3: once submitted, the editor offered no "History & comments" at all, although the
panel answered 200 and the README says they stay readable. The frozen page now offers them to the
group's members, read only (no restoring, no posting); nobody else gets them.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from drafting.models import ClauseComment
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT
from drafting.services.amendments import add_comment, modify_clause
from drafting.services.consolidation import adopt, open_consolidation
from drafting.services.contributions import submit_contribution, withdraw_contribution
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    edition = base_edition()
    rcc = group("RCC")
    proposal = mod_proposal(edition, rcc)
    a = clause_keys(edition)["considering-a"]
    delegate = person("rcc-delegate", DELEGATES, rcc)
    coordinator = person("rcc-coordinator", COORDINATORS, rcc)
    first = modify_clause(delegate, proposal, a, "the outcomes of WSIS, first wording;", 0)
    modify_clause(coordinator, proposal, a, "the outcomes of WSIS, second wording;", first.version)
    add_comment(delegate, proposal, a, "Shorter is better here.")
    submit_contribution(coordinator, proposal.contribution)
    return {"proposal": proposal, "a": a, "delegate": delegate, "coordinator": coordinator}


def _freeze(world, how: str) -> None:
    proposal = world["proposal"]
    if how == "withdrawn":
        withdraw_contribution(world["coordinator"], proposal.contribution)
    elif how == "adopted":
        officer = person("officer", SECRETARIAT)
        consolidation = open_consolidation(
            officer, proposal.contribution.conference, proposal.resolution, proposal.base_edition
        )
        adopt(officer, consolidation, leave_open_as_base=True)


@pytest.mark.parametrize("how", ["submitted", "withdrawn", "adopted"])
def test_the_group_reads_history_and_comments_of_a_frozen_proposal(world, how):
    _freeze(world, how)
    proposal, a = world["proposal"], world["a"]
    client = Client()
    client.force_login(world["delegate"])
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "data-group-member" in page
    clause = page[page.index(f'id="c-{a}"') :]
    assert f'hx-get="/proposals/{proposal.pk}/clauses/{a}/panel/"' in clause[:6000]
    assert re.search(r"History (&amp;|&) comments \(1\)", clause[:6000])
    panel = client.get(f"/proposals/{proposal.pk}/clauses/{a}/panel/", **HX).content.decode()
    assert "first wording" in panel and "second wording" in panel and "Shorter is better here." in panel
    assert "kept as they were, to read" in panel
    # Read only: nothing to restore, nowhere to post.
    assert "restore-version" not in panel and 'name="text"' not in panel
    posted = client.post(f"/proposals/{proposal.pk}/clauses/{a}/panel/", {"text": "late remark"}, **HX)
    assert posted.status_code == 409 and ClauseComment.objects.count() == 1


def test_readers_outside_the_group_are_not_offered_the_groups_history(world):
    proposal, a = world["proposal"], world["a"]
    for who in (person("observer", OBSERVERS), person("officer", SECRETARIAT)):
        client = Client()
        client.force_login(who)
        page = client.get(f"/proposals/{proposal.pk}/").content.decode()
        assert re.search(r'id="editor"[^>]*data-group-member', page) is None
        assert client.get(f"/proposals/{proposal.pk}/clauses/{a}/panel/", **HX).status_code == 403
