"""A login storm: N delegates who have not logged in yet all log in at the same moment (the doors open).

    python -m scripts.loadtest.storm HOST WORLD.json           (scripts/loadtest/run calls it after the day)

Each is a browser of its own: the login page, then the form posted with its CSRF token. Prints the
time of each login (the POST, which hashes the password), p50/p95/p99, and how long until all were in.
The morning's arrivals, spread out, are the load test's own figure; this is the worst case apart.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")
    )


def main() -> None:
    host, world = sys.argv[1], json.load(open(sys.argv[2]))
    names = world.get("storm", [])
    if not names:
        print("login storm: no accounts for it (conference.py --storm N)")
        return
    ready = threading.Barrier(len(names))
    times: list[float] = []
    failures: list[str] = []

    def one(username: str) -> None:
        session = requests.Session()
        try:
            page = session.get(f"{host}/accounts/login/", timeout=60)
            token = CSRF.search(page.text).group(1)
            ready.wait(timeout=120)  # every browser has its form: all press the button now
            started = time.perf_counter()
            answer = session.post(
                f"{host}/accounts/login/",
                data={"username": username, "password": world["password"], "csrfmiddlewaretoken": token},
                headers={"Referer": f"{host}/accounts/login/"},
                allow_redirects=False,
                timeout=120,
            )
            elapsed = (time.perf_counter() - started) * 1000
            if answer.status_code == 302:
                times.append(elapsed)
            else:
                failures.append(f"{username}: {answer.status_code}")
        except Exception as problem:  # noqa: BLE001 (counted and shown)
            failures.append(f"{username}: {problem!r}"[:200])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        list(pool.map(one, names))
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    print(
        f"login storm: {len(names)} logins at once: {len(times)} in, p50 {_pct(times, 50):.0f} ms, "
        f"p95 {_pct(times, 95):.0f} ms, p99 {_pct(times, 99):.0f} ms, the last in after {max(times, default=0):.0f} ms "
        f"({time.perf_counter() - started:.1f} s with opening the login pages); {len(failures)} failed; "
        f"load average {load}"
    )
    for failure in failures[:5]:
        print(f"  login failed: {failure}")


if __name__ == "__main__":
    main()
