#!/usr/bin/env python3
"""Word's Accept All and Reject All on every demo export: how many lines come back as the proposal's
text and as the base text, in our own check and in LibreOffice's.

    .venv/bin/python scripts/word_accept_reject.py             # a throwaway SQLite database
    .venv/bin/python scripts/word_accept_reject.py --no-libreoffice

Our check resolves the revisions of ``word/document.xml`` with lxml (tests/word_revisions.py);
LibreOffice's runs ``.uno:AcceptAllTrackedChanges`` / ``.uno:RejectAllTrackedChanges`` in a headless
macro, saves the result as .docx, and the same reader takes the text. Plain exports (underline and
strikethrough) have no tracked change for LibreOffice to resolve: their LibreOffice column is "–".
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_django  # noqa: E402, F401  (sets Django up, before anything uses it)
from django.core.management import call_command  # noqa: E402


def main() -> None:
    from tests import word_revisions as wr
    from tests.libreoffice_resolve import resolve_with_libreoffice

    call_command("migrate", verbosity=0)
    from drafting.demo.load import load_demo

    load_demo()
    checks = wr.demo_checks()
    lo = {}
    if "--no-libreoffice" not in sys.argv:
        with tempfile.TemporaryDirectory() as work:
            lo = resolve_with_libreoffice({c.name: c.data for c in checks if c.tracked}, Path(work))
    print("| export | accepted = proposal | rejected = base | LibreOffice accepted | LibreOffice rejected |")
    print("|---|---:|---:|---:|---:|")
    for check in checks:
        ours = check.score(check.data)
        theirs = ("–", "–")
        if check.name in lo:
            accepted, rejected = lo[check.name]
            theirs = (check.score_resolved(accepted, wr.ACCEPT), check.score_resolved(rejected, wr.REJECT))
        print(f"| {check.name} | {ours[0]} | {ours[1]} | {theirs[0]} | {theirs[1]} |")


if __name__ == "__main__":
    main()
