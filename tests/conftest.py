"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "drafting" / "demo" / "seeds"


@pytest.fixture(scope="session")
def seed_text():
    """The text of one of the seed documents, by file name."""

    def read(name: str) -> str:
        return (SEEDS / name).read_text(encoding="utf-8")

    return read


def pytest_sessionstart(session):
    # CI runs the suite a second time on PostgreSQL; make sure it really is PostgreSQL.
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(
                f"REQUIRE_POSTGRES=1 but the database engine is {engine}: set DATABASE_URL to PostgreSQL"
            )
