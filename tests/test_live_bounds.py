"""Every number the live channel reads from a request is bounded, and its cache holds only real versions.

Issue 22: ``after`` or ``Last-Event-ID`` of 2^63 or more gave a 503 and a logged exception on SQLite
(the number reached the database); ``/live/consolidations/N/page?at=`` and ``/live/proposals/N/draft?from=``
rendered and cached a copy for any number a pass holder chose (5,000 copies of 126 KB in 2.5 minutes).
"""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting import live
from drafting.live.wsgi import LiveChannelApp, consolidation_cache_key, draft_cache_key
from drafting.models import Clause
from drafting.models.people import DELEGATES
from drafting.services.amendments import modify_clause
from tests.drafting_factories import base_edition, group, mod_proposal, person
from tests.test_live_channel import _call, _environ
from tests.test_live_stream import Stream, run

# Numbers a request may carry: huge, negative, with signs and spaces, past every integer type.
HUGE = [str(2**63), str(2**64), "9" * 40, "-" + "9" * 30, "+5", " 7", "1_000", "0x10"]


@pytest.fixture
def world(db):
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    amina = person("amina", DELEGATES, atu)
    key = str(Clause.objects.get(edition=edition, anchor="considering-a").provision.key)
    return proposal, key, amina


@pytest.fixture(autouse=True)
def _keep_the_test_transaction(monkeypatch):
    monkeypatch.setattr("drafting.live.wsgi.close_old_connections", lambda: None)


def _not_django(environ, start_response):  # pragma: no cover - must not be reached
    raise AssertionError("went through Django")


def test_a_poll_after_a_number_past_any_event_id_is_a_400_not_a_503(world, caplog):
    proposal, _, _ = world
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    app = LiveChannelApp(_not_django)
    with caplog.at_level(logging.ERROR):
        for after in HUGE:
            status, _, body = _call(app, _environ("/live/events", f"c={live_pass}&after={after}"))
            assert status.startswith("400"), (after, status)
            assert b"after" in body
            answer = Client().get("/live/events", {"c": live_pass, "after": after})
            assert answer.status_code == 400, after
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(after=st.integers(min_value=-(2**70), max_value=2**70))
def test_any_whole_number_after_is_answered_without_a_server_error(world, after):
    proposal, _, _ = world
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    status, _, _ = _call(
        LiveChannelApp(_not_django), _environ("/live/events", f"c={live_pass}&after={after}")
    )
    assert status[:3] in ({"204", "200"} if 0 <= after < 2**63 else {"400"})


@pytest.mark.django_db(transaction=True)
def test_a_stream_after_or_from_a_last_event_id_past_any_event_id_is_a_400(caplog):
    live_pass = live.pass_for("proposal:7", can_edit=False)

    async def test(app):
        for value in HUGE:
            for query, headers in (
                (f"c={live_pass}&after={value}", []),
                (f"c={live_pass}&after=0", [(b"last-event-id", value.encode())]),
            ):
                stream = Stream(app, query, headers)
                await stream.until(lambda s: s.ended)
                assert stream.status == 400, (value, query, headers)
        assert app.hub.count == 0

    with caplog.at_level(logging.ERROR):
        run(test)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- the live copies: only real versions are rendered and cached ------------------------------------


def _cached_keys(prefix: str) -> set[str]:
    """The keys of the (local memory) cache that start with this, as the code names them."""
    return {key.split(":", 2)[2] for key in cache._cache if key.split(":", 2)[2].startswith(prefix)}


def _fake(current: int) -> list[str]:
    """Numbers past the current version or event: never a version or an event there was."""
    return [str(current + 1), str(current + 2), str(current + 77), "4999", str(2**40)]


def test_a_draft_s_live_copy_is_cached_only_at_its_current_version_and_from_versions_it_had(
    world, django_capture_on_commit_callbacks
):
    proposal, key, amina = world
    before = proposal.version
    with django_capture_on_commit_callbacks(execute=True):
        modify_clause(amina, proposal, key, "the first text;", expected_version=0)
    proposal.refresh_from_db()
    current = proposal.version
    cache.clear()
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    client = Client()
    url = f"/live/proposals/{proposal.pk}/draft"
    # A pass holder asking for versions the draft never had, and from versions it never had.
    for asked in [str(current), *_fake(current)]:
        for since in [None, str(before), *_fake(current)]:
            query = {"v": asked, "c": live_pass} | ({} if since is None else {"from": since})
            answer = client.get(url, query, HTTP_HX_REQUEST="true")
            assert answer.status_code == 200 and b"first text" in answer.content, (asked, since)
    keys = _cached_keys(f"live:draft:{proposal.pk}:")
    # The whole draft at its current version, and at most the clauses changed since versions it had.
    assert keys <= {draft_cache_key(proposal.pk, current, True, since) for since in [None, *range(current)]}
    assert draft_cache_key(proposal.pk, current, True) in keys
    # What is cached is still served in front of Django.
    status, _, body = _call(LiveChannelApp(_not_django), _environ(url, f"v={current}&c={live_pass}"))
    assert status.startswith("200") and b"first text" in body


def test_a_consolidation_s_live_copy_is_cached_only_after_its_latest_event(db, demo_db, client):
    from drafting.models import Consolidation
    from drafting.views.consolidation import FILTERS

    consolidation = Consolidation.objects.get(resolution__number="75")
    channel = live.consolidation_channel(consolidation.pk)
    live._insert(channel, live.CHANGED, {"version": consolidation.version})
    latest = live.last_event_id(channel)
    cache.clear()
    live_pass = live.pass_for(channel, can_edit=False)
    url = f"/live/consolidations/{consolidation.pk}/page"
    for at in [str(latest), "0", "1", *_fake(latest)]:
        for view, layout in (
            ("all", "columns"),
            ("changed", "stacked"),
            ("x" * 20, "columns"),
            ("all", "z" * 10),
        ):
            answer = client.get(url, {"at": at, "c": live_pass, "filter": view, "layout": layout})
            # A filter or layout the page does not have is refused: rendered uncached each time, it
            # would cost a whole synoptic view per request.
            known = view in FILTERS and layout in ("columns", "stacked")
            assert answer.status_code == (200 if known else 400), (at, view, layout)
    keys = _cached_keys(f"live:consolidation:{consolidation.pk}:")
    allowed = {
        consolidation_cache_key(consolidation.pk, latest, view, layout)
        for view in FILTERS
        for layout in ("columns", "stacked")
    }
    assert keys and keys <= allowed


# --- stream slots: one person, one pass or one address does not take them all -----------------------


def _from(app, query: str, address: str) -> Stream:
    stream = Stream(app, query)
    stream.scope["client"] = (address, 50000)  # read when the task first runs, after this
    return stream


@pytest.mark.django_db(transaction=True)
def test_one_person_one_pass_or_one_address_cannot_open_every_stream_slot(settings):
    settings.LIVE_STREAM_MAX_CONNECTIONS = 50
    settings.LIVE_STREAM_MAX_PER_HOLDER = 3
    settings.LIVE_STREAM_MAX_PER_ADDRESS = 5
    people = [person(f"reader{i}", DELEGATES).pk for i in range(8)]
    channel = "consolidation:7"  # readable by every active account
    mine = live.pass_for(channel, can_edit=False, holder=people[0])
    theirs = live.pass_for(channel, can_edit=False, holder=people[1])
    # A pass that names no person (a page for no one in particular): the pass itself is the holder.
    nobody_s = live.pass_for(channel, can_edit=False)
    assert live.read_pass(mine) == (channel, False) and live.pass_holder(mine) == people[0]

    async def statuses(streams: list[Stream]) -> list[int]:
        for stream in streams:
            await stream.until(lambda s: s.status is not None)
        return sorted(stream.status for stream in streams)

    async def test(app):
        opened = []
        for query, address in ((f"c={mine}&after=0", "10.0.0.1"), (f"c={nobody_s}&after=0", "10.0.0.2")):
            streams = [_from(app, query, address) for _ in range(4)]
            opened += streams
            assert await statuses(streams) == [200, 200, 200, 429]
            refused = next(s for s in streams if s.status == 429)
            await refused.until(lambda s: s.ended)
            assert "live connections" in refused.text
        # Someone else is not held back by either.
        other = _from(app, f"c={theirs}&after=0", "10.0.0.1")
        opened.append(other)
        assert await statuses([other]) == [200]
        # One address holds at most 5 streams, whoever's passes they are.
        streams = [
            _from(
                app, f"c={live.pass_for(channel, can_edit=False, holder=people[2 + i])}&after=0", "10.0.0.3"
            )
            for i in range(6)
        ]
        opened += streams
        assert await statuses(streams) == [200] * 5 + [429]
        assert app.hub.count == 3 + 3 + 1 + 5
        for stream in opened:
            await stream.close()
        assert app.hub.count == 0 and not app.hub.holders and not app.hub.addresses

    run(test)
