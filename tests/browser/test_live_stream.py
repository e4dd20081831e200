"""Live updates through the server-sent event stream (drafting.live.stream) in Chromium.

The stream server runs under uvicorn on a port of its own, another origin than the app's as
when it is a separate service; the pages get its URL from LIVE_STREAM_URL.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest
import uvicorn
from playwright.sync_api import expect

from drafting.live.stream import LiveStream
from drafting.models.people import DELEGATES
from drafting.settings import csp_connect_src
from tests.browser.conftest import log_in, wait_until
from tests.browser.test_editor import clause_id
from tests.drafting_factories import base_edition, group, mod_proposal, person

# With PostgreSQL, production's database: the stream server's listener reads the database itself
# (PostgreSQL's notifications) outside the test's fixtures. SQLite's way (its table read every half
# second) is tested without a browser, on SQLite, by tests/test_live_stream.py.
pytestmark = [pytest.mark.browser, pytest.mark.production_database, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft():
    edition = base_edition()
    atu = group("ATU")
    person("amina", DELEGATES, atu)
    person("kwame", DELEGATES, atu)
    return edition, mod_proposal(edition, atu)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def stream_server(live_server, settings):
    """uvicorn serving the stream in a thread, and the app's pages pointed at it."""
    port = _free_port()
    app = LiveStream()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60  # a condition, with a deadline for a loaded machine
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the stream server did not start"
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}/live/stream"
    settings.LIVE_STREAM_URL = url
    settings.LIVE_STREAM_ORIGINS = [live_server.url]
    settings.SECURE_CSP = {**settings.SECURE_CSP, "connect-src": csp_connect_src(url)}
    yield url
    # End the streams, the listener and its database connection (before the test database
    # goes) on the server's own loop, then the server.
    if app.hub.loop is not None:
        asyncio.run_coroutine_threadsafe(app.close(), app.hub.loop).result(10)
    server.should_exit = True
    thread.join(10)


class Asked(list):
    """The URLs a page asked for its live channel, and any that carried a pass (``leaks``)."""

    def __init__(self) -> None:
        super().__init__()
        self.leaks: list[str] = []


def _watch(page) -> Asked:
    """The page's requests for its live channel (not the bell's: it polls the person's own channel slowly)."""
    asked = Asked()

    def seen(request) -> None:
        live_pass = request.headers.get("x-live-pass", "")
        # No pass in a URL, ever (access logs keep URLs): in a header, or a ticket for the stream.
        if "c=" in request.url or "%7C" in request.url.partition("?")[2].partition("t=")[0]:
            asked.leaks.append(request.url)
        if any(part in request.url for part in ("/live/stream", "/live/events", "/live/ticket")):
            if not live_pass.startswith("user:"):
                asked.append(request.url)

    page.on("request", seen)
    return asked


def test_a_save_reaches_the_other_delegate_s_editor_through_the_stream(
    new_page,
    live_server,
    draft,
    stream_server,
):
    edition, proposal = draft
    url = f"{live_server.url}/proposals/{proposal.pk}/"
    amina, kwame = new_page(), new_page()
    log_in(amina, live_server, "amina", land=False)
    log_in(kwame, live_server, "kwame", land=False)
    asked = _watch(kwame)
    amina.goto(url)
    kwame.goto(url)
    expect(kwame.locator("#editor")).to_have_attribute("data-live-stream", stream_server)

    a = clause_id(edition, "considering-a")
    amina.locator(f"{a} .clause-view").click()
    expect(amina.locator(f"{a} textarea")).to_be_focused()  # the box is ready
    amina.locator(f"{a} textarea").fill("the outcomes of the WSIS+20 review, pushed;")
    amina.locator(f"{a} textarea").press("Control+Enter")
    expect(amina.locator(f"{a} .text ins").last).to_contain_text("pushed")
    expect(kwame.locator(f"{a} .text ins").last).to_contain_text("pushed")

    # Kwame's page held the stream and never polled.
    assert any(u.startswith(stream_server) for u in asked), asked
    assert not any("/live/events" in u for u in asked), asked

    # The next save comes with its changed clauses in the event: Kwame's page fetches nothing.
    fetched: list[str] = []
    kwame.on("request", lambda r: fetched.append(r.url) if "/live/proposals/" in r.url else None)
    b = clause_id(edition, "considering-b")
    amina.locator(f"{b} .clause-view").click()
    expect(amina.locator(f"{b} textarea")).to_be_focused()  # the box is ready
    amina.locator(f"{b} textarea").fill("the Global Digital Compact, pushed with the event;")
    amina.locator(f"{b} textarea").press("Control+Enter")
    expect(kwame.locator(f"{b} .text")).to_contain_text("Global Digital Compact")
    assert fetched == []

    # A hidden tab lets the stream go; back in view, it catches up on what it missed.
    closed: list[str] = []
    kwame.on("requestfailed", lambda r: closed.append(r.url) if r.url.startswith(stream_server) else None)
    kwame.evaluate(
        "() => { Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    wait_until(kwame, lambda: closed, "the hidden page closing its stream")
    opened = len(asked)
    amina.locator(f"{a} .clause-view").click()
    expect(amina.locator(f"{a} textarea")).to_be_focused()  # the box is ready
    amina.locator(f"{a} textarea").fill("the outcomes of the WSIS+20 review, while away;")
    amina.locator(f"{a} textarea").press("Control+Enter")
    expect(amina.locator(f"{a} .text ins").last).to_contain_text("while away")
    assert len(asked) == opened  # nothing asked while hidden
    expect(kwame.locator(f"{a} .text ins").last).to_contain_text("pushed")  # not told while hidden
    kwame.evaluate(
        "() => { Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    expect(kwame.locator(f"{a} .text ins").last).to_contain_text("while away")
    reopened = asked[opened:]
    streams = [u for u in reopened if u.startswith(stream_server)]
    assert streams and all("after=" in u for u in streams), reopened
    assert all(u in streams or "/live/ticket" in u for u in reopened), reopened  # a ticket, then the stream
    assert asked.leaks == []


def test_with_the_stream_server_away_the_page_falls_back_to_the_poll(new_page, live_server, draft, settings):
    edition, proposal = draft
    away = f"http://127.0.0.1:{_free_port()}/live/stream"  # nothing listens there
    settings.LIVE_STREAM_URL = away
    settings.SECURE_CSP = {**settings.SECURE_CSP, "connect-src": csp_connect_src(away)}
    url = f"{live_server.url}/proposals/{proposal.pk}/"
    amina, kwame = new_page(), new_page()
    log_in(amina, live_server, "amina", land=False)
    log_in(kwame, live_server, "kwame", land=False)
    asked = _watch(kwame)
    amina.goto(url)
    kwame.goto(url)
    a = clause_id(edition, "considering-a")
    amina.locator(f"{a} .clause-view").click()
    expect(amina.locator(f"{a} textarea")).to_be_focused()  # the box is ready
    amina.locator(f"{a} textarea").fill("the outcomes of the WSIS+20 review, polled;")
    amina.locator(f"{a} textarea").press("Control+Enter")
    expect(kwame.locator(f"{a} .text ins").last).to_contain_text("polled")
    assert any(u.startswith(away) for u in asked) and any("/live/events" in u for u in asked), asked


def test_an_expired_pass_refused_by_the_stream_tells_the_delegate_to_reload(
    new_page, live_server, draft, stream_server, settings
):
    edition, proposal = draft
    settings.LIVE_TOKEN_MAX_AGE = -1  # every pass has run out by the time the page uses it
    kwame = new_page()
    log_in(kwame, live_server, "kwame", land=False)
    asked = _watch(kwame)
    kwame.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    expect(kwame.locator("#messages")).to_contain_text("reload the page")
    # The exchange of the pass for the stream's ticket refused it (403); nothing asks any more.
    assert any("/live/ticket" in u for u in asked), asked
    count = len(asked)
    kwame.wait_for_timeout(2000)
    assert len(asked) == count, asked[count:]


def test_a_reader_of_the_consolidation_is_sent_the_settled_rows_with_the_event(
    new_page, live_server, stream_server, committed_demo
):
    """A delegate following the synoptic view gets what each settlement did to its rows in the
    stream's event (rendered once for every reader with the same filter and layout): after the
    first, which the stream has nothing to compare with, the page fetches nothing."""
    from django.contrib.auth.models import User

    from drafting.models import Clause, Consolidation
    from drafting.services.consolidation import settle_clause

    reader = User.objects.get(username="cept-delegate")
    reader.set_password("pw")
    reader.save()
    officer = User.objects.get(username="secretariat")
    consolidation = Consolidation.objects.get(resolution__number="75")

    def row(anchor: str):
        key = Clause.objects.get(edition=consolidation.base_edition, anchor=anchor).provision.key
        return str(key), page.locator(f"#k-{key}")

    page = new_page()
    log_in(page, live_server, "cept-delegate")
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/live/consolidations/" in r.url else None)
    # The stream's answer starts once the server follows the channel for the page.
    with page.expect_response(lambda r: r.url.startswith(stream_server) and "view=all" in r.url):
        page.goto(f"{live_server.url}/consolidations/{consolidation.pk}/")
    expect(page.locator("#consolidation-live")).to_have_attribute(
        "data-live-query", "view=all&layout=columns"
    )
    rows = page.locator("#synoptic > .syn-row")
    count = rows.count()

    key, first = row("resolves-4")
    settle_clause(officer, consolidation, key, "base")
    expect(first).to_contain_text("keep the base text")
    expect(page.locator("#cons-bar")).to_have_attribute(
        "data-version", str(consolidation.__class__.objects.get(pk=consolidation.pk).version)
    )
    fetched.clear()
    key, second = row("resolves-2")
    settle_clause(officer, consolidation, key, "base")
    expect(second).to_contain_text("keep the base text")
    assert fetched == []
    assert rows.count() == count
