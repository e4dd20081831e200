"""A live stream ends when its pass's holder may no longer read what it follows (issue 22, item 5).

A pass kept reading the whole draft for 12 h after its holder's deactivation or removal from the group.
The stream server now checks the holder's current rights when a stream opens and every
``LIVE_STREAM_RECHECK_S`` seconds (60) while it runs, and ends the stream with ``expired`` when they are
gone: the page then stops following and asks to be reloaded.
"""

from __future__ import annotations

import io
import json
import re
import time
from urllib.parse import urlencode

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from drafting import live
from drafting.models import Clause
from drafting.models.people import DELEGATES
from tests.drafting_factories import base_edition, group, mod_proposal, person
from tests.test_live_stream import Stream, run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft():
    atu = group("ATU")
    proposal = mod_proposal(base_edition(), atu)
    return proposal, person("amina", DELEGATES, atu), atu


@pytest.mark.parametrize("ending", ["deactivated", "removed from the group"])
def test_a_running_stream_ends_within_the_recheck_when_its_holder_loses_access(settings, draft, ending):
    settings.LIVE_STREAM_RECHECK_S = 0.5
    settings.LIVE_ACCESS_RECHECK_S = 0  # no answer kept: the stream's recheck asks the database
    proposal, amina, atu = draft
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True, holder=amina.pk)

    def end_access():
        if ending == "deactivated":
            type(amina).objects.filter(pk=amina.pk).update(is_active=False)
        else:
            amina.regional_groups.remove(atu)

    async def test(app):
        stream = Stream(app, f"c={live_pass}&after=0")
        await stream.until(lambda s: s.status == 200)
        await sync_to_async(end_access, thread_sensitive=True)()
        await stream.until(lambda s: s.ended)
        assert "event: expired" in stream.text
        # And a new stream with the same pass is refused at once.
        again = Stream(app, f"c={live_pass}&after=0")
        await again.until(lambda s: s.ended)
        assert again.status == 403
        assert app.hub.count == 0

    run(test)


def test_a_stream_whose_holder_may_read_runs_on(settings, draft):
    settings.LIVE_STREAM_RECHECK_S = 0.2
    settings.LIVE_STREAM_HEARTBEAT_S = 0.2
    proposal, amina, _ = draft
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True, holder=amina.pk)

    async def test(app):
        stream = Stream(app, f"c={live_pass}&after=0")
        await stream.until(lambda s: s.status == 200)
        # Several rechecks (a heartbeat each): still open.
        await stream.until(lambda s: s.text.count(": still here") >= 4)
        assert not stream.ended
        await stream.close()

    run(test)


LIVE_PASS = re.compile(r'id="editor"[^>]*data-live-pass="([^"]+)"')
PRESENCE_PASS = re.compile(r'data-presence-pass="([^"]+)"')


def _front(method: str, path: str, query: str = "", headers: dict | None = None, body: bytes = b""):
    """One request through the WSGI application in front of Django, as gunicorn calls it: (status, body)."""
    from django.core.wsgi import get_wsgi_application

    from drafting.live.wsgi import LiveChannelApp

    seen = {}
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in (headers or {}).items()},
    }
    content = b"".join(
        LiveChannelApp(get_wsgi_application())(environ, lambda status, h: seen.update(status=int(status[:3])))
    )
    return seen["status"], content


@pytest.fixture
def in_front(monkeypatch):
    # Around each request gunicorn's process drops stale connections; the test's transaction must stay.
    monkeypatch.setattr("drafting.live.wsgi.close_old_connections", lambda: None)


def test_logging_out_ends_every_use_of_the_pages_passes(settings, draft, in_front):
    """Logout ends the session; the passes its pages were given end with it, in front of Django and
    through it: the poll, the live copy, the ticket for the stream, presence, the citation check. The
    pass travels in a header; a pass of another session of the same person goes on."""
    settings.LIVE_ACCESS_RECHECK_S = 0
    proposal, amina, _ = draft
    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        client.force_login(amina)
    page = laptop.get(f"/proposals/{proposal.pk}/").content.decode()
    other = LIVE_PASS.search(phone.get(f"/proposals/{proposal.pk}/").content.decode()).group(1)
    live_pass, presence_pass = LIVE_PASS.search(page).group(1), PRESENCE_PASS.search(page).group(1)
    key = str(Clause.objects.filter(edition=proposal.base_edition).first().provision.key)
    header = {"X-Live-Pass": live_pass}
    uses = {
        "poll": lambda: _front("GET", "/live/events", "after=0", header),
        "poll through Django": lambda: laptop.get("/live/events?after=0", headers=header).status_code,
        "live copy": lambda: _front("GET", f"/live/proposals/{proposal.pk}/draft", "v=1", header),
        "ticket": lambda: _front("POST", "/live/ticket", "", header),
        "presence": lambda: _front(
            "POST",
            "/live/presence",
            body=urlencode({"p": presence_pass, "key": key, "state": "editing"}).encode(),
        ),
        "citations": lambda: _front(
            "POST", "/live/citations", body=urlencode({"c": live_pass, "text": "Resolution 1"}).encode()
        ),
    }

    def status(use) -> int:
        answer = uses[use]()
        return answer if isinstance(answer, int) else answer[0]

    before = {use: status(use) for use in uses}
    assert all(code in (200, 204) for code in before.values()), before
    ticket = json.loads(_front("POST", "/live/ticket", "", header)[1])["ticket"]
    assert live.pass_of_ticket(ticket) == live_pass

    laptop.post("/accounts/logout/")
    after = {use: status(use) for use in uses}
    assert all(code == 403 for code in after.values()), after
    # The phone's session goes on.
    assert _front("GET", "/live/events", "after=0", {"X-Live-Pass": other})[0] in (200, 204)

    # And the stream: the ticket taken before the logout opens nothing.
    async def test(app):
        stream = Stream(app, f"t={ticket}&after=0")
        await stream.until(lambda s: s.ended)
        assert stream.status == 403

    run(test)


def test_a_running_stream_ends_when_its_session_is_logged_out(settings, draft):
    settings.LIVE_STREAM_RECHECK_S = 0.5
    settings.LIVE_ACCESS_RECHECK_S = 0
    proposal, amina, _ = draft
    laptop = Client()
    laptop.force_login(amina)
    live_pass = LIVE_PASS.search(laptop.get(f"/proposals/{proposal.pk}/").content.decode()).group(1)
    ticket = live.ticket_for(live_pass)

    async def test(app):
        stream = Stream(app, f"t={ticket}&after=0")
        await stream.until(lambda s: s.status == 200)
        await sync_to_async(lambda: laptop.post("/accounts/logout/"), thread_sensitive=True)()
        await stream.until(lambda s: s.ended)
        assert "event: expired" in stream.text

    run(test)


def test_a_ticket_lasts_a_minute_and_is_no_pass(settings, draft, monkeypatch):
    proposal, amina, _ = draft
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True, holder=amina.pk)
    ticket = live.ticket_for(live_pass)
    assert live.pass_of_ticket(ticket) == live_pass
    assert live.read_pass(ticket) is None  # a ticket cannot be used as a pass
    assert live.pass_of_ticket(live_pass) is None
    # What a log keeps of the URL gives no pass: the pass's signature is not in the ticket.
    assert live_pass.rsplit(":", 1)[1] not in ticket
    assert live.pass_of_ticket(ticket.replace("|1|", "|0|", 1)) is None  # not to be altered either
    later = time.time() + live.TICKET_MAX_AGE + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert live.pass_of_ticket(ticket) is None


def test_fresh_copies_are_counted_per_person_and_per_address(settings, draft):
    """A copy rendered (not found in the cache) costs a whole draft: one person, or one address, gets at
    most so many a minute, then 429 with a reason and when to ask again; others go on."""
    from django.core.cache import cache

    from drafting.live.wsgi import draft_cache_key

    settings.LIVE_COPY_RENDERS_PER_HOLDER = 2
    settings.LIVE_COPY_RENDERS_PER_ADDRESS = 3
    proposal, amina, atu = draft
    kwame, lamine = person("kwame", DELEGATES, atu), person("lamine", DELEGATES, atu)

    def copy(user, address="10.0.0.1"):
        value = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True, holder=user.pk)
        cache.delete(draft_cache_key(proposal.pk, 1, True))  # a render each time
        return Client(REMOTE_ADDR=address).get(
            f"/live/proposals/{proposal.pk}/draft?v=1", headers={"X-Live-Pass": value}
        )

    assert [copy(amina).status_code for _ in range(2)] == [200, 200]
    refused = copy(amina)
    assert refused.status_code == 429
    assert "at most 2" in refused.json()["detail"] and 1 <= int(refused["Retry-After"]) <= 60
    assert copy(kwame).status_code == 200  # another person, from the same address: the third render
    assert copy(kwame).status_code == 429  # the address's fourth
    assert copy(lamine, "10.0.0.2").status_code == 200  # another address


@pytest.mark.parametrize("ending", ["deactivated", "removed from the group"])
def test_the_poll_and_the_copies_end_within_the_bound_when_the_holder_loses_access(
    draft, ending, in_front, monkeypatch
):
    """The answer about a pass is kept LIVE_ACCESS_RECHECK_S (30 s) per process: the poll goes on until then,
    and is refused after, with the copies."""
    proposal, amina, atu = draft
    header = {
        "X-Live-Pass": live.pass_for(live.proposal_channel(proposal.pk), can_edit=True, holder=amina.pk)
    }
    now = [1000.0]
    monkeypatch.setattr("drafting.live.access.time.monotonic", lambda: now[0])
    assert _front("GET", "/live/events", "after=0", header)[0] in (200, 204)
    if ending == "deactivated":
        type(amina).objects.filter(pk=amina.pk).update(is_active=False)
    else:
        amina.regional_groups.remove(atu)
    now[0] += 29
    assert _front("GET", "/live/events", "after=0", header)[0] in (200, 204)  # the kept answer
    now[0] += 2
    assert _front("GET", "/live/events", "after=0", header)[0] == 403
    assert _front("GET", f"/live/proposals/{proposal.pk}/draft", "v=1", header)[0] == 403
