#!/usr/bin/env python3
"""CPU and peak memory of importing hostile .docx files, each case in a process of its own.

    .venv/bin/python scripts/measure_docx_bomb.py                      # every case, this checkout
    .venv/bin/python scripts/measure_docx_bomb.py --against /work/main # the same files, another checkout's code
    .venv/bin/python scripts/measure_docx_bomb.py --only numbering     # the cases whose name has this
    .venv/bin/python scripts/measure_docx_bomb.py --cpu 30             # stop an import after 30 s of CPU

Each bound of ``drafting.engine.limits`` and ``drafting.engine.docx_package.LIMITS`` has a case built
at the bound (the worst file it still lets through) and, for the findings of issues 11 and 22, the
file that was found. Every file is imported three ways, each in a fresh process: read to text and
parsed (``text``), imported into the library as the secretariat's import page does, saving the
edition when it is accepted (``library``), and previewed as a proposal on WTSA Res. 75 as the
contribution import does (``proposal``), on a throwaway SQLite database. CPU is the process's own
(user and system) time, so a busy machine changes it less than the wall time; peak is the process's
high-water mark of resident memory less its size once Django, the database and the file were ready.
The goal (issue 22) is at most 2 s of CPU and 100 MB for any file.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("text", "library", "proposal")


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def cases() -> dict[str, object]:
    """Each case's builder: a function of the head lines (a library text's or a proposal's) to the file."""
    from drafting.engine import limits
    from drafting.engine.docx_package import LIMITS
    from tests import hostile_docx as h

    lines_at_bound = limits.MAX_DOCUMENT_CHARS // limits.MAX_LINES - 8  # every line, and all the text
    long_items = limits.MAX_DOCUMENT_CHARS // (limits.MAX_CLAUSE_CHARS + 8) - 1
    # The document's elements at the bound: items of one run, three elements each.
    element_items = (LIMITS.max_xml_elements - 200) // 3
    return {
        # Issue 11, refused from the zip directory.
        "issue 11: 20 MB of empty paragraphs in 65 KB": lambda head: h.decompression_bomb(),
        # The findings of issue 22, as the attacker sent them.
        "issue 22: list from 2,000,000,000 in upper roman, 30 items": lambda head: h.numbered_docx(
            30, start="2000000000", fmt="upperRoman", head=head
        ),
        "issue 22: %1 fifty times in lvlText, letters from 1,000,000": lambda head: h.numbered_docx(
            30, start="1000000", fmt="lowerLetter", lvl_text="%1" * 50, head=head
        ),
        "issue 22: 10,000 footnote calls in one paragraph": lambda head: h.footnoted_docx(10_000, head=head),
        "issue 22: 118 parts of 64,000 elements": lambda head: h.many_element_parts(118),
        "issue 22: w:sym w:char=ZZZZ": lambda head: h.symbol_docx("ZZZZ", head=head),
        # At each bound: the most a file can ask for and still be read (or refused by the next bound).
        f"bound: {LIMITS.max_xml_elements:,} elements in document.xml": lambda head: h.lines_docx(
            h.items(element_items, 12), head=head
        ),
        f"bound: {LIMITS.max_total_xml_elements:,} elements in all": lambda head: h.rezip(
            h.lines_docx(h.items(element_items, 12), head=head),
            **{
                f"customXml/item{i + 10}.xml": b"<r>" + b"<a/>" * 19_990 + b"</r>"
                for i in range((LIMITS.max_total_xml_elements - LIMITS.max_xml_elements) // 20_000)
            },
        ),
        f"bound: {limits.MAX_LINES:,} lines, {limits.MAX_DOCUMENT_CHARS:,} characters": lambda head: (
            h.lines_docx(h.items(limits.MAX_LINES - 10, lines_at_bound), head=head)
        ),
        f"bound: clauses of {limits.MAX_CLAUSE_CHARS:,} characters up to {limits.MAX_DOCUMENT_CHARS:,}": (
            lambda head: h.lines_docx(h.items(long_items, limits.MAX_CLAUSE_CHARS - 8), head=head)
        ),
        f"bound: one clause of {limits.MAX_CLAUSE_CHARS:,} characters": lambda head: h.lines_docx(
            h.items(1, limits.MAX_CLAUSE_CHARS - 8), head=head
        ),
        f"bound: {limits.MAX_NOTES_PER_PARAGRAPH} footnote calls a paragraph, long notes": (
            lambda head: h.footnoted_docx(
                limits.MAX_NOTES_PER_PARAGRAPH, paragraphs=40, note_chars=2000, head=head
            )
        ),
        f"bound: {limits.MAX_FOOTNOTES} custom footnote marks, {limits.MAX_NOTES_PER_PARAGRAPH} a paragraph": (
            lambda head: h.footnoted_docx(
                limits.MAX_NOTES_PER_PARAGRAPH,
                paragraphs=limits.MAX_FOOTNOTES // limits.MAX_NOTES_PER_PARAGRAPH,
                custom=True,
                head=head,
            )
        ),
        f"bound: lists from {limits.MAX_LIST_START:,}, {limits.MAX_LEVEL_TEXT}-character patterns": (
            lambda head: h.numbered_docx(
                20_000,
                start=str(limits.MAX_LIST_START),
                lvl_text="%1" * (limits.MAX_LEVEL_TEXT // 2),
                head=head,
            )
        ),
        f"bound: {LIMITS.max_entries} parts": lambda head: h.rezip(
            h.lines_docx(h.items(60, 200), head=head),
            **{f"customXml/item{i + 10}.xml": b"<r/>" for i in range(LIMITS.max_entries - 20)},
        ),
    }


def build_files(folder: Path, only: str) -> list[tuple[str, str, Path]]:
    """(case, mode, file) for every case and mode, the files written before any measuring process starts."""
    sys.path.insert(0, str(ROOT))
    from tests import hostile_docx as h

    found = []
    for i, (case, make) in enumerate(cases().items()):
        if only and only not in case:
            continue
        library = folder / f"case{i}-library.docx"
        library.write_bytes(make(h.LIBRARY_HEAD))
        proposal = folder / f"case{i}-proposal.docx"
        proposal.write_bytes(make(h.PROPOSAL_HEAD))
        found += [(case, "text", library), (case, "library", library), (case, "proposal", proposal)]
    return found


class _OutOfCpu(Exception):
    pass


def _stop(signum, frame):
    raise _OutOfCpu


def run_case(mode: str, path: str, cpu_budget: float = 60.0) -> dict:
    """Import the file one way, in this process; the code is whichever checkout is first on sys.path.
    The import is stopped after ``cpu_budget`` seconds of CPU (counted from when it starts: the set-up
    of Django and the database is not counted, however loaded the machine)."""
    sys.path.insert(0, os.getcwd())
    sys.path.insert(1, str(Path(os.getcwd()) / "scripts"))
    import bench_django  # noqa: F401  (Django on a throwaway SQLite database)
    from django.core.management import call_command

    from drafting.engine.docx_text import docx_to_text
    from drafting.engine.parse import parse_resolution

    data = Path(path).read_bytes()
    call_command("migrate", verbosity=0)
    if mode == "proposal":
        from drafting.services.word import preview_docx_proposal
        from tests.drafting_factories import base_edition

        edition = base_edition()

        def work():
            preview_docx_proposal("worst.docx", data, edition)

    elif mode == "library":
        from drafting.models import Body
        from drafting.services.library import import_edition, parse_text, read_upload

        Body.objects.get_or_create(code="WTSA", defaults={"name": "WTSA"})

        def work():
            import_edition(parse_text(read_upload("worst.docx", data)), body_code="WTSA", number="75")

    else:

        def work():
            parse_resolution(docx_to_text(data))

    before = _rss_mb("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    signal.signal(signal.SIGXCPU, _stop)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(cpu + cpu_budget), hard))
    outcome = "accepted"
    try:
        work()
    except _OutOfCpu:
        outcome = f"stopped after {cpu_budget:.0f} s of CPU"
    except Exception as e:  # any refusal is an outcome to report; a crash is one too
        outcome = f"{type(e).__name__}: {str(e)[:110]}"
    return {
        "cpu": round(time.process_time() - cpu, 2),
        "wall": round(time.perf_counter() - started, 2),
        "peak": round(_rss_mb("VmHWM") - before, 1),
        "outcome": outcome,
    }


def main() -> None:
    if len(sys.argv) >= 4 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2], sys.argv[3], *map(float, sys.argv[4:5]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default=str(ROOT), help="the checkout whose code imports the files")
    parser.add_argument("--only", default="", help="only the cases whose name holds this")
    parser.add_argument("--cpu", type=float, default=60.0, help="CPU seconds before an import is stopped")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"code: {args.against}; load average {load:.1f} on {os.cpu_count()} cores at the start")
    with tempfile.TemporaryDirectory() as folder:
        runs = build_files(Path(folder), args.only)
        print(
            "| case | KB | text: CPU s / MB | library: CPU s / MB | proposal: CPU s / MB | outcome (library) |"
        )
        print("|---|---:|---:|---:|---:|---|")
        rows: dict[str, dict] = {}
        for case, mode, path in runs:
            try:
                out = subprocess.run(
                    [sys.executable, __file__, "--case", mode, str(path), str(args.cpu)],
                    capture_output=True,
                    text=True,
                    cwd=args.against,
                    env={**os.environ, "PYTHONPATH": args.against},
                    timeout=args.cpu * 20 + 600,  # the set-up on a loaded machine, and the import
                )
                result = (
                    json.loads(out.stdout.strip().splitlines()[-1])
                    if out.returncode == 0
                    else {"cpu": "–", "peak": "–", "outcome": "crashed: " + out.stderr.strip()[-150:]}
                )
            except subprocess.TimeoutExpired:
                result = {"cpu": "–", "peak": "–", "outcome": "the process did not finish"}
            if result["outcome"].startswith("stopped after"):
                result["cpu"] = f">{args.cpu:.0f}"
            row = rows.setdefault(case, {"KB": round(path.stat().st_size / 1024)})
            row[mode] = result
            if len(row) == 1 + len(MODES):
                cells = [f"{row[m]['cpu']} / {row[m]['peak']}" for m in MODES]
                outcome = row["library"]["outcome"].replace("|", "/")
                print(f"| {case} | {row['KB']} | " + " | ".join(cells) + f" | {outcome} |", flush=True)


if __name__ == "__main__":
    main()
