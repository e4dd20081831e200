#!/usr/bin/env python3
"""CPU per request of the conference day's kinds of request, and where it goes (cProfile).

    .venv/bin/python scripts/profile_requests.py                    # every kind, a throwaway SQLite database
    .venv/bin/python scripts/profile_requests.py "clause save" 15   # one kind profiled: its 15 hottest functions
    DATABASE_URL=postgres://... .venv/bin/python scripts/profile_requests.py

Through Django's test client with the production middleware (sessions cached, whitenoise, CSP), on the
demo: a delegate of RCC with the group's draft, the secretariat's consolidation of Res. 75, a reader.
CPU is process time per request (median of RUNS), so it does not count the machine's other work;
queries per request as well. The machines are shared: compare within one run.
"""

from __future__ import annotations

import cProfile
import io
import itertools
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_django  # noqa: E402, F401  (sets Django up, before anything uses it)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RUNS = int(os.environ.get("RUNS", "30"))


def world() -> dict:
    from django.contrib.auth.models import User

    from drafting.demo.load import load_demo
    from drafting.models import Clause, Consolidation, Proposal

    call_command("migrate", verbosity=0)
    load_demo()
    draft = Proposal.objects.filter(contribution__group__code="RCC").exclude(base_edition=None).first()
    keys = [
        str(k)
        for k in Clause.objects.filter(edition=draft.base_edition, kind="item")
        .order_by("position")
        .values_list("provision__key", flat=True)
    ]
    delegate, officer = Client(), Client()
    delegate.force_login(User.objects.get(username="rcc-delegate"))
    officer.force_login(User.objects.get(username="secretariat"))
    consolidation = Consolidation.objects.get(resolution__number="75")
    return {
        "draft": draft,
        "keys": keys,
        "delegate": delegate,
        "officer": officer,
        "consolidation": consolidation,
    }


def kinds(w: dict) -> dict:
    """Each kind of request: a function making one such request (the way the load test makes it)."""
    import re

    # One browser each: a new test client loads the middleware again (whitenoise reads every static
    # file's headers), which a server process does once.
    draft, delegate, reader = w["draft"], w["delegate"], Client()
    counter = itertools.count()
    edition = draft.base_edition.get_absolute_url()

    def save():
        key = w["keys"][next(counter) % len(w["keys"])]
        url = f"/proposals/{draft.pk}/clauses/{key}/edit/"
        form = delegate.get(url, HTTP_HX_REQUEST="true").content.decode()
        version = re.search(r'name="version" value="(\d+)"', form).group(1)
        started = time.process_time()
        response = delegate.post(
            url, {"text": f"profiled save {next(counter)};", "version": version}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200, response.status_code
        return time.process_time() - started

    return {
        "editor page": lambda: delegate.get(f"/proposals/{draft.pk}/"),
        "clause edit form": lambda: delegate.get(
            f"/proposals/{draft.pk}/clauses/{w['keys'][3]}/edit/", HTTP_HX_REQUEST="true"
        ),
        "clause save": save,
        "consolidation view": lambda: delegate.get(f"/consolidations/{w['consolidation'].pk}/"),
        "consolidation view (secretariat)": lambda: w["officer"].get(
            f"/consolidations/{w['consolidation'].pk}/"
        ),
        "edition page": lambda: reader.get(edition),
        "library search": lambda: reader.get("/?q=internet"),
        "bell": lambda: delegate.get("/notifications/bell/", HTTP_HX_REQUEST="true"),
        "login page": lambda: reader.get("/accounts/login/"),
    }


def measure(make) -> tuple[float, int]:
    """(median ms of CPU, queries) of one request of this kind, after two warm-ups."""
    from scripts.benchmark_library import counting

    make()
    make()
    with counting() as queries:
        make()
    cpu = []
    for _ in range(RUNS):
        started = time.process_time()
        spent = make()
        cpu.append(spent if isinstance(spent, float) else time.process_time() - started)
    return statistics.median(cpu) * 1000, queries.count


def main() -> None:
    setup_test_environment()
    w = world()
    every = kinds(w)
    if len(sys.argv) > 1:
        name, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25
        make = every[name]
        make()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(RUNS):
            make()
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
        stats.print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        print(out.getvalue())
        return
    print(
        f"{connection.vendor}, median of {RUNS}; load average {' '.join(open('/proc/loadavg').read().split()[:3])}"
    )
    print(f"{'request':34} {'CPU ms':>7} {'queries':>7}")
    for name, make in every.items():
        ms, queries = measure(make)
        print(f"{name:34} {ms:7.1f} {queries:7d}")


if __name__ == "__main__":
    main()
