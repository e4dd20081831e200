#!/usr/bin/env python3
"""Benchmark the resolution library: import time per seed; server time and queries of the edition,
compare and editor pages for Res. 75 and for a synthetic resolution ten times its size.

    .venv/bin/python scripts/benchmark_library.py                 # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark_library.py

Prints medians; the machines are shared and noisy, so compare the ratios of one run.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_django import ROOT  # noqa: E402  (sets Django up)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from drafting.demo.synthetic import synthetic_resolution_text  # noqa: E402
from drafting.engine.parse import parse_resolution  # noqa: E402

SEEDS = ROOT / "drafting" / "demo" / "seeds"


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counting():
    """Count the SQL statements run inside the block."""
    counter = _Counter()
    with connection.execute_wrapper(counter):
        yield counter


def page(client: Client, url: str, runs: int = 20) -> tuple[float, int]:
    client.get(url)  # warm up
    with counting() as queries:
        assert client.get(url).status_code in (200, 204), url
    return median_ms(lambda: client.get(url), runs), queries.count


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from drafting.demo.load import load_demo
    from drafting.models import Body, Clause, Proposal
    from drafting.services.amendments import add_clause, modify_clause
    from drafting.services.library import import_text

    vendor = connection.vendor
    print(f"database: {vendor}; {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}")
    print("\n## Import (median of 5; parse only, then parse + save in one transaction)")
    print(f"{'seed':44} {'parse ms':>9} {'import ms':>10} {'clauses':>8}")
    Body.objects.get_or_create(code="WTSA", defaults={"name": "WTSA"})
    Body.objects.get_or_create(code="Council", defaults={"name": "Council"})
    Body.objects.get_or_create(code="WTDC", defaults={"name": "WTDC"})
    big = synthetic_resolution_text(10)
    cases = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    cases.append(("synthetic 10x Res. 75", big))
    bodies = {"council-res1332.txt": ("Council", "1332"), "rcc-proposal-wtdc-res30.txt": ("WTDC", "30")}
    for name, text in cases:
        parse_ms = median_ms(lambda t=text: parse_resolution(t), 5)
        clauses = sum(1 for _ in parse_resolution(text).walk())
        body, number = bodies.get(name, ("WTSA", ""))
        number = number or parse_resolution(text).number

        def once(text=text, body=body, number=number):
            from django.db import transaction

            with transaction.atomic():
                import_text(text, body_code=body, number=number)
                transaction.set_rollback(True)

        import_ms = median_ms(once, 5)
        print(f"{name:44} {parse_ms:9.1f} {import_ms:10.1f} {clauses:8}")

    load_demo()
    import_text(big, body_code="WTSA", number="910")
    import_text(
        big.replace("Rev. Synthetic, 2010", "Rev. Synthetic, 2011").replace("pivotal", "key"),
        body_code="WTSA",
        number="910",
    )
    res75 = Path(SEEDS / "wtsa-res75-rev-hammamet-2016.txt").read_text(encoding="utf-8")
    import_text(
        res75.replace("Rev.\u00a0Hammamet, 2016", "Rev. Geneva, 2022").replace("pivotal", "key"),
        body_code="WTSA",
        number="75",
    )

    # The editor with 60 amendments, in a new ATU draft (the demo's own contribution is submitted).
    from drafting.services.contributions import add_proposal, create_contribution

    demo = Proposal.objects.get(contribution__group__code="ATU", contribution__status="submitted")
    delegate = demo.contribution.group.members.filter(groups__name="Delegates").first()
    draft = create_contribution(
        delegate,
        conference=demo.contribution.conference,
        group=demo.contribution.group,
        document_number="99",
        addendum=1,
        title="Benchmark",
    )
    proposal = add_proposal(
        delegate, draft, action=Proposal.MOD, resolution=demo.resolution, base_edition=demo.base_edition
    )
    items = list(
        Clause.objects.filter(edition=proposal.base_edition, kind="item").select_related("provision")
    )
    i = 0
    while proposal.amendments.count() < 60:
        clause = items[i % len(items)]
        i += 1
        key = str(clause.provision.key)
        if i % 3:
            if proposal.amendments.filter(target=clause.provision, action="modify").exists():
                continue
            modify_clause(delegate, proposal, key, clause.text.replace("the", "the agreed", 1), 0)
        else:
            add_clause(delegate, proposal, key, "after", text="a new item added for the benchmark;")

    client = Client()
    client.force_login(delegate)
    print("\n## Pages (median of 20 requests, server time through Django's test client)")
    print(f"{'page':58} {'ms':>7} {'queries':>8}")
    rows = [
        ("edition page, Res. 75 (70 clauses)", "/resolutions/wtsa/75/hammamet-2016/"),
        ("edition page, synthetic 10x (700 clauses)", "/resolutions/wtsa/910/synthetic-2010/"),
        ("compare page, Res. 75", "/resolutions/wtsa/75/compare/"),
        ("compare page, synthetic 10x", "/resolutions/wtsa/910/compare/"),
        (f"editor, Res. 75 with {proposal.amendments.count()} amendments", f"/proposals/{proposal.pk}/"),
        (
            "editor poll, nothing changed",
            f"/proposals/{proposal.pk}/changes/?since={Proposal.objects.get(pk=proposal.pk).version}",
        ),
    ]
    results = {}
    for label, url in rows:
        ms, queries = page(client, url)
        results[label] = (ms, queries)
        print(f"{label:58} {ms:7.1f} {queries:8}")

    key = str(items[0].provision.key)

    def save_round_trip():
        existing = proposal.amendments.filter(target__key=key, action="modify").first()
        version = existing.version if existing else 0
        text = f"the benchmark text {time.perf_counter_ns()};"
        response = client.post(
            f"/proposals/{proposal.pk}/clauses/{key}/edit/",
            {"text": text, "version": version},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200

    with counting() as queries:
        save_round_trip()
    print(
        f"{'one clause save round trip (POST, re-render of the clause)':58} {median_ms(save_round_trip, 20):7.1f} {queries.count:8}"
    )

    e_small = results["edition page, Res. 75 (70 clauses)"]
    e_big = results["edition page, synthetic 10x (700 clauses)"]
    c_small, c_big = results["compare page, Res. 75"], results["compare page, synthetic 10x"]
    print(
        f"\nratio 10x/1x: edition page {e_big[0] / e_small[0]:.1f}x time, queries {e_small[1]} -> {e_big[1]};"
        f" compare page {c_big[0] / c_small[0]:.1f}x time, queries {c_small[1]} -> {c_big[1]}"
    )


if __name__ == "__main__":
    main()
