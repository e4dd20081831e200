#!/usr/bin/env python3
"""Peak memory and time of the importers on hostile .docx files, each case in a process of its own.

    .venv/bin/python scripts/measure_docx_bomb.py

Cases: the decompression bomb of issue 11 (20 MB of empty paragraphs in 65 KB), a bomb filling the
upload limit, and the worst file every limit still lets through (``tests/hostile_docx.worst_allowed``),
read to text and parsed, and previewed as a proposal on Res. 75 (a throwaway SQLite database).
Peak memory is the process's high-water mark less its size once Django and the case's file are ready.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = [
    "issue-11 bomb",
    "bomb at the upload limit",
    "worst allowed: text",
    "worst allowed: proposal preview",
]


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def build_files(folder: Path) -> dict[str, Path]:
    """Each case's file, written before any measuring process starts."""
    sys.path.insert(0, str(ROOT))
    from drafting.engine.docx_package import LIMITS
    from tests import hostile_docx

    files = {case: folder / f"case{i}.docx" for i, case in enumerate(CASES)}
    files[CASES[0]].write_bytes(hostile_docx.decompression_bomb())
    # Just under the 5 MB upload limit of compressed empty paragraphs: about 5 GB inflated.
    hostile_docx.streamed_bomb(files[CASES[1]], 5 * 1024 * 1024 - 64 * 1024)
    worst = hostile_docx.worst_allowed(LIMITS)
    files[CASES[2]].write_bytes(worst)
    files[CASES[3]].write_bytes(worst)
    return files


def run_case(case: str, path: str) -> dict:
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench_django  # noqa: F401  (Django on a throwaway SQLite database)

    from drafting.engine.docx_text import docx_to_text
    from drafting.engine.parse import ParseError, parse_resolution

    data = Path(path).read_bytes()
    preview = None
    if case.endswith("proposal preview"):
        from django.core.management import call_command

        from drafting.services.word import preview_docx_proposal
        from tests.drafting_factories import base_edition

        call_command("migrate", verbosity=0)
        edition = base_edition()

        def preview():
            return preview_docx_proposal("worst.docx", data, edition)

    before = _rss_mb("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    outcome = "accepted"
    try:
        if preview is not None:
            preview()
        else:
            parse_resolution(docx_to_text(data))
    except (ParseError, Exception) as e:  # noqa: B014  (any refusal is an outcome to report)
        outcome = f"{type(e).__name__}: {str(e)[:90]}"
    return {
        "case": case,
        "file KB": round(len(data) / 1024),
        "seconds": round(time.perf_counter() - started, 2),
        "cpu seconds": round(time.process_time() - cpu, 2),
        "peak MB above start": round(_rss_mb("VmHWM") - before, 1),
        "outcome": outcome,
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2], sys.argv[3])))
        return
    with tempfile.TemporaryDirectory() as folder:
        files = build_files(Path(folder))
        print("| case | file KB | seconds | CPU seconds | peak MB above start | outcome |")
        print("|---|---:|---:|---:|---:|---|")
        for case in CASES:
            out = subprocess.run(
                [sys.executable, __file__, "--case", case, str(files[case])],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=os.environ,
            )
            if out.returncode:
                print(case, "failed:", out.stderr[-2000:])
                continue
            row = json.loads(out.stdout.strip().splitlines()[-1])
            print("| " + " | ".join(str(v) for v in row.values()) + " |")


if __name__ == "__main__":
    main()
