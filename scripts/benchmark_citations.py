#!/usr/bin/env python3
"""Benchmark the citation graph on a synthetic library of 300 resolutions and about 5,000 citations.

    .venv/bin/python scripts/benchmark_citations.py                 # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark_citations.py

Measures: importing the folder (one command, one transaction per file); building the graph from
scratch; adopting a new edition of the most cited resolution and the stale-citation report after it;
the "cited by" part of an edition page and the whole page (server time and queries) with a third of
the library and with all of it. Prints medians; the machines are shared and noisy.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_django  # noqa: E402,F401  (sets Django up)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from drafting.demo.corpus import generate_corpus, write_corpus  # noqa: E402

RESOLUTIONS = 300
CITATIONS = 5000


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counting():
    counter = _Counter()
    with connection.execute_wrapper(counter):
        yield counter


def timed(fn, runs: int) -> tuple[float, int, object]:
    """Median milliseconds of ``runs`` calls, the queries of one call, and its result."""
    times, queries, result = [], 0, None
    for _ in range(runs):
        with counting() as counter:
            started = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - started) * 1000)
        queries = counter.count
    return statistics.median(times), queries, result


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from drafting.demo.load import load_demo
    from drafting.models import Citation, Conference, Edition, Resolution
    from drafting.services.citations.graph import edition_citations
    from drafting.services.citations.indexing import rebuild_graph
    from drafting.services.citations.stale import stale_citations
    from drafting.services.consolidation import adopt, open_consolidation
    from drafting.services.library_folder import import_folder

    load_demo()
    engine = connection.vendor
    folder = Path(tempfile.mkdtemp())
    corpus = generate_corpus(RESOLUTIONS, CITATIONS)
    write_corpus(folder, corpus)
    files = sorted(folder.iterdir())
    first, rest = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    for i, path in enumerate(files):
        path.rename((first if i % 3 == 0 else rest) / path.name)

    rows = []
    started = time.perf_counter()
    reports = import_folder(first)
    part_ms = (time.perf_counter() - started) * 1000
    assert all(r.ok for r in reports), [r.message for r in reports if not r.ok]

    # The most cited PP resolution: its edition page is the heaviest "cited by".
    def most_cited():
        return (
            Resolution.objects.filter(body__code="PP")
            .annotate(n=Count("citations_received"))
            .order_by("-n", "sort_key")
            .first()
        )

    client = Client()

    def page_figures(label: str) -> None:
        target = most_cited()
        edition = Edition.objects.filter(resolution=target).order_by("-year").first()
        ms, queries, graph = timed(lambda: edition_citations(edition), 20)
        rows.append((f"cited by, {label}: {target} ({len(graph.cited_by)} citing clauses)", ms, queries))
        url = edition.get_absolute_url()
        client.get(url)
        ms, queries, _ = timed(lambda: client.get(url), 20)
        rows.append((f"whole edition page, {label}", ms, queries))

    page_figures(f"{len(reports)} resolutions")
    started = time.perf_counter()
    reports += import_folder(rest)
    total_ms = part_ms + (time.perf_counter() - started) * 1000
    assert all(r.ok for r in reports), [r.message for r in reports if not r.ok]
    citations = Citation.objects.filter(clause__isnull=False).count()
    rows.append(
        (
            f"import_library, {len(reports)} files ({citations} citations), per file",
            total_ms / len(reports),
            None,
        )
    )
    page_figures(f"{len(reports)} resolutions")

    ms, queries, count = timed(rebuild_graph, 3)
    rows.append((f"graph from scratch ({count} citations)", ms, queries))

    target = most_cited()
    secretariat = (
        __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.get(username="secretariat")
    )
    conference = Conference.objects.create(body=target.body, code="PP-26", place="Doha", year=2026)
    consolidation = open_consolidation(secretariat, conference, target)
    ms, queries, edition = timed(lambda: adopt(secretariat, consolidation, leave_open_as_base=True), 1)
    rows.append((f"adopting {edition} (indexing and linking included)", ms, queries))
    ms, queries, groups = timed(lambda: stale_citations(target), 10)
    stale = groups[0].citation_count if groups else 0
    rows.append(
        (
            f"stale report after that adoption: {stale} citations in {len(groups[0].citing)} resolutions",
            ms,
            queries,
        )
    )
    ms, queries, groups = timed(stale_citations, 5)
    rows.append(
        (
            f"stale report, whole library: {sum(g.citation_count for g in groups)} citations, {len(groups)} groups",
            ms,
            queries,
        )
    )

    print(f"Citation benchmark on {engine}: {RESOLUTIONS} resolutions, {citations} citations (medians)\n")
    print("| what | ms | queries |")
    print("|---|---:|---:|")
    for label, ms, queries in rows:
        print(f"| {label} | {ms:.1f} | {'' if queries is None else queries} |")


if __name__ == "__main__":
    main()
