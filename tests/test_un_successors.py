"""UN General Assembly documents replaced by their successors: recorded by an administrator, listed with the
stale citations, and the update drafted changing only the document's symbol.

The library holds no UN texts. PP Res. 140, WTSA Res. 75 and Council Res. 1332 cite A/RES/70/125 (the
WSIS+10 review); once it is recorded as replaced, those citations are ones to update.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from drafting.models import Conference, Contribution, Proposal, UnSupersession
from drafting.models.people import DELEGATES
from drafting.services.citations import CitationProblem
from drafting.services.citations.un_successors import record_supersession
from drafting.services.citations.updates import draft_update
from tests.citation_factories import library
from tests.drafting_factories import group, person
from tests.test_stale_citations import marked

pytestmark = pytest.mark.django_db

CITING = ["WTSA Resolution 75", "PP Resolution 140", "Council Resolution 1332"]


@pytest.fixture
def un():
    res140, res75, res1332, res30 = library()
    atu = group("ATU", "ATU")
    conference = Conference.objects.create(
        body=res75.resolution.body, code="WTSA-24", place="New Delhi", year=2024
    )
    contribution = Contribution.objects.create(
        conference=conference, group=atu, document_number="35", addendum=18, title="Citation updates"
    )
    return {"contribution": contribution, "delegate": person("atu-delegate", DELEGATES, atu), "res75": res75}


def supersede(*args, **options) -> str:
    out = io.StringIO()
    call_command("supersede_un", *args, stdout=out, **options)
    return out.getvalue()


def test_recording_a_successor_lists_the_texts_citing_the_replaced_document(un, client):
    said = supersede("70/125", "A/RES/80/12", note="Replaced by the WSIS+20 review (2025).")
    assert (
        said
        == "A/RES/70/125 is replaced by A/RES/80/12: 7 citations in 3 current texts of the library to update.\n"
    )
    record = UnSupersession.objects.get()
    assert (record.document, record.successor) == ("A/RES/70/125", "A/RES/80/12")
    assert record.history.count() == 1

    html = client.get("/citations/stale/").content.decode()
    assert "UNGA Resolution A/RES/70/125: replaced by A/RES/80/12</h2>" in html
    assert "Replaced by the WSIS+20 review (2025)." in html
    assert '<a class="cite-clause" href="/resolutions/council/1332/edition-1/#recalling-g">' in html
    data = client.get("/api/citations/superseded").json()
    assert [(g["document"], g["successor"]) for g in data] == [("A/RES/70/125", "A/RES/80/12")]
    assert [r["resolution"] for r in data[0]["citing"]] == CITING
    # By its symbol, by its title ("§ 57 of the outcome document of the 2015 high-level meeting ...") and
    # by "§ 65 of that resolution".
    assert [(c["text"][:30], c["pinpoint"]) for c in data[0]["citing"][0]["citations"]] == [
        ("UNGA Resolution\u00a070/125", ""),
        ("outcome document of the 2015 h", "§ 57"),
        ("Resolution 70/125", ""),
        ("§\u00a065 of that resolution", "§ 65"),
    ]


def test_bad_records_are_refused_with_a_clear_message_and_nothing_is_written(un):
    supersede("A/RES/70/125", "A/RES/79/8")
    refused = {
        ("A/RES/70/125",): "Give the replaced document and its successor",
        ("Resolution 140", "A/RES/80/12"): "'Resolution 140' is not a UN General Assembly document symbol",
        ("70/1", "A/RES/70/1"): "A/RES/70/1 cannot replace itself.",
        ("70/125", "80/12"): "A/RES/70/125 is already recorded as replaced by A/RES/79/8",
        ("A/RES/79/8", "A/70/125"): "the two would replace each other",
    }
    for args, message in refused.items():
        with pytest.raises(CommandError, match=message):
            supersede(*args)
    with pytest.raises(CommandError, match="A/RES/70/1 is not recorded as replaced"):
        supersede("70/1", withdraw=True)
    assert list(UnSupersession.objects.values_list("document", "successor")) == [
        ("A/RES/70/125", "A/RES/79/8")
    ]
    # Changing a record is said so; listing and withdrawing work.
    supersede("A/RES/70/125", "A/RES/80/12", replace=True)
    assert supersede(list=True) == "A/RES/70/125 -> A/RES/80/12\n"
    supersede("A/70/125", withdraw=True)
    assert not UnSupersession.objects.exists()


def test_the_update_is_previewed_and_drafted_changing_only_the_symbol(un):
    supersede("A/RES/70/125", "A/RES/80/12")
    client = Client()
    client.force_login(un["delegate"])
    query = f"?un=A/RES/70/125&contribution={un['contribution'].pk}"
    html = client.get("/citations/update/" + query).content.decode()
    assert "Cite UNGA Resolution A/RES/80/12, which replaces A/RES/70/125</h1>" in html
    paragraphs = marked(html)
    assert len(paragraphs) == 4 and "Draft 4 amendments" in html
    assert any(
        p.startswith("UNGA Resolution\u00a0[-70/125-]{+80/12+}, on the outcome document") for p in paragraphs
    )
    assert any(p.startswith("UNGA Resolution A/[-70/125-]{+80/12+} “Outcome Document") for p in paragraphs)
    assert not Proposal.objects.exists()

    response = client.post(
        "/citations/update/draft/", {"un": "A/RES/70/125", "contribution": un["contribution"].pk}
    )
    assert response.status_code == 302
    proposals = list(un["contribution"].proposals.order_by("number"))
    assert [str(p.resolution) for p in proposals] == CITING
    assert {p.reasons for p in proposals} == {
        "To cite UNGA Resolution A/RES/80/12, which replaces UNGA Resolution A/RES/70/125."
    }
    for res75 in proposals[0].amendments.all():
        assert res75.text == res75.base_clause.text.replace("70/125", "80/12")
        # Its saved citations cite the successor now.
        assert "A/RES/80/12" in res75.citations.values_list("number", flat=True)
    again = client.post(
        "/citations/update/draft/", {"un": "A/RES/70/125", "contribution": un["contribution"].pk}
    )
    assert again.status_code == 409 and "There is no citation to update here" in again.content.decode()
    assert un["contribution"].proposals.count() == 3


def test_a_successor_replaced_in_turn_is_followed_to_the_latest(un):
    record_supersession(None, "A/RES/70/125", "A/RES/79/8")
    record_supersession(None, "A/RES/79/8", "A/RES/80/12")
    [proposal] = draft_update(
        un["delegate"],
        un["contribution"],
        un_document="A/RES/70/125",
        citing_ids=[un["res75"].resolution_id],
    )
    texts = [a.text for a in proposal.amendments.order_by("base_clause__position")]
    assert texts[0].startswith("UNGA Resolution\u00a080/12, on the outcome document")
    assert "UNGA, in Resolution 80/12, called" in texts[1]
    with pytest.raises(CitationProblem, match="nothing was drafted"):
        draft_update(un["delegate"], un["contribution"], un_document="A/RES/79/8")


def test_the_api_previews_and_drafts_and_refuses_what_is_not_recorded(un, client):
    supersede("A/RES/70/125", "A/RES/80/12")
    client.force_login(un["delegate"])
    body = {"contribution": un["contribution"].pk, "un": "70/125", "citing": [un["res75"].resolution_id]}
    [plan] = client.post("/api/citations/update/preview", body, content_type="application/json").json()
    assert [c["clause"] for c in plan["changes"]] == ["considering-c", "recognizing-further-h"]
    for change in plan["changes"]:
        assert change["after"] == change["before"].replace("70/125", "80/12")
    drafted = client.post("/api/citations/update", body, content_type="application/json")
    assert drafted.status_code == 201 and drafted.json()["proposals"] == ["MOD ATU/35A18/1"]
    unknown = client.post(
        "/api/citations/update", {**body, "un": "A/RES/70/1"}, content_type="application/json"
    )
    assert unknown.status_code == 404 and unknown.json()["detail"] == "No such replaced UN document."
    both = client.post(
        "/api/citations/update", {**body, "cited": un["res75"].resolution_id}, content_type="application/json"
    )
    assert both.status_code == 400
    assert both.json()["detail"] == "Give the cited resolution or the replaced UN document, not both."
    page = client.get(
        f"/citations/update/?un=70/125&cited={un['res75'].resolution_id}&contribution={un['contribution'].pk}"
    )
    assert page.status_code == 400
    page = client.get(f"/citations/update/?un=A/RES/70/1&contribution={un['contribution'].pk}")
    assert page.status_code == 404
    assert un["contribution"].proposals.count() == 1


def test_the_editors_live_check_says_a_cited_un_document_is_replaced(un):
    from drafting.services.contributions import add_proposal

    supersede("A/RES/70/125", "A/RES/80/12")
    proposal = add_proposal(
        un["delegate"], un["contribution"], action="MOD", resolution=un["res75"].resolution
    )
    client = Client()
    client.force_login(un["delegate"])
    text = "recalling UNGA Resolution 70/125 and UNGA Resolution 70/1;"
    html = client.post(f"/proposals/{proposal.pk}/citations/", {"text": text}).content.decode()
    assert 'UNGA Resolution A/RES/70/125 <span class="cite-note">(replaced by A/RES/80/12)</span>' in html
    assert 'UNGA Resolution A/RES/70/1 <span class="cite-ok">' in html


def test_drafting_for_one_replaced_document_leaves_another_in_the_same_clause(un):
    from drafting.services.citations.updates import plan_update
    from drafting.services.library import import_text

    text = (
        "RESOLUTION 64 (Rev. Kigali, 2022)\nA title\n(Kigali, 2022)\n"
        "The World Telecommunication Development Conference (Kigali, 2022),\n"
        "recalling\na)\tUNGA Resolutions 70/125 and 70/1,\nresolves\n1\tto act.\n"
    )
    edition = import_text(text, body_code="WTDC").edition
    supersede("A/RES/70/125", "A/RES/80/12")
    supersede("A/RES/70/1", "A/RES/80/1")
    [plan] = plan_update(un["contribution"], un_document="A/RES/70/1", citing_ids=[edition.resolution_id])
    assert [c.after for c in plan.changes] == ["UNGA Resolutions 70/125 and 80/1,"]
