"""After a load run: no lost work. Every clause save that got 200 is in the database, as
one version each; every save that lost a race (409) is not; and the run had no errors.

    python -m scripts.loadtest.check RECORD.json      (exit status 1 on any failure)
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path


def check(record: dict) -> list[str]:
    from drafting.models import Amendment, Provision

    problems = []
    by_clause = defaultdict(list)
    for outcome in record["outcomes"]:
        by_clause[(outcome["proposal"], outcome["key"])].append(outcome)
    provisions = dict(Provision.objects.filter(key__in={k for _, k in by_clause}).values_list("key", "pk"))
    for (proposal, key), outcomes in by_clause.items():
        target = provisions.get(__import__("uuid").UUID(key))
        saved_texts = set(
            Amendment.history.filter(proposal_id=proposal, target_id=target).values_list("text", flat=True)
        )
        ok = [o for o in outcomes if o["status"] == 200]
        for o in outcomes:
            if o["status"] == 200 and o["text"] not in saved_texts:
                problems.append(f"lost: {o['text']!r} got 200 but is not in clause {key}'s history")
            if o["status"] == 409 and o["text"] in saved_texts:
                problems.append(f"a 409 was saved anyway: {o['text']!r}")
            if o["status"] not in (200, 409, None):
                problems.append(f"a save answered {o['status']}: {o['text']!r}")
        # A save whose answer never arrived (a timeout, counted as an error; or one the run's end cut
        # off, status None) may or may not be in.
        unknown = sum(1 for o in outcomes if o["status"] not in (200, 409))
        current = Amendment.objects.filter(proposal_id=proposal, target_id=target, action="modify").first()
        version = current.version if current else 0
        if ok and not (len(ok) <= version <= len(ok) + unknown):
            problems.append(
                f"clause {key} of proposal {proposal}: {len(ok)} saves got 200 but it is at version {version}"
            )
    for name, count in record.get("errors", {}).items():
        problems.append(f"{count} errors on {name}")
    return problems


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drafting.settings")
    import django

    django.setup()
    record = json.loads(Path(sys.argv[1]).read_text())
    problems = check(record)
    saves = record["outcomes"]
    cut = sum(o["status"] is None for o in saves)
    print(
        f"no lost work: {sum(o['status'] == 200 for o in saves)} saves with 200 all in the database, "
        f"{sum(o['status'] == 409 for o in saves)} with 409 none"
        + (f" ({cut} cut off by the end of the run, their answers never read)" if cut else "")
        if not problems
        else "PROBLEMS:\n  " + "\n  ".join(problems[:50])
    )
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
