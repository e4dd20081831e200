"""A conference day for locust, as real browsers make it.

Each simulated delegate is a browser: it logs in once (the morning's arrivals), opens its page,
fetches the page's static files once and then keeps them as the browser cache rules say
(a hashed, immutable file is never asked for again; one with a short max-age is revalidated when
it expires), loads the header's bell and polls the person's channel as the bell does, and holds
the page's live stream (or polls, without LIVE_STREAM_URL) in the background as live.js does,
taking the copy an event brings when it is from the version the page has, else fetching it, as
editor.js and consolidation.js do. Now and then it opens its page again (a navigation).

- delegates following a submitted proposal, the consolidation or their group's draft: mostly idle;
- drafters editing as editor.js does: the clause's form, presence "editing", the citation check when
  the box opens and at each pause in the typing, the save with the version opened, presence "left";
  a third of the saves on a clause the other drafters edit too, and a racing pair now and then;
- readers (not logged in) of editions, comparisons (Res. 75 has two editions) and library searches;
- two officers of the secretariat settling, their synoptic view following the other's settlements;
- a script asking for the compilation with an API token.

Run through ``scripts/loadtest/run`` (the app as in production, behind the proxy); the world (users,
proposals, clause keys) comes from the JSON file named by LOADTEST_WORLD.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import random
import re
import threading
import time
from collections import defaultdict

import gevent
import requests
from locust import FastHttpUser, between, constant, events, task

from scripts.loadtest import cpu
from scripts.loadtest.markup import CONSOLIDATION_DELTA, PUSHED

WORLD = json.load(open(os.environ["LOADTEST_WORLD"]))
POLL_S = float(os.environ.get("LOADTEST_POLL_S", "1.5"))
BELL_POLL_S = float(os.environ.get("LOADTEST_BELL_POLL_S", "60"))
EDIT_EVERY_S = float(os.environ.get("LOADTEST_EDIT_EVERY_S", "20"))
# How long a drafter types in a box before saving, at most (seconds).
TYPING_S = float(os.environ.get("LOADTEST_TYPING_S", "12"))
# How often a delegate opens its page again (a navigation: the HTML, the bell, a new stream).
NAVIGATE_S = float(os.environ.get("LOADTEST_NAVIGATE_S", "180"))
# How long a reader reads a page before opening the next, at least and at most (seconds; one figure: always).
READ_S = [float(s) for s in os.environ.get("LOADTEST_READ_S", "3,8").split(",", 1)] * 2
READ_S = (min(READ_S[:2]), max(READ_S[:2]))
RECORD = os.environ.get("LOADTEST_RECORD", "loadtest-record.json")
# When set, the run ends this many seconds after the steady state begins (the ceiling's steps),
# however long the arrivals took; otherwise locust's --run-time ends it.
STEADY_S = float(os.environ.get("LOADTEST_STEADY_S", "0"))
# The presence heartbeat and the citation check's pause, as editor.js has them.
HEARTBEAT_S = 30
PAUSE_S = 0.6

_unused = list(WORLD["delegates"])
_lock = threading.Lock()
# (proposal id, version) -> (when its save was sent, when it got its 200, who saved it)
SAVED_AT: dict[tuple[int, int], tuple[float, float, str]] = {}
PROPAGATION_SENT: list[float] = []
PROPAGATION_OK: list[float] = []
COPIES: dict[str, list[int]] = defaultdict(list)  # how each page got a new version: kind -> bytes
FETCHED_WHY: dict[str, int] = defaultdict(int)  # why a page fetched its copy instead of taking the event's
EVENTS_SEEN: dict[str, int] = defaultdict(int)  # events that reached the pages, by kind
OUTCOMES: list[dict] = []  # every clause save: proposal, key, text, status
TIMES: dict[str, list[float]] = defaultdict(list)  # request name -> response times (ms), steady state
RAMP: dict[str, list[float]] = defaultdict(list)
ERRORS: dict[str, int] = defaultdict(int)
WHY: dict[str, list[str]] = defaultdict(list)  # request name -> the first errors, as locust saw them
STATE = {
    "steady": False,
    "steady_since": None,
    "stopped_at": None,
    "users": 0,
    "spawned": None,
    "starting": 0,
}
_serial = itertools.count(1)

# The kinds of the table, in its order; the rest follow.
HEADLINE = [
    "editor page",
    "clause save",
    "consolidation view",
    "clause edit form",
    "edition page",
    "library search",
    "static",
]
STATIC = ("static", "static (revalidated)")
# Not request and answer: a stream is held for minutes; its figure is the time to its first byte.
NOT_HTTP = ("live stream",)

PASS = re.compile(r'data-live-pass="([^"]+)"')
AFTER = re.compile(r'data-live-after="(\d+)"')
STREAM = re.compile(r'data-live-stream="([^"]+)"')
LIVE_QUERY = re.compile(r'data-live-query="([^"]+)"')
PRESENCE_PASS = re.compile(r'data-presence-pass="([^"]+)"')
BELL = re.compile(r'hx-get="(/notifications/bell/[^"]*)"')
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')
BAR = re.compile(r'id="cons-bar" data-version="(\d+)"(?: data-since="(\d+)")?')
VERSION = re.compile(r'id="draft" data-version="(\d+)"')
VERSION_BYTES = re.compile(rb'id="draft(?:-delta)?" data-version="(\d+)"')
FORM_VERSION = re.compile(r'name="version" value="(\d+)"')
TEXTAREA = re.compile(r"<textarea[^>]*name=\"text\"[^>]*>(.*?)</textarea>", re.S)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
REFRESH = re.compile(r'data-refresh-url="([^"]+)"')
MAX_AGE = re.compile(r"max-age=(\d+)")
# What a drafter types: words, and citations the check resolves (or flags).
PHRASES = [
    "recalling Resolution 140 (Rev. Dubai, 2018) of the Plenipotentiary Conference",
    " and Resolution 71 (Rev. Busan, 2014),",
    " taking into account Resolution 1332 of the Council",
    " and UNGA Resolution A/70/125,",
    " to continue the work in close collaboration with the membership",
]


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **kw):
    _maybe_steady()
    book = TIMES if STATE["steady"] else RAMP
    book[name].append(response_time)
    if exception is not None:
        ERRORS[name] += 1
        if len(WHY[name]) < 3:
            phase = "steady" if STATE["steady"] else "ramp-up"
            WHY[name].append(f"{phase}, after {response_time:.0f} ms: {exception!r}"[:300])


@events.init.add_listener
def _init(environment, **kw):
    STATE["environment"] = environment


# The smoke run (scripts/loadtest/run --smoke) ends once every kind of request named here has been
# answered in the steady state, the run time being only its limit: on a loaded machine it takes
# longer instead of ending before some kind had its turn.
UNTIL = [name for name in os.environ.get("LOADTEST_UNTIL", "").split(",") if name]


@events.test_start.add_listener
def _stop_when_each_kind_was_seen(environment, **kw):
    if not UNTIL:
        return

    def seen(kind: str) -> bool:  # "consolidation view" is answered as "consolidation view (secretariat)"
        return any(name.startswith(kind) and times for name, times in list(TIMES.items()))

    def watch():
        while not (STATE["steady"] and all(seen(kind) for kind in UNTIL)):
            gevent.sleep(0.25)
        environment.runner.quit()

    gevent.spawn(watch)


@events.spawning_complete.add_listener
def _spawned(user_count, **kw):
    STATE["spawned"] = time.time()
    STATE["users"] = user_count
    _maybe_steady()


def _maybe_steady() -> None:
    """The conference day is measured once every user is there: spawned, logged in and with its
    page open (the morning's logins are measured apart, in the ramp-up)."""
    if not STATE["steady"] and STATE["spawned"] is not None and STATE["starting"] == 0:
        STATE["steady"] = True
        STATE["steady_since"] = time.time()
        STATE["cpu"] = cpu.snapshot()
        runner = getattr(STATE.get("environment"), "runner", None)
        if STEADY_S and runner is not None:
            gevent.spawn_later(STEADY_S, runner.quit)


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _row(name: str, values: list[float], duration: float, errors: int) -> str:
    return (
        f"{name:34} {len(values):7d} {errors:6d} {_pct(values, 50):7.0f} "
        f"{_pct(values, 95):7.0f} {_pct(values, 99):7.0f} {len(values) / max(duration, 1):7.1f}"
    )


@events.test_stop.add_listener
def _report(environment, **kw):
    STATE["stopped_at"] = time.time()
    duration = STATE["stopped_at"] - (STATE["steady_since"] or STATE["stopped_at"])
    ramp = (STATE["steady_since"] or STATE["stopped_at"]) - (STATE["spawned"] or STATE["stopped_at"])
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    lines = [
        f"steady state: {duration:.0f} s, {STATE['users']} users (from {ramp:.0f} s after the last was "
        f"spawned: every user logged in and with its page open); load average at the end {load}"
    ]
    header = f"{'request':34} {'count':>7} {'errors':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7}"
    lines.append(header)
    http = {k: v for k, v in TIMES.items() if k not in NOT_HTTP}
    for name in HEADLINE:
        values = TIMES.get(name, []) + (TIMES.get("static (revalidated)", []) if name == "static" else [])
        errors = ERRORS.get(name, 0) + (ERRORS.get("static (revalidated)", 0) if name == "static" else 0)
        lines.append(_row(name, values, duration, errors))
    everything = [t for values in http.values() for t in values]
    lines.append(_row("all HTTP", everything, duration, sum(ERRORS.get(k, 0) for k in http)))
    if PROPAGATION_SENT:
        lines.append(
            _row("propagation, save sent -> pages", [v * 1000 for v in PROPAGATION_SENT], duration, 0)
        )
        lines.append(
            _row("propagation, save's 200 -> pages", [v * 1000 for v in PROPAGATION_OK], duration, 0)
        )
    lines.append("other requests:")
    for name in sorted(set(TIMES) - set(HEADLINE) - {"static (revalidated)"}):
        lines.append(_row(name, TIMES[name], duration, ERRORS.get(name, 0)))
    static = sum(len(TIMES.get(k, [])) for k in STATIC)
    lines.append(
        f"static requests: {static} of {len(everything)} HTTP requests ({static / max(len(everything), 1):.1%}), "
        f"{len(TIMES.get('static (revalidated)', []))} of them revalidations"
    )
    used = {}
    if STATE.get("cpu"):
        now = cpu.snapshot()
        lines.append(cpu.report(STATE["cpu"], now, duration))
        used = {k: round(now[k] - STATE["cpu"].get(k, 0.0), 1) for k in now}
    logins = RAMP.get("login", []) + TIMES.get("login", [])
    if logins:
        lines.append(
            f"logins (the morning's arrivals): {len(logins)}, p50 {_pct(logins, 50):.0f} ms, "
            f"p95 {_pct(logins, 95):.0f} ms, p99 {_pct(logins, 99):.0f} ms"
        )
    if EVENTS_SEEN:
        lines.append(
            "events that reached the pages: "
            + ", ".join(f"{n} {kind}" for kind, n in sorted(EVENTS_SEEN.items()))
        )
    if COPIES:
        lines.append(
            "live copies: "
            + ", ".join(
                f"{len(sizes)} {kind} (mean {sum(sizes) / len(sizes) / 1024:.1f} KB)"
                for kind, sizes in sorted(COPIES.items())
            )
        )
    if FETCHED_WHY:
        lines.append(
            "pages fetched their copy: " + ", ".join(f"{n} times {why}" for why, n in FETCHED_WHY.items())
        )
    saved = sum(1 for o in OUTCOMES if o["status"] == 200)
    raced = sum(1 for o in OUTCOMES if o["status"] == 409)
    lines.append(
        f"clause saves: {saved} saved (200), {raced} lost a race (409), {len(OUTCOMES) - saved - raced} other"
    )
    for name, why in sorted(WHY.items()):
        lines.extend(f"error on {name}: {w}" for w in why)
    print("\n".join(lines))
    with open(RECORD, "w") as out:
        json.dump(
            {
                "report": lines,
                "outcomes": OUTCOMES,
                "errors": dict(ERRORS),
                "duration_s": duration,
                "times": {
                    k: {"count": len(v), "p50": _pct(v, 50), "p95": _pct(v, 95), "p99": _pct(v, 99)}
                    for k, v in list(TIMES.items()) + [("all HTTP", everything)]
                },
                "propagation_ms": {
                    "count": len(PROPAGATION_SENT),
                    "p50": _pct(PROPAGATION_SENT, 50) * 1000,
                    "p95": _pct(PROPAGATION_SENT, 95) * 1000,
                    "p99": _pct(PROPAGATION_SENT, 99) * 1000,
                },
                "static_share": static / max(len(everything), 1),
                "cpu_s": used,
                "events_seen": dict(EVENTS_SEEN),
            },
            out,
        )


def _fire(name: str, started: float, error: Exception | None = None) -> None:
    events.request.fire(
        request_type="GET", name=name, response_time=(time.perf_counter() - started) * 1000,
        response_length=0, exception=error, context={},
    )  # fmt: skip


class Browser(FastHttpUser):
    """A browser: its cookies, its cache of static files, the CSRF token of the page it shows."""

    abstract = True
    csrf = ""
    # Whether locust spawned it (a racing pair's twin is made by its partner).
    counted = True

    def __init_subclass__(cls, **kw):
        # Each user's arrival (login, first page) is counted from its spawning until its on_start is
        # done: the steady state starts when none is left.
        super().__init_subclass__(**kw)
        arrive = cls.__dict__.get("on_start") or getattr(cls, "_arrive", None) or (lambda self: None)

        @functools.wraps(arrive)
        def on_start(self):
            try:
                arrive(self)
            finally:
                if self.counted:
                    with _lock:
                        STATE["starting"] -= 1
                _maybe_steady()

        cls._arrive = arrive
        cls.on_start = on_start

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        if self.counted:
            with _lock:
                STATE["starting"] += 1
        self.cached: dict[str, float] = {}  # static file -> until when the browser uses it unasked
        self.validators: dict[str, dict[str, str]] = {}

    def login(self, username: str, password: str) -> None:
        for attempt in range(5):
            page = self.page("/accounts/login/", "login page")
            found = CSRF_INPUT.search(page)
            if found:
                break
            gevent.sleep(2**attempt)  # the error is counted; a delegate tries again
        else:
            raise RuntimeError(f"{username} could not open the login page")
        with self.client.post(
            "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": found.group(1)},
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {username} failed: {response.status_code}")

    def page(self, url: str, name: str) -> str:
        """A page opened: its HTML, then what the browser does not have of its static files."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {url}")
                return ""
            text = response.text or ""
        found = CSRF_HEADER.search(text)
        if found:
            self.csrf = found.group(1)
        self.static_files(text)
        return text

    def static_files(self, html: str) -> None:
        """As the browser's cache says: a file it holds and may still use is not asked for; one past
        its max-age is revalidated (304 when unchanged); the rest is fetched."""
        for url in dict.fromkeys(a.replace("&amp;", "&") for a in ASSET.findall(html)):
            now = time.time()
            if now < self.cached.get(url, 0):
                continue
            revalidating = url in self.validators
            headers = {"Accept-Encoding": "gzip", **self.validators.get(url, {})}
            name = "static (revalidated)" if revalidating else "static"
            with self.client.get(url, name=name, headers=headers, catch_response=True) as response:
                if response.status_code not in (200, 304):
                    response.failure(f"{response.status_code}")
                    continue
                control = response.headers.get("Cache-Control", "")
                found = MAX_AGE.search(control)
                self.cached[url] = now + (int(found.group(1)) if found and "no-cache" not in control else 0)
                validators = {}
                if response.headers.get("ETag"):
                    validators["If-None-Match"] = response.headers["ETag"]
                if response.headers.get("Last-Modified"):
                    validators["If-Modified-Since"] = response.headers["Last-Modified"]
                self.validators[url] = validators


class LivePage(Browser):
    """A page open with live updates on: the page's channel followed in the background (the stream
    when the page names one, else the poll), and the bell's, polled as the bell does."""

    abstract = True
    live_pass = ""
    after = 0
    stream_query: dict = {}
    stream_url = ""
    stream = None  # the open stream's response and its lines
    listener = None
    bell = None

    def open_page(self, url: str, name: str) -> str:
        """Opens (or opens again) the page: the HTML, static files, the bell; the channel followed anew."""
        self.stop_listening()
        html = self.page(url, name)
        found = PASS.search(html)
        self.live_pass = found.group(1) if found else ""
        self.after = int(AFTER.search(html).group(1)) if found else 0
        stream = STREAM.search(html)
        self.stream_url = stream.group(1).replace("&amp;", "&") if stream and found else ""
        if self.stream_url.startswith("/"):  # through the proxy, on the page's own origin
            self.stream_url = self.host + self.stream_url
        extra = LIVE_QUERY.search(html)
        self.stream_query = (
            dict(
                pair.split("=", 1) for pair in extra.group(1).replace("&amp;", "&").split("&") if "=" in pair
            )
            if extra
            else {}
        )
        self.opened(html)
        bell = BELL.search(html)
        if bell:
            self.open_bell(bell.group(1).replace("&amp;", "&"))
        if self.live_pass:
            self.listener = gevent.spawn(self.follow)
        return html

    def opened(self, html: str) -> None:
        """What the page's own script reads from it (its version)."""

    def open_bell(self, url: str) -> None:
        with self.client.get(
            url, name="bell", headers={"HX-Request": "true"}, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return
            text = response.text or ""
        found, after = PASS.search(text), AFTER.search(text)
        if found and self.bell is None:
            self.bell = gevent.spawn(self.follow_bell, found.group(1), int(after.group(1)) if after else 0)

    def follow_bell(self, value: str, after: int) -> None:
        gevent.sleep(random.uniform(0, BELL_POLL_S))
        while True:
            response = self.client.get(
                f"/live/events?after={after}", name="live poll (bell)", headers={"X-Live-Pass": value}
            )
            if response.status_code == 200:
                after = max(after, json.loads(response.content)["last"])
            gevent.sleep(BELL_POLL_S)

    def stop_listening(self) -> None:
        if self.listener is not None:
            self.listener.kill(block=False)
            self.listener = None
        self.close_stream()

    def on_stop(self):
        self.stop_listening()
        if self.bell is not None:
            self.bell.kill(block=False)

    def follow(self) -> None:
        while True:
            for event in self.read_stream() if self.stream_url else self.poll():
                with _lock:
                    EVENTS_SEEN[event["kind"]] += 1
                try:
                    self.on_event(event)
                except Exception as problem:  # noqa: BLE001 (counted, and the page goes on)
                    _fire("live event handling", time.perf_counter(), problem)
            if not self.stream_url:
                gevent.sleep(POLL_S)

    def on_event(self, event: dict) -> None:
        pass

    def open_stream(self) -> bool:
        # As the page does: its pass exchanged for a ticket (a pass never goes into a URL), then the stream.
        ticket = self.client.post("/live/ticket", name="live ticket", headers={"X-Live-Pass": self.live_pass})
        if ticket.status_code != 200:
            gevent.sleep(random.uniform(1, 5))
            return False
        started = time.perf_counter()
        error = None
        try:
            response = requests.get(
                self.stream_url,
                params={"t": json.loads(ticket.content)["ticket"], "after": self.after, **self.stream_query},
                stream=True,
                timeout=(10, 60),
            )
            if response.status_code != 200:
                error = RuntimeError(f"{response.status_code}")
                response.close()
        except requests.RequestException as e:
            error = e
        _fire("live stream", started, error)
        if error is not None:
            gevent.sleep(random.uniform(1, 5))  # EventSource waits its retry delay too
            return False
        self.stream = (response, response.iter_lines(chunk_size=512, decode_unicode=True))
        return True

    def close_stream(self) -> None:
        if self.stream is not None:
            self.stream[0].close()
            self.stream = None

    def read_stream(self) -> list[dict]:
        if self.stream is None and not self.open_stream():
            return []
        found = []
        try:
            for line in self.stream[1]:
                if line.startswith("data: ") and line != "data: {}":
                    event = json.loads(line[6:])
                    self.after = max(self.after, event["id"])
                    found.append(event)
                elif line.startswith("event: expired"):
                    self.close_stream()
                    return found
                elif line == "" and found:
                    return found
                elif line.startswith(":"):
                    return found  # a heartbeat: nothing new
        except (requests.RequestException, OSError, ValueError):
            pass
        # The server ended the stream (it dropped a slow reader, or restarts): reconnect.
        self.close_stream()
        return found

    def poll(self) -> list[dict]:
        with self.client.get(
            f"/live/events?after={self.after}",
            name="live poll",
            catch_response=True,
            headers={"X-Live-Pass": self.live_pass},
        ) as response:
            if response.status_code == 204:
                return []
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return []
            body = json.loads(response.content)
            self.after = max(self.after, body["last"])
            return body["events"]


class EditorPage(LivePage):
    """A proposal's editor open in the browser: it takes the clauses a new version changed from the
    event when they are from the version it has, else fetches them, as editor.js does."""

    abstract = True
    proposal: dict = {}
    version = 0

    def opened(self, html: str) -> None:
        found = VERSION.search(html)
        self.version = int(found.group(1)) if found else 0

    def on_event(self, event: dict) -> None:
        if event["kind"] != "changed" or event["data"].get("version", 0) <= self.version:
            return
        pushed = PUSHED.search((event.get("copy") or "")[:400])
        if pushed and int(pushed.group(2)) == self.version:
            self.arrived(int(pushed.group(1)), "draft clauses pushed with the event", len(event["copy"]))
            return
        with _lock:
            FETCHED_WHY["the event had no copy" if not pushed else "the copy was from another version"] += 1
        response = self.client.get(
            f"/live/proposals/{self.proposal['id']}/draft?v={event['data']['version']}&from={self.version}",
            name="live draft",
            headers={"HX-Request": "true", "X-Live-Pass": self.live_pass},
        )
        found = VERSION_BYTES.search((response.content or b"")[:400])
        if response.status_code == 200 and found:
            kind = (
                "draft clauses fetched"
                if b'id="draft-delta"' in response.content[:400]
                else "whole draft fetched"
            )
            self.arrived(int(found.group(1)), kind, len(response.content))

    def arrived(self, fresh: int, kind: str, size: int) -> None:
        """The page has the draft at version ``fresh``: how long each save in it took to get here."""
        pk = self.proposal["id"]
        now = time.time()
        with _lock:
            COPIES[kind].append(size)
            for v in range(self.version + 1, fresh + 1):
                saved = SAVED_AT.get((pk, v))
                # The pages of others: the saver's own page has its save from the answer.
                if saved is not None and STATE["steady"] and getattr(self, "me", None) != saved[2]:
                    PROPAGATION_SENT.append(now - saved[0])
                    PROPAGATION_OK.append(now - saved[1])
        self.version = max(self.version, fresh)


def _delegate(group: str | None = None) -> dict:
    """An account no simulated browser has used yet (of that regional group, when one is named)."""
    with _lock:
        for n, delegate in enumerate(_unused):
            if group is None or delegate["group"] == group:
                return _unused.pop(n)
    raise RuntimeError("more simulated delegates than accounts: raise LOADTEST_DELEGATES")


class Follower(EditorPage):
    """A delegate with a proposal open, mostly idle: its group's draft, or a submitted proposal."""

    abstract = True
    wait_time = constant(0)

    def choose(self, me: dict) -> dict:
        raise NotImplementedError

    def on_start(self):
        me = _delegate()
        self.login(me["username"], WORLD["password"])
        self.proposal = self.choose(me)
        self.open_page(f"/proposals/{self.proposal['id']}/", "editor page")

    @task
    def stay(self):
        gevent.sleep(random.uniform(0.5, 1.5) * NAVIGATE_S)
        self.open_page(f"/proposals/{self.proposal['id']}/", "editor page")


class DraftFollower(Follower):
    weight = 1

    def choose(self, me):
        return random.choice(WORLD["drafts"][me["group"]])


class SubmittedFollower(Follower):
    weight = 4

    def choose(self, me):
        return {"id": random.choice(WORLD["submitted"]), "keys": []}


class ConsolidationReader(LivePage):
    """A delegate following the consolidation of Res. 75: what each settlement did to the rows comes
    with the stream's event when the page has the version it is from; otherwise the rows come again
    from the copy rendered once for all readers."""

    weight = 4
    wait_time = constant(0)
    version = 0
    refresh_url = ""

    def on_start(self):
        me = _delegate()
        self.login(me["username"], WORLD["password"])
        self.open_page(f"/consolidations/{WORLD['consolidation']['id']}/", "consolidation view")

    def opened(self, html: str) -> None:
        found = REFRESH.search(html)
        self.refresh_url = found.group(1).replace("&amp;", "&") if found else ""
        self.version = _bar_version(html)

    @task
    def stay(self):
        gevent.sleep(random.uniform(0.5, 1.5) * NAVIGATE_S)
        self.open_page(f"/consolidations/{WORLD['consolidation']['id']}/", "consolidation view")

    def on_event(self, event: dict) -> None:
        if event["kind"] != "changed":
            return
        version = event["data"].get("version", 0)
        if version and version <= self.version:
            return
        delta = CONSOLIDATION_DELTA.search((event.get("copy") or "")[:400])
        if delta and int(delta.group(1)) == self.version:
            self.version = int(delta.group(2))
            with _lock:
                COPIES["consolidation rows pushed with the event"].append(len(event["copy"]))
            return
        if self.refresh_url:
            with _lock:
                FETCHED_WHY["a consolidation event without the rows for the page's version"] += 1
            sep = "&" if "?" in self.refresh_url else "?"
            response = self.client.get(
                f"{self.refresh_url}{sep}at={event['id']}",
                name="live consolidation",
                headers={"X-Live-Pass": self.live_pass},
            )
            self.version = _bar_version(response.text or "") or self.version


def _bar_version(html: str) -> int:
    found = BAR.search(html)
    return int(found.group(1)) if found else 0


class Drafter(EditorPage):
    """A delegate editing clauses of the group's draft as editor.js does, its page following the others'."""

    fixed_count = int(os.environ.get("LOADTEST_DRAFTERS", "50"))
    wait_time = between(EDIT_EVERY_S * 0.5, EDIT_EVERY_S * 1.5)
    presence_pass = ""

    def on_start(self):
        me = _delegate()
        self.me = me["username"]
        self.login(me["username"], WORLD["password"])
        self.proposal = random.choice(WORLD["drafts"][me["group"]])
        self.open_page(f"/proposals/{self.proposal['id']}/", "editor page")

    def opened(self, html: str) -> None:
        super().opened(html)
        found = PRESENCE_PASS.search(html)
        self.presence_pass = found.group(1) if found else ""

    @task
    def edit(self):
        keys = self.proposal["keys"]
        # A third of the edits go to the proposal's first clause, which its other drafters edit too.
        key = keys[0] if random.random() < 0.33 else random.choice(keys[1:])
        edit_clause(self, key, typing=random.uniform(TYPING_S / 4, TYPING_S))


def tell_presence(user: Drafter, key: str, state: str) -> None:
    if not user.presence_pass:
        return
    with user.client.post(
        "/live/presence", data={"p": user.presence_pass, "key": key, "state": state}, name="presence",
        catch_response=True,
    ) as response:  # fmt: skip
        if response.status_code != 204:
            response.failure(f"{response.status_code}")


def check_citations(user: Drafter, text: str) -> None:
    with user.client.post(
        "/live/citations",
        data={"c": user.live_pass, "text": text},
        name="citation check",
        catch_response=True,
    ) as response:
        if response.status_code != 200:
            response.failure(f"{response.status_code}")


def edit_clause(user: Drafter, key: str, typing: float) -> None:
    """Opening a clause's box, typing with pauses, saving: the requests editor.js makes, in its order."""
    pk = user.proposal["id"]
    if not user.csrf:  # the editor page did not load: open it again first
        user.open_page(f"/proposals/{pk}/", "editor page")
        if not user.csrf:
            return
    base = f"/proposals/{pk}/clauses/{key}/edit/"
    headers = {"HX-Request": "true", "X-CSRFToken": user.csrf}
    with user.client.get(base, name="clause edit form", headers=headers, catch_response=True) as form:
        found = FORM_VERSION.search(form.text or "")
        if form.status_code != 200 or not found:
            form.failure(f"{form.status_code}")
            return
        opened = TEXTAREA.search(form.text or "")
    version = int(found.group(1))
    # The box is on the page: presence, and the citations of the text as it is.
    tell_presence(user, key, "editing")
    check_citations(user, opened.group(1) if opened else "")
    # Typing, with a pause every few seconds (each pause a check of the text so far), the box's
    # heartbeat every 30 s it stays open.
    text = f"text of save {next(_serial)} in the load test: "
    phrases = iter(itertools.cycle(PHRASES))
    typed = 0.0
    beat = HEARTBEAT_S
    while typed < typing:
        burst = min(random.uniform(1.5, 4.0), typing - typed)
        gevent.sleep(burst)
        typed += burst
        text += next(phrases)
        gevent.sleep(PAUSE_S)
        check_citations(user, text)
        if typed >= beat:
            tell_presence(user, key, "editing")
            beat += HEARTBEAT_S
    text += ";"
    # Written down before it is sent: a save the end of the run cuts off after sending it (its answer
    # never read) may be in the database or not, and the check allows for it (status None).
    outcome = {"proposal": pk, "key": key, "text": text, "status": None}
    with _lock:
        OUTCOMES.append(outcome)
    sent = time.time()
    with user.client.post(
        base,
        data={"text": text, "version": version, "csrfmiddlewaretoken": user.csrf},
        headers={**headers, "Referer": user.host + f"/proposals/{pk}/"},
        name="clause save",
        catch_response=True,
    ) as response:
        status = response.status_code
        if status == 409:
            response.success()  # losing a race is the right answer, not an error
        elif status != 200:
            response.failure(f"{status}")
        with _lock:
            outcome["status"] = status
            if status == 200:
                trigger = json.loads(response.headers.get("HX-Trigger", "{}") or "{}")
                saved = trigger.get("draft-saved", {}).get("version")
                if saved:
                    SAVED_AT[(pk, int(saved))] = (sent, time.time(), user.me)
    # The box closes (saved, or the conflict's box stays open and is cancelled): presence says so.
    tell_presence(user, key, "left")


class RacingPair(Browser):
    """Two delegates of one group open the same clause and save at the same moment: one gets 200, one 409."""

    fixed_count = 1
    wait_time = between(8, 12)

    def on_start(self):
        me = _delegate()
        self.team = me["group"]
        self.login(me["username"], WORLD["password"])
        self.proposal = WORLD["drafts"][self.team][0]
        self.page(f"/proposals/{self.proposal['id']}/", "editor page")
        RaceTwin.host = self.host
        self.twin = RaceTwin(self.environment)
        twin = _delegate(self.team)
        self.twin.login(twin["username"], WORLD["password"])
        self.twin.page(f"/proposals/{self.proposal['id']}/", "editor page")

    @task
    def race(self):
        key = self.proposal["keys"][1]
        pk = self.proposal["id"]
        both = [gevent.spawn(save_at_once, who, pk, key) for who in (self, self.twin)]
        gevent.joinall(both)


def save_at_once(user: Browser, pk: int, key: str) -> None:
    base = f"/proposals/{pk}/clauses/{key}/edit/"
    headers = {"HX-Request": "true", "X-CSRFToken": user.csrf}
    form = user.client.get(base, name="clause edit form", headers=headers)
    found = FORM_VERSION.search(form.text or "")
    if not found:
        return
    gevent.sleep(0.5)
    text = f"text of race {next(_serial)} in the load test;"
    outcome = {"proposal": pk, "key": key, "text": text, "status": None}
    with _lock:
        OUTCOMES.append(outcome)
    with user.client.post(
        base,
        data={"text": text, "version": found.group(1), "csrfmiddlewaretoken": user.csrf},
        headers={**headers, "Referer": user.host + f"/proposals/{pk}/"},
        name="clause save (race)",
        catch_response=True,
    ) as response:
        if response.status_code == 409:
            response.success()  # one of the two loses the race: the right answer
        elif response.status_code != 200:
            response.failure(f"{response.status_code}")
    outcome["status"] = response.status_code


class RaceTwin(Browser):
    abstract = True
    counted = False


class Reader(Browser):
    """Someone reading editions and comparisons and searching the library, not logged in."""

    fixed_count = int(os.environ.get("LOADTEST_READERS", "40"))
    wait_time = between(*READ_S)

    @task(3)
    def edition(self):
        self.page(random.choice(WORLD["editions"]), "edition page")

    @task(1)
    def compare(self):
        self.page(random.choice(WORLD["compares"]), "compare page")

    @task(1)
    def search(self):
        self.page(f"/?q={random.choice(WORLD['searches'])}", "library search")


_officers = itertools.count()


class Secretariat(LivePage):
    """Two officers of the secretariat settling the consolidation of Res. 75, clause after clause
    (each its own half of the rows), as the page does: the row's settle form is fetched when it is
    opened, sent with htmx and answered with the settled row; their synoptic view follows the other
    officer's settlements (consolidation.js reloads it: the rows are the officer's own)."""

    fixed_count = 2
    wait_time = between(3, 6)
    known = 0

    def on_start(self):
        self.login(WORLD["secretariat"]["username"], WORLD["secretariat"]["password"])
        self.url = f"/consolidations/{WORLD['consolidation']['id']}/"
        self.open_page(self.url, "consolidation view (secretariat)")
        officer = next(_officers) % self.fixed_count
        self.keys = itertools.cycle(WORLD["consolidation"]["keys"][officer :: self.fixed_count])

    def opened(self, html: str) -> None:
        self.known = _bar_version(html)

    def on_event(self, event: dict) -> None:
        version = event["data"].get("version", 0) if event["kind"] == "changed" else 0
        if version > self.known:
            html = self.page(self.url, "consolidation view (secretariat)")
            self.known = max(self.known, _bar_version(html))

    @task
    def settle(self):
        key = next(self.keys)
        settle_url = f"/consolidations/{WORLD['consolidation']['id']}/settle/"
        with self.client.get(
            f"{settle_url}?key={key}", headers={"HX-Request": "true"}, name="settle form", catch_response=True
        ) as form:
            if form.status_code != 200:
                form.failure(f"{form.status_code}")
                return
            version = re.search(r'name="version" value="(\d+)"', form.text)
            base = re.search(r'name="base" value="(\d+)"', form.text)
        with self.client.post(
            settle_url,
            data={
                "key": key,
                "choice": random.choice(["base", "open"]),
                "version": version.group(1) if version else "0",
                "base": base.group(1) if base else "",
                "note": "settled in the load test",
                "csrfmiddlewaretoken": self.csrf,
            },
            headers={"Referer": self.host + self.url, "HX-Request": "true", "X-CSRFToken": self.csrf},
            name="settle",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return
            bar = BAR.search(response.text or "")
        # The answer's bar says which version the page moved on from: its own settle is not fetched again.
        if bar and bar.group(2) is not None and int(bar.group(2)) == self.known:
            self.known = int(bar.group(1))


class Exporter(Browser):
    """A script asking for the compilation table with an API token, then fetching it when built."""

    fixed_count = 1
    wait_time = between(20, 40)

    @task
    def export(self):
        auth = {"Authorization": f"Bearer {WORLD['secretariat']['token']}"}
        queued = self.client.post(
            "/api/exports",
            json={"kind": "compilation", "target": WORLD["consolidation"]["id"], "tracked": True},
            headers=auth,
            name="export request",
        )
        if queued.status_code != 202:
            return
        export = json.loads(queued.content)
        for _ in range(60):
            gevent.sleep(1)
            status = json.loads(
                self.client.get(export["status_url"], headers=auth, name="export status").content
            )
            if status.get("status") == "done":
                self.client.get(export["file_url"], headers=auth, name="export file")
                return
            if status.get("status") == "failed":
                _fire("export build", time.perf_counter(), RuntimeError(status.get("error")))
                return
