"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# The suite's property tests draw the same examples on every run, so that what passed on a
# developer's machine passes in CI; HYPOTHESIS_PROFILE=explore draws new ones each run, to hunt.
hypothesis_settings.register_profile("suite", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

SEEDS = Path(__file__).resolve().parent.parent / "drafting" / "demo" / "seeds"


@pytest.fixture(scope="session")
def seed_text():
    """The text of one of the seed documents, by file name."""

    def read(name: str) -> str:
        return (SEEDS / name).read_text(encoding="utf-8")

    return read


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo data once for the module; each test runs in a transaction rolled back after it."""
    from django.core.management import call_command

    from drafting.demo.load import load_demo

    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", verbosity=0)


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

    cache.clear()
    caching.clear_all()
    citations.clear_parsed()
    yield
