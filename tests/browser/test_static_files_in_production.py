"""Static files as production serves them (tests/production_server.py: collectstatic, gunicorn, DEBUG
off): names carrying their content's hash, cached for a year as immutable, compressed (Brotli, gzip);
so a page opened again costs no request for them, as Chromium shows."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from tests import production_server

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')
HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js|svg)$")


# For the session, not the module: the suite's order (tests/conftest.py) may put another module's tests
# between this module's, and a module fixture would then collect the static files and start gunicorn twice.
@pytest.fixture(scope="session")
def production(tmp_path_factory):
    server, process = production_server.start(tmp_path_factory.mktemp("production"))
    yield server
    process.terminate()
    process.wait(timeout=30)


def test_a_page_opened_again_fetches_no_static_file(new_page, production):
    page = new_page()
    page.goto(f"{production.url}/accounts/login/", wait_until="networkidle")
    static = [p for p in production.requests_seen() if p.startswith("/static/")]
    assert len([p for p in static if p.endswith((".css", ".js"))]) == 2  # the stylesheet and htmx
    # Opened again, twice: the HTML comes each time, nothing else (the icon is asked for at most
    # once, whenever the browser gets to it).
    page.goto(f"{production.url}/accounts/login/", wait_until="networkidle")
    page.goto(f"{production.url}/accounts/login/?next=/", wait_until="networkidle")
    seen = production.requests_seen()
    assert seen.count("/accounts/login/") == 3
    again = [p for p in seen if p.startswith("/static/")]
    assert len(again) == len(set(again)), again
    assert {p for p in again if p.endswith((".css", ".js"))} == {
        p for p in static if p.endswith((".css", ".js"))
    }


def get(url: str, **headers: str):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def test_production_serves_hashed_names_cached_a_year_as_immutable_and_compressed(production):
    _, _, page = get(f"{production.url}/accounts/login/")
    assets = ASSET.findall(page.decode())
    assert len(assets) == 3, assets  # the icon, the stylesheet, htmx
    for asset in assets:
        assert HASHED.search(asset), f"{asset} has no content hash in its name"
        status, headers, body = get(production.url + asset)
        assert status == 200 and body
        assert "max-age=31536000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
        if not asset.endswith(".svg") or len(body) > 1024:
            for encoding in ("br", "gzip"):
                status, headers, packed = get(production.url + asset, **{"Accept-Encoding": encoding})
                assert headers.get("Content-Encoding") == encoding, asset
                assert len(packed) < len(body)


def test_production_keeps_only_the_hashed_names(production):
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(f"{production.url}/static/drafting/app.css")
    assert refused.value.code == 404
    # And collectstatic left out what no page loads.
    assert not list(production.static_root.glob("django_htmx/htmx-4*"))
    assert not list(production.static_root.glob("ninja/redoc*"))
