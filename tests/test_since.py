"""What changed since a moment, for a whole draft, built from the history records: a group's
proposal (since the last visit, yesterday, the submission, a date) and a consolidation's draft."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from drafting.models import Consolidation, Decision, Visit
from drafting.models.people import COORDINATORS, DELEGATES
from drafting.services.amendments import add_clause, draft_of, modify_clause, suppress_clause
from drafting.services.consolidation import changers, compile_consolidation, settle_clause
from drafting.services.contributions import revise_contribution, submit_contribution
from drafting.services.since import (
    SinceProblem,
    consolidation_since,
    note_visit,
    proposal_at,
    proposal_since,
)
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    return proposal, clause_keys(edition), person("amina", DELEGATES, atu), person("chief", COORDINATORS, atu)


def texts(draft) -> dict[str, tuple]:
    return {c.key: (c.label, c.text or c.heading, c.suppressed) for c, _ in draft.walk()}


def test_the_text_as_it_was_at_any_moment_is_rebuilt_from_the_history(world):
    proposal, keys, amina, _ = world
    moments = [timezone.now()]
    states = [texts(draft_of(proposal))]
    for action in (
        lambda: modify_clause(amina, proposal, keys["considering-a"], "the outcomes of the Summit;", 0),
        lambda: add_clause(amina, proposal, keys["considering-b"], "after", text="a new consideration;"),
        lambda: suppress_clause(amina, proposal, keys["considering-c"]),
        lambda: modify_clause(amina, proposal, keys["considering-a"], "the outcomes of WSIS;", 1),
    ):
        action()
        moments.append(timezone.now())
        states.append(texts(draft_of(proposal)))
    for moment, state in zip(moments, states, strict=True):
        assert texts(proposal_at(proposal, moment)) == state


def test_since_a_moment_lists_each_clause_changed_with_its_marks(world):
    proposal, keys, amina, _ = world
    modify_clause(amina, proposal, keys["considering-a"], "the outcomes of the Summit;", 0)
    moment = timezone.now()
    modify_clause(amina, proposal, keys["considering-a"], "the outcomes of the World Summit;", 1)
    added = add_clause(amina, proposal, keys["considering-b"], "after", text="a new consideration;")
    suppress_clause(amina, proposal, keys["considering-d"])
    since = proposal_since(amina, proposal, moment.isoformat())
    by_key = {e.key: e for e in since.entries}
    assert by_key[keys["considering-a"]].what == "modified"
    assert ("insert", "World ") in by_key[keys["considering-a"]].marks
    assert by_key[str(added.added.key)].what == "added"
    assert by_key[keys["considering-d"]].what == "suppressed"
    # The items after the new one moved their labels: listed as relabelled, not as rewritten.
    assert (
        by_key[keys["considering-c"]].what == "relabelled" and by_key[keys["considering-c"]].label_was == "c)"
    )
    assert keys["considering-e"] not in by_key or by_key[keys["considering-e"]].what == "relabelled"
    assert since.count("modified") == 1
    # Since now: nothing.
    assert proposal_since(amina, proposal, timezone.now().isoformat()).entries == []


def test_since_my_last_visit_is_the_visit_before_this_one(world):
    proposal, keys, amina, _ = world
    note_visit(amina, proposal=proposal)
    with pytest.raises(SinceProblem, match="first visit"):
        proposal_since(amina, proposal, "visit")
    # Yesterday's visit, then a page read today: "since my last visit" is yesterday's last page.
    yesterday = timezone.now() - timedelta(days=1)
    Visit.objects.filter(user=amina).update(seen_at=yesterday)
    modify_clause(amina, proposal, keys["considering-a"], "a change made today;", 0)
    from django.core.cache import cache

    cache.clear()
    note_visit(amina, proposal=proposal)
    visit = Visit.objects.get(user=amina)
    assert visit.previous_at == yesterday and visit.seen_at > yesterday
    since = proposal_since(amina, proposal, "visit")
    assert since.moment == yesterday and [e.key for e in since.entries] == [keys["considering-a"]]


def test_since_the_submission_of_the_document_a_revision_revises(world):
    proposal, keys, amina, chief = world
    modify_clause(amina, proposal, keys["considering-a"], "as submitted;", 0)
    # A draft never submitted has no submission to compare with.
    with pytest.raises(SinceProblem, match="not been submitted"):
        proposal_since(amina, proposal, "submission")
    submit_contribution(chief, proposal.contribution)
    revision = revise_contribution(chief, proposal.contribution)
    revised = revision.proposals.get(number=proposal.number)
    modify_clause(amina, revised, keys["considering-b"], "changed in the revision;", 0)
    since = proposal_since(amina, revised, "submission")
    assert since.then_label == proposal.label
    assert [(e.key, e.what) for e in since.entries] == [(keys["considering-b"], "modified")]


def test_the_page_compares_and_refuses_a_moment_it_cannot(world):
    proposal, keys, amina, _ = world
    modify_clause(amina, proposal, keys["considering-a"], "the outcomes of the Summit;", 0)
    client = Client()
    client.force_login(amina)
    html = client.get(f"/proposals/{proposal.pk}/since/?since=yesterday").content.decode()
    assert (
        "1 clause changed" in html and f'href="/proposals/{proposal.pk}/#c-{keys["considering-a"]}"' in html
    )
    assert "<ins>" in html or "<del>" in html
    for query in (
        "since=at&at=not-a-date",
        f"since=at&at={(timezone.now() + timedelta(days=2)):%Y-%m-%dT%H:%M}",
        "since=at&at=1999-12-31T23:00",
        "since=visit",
    ):
        response = client.get(f"/proposals/{proposal.pk}/since/?{query}")
        assert response.status_code == 400, query
        assert 'role="alert"' in response.content.decode()
    old = (timezone.localtime() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    assert (
        "1 clause changed"
        in client.get(f"/proposals/{proposal.pk}/since/?since=at&at={old}").content.decode()
    )
    stranger = Client()
    stranger.force_login(person("pedro", DELEGATES, group("CITEL", "IAP")))
    assert stranger.get(f"/proposals/{proposal.pk}/since/?since=yesterday").status_code == 404


def test_the_bell_loaded_after_a_page_records_the_visit_of_what_it_shows(world):
    proposal, keys, amina, _ = world
    client = Client()
    client.force_login(amina)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert f"reading=proposal:{proposal.pk}" in page
    assert not Visit.objects.exists()  # the page's own request writes nothing
    client.get(f"/notifications/bell/?reading=proposal:{proposal.pk}")
    assert Visit.objects.get().user == amina
    # Someone who may not read the draft records nothing; nonsense is ignored.
    stranger = Client()
    stranger.force_login(person("pedro", DELEGATES, group("CITEL", "IAP")))
    for reading in (f"proposal:{proposal.pk}", "proposal:x", "proposal:" + "9" * 40, "nothing"):
        assert stranger.get(f"/notifications/bell/?reading={reading}").status_code == 200
    assert Visit.objects.count() == 1


# Last: the demo is loaded once for the rest of the module.
def test_a_consolidation_since_a_moment_shows_what_the_decisions_changed(demo_db):
    consolidation = Consolidation.objects.get(resolution__number="75")
    officer = User.objects.get(username="secretariat")
    rows = [r for r in compile_consolidation(consolidation).rows if r.status == "one group"]
    settle_clause(officer, consolidation, rows[0].key, Decision.GROUP, group=changers(rows[0])[0])
    moment = timezone.now()
    settle_clause(officer, consolidation, rows[1].key, Decision.BASE)
    since = consolidation_since(officer, consolidation, moment.isoformat())
    assert [e.key for e in since.entries if e.what != "relabelled"] == [rows[1].key]
    earlier = consolidation_since(officer, consolidation, (moment - timedelta(hours=1)).isoformat())
    assert {rows[0].key, rows[1].key} <= {e.key for e in earlier.entries}
