#!/usr/bin/env python3
"""How long the room's screen takes to follow the officer: the follow delay, measured in Debian's Chromium.

    .venv/bin/python scripts/benchmark_projector.py                  # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark_projector.py

The demo's consolidation of WTSA Res. 75, served by a threaded live server, with the live stream under
uvicorn as in production (drafting.live.stream: on PostgreSQL it hears each event through
LISTEN/NOTIFY; on SQLite it reads the table every 0.5 s, so SQLite's figures carry up to that much
more). One browser: the officer's synoptic view drives, a 1920x1080 projector and a 390x844 phone
follow. Measured on one clock (the browser's, all pages in one process):

- point: the officer's page sends the clause it is on, to that clause highlighted on each screen;
- typing: the words typed sent, to the words shown on each screen;
- settle: "Save the decision" clicked, to the settled text on each screen.

Prints p50 and p95 of each, per screen. The machines are shared: compare within one run, and say how
busy the machine was (the load average is printed).
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_django  # noqa: E402, F401  (sets Django up, before anything uses it)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
POINTS = int(os.environ.get("PROJECTOR_POINTS", "60"))
SETTLES = int(os.environ.get("PROJECTOR_SETTLES", "8"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_app():
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server, f"http://127.0.0.1:{server.port}"


def serve_stream(origin: str):
    import uvicorn

    from drafting.live.stream import LiveStream
    from drafting.settings import csp_connect_src

    port = free_port()
    app = LiveStream()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}/live/stream"
    settings.LIVE_STREAM_URL = url
    settings.LIVE_STREAM_ORIGINS = [origin]
    settings.SECURE_CSP = {**settings.SECURE_CSP, "connect-src": csp_connect_src(url)}

    def stop():
        if app.hub.loop is not None:
            asyncio.run_coroutine_threadsafe(app.close(), app.hub.loop).result(10)
        server.should_exit = True
        thread.join(10)

    return stop


# Starts watching, on a follower's page, for the condition; window.__followed is the time (Date.now())
# at which it first held.
WATCH = """([test, arg]) => {
    window.__followed = null;
    const check = new Function("arg", test);
    const seen = new MutationObserver(() => {
        if (window.__followed === null && check(arg)) { window.__followed = Date.now(); seen.disconnect(); }
    });
    seen.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
}"""
POINTED = "const c = document.getElementById('c-' + arg); return !!c && c.classList.contains('pointed');"
TYPED = "const c = document.querySelector('.being-typed'); return !!c && c.dataset.typed === arg;"
# The settled draft came in: the clause is a new node (the screen swaps the draft in whole).
SETTLED = "const c = document.getElementById('c-' + arg); return !!c && c !== window.__before;"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    from django.contrib.auth.models import User
    from playwright.sync_api import sync_playwright

    from drafting.demo.load import load_demo
    from drafting.models import Consolidation

    call_command("migrate", verbosity=0)
    load_demo()
    for name in ("secretariat", "atu-delegate", "observer"):
        user = User.objects.get(username=name)
        user.set_password("bench-pass")
        user.save()
    consolidation = Consolidation.objects.get(resolution__number="75")
    server, base = serve_app()
    stop_stream = serve_stream(base)
    print(
        f"database: {connection.vendor}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start;"
        f" {time.strftime('%Y-%m-%d %H:%M')}; {POINTS} points, {SETTLES} settlements",
        flush=True,
    )
    delays: dict[str, list[float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])

        def logged_in(username, width, height):
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", "bench-pass")
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            return page

        officer = logged_in("secretariat", 1366, 800)
        screens = {
            "projector 1920x1080": logged_in("observer", 1920, 1080),
            "phone 390x844": logged_in("atu-delegate", 390, 844),
        }
        officer.goto(f"{base}/consolidations/{consolidation.pk}/")
        for screen in screens.values():
            screen.goto(f"{base}/consolidations/{consolidation.pk}/projector/")
            screen.wait_for_function("() => document.getElementById('projector').dataset.liveListening")
        officer.get_by_role("button", name="Drive the projector").click()
        # The clauses on the screen (a row the draft leaves out, added then suppressed, is not there).
        keys = screens["projector 1920x1080"].eval_on_selector_all(
            "#projector-draft .clause[data-key]", "rows => rows.map(r => r.dataset.key)"
        )
        point_url = officer.locator("#projector-drive").get_attribute("data-point-url")
        send = """([url, key, text]) => {
            const body = new URLSearchParams({ key: key });
            if (text !== null) body.set("text", text);
            const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
            const t0 = Date.now();
            return fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": token } })
                .then((r) => { if (r.status !== 204) throw new Error("point " + r.status); return t0; });
        }"""

        def measure(name: str, test: str, arg: str, action) -> None:
            for screen in screens.values():
                screen.evaluate("k => { window.__before = document.getElementById('c-' + k); }", arg)
                screen.evaluate(WATCH, [test, arg])
            t0 = action()
            for label, screen in screens.items():
                screen.wait_for_function("() => window.__followed !== null", timeout=20_000)
                delays.setdefault(f"{name}: {label}", []).append(
                    screen.evaluate("() => window.__followed") - t0
                )

        for i in range(POINTS):
            key = keys[(i * 7) % len(keys)]
            if i and key == keys[((i - 1) * 7) % len(keys)]:
                continue
            measure("point", POINTED, key, lambda key=key: officer.evaluate(send, [point_url, key, None]))
            text = f"words typed in the room, take {i}"
            measure(
                "typing",
                TYPED,
                text,
                lambda key=key, text=text: officer.evaluate(send, [point_url, key, text]),
            )

        open_rows = officer.locator(
            ".syn-row.status-one-group:not(.settled), .syn-row.status-agreement:not(.settled)"
        )
        for _ in range(min(SETTLES, open_rows.count())):
            row = open_rows.first
            key = row.get_attribute("data-key")
            row.scroll_into_view_if_needed()
            details = row.locator("details.settle")
            if details.get_attribute("open") is None:
                details.locator("summary").click()
            row.locator("form.settle-form").wait_for()
            row.locator("form.settle-form input[name=choice][value^='group:']").first.check()
            button = row.get_by_role("button", name="Save the decision")

            def settle(button=button):
                t0 = officer.evaluate("() => Date.now()")
                button.click()
                return t0

            measure("settle", SETTLED, key, settle)
            officer.locator(f"#k-{key}.settled").wait_for()
        browser.close()
    stop_stream()
    server.terminate()
    print(
        f"{'follow delay (ms), from the officer to the screen':52} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7}"
    )
    for name, values in delays.items():
        print(
            f"{name:52} {len(values):4} {statistics.median(values):7.0f} {percentile(values, 95):7.0f} {max(values):7.0f}"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
