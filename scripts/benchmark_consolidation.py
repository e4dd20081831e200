#!/usr/bin/env python3
"""Benchmark consolidation: the merge engine on a whole resolution (about 150 clauses, 6 groups), and the
consolidated view for Res. 75 with 6 groups' proposals beside the plain edition page, in one run.

    .venv/bin/python scripts/benchmark_consolidation.py                 # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark_consolidation.py
"""

from __future__ import annotations

import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_django  # noqa: E402, F401  (sets Django up, before anything uses it)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from scripts.benchmark_library import median_ms, page  # noqa: E402


def engine_figure() -> None:
    from drafting.demo.synthetic import synthetic_resolution_text
    from drafting.engine.amend import MODIFY, Amendment, apply_amendments
    from drafting.engine.consolidate import consolidate, counts
    from drafting.engine.parse import parse_resolution

    base = parse_resolution(synthetic_resolution_text(2))  # 140 clauses
    for clause, _ in base.walk():
        clause.key = str(uuid.uuid4())
    items = [c for c, _ in base.walk() if c.kind == "item"]
    rng = random.Random(75)
    drafts = {}
    for group in ("ATU", "CITEL", "RCC", "APT", "CEPT", "ASMG"):
        amendments = []
        for clause in rng.sample(items, 25):
            words = clause.text.split(" ")
            at = rng.randrange(len(words))
            words[at] = f"{group.lower()}-{words[at]}"
            amendments.append(Amendment(MODIFY, clause.key, text=" ".join(words)))
        drafts[group] = apply_amendments(base, amendments)
    rows = consolidate(base, drafts)
    ms = median_ms(lambda: consolidate(base, drafts), 9)
    print(
        f"merge engine: {sum(1 for _ in base.walk())} clauses, 6 groups x 25 changes: {ms:.1f} ms (median of 9); {counts(rows)}"
    )


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from drafting.demo.load import load_demo
    from drafting.demo.synthetic import synthetic_proposals
    from drafting.models import Conference, Edition
    from drafting.services.consolidation import open_consolidation

    print(f"database: {connection.vendor}; {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}")
    engine_figure()
    load_demo()
    res75 = Edition.objects.get(resolution__body__code="WTSA", resolution__number="75", slug="hammamet-2016")
    conference = Conference.objects.create(
        body=res75.resolution.body, code="WTSA-28", place="Bench", year=2028
    )
    synthetic_proposals(res75, conference, tag="bench")
    officer = User.objects.get(username="secretariat")
    consolidation = open_consolidation(officer, conference, res75.resolution)
    client = Client()
    client.force_login(officer)
    edition_ms, edition_q = page(client, res75.get_absolute_url())
    view_ms, view_q = page(client, consolidation.get_absolute_url())
    draft_ms, draft_q = page(client, f"/consolidations/{consolidation.pk}/draft/")
    demo_ms, demo_q = page(
        client, Conference.objects.get(code="WTSA-24").consolidations.get().get_absolute_url()
    )
    print(f"{'page':52} {'ms':>7} {'queries':>8}")
    print(f"{'edition page, Res. 75':52} {edition_ms:7.1f} {edition_q:8}")
    print(f"{'consolidated view, Res. 75, 6 groups':52} {view_ms:7.1f} {view_q:8}")
    print(f"{'consolidated draft, Res. 75, 6 groups':52} {draft_ms:7.1f} {draft_q:8}")
    print(f"{'consolidated view, Res. 75, 2 groups (the demo)':52} {demo_ms:7.1f} {demo_q:8}")
    print(f"ratio consolidated view / edition page: {view_ms / edition_ms:.1f}x")


if __name__ == "__main__":
    main()
