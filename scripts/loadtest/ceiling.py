"""The ceiling: connected delegates stepped up until the p95 of some kind of request crosses 200 ms.

    python -m scripts.loadtest.ceiling HOST WORLD.json OUT_FOLDER      (scripts/loadtest/ceiling runs it)

At each step N, N delegates are connected: LOADTEST_ACTIVE of them browsers in locust doing the day's
work (50 drafters, readers, the secretariat, followers opening their pages again now and then: the
locustfile), the rest idle followers holding their stream, each a coroutine of one asyncio process
(scripts/loadtest/idle_streams.py) so that the load generator's CPU goes to the active browsers.
Each step measures LOADTEST_STEP_S seconds of steady state, once the active browsers have arrived; prints a
row per step (p95 per kind, propagation, errors, CPU), and stops after the first row over 200 ms.

Environment: LOADTEST_STEPS ("1000 2000 3000 4000 5000"), LOADTEST_ACTIVE (200), LOADTEST_STEP_S
(120), LOADTEST_PIDS (the servers' processes, for the CPU figures).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

KINDS = [
    "editor page",
    "clause save",
    "consolidation view",
    "clause edit form",
    "edition page",
    "library search",
    "static",
]
GOAL_MS = 200
# A kind with fewer samples than this in a step is shown but does not decide the ceiling.
ENOUGH = 20


def _step(host: str, world: str, out: Path, connected: int, active: int, step_seconds: int) -> dict:
    idle = max(connected - active, 0)
    status = out / f"idle-{connected}.status"
    status.write_text("0\n")
    holder = subprocess.Popen(
        [sys.executable, "-m", "scripts.loadtest.idle_streams", host, world, str(idle), str(status)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60 + idle / 20
    while time.monotonic() < deadline and holder.poll() is None:
        held = int(status.read_text().strip() or 0)
        if held >= idle:
            break
        time.sleep(1)
    held_before = int(status.read_text().strip() or 0)
    record = out / f"record-{connected}.json"
    env = {
        **os.environ,
        "LOADTEST_WORLD": world,
        "LOADTEST_RECORD": str(record),
        "LOADTEST_PIDS": f"{os.environ.get('LOADTEST_PIDS', '')} idle={holder.pid}",
        # The step's figures are taken over this long once the active browsers are all in.
        "LOADTEST_STEADY_S": str(step_seconds),
        "PYTHONPATH": os.getcwd(),
    }
    started = time.monotonic()
    with open(out / f"locust-{connected}.log", "w") as log:
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"), "-f", "scripts/loadtest/locustfile.py", "--headless",
                "--only-summary", "--loglevel", "WARNING", "-u", str(active), "-r", "20", "-t", f"{step_seconds + 900}s",
                "--stop-timeout", "10", "--host", host,
            ],
            env=env, stdout=log, stderr=subprocess.STDOUT, check=False,
        )  # fmt: skip
    holder.send_signal(signal.SIGTERM)
    summary = holder.communicate(timeout=60)[0].strip().splitlines()
    result = json.loads(record.read_text()) if record.exists() else {"times": {}, "errors": {}}
    result.update(connected=connected, idle_held=held_before, idle=idle, idle_summary=summary[-1:] or [""])
    result["wall_s"] = time.monotonic() - started
    return result


def main() -> None:
    host, world, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    steps = [int(n) for n in os.environ.get("LOADTEST_STEPS", "1000 2000 3000 4000 5000").split()]
    active = int(os.environ.get("LOADTEST_ACTIVE", "200"))
    step_seconds = int(os.environ.get("LOADTEST_STEP_S", "120"))
    head = f"{'connected':>9} {'idle held':>9} " + " ".join(f"{k[:14]:>14}" for k in [*KINDS, "all HTTP"])
    print(
        "p95 in ms per kind of request at each step (steady state of the active browsers); load average shown per step"
    )
    print(head + f" {'propagation':>11} {'errors':>6}  worst other kind / CPU")
    ceiling = None
    for connected in steps:
        result = _step(host, world, out, connected, active, step_seconds)
        times = result["times"]
        row = f"{connected:9d} {result['idle_held']:9d} " + " ".join(
            f"{times.get(k, {}).get('p95', float('nan')):14.0f}" for k in [*KINDS, "all HTTP"]
        )
        others = {k: v for k, v in times.items() if k not in KINDS and k not in ("all HTTP", "live stream")}
        worst = max(
            others.items(), key=lambda kv: kv[1]["p95"] if kv[1]["count"] >= ENOUGH else -1, default=None
        )
        errors = sum(result.get("errors", {}).values())
        propagation = result.get("propagation_ms", {}).get("p95", float("nan"))
        cpu = result.get("cpu_s", {})
        busy = ", ".join(f"{k} {v:.0f} s" for k, v in cpu.items() if k != "machine" and v >= 1)
        load = " ".join(open("/proc/loadavg").read().split()[:3])
        print(
            f"{row} {propagation:11.0f} {errors:6d}  "
            + (f"{worst[0]} {worst[1]['p95']:.0f}" if worst else "")
            + f" / CPU in {result.get('duration_s', 0):.0f} s: {busy}; load {load}"
        )
        print(f"          {result['idle_summary'][0]}")
        over = [
            k
            for k, v in times.items()
            if k != "live stream" and v.get("count", 0) >= ENOUGH and v.get("p95", 0) > GOAL_MS
        ]
        if propagation > GOAL_MS:
            over.append("propagation")
        if over:
            print(
                f"at {connected} connected delegates the p95 of {', '.join(sorted(over))} is over {GOAL_MS} ms"
            )
            break
        ceiling = connected
    print(
        f"ceiling: {ceiling} connected delegates with every kind's p95 within {GOAL_MS} ms"
        if ceiling
        else "ceiling: below the first step"
    )


if __name__ == "__main__":
    main()
