"""Print the meeting room's pages to PDF in Chromium, as a person's Print would, and say how many A4
pages each takes and whether any control of the screen (a button, a form, the menu) got onto paper.

    .venv/bin/python scripts/print_pages.py http://127.0.0.1:8000 [--keep DIR]

The server must hold the demo data (``manage.py load_demo``; the password of its logins is
``drafting-demo``). Uses Debian's Chromium (/usr/bin/chromium) and poppler-utils (pdfinfo, pdftotext).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "drafting-demo"
# Words of the screen's controls that must never be on paper.
CONTROLS = [
    "Log out",
    "API tokens",
    "Save the decision",
    "Keyboard shortcuts",
    "Export to Word",
    "Settle several rows",
    "Go to the changes",
    "Find and replace",
    "Preview",
    "History & comments",
    "Skip to content",
    "OpenAPI schema",
]


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--keep", type=Path, help="keep the PDFs in this folder")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="print-pages-"))
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        officer = browser.new_context().new_page()
        log_in(officer, base, "secretariat")
        delegate = browser.new_context().new_page()
        log_in(delegate, base, "rcc-delegate")
        # The pages, found from the demo's consolidation and the RCC draft.
        officer.goto(f"{base}/consolidations/")
        href = officer.locator(
            "main a[href^='/consolidations/']", has_text="synoptic view"
        ).first.get_attribute("href")
        # A delegate lands on the group's draft contribution: its MOD proposal's editor.
        draft = delegate.locator("main a[href^='/proposals/']", has_text="MOD").first.get_attribute("href")
        targets = [
            ("edition, Res. 75", officer, "/resolutions/wtsa/75/hammamet-2016/"),
            ("proposal editor, RCC draft", delegate, draft),
            ("consolidated draft, Res. 75", officer, f"{href}draft/"),
            ("synoptic view, Res. 75", officer, href),
        ]
        print(f"{'page':32} {'A4 pages':>8}  controls on paper")
        for name, page, url in targets:
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            out = folder / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".pdf")
            page.pdf(path=str(out), format="A4", prefer_css_page_size=True)
            found = [c for c in CONTROLS if c in text(out)]
            print(f"{name:32} {pages(out):>8}  {', '.join(found) or 'none'}")
        browser.close()
    print(f"PDFs in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
