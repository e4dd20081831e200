"""The conference-day load test, run for a few seconds with a few users so that it cannot rot.

The full run (1,000 browsers, minutes) is ``scripts/loadtest/run``; its figures are in the
README. This starts the same pieces: the proxy, gunicorn, the live service, a throwaway PostgreSQL,
the export worker, the synthetic conference, locust and the login storm, and checks the run had no
error, lost no work and printed every figure.
"""

from __future__ import annotations

import glob
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# It brings its own PostgreSQL and uses no database of the suite's: it runs once, with the other tests
# that use none, in the PostgreSQL run of ./dev test (tests/conftest.py, shares).
@pytest.mark.skipif(
    not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reason="needs PostgreSQL's server binaries"
)
def test_a_short_conference_day_runs_without_errors_or_lost_work(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["LOADTEST_OUT"] = str(tmp_path)
    run = subprocess.run(
        [str(ROOT / "scripts" / "loadtest" / "run"), "--smoke"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "no lost work" in output
    # Every figure the goal names is printed (a short run has few samples of each).
    for kind in (
        "editor page", "clause save", "consolidation view", "clause edit form", "edition page", "library search",
        "static", "all HTTP", "static requests:", "CPU in the steady state", "logins (the morning's arrivals)",
        "login storm:", "clause saves:",
    ):  # fmt: skip
        assert any(line.startswith(kind) for line in output.splitlines()), f"no {kind} in:\n{output}"
    assert "through the proxy" in output and "pages hold the live stream" in output
