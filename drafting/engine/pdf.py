"""A Word document as a PDF, by LibreOffice (headless), for the exports that offer PDF beside .docx.

LibreOffice lays out our .docx as Word would (the ITU header block, footnotes, the compilation's
landscape table, underline and strikethrough), so the PDF is the very document the delegations
exchange, not a second rendering of it. Each process keeps one LibreOffice profile (the first
conversion of a process sets it up, about a second) and converts one file at a time through it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from pathlib import Path

from .said import gettext_noop

# A .docx of ours converts in one to three seconds; a hung LibreOffice must not hold a worker.
TIMEOUT_S = 120
_lock = threading.Lock()
_profile: Path | None = None


class ConversionFailed(Exception):
    """LibreOffice did not make a PDF of the document (missing, failed or timed out)."""


def docx_to_pdf(data: bytes, soffice: str, *, timeout: float = TIMEOUT_S) -> bytes:
    """The PDF of a .docx; ``soffice`` is LibreOffice's program."""
    global _profile
    if not soffice:
        raise ConversionFailed(
            gettext_noop("LibreOffice is not installed on the server: PDF export is not available.")
        )
    with _lock, tempfile.TemporaryDirectory(prefix="drafting-pdf-") as folder:
        if _profile is None or not _profile.exists():
            _profile = Path(tempfile.mkdtemp(prefix="drafting-lo-profile-"))
        source = Path(folder) / "document.docx"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={_profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            folder,
            str(source),
        ]
        try:
            subprocess.run(
                command,
                capture_output=True,
                timeout=timeout,
                check=False,
                env={**os.environ, "HOME": folder},
            )
        except (OSError, subprocess.TimeoutExpired) as problem:
            raise ConversionFailed(
                gettext_noop("LibreOffice could not make the PDF: %(problem)s", problem=str(problem))
            ) from None
        result = Path(folder) / "document.pdf"
        if not result.exists() or result.stat().st_size == 0:
            raise ConversionFailed(gettext_noop("LibreOffice could not make the PDF of this document."))
        return result.read_bytes()
