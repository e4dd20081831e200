#!/usr/bin/env python3
"""Benchmark the Word files: our export and import times beside the time LibreOffice needs just to open
and convert the same file to PDF, in one run.

    .venv/bin/python scripts/benchmark_word.py                 # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark_word.py

Measures (a) the ATU contribution on Res. 75 with its proposal, tracked; (b) the compilation table and
the consolidated draft of Res. 75 with six groups' proposals (the demo's ATU and CITEL, plus APT, CEPT,
RCC and ASMG with a dozen varied changes each, entered through the drafting services); (c) importing
the ATU .docx into a draft contribution (preview, then preview + save); (d) LibreOffice (soffice
--headless --convert-to pdf, one process per file, a private profile warmed once) on every file.
Prints medians; the machines are shared and noisy, so compare the ratios of one run.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_django  # noqa: E402, F401  (sets Django up, before anything uses it)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from scripts.benchmark_library import median_ms  # noqa: E402

RUNS = 7  # our exports and imports
LO_RUNS = 3  # LibreOffice, a process each
LO_TIMEOUT = 180
OTHER_GROUPS = [("APT", "37"), ("CEPT", "38"), ("RCC", "39"), ("ASMG", "40")]


def _reworded(text: str, code: str, rng: random.Random) -> str:
    """One of a few kinds of edits a delegate makes: a word replaced, words added, words cut, a tail added."""
    words = text.split(" ")
    at = rng.randrange(len(words))
    kind = rng.randrange(4)
    if kind == 0:
        words[at] = f"{code}-revised"
    elif kind == 1:
        words[at:at] = ["in", "particular"]
    elif kind == 2 and len(words) > 6:
        del words[at : at + 2]
    else:
        tail = text[-1] if text[-1] in ";,.:" else ""
        return f"{text.rstrip(';,.:')}, as proposed by {code}{tail}"
    return " ".join(words)


def regional_contributions(res75, conference) -> list[str]:
    """APT, CEPT, RCC and ASMG each submit a MOD on Res. 75 with twelve changes of every kind."""
    from django.contrib.auth.models import User

    from drafting.models import Clause, Proposal, RegionalGroup
    from drafting.services.amendments import add_clause, modify_clause, suppress_clause
    from drafting.services.contributions import add_proposal, create_contribution, submit_contribution

    clauses = list(Clause.objects.filter(edition=res75).select_related("provision").order_by("position"))
    items = [c for c in clauses if c.kind == "item"]
    parts = [c for c in clauses if c.kind == "part"]
    done = []
    for code, number in OTHER_GROUPS:
        rng = random.Random(f"res75-{code}")
        delegate = User.objects.get(username=f"{code.lower()}-delegate")
        contribution = create_contribution(
            delegate,
            conference=conference,
            group=RegionalGroup.objects.get(code=code),
            document_number=number,
            addendum=1,
            title="Proposed modifications to Resolution 75",
            abstract=f"{code} proposes to update Resolution 75 for the WSIS+20 review.",
        )
        proposal = add_proposal(
            delegate,
            contribution,
            action=Proposal.MOD,
            resolution=res75.resolution,
            base_edition=res75,
            reasons=f"{code}: to bring Resolution 75 up to date.",
        )
        chosen = rng.sample(items, 11)
        for clause in chosen[:7]:
            modify_clause(delegate, proposal, str(clause.provision.key), _reworded(clause.text, code, rng), 0)
        for clause, where in zip(chosen[7:9], ("after", "before"), strict=True):
            add_clause(
                delegate,
                proposal,
                str(clause.provision.key),
                where,
                text=f"a new item {code} proposes on the follow-up of the WSIS+20 review;",
            )
        for clause in chosen[9:11]:
            suppress_clause(delegate, proposal, str(clause.provision.key))
        part = rng.choice(parts)
        modify_clause(delegate, proposal, str(part.provision.key), f"{part.heading} also", 0)
        submit_contribution(User.objects.get(username=f"{code.lower()}-coordinator"), contribution)
        done.append(f"{proposal.label} ({proposal.amendments.count()} changes)")
    return done


def soffice_pdf(soffice: str, profile: Path, source: Path, outdir: Path) -> float:
    """ms for one soffice process to open ``source`` and write it as PDF."""
    started = time.perf_counter()
    run = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
        + ["--convert-to", "pdf", "--outdir", str(outdir), str(source)],
        capture_output=True,
        text=True,
        timeout=LO_TIMEOUT,
    )
    ms = (time.perf_counter() - started) * 1000
    if run.returncode != 0 or not (outdir / f"{source.stem}.pdf").exists():
        raise SystemExit(f"soffice failed on {source.name}: {run.stderr}")
    return ms


def main() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice is missing: apt-get install libreoffice-writer-nogui")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from drafting.demo.load import load_demo
    from drafting.models import Consolidation, Contribution, Edition, RegionalGroup
    from drafting.services.consolidation import compile_consolidation
    from drafting.services.contributions import create_contribution
    from drafting.services.exports import render_now
    from drafting.services.word import import_docx_proposal, preview_docx_proposal

    version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"database: {connection.vendor}; {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; {version}")
    load_demo()
    res75 = Edition.objects.get(resolution__body__code="WTSA", resolution__number="75")
    atu = Contribution.objects.get(group__code="ATU", conference__code="WTSA-24")
    print("added: " + "; ".join(regional_contributions(res75, atu.conference)))
    officer = User.objects.get(username="secretariat")
    consolidation = Consolidation.objects.get(conference=atu.conference, resolution=res75.resolution)

    work = Path(tempfile.mkdtemp(prefix="benchmark-word-"))
    files, out = work / "files", work / "pdf"
    files.mkdir()
    exports = [
        ("contribution, ATU on Res. 75, tracked", "contribution", atu, True),
        ("compilation table, Res. 75, 6 groups", "compilation", consolidation, False),
        ("compilation table, Res. 75, 6 groups, tracked", "compilation", consolidation, True),
        ("consolidated draft, Res. 75, 6 groups, tracked", "consolidated", consolidation, True),
    ]
    rows = []  # (what, file, our ms)
    for label, kind, target, tracked in exports:
        filename, data = render_now(officer, kind, target, tracked=tracked)
        path = files / filename
        path.write_bytes(data)
        ms = median_ms(lambda k=kind, t=target, tr=tracked: render_now(officer, k, t, tracked=tr), RUNS)
        rows.append((f"export: {label}", path, ms))
    groups = compile_consolidation(consolidation).groups

    # (c) the ATU file read back into a draft contribution of ATU.
    atu_file = rows[0][1]
    data = atu_file.read_bytes()
    delegate = User.objects.get(username="atu-delegate")
    draft = create_contribution(
        delegate,
        conference=atu.conference,
        group=RegionalGroup.objects.get(code="ATU"),
        document_number="50",
        addendum=None,
        title="Imported proposals",
    )

    def save_once():
        with transaction.atomic():
            import_docx_proposal(delegate, draft, atu_file.name, data, res75)
            transaction.set_rollback(True)

    preview = preview_docx_proposal(atu_file.name, data, res75)
    rows.append(
        (
            f"import: preview of the ATU .docx ({len(preview.amendments)} changes)",
            atu_file,
            median_ms(lambda: preview_docx_proposal(atu_file.name, data, res75), RUNS),
        )
    )
    rows.append(("import: preview + save into a draft contribution", atu_file, median_ms(save_once, RUNS)))

    # (d) LibreOffice on the same files: a fresh profile's first start, then one process per file.
    from docx import Document

    empty = files / "empty.docx"
    Document().save(empty)
    profile = work / "profile"
    cold_ms = soffice_pdf(soffice, profile, atu_file, out)
    lo = {}
    for path in sorted({p for _, p, _ in rows} | {empty}):
        lo[path] = statistics.median(soffice_pdf(soffice, profile, path, out) for _ in range(LO_RUNS))
    start_ms = lo[empty]

    print(
        f"\n## Word files: ours (median of {RUNS}) beside LibreOffice opening the same file and writing a PDF"
        f" (median of {LO_RUNS} soffice processes, warm profile)\n"
    )
    print(
        "| what | file | size | ours ms | LibreOffice ms | LibreOffice − start-up ms | ours / LibreOffice |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, path, ms in rows:
        size = path.stat().st_size / 1024
        print(
            f"| {label} | {path.name} | {size:.0f} KB | {ms:.0f} | {lo[path]:.0f} | {lo[path] - start_ms:.0f}"
            f" | {ms / lo[path]:.2f} |"
        )
    print(
        f"\nLibreOffice start-up: {cold_ms:.0f} ms for the first run with a new profile (converting the ATU file),"
        f" {start_ms:.0f} ms for an empty .docx with the profile warm (median of {LO_RUNS});"
        f" the compilation's groups: {', '.join(groups)}."
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
