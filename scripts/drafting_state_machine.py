#!/usr/bin/env python3
"""The drafting state machine (tests/drafting_model.py) walked longer than the suite walks it.

    .venv/bin/python scripts/drafting_state_machine.py                       # 200 walks of 50 steps, SQLite
    .venv/bin/python scripts/drafting_state_machine.py --examples 50 --steps 40 --api
    DATABASE_URL=postgres://… REQUIRE_POSTGRES=1 .venv/bin/python scripts/drafting_state_machine.py

New walks every run (hypothesis's "explore" profile), through the services, or with ``--api`` through the
JSON API. A failing walk is shrunk and printed as the sequence of steps that fails; make it a plain test
in tests/test_drafting_state_regressions.py. Prints the walks, steps, wall time and CPU time of the run
(the suite's budget is tests/test_drafting_state_machine.py's EXAMPLES and STEPS).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="walks (hypothesis examples)")
    parser.add_argument("--steps", type=int, default=50, help="steps per walk")
    parser.add_argument("--api", action="store_true", help="through the JSON API instead of the services")
    parser.add_argument("--no-shrink", action="store_true", help="report the first failing walk as found")
    args = parser.parse_args()
    env = {
        **os.environ,
        "HYPOTHESIS_PROFILE": "explore",
        "STATE_MACHINE_EXAMPLES": str(args.examples),
        "STATE_MACHINE_STEPS": str(args.steps),
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
    }
    if args.no_shrink:
        env["STATE_MACHINE_SHRINK"] = "0"
    which = "api" if args.api else "services"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:randomly",
        str(ROOT / "tests" / "test_drafting_state_machine.py"),
        "-k",
        which,
    ]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env)
    wall = time.perf_counter() - started
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    database = "PostgreSQL" if "postgres" in os.environ.get("DATABASE_URL", "") else "SQLite"
    print(
        f"drafting state machine through the {which}, {database}: {args.examples} walks of up to {args.steps} "
        f"steps, {'passed' if done.returncode == 0 else 'FAILED'} in {wall:.1f} s "
        f"({used.ru_utime + used.ru_stime:.1f} s of CPU, Django's start and the test database included)"
    )
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
