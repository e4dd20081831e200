"""Reading the library: list and search, the typeset edition, exports, and constant query counts."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafting.demo.synthetic import synthetic_resolution_text
from drafting.engine.parse import parse_resolution
from drafting.services.library import import_text
from tests.library_factories import RES75, RES1332, import_seed, res75_geneva_2022, seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    res75 = import_seed()
    res1332 = import_seed(RES1332, "Council", "1332")
    return res75, res1332


def test_the_library_lists_resolutions_by_body(client, library):
    html = client.get("/").content.decode()
    assert "World Telecommunication Standardization Assembly" in html
    assert "Resolution 75" in html and "Resolution 1332" in html
    assert 'href="/resolutions/wtsa/75/latest/"' in html


def test_search_by_number(client, library):
    html = client.get("/?q=75").content.decode()
    assert "Resolution 75" in html and "Resolution 1332" not in html


def test_search_by_words_in_the_title(client, library):
    html = client.get("/?q=ITU role in the implementation").content.decode()
    assert "Resolution 1332" in html


def test_search_by_words_in_the_text_links_to_the_clause(client, library):
    html = client.get("/?q=Stocktaking database").content.decode()
    assert "Resolution 1332" in html and "Resolution 75<" not in html
    # The words are found and highlighted on the edition page too (find.js).
    assert "/resolutions/council/1332/edition-1/?find=Stocktaking%20database#resolves-2" in html


def test_a_search_that_finds_nothing_says_so(client, library):
    assert "No resolution matches “zebra crossing”" in client.get("/?q=zebra crossing").content.decode()


def test_the_edition_page_is_typeset_as_itu_prints_it(client, library):
    html = client.get("/resolutions/wtsa/75/hammamet-2016/").content.decode()
    assert "RESOLUTION 75 (Rev.\u00a0Hammamet, 2016)" in html
    assert "(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016)" in html
    assert 'id="considering-further" class="part-heading preamble"' in html
    assert 'id="resolves" class="part-heading operative"' in html
    assert 'id="considering-e-ix" class="item depth-2"' in html
    assert '<span class="label">ix)</span>' in html
    assert html.count('class="item ') == 58


def test_the_council_page_shows_the_footnote_and_the_annex(client, library):
    html = client.get("/resolutions/council/1332/edition-1/").content.decode()
    assert 'href="#fn-1" id="fnref-1"' in html
    assert 'id="fn-1"' in html and "on the basis of reciprocity." in html
    assert 'class="annex-heading"' in html and "Council CWG-WSIS&amp;SDG Terms of Reference" in html
    assert 'id="considering-e-iv-dash2"' in html


def test_the_text_export_prints_the_resolution_and_reads_back_the_same(client, library):
    response = client.get("/resolutions/wtsa/75/hammamet-2016/export.txt?download=1")
    assert response["Content-Type"].startswith("text/plain")
    assert 'attachment; filename="WTSA-res75-hammamet-2016.txt"' == response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("RESOLUTION 75 (Rev.\u00a0Hammamet, 2016)\n")
    assert parse_resolution(text).shape() == parse_resolution(seed(RES75)).shape()


def test_the_json_export_is_the_clause_tree(client, library):
    data = json.loads(client.get("/resolutions/council/1332/edition-1/export.json").content)
    assert data["body"] == "Council" and data["title"].startswith("ITU role")
    considering = data["clauses"][1]
    assert (
        considering["kind"] == "part"
        and considering["heading"] == "considering"
        and considering["role"] == "preamble"
    )
    e = considering["children"][4]
    assert [c["label"] for c in e["children"]] == ["", "", "i)", "ii)", "iii)", "iv)", "", ""]
    assert considering["children"][5]["footnotes"][0]["number"] == 1
    assert data["clauses"][-1]["kind"] == "annex" and data["clauses"][-1]["title"].startswith("Council CWG")


@pytest.mark.parametrize(
    "url",
    [
        "/resolutions/wtsa/76/",
        "/resolutions/wtsa/75/geneva-2099/",
        "/resolutions/itu-x/75/hammamet-2016/",
        "/resolutions/wtsa/75/hammamet-2016/export.pdf",
    ],
)
def test_unknown_things_are_404(client, library, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "There is nothing at this address" in response.content.decode() or url.endswith(".pdf")


def _queries(client, url) -> int:
    from drafting import caching

    caching.clear_all()  # every page reads the library, as the first one after an import does
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_read_a_whole_tree_in_a_constant_number_of_queries(client, library):
    """Res. 75 and a resolution three times its size cost the same number of queries (a query per
    clause or per part shows at any size over one; ten times cost the suite seconds for nothing more)."""
    import_text(res75_geneva_2022(), body_code="WTSA", number="75")
    big = synthetic_resolution_text(3)
    import_text(big, body_code="WTSA", number="903")
    import_text(
        big.replace("Rev. Synthetic, 2003", "Rev. Synthetic, 2004").replace(
            "that ITU has a pivotal role", "that ITU has a key role"
        ),
        body_code="WTSA",
        number="903",
    )
    pairs = [
        ("/resolutions/wtsa/75/hammamet-2016/", "/resolutions/wtsa/903/synthetic-2003/"),
        ("/resolutions/wtsa/75/compare/", "/resolutions/wtsa/903/compare/"),
        (
            "/resolutions/wtsa/75/hammamet-2016/export.json",
            "/resolutions/wtsa/903/synthetic-2003/export.json",
        ),
        ("/api/resolutions/wtsa/75/editions/latest", "/api/resolutions/wtsa/903/editions/latest"),
    ]
    for small, large in pairs:
        assert _queries(client, small) == _queries(client, large), (small, large)
    assert _queries(client, "/resolutions/wtsa/75/hammamet-2016/") <= 6
