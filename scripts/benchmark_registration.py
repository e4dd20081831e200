#!/usr/bin/env python3
"""Time a conference's registration list of 1,000 people: read and preview, then apply; then the same list again.

    .venv/bin/python scripts/benchmark_registration.py                 # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark_registration.py [ROWS]

The goal (issue 19) is a 1,000-row list previewed and applied in at most 5 s. Prints the time and
the SQL statements of each step, for a CSV and an XLSX of the same list; the machines are shared
and noisy, so read the figures of one run together.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_django  # noqa: E402,F401  (sets Django up)
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from drafting.models import Body, Conference, Registration  # noqa: E402
from drafting.reference import GROUPS  # noqa: E402

HEADER = ["Name", "E-mail", "Administration", "Regional group", "Role"]
ROLES = ["delegate"] * 8 + ["coordinator", "observer"]


def people(count: int, start: int = 0) -> list[list[str]]:
    rows = []
    for n in range(start, start + count):
        code = GROUPS[n % len(GROUPS)][0]
        role = ROLES[n % len(ROLES)]
        rows.append(
            [
                f"Delegate {n:04d} Example",
                f"delegate{n:04d}@example.org",
                f"Administration {n % 190}",
                "" if role == "observer" else code,
                role,
            ]
        )
    return rows


def as_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@contextmanager
def measured(label: str, results: list):
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        yield
    results.append((label, (time.perf_counter() - started) * 1000, count[0]))


def run(officer, conference, name: str, data: bytes, results: list) -> None:
    from drafting.services.registration import apply_registration_list, preview, read_registration_list

    with measured(f"{name}: read and preview", results):
        upload = read_registration_list(officer, conference, name, data)
        seen = preview(upload)
    with measured(
        f"{name}: apply ({seen.counts['created']} made, {seen.counts['updated']} updated, {seen.counts['unchanged']} unchanged)",
        results,
    ):
        apply_registration_list(officer, upload.pk, invite=False)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    call_command("migrate", verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    from django.contrib.auth.models import Group

    from drafting.models import RegionalGroup
    from drafting.models.people import ROLES as ROLE_NAMES
    from drafting.models.people import SECRETARIAT

    for role in ROLE_NAMES:
        Group.objects.get_or_create(name=role)
    for code, name, region, prefix in GROUPS:
        RegionalGroup.objects.get_or_create(
            code=code, defaults={"name": name, "region": region, "proposal_prefix": prefix}
        )
    body, _ = Body.objects.get_or_create(code="WTSA", defaults={"name": "WTSA"})
    conference = Conference.objects.create(body=body, code="WTSA-24", place="New Delhi", year=2024)
    officer = User.objects.create_user("bench-officer")
    officer.groups.add(Group.objects.get(name=SECRETARIAT))

    rows = people(count)
    results: list = []
    started = time.perf_counter()
    run(officer, conference, f"{count} rows, CSV, first time", as_csv(rows), results)
    first = (time.perf_counter() - started) * 1000
    run(officer, conference, f"{count} rows, XLSX, the same list again", as_xlsx(rows), results)
    changed = [list(r) for r in rows]
    for row in changed[::10]:
        row[0] += " Jr"
    for row in changed[5::20]:
        row[4] = "coordinator" if row[3] else row[4]
    run(
        officer, conference, f"{count} rows, CSV, one in ten renamed, some promoted", as_csv(changed), results
    )

    print(
        f"database: {connection.vendor}; accounts now {User.objects.count()}, registrations {Registration.objects.count()}"
    )
    print(f"{'step':<80} {'ms':>8} {'queries':>8}")
    for label, ms, queries in results:
        print(f"{label:<80} {ms:>8.0f} {queries:>8}")
    print(f"first list, read + preview + apply: {first / 1000:.2f} s (goal: at most 5 s for 1,000 rows)")


if __name__ == "__main__":
    main()
