"""./dev test gives each share of the suite (tests/conftest.py, shares) to its runs as drawn there: the
tests that use the database to both, every other share to exactly one, so that no test is left out
by a change to the runs and none runs twice for nothing."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import SHARES

ROOT = Path(__file__).resolve().parent.parent


def test_dev_test_runs_the_database_tests_on_both_and_every_other_share_once():
    runs = re.findall(r'start_run (\w+) "[^"]*" --skip-shared=([\w,-]+)', (ROOT / "dev").read_text())
    assert [name for name, _ in runs] == ["sqlite", "postgres"], runs
    skipped = {name: set(shares.split(",")) for name, shares in runs}
    assert set().union(*skipped.values()) <= set(SHARES), skipped
    for share in SHARES:
        ran_in = [name for name, left_out in skipped.items() if share not in left_out]
        assert ran_in == (["sqlite", "postgres"] if share == "every-database" else ran_in[:1]) and ran_in, (
            f"share {share} runs in {ran_in or 'no run'}"
        )
    # What production runs on is checked with PostgreSQL.
    assert "production-database" not in skipped["postgres"] and "http-surface" not in skipped["postgres"]
