#!/usr/bin/env python3
"""Benchmark citations as links: what drawing them costs the proposal editor and the synoptic view.

Res. 75 (about 100 clauses, dense in citations), a demo proposal on it, and a consolidation
of six groups' proposals. Each page is drawn cold (nothing built, no fragment cached: the
first request after a change), three ways:

- without links: the marks as the ``marks`` filter draws them (the page before links);
- with links, the library already read: the common case, a page after a save;
- with links, the first page after an edition is imported or adopted (the library is read
  again and every citation resolved again; the texts stay parsed);

and the typesetting alone, also on the first page after a restart (every text parsed).

and warm (every fragment cached), with links.

    .venv/bin/python scripts/benchmark_citation_links.py                 # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark_citation_links.py
"""

from __future__ import annotations

import os
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

from scripts.benchmark_library import counting  # noqa: E402

RUNS = 15


def _cold(keep_library: bool, keep_parsed: bool = True) -> None:
    from django.core.cache import cache

    from drafting import caching
    from drafting.services import citation_links, citations

    for memo in (
        caching.editor_contexts,
        caching.compilations,
        caching.consolidation_contexts,
        caching.edition_trees,
        citations.library_reads,
    ):
        memo.clear()
    cache.clear()
    if not keep_parsed:
        citation_links._parsed.clear()
    if not keep_library:
        citation_links.libraries.clear()


def _one(client: Client, url: str, before) -> tuple[float, int]:
    before()
    with counting() as queries:
        started = time.process_time()
        assert client.get(url).status_code == 200, url
        ms = (time.process_time() - started) * 1000
    return ms, queries.count


def _typesetting_ms(client: Client, url: str, keep_library: bool, keep_parsed: bool) -> tuple[float, float]:
    """The time a cold page spends typesetting marked text with links, and what the marks alone take."""
    from drafting.templatetags import citations as tags
    from drafting.templatetags.drafting import marks

    real = tags.typeset
    spent = [0.0, 0.0]

    def timed(segments, citer):
        started = time.process_time()
        html = real(segments, citer)
        middle = time.process_time()
        str(marks(segments))
        spent[0] += (middle - started) * 1000
        spent[1] += (time.process_time() - middle) * 1000
        return html

    tags.typeset = timed
    try:
        _cold(keep_library=keep_library, keep_parsed=keep_parsed)
        client.get(url)
    finally:
        tags.typeset = real
    return spent[0], spent[1]


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from drafting.demo.load import load_demo
    from drafting.demo.synthetic import synthetic_proposals
    from drafting.models import Conference, Edition, Proposal
    from drafting.services.consolidation import open_consolidation
    from drafting.templatetags import citations as tags
    from drafting.templatetags.drafting import marks

    print(f"database: {connection.vendor}; {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}")
    load_demo()
    res75 = Edition.objects.get(resolution__body__code="WTSA", resolution__number="75", slug="hammamet-2016")
    proposal = Proposal.objects.filter(base_edition=res75).order_by("pk").first()
    conference = Conference.objects.create(
        body=res75.resolution.body, code="WTSA-28", place="Bench", year=2028
    )
    synthetic_proposals(res75, conference, tag="bench")
    officer = User.objects.get(username="secretariat")
    consolidation = open_consolidation(officer, conference, res75.resolution)
    client = Client()
    client.force_login(officer)
    pages = [
        (f"proposal editor, {proposal.label}", proposal.get_absolute_url()),
        ("synoptic view, Res. 75, 6 groups", consolidation.get_absolute_url()),
    ]
    linked = client.get(pages[0][1]).content.decode().count('class="citation')
    print(f"citations drawn as links in the editor: {linked}")
    # CPU time of this process (SQLite runs in it): the machines are shared, wall time swings with their load.
    print(f"\nCPU ms: median (min) of {RUNS}, interleaved / queries")
    print(f"{'page':36} {'no links':>22} {'links':>22} {'links, after import':>22} {'links, warm':>22}")
    real = tags.typeset, tags._page_citer
    plain = (lambda segments, citer: str(marks(segments))), (lambda context: None)
    for name, url in pages:
        # Interleaved, so that the load of a shared machine falls on every variant alike.
        figures: dict[str, list[tuple[float, int]]] = {"plain": [], "save": [], "import": [], "warm": []}
        for _ in range(RUNS):
            tags.typeset, tags._page_citer = plain
            figures["plain"].append(_one(client, url, lambda: _cold(keep_library=True)))
            tags.typeset, tags._page_citer = real
            figures["save"].append(_one(client, url, lambda: _cold(keep_library=True)))
            figures["import"].append(_one(client, url, lambda: _cold(keep_library=False)))
            figures["warm"].append(_one(client, url, lambda: None))
        cells = [
            f"{statistics.median(ms for ms, _ in runs):6.1f} ({min(ms for ms, _ in runs):5.1f}) / {runs[-1][1]:2}"
            for runs in figures.values()
        ]
        print(f"{name:36} {' '.join(f'{c:>22}' for c in cells)}")
        for keep, parsed, when in (
            (True, True, "library read"),
            (False, True, "after an import"),
            (False, False, "after a restart"),
        ):
            linked, alone = _typesetting_ms(client, url, keep, parsed)
            print(f"{'':36} typesetting ({when}): {linked:.1f} ms with links, {alone:.1f} ms the marks alone")


if __name__ == "__main__":
    main()
