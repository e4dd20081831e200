"""A conference day for locust: delegates with the editor or the consolidation open and live
updates on, delegates editing (two on the same clause now and then), readers of editions and
comparisons, the secretariat settling, exports requested.

Run through ``scripts/loadtest/run`` (it starts the app as in production first); the world
(users, proposals, clause keys) comes from the JSON file named by LOADTEST_WORLD.
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
from locust import FastHttpUser, between, constant_pacing, events, task

from scripts.loadtest import cpu

WORLD = json.load(open(os.environ["LOADTEST_WORLD"]))
POLL_S = float(os.environ.get("LOADTEST_POLL_S", "1.5"))
EDIT_EVERY_S = float(os.environ.get("LOADTEST_EDIT_EVERY_S", "20"))
RECORD = os.environ.get("LOADTEST_RECORD", "loadtest-record.json")

_usernames = itertools.cycle([d for d in WORLD["delegates"]])
_lock = threading.Lock()
# (proposal id, version) -> when the save that made it got its 200.
SAVED_AT: dict[tuple[int, int], float] = {}
PROPAGATION: list[float] = []
# "changed clauses" or "whole draft" -> the bytes of each live copy of a draft fetched
COPIES: dict[str, list[int]] = defaultdict(list)
OUTCOMES: list[dict] = []  # every clause save: proposal, key, text, status
TIMES: dict[str, list[float]] = defaultdict(list)  # request name -> response times (ms), after ramp-up
ERRORS: dict[str, int] = defaultdict(int)
WHY: dict[str, list[str]] = defaultdict(list)
FETCHED_WHY: dict[str, int] = defaultdict(
    int
)  # why an editor fetched its copy instead of taking the event's  # request name -> the first errors, as locust saw them
RAMP: dict[str, list[float]] = defaultdict(list)
STATE = {
    "steady": False,
    "steady_since": None,
    "stopped_at": None,
    "users": 0,
    "spawned": None,
    "starting": 0,
}
_serial = itertools.count(1)

PASS = re.compile(r'data-live-pass="([^"]+)"')
AFTER = re.compile(r'data-live-after="(\d+)"')
STREAM = re.compile(r'data-live-stream="([^"]+)"')
LIVE_QUERY = re.compile(r'data-live-query="([^"]+)"')
BAR_VERSION = re.compile(r'id="cons-bar" data-version="(\d+)"')
CONSOLIDATION_DELTA = re.compile(r'id="consolidation-delta" data-since="(\d+)" data-version="(\d+)"')
VERSION = re.compile(r'id="draft" data-version="(\d+)"')
# A live copy is the whole draft or the clauses changed since the version the page has (draft-delta).
VERSION_BYTES = re.compile(rb'id="draft(?:-delta)?" data-version="(\d+)"')
# The changed clauses a stream event brings: the version they make, and the one they are from.
PUSHED = re.compile(r'id="draft-delta" data-version="(\d+)" data-since="(\d+)"')
FORM_VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
REFRESH = re.compile(r'data-refresh-url="([^"]+)"')


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


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@events.test_stop.add_listener
def _report(environment, **kw):
    STATE["stopped_at"] = time.time()
    duration = STATE["stopped_at"] - (STATE["steady_since"] or STATE["stopped_at"])
    ramp = (STATE["steady_since"] or STATE["stopped_at"]) - (STATE["spawned"] or STATE["stopped_at"])
    lines = [
        f"steady state: {duration:.0f} s, {STATE['users']} users "
        f"(from {ramp:.0f} s after the last was spawned: every user logged in and with its page open)"
    ]
    lines.append(f"{'request':32} {'count':>7} {'errors':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7}")
    total = 0
    for name in sorted(TIMES):
        values = TIMES[name]
        total += len(values)
        lines.append(
            f"{name:32} {len(values):7d} {ERRORS.get(name, 0):6d} {_pct(values, 50):7.0f} "
            f"{_pct(values, 95):7.0f} {_pct(values, 99):7.0f} {len(values) / max(duration, 1):7.1f}"
        )
    lines.append(f"throughput: {total / max(duration, 1):.1f} requests/s")
    if STATE.get("cpu"):
        lines.append(cpu.report(STATE["cpu"], cpu.snapshot(), duration))
    logins = RAMP.get("login", []) + TIMES.get("login", [])
    if logins:
        lines.append(
            f"logins: {len(logins)}, p50 {_pct(logins, 50):.0f} ms, p95 {_pct(logins, 95):.0f} ms, "
            f"p99 {_pct(logins, 99):.0f} ms (during ramp-up and after)"
        )
    if PROPAGATION:
        lines.append(
            f"propagation (a save's 200 until another delegate's page has the new draft): "
            f"{len(PROPAGATION)} deliveries, p50 {_pct(PROPAGATION, 50) * 1000:.0f} ms, "
            f"p95 {_pct(PROPAGATION, 95) * 1000:.0f} ms, p99 {_pct(PROPAGATION, 99) * 1000:.0f} ms"
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
            "editors fetched their copy: " + ", ".join(f"{n} times {why}" for why, n in FETCHED_WHY.items())
        )
    saved = sum(1 for o in OUTCOMES if o["status"] == 200)
    raced = sum(1 for o in OUTCOMES if o["status"] == 409)
    other = len(OUTCOMES) - saved - raced
    lines.append(f"clause saves: {saved} saved (200), {raced} lost a race (409), {other} other")
    for name, why in sorted(WHY.items()):
        lines.extend(f"error on {name}: {w}" for w in why)
    print("\n".join(lines))
    with open(RECORD, "w") as out:
        json.dump(
            {
                "report": lines,
                "outcomes": OUTCOMES,
                "errors": dict(ERRORS),
                "times": {
                    k: {"count": len(v), "p50": _pct(v, 50), "p95": _pct(v, 95), "p99": _pct(v, 99)}
                    for k, v in TIMES.items()
                },
                "propagation_ms": {
                    "count": len(PROPAGATION),
                    "p50": _pct(PROPAGATION, 50) * 1000,
                    "p95": _pct(PROPAGATION, 95) * 1000,
                    "p99": _pct(PROPAGATION, 99) * 1000,
                },
            },
            out,
        )


class Browser(FastHttpUser):
    abstract = True
    csrf = ""

    def __init_subclass__(cls, **kw):
        # Each kind of user's arrival (login, first page) is counted while it runs: the steady
        # state starts when none is left.
        super().__init_subclass__(**kw)
        arrive = cls.__dict__.get("on_start")
        if arrive is None:
            return

        @functools.wraps(arrive)
        def on_start(self):
            with _lock:
                STATE["starting"] += 1
            try:
                arrive(self)
            finally:
                with _lock:
                    STATE["starting"] -= 1
                _maybe_steady()

        cls.on_start = on_start

    def login(self, username: str, password: str) -> None:
        for attempt in range(5):
            page = self.client.get("/accounts/login/", name="login page")
            found = CSRF_INPUT.search(page.text or "")
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
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return ""
            text = response.text or ""
            found = CSRF_HEADER.search(text)
            if found:
                self.csrf = found.group(1)
            return text


class LivePage(Browser):
    """A page open with live updates on: holds the channel's stream when the page names one
    (data-live-stream), as live.js does, else polls the channel; fetches a new draft when told."""

    abstract = True
    live_pass = ""
    after = 0
    stream_query: dict = {}
    stream_url = ""
    stream = None  # the open stream's response and its lines

    def wait_time(self):
        # A held stream waits inside its read; a poll waits for the next round.
        return 0 if self.stream_url else constant_pacing(POLL_S)(self)

    def listen(self, html: str) -> None:
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

    def on_stop(self):
        self.close_stream()

    def news(self) -> list[dict]:
        """The channel's next events: from the stream (blocking until some come or a heartbeat),
        or from one poll."""
        return self.read_stream() if self.stream_url else self.poll()

    def open_stream(self) -> bool:
        started = time.perf_counter()
        error = None
        try:
            response = requests.get(
                self.stream_url,
                params={"c": self.live_pass, "after": self.after, **self.stream_query},
                stream=True,
                timeout=(10, 60),
            )
            if response.status_code != 200:
                error = RuntimeError(f"{response.status_code}")
                response.close()
        except requests.RequestException as e:
            error = e
        events.request.fire(
            request_type="GET", name="live stream", response_time=(time.perf_counter() - started) * 1000,
            response_length=0, exception=error, context={},
        )  # fmt: skip
        if error is not None:
            gevent.sleep(POLL_S)  # EventSource waits its retry delay too
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
        if not self.live_pass:
            return []
        with self.client.get(
            f"/live/events?c={self.live_pass}&after={self.after}", name="live poll", catch_response=True
        ) as response:
            if response.status_code == 204:
                return []
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return []
            body = json.loads(response.content)
            self.after = max(self.after, body["last"])
            return body["events"]


class DelegateWithEditor(LivePage):
    """A delegate with the group's draft open in the editor, live updates on."""

    weight = 10

    def on_start(self):
        me = next(_usernames)
        self.login(me["username"], WORLD["password"])
        self.proposal = random.choice(WORLD["drafts"][me["group"]])
        html = self.page(f"/proposals/{self.proposal['id']}/", "editor page")
        self.listen(html)
        found = VERSION.search(html)
        self.version = int(found.group(1)) if found else 0

    @task
    def live(self):
        for event in self.news():
            if event["kind"] == "changed" and event["data"].get("version", 0) > self.version:
                # As editor.js does: the changed clauses sent with the event are taken when they
                # are from the version this page has; otherwise the page fetches its copy.
                pushed = PUSHED.search((event.get("copy") or "")[:400])
                if pushed and int(pushed.group(2)) == self.version:
                    self.arrived(int(pushed.group(1)), "pushed with the event", len(event["copy"]))
                else:
                    with _lock:
                        FETCHED_WHY[
                            "the event had no copy" if not pushed else "the copy was from another version"
                        ] += 1
                    self.fetch(event["data"]["version"])

    def fetch(self, version: int) -> None:
        pk = self.proposal["id"]
        response = self.client.get(
            f"/live/proposals/{pk}/draft?v={version}&from={self.version}&c={self.live_pass}",
            name="live draft",
            headers={"HX-Request": "true"},
        )
        # The version is at the top of the draft: no need to decode 100 KB to find it.
        found = VERSION_BYTES.search((response.content or b"")[:400])
        if response.status_code != 200 or not found:
            return
        kind = "changed clauses" if b'id="draft-delta"' in response.content[:400] else "whole draft"
        self.arrived(int(found.group(1)), kind, len(response.content))

    def arrived(self, fresh: int, kind: str, size: int) -> None:
        """The page has the draft at version ``fresh``: how long each save in it took to get here."""
        pk = self.proposal["id"]
        now = time.time()
        with _lock:
            COPIES[kind].append(size)
            for v in range(self.version + 1, fresh + 1):
                saved = SAVED_AT.get((pk, v))
                if saved is not None and STATE["steady"]:
                    PROPAGATION.append(now - saved)
        self.version = fresh


class ConsolidationReader(LivePage):
    """A delegate following the consolidation of Res. 75, live updates on: what each settlement did
    to the rows comes with the stream's event when the page has the version it is from; otherwise
    the rows come again from the copy rendered once for all readers."""

    weight = 1

    def on_start(self):
        me = next(_usernames)
        self.login(me["username"], WORLD["password"])
        html = self.page(f"/consolidations/{WORLD['consolidation']['id']}/", "consolidation view")
        self.listen(html)
        found = REFRESH.search(html)
        self.refresh_url = found.group(1).replace("&amp;", "&") if found else ""
        self.version = _bar_version(html)

    @task
    def live(self):
        events = [e for e in self.news() if e["kind"] == "changed"]
        if not events:
            return
        delta = CONSOLIDATION_DELTA.search((events[-1].get("copy") or "")[:400])
        if delta and int(delta.group(1)) == self.version:
            self.version = int(delta.group(2))
            with _lock:
                COPIES["consolidation rows pushed with the event"].append(len(events[-1]["copy"]))
        elif self.refresh_url:
            sep = "&" if "?" in self.refresh_url else "?"
            response = self.client.get(
                f"{self.refresh_url}{sep}at={events[-1]['id']}&c={self.live_pass}", name="live consolidation"
            )
            self.version = _bar_version(response.text or "") or self.version


def _bar_version(html: str) -> int:
    found = BAR_VERSION.search(html)
    return int(found.group(1)) if found else 0


class Drafter(Browser):
    """A delegate editing clauses of the group's draft as the editor does (htmx), now and then the
    clause another delegate is editing too."""

    fixed_count = int(os.environ.get("LOADTEST_DRAFTERS", "50"))
    wait_time = between(EDIT_EVERY_S * 0.5, EDIT_EVERY_S * 1.5)

    def on_start(self):
        me = next(_usernames)
        self.me = me["username"]
        self.login(me["username"], WORLD["password"])
        self.proposal = random.choice(WORLD["drafts"][me["group"]])
        self.page(f"/proposals/{self.proposal['id']}/", "editor page")

    @task
    def edit(self):
        keys = self.proposal["keys"]
        # A third of the edits go to the proposal's first clause, which its other drafters edit too.
        key = keys[0] if random.random() < 0.33 else random.choice(keys[1:])
        save_clause(self, self.proposal["id"], key, think=random.uniform(1, 3))


def save_clause(user: Browser, pk: int, key: str, think: float) -> None:
    if not user.csrf:  # the editor page did not load: open it again first
        user.page(f"/proposals/{pk}/", "editor page")
        if not user.csrf:
            return
    base = f"/proposals/{pk}/clauses/{key}/edit/"
    headers = {"HX-Request": "true", "X-CSRFToken": user.csrf}
    with user.client.get(base, name="clause edit form", headers=headers, catch_response=True) as form:
        found = FORM_VERSION.search(form.text or "")
        if form.status_code != 200 or not found:
            form.failure(f"{form.status_code}")
            return
    version = int(found.group(1))
    gevent.sleep(think)  # typing
    text = f"text of save {next(_serial)} in the load test;"
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
            OUTCOMES.append({"proposal": pk, "key": key, "text": text, "status": status})
            if status == 200:
                trigger = json.loads(response.headers.get("HX-Trigger", "{}") or "{}")
                saved = trigger.get("draft-saved", {}).get("version")
                if saved:
                    SAVED_AT[(pk, int(saved))] = time.time()


class RacingPair(Browser):
    """Two delegates of one group open the same clause and save at the same moment: one gets 200, one 409."""

    fixed_count = 1
    wait_time = between(8, 12)

    def on_start(self):
        me = next(_usernames)
        self.team = me["group"]
        self.login(me["username"], WORLD["password"])
        self.proposal = WORLD["drafts"][self.team][0]
        self.page(f"/proposals/{self.proposal['id']}/", "editor page")
        RaceTwin.host = self.host
        self.twin = RaceTwin(self.environment)
        twin = next(
            d for d in WORLD["delegates"] if d["group"] == self.team and d["username"] != me["username"]
        )
        self.twin.login(twin["username"], WORLD["password"])
        self.twin.page(f"/proposals/{self.proposal['id']}/", "editor page")

    @task
    def race(self):
        key = self.proposal["keys"][1]
        pk = self.proposal["id"]
        both = [gevent.spawn(save_clause, who, pk, key, 0.5) for who in (self, self.twin)]
        gevent.joinall(both)


class RaceTwin(Browser):
    abstract = True


class Reader(Browser):
    """Someone reading editions and comparisons, not logged in."""

    fixed_count = int(os.environ.get("LOADTEST_READERS", "40"))
    wait_time = between(3, 8)

    @task(3)
    def edition(self):
        self.page(random.choice(WORLD["editions"]), "edition page")

    @task(1)
    def compare(self):
        if WORLD["compares"]:
            self.page(random.choice(WORLD["compares"]), "compare page")


_officers = itertools.count()


class Secretariat(Browser):
    """Two officers of the secretariat settling the consolidation of Res. 75, clause after clause
    (each its own half of the rows), as the page does: the row's settle form is fetched when it is
    opened, sent with htmx and answered with the settled row; the whole page is reloaded after
    every fourth settlement."""

    fixed_count = 2
    wait_time = between(3, 6)

    def on_start(self):
        self.login(WORLD["secretariat"]["username"], WORLD["secretariat"]["password"])
        self.url = f"/consolidations/{WORLD['consolidation']['id']}/"
        self.page(self.url, "consolidation view (secretariat)")
        officer = next(_officers) % self.fixed_count
        self.keys = itertools.cycle(WORLD["consolidation"]["keys"][officer :: self.fixed_count])
        self.settled = 0

    @task
    def settle(self):
        key = next(self.keys)
        settle_url = f"/consolidations/{WORLD['consolidation']['id']}/settle/"
        with self.client.get(
            f"{settle_url}?key={key}",
            headers={"HX-Request": "true"},
            name="settle form",
            catch_response=True,
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
        self.settled += 1
        if self.settled % 4 == 0:
            self.page(self.url, "consolidation view (secretariat)")


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
                events.request.fire(
                    request_type="WORKER",
                    name="export build",
                    response_time=0,
                    response_length=0,
                    exception=RuntimeError(status.get("error")),
                    context={},
                )
                return
