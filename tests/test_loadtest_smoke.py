"""The conference-day load test, run for a few seconds with a few users so that it cannot rot.

The full run (1,000 users, minutes) is ``scripts/loadtest/run``; its figures are in the
README. This starts the same pieces: gunicorn, a throwaway PostgreSQL, the export worker,
the synthetic conference and locust, and checks the run had no error and lost no work.
"""

from __future__ import annotations

import glob
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reason="needs PostgreSQL's server binaries"
)
def test_a_short_conference_day_runs_without_errors_or_lost_work(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["LOADTEST_OUT"] = str(tmp_path)
    run = subprocess.run(
        [str(ROOT / "scripts" / "loadtest" / "run"), "--smoke"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "no lost work" in output
    for kind in ("login", "editor page", "live stream", "clause save", "consolidation view", "edition page"):
        assert any(line.startswith(kind) for line in output.splitlines()), f"no {kind} in:\n{output}"
    assert "propagation" in output or "clause saves" in output
