"""Citations in an edition's title and front matter are in the stale report, and references inside a text
naming an item it does not have ("resolves 3 above" with no resolves 3) are flagged wherever citations show."""

from __future__ import annotations

import pytest

from drafting.engine.citations import NO_SUCH_ITEM
from drafting.models import Citation, Conference, Contribution
from drafting.services.citations.stale import dangling_references, stale_citations
from drafting.services.citations.updates import plan_update
from drafting.services.library import import_text
from tests.citation_factories import RES140_DUBAI, bodies
from tests.drafting_factories import group

pytestmark = pytest.mark.django_db

RES88 = """RESOLUTION 88 (Buenos Aires, 2017)
Implementation of Resolution 140 (Rev. Dubai, 2018) of the Plenipotentiary Conference
(Buenos Aires, 2017)
The World Telecommunication Development Conference (Buenos Aires, 2017),
recalling
a)\tResolution 140 (Rev. Dubai, 2018) of the Plenipotentiary Conference,
resolves
1\tto carry out resolves 3 above and Annex 2 to this resolution.
"""

RES140_BUCHAREST = (
    RES140_DUBAI.replace("(Rev. Dubai, 2018)", "(Rev. Bucharest, 2022)")
    .replace("Dubai, 2018)", "Dubai, 2018; Bucharest, 2022)")
    .replace("(Dubai, 2018),", "(Bucharest, 2022),")
)


@pytest.fixture
def library():
    bodies()
    import_text(RES140_DUBAI, body_code="PP")
    res88 = import_text(RES88, body_code="WTDC").edition
    newer = import_text(RES140_BUCHAREST, body_code="PP").edition
    return res88, newer


def test_a_citation_in_the_title_is_listed_first_in_the_stale_report(library):
    res88, newer = library
    assert newer.year == 2022
    (group_,) = stale_citations()
    (citing,) = group_.citing
    assert [(cc.where, [c.text for c in cc.citations]) for cc in citing.clauses] == [
        ("title", ["Resolution 140 (Rev. Dubai, 2018)"]),
        ("recalling a", ["Resolution 140 (Rev. Dubai, 2018)"]),
    ]
    assert group_.citation_count == 2


def test_the_stale_page_and_the_api_list_the_title_citation(library, client):
    res88, _ = library
    html = client.get("/citations/stale/").content.decode()
    section = html[html.index('id="stale-') :]
    assert f'<a class="cite-clause" href="{res88.get_absolute_url()}">Title</a>' in section
    (group_,) = client.get("/api/citations/stale").json()
    sources = [(c["source"], c["clause"], c["outdated"]) for c in group_["citing"][0]["citations"]]
    assert sources == [("title", "", True), ("", "recalling-a", True)]


def test_the_drafted_update_changes_the_clause_and_leaves_the_title_to_the_drafter(library):
    res88, newer = library
    wtdc = res88.resolution.body
    conference = Conference.objects.create(body=wtdc, code="WTDC-25", place="Baku", year=2025)
    contribution = Contribution.objects.create(
        conference=conference, group=group("ATU", "ATU"), document_number="3", title="Citation updates"
    )
    (plan,) = plan_update(contribution, cited=newer.resolution)
    assert [c.after for c in plan.changes] == [
        "Resolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference,"
    ]
    assert [(clause, c.text, why) for clause, c, why in plan.skipped] == [
        (None, "Resolution 140 (Rev. Dubai, 2018)", "it is in the edition's title: edit it by hand")
    ]


def test_a_reference_to_an_item_the_edition_lacks_is_flagged(library, client):
    res88, _ = library
    flagged = Citation.objects.filter(edition=res88, problem=NO_SUCH_ITEM).order_by("order")
    assert [(c.text, c.message) for c in flagged] == [
        ("resolves 3", "this text has no such item"),
        ("Annex 2", "this text has no such item"),
    ]
    # On the edition page, beside the reference; in the stale report and the API, by text.
    html = client.get(res88.get_absolute_url()).content.decode()
    assert html.count('<span class="cite-note">(this text has no such item)</span>') == 2
    (citing,) = dangling_references()
    assert [c.text for cc in citing.clauses for c in cc.citations] == ["resolves 3", "Annex 2"]
    page = client.get("/citations/stale/").content.decode()
    assert "References to items the text does not have" in page
    (api,) = client.get("/api/citations/dangling").json()
    assert [c["text"] for c in api["citations"]] == ["resolves 3", "Annex 2"]
