"""The edition page is rendered once per state of what it shows: a reader's request costs a few queries,
and every change that shows on it (an edition imported or adopted that cites it or that it cites, a newer
edition of its own, citations stored anew) shows at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from drafting import caching
from drafting.models import Edition
from drafting.models.people import SECRETARIAT
from drafting.services.citations.indexing import rebuild_graph
from drafting.services.library import import_text
from tests.citation_factories import RES30_WTDC, RES140_DUBAI, bodies, seed
from tests.drafting_factories import person

pytestmark = pytest.mark.django_db

RES140_BUCHAREST = (
    RES140_DUBAI.replace("Rev. Dubai, 2018", "Rev. Bucharest, 2022")
    .replace("Dubai, 2018)", "Dubai, 2018; Bucharest, 2022)")
    .replace("(Dubai, 2018),", "(Bucharest, 2022),")
)


def page(url: str, client: Client | None = None) -> str:
    """The page's content (inside <main>: the frame has a nonce and a CSRF token of its own each time)."""
    response = (client or Client()).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def fresh(url: str) -> str:
    """The page as it is drawn with nothing cached."""
    cache.clear()
    caching.editor_contexts.clear()
    return page(url)


def served_is_fresh(url: str) -> str:
    """What the cache serves after warming it is what a fresh rendering shows; returns it."""
    page(url)
    served = page(url)
    assert served == fresh(url)
    return served


@pytest.fixture
def res140():
    bodies()
    return import_text(RES140_DUBAI, body_code="PP").edition


def test_a_readers_request_costs_a_few_queries_and_serves_what_a_fresh_rendering_shows(
    res140, django_assert_max_num_queries
):
    res75 = import_text(seed("wtsa-res75-rev-hammamet-2016.txt"), body_code="WTSA", number="75").edition
    url = res75.get_absolute_url()
    with django_assert_max_num_queries(20) as first:
        page(url)
    # The edition, the library's state and the newest ids of its citations: nothing else.
    with django_assert_max_num_queries(3) as again:
        page(url)
    assert len(again) < len(first) / 2
    served_is_fresh(url)


def test_a_new_text_that_cites_the_edition_shows_in_cited_by(res140):
    url = res140.get_absolute_url()
    assert "WTDC Resolution 30" not in page(url)
    import_text(RES30_WTDC, body_code="WTDC")
    assert "Resolution 30" in served_is_fresh(url).split('id="citations"')[1]


def test_the_text_cited_arriving_later_turns_the_citation_into_a_link(res140):
    res30 = import_text(RES30_WTDC, body_code="WTDC").edition
    url = res30.get_absolute_url()
    res75_link = "/resolutions/wtsa/75/hammamet-2016/"
    assert res75_link not in page(url)
    import_text(seed("wtsa-res75-rev-hammamet-2016.txt"), body_code="WTSA", number="75")
    assert res75_link in served_is_fresh(url)


def test_a_newer_edition_of_the_cited_resolution_says_the_citation_is_not_current(res140):
    res30 = import_text(RES30_WTDC, body_code="WTDC").edition
    url = res30.get_absolute_url()
    assert "not the current edition" not in page(url)
    import_text(RES140_BUCHAREST, body_code="PP")
    assert "not the current edition" in served_is_fresh(url)


def test_a_newer_edition_of_its_own_resolution_shows_in_the_editions_and_says_not_the_latest(res140):
    url = res140.get_absolute_url()
    assert "Not the latest edition" not in page(url)
    import_text(RES140_BUCHAREST, body_code="PP")
    served = served_is_fresh(url)
    assert "Not the latest edition" in served and "Bucharest, 2022" in served
    # The adopted or imported edition's own page is its own.
    newer = Edition.objects.get(resolution=res140.resolution, year=2022)
    assert "Not the latest edition" not in page(newer.get_absolute_url())


def test_citations_stored_anew_are_what_the_page_shows(res140, monkeypatch):
    import_text(RES30_WTDC, body_code="WTDC")
    cited, citing = res140.get_absolute_url(), Edition.objects.get(resolution__number="30").get_absolute_url()
    before = page(cited), page(citing)
    rebuild_graph()
    assert (served_is_fresh(cited), served_is_fresh(citing)) == before
    # A parser that reads fewer citations, and the graph rebuilt with it: the library's editions are
    # the same, the citations stored are not, and both pages say so.
    from drafting.services.citations import indexing as citations

    page(cited), page(citing)  # both in the cache
    real = citations.parser.parse_citations
    monkeypatch.setattr(
        citations.parser,
        "parse_citations",
        lambda text, *a, **k: [c for c in real(text, *a, **k) if c.number != "140"],
    )
    rebuild_graph()
    assert "Resolution 30" not in served_is_fresh(cited).split('id="citations"')[1]
    assert 'href="/resolutions/pp/140/dubai-2018/' not in served_is_fresh(citing)
    assert 'href="/resolutions/pp/140/dubai-2018/' in before[1]


def test_a_deleted_citing_edition_leaves_cited_by(res140):
    res30 = import_text(RES30_WTDC, body_code="WTDC").edition
    url = res140.get_absolute_url()
    assert "Resolution 30" in page(url).split('id="citations"')[1]
    res30.delete()
    assert "Resolution 30" not in served_is_fresh(url).split('id="citations"')[1]


def test_what_every_reader_is_served_holds_nothing_personal(res140):
    officer = person("sabine", SECRETARIAT)
    signed_in = Client()
    signed_in.force_login(officer)
    url = res140.get_absolute_url()
    whole = signed_in.get(url).content.decode()
    assert "sabine" in whole  # the header says who is signed in
    # The same content, cached once, inside each one's own frame.
    assert page(url, signed_in) == page(url)
    assert "sabine" not in page(url) and "csrf" not in page(url).lower()


def test_an_edition_that_does_not_exist_is_404():
    assert Client().get("/resolutions/wtsa/75/nowhere-1999/").status_code == 404
