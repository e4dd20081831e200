#!/usr/bin/env python3
"""CPU of the editor and the Word export with one clause of the longest length the tool keeps.

    .venv/bin/python scripts/measure_long_clause.py                 # MAX_CLAUSE_CHARS, every shape
    .venv/bin/python scripts/measure_long_clause.py --chars 200000  # another length (saved past the check)

Issue 22: a clause of 1 MB saved in 0.2 s made the next editor load cost 23 s of CPU and the Word export
22 s. A clause is now at most ``drafting.engine.limits.MAX_CLAUSE_CHARS`` characters; this builds
WTSA Res. 75 on a throwaway SQLite database, a MOD proposal whose one amendment rewrites "resolves 1"
as a text of that length in several shapes (words, one long word, spaces, brackets, digits, labels,
citations: the shapes that make patterns backtrack), and measures, each in CPU seconds of this process:
the first editor load after the save (Django's test client, in this process: the state of the version
is built and rendered), a second load (from the caches), and the contribution's Word export with
tracked changes.
"""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
import time
from pathlib import Path

# --against DIR: the same measure with another checkout's code (its bench_django puts it first on the path).
_CODE = (
    Path(sys.argv[sys.argv.index("--against") + 1])
    if "--against" in sys.argv
    else Path(__file__).parent.parent
)
sys.path.insert(0, str(_CODE.resolve() / "scripts"))
import bench_django  # noqa: E402, F401  (sets Django up, before anything uses it)

SHAPES = {
    "words": lambda n, rng: "".join(rng.choice(string.ascii_lowercase + "    ") for _ in range(n)),
    "one word": lambda n, rng: "a" * n,
    "spaces then a letter": lambda n, rng: "a" + " " * (n - 2) + "x",
    "opening brackets": lambda n, rng: "to [" + "[" * (n - 8) + " act",
    "parentheses and digits": lambda n, rng: ("(1" * n)[:n],
    "labels": lambda n, rng: ("a) b) " * n)[:n],
    "citations without an end": lambda n, rng: ("Resolution 71 (Rev. " * n)[:n],
    "semicolons and spaces": lambda n, rng: ("; " * n)[:n],
}


def measure(chars: int, shape: str) -> dict[str, float]:
    from django.test import Client

    from drafting.engine.docx_write import contribution_docx
    from drafting.models import Amendment, Clause
    from drafting.models.people import DELEGATES
    from drafting.services.exports import contribution_document
    from tests.drafting_factories import base_edition, group, mod_proposal, person

    edition = base_edition()
    proposal = mod_proposal(edition, group())
    clause = Clause.objects.filter(edition=edition, kind="item").order_by("position").last()
    text = SHAPES[shape](chars, random.Random(22))
    delegate = person(f"m{time.monotonic_ns()}", DELEGATES, proposal.contribution.group)
    # Written past the services' check, so that lengths beyond the limit can be measured too.
    Amendment.objects.bulk_create(
        [
            Amendment(
                proposal=proposal,
                action="modify",
                target=clause.provision,
                base_clause=clause,
                text=text,
                order=1,
                updated_by=delegate,
            )
        ]
    )
    proposal.version += 1
    proposal.save(update_fields=["version"])
    client = Client()
    client.force_login(delegate)
    found = {}
    started = time.process_time()
    response = client.get(f"/proposals/{proposal.pk}/")
    assert response.status_code == 200, response.status_code
    found["editor load"] = time.process_time() - started
    started = time.process_time()
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 200
    found["editor load again"] = time.process_time() - started
    started = time.process_time()
    contribution_docx(contribution_document(proposal.contribution), tracked=True)
    found["Word export"] = time.process_time() - started
    return found


def main() -> None:
    from django.core.management import call_command

    try:
        from drafting.engine.limits import MAX_CLAUSE_CHARS
    except ImportError:  # a checkout from before the limit
        MAX_CLAUSE_CHARS = 20_000

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=MAX_CLAUSE_CHARS)
    parser.add_argument("--only", default="")
    parser.add_argument("--against", default="", help="another checkout whose code is measured")
    args = parser.parse_args()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)

    print(f"one clause of {args.chars:,} characters; load average {os.getloadavg()[0]:.1f} at the start")
    print("| shape | editor load CPU s | editor load again | Word export CPU s |")
    print("|---|---:|---:|---:|")
    from django.db import transaction

    for shape in SHAPES:
        if args.only and args.only not in shape:
            continue
        with transaction.atomic():
            found = measure(args.chars, shape)
            transaction.set_rollback(True)
        print(f"| {shape} | " + " | ".join(f"{v:.2f}" for v in found.values()) + " |", flush=True)


if __name__ == "__main__":
    main()
