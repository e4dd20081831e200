"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# The suite's property tests draw the same examples on every run, so that what passed on a
# developer's machine passes in CI; HYPOTHESIS_PROFILE=explore draws new ones each run, and ten times
# as many (tests.budget.examples), to hunt. No deadline: how long an example takes says how busy the
# machine is, not whether the code is right (a 200 ms deadline failed a test on the loaded machine).
hypothesis_settings.register_profile("suite", derandomize=True, database=None, deadline=None)
hypothesis_settings.register_profile("explore", derandomize=False, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

SEEDS = Path(__file__).resolve().parent.parent / "drafting" / "demo" / "seeds"


@pytest.fixture(scope="session")
def seed_text():
    """The text of one of the seed documents, by file name."""

    def read(name: str) -> str:
        return (SEEDS / name).read_text(encoding="utf-8")

    return read


# --- the demo data, loaded once for every module that uses it -------------------------------------------
#
# Loading the demo costs about two seconds of CPU; eighteen modules use it. Their tests run one after
# the other (pytest_collection_modifyitems), and the demo loaded for the first module stays for the
# next, each test running in a transaction rolled back after it. What a module commits outside its
# tests (a module fixture building exports) changes the tables' fingerprint, and the next module gets
# the demo loaded afresh; the first test that does not use it gets an empty database again.
_demo: dict[str, tuple | None] = {"fingerprint": None}


def _database_fingerprint() -> tuple:
    """Every table's row count and highest key, in one query: a committed change shows in it."""
    from django.apps import apps
    from django.db import connection

    quote = connection.ops.quote_name

    def highest(meta) -> str:
        column = quote(meta.pk.column)
        numeric = meta.pk.get_internal_type() in (
            "AutoField",
            "BigAutoField",
            "IntegerField",
            "BigIntegerField",
        )
        # Numbers compared as numbers; other keys (uuid, text) as text, which every database can compare.
        return f"CAST(MAX({column}) AS TEXT)" if numeric else f"MAX(CAST({column} AS TEXT))"

    parts = [
        f"SELECT {index}, COUNT(*), {highest(meta)} FROM {quote(meta.db_table)}"
        for index, meta in enumerate(
            model._meta
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return tuple(sorted(cursor.fetchall()))


def _empty_database() -> None:
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)
    _demo["fingerprint"] = None


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo data for the module's tests; each test runs in a transaction rolled back after it."""
    from drafting.demo.load import load_demo

    with django_db_blocker.unblock():
        if _demo["fingerprint"] is None or _database_fingerprint() != _demo["fingerprint"]:
            _empty_database()
            load_demo()
            _demo["fingerprint"] = _database_fingerprint()
    yield


# What the transactional tests (a live server, other connections) need: the demo data committed. Each
# of them empties the database when it ends; on SQLite the demo is loaded once and its database image
# copied back (SQLite's backup, milliseconds) before each test that asks, instead of loaded again.
_demo_image: dict[str, object] = {}


@pytest.fixture
def committed_demo(transactional_db):
    """The demo data, committed, for a test that reads it through other connections (a live server)."""
    from django.db import connection

    from drafting.demo.load import load_demo

    if connection.vendor != "sqlite":
        load_demo()
        return
    connection.ensure_connection()
    database = connection.connection
    image = _demo_image.get("image")
    if image is not None:
        image.backup(database)
        return
    load_demo()
    image = sqlite3.connect(":memory:", check_same_thread=False)
    database.backup(image)
    _demo_image["image"] = image


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that does not use the demo data finds the database as a fresh one is: empty (before any
    of its fixtures, so outside its transaction)."""
    if (
        _demo["fingerprint"] is not None
        and share_of(item) != "no-database"
        and "demo_db" not in item.fixturenames
    ):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _empty_database()


# --- where each test runs: ./dev test runs the suite on SQLite and on PostgreSQL side by side -----------
#
# A test whose result cannot depend on the database need not run twice. The shares:
# - "every-database": the tests that use the database, run on each;
# - "no-database": the tests that use no database at all (the engine, the Word files, the load test's
#   smoke run, which brings its own PostgreSQL);
# - "browser": the browser tests (what a page does in Chromium; the server side of each is covered on
#   both databases through the test client);
# - "one-database": tests that use the database but check what no database changes, marked
#   ``one_database`` (LibreOffice opening an export; every page in six languages; sign-on, tokens,
#   throttles);
# - "production-database": the tests marked ``production_database``: production's shape (the stream
#   service in a browser, an empty database migrated by other processes), checked with production's
#   database, PostgreSQL, only;
# - "http-surface": the tests marked ``http_surface``: every door with every role (the permission
#   matrix), and malformed, fuzzed and hostile requests and files. They send
#   thousands of requests, and run with PostgreSQL, which is stricter than SQLite (lengths, integer
#   ranges, NUL bytes) and production's: bad input must be refused before it reaches the database there.
# ``--skip-shared=no-database,browser,...`` leaves shares out of a run; ./dev test gives each share but
# "every-database" to one run, so that each such test runs once. A test that uses the database under
# test outside pytest-django's fixtures (another process given its URL) is marked ``each_database`` and
# runs in both.
SHARES = ("every-database", "no-database", "browser", "one-database", "http-surface", "production-database")
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "demo_db"}


def share_of(item: pytest.Item) -> str:
    """The share a test belongs to."""
    if item.get_closest_marker("production_database"):
        return "production-database"
    if item.get_closest_marker("each_database"):
        return "every-database"
    if item.get_closest_marker("browser"):
        return "browser"
    if item.get_closest_marker("one_database"):
        return "one-database"
    if item.get_closest_marker("http_surface"):
        return "http-surface"
    if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return "every-database"
    return "no-database"


def pytest_addoption(parser):
    parser.addoption(
        "--skip-shared",
        default="",
        metavar="SHARES",
        help=f"leave out the tests of these shares (comma-separated: {', '.join(SHARES)}), which another run "
        "runs: ./dev test runs each share but every-database once",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    skipped = {name.strip() for name in config.getoption("--skip-shared").split(",") if name.strip()}
    unknown = skipped - set(SHARES)
    if unknown:
        raise pytest.UsageError(
            f"--skip-shared: no share called {', '.join(sorted(unknown))} (there are {', '.join(SHARES)})"
        )
    if skipped:
        left_out = [item for item in items if share_of(item) in skipped]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if share_of(item) not in skipped]
            config.stash[_LEFT_TO_THE_OTHER_RUN] = len(left_out)

    # pytest-django has put the tests in rolled-back transactions first, then the transactional ones,
    # then those without a database; among the first, those that use the demo data go first, in a row,
    # so that it is loaded once for all of them (demo_db).
    def rank(item: pytest.Item) -> int:
        fixtures = set(getattr(item, "fixturenames", ()))
        marker = item.get_closest_marker("django_db")
        if marker is None and "db" not in fixtures:
            return 2
        if (marker is not None and marker.kwargs.get("transaction")) or {
            "transactional_db",
            "live_server",
        } & fixtures:
            return 2
        return 0 if "demo_db" in fixtures else 1

    items.sort(key=rank)


_LEFT_TO_THE_OTHER_RUN = pytest.StashKey[int]()


def pytest_sessionfinish(session, exitstatus):
    # "./dev test tests/test_merge.py": every test chosen is the other run's; this run is not empty by mistake.
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED and session.config.stash.get(
        _LEFT_TO_THE_OTHER_RUN, 0
    ):
        session.exitstatus = pytest.ExitCode.OK


def pytest_sessionstart(session):
    # CI runs the suite a second time on PostgreSQL; make sure it really is PostgreSQL.
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(
                f"REQUIRE_POSTGRES=1 but the database engine is {engine}: set DATABASE_URL to PostgreSQL"
            )


@pytest.fixture(autouse=True)
def _reference_rows(request):
    """The rows ``migrate`` creates (the five bodies in ITU's order, the four roles) are there for
    every test that uses the database, as on a real installation: a transactional test (the browser
    tests) empties every table when it ends, and a test after it must not see another world."""
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    from django.contrib.auth.models import Group

    from drafting.models import Body
    from drafting.models.people import ROLES
    from drafting.reference import BODIES

    if Body.objects.count() < len(BODIES):
        for order, (code, name) in enumerate(BODIES):
            Body.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
        for role in ROLES:
            Group.objects.get_or_create(name=role)
    yield


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches: database ids come back after a test's rollback, and a
    context or fragment cached under them by an earlier test must not be served to this one."""
    from django.core.cache import cache

    from drafting import caching
    from drafting.engine import citations
    from drafting.live import access

    cache.clear()
    caching.clear_all()
    citations.clear_parsed()
    access.forget()  # answers about passes: the same pass may be signed again in the next test's world
    yield
    # A request in another language leaves that language active in the thread (LocaleMiddleware does
    # not put it back), and the next test would read its messages in Arabic.
    from django.utils import translation

    translation.deactivate()


# --- where the suite's time goes: SUITE_TIMINGS=<dir> writes each test's time (setup, call and teardown,
# its fixtures' share included) to <dir>/<database>.json; scripts/suite_timings.py sums them by file.
_timings: dict[str, float] = {}


def pytest_runtest_logreport(report):
    if os.environ.get("SUITE_TIMINGS"):
        _timings[report.nodeid] = _timings.get(report.nodeid, 0.0) + report.duration


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    folder = os.environ.get("SUITE_TIMINGS")
    if not folder or not _timings:
        return
    import json

    from django.db import connection

    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / f"{connection.vendor}.json").write_text(json.dumps(_timings, indent=0))
