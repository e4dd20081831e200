"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Every wait is for a condition; these are only how long before a condition never met is a failure.
# The suite runs on a loaded 2-core machine, where a page that answers in 100 ms alone can take ten
# seconds: a passing test is not slowed by a long deadline, and a short one fails a right change.
# No test passes its own shorter timeout to an expect; none waits for a time.
DEADLINE_MS = 30_000
expect.set_options(timeout=DEADLINE_MS)


@pytest.fixture(autouse=True)
def the_one_deadline():
    """Every test starts with the one deadline, whatever a test before it set (expect's options are
    global: one test's 5 s once became every later test's, and a stream test failed on a loaded machine)."""
    expect.set_options(timeout=DEADLINE_MS)


@pytest.fixture(autouse=True)
def a_quicker_poll(settings):
    """Pages poll for their live events every half second, not production's 1.5 s: a test waits for a
    colleague's change as a delegate does, and a third of a poll's wait each time is a third of the
    editor's tests' time (54 s against 42 s for tests/browser/test_editor.py, the same CPU). What the
    interval is does not change what a poll brings; a test that needs another sets it."""
    settings.LIVE_POLL_MS = 500


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); never skip these tests."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 800}}


@pytest.fixture
def page(page):
    """pytest-playwright's page, with the suite's deadline for its actions and navigations."""
    page.set_default_timeout(DEADLINE_MS)
    return page


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take


def wait_until(page, condition, what: str) -> None:
    """Waits for a condition on what the test has seen of the page (responses, requests, dialogs),
    letting the page's events be handled meanwhile; fails after the suite's deadline, saying what."""
    deadline = time.monotonic() + DEADLINE_MS / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        page.wait_for_timeout(50)  # hands control to Playwright, whose event handlers fill what is seen


def log_in(
    page, live_server, username: str, password: str = "pw", *, land: bool = True, form: bool = False
) -> None:
    """Logs the page's browser in as ``username`` and, unless ``land`` is False, opens the page where
    that person's day starts, as the login page does.

    The session is made on the server and its cookie given to the browser (what the login page
    leaves, the language chosen at login among it): the login page's own three requests and two page
    loads, each login of each browser test, were CPU the suite spends nowhere else. ``form`` logs in
    through the login page instead, with ``password``, as a person does (tests/browser/test_day_in_browser.py; the page
    itself is tested by tests/test_login_throttling.py and the other tests of logging in)."""
    if form:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        # Where one lands depends on the role (a delegate on the group's drafts): wait until the login is done.
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    page.context.add_cookies(
        [
            {"name": cookie.key, "value": cookie.value, "url": live_server.url}
            for cookie in client.cookies.values()
        ]
    )
    if land:
        page.goto(f"{live_server.url}/home/")


@pytest.fixture
def new_page(browser):
    """Pages in browser contexts of their own (one person each), closed before the database is flushed."""
    contexts = []

    def make(width: int = 1366, height: int = 800):
        # A phone-sized page is a touch screen: no hover there.
        phone = width < 600
        context = browser.new_context(
            viewport={"width": width, "height": height}, has_touch=phone, is_mobile=phone
        )
        context.set_default_timeout(DEADLINE_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def open_settle_form(row) -> None:
    """Opens a synoptic row's settle form and waits for it: the form is fetched when the row's
    "Settle" is opened, or, for a conflict (open at once), when the row comes into view."""
    # A live copy may replace the row meanwhile (a colleague's settlement, the room's screen): the new
    # row fetches its form when it comes into view in its turn, so it is brought into view again.
    deadline = time.monotonic() + DEADLINE_MS / 1000
    while True:
        row.scroll_into_view_if_needed()
        details = row.locator("details.settle")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        try:
            row.locator("form.settle-form").wait_for(timeout=5000)
            return
        except PlaywrightTimeout as problem:
            if time.monotonic() > deadline:
                state = row.evaluate(
                    "r => { const d = r.querySelector('details.settle');"
                    " return {open: d && d.open, classes: d && d.className, slot: (r.querySelector('.settle-slot')"
                    " || {}).innerHTML, request: !!r.querySelector('.htmx-request')}; }"
                )
                raise AssertionError(f"the settle form never came: {state}") from problem
