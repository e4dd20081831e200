#!/usr/bin/env python3
"""Benchmark what a conference day repeats most: the editor page, the live copy of a draft after a save
(the whole draft, and the clauses that changed), and the edition page; server time, queries and bytes.

    .venv/bin/python scripts/benchmark_live_updates.py                 # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark_live_updates.py

Server time through Django's test client (medians); the fast path in front of Django (a copy already
rendered) is timed through the WSGI wrapper. The machines are shared and noisy: compare within one run.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_django  # noqa: E402, F401  (sets Django up, before anything uses it)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from scripts.benchmark_library import counting, median_ms  # noqa: E402


def timed(client: Client, url: str, runs: int = 20, **headers) -> tuple[float, int, int]:
    """(median ms, queries, bytes) of a GET answered 200, after one warm-up request."""
    client.get(url, **headers)
    with counting() as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return median_ms(lambda: client.get(url, **headers), runs), queries.count, len(response.content)


def wsgi_ms(path: str, query: str, runs: int = 200) -> tuple[float, int]:
    """(median ms, bytes) of a request answered by the fast path in front of Django."""
    import io

    from drafting.live.wsgi import LiveChannelApp

    def django_app(environ, start_response):
        raise AssertionError(f"{path} went through Django")

    app = LiveChannelApp(django_app)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "wsgi.input": io.BytesIO(),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
    }
    size = len(b"".join(app(dict(environ), lambda status, headers: None)))
    return median_ms(lambda: b"".join(app(dict(environ), lambda status, headers: None)), runs), size


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.core.cache import cache

    from drafting import caching, live
    from drafting.demo.load import load_demo
    from drafting.live.wsgi import draft_cache_key
    from drafting.models import Clause, Edition, Proposal
    from drafting.services.amendments import add_clause, modify_clause
    from drafting.services.contributions import add_proposal, create_contribution

    print(f"database: {connection.vendor}; {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}")
    load_demo()
    res75 = Edition.objects.get(resolution__body__code="WTSA", resolution__number="75", slug="hammamet-2016")
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
        delegate, draft, action=Proposal.MOD, resolution=demo.resolution, base_edition=res75
    )
    items = list(
        Clause.objects.filter(edition=res75, kind="item").select_related("provision").order_by("position")
    )
    for n, clause in enumerate(items[::4]):
        modify_clause(
            delegate, proposal, str(clause.provision.key), clause.text.replace("the", "the agreed", 1), 0
        )
        if n % 4 == 0:
            add_clause(
                delegate, proposal, str(clause.provision.key), "after", text="a new item for the benchmark;"
            )
    proposal.refresh_from_db()

    client = Client()
    client.force_login(delegate)
    reader = Client()
    print(f"\nRes. 75, a draft with {proposal.amendments.count()} amendments; median of 20 requests")
    print(f"{'request':62} {'ms':>7} {'queries':>8} {'bytes':>8}")

    def line(label: str, ms: float, queries: int | str, size: int) -> None:
        print(f"{label:62} {ms:7.1f} {queries!s:>8} {size:8}")

    line("editor page (delegate)", *timed(client, f"/proposals/{proposal.pk}/"))
    edition_url = res75.get_absolute_url()
    line("edition page, Res. 75 (reader, not logged in)", *timed(reader, edition_url))
    line("edition page, Res. 75 (delegate)", *timed(client, edition_url))

    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    draft_path = f"/live/proposals/{proposal.pk}/draft"

    def cold(url: str) -> tuple[float, int, int]:
        """A version nobody asked for yet: rendered through Django (the context built once per version)."""

        from urllib.parse import parse_qs, urlsplit

        asked = parse_qs(urlsplit(url).query)
        since = int(asked["from"][0]) if "from" in asked else None

        def once():
            # The version's context is built again and the copy rendered again; the fragments of the
            # clauses the save did not touch, and the stamps of earlier versions, are in the cache as
            # they would be on a server that has been serving this draft.
            caching.editor_contexts.clear()
            cache.delete(draft_cache_key(proposal.pk, proposal.version, True, since))
            return client.get(url, HTTP_HX_REQUEST="true")

        with counting() as queries:
            response = once()
        assert response.status_code == 200, response.status_code
        return median_ms(once, 10), queries.count, len(response.content)

    # One save, as another delegate's page learns of it: what it fetches, cold and then from the cache.
    before = proposal.version
    key = str(items[1].provision.key)
    modify_clause(delegate, proposal, key, "the benchmark's text of this clause;", 0)
    proposal.refresh_from_db()
    whole = f"{draft_path}?v={proposal.version}&c={live_pass}"
    line("live draft, whole draft, first asker (Django renders)", *cold(whole))
    client.get(whole, HTTP_HX_REQUEST="true")
    ms, size = wsgi_ms(draft_path, whole.split("?", 1)[1])
    line("live draft, whole draft, every other asker (fast path)", ms, 0, size)
    delta = f"{whole}&from={before}"
    line("live draft, changed clauses only, first asker", *cold(delta))
    client.get(delta, HTTP_HX_REQUEST="true")
    ms, size = wsgi_ms(draft_path, delta.split("?", 1)[1])
    line("live draft, changed clauses only, every other asker", ms, 0, size)

    # Delegates who had another version: the version's context is built already, only their copy renders.
    def warm_context():
        cache.delete(draft_cache_key(proposal.pk, proposal.version, True, before))
        return client.get(delta, HTTP_HX_REQUEST="true")

    warm_context()
    with counting() as queries:
        size = len(warm_context().content)
    line(
        "live draft, changed clauses, the version's context already built",
        median_ms(warm_context, 20),
        queries.count,
        size,
    )
    # An addition relabels the items after it.
    before = proposal.version
    add_clause(delegate, proposal, str(items[2].provision.key), "after", text="an item that relabels;")
    proposal.refresh_from_db()
    query = f"v={proposal.version}&c={live_pass}"
    client.get(f"{draft_path}?{query}&from={before}", HTTP_HX_REQUEST="true")
    size_delta = len(client.get(f"{draft_path}?{query}&from={before}", HTTP_HX_REQUEST="true").content)
    size_whole = len(client.get(f"{draft_path}?{query}", HTTP_HX_REQUEST="true").content)
    print(f"bytes after an addition that relabels: whole draft {size_whole}, changed clauses {size_delta}")


if __name__ == "__main__":
    main()
