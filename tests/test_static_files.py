"""Each page loads only the few static files it runs, each once (production serves them hashed, compressed
and immutable: tests/browser/test_static_files_in_production.py)."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.test import Client

from drafting.models import Consolidation, Proposal

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def _assets(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [a.rsplit("/", 1)[1] for a in ASSET.findall(response.content.decode())]


COMMON = ["favicon.svg", "app.css", "htmx-2.min.js"]
# A person logged in: the live channel, the bell that follows theirs, and what brings a form they open
# into view, on every page.
LOGGED_IN = [*COMMON, "live.js", "bell.js", "reveal.js"]


def test_each_page_loads_only_the_files_it_runs_once(demo_db, db):
    delegate, officer = Client(), Client()
    delegate.force_login(User.objects.get(username="rcc-delegate"))
    officer.force_login(User.objects.get(username="secretariat"))
    draft = Proposal.objects.filter(contribution__group__code="RCC").exclude(base_edition=None).first()
    consolidation = Consolidation.objects.first()
    pages = {
        "/accounts/login/": COMMON,
        "/": COMMON,
        "/?q=75": COMMON,
        draft.base_edition.get_absolute_url(): [*COMMON, "find.js"],
        "/contributions/": LOGGED_IN,
        # The editor and the synoptic view drive the room's projector (projector.js); the editor's marks
        # are drawn by marks.js, which the projector's screen shares.
        f"/proposals/{draft.pk}/": [
            *LOGGED_IN,
            "find.js",
            "shortcuts.js",
            "marks.js",
            "editor.js",
            "projector.js",
        ],
        f"/consolidations/{consolidation.pk}/": [
            *LOGGED_IN,
            "find.js",
            "shortcuts.js",
            "consolidation.js",
            "projector.js",
        ],  # fmt: skip
    }
    loaded = {}
    for url in pages:
        client = Client() if url.startswith(("/accounts", "/?", "/resolutions")) or url == "/" else delegate
        if url.startswith("/consolidations/"):
            client = officer
        loaded[url] = _assets(client, url)
        assert len(set(loaded[url])) == len(loaded[url]), f"{url} loads a file twice: {loaded[url]}"
    assert {url: sorted(files) for url, files in loaded.items()} == {
        url: sorted(files) for url, files in pages.items()
    }
