from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from drafting.services.library import ImportProblem, import_edition, parse_text, read_upload


class Command(BaseCommand):
    help = "Import one edition of a resolution from a .txt (UTF-8) or .docx file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--body", required=True, help="WTSA, WTDC, PP, RA or Council")
        parser.add_argument("--number", default="", help="Needed when the text has no RESOLUTION line")

    def handle(self, *args, file: Path, body: str, number: str, **options):
        started = time.perf_counter()
        try:
            data = file.read_bytes()
        except OSError as e:
            raise CommandError(f"Cannot read {file}: {e.strerror}.") from None
        try:
            parsed = parse_text(read_upload(file.name, data))
            summary = import_edition(parsed, body_code=body, number=number, source_name=file.name)
        except ImportProblem as problem:
            raise CommandError(problem.message) from None
        edition = summary.edition
        for line in parsed.unplaced:
            self.stderr.write(f"warning: line not placed: {line[:120]}")
        self.stdout.write(
            f"Created {edition.resolution} ({edition.name}), edition {edition.slug}: "
            f"{summary.parts} parts, {summary.items} items, {summary.annexes} annexes, "
            f"{summary.footnotes} footnotes; {summary.carried_over} clauses carried over from the previous "
            f"edition; {len(parsed.skipped)} lines of front matter skipped "
            f"({time.perf_counter() - started:.2f} s)."
        )
