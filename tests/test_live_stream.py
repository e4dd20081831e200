"""The live channel pushed as server-sent events (drafting.live.stream), on SQLite and PostgreSQL.

The ASGI application is driven directly (fake receive and send) in most tests; one test runs
it under uvicorn beside a gunicorn process, as in production. Events from another process
come through PostgreSQL's NOTIFY there, through the table read every half second on SQLite.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from drafting import live
from drafting.live import stream as livestream
from drafting.models import Clause
from drafting.models.people import DELEGATES
from drafting.services.amendments import modify_clause
from drafting.services.tokens import create_token
from tests.drafting_factories import base_edition, group, mod_proposal, person
from tests.test_live_channel import ROOT, _database_url, _free_port, _start_server, _wait_until_up

pytestmark = pytest.mark.django_db(transaction=True)

CHANNEL = "proposal:7"
# How long a condition may take before it is a failure: a deadline on a loaded machine, never a wait.
DEADLINE_S = 30.0


class Stream:
    """One client of the ASGI app: what it was sent, and a way to hang up."""

    def __init__(self, app, query: str, headers: list | None = None, send_blocks_after: int | None = None):
        self.app = app
        self.scope = {
            "type": "http",
            "method": "GET",
            "path": livestream.STREAM_PATH,
            "query_string": query.encode(),
            "headers": headers or [],
        }
        self.messages: asyncio.Queue = asyncio.Queue()
        self.hang_up = asyncio.Event()
        self.requested = False
        self.status = None
        self.headers: dict = {}
        self.text = ""
        self.ended = False
        self.sends = 0
        self.send_blocks_after = send_blocks_after
        self.task = asyncio.create_task(app(self.scope, self.receive, self.send))

    async def receive(self):
        if not self.requested:
            self.requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.hang_up.wait()
        return {"type": "http.disconnect"}

    async def send(self, message):
        self.sends += 1
        if self.send_blocks_after is not None and self.sends > self.send_blocks_after:
            await self.hang_up.wait()  # a client that stopped reading, until it hangs up
        await self.messages.put(message)

    async def read(self, timeout: float = DEADLINE_S) -> None:
        """Takes the next message sent to the client."""
        message = await asyncio.wait_for(self.messages.get(), timeout)
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        else:
            self.text += message.get("body", b"").decode()
            self.ended = not message.get("more_body", False)

    async def until(self, predicate, timeout: float = DEADLINE_S) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            await self.read(max(0.01, deadline - time.monotonic()))

    def drain(self) -> None:
        """Takes every message sent so far, without waiting."""
        while not self.messages.empty():
            message = self.messages.get_nowait()
            self.text += message.get("body", b"").decode()

    def events(self) -> list[dict]:
        return [json.loads(m) for m in re.findall(r"^data: (\{.*\})$", self.text, re.M) if '"kind"' in m]

    def ids(self) -> list[int]:
        return [int(i) for i in re.findall(r"^id: (\d+)$", self.text, re.M)]

    async def close(self) -> None:
        self.hang_up.set()
        try:
            await asyncio.wait_for(self.task, 3)
        except (TimeoutError, asyncio.CancelledError):
            self.task.cancel()


def run(test):
    """Runs an async test body with a fresh app, closed (listener and connection) afterwards."""

    async def body():
        app = livestream.LiveStream()
        try:
            await test(app)
        finally:
            await app.close()

    # In a thread of its own: after a browser test, Playwright's loop is running in this one.
    failures: list[BaseException] = []

    def in_thread():
        try:
            asyncio.run(body())
        except BaseException as failure:  # noqa: BLE001 (raised again below, in the test's thread)
            failures.append(failure)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


insert = sync_to_async(live._insert, thread_sensitive=True)


def _query(channel: str = CHANNEL, after: int = 0, **kw) -> str:
    value = kw.get("value") or live.pass_for(channel, can_edit=False)
    return f"c={value}&after={after}"


def test_the_events_after_the_page_s_last_come_at_once_then_new_ones_as_they_happen():
    async def test(app):
        for version in (1, 2, 3):
            await insert(CHANNEL, "changed", {"version": version})
        await insert("proposal:8", "changed", {"version": 9})  # another page's channel
        first = (await livestream.events_after(CHANNEL, 0))[0]["id"]
        stream = Stream(app, _query(after=first))
        await stream.until(lambda s: len(s.events()) == 2)
        assert stream.status == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert [e["data"]["version"] for e in stream.events()] == [2, 3]
        assert stream.ids() == [e["id"] for e in stream.events()]
        assert re.match(r"retry: \d+\n\n", stream.text)
        # A new event of the channel is pushed; another channel's is not.
        await insert("proposal:8", "changed", {"version": 10})
        await insert(CHANNEL, "presence", {"user": "amina", "editing": True})
        await stream.until(lambda s: len(s.events()) == 3)
        assert stream.events()[-1]["kind"] == "presence"
        assert stream.events()[-1]["data"] == {"user": "amina", "editing": True}
        assert all(e["data"].get("version") != 10 for e in stream.events())
        await stream.close()
        assert app.hub.count == 0

    run(test)


def test_a_reconnection_resumes_after_the_last_event_id():
    async def test(app):
        for version in (1, 2, 3):
            await insert(CHANNEL, "changed", {"version": version})
        ids = [e["id"] for e in await livestream.events_after(CHANNEL, 0)]
        # EventSource sends Last-Event-ID; it wins over an older after= in the URL.
        stream = Stream(app, _query(after=0), headers=[(b"last-event-id", str(ids[1]).encode())])
        await stream.until(lambda s: len(s.events()) == 1)
        assert stream.events()[0]["id"] == ids[2]
        await stream.close()

    run(test)


def test_an_event_saved_by_another_process_reaches_the_stream():
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "tests.settings"}
    script = "import django; django.setup(); from drafting import live; live._insert('proposal:7', 'changed', {'version': 42})"

    async def test(app):
        stream = Stream(app, _query())
        await stream.until(lambda s: s.status == 200)
        other = await asyncio.create_subprocess_exec(sys.executable, "-c", script, cwd=ROOT, env=env)
        assert await other.wait() == 0
        # PostgreSQL notifies at once; SQLite is read every half second. How soon is the benchmark's
        # to say (scripts/benchmark_live_stream.py): on a loaded machine this only waits for it.
        await stream.until(lambda s: len(s.events()) == 1, timeout=30)
        assert stream.events()[0]["data"] == {"version": 42}
        await stream.close()

    run(test)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="NOTIFY is PostgreSQL's")
def test_on_postgresql_a_notification_from_any_connection_is_read_in_one_query_for_every_follower():
    async def test(app):
        queries = await _count_queries()
        streams = [Stream(app, _query()) for _ in range(20)]
        for stream in streams:
            await stream.until(lambda s: s.status == 200)
        # The channel's first state is built in a task of its own; on a busy machine it may still
        # be running when the last stream is answered.
        await asyncio.gather(*list(app.hub.priming.values()))
        # One catch-up each (and, once for the channel, what its first change is compared with).
        assert sum("drafting_liveevent" in q for q in queries) == 20 and len(queries) <= 21
        queries.clear()
        # An insert and its notification from a connection of its own (psycopg, not Django).
        import psycopg

        params = livestream._listen_params()
        async with await psycopg.AsyncConnection.connect(autocommit=True, **params) as other:
            cursor = await other.execute(
                "INSERT INTO drafting_liveevent (channel, kind, data, created_at) "
                "VALUES (%s, 'changed', '{\"version\": 5}', now()) RETURNING id",
                [CHANNEL],
            )
            (pk,) = await cursor.fetchone()
            await other.execute("SELECT pg_notify(%s, %s)", [live.NOTIFY_CHANNEL, f"{pk} {CHANNEL}"])
            # A notification for a channel nobody here follows costs nothing.
            await other.execute("SELECT pg_notify(%s, %s)", [live.NOTIFY_CHANNEL, f"{pk + 1} proposal:99"])
        for stream in streams:
            await stream.until(lambda s: len(s.events()) == 1)
            assert s_events(stream) == [(pk, {"version": 5})]
        # (A "changed" event of a proposal also has its changed clauses rendered, once for all:
        # see test_a_new_version_s_changed_clauses_come_in_the_event_rendered_once_for_all.)
        assert sum("drafting_liveevent" in q for q in queries) == 1
        for stream in streams:
            await stream.close()

    run(test)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="NOTIFY is PostgreSQL's")
def test_when_the_listener_loses_the_database_streams_end_and_a_reconnection_misses_nothing():
    async def test(app):
        stream = Stream(app, _query())
        await stream.until(lambda s: s.status == 200)
        # The database drops the listener's connection (a restart, a failover).
        pid = app.hub.listen_connection.info.backend_pid
        await sync_to_async(_terminate, thread_sensitive=True)(pid)
        await stream.until(lambda s: s.ended, timeout=5)  # so that EventSource reconnects
        # Meanwhile a save is announced; the reconnection (with its Last-Event-ID) gets it.
        await insert(CHANNEL, "changed", {"version": 3})
        again = Stream(app, _query(after=0))
        await again.until(lambda s: len(s.events()) == 1, timeout=10)
        assert again.events()[0]["data"] == {"version": 3}
        # And the new listener hears what comes next.
        await insert(CHANNEL, "changed", {"version": 4})
        await again.until(lambda s: len(s.events()) == 2, timeout=5)
        await again.close()

    run(test)


def _terminate(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def s_events(stream: Stream) -> list[tuple[int, dict]]:
    return [(e["id"], e["data"]) for e in stream.events()]


async def _count_queries() -> list[str]:
    """The SQL the stream server runs from now on (on its one Django connection)."""
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    await sync_to_async(lambda: connection.execute_wrappers.append(wrapper), thread_sensitive=True)()
    return seen


def test_idle_streams_cost_no_query_each(settings):
    settings.LIVE_STREAM_HEARTBEAT_S = 0.2
    settings.LIVE_STREAM_MAX_PER_HOLDER = 100  # 30 streams of one pass

    async def test(app):
        await app.hub.start()
        queries = await _count_queries()
        streams = [Stream(app, _query()) for _ in range(30)]
        for stream in streams:
            await stream.until(lambda s: s.status == 200)
        # The channel's first state is built in a task of its own; on a busy machine it may still
        # be running when the last stream is answered.
        await asyncio.gather(*list(app.hub.priming.values()))
        # One catch-up query each, when it connects; and, once for the channel, what its first
        # change will be compared with (here a proposal that does not exist: one query finds it).
        catch_up = [q for q in queries if "drafting_liveevent" in q]
        assert len(catch_up) == 30 and len(queries) - len(catch_up) <= 1
        queries.clear()
        started = time.monotonic()
        for stream in streams:  # five heartbeats each (a second, unless the machine is busy)
            await stream.until(lambda s: s.text.count(": still here") >= 5)
        idle = time.monotonic() - started
        if connection.vendor == "postgresql":
            assert queries == []
        else:
            # SQLite: the table is read every half second for the whole process, not per stream.
            assert len(queries) <= idle / livestream.SQLITE_POLL_S + 1
        for stream in streams:
            await stream.close()

    run(test)


def test_a_wrong_or_expired_pass_gets_403_and_no_stream(settings):
    async def test(app):
        good = live.pass_for(CHANNEL, can_edit=True)
        for value in ("", "nonsense", good[:-2] + "xx", "proposal:7|1:forged:sig"):
            stream = Stream(app, f"c={value}&after=0")
            await stream.until(lambda s: s.ended)
            assert stream.status == 403 and "expired" in stream.text
        stream = Stream(app, f"c={good}&after=x")
        await stream.until(lambda s: s.ended)
        assert stream.status == 400
        settings.LIVE_TOKEN_MAX_AGE = -1
        stream = Stream(app, f"c={good}&after=0")
        await stream.until(lambda s: s.ended)
        assert stream.status == 403
        assert app.hub.count == 0 and app.hub.channels == {}

    run(test)


def test_the_stream_ends_with_an_expired_event_when_the_pass_runs_out(settings):
    settings.LIVE_TOKEN_MAX_AGE = 2

    async def test(app):
        signed = time.monotonic()
        stream = Stream(app, _query())
        await stream.until(lambda s: s.status == 200)
        await stream.until(lambda s: s.ended)
        assert "event: expired\ndata: {}\n\n" in stream.text
        # Not before the pass ran out (signed to the second: more than one second after it was signed);
        # how soon after is the machine's business.
        assert time.monotonic() - signed > 1
        assert app.hub.count == 0

    run(test)


def test_connections_past_the_cap_get_a_clear_503(settings):
    settings.LIVE_STREAM_MAX_CONNECTIONS = 2

    async def test(app):
        held = [Stream(app, _query()) for _ in range(2)]
        for stream in held:
            await stream.until(lambda s: s.status == 200)
        refused = Stream(app, _query())
        await refused.until(lambda s: s.ended)
        assert refused.status == 503
        assert refused.headers["retry-after"] == "5"
        assert "live connections" in refused.text
        await held[0].close()
        again = Stream(app, _query())
        await again.until(lambda s: s.status == 200)
        assert app.hub.count == 2
        for stream in (held[1], again):
            await stream.close()

    run(test)


def test_a_client_that_does_not_read_is_dropped_without_holding_events(settings, monkeypatch):
    settings.LIVE_STREAM_QUEUE = 3
    monkeypatch.setattr(livestream, "SEND_TIMEOUT_S", 30)

    async def test(app):
        reader = Stream(app, _query())
        stuck = Stream(app, _query(), send_blocks_after=2)  # takes the head and the first chunk only
        await reader.until(lambda s: s.status == 200)
        await stuck.until(lambda s: s.status == 200)
        for version in range(1, 8):
            await insert(CHANNEL, "changed", {"version": version})
            await reader.until(lambda s, n=version: len(s.events()) == n)
        # The one that does not read was cut off at its fourth event: nothing more is kept for it.
        (dropped,) = [f for f in app.hub.channels[CHANNEL] if f.ended]
        assert dropped.queue.qsize() == 1 and dropped.queue.get_nowait() is None
        await stuck.close()
        assert stuck.task.done() and app.hub.count == 1  # the reader only
        await reader.close()

    run(test)


def test_a_stream_from_another_origin_is_readable_by_the_app_s_pages_only(settings):
    settings.LIVE_STREAM_ORIGINS = ["https://drafting.example.org"]

    async def test(app):
        ours = Stream(app, _query(), headers=[(b"origin", b"https://drafting.example.org")])
        theirs = Stream(app, _query(), headers=[(b"origin", b"https://elsewhere.example")])
        for stream in (ours, theirs):
            await stream.until(lambda s: s.status == 200)
        assert ours.headers["access-control-allow-origin"] == "https://drafting.example.org"
        assert "access-control-allow-origin" not in theirs.headers
        for stream in (ours, theirs):
            await stream.close()

    run(test)


def test_a_save_through_gunicorn_reaches_a_stream_served_by_uvicorn(settings):
    """Production's shape: the app under gunicorn, the stream under uvicorn, two processes."""
    import requests

    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    amina = person("amina", DELEGATES, atu)
    person("kwame", DELEGATES, atu)
    key = str(Clause.objects.get(edition=edition, anchor="considering-a").provision.key)
    _, token = create_token(amina, "test")
    web, stream_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TASKS_BACKEND": "immediate",
        "LIVE_STREAM_URL": f"http://127.0.0.1:{stream_port}/live/stream",
    }
    servers = [
        _start_server(web, env),
        subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "drafting.live.stream:app", "--host", "127.0.0.1",
             "--port", str(stream_port), "--no-access-log"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        ),
    ]  # fmt: skip
    try:
        for port, server in zip((web, stream_port), servers, strict=True):
            _wait_until_up(port, server)
        base = f"http://127.0.0.1:{web}"
        kwame = requests.Session()
        kwame.get(f"{base}/accounts/login/")
        kwame.post(
            f"{base}/accounts/login/",
            data={"username": "kwame", "password": "pw", "csrfmiddlewaretoken": kwame.cookies["csrftoken"]},
            headers={"Referer": f"{base}/accounts/login/"},
        )
        page = kwame.get(f"{base}/proposals/{proposal.pk}/").text
        stream_url = re.search(r'data-live-stream="([^"]+)"', page).group(1)
        assert stream_url == env["LIVE_STREAM_URL"]
        live_pass = re.search(r'data-live-pass="([^"]+)"', page).group(1)
        after = re.search(r'data-live-after="(\d+)"', page).group(1)
        with requests.get(
            stream_url, params={"c": live_pass, "after": after}, stream=True, timeout=DEADLINE_S
        ) as held:
            assert held.status_code == 200
            lines = held.iter_lines(decode_unicode=True)
            assert next(lines).startswith("retry: ")
            saved = requests.put(
                f"{base}/api/proposals/{proposal.pk}/clauses/{key}",
                json={"text": "saved through gunicorn;", "version": 0},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert saved.status_code == 200, saved.text
            # How soon is the benchmark's figure (scripts/benchmark_live_stream.py); here, that it comes.
            data = next(line for line in lines if line.startswith("data: "))
        event = json.loads(data.removeprefix("data: "))
        assert event["kind"] == "changed" and event["data"]["version"] >= 1
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)


@pytest.mark.django_db(transaction=False)
def test_compose_runs_the_stream_server_with_the_web_service_s_secret_and_database():
    from tests.test_deployment import GOOD_KEY, compose

    services = compose({"SECRET_KEY": GOOD_KEY, "POSTGRES_PASSWORD": "pw"})
    stream, web = services["live"], services["web"]
    assert stream["command"][:2] == ["uvicorn", "drafting.live.stream:app"]
    assert stream["build"] == web["build"]
    for name in ("SECRET_KEY", "DATABASE_URL"):
        assert stream["environment"][name] == web["environment"][name]
    assert "8001/healthz" in " ".join(stream["healthcheck"]["test"])
    # The proxy compose ships routes /live/stream to it: pages hold a stream by default.
    assert web["environment"]["LIVE_STREAM_URL"] == "/live/stream"


def test_a_new_version_s_changed_clauses_come_in_the_event_rendered_once_for_all(monkeypatch):
    """The editors following a proposal are sent, with each "changed" event, the clauses the new
    version changed since the one the stream sent last: the copy the editor would fetch, rendered
    once per event and kind of pass, not once per editor."""
    from django.test import Client

    from tests.drafting_factories import clause_keys

    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    amina = person("amina", DELEGATES, atu)
    keys = clause_keys(edition)
    channel = live.proposal_channel(proposal.pk)
    renders = []
    rendered = livestream.pushed_delta

    async def counted(*args):
        renders.append(args)
        return await rendered(*args)

    monkeypatch.setattr(livestream, "pushed_delta", counted)
    save = sync_to_async(modify_clause, thread_sensitive=True)

    def fetched(since: int) -> str:
        version = proposal.__class__.objects.get(pk=proposal.pk).version
        query = {"v": version, "from": since, "c": live.pass_for(channel, can_edit=True)}
        return (
            Client()
            .get(f"/live/proposals/{proposal.pk}/draft", query, HTTP_HX_REQUEST="true")
            .content.decode()
        )

    async def test(app):
        editors = [
            Stream(app, _query(channel, value=live.pass_for(channel, can_edit=True))) for _ in range(5)
        ]
        reader = Stream(app, _query(channel, value=live.pass_for(channel, can_edit=False)))
        for stream in [*editors, reader]:
            await stream.until(lambda s: s.status == 200)
        # The stream has just started (a deployment): its first change carries its copy too, from
        # the version the pages have, built when the first of them followed.
        await save(amina, proposal, keys["considering-a"], "the outcomes of WSIS+20;", expected_version=0)
        for stream in [*editors, reader]:
            await stream.until(lambda s: len(s.events()) == 1, timeout=5)
        first = editors[0].events()[0]
        opened = first["data"]["version"] - 1  # the version the pages were opened at
        assert f'data-version="{first["data"]["version"]}" data-since="{opened}"' in first["copy"]
        assert first["copy"] == await sync_to_async(fetched, thread_sensitive=True)(opened)
        assert 'id="draft-delta"' in reader.events()[0]["copy"]
        await save(amina, proposal, keys["considering-b"], "the Global Digital Compact;", expected_version=0)
        for stream in [*editors, reader]:
            await stream.until(lambda s: len(s.events()) == 2, timeout=5)
        pushed = editors[0].events()[1]["copy"]
        assert all(e.events()[1]["copy"] == pushed for e in editors)
        first = editors[0].events()[0]["data"]["version"]
        assert f'data-version="{first + 1}" data-since="{first}"' in pushed
        assert f'id="c-{keys["considering-b"]}"' in pushed and f'id="c-{keys["considering-a"]}"' not in pushed
        assert pushed == await sync_to_async(fetched, thread_sensitive=True)(first)
        # The reader's copy has no edit tools; each is rendered once per event (and built once when
        # the first page followed), whoever follows.
        read_only = reader.events()[1]["copy"]
        assert 'id="draft-delta"' in read_only and read_only != pushed
        assert sorted(may_edit for _, may_edit, _ in renders) == [False] * 3 + [True] * 3
        for stream in [*editors, reader]:
            await stream.close()
        assert app.hub.pushed == {}  # forgotten with the last follower

    run(test)


def _rows(html: str, container: str) -> list[tuple[str, bytes]]:
    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div").get_element_by_id(container)
    return [
        (n.get("id"), lxml.html.tostring(n, with_tail=False)) for n in root if "syn-row" in n.get("class", "")
    ]


def _merged(page: str, delta: str) -> list[tuple[str, bytes]]:
    """What consolidation.js makes of a page's rows and a delta sent with an event."""
    import lxml.html

    root = lxml.html.fragment_fromstring(delta, create_parent="div").get_element_by_id("consolidation-delta")
    rows = dict(_rows(page, "synoptic")) | dict(_rows(delta, "consolidation-delta"))
    return [(key, rows[key]) for key in root.get("data-order").split()]


def test_a_consolidation_s_readers_are_sent_what_each_settlement_did_to_their_rows():
    """Readers of the synoptic view are sent, with each change, the bar and the rows it changed in
    the filter and layout their page shows, and the order of all rows: merged into the page they
    make what the page would fetch. The secretariat's page, whose rows are its own, is sent none."""
    from django.contrib.auth.models import User
    from django.test import Client

    from drafting.demo.load import load_demo
    from drafting.models import Consolidation, LiveEvent
    from drafting.services.consolidation import settle_clause

    load_demo()
    consolidation = Consolidation.objects.get(resolution__number="75")
    officer = User.objects.get(username="secretariat")

    def key(anchor: str) -> str:
        return str(Clause.objects.get(edition=consolidation.base_edition, anchor=anchor).provision.key)

    channel = live.consolidation_channel(consolidation.pk)
    reader_pass = live.pass_for(channel, can_edit=False)
    after = LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def fetched(at: int, view: str, layout: str) -> str:
        url = f"/live/consolidations/{consolidation.pk}/page"
        query = {"filter": view, "layout": layout, "at": at, "c": reader_pass}
        return Client().get(url, query).content.decode()

    async def test(app):
        columns = Stream(app, f"c={reader_pass}&after={after}&view=all&layout=columns")
        open_only = Stream(app, f"c={reader_pass}&after={after}&view=open&layout=stacked")
        unknown = Stream(app, f"c={reader_pass}&after={after}&view=everything&layout=columns")
        secretariat = Stream(
            app, f"c={live.pass_for(channel, can_edit=True)}&after={after}&view=all&layout=columns"
        )
        streams = [columns, open_only, unknown, secretariat]
        for stream in streams:
            await stream.until(lambda s: s.status == 200)
        settle = sync_to_async(settle_clause, thread_sensitive=True)
        fetch = sync_to_async(fetched, thread_sensitive=True)
        pages_before = {
            "all columns": await fetch(after, "all", "columns"),
            "open stacked": await fetch(after, "open", "stacked"),
        }
        # The stream has just started (a deployment): its first change carries the rows it changed
        # too, compared with the view as it was when the first reader followed.
        await settle(officer, consolidation, key("resolves-4"), "base")
        for stream in streams:
            await stream.until(lambda s: len(s.events()) == 1, timeout=5)
        first = columns.events()[0]["id"]
        assert _merged(pages_before["all columns"], columns.events()[0]["copy"]) == _rows(
            await fetch(first, "all", "columns"), "synoptic"
        )
        assert _merged(pages_before["open stacked"], open_only.events()[0]["copy"]) == _rows(
            await fetch(first, "open", "stacked"), "synoptic"
        )
        pages = {
            "all columns": await fetch(first, "all", "columns"),
            "open stacked": await fetch(first, "open", "stacked"),
        }
        await settle(officer, consolidation, key("resolves-2"), "base")
        for stream in streams:
            await stream.until(lambda s: len(s.events()) == 2, timeout=5)
        second = columns.events()[1]["id"]
        delta = columns.events()[1]["copy"]
        assert 'id="consolidation-delta"' in delta and "csrfmiddlewaretoken" not in delta
        assert f'id="k-{key("resolves-2")}"' in delta and f'id="k-{key("resolves-4")}"' not in delta
        assert len(delta) < 20_000  # a row and the bar, not the whole view (190 KB)
        assert _merged(pages["all columns"], delta) == _rows(
            await fetch(second, "all", "columns"), "synoptic"
        )
        # "Not yet settled": the settled row leaves the page.
        leaving = open_only.events()[1]["copy"]
        assert f"k-{key('resolves-2')}" in pages["open stacked"] and f"k-{key('resolves-2')}" not in leaving
        assert _merged(pages["open stacked"], leaving) == _rows(
            await fetch(second, "open", "stacked"), "synoptic"
        )
        assert all("copy" not in e for e in unknown.events() + secretariat.events())
        for stream in streams:
            await stream.close()
        assert app.hub.views == {}

    run(test)
