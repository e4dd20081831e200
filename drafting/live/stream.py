"""The live channel pushed: server-sent events from a small ASGI application (run by uvicorn).

``GET /live/stream?c=<pass>&after=<id>`` answers ``text/event-stream``: the channel's events
after ``after`` (or the ``Last-Event-ID`` EventSource sends when it reconnects) at once, then
each new one as it is published, a comment every ``LIVE_STREAM_HEARTBEAT_S`` seconds so that
proxies keep the connection, and an ``expired`` event when the page's pass runs out. Each
event is ``id: <running highest id>`` and ``data: {"id", "kind", "data"}``, the objects the
poll (``/live/events``) returns, so that pages fire the same ``live:event`` with either.

One listener per process feeds every connection. On PostgreSQL it LISTENs on
``live.NOTIFY_CHANNEL``: ``live._insert`` notifies ``"<id> <channel>"`` when an event commits,
from any process on any machine; the listener reads the events of a batch of notifications in
one query, and only those of channels someone here follows, then hands them to the
connections' queues. On SQLite (development, tests) it reads the table every
``SQLITE_POLL_S`` instead. An open stream with nothing happening costs no query at all.

A "changed" event is sent with the page's fresh copy when the stream knows which (``copy``):
an editor's page gets the clauses the new version changed (its pass says whether it may edit),
a consolidation's reader the rows a change touched in the filter and layout its page names in
the stream's query (``view``, ``layout``). Each is rendered once here for every page following,
instead of fetched by each page from the web workers; a page that is not at the version the copy
is from fetches as before. What a copy is compared with (the version's content stamps, the
view's rows) is built when the first page follows a channel, not at its first change: after a
restart of this service (every deployment) the first change carries its copy like any other,
instead of every page following it fetching at once.

Limits: ``LIVE_STREAM_MAX_CONNECTIONS`` per process (more get 503 and the page polls), and a
bounded queue per connection: a client that does not read is dropped, and EventSource
reconnects with ``Last-Event-ID`` and catches up. The pass is checked as the poll checks it
(``live.read_pass``: an HMAC, no session, no user, no ORM model).

A refusal says why in the page's language: its ``lang`` parameter (EventSource sends no header of
the page's choosing), else Accept-Language (``live.language_asked``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import time
from urllib.parse import parse_qs

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drafting.settings")
django.setup()

from asgiref.sync import sync_to_async  # noqa: E402 (after Django is set up)
from django.conf import settings  # noqa: E402
from django.core import signing  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.functional import lazy  # noqa: E402
from django.utils.translation import gettext, gettext_lazy  # noqa: E402

from drafting import live  # noqa: E402
from drafting.live import access  # noqa: E402

logger = logging.getLogger(__name__)

STREAM_PATH = "/live/stream"
SQLITE_POLL_S = 0.5
# How long the PostgreSQL listener waits for notifications before checking its connection.
LISTEN_CHECK_S = 30.0
# A client that has not taken a chunk in this time is gone or stuck: its stream ends.
SEND_TIMEOUT_S = 15.0
EXPIRED = gettext_lazy("This page's live updates have expired: reload the page.")
UNAVAILABLE = gettext_lazy("Live updates are unavailable for a moment.")
# Changed clauses bigger than this (a renumbering of a whole annex) are fetched, not pushed.
MAX_PUSHED = 64 * 1024


def _copy_wanted(channel: str, may_edit: bool, query: dict[str, list[str]]) -> bool | tuple[str, str] | None:
    """Which copy a new stream is sent with each change: an editor's page the changed clauses
    (for its pass); a consolidation's reader the rows in the filter and layout its page shows,
    when it says which (``view`` and ``layout``); the secretariat's page none (its rows are its own)."""
    if channel.startswith("proposal:"):
        return may_edit
    from drafting.views.consolidation import FILTERS

    view, layout = query.get("view", [""])[0], query.get("layout", [""])[0]
    if may_edit or view not in FILTERS or layout not in ("columns", "stacked"):
        return None
    return (view, layout)


# --- the database: Django's connection in one thread, used once per connect and per batch ------


def _events_after(channel: str, after: int) -> list[dict]:
    """Every event of the channel after ``after`` (in pages of ``live.MAX_EVENTS``)."""
    events: list[dict] = []
    for _ in range(20):  # a page away for a very busy hour reloads instead
        page = live.events_after(channel, after)
        events.extend(page)
        if len(page) < live.MAX_EVENTS:
            break
        after = page[-1]["id"]
    return events


def _rows(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        {
            "id": pk,
            "channel": channel,
            "kind": kind,
            "data": json.loads(data) if isinstance(data, str) else data,
        }
        for pk, channel, kind, data in rows
    ]


def _events_by_id(ids: list[int]) -> list[dict]:
    return _rows(
        "SELECT id, channel, kind, data FROM drafting_liveevent WHERE id = ANY(%s) ORDER BY id", [ids]
    )


def _events_since(high: int) -> list[dict]:
    return _rows(
        "SELECT id, channel, kind, data FROM drafting_liveevent WHERE id > %s ORDER BY id LIMIT 500", [high]
    )


def _highest_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM drafting_liveevent")
        return cursor.fetchone()[0] or 0


def _guarded(function):
    """Runs in Django's connection thread; a failed query closes the connection so that the
    next one reconnects (the database restarted) instead of failing for ever."""

    def run(*args):
        try:
            return function(*args)
        except Exception:
            connection.close()
            raise

    return sync_to_async(run, thread_sensitive=True)


events_after = _guarded(_events_after)
events_by_id = _guarded(_events_by_id)
events_since = _guarded(_events_since)
highest_id = _guarded(_highest_id)


def _pushed_delta(pk: int, may_edit: bool, since: int | None) -> tuple[int, str | None]:
    from drafting.live.copies import pushed_delta

    return pushed_delta(pk, may_edit, since)


def _pushed_consolidation(pk: int, view: str, layout: str, since: dict | None) -> tuple[dict, str | None]:
    from drafting.live.copies import pushed_consolidation

    return pushed_consolidation(pk, view, layout, since)


# The holder's rights and session now, not when the page was rendered (drafting.live.access).
may_follow = _guarded(lambda value: access.allowed(value))
pushed_delta = _guarded(_pushed_delta)
pushed_consolidation = _guarded(_pushed_consolidation)
# A lambda: ``connection.close`` would bind the importing thread's connection, not this thread's.
close_connection = sync_to_async(lambda: connection.close(), thread_sensitive=True)


def _listen_params() -> dict:
    """psycopg connection parameters of Django's default database (its test database in tests)."""
    config = connection.settings_dict
    params = {
        "dbname": config["NAME"],
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
        "host": config.get("HOST"),
        "port": config.get("PORT"),
    }
    passed_on = {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "service", "passfile"}
    params.update({k: v for k, v in (config.get("OPTIONS") or {}).items() if k in passed_on})
    # A half-open connection (a machine gone) is noticed by the keepalives, not after hours.
    params.update(keepalives=1, keepalives_idle=30, keepalives_interval=10, keepalives_count=3)
    return {k: v for k, v in params.items() if v not in (None, "")}


# --- who follows what in this process ---------------------------------------------------------


class Follower:
    """One open stream: the events for it wait in a bounded queue; ``None`` there ends it.
    ``copy`` says which live copy of the page it is sent with each change (None: none): for an
    editor, whether its pass may edit; for a reader of a consolidation, its filter and layout."""

    __slots__ = ("channel", "copy", "queue", "ended", "holder", "address")

    def __init__(
        self,
        channel: str,
        size: int,
        copy: bool | tuple[str, str] | None = None,
        holder: str = "",
        address: str = "",
    ):
        self.channel = channel
        self.copy = copy
        self.holder = holder
        self.address = address
        self.queue: asyncio.Queue[dict | None] = asyncio.Queue(size)
        self.ended = False

    def offer(self, event: dict) -> None:
        if self.ended:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            # It does not read what it is sent: end its stream rather than hold events for it
            # without bound; EventSource reconnects with Last-Event-ID and catches up.
            self.end()

    def end(self) -> None:
        if self.ended:
            return
        self.ended = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)


class Hub:
    """The followers of each channel, and the one listener task that feeds them."""

    def __init__(self) -> None:
        self.channels: dict[str, set[Follower]] = {}
        self.count = 0
        # Streams open per holder (a person, or a pass naming no one) and per client address.
        self.holders: dict[str, int] = {}
        self.addresses: dict[str, int] = {}
        self.ready = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.listen_connection = None
        # Per proposal channel and pass (may edit or not): the version whose changed clauses
        # went out last in an event, from which the next event's are rendered.
        self.pushed: dict[tuple[str, bool], int] = {}
        # Per consolidation channel and view (filter, layout): the state of the rows last sent.
        self.views: dict[tuple[str, tuple[str, str]], dict] = {}
        # The first state of each of those being built, for the first page following it.
        self.priming: dict[tuple[str, bool | tuple[str, str]], asyncio.Task] = {}

    def refusal(self, holder: str, address: str) -> tuple[int, object] | None:
        """Why one more stream for this holder from this address is refused (status, detail), or None."""
        if self.count >= settings.LIVE_STREAM_MAX_CONNECTIONS:
            return 503, gettext_lazy("This server holds all the live connections it can: the page polls.")
        if self.holders.get(holder, 0) >= settings.LIVE_STREAM_MAX_PER_HOLDER:
            return 429, gettext_lazy(
                "You hold all the live connections one person may (close other tabs): the page polls."
            )
        if address and self.addresses.get(address, 0) >= settings.LIVE_STREAM_MAX_PER_ADDRESS:
            return 429, gettext_lazy(
                "Your address holds all the live connections one address may: the page polls."
            )
        return None

    def follow(
        self,
        channel: str,
        size: int,
        copy: bool | tuple[str, str] | None = None,
        holder: str = "",
        address: str = "",
    ) -> Follower:
        follower = Follower(channel, size, copy, holder, address)
        self.channels.setdefault(channel, set()).add(follower)
        self.count += 1
        for book, key in ((self.holders, holder), (self.addresses, address)):
            if key:
                book[key] = book.get(key, 0) + 1
        if copy is not None:
            self._prime(channel, copy)
        return follower

    def _prime(self, channel: str, copy: bool | tuple[str, str]) -> None:
        """Builds what the next change's copy is compared with, now rather than at that change."""
        key = (channel, copy)
        if key in self.pushed or key in self.views or key in self.priming:
            return
        self.priming[key] = asyncio.get_running_loop().create_task(self._build_state(key))

    async def _build_state(self, key: tuple[str, bool | tuple[str, str]]) -> None:
        channel, copy = key
        kind, _, pk = channel.partition(":")
        try:
            if kind == "proposal" and isinstance(copy, bool):
                version, _ = await pushed_delta(int(pk), copy, None)
                if channel in self.channels:
                    self.pushed.setdefault(key, version)
            elif kind == "consolidation" and isinstance(copy, tuple):
                state, _ = await pushed_consolidation(int(pk), *copy, None)
                if channel in self.channels and state:
                    self.views.setdefault(key, state)
        except Exception:
            logger.exception("live stream: building the first state of %s failed", channel)
        finally:
            self.priming.pop(key, None)

    async def _primed(self, key) -> None:
        task = self.priming.get(key)
        if task is not None:
            await asyncio.shield(task)

    def leave(self, follower: Follower) -> None:
        followers = self.channels.get(follower.channel)
        if followers and follower in followers:
            followers.discard(follower)
            self.count -= 1
            for book, key in ((self.holders, follower.holder), (self.addresses, follower.address)):
                if key and key in book:
                    book[key] -= 1
                    if book[key] <= 0:
                        del book[key]
            if not followers:
                del self.channels[follower.channel]
                for book in (self.pushed, self.views):
                    for key in [k for k in book if k[0] == follower.channel]:
                        del book[key]

    async def deliver(self, events: list[dict]) -> None:
        for event in events:
            followers = list(self.channels.get(event["channel"], ()))
            copies = {}
            if event["kind"] == live.CHANGED:
                for copy in {f.copy for f in followers} - {None}:
                    copies[copy] = await self._copy(event, copy)
            # One event object per copy: its frame is encoded once for all who are sent it.
            sent = {copy: {**event, "copy": html} for copy, html in copies.items() if html}
            for follower in followers:
                follower.offer(sent.get(follower.copy, event))

    async def _copy(self, event: dict, copy: bool | tuple[str, str]) -> str | None:
        """What the pages following this change would fetch, rendered here once for all of them."""
        kind, _, pk = event["channel"].partition(":")
        if kind == "proposal" and isinstance(copy, bool):
            return await self._changed_clauses(event, copy)
        if kind == "consolidation" and isinstance(copy, tuple):
            key = (event["channel"], copy)
            await self._primed(key)
            try:
                state, html = await pushed_consolidation(int(pk), *copy, self.views.get(key))
            except Exception:
                logger.exception("live stream: rendering the consolidation failed")
                return None
            if event["channel"] in self.channels:
                self.views[key] = state
            return html if html is not None and len(html) <= MAX_PUSHED else None
        return None

    async def _changed_clauses(self, event: dict, may_edit: bool) -> str | None:
        """A proposal's new version, as the clauses it changed (rendered here once for all the
        editors following it, instead of fetched by each): saves of 50 drafters followed by 1,000
        open editors were 100 fetches a second, all of the same few kilobytes."""
        key = (event["channel"], may_edit)
        await self._primed(key)
        since = self.pushed.get(key)
        version = int((event.get("data") or {}).get("version") or 0)
        if since is not None and version <= since:
            return None  # the clauses of a version at least as new went out already
        pk = int(event["channel"].partition(":")[2])
        try:
            current, html = await pushed_delta(pk, may_edit, since)
        except Exception:
            logger.exception("live stream: rendering the changed clauses failed")
            return None
        if key[0] in self.channels:
            self.pushed[key] = max(current, since or 0)
        return html if html is not None and len(html) <= MAX_PUSHED else None

    def end_all(self) -> None:
        """The listener lost the database: every stream ends, and reconnects to catch up."""
        for followers in list(self.channels.values()):
            for follower in list(followers):
                follower.end()

    async def start(self) -> None:
        """Starts the listener on this event loop if it is not running, and waits until it listens."""
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.done() or self.loop is not loop:
            self.loop = loop
            self.ready = asyncio.Event()
            self.task = loop.create_task(self._run())
        async with asyncio.timeout(5):
            await self.ready.wait()

    async def close(self) -> None:
        """Stops the listener and ends every stream; call it on the loop the hub runs on."""
        for priming in list(self.priming.values()):
            priming.cancel()
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        self.end_all()
        await close_connection()

    async def _run(self) -> None:
        backoff = 0.5
        while True:
            try:
                if connection.vendor == "postgresql":
                    await self._listen_postgresql()
                else:
                    await self._poll_sqlite()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("the live listener lost the database; starting again")
            self.ready.clear()
            self.end_all()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 10.0)

    async def _listen_postgresql(self) -> None:
        import psycopg

        conn = await psycopg.AsyncConnection.connect(autocommit=True, **_listen_params())
        self.listen_connection = conn
        pending: dict[int, str] = {}
        wake = asyncio.Event()

        async def fetch() -> None:
            # One query per batch: notifications arriving while it runs make the next batch.
            while True:
                await wake.wait()
                wake.clear()
                batch = dict(pending)
                pending.clear()
                ids = [pk for pk, channel in batch.items() if channel in self.channels]
                if not ids:
                    continue
                try:
                    await self.deliver(await events_by_id(ids))
                except Exception:
                    # These events are lost to the streams here: end them, so that they
                    # reconnect and read what they missed.
                    logger.exception("live listener: reading notified events failed")
                    self.end_all()

        fetcher = asyncio.create_task(fetch())
        try:
            async with conn:
                await conn.execute(f"LISTEN {live.NOTIFY_CHANNEL}")
                self.ready.set()
                while True:
                    async for notify in conn.notifies(timeout=LISTEN_CHECK_S):
                        pk, _, channel = notify.payload.partition(" ")
                        if pk.isdigit():
                            pending[int(pk)] = channel
                            wake.set()
                    if fetcher.done():
                        fetcher.result()  # raises what stopped it
                    await conn.execute("SELECT 1")  # still connected?
        finally:
            fetcher.cancel()
            self.listen_connection = None

    async def _poll_sqlite(self) -> None:
        high = await highest_id()
        self.ready.set()
        while True:
            await asyncio.sleep(SQLITE_POLL_S)
            events = await events_since(high)
            if events:
                high = events[-1]["id"]
                await self.deliver(events)


# --- the ASGI application ------------------------------------------------------------------


def _expires_at(value: str) -> float:
    """When a valid pass runs out (its signing time plus LIVE_TOKEN_MAX_AGE)."""
    signed_at = signing.b62_decode(value.rsplit(":", 2)[1])
    return signed_at + settings.LIVE_TOKEN_MAX_AGE


def _frame(event: dict, last: int) -> bytes:
    body = event.get("_body")
    if body is None:
        # Encoded once for all the followers sent the same event (and copy).
        fields = {"id": event["id"], "kind": event["kind"], "data": event["data"]}
        if event.get("copy"):
            fields["copy"] = event["copy"]
        body = event["_body"] = json.dumps(fields, separators=(",", ":"))
    return f"id: {last}\ndata: {body}\n\n".encode()


class LiveStream:
    """The ASGI application: ``/live/stream`` and ``/healthz``; anything else is 404."""

    def __init__(self) -> None:
        self.hub = Hub()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path = scope.get("path", "")
        headers = dict(scope.get("headers") or [])
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        language = live.language_asked(
            query.get("lang", [""])[0], headers.get(b"accept-language", b"").decode("latin-1")
        )
        if scope.get("method") not in ("GET", "HEAD"):
            await _plain(send, 405, gettext_lazy("Only GET."), language=language)
        elif path == STREAM_PATH:
            await self._stream(scope, receive, send, language)
        elif path == "/healthz":
            try:
                await self.hub.start()
            except Exception:
                await _plain(send, 503, "The live listener is not connected to the database.")
            else:
                await _plain(send, 200, f"ok, {self.hub.count} streams")
        else:
            await _plain(send, 404, gettext_lazy("Not found."), language=language)

    async def close(self) -> None:
        await self.hub.close()

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                # The templates and views the copies are rendered with, loaded and frozen out of
                # the garbage collector's scans, before the first stream.
                from drafting.serving import ready_to_serve

                ready_to_serve()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _stream(self, scope, receive, send, language: str) -> None:
        headers = dict(scope.get("headers") or [])
        cors = _cors(headers.get(b"origin", b"").decode("latin-1"))
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        # The page's ticket (its pass signed again for a minute: the URL, which logs keep, carries
        # nothing that lasts), or the pass itself from older pages and scripts.
        value = live.pass_of_ticket(query["t"][0]) if "t" in query else query.get("c", [""])[0]
        grant = live.read_pass(value)
        if grant is None:
            await _plain(send, 403, EXPIRED, cors, language)
            return
        channel, may_edit = grant
        copy = _copy_wanted(channel, may_edit, query)
        numbers = [
            live.whole_number(query.get("after", ["0"])[0] or "0"),
            live.whole_number(headers.get(b"last-event-id", b"0").decode("latin-1") or "0"),
        ]
        if None in numbers:
            await _plain(send, 400, _bad_numbers(), cors, language)
            return
        after = max(numbers)
        try:
            await self.hub.start()
        except Exception:
            logger.exception("the live listener is not running")
            await _plain(send, 503, UNAVAILABLE, cors, language)
            return
        uid = live.pass_holder(value)
        holder = f"user:{uid}" if uid else f"pass:{value}"
        # The holder's rights and session now, not when the page was rendered (logged out, out of the
        # group, deactivated).
        try:
            allowed = await may_follow(value)
        except Exception:
            logger.exception("live stream: checking the pass's holder failed")
            await _plain(send, 503, UNAVAILABLE, cors, language)
            return
        if not allowed:
            await _plain(send, 403, EXPIRED, cors, language)
            return
        address = _client_address(scope, headers)
        # Checked right before following, with no await in between, so that the caps hold.
        refused = self.hub.refusal(holder, address)
        if refused is not None:
            await _plain(send, *refused, cors, language)
            return
        # Follow first, then read what is there: an event committed in between is in one or both.
        follower = self.hub.follow(channel, settings.LIVE_STREAM_QUEUE, copy, holder, address)
        watcher = None
        try:
            try:
                backlog = await events_after(channel, after)
            except Exception:
                logger.exception("live stream: reading the channel failed")
                await _plain(send, 503, UNAVAILABLE, cors, language)
                return
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/event-stream; charset=utf-8"),
                        (b"cache-control", b"no-store"),
                        (b"x-content-type-options", b"nosniff"),
                        (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
                        *cors,
                    ],
                }
            )
            if scope["method"] == "HEAD":
                await send({"type": "http.response.body", "body": b""})
                return
            # Reconnections spread over a few seconds, so that a restart is not a stampede.
            chunk = f"retry: {random.randint(1000, 5000)}\n\n".encode()
            sent = set()
            last = after
            for event in backlog:
                sent.add(event["id"])
                last = max(last, event["id"])
                chunk += _frame(event, last)
            watcher = asyncio.create_task(_watch_disconnect(receive, follower))
            holder_check = lambda: may_follow(value)  # noqa: E731
            await self._stream_events(send, follower, chunk, sent, last, _expires_at(value), holder_check)
        finally:
            if watcher is not None:
                watcher.cancel()
            self.hub.leave(follower)

    async def _stream_events(
        self, send, follower, chunk: bytes, sent: set, last: int, expires: float, holder_check=None
    ) -> None:
        heartbeat = settings.LIVE_STREAM_HEARTBEAT_S
        recheck = settings.LIVE_STREAM_RECHECK_S
        next_check = time.monotonic() + recheck
        next_beat = time.monotonic() + heartbeat
        try:
            while True:
                async with asyncio.timeout(SEND_TIMEOUT_S):
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                left = expires - time.time()
                if holder_check is not None and time.monotonic() >= next_check:
                    next_check = time.monotonic() + recheck
                    with contextlib.suppress(Exception):  # a database hiccup is not a lost right
                        if not await holder_check():
                            left = 0
                if left <= 0:
                    chunk = b"event: expired\ndata: {}\n\n"
                    async with asyncio.timeout(SEND_TIMEOUT_S):
                        await send({"type": "http.response.body", "body": chunk, "more_body": False})
                    return
                wait = min(next_beat - time.monotonic(), left)
                if holder_check is not None:
                    wait = min(wait, next_check - time.monotonic())
                wait = max(wait, 0.01)
                try:
                    async with asyncio.timeout(wait):
                        event = await follower.queue.get()
                except TimeoutError:
                    chunk = b""
                    if time.monotonic() >= next_beat:
                        chunk, next_beat = b": still here\n\n", time.monotonic() + heartbeat
                    continue
                if event is None:  # dropped, or the client left
                    break
                if event["id"] in sent:  # already in the backlog
                    continue
                last = max(last, event["id"])
                chunk = _frame(event, last)
                while not follower.queue.empty():  # whatever else is waiting goes in the same chunk
                    more = follower.queue.get_nowait()
                    if more is None:
                        follower.queue.put_nowait(None)
                        break
                    if more["id"] not in sent:
                        last = max(last, more["id"])
                        chunk += _frame(more, last)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except (TimeoutError, OSError):
            pass  # a client that stopped reading: the server closes the connection
        except asyncio.CancelledError:
            # The server stops (uvicorn cancels what is still open after
            # --timeout-graceful-shutdown): end the response properly rather than with a
            # traceback per stream; EventSource reconnects, to the next process.
            with contextlib.suppress(Exception):
                await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _watch_disconnect(receive, follower: Follower) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            follower.end()
            return


def _client_address(scope, headers: dict[bytes, bytes]) -> str:
    """The client's address, behind the proxy the one it saw (as the web service reads it:
    ``drafting.throttling.client_ip``, X-Forwarded-For believed only from ``TRUSTED_PROXIES``)."""
    from types import SimpleNamespace

    from drafting.throttling import client_ip

    peer = (scope.get("client") or ("", 0))[0] or ""
    forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")[:2000]
    return client_ip(SimpleNamespace(META={"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": forwarded}))


def _cors(origin: str) -> list[tuple[bytes, bytes]]:
    """Lets the app's pages read the stream when it is served from another origin."""
    if origin and origin in settings.LIVE_STREAM_ORIGINS:
        return [(b"access-control-allow-origin", origin.encode()), (b"vary", b"Origin")]
    return []


# Made when said (in _plain, in the page's language), not when the refusal is decided.
_bad_numbers = lazy(
    lambda: (
        gettext("“after” and Last-Event-ID must be whole numbers from 0 to %(highest)s.")
        % {"highest": format(live.MAX_ID, ",")}
    ),
    str,
)


async def _plain(send, status: int, detail, extra: list | None = None, language: str | None = None) -> None:
    """A short JSON answer; ``detail`` (words, or a lazy message) said in ``language`` (the page's).
    The health check's words are for machines and stay English."""
    with translation.override(language or settings.LANGUAGE_CODE):
        body = json.dumps({"detail": str(detail)}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *(extra or []),
    ]
    if status in (429, 503):
        headers.append((b"retry-after", b"5"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


app = LiveStream()
