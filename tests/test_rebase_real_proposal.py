"""CITEL's real proposal, written against Res. 75 (Rev. Dubai, 2012), carried onto Rev. Hammamet, 2016.

Dubai 2012 is rebuilt from the CITEL seed and imported beside the demo's Hammamet 2016 (an older
edition after a newer one); CITEL's changes are entered clause by clause through the JSON API, as a
delegate's script would; then the group previews the rebase and carries its draft over, through the
API and on the proposal page. Nothing is dropped, doubled or blended.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from drafting.demo import citel
from drafting.engine.amend import ADD, MODIFY
from drafting.engine.derive import derive_amendments
from drafting.engine.parse import parse_resolution
from drafting.models import Conference, Edition, Proposal, RegionalGroup
from drafting.reading import edition_tree

pytestmark = pytest.mark.django_db

STATES = {"clean", "rebased", "already", "conflict"}


def _api(client: Client, method: str, url: str, body: dict | None = None):
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")
    assert response.status_code in (200, 201), (url, response.status_code, response.content[:400])
    return response.json()


@pytest.fixture
def dubai(demo_db):
    """Dubai 2012 in the library beside Hammamet 2016, imported after it."""
    from drafting.services.library import import_text

    hammamet = Edition.objects.get(
        resolution__body__code="WTSA", resolution__number="75", slug="hammamet-2016"
    )
    edition = import_text(citel.base_text(), body_code="WTSA", number="75", source_name="citel seed").edition
    return edition, hammamet


@pytest.fixture
def citel_draft(dubai):
    """CITEL's draft proposal on Dubai 2012, entered clause by clause through the API."""
    dubai, hammamet = dubai
    Conference.objects.get_or_create(
        code="WTSA-16", defaults={"body": hammamet.resolution.body, "place": "Hammamet", "year": 2016}
    )
    delegate = User.objects.get(username="citel-delegate")
    client = Client()
    client.force_login(delegate)
    contribution = _api(
        client,
        "post",
        "/api/contributions",
        {"conference": "WTSA-16", "group": "CITEL", "document_number": "42", "title": "Resolution 75"},
    )
    summary = _api(
        client,
        "post",
        f"/api/contributions/{contribution['id']}/proposals",
        {"action": "MOD", "body": "WTSA", "number": "75", "edition": "dubai-2012"},
    )
    pk = summary["id"]
    keys: dict[str, str] = {}
    for a in derive_amendments(edition_tree(dubai), parse_resolution(citel.proposed_text())):
        target = keys.get(a.target, a.target)
        if a.action == MODIFY:
            _api(
                client,
                "put",
                f"/api/proposals/{pk}/clauses/{target}",
                {"text": a.heading or a.text, "version": 0},
            )
        elif a.action == ADD:
            before = {c["key"] for c in _api(client, "get", f"/api/proposals/{pk}")["clauses"]}
            after = _api(
                client,
                "post",
                f"/api/proposals/{pk}/clauses/{target}/additions",
                {
                    "position": a.position,
                    "kind": a.kind,
                    "text": a.text,
                    "heading": a.heading,
                    "label": a.label,
                    "numbering": "renumber",
                },
            )
            (keys[a.key],) = {c["key"] for c in after["clauses"]} - before
        else:
            _api(client, "post", f"/api/proposals/{pk}/clauses/{target}/suppression")
    assert RegionalGroup.objects.get(code="CITEL").members.filter(pk=delegate.pk).exists()
    return client, Proposal.objects.get(pk=pk), dubai, hammamet


def test_dubai_imported_after_hammamet_shares_its_provisions_as_a_reader_pairs_them(dubai):
    dubai, hammamet = dubai
    provision = {c.anchor: c.provision_id for c in hammamet.clauses.all()}
    of_dubai = {c.anchor: c.provision_id for c in dubai.clauses.all()}
    assert of_dubai["considering-b-vi"] == provision["considering-e-viii"]  # Resolution 140
    assert of_dubai["considering-b-viii"] not in provision.values()  # Resolution 172
    assert of_dubai["recognizing-a"] == provision["recognizing-further-a"]  # moved
    assert of_dubai["invites-member-states-p1"] == provision["invites-member-states-p1"]  # reworded, alone


def test_citels_draft_previewed_carried_over_and_settled(citel_draft):
    client, proposal, dubai, hammamet = citel_draft
    assert proposal.base_edition == dubai
    _the_preview_gives_every_change_a_fate_and_every_conflict_its_three_wordings(client, proposal)
    _carrying_the_draft_over_drops_doubles_and_blends_nothing(client, proposal, hammamet)
    _what_the_rebase_left_to_settle_stays_listed_until_settled(client, proposal)


def _the_preview_gives_every_change_a_fate_and_every_conflict_its_three_wordings(client, proposal):
    preview = _api(client, "get", f"/api/proposals/{proposal.pk}/rebase")
    assert preview["onto"]["slug"] == "hammamet-2016" and not preview["applied"]
    assert len(preview["changes"]) == proposal.amendments.count()
    assert {c["state"] for c in preview["changes"]} <= STATES
    conflicts = [c for c in preview["changes"] if c["state"] == "conflict"]
    assert conflicts and preview["counts"]["conflict"] == len(conflicts)
    for c in conflicts:
        assert c["carried_as"] is not None and (c["proposal"] or c["action"] == "suppress")
        assert c["base"] or c["edition"]
    study_groups = next(c for c in conflicts if "study groups should consider" in c["proposal"])
    assert study_groups["proposal"].endswith("the output of CWG-Internet,")
    assert "WG‑WSIS and CWG‑Internet" in study_groups["edition"]
    assert study_groups["base"].endswith("Internet-related public policy issues,")
    # The page shows the same, with the three wordings.
    html = client.get(f"/proposals/{proposal.pk}/").content.decode().replace("\u00a0", " ")
    assert "A newer edition: Rev. Hammamet, 2016" in html
    assert html.count('class="rebase-conflict"') == len(conflicts)
    assert "Your proposal" in html and "<dt>Rev. Dubai, 2012</dt>" in html


def _carrying_the_draft_over_drops_doubles_and_blends_nothing(client, proposal, hammamet):
    before = proposal.amendments.count()
    result = _api(
        client,
        "post",
        f"/api/proposals/{proposal.pk}/rebase",
        {"edition": "WTSA/75/hammamet-2016", "version": proposal.version},
    )
    assert result["applied"] and result["base_edition"]["slug"] == "hammamet-2016"
    already = result["counts"].get("already", 0)
    proposal.refresh_from_db()
    assert proposal.base_edition == hammamet
    assert proposal.amendments.count() == before - already
    draft = _api(client, "get", f"/api/proposals/{proposal.pk}")
    assert draft["problems"] == []
    live = [c for c in draft["clauses"] if c["status"] != "suppressed"]
    headings = [c["heading"] for c in live if c["kind"] == "part"]
    assert headings.count("recognizing further") == 1 and headings.count("invites all stakeholders") == 1
    texts = [
        c["text"].replace("\u2011", "-").replace("\u00a0", " ").rstrip(",;.")
        for c in live
        if c["kind"] == "item"
    ]
    assert len(texts) == len(set(texts)), "no clause twice"
    assert not any("WG-WSIS CWG-Internet" in t or "in connection with WSIS activities" in t for t in texts)
    assert any(t.endswith("should consider in their studies the output of CWG-Internet") for t in texts)
    # Punctuation and labels as the tool writes them: the resolution ends with its one full stop.
    assert [c["key"] for c in live if c["kind"] == "item" and c["text"].endswith(".")] == [live[-1]["key"]]
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "A newer edition" not in page
    assert (
        client.post(
            f"/api/proposals/{proposal.pk}/rebase", data="{}", content_type="application/json"
        ).status_code
        == 409
    )


def _what_the_rebase_left_to_settle_stays_listed_until_settled(client, proposal):
    result = _api(client, "get", f"/api/proposals/{proposal.pk}/rebase")
    conflicts = len(result["to_settle"])
    assert conflicts == 18
    assert len(result["to_settle"]) == conflicts
    first = result["to_settle"][0]
    assert first["from_edition"]["slug"] == "dubai-2012" and first["onto_edition"]["slug"] == "hammamet-2016"
    assert first["proposal"] and first["edition"] and first["note"]
    # The page lists them after the rebase, each with its wordings and a way to settle it.
    html = client.get(f"/proposals/{proposal.pk}/").content.decode().replace("\u00a0", " ")
    assert html.count('class="rebase-conflict"') == conflicts and html.count("Mark settled") == conflicts
    assert "<dt>Rev. Dubai, 2012</dt>" in html and "<dt>Rev. Hammamet, 2016</dt>" in html
    # Settled on the page (no JavaScript needed), then through the API.
    response = client.post(f"/proposals/{proposal.pk}/rebase/conflicts/{first['id']}/settle/")
    assert response.status_code == 302 and response["Location"].endswith("#to-settle")
    second = result["to_settle"][1]["id"]
    left = _api(client, "post", f"/api/proposals/{proposal.pk}/rebase/conflicts/{second}/settle")
    assert len(left["to_settle"]) == conflicts - 2
    again = client.post(f"/api/proposals/{proposal.pk}/rebase/conflicts/{second}/settle")
    assert again.status_code == 409
    assert client.post(f"/api/proposals/{proposal.pk}/rebase/conflicts/999999/settle").status_code == 404
    # Another group's delegate cannot settle CITEL's.
    other = Client()
    other.force_login(User.objects.get(username="atu-delegate"))
    third = result["to_settle"][2]["id"]
    assert other.post(f"/api/proposals/{proposal.pk}/rebase/conflicts/{third}/settle").status_code in (
        403,
        404,
    )
    assert len(_api(client, "get", f"/api/proposals/{proposal.pk}/rebase")["to_settle"]) == conflicts - 2
