from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from drafting.services.library_folder import import_folder


class Command(BaseCommand):
    help = (
        "Import every .txt and .docx file of a folder as editions of resolutions, each file in its own "
        "transaction, and report what became of each. The body comes from --body, else from the "
        "enacting formula, else from the file name (wtsa-res75.txt, council-res1332.docx)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--body", default="", help="WTSA, WTDC, PP, RA or Council, for every file")

    def handle(self, *args, folder: Path, body: str, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        started = time.perf_counter()
        reports = import_folder(folder, body=body)
        if not reports:
            raise CommandError(f"{folder} holds no .txt or .docx file.")
        for report in reports:
            if report.ok:
                self.stdout.write(f"created  {report.name}: {report.message}")
            else:
                self.stdout.write(f"FAILED   {report.name}: {report.message}")
        created = sum(r.ok for r in reports)
        failed = len(reports) - created
        self.stdout.write(
            f"{created} created, {failed} failed, {sum(r.citations for r in reports)} citations "
            f"({time.perf_counter() - started:.1f} s)."
        )
        if failed:
            raise CommandError(f"{failed} file{'s' if failed != 1 else ''} not imported: see above.")
