"""Presence: who has which clause's edit box open, told to the group when it changes and only then.

One state per person and clause; the heartbeat renews it without telling every page again (except
once per refresh, so that the pages keep it); it expires by time; each person's changes are
throttled; only clauses of that draft are taken; the pass of the editor page is the only way in,
answered in front of Django (drafting.live.wsgi) as through it (drafting.views.live).
"""

from __future__ import annotations

import io
import re
import uuid
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from drafting import live
from drafting.live import presence
from drafting.live.wsgi import LiveChannelApp
from drafting.models import LiveEvent
from drafting.models.people import DELEGATES, OBSERVERS
from drafting.services.amendments import add_clause
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

PASS = re.compile(r'data-presence-pass="([^"]+)"')


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    keys = clause_keys(edition)
    return proposal, keys, person("amina", DELEGATES, atu), person("olga", OBSERVERS)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_pass(user, proposal) -> str:
    html = as_user(user).get(f"/proposals/{proposal.pk}/").content.decode()
    found = PASS.search(html)
    return found.group(1) if found else ""


def events(proposal) -> list[dict]:
    return [e for e in live.events_after(live.proposal_channel(proposal.pk), 0) if e["kind"] == "presence"]


def test_opening_a_clause_is_told_to_the_group_with_the_pass_of_the_editor_page(
    world, django_capture_on_commit_callbacks
):
    proposal, keys, amina, _ = world
    key = keys["considering-a"]
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/live/presence", {"p": page_pass(amina, proposal), "key": key, "state": "editing"}
        )
    assert response.status_code == 204
    (event,) = events(proposal)
    assert event["data"] == {
        "key": key,
        "state": "editing",
        "who": "amina",
        "uid": amina.pk,
        "ttl": presence.TTL,
    }


def test_a_page_opened_later_starts_from_who_is_editing_now(world, django_capture_on_commit_callbacks):
    proposal, keys, amina, _ = world
    kwame = person("kwame", DELEGATES, proposal.contribution.group)
    with django_capture_on_commit_callbacks(execute=True):
        presence.tell((proposal.pk, amina.pk, "amina"), keys["considering-a"], "editing")
    html = as_user(kwame).get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'id="presence-now"' in html
    assert keys["considering-a"] in html.split('id="presence-now"')[1][:400]
    with django_capture_on_commit_callbacks(execute=True):
        presence.tell((proposal.pk, amina.pk, "amina"), keys["considering-a"], "left")
    assert presence.current(proposal.pk) == []


def test_the_heartbeat_renews_the_state_without_telling_every_page_again(
    world, django_capture_on_commit_callbacks
):
    proposal, keys, amina, _ = world
    grant = (proposal.pk, amina.pk, "amina")
    key = keys["considering-a"]
    t = 1_000_000.0
    with django_capture_on_commit_callbacks(execute=True):
        for beat in range(presence.REFRESH // presence.HEARTBEAT_S):
            assert presence.tell(grant, key, "editing", now=t + beat * presence.HEARTBEAT_S) == (204, "")
    assert len(events(proposal)) == 1
    # Past the refresh, told once more, so that the pages (which forget it after TTL) keep it.
    with django_capture_on_commit_callbacks(execute=True):
        presence.tell(grant, key, "editing", now=t + presence.REFRESH)
        presence.tell(grant, key, "editing", now=t + presence.REFRESH + 1)
    assert len(events(proposal)) == 2
    # A change is always told: leaving, opening again, another clause.
    with django_capture_on_commit_callbacks(execute=True):
        presence.tell(grant, key, "left", now=t + presence.REFRESH + 2)
        presence.tell(grant, key, "left", now=t + presence.REFRESH + 3)
        presence.tell(grant, key, "editing", now=t + presence.REFRESH + 4)
        presence.tell(grant, keys["considering-b"], "editing", now=t + presence.REFRESH + 5)
    assert [(e["data"]["key"], e["data"]["state"]) for e in events(proposal)[2:]] == [
        (key, "left"),
        (key, "editing"),
        (keys["considering-b"], "editing"),
    ]


def test_a_state_expires_by_time(world, django_capture_on_commit_callbacks):
    proposal, keys, amina, _ = world
    t = 2_000_000.0
    with django_capture_on_commit_callbacks(execute=True):
        presence.tell((proposal.pk, amina.pk, "amina"), keys["considering-a"], "editing", now=t)
    assert [s["key"] for s in presence.current(proposal.pk, now=t + presence.TTL - 1)] == [
        keys["considering-a"]
    ]
    assert presence.current(proposal.pk, now=t + presence.TTL + 1) == []


def test_each_person_is_throttled(world, django_capture_on_commit_callbacks):
    proposal, keys, amina, _ = world
    kwame = person("kwame", DELEGATES, proposal.contribution.group)
    items = [
        k for anchor, k in keys.items() if anchor.startswith(("considering-", "resolves-", "recognizing-"))
    ]
    t = 3_000_000.0 - 3_000_000.0 % 60
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(presence.RATE + 5):
            key = items[(i // 2) % len(items)]  # a box opened and closed, the next, ...: each a change
            state = "editing" if i % 2 == 0 else "left"
            answers.append(
                presence.tell((proposal.pk, amina.pk, "amina"), key, state, now=t + i / 2)[0]
            )  # all within the minute
        # Someone else is not held back by Amina's rate; Amina is again the next minute.
        assert presence.tell((proposal.pk, kwame.pk, "kwame"), items[0], "editing", now=t + 30)[0] == 204
        assert presence.tell((proposal.pk, amina.pk, "amina"), items[1], "editing", now=t + 61)[0] == 204
    assert answers.count(204) == presence.RATE and set(answers[presence.RATE :]) == {429}
    assert LiveEvent.objects.filter(channel=live.proposal_channel(proposal.pk)).count() == presence.RATE + 2


def test_only_clauses_of_that_draft_are_taken(world, django_capture_on_commit_callbacks):
    proposal, keys, amina, _ = world
    from tests.library_factories import import_seed

    other = import_seed("council-res1332.txt", body="Council", number="1332")
    grant = (proposal.pk, amina.pk, "amina")
    with django_capture_on_commit_callbacks(execute=True):
        assert presence.tell(grant, next(iter(clause_keys(other).values())), "editing")[0] == 404
        assert presence.tell(grant, str(uuid.uuid4()), "editing")[0] == 404
        assert presence.tell(grant, "considering-a", "editing")[0] == 400
        assert presence.tell(grant, keys["considering-a"], "typing")[0] == 400
    assert events(proposal) == []
    added = add_clause(amina, proposal, keys["considering-a"], "after", text="a new item")
    with django_capture_on_commit_callbacks(execute=True):
        assert presence.tell(grant, str(added.added.key), "editing")[0] == 204
    assert len(events(proposal)) == 1


def test_only_the_editor_pass_lets_in(world, django_capture_on_commit_callbacks):
    proposal, keys, amina, olga = world
    assert page_pass(olga, proposal) == ""  # an observer reads; nothing to say
    key = keys["considering-a"]
    forged = page_pass(amina, proposal)[:-3] + "xyz"
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    with django_capture_on_commit_callbacks(execute=True):
        for value in ("", forged, live_pass):
            assert (
                Client().post("/live/presence", {"p": value, "key": key, "state": "editing"}).status_code
                == 403
            )
        assert Client().get("/live/presence").status_code == 405
    assert events(proposal) == []


@pytest.fixture
def in_front(monkeypatch):
    # Around each request gunicorn's process drops stale connections; the test's transaction must stay.
    monkeypatch.setattr("drafting.live.wsgi.close_old_connections", lambda: None)


def _wsgi_post(path: str, body: bytes, content_type: str = "application/x-www-form-urlencoded"):
    """One POST through the WSGI application in front of Django, as gunicorn calls it."""
    seen = {}

    def start_response(status, headers):
        seen["status"] = int(status.split()[0])

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }

    def django(environ, start_response):
        raise AssertionError("reached Django")

    content = b"".join(LiveChannelApp(django)(environ, start_response))
    return seen["status"], content


def test_in_front_of_django_a_heartbeat_costs_no_query_and_a_change_one_and_its_event(
    world, in_front, django_capture_on_commit_callbacks
):
    proposal, keys, amina, _ = world
    presence_pass = page_pass(amina, proposal)
    body = urlencode({"p": presence_pass, "key": keys["considering-a"], "state": "editing"}).encode()
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as first:
        assert _wsgi_post("/live/presence", body)[0] == 204
    # The holder's rights (the person, the proposal, the group: asked once per pass and half-minute,
    # drafting.live.access), the clause's check, the event's insert (and its notification).
    assert len(first.captured_queries) <= 7
    other = urlencode({"p": presence_pass, "key": keys["considering-b"], "state": "editing"}).encode()
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as change:
        assert _wsgi_post("/live/presence", other)[0] == 204
    assert len(change.captured_queries) <= 3  # the rights known: the clause's check, the event's insert
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as again:
        assert _wsgi_post("/live/presence", body)[0] == 204
    assert len(again.captured_queries) == 0
    assert len(events(proposal)) == 2


def test_in_front_of_django_a_form_out_of_bounds_is_refused_with_a_reason(world, in_front):
    status, content = _wsgi_post("/live/presence", b"p=x", content_type="multipart/form-data; boundary=x")
    assert status == 415 and b"URL-encoded" in content
    status, content = _wsgi_post("/live/citations", b"t" * 200_000 + b"=" + b"x" * 10_000)
    assert status == 413 and b"20,000" in content
    status, content = _wsgi_post("/live/presence", b"p=%00&key=x&state=editing")
    assert status == 400 and b"NUL" in content


class PresenceModel(RuleBasedStateMachine):
    """Any order of opening, leaving, heartbeats and time passing, by several people on several
    clauses: a state is sent exactly when it changes, or when the last sending of it is a refresh
    old, within each person's rate; a page opened at any moment is told exactly the states sent
    within their time to live."""

    @initialize()
    def setup(self):
        cache.clear()
        self.now = 5_000_000.0
        self.sent: list[tuple[int, str, str]] = []
        self.last: dict[tuple[int, str], tuple[str, float]] = {}  # the state last sent, and when
        self.seen: dict[tuple[int, str], float] = {}  # when each state was last told (renewed)
        self.tries: dict[tuple[int, int], int] = {}  # sendings tried per person and minute
        self.original = presence.live.publish
        presence.live.publish = lambda channel, kind, data: self.sent.append(
            (data["uid"], data["key"], data["state"])
        )

    def teardown(self):
        if hasattr(self, "original"):
            presence.live.publish = self.original

    @rule(who=st.sampled_from([1, 2, 3]), clause=st.integers(0, 2), state=st.sampled_from(presence.STATES))
    def tell(self, who, clause, state):
        key = WORLD["keys"][clause]
        before = len(self.sent)
        status, _ = presence.tell((WORLD["proposal"], who, f"p{who}"), key, state, now=self.now)
        known = self.last.get((who, key)) if (who, key) in self.seen else None
        changed = known is None or known[0] != state or self.now - known[1] >= presence.REFRESH
        allowed = True
        if changed:
            minute = (who, int(self.now // 60))
            self.tries[minute] = self.tries.get(minute, 0) + 1
            allowed = self.tries[minute] <= presence.RATE
        assert status == (204 if allowed else 429)
        assert len(self.sent) == before + int(changed and allowed)
        if changed and allowed:
            self.last[(who, key)] = (state, self.now)
            self.seen[(who, key)] = self.now
        elif not changed:
            self.seen[(who, key)] = self.now

    @rule(seconds=st.sampled_from([1, 10, presence.HEARTBEAT_S, presence.REFRESH, presence.TTL]))
    def wait(self, seconds):
        self.now += seconds
        # What the cache forgets (by the clock, which the test moves by hand): a state not renewed for TTL.
        for pair, at in list(self.seen.items()):
            if self.now - at >= presence.TTL:
                del self.seen[pair]
                cache.delete(presence._state_key(WORLD["proposal"], *pair))

    @invariant()
    def a_new_page_is_told_the_states_sent_within_their_time_to_live(self):
        if not hasattr(self, "last"):
            return
        told = {(s["uid"], s["key"]) for s in presence.current(WORLD["proposal"], now=self.now)}
        expected = {
            pair
            for pair, (state, at) in self.last.items()
            if state == "editing" and self.now - at < presence.TTL
        }
        assert told == expected


WORLD: dict = {}


@pytest.mark.django_db
def test_presence_in_any_order_is_sent_when_it_changes_and_only_then(world):
    proposal, keys, _, _ = world
    WORLD.update(
        proposal=proposal.pk, keys=[keys["considering-a"], keys["considering-b"], keys["considering-c"]]
    )
    run = PresenceModel.TestCase
    run.settings = settings(
        max_examples=25, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
    )
    run().runTest()
