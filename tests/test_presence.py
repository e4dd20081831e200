"""Presence: opening a clause's edit box is told to the group on the live channel, and only by the group."""

from __future__ import annotations

import pytest
from django.test import Client

from drafting import live
from drafting.models import Clause
from drafting.models.people import DELEGATES, OBSERVERS
from tests.drafting_factories import base_edition, group, mod_proposal, person


@pytest.fixture
def world(db):
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    key = str(Clause.objects.get(edition=edition, anchor="considering-a").provision.key)
    return proposal, key, person("amina", DELEGATES, atu), person("olga", OBSERVERS)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_delegate_opening_a_clause_is_announced_to_the_group(world, django_capture_on_commit_callbacks):
    proposal, key, amina, _ = world
    url = f"/proposals/{proposal.pk}/clauses/{key}/presence/"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(amina).post(url, {"state": "editing"})
    assert response.status_code == 204
    (event,) = live.events_after(live.proposal_channel(proposal.pk), 0)
    assert event["kind"] == "presence"
    assert event["data"] == {"key": key, "state": "editing", "who": "amina", "uid": amina.pk}


def test_presence_refuses_strangers_and_unknown_states(world, django_capture_on_commit_callbacks):
    proposal, key, amina, olga = world
    url = f"/proposals/{proposal.pk}/clauses/{key}/presence/"
    with django_capture_on_commit_callbacks(execute=True):
        assert as_user(olga).post(url, {"state": "editing"}).status_code in (403, 404)
        assert as_user(amina).post(url, {"state": "typing"}).status_code == 400
        assert as_user(amina).get(url).status_code == 405
    assert live.events_after(live.proposal_channel(proposal.pk), 0) == []
