"""Stale citations in a list of resolutions sharing one edition, end to end: the report, the preview page,
the drafted MOD amendment with its marks, and the API.

WTDC Resolution 30 recalls "Resolutions 101, 140 and 178 (Rev. Dubai, 2018) of the Plenipotentiary
Conference". A new edition of Resolution 140 alone splits the list; new editions of all three change
the shared edition once.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from lxml import etree

from drafting.models import Conference, Contribution, Proposal
from drafting.models.people import DELEGATES
from drafting.services.amendments import draft_of
from drafting.services.citations import CitationProblem
from drafting.services.citations.updates import draft_update, plan_update
from drafting.services.exports import render_now
from drafting.services.library import import_text
from tests.citation_factories import RES140_DUBAI, library
from tests.drafting_factories import group, person
from tests.test_stale_citations import marked
from tests.word_revisions import ACCEPT, REJECT, Resolved, q

pytestmark = pytest.mark.django_db

LIST_BEFORE = "Resolutions 101, 140 and 178 (Rev. Dubai, 2018) of the Plenipotentiary Conference;"
SPLIT = (
    "Resolutions 101 and 178 (Rev. Dubai, 2018) and Resolution 140 (Rev. Bucharest, 2022) "
    "of the Plenipotentiary Conference;"
)
ALL_MOVED = "Resolutions 101, 140 and 178 (Rev. Bucharest, 2022) of the Plenipotentiary Conference;"


def pp_resolution(number: str, heading: str, history: str) -> str:
    """A short PP resolution as the library imports it: "RESOLUTION 101 (Rev. Dubai, 2018)"."""
    place_year = heading.removeprefix("Rev. ")
    return (
        f"RESOLUTION {number} ({heading})\nInternet Protocol-based networks\n({history})\n"
        f"The Plenipotentiary Conference of the International Telecommunication Union ({place_year}),\n"
        "resolves\n1\tto continue the work.\n"
    )


def newer_140() -> None:
    import_text(
        RES140_DUBAI.replace("(Rev. Dubai, 2018)", "(Rev. Bucharest, 2022)").replace(
            "(Dubai, 2018),", "(Bucharest, 2022),"
        ),
        body_code="PP",
    )


@pytest.fixture
def lists():
    res140, res75, res1332, res30 = library()
    # Resolutions 101 and 178 are in the library at the edition the list cites.
    import_text(pp_resolution("101", "Rev. Dubai, 2018", "Minneapolis, 1998; Dubai, 2018"), body_code="PP")
    import_text(pp_resolution("178", "Dubai, 2018", "Dubai, 2018"), body_code="PP")
    atu = group("ATU", "ATU")
    conference = Conference.objects.create(
        body=res30.resolution.body, code="WTDC-25", place="Baku", year=2025
    )
    contribution = Contribution.objects.create(
        conference=conference, group=atu, document_number="23", addendum=2, title="Citation updates"
    )
    return {
        "res140": res140.resolution,
        "res30": res30,
        "contribution": contribution,
        "delegate": person("atu-delegate", DELEGATES, atu),
    }


def recalling_b_marks(proposal: Proposal):
    """The marks a delegate sees on the drafted amendment of WTDC Res. 30 recalling b)."""
    amendment = proposal.amendments.get(base_clause__anchor="recalling-b")
    draft = draft_of(proposal)
    clause = next(c for c, _ in draft.walk() if c.key == str(amendment.target.key))
    return amendment.text, clause.text_marks()


def test_one_stale_resolution_of_three_splits_the_list_in_the_preview_and_the_drafted_amendment(lists):
    newer_140()
    client = Client()
    client.force_login(lists["delegate"])
    query = (
        f"?cited={lists['res140'].pk}&contribution={lists['contribution'].pk}"
        f"&citing={lists['res30'].resolution_id}"
    )
    html = client.get("/citations/update/" + query).content.decode()
    assert (
        "Resolutions 101[-, 140-] and 178 (Rev. Dubai, 2018) {+and Resolution 140 (Rev. Bucharest, 2022) +}"
        "of the Plenipotentiary Conference;"
    ) in marked(html)
    assert "is left as it is" not in html and not Proposal.objects.exists()

    response = client.post(
        "/citations/update/draft/",
        {
            "cited": lists["res140"].pk,
            "contribution": lists["contribution"].pk,
            "citing": lists["res30"].resolution_id,
        },
    )
    assert response.status_code == 302
    [proposal] = lists["contribution"].proposals.all()
    assert proposal.label == "MOD ATU/23A2/1" and proposal.base_edition == lists["res30"]
    text, marks = recalling_b_marks(proposal)
    assert text == SPLIT
    assert marks == [
        ("equal", "Resolutions 101"),
        ("delete", ", 140"),
        ("equal", " and 178 (Rev. Dubai, 2018) "),
        ("insert", "and Resolution 140 (Rev. Bucharest, 2022) "),
        ("equal", "of the Plenipotentiary Conference;"),
    ]
    # In Word, the marks are tracked changes: accepting them gives the split list, rejecting the list as it was.
    _, data = render_now(lists["delegate"], "contribution", lists["contribution"])
    document = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    paragraph = next(p for p in document.iter(q("p")) if "178 (Rev. Dubai, 2018)" in "".join(p.itertext()))
    assert [d.text for d in paragraph.iter(q("delText"))] == [", 140"]
    assert "".join(t.text for i in paragraph.iter(q("ins")) for t in i.iter(q("t"))) == (
        "and Resolution 140 (Rev. Bucharest, 2022) "
    )
    assert any(line.endswith("\t" + SPLIT) for line in Resolved(data, ACCEPT).lines())
    assert any(line.endswith("\t" + LIST_BEFORE) for line in Resolved(data, REJECT).lines())
    # The saved amendment's citations read each resolution at its intended edition, all of the PP.
    cited = proposal.amendments.get(base_clause__anchor="recalling-b").citations.order_by("order")
    assert [(c.body, c.number, c.place, c.year) for c in cited] == [
        ("PP", "101", "Dubai", 2018),
        ("PP", "178", "Dubai", 2018),
        ("PP", "140", "Bucharest", 2022),
    ]


def test_all_three_stale_change_the_shared_edition_once(lists):
    newer_140()
    import_text(
        pp_resolution("101", "Rev. Bucharest, 2022", "Minneapolis, 1998; Dubai, 2018; Bucharest, 2022"),
        body_code="PP",
    )
    import_text(pp_resolution("178", "Rev. Bucharest, 2022", "Dubai, 2018; Bucharest, 2022"), body_code="PP")
    client = Client()
    client.force_login(lists["delegate"])
    query = (
        f"?cited={lists['res140'].pk}&contribution={lists['contribution'].pk}"
        f"&citing={lists['res30'].resolution_id}"
    )
    html = client.get("/citations/update/" + query).content.decode()
    assert (
        "Resolutions 101, 140 and 178 (Rev. [-Dubai, 2018-]{+Bucharest, 2022+}) of the Plenipotentiary Conference;"
    ) in marked(html)
    # The preview says the others of the list come along, and so does the API.
    api = client.post(
        "/api/citations/update/preview",
        {
            "contribution": lists["contribution"].pk,
            "cited": lists["res140"].pk,
            "citing": [lists["res30"].resolution_id],
        },
        content_type="application/json",
    ).json()
    assert next(c for c in api[0]["changes"] if c["clause"] == "recalling-b")["also"] == [
        "PP Resolution 101 (Rev. Bucharest, 2022)",
        "PP Resolution 178 (Rev. Bucharest, 2022)",
    ]
    assert (
        "PP Resolution 101 (Rev. Bucharest, 2022)" in html
        and "PP Resolution 178 (Rev. Bucharest, 2022)" in html
    )

    client.post(
        "/citations/update/draft/",
        {
            "cited": lists["res140"].pk,
            "contribution": lists["contribution"].pk,
            "citing": lists["res30"].resolution_id,
        },
    )
    [proposal] = lists["contribution"].proposals.all()
    text, marks = recalling_b_marks(proposal)
    assert text == ALL_MOVED
    assert marks == [
        ("equal", "Resolutions 101, 140 and 178 (Rev. "),
        ("delete", "Dubai, 2018"),
        ("insert", "Bucharest, 2022"),
        ("equal", ") of the Plenipotentiary Conference;"),
    ]
    # Drafting the update for Resolution 101 afterwards finds the list done already in this proposal.
    [plan] = plan_update(
        lists["contribution"],
        cited=proposal.amendments.get(base_clause__anchor="recalling-b")
        .citations.get(number="101")
        .cited_resolution,
        citing_ids=[lists["res30"].resolution_id],
    )
    assert plan.changes == []
    assert [why for _, _, why in plan.skipped] == ["the proposal has already changed this citation"]


def test_the_api_previews_and_drafts_the_split_list(lists, client):
    newer_140()
    client.force_login(lists["delegate"])
    body = {
        "contribution": lists["contribution"].pk,
        "cited": lists["res140"].pk,
        "citing": [lists["res30"].resolution_id],
    }
    [plan] = client.post("/api/citations/update/preview", body, content_type="application/json").json()
    change = next(c for c in plan["changes"] if c["clause"] == "recalling-b")
    assert (change["before"], change["after"], change["also"]) == (LIST_BEFORE, SPLIT, [])
    assert plan["skipped"] == []
    drafted = client.post("/api/citations/update", body, content_type="application/json")
    assert drafted.status_code == 201 and drafted.json()["proposals"] == ["MOD ATU/23A2/1"]
    proposal = lists["contribution"].proposals.get()
    assert proposal.amendments.get(base_clause__anchor="recalling-b").text == SPLIT
    with pytest.raises(CitationProblem):
        draft_update(
            lists["delegate"],
            lists["contribution"],
            cited=lists["res140"],
            citing_ids=[lists["res30"].resolution_id],
        )


def test_a_misspelt_venue_shared_by_a_list_is_corrected_once(lists):
    text = (
        "RESOLUTION 64 (Rev. Kigali, 2022)\nA title\n(Kigali, 2022)\n"
        "The World Telecommunication Development Conference (Kigali, 2022),\n"
        "recalling\na)\tResolutions 101, 140 and 178 (Rev.\u00a0Buchrest, 2022) of the Plenipotentiary Conference,\n"
        "resolves\n1\tto act.\n"
    )
    edition = import_text(text, body_code="WTDC").edition
    [plan] = plan_update(lists["contribution"], citing_ids=[edition.resolution_id])
    [change] = plan.changes
    assert change.after == (
        "Resolutions 101, 140 and 178 (Rev.\u00a0Bucharest, 2022) of the Plenipotentiary Conference,"
    )
    assert change.marks == [
        ("equal", "Resolutions 101, 140 and 178 (Rev.\u00a0"),
        ("delete", "Buchrest"),
        ("insert", "Bucharest"),
        ("equal", ", 2022) of the Plenipotentiary Conference,"),
    ]
