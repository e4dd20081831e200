"""Drafting through the JSON API: same permissions and version checks as the editor."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from drafting.models import Amendment, Clause
from drafting.models.people import COORDINATORS, DELEGATES, SECRETARIAT
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    person("amina", DELEGATES, atu)
    person("kwame", DELEGATES, atu)
    person("chief", COORDINATORS, atu)
    person("sec", SECRETARIAT)
    key = str(Clause.objects.get(edition=edition, anchor="considering-a").provision.key)
    return proposal, key


def basic(username: str) -> dict:
    token = base64.b64encode(f"{username}:pw".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def call(method: str, url: str, who: str, body=None):
    client = Client()
    kwargs = basic(who)
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def test_the_schema_lists_the_drafting_operations(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/proposals/{pk}",
        "/api/proposals/{pk}/clauses/{key}",
        "/api/contributions/{pk}/submit",
    } <= set(paths)


def test_reading_a_proposal_gives_each_clause_with_its_version(world):
    proposal, key = world
    data = call("get", f"/api/proposals/{proposal.pk}", "amina").json()
    assert data["label"] == "MOD ATU/35A18/1"
    first = next(c for c in data["clauses"] if c["key"] == key)
    assert first == {
        "key": key,
        "kind": "item",
        "depth": 1,
        "status": "unchanged",
        "base_label": "a)",
        "label": "a)",
        "label_set_by_hand": False,
        "heading": "",
        "text": "the relevant outcomes of both phases of the World Summit on the Information Society (WSIS);",
        "version": 0,
    }


def test_saving_then_a_stale_save_gets_409_with_the_current_text(world):
    proposal, key = world
    url = f"/api/proposals/{proposal.pk}/clauses/{key}"
    saved = call("put", url, "amina", {"text": "Amina's text;", "version": 0})
    assert saved.status_code == 200
    clause = next(c for c in saved.json()["clauses"] if c["key"] == key)
    assert clause["status"] == "modified" and clause["version"] == 1
    stale = call("put", url, "kwame", {"text": "Kwame's text;", "version": 0})
    assert stale.status_code == 409
    assert stale.json()["current_text"] == "Amina's text;" and stale.json()["current_version"] == 1
    assert Amendment.objects.get().text == "Amina's text;"


def test_adding_suppressing_and_restoring(world):
    proposal, key = world
    added = call(
        "post",
        f"/api/proposals/{proposal.pk}/clauses/{key}/additions",
        "amina",
        {"position": "after", "text": "a new item"},
    )
    assert added.status_code == 201
    # The title comes first (kind "front"), then the body.
    assert added.json()["clauses"][0]["kind"] == "front"
    labels = [(c["base_label"], c["label"], c["status"]) for c in added.json()["clauses"][2:5]]
    assert labels == [("a)", "a)", "unchanged"), ("", "b)", "added"), ("b)", "c)", "modified")]
    url = f"/api/proposals/{proposal.pk}/clauses/{key}/suppression"
    assert call("post", url, "amina").json()["clauses"][2]["status"] == "suppressed"
    assert call("delete", url, "amina").json()["clauses"][2]["status"] == "unchanged"
    assert call("delete", url, "amina").status_code == 409


@pytest.mark.parametrize(("who", "status"), [("sec", 404), ("nobody", 401)])
def test_outsiders_cannot_read_or_write_a_draft(world, who, status):
    proposal, key = world
    assert call("get", f"/api/proposals/{proposal.pk}", who).status_code == status
    assert (
        call(
            "put", f"/api/proposals/{proposal.pk}/clauses/{key}", who, {"text": "x;", "version": 0}
        ).status_code
        == status
    )
    assert not Amendment.objects.exists()


def test_empty_text_is_400(world):
    proposal, key = world
    response = call(
        "put", f"/api/proposals/{proposal.pk}/clauses/{key}", "amina", {"text": " ", "version": 0}
    )
    assert response.status_code == 400
    assert "cannot be empty" in response.json()["detail"]


def test_only_the_coordinator_submits_and_then_nobody_edits(world):
    proposal, key = world
    url = f"/api/contributions/{proposal.contribution.pk}/submit"
    assert call("post", url, "amina").status_code == 403
    assert call("post", url, "chief").json()["status"] == "submitted"
    response = call(
        "put", f"/api/proposals/{proposal.pk}/clauses/{key}", "amina", {"text": "late;", "version": 0}
    )
    assert response.status_code == 409
    # Once submitted, the secretariat reads it.
    assert call("get", f"/api/proposals/{proposal.pk}", "sec").status_code == 200


def test_a_session_write_without_the_csrf_token_is_refused(world):
    proposal, key = world
    from django.contrib.auth.models import User

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="amina"))
    response = client.put(
        f"/api/proposals/{proposal.pk}/clauses/{key}",
        data=json.dumps({"text": "x;", "version": 0}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Amendment.objects.exists()


def test_creating_a_contribution_and_a_proposal_through_the_api(world):
    from drafting.models import Conference

    proposal, _ = world
    Conference.objects.create(body=proposal.resolution.body, code="WTSA-28", place="Somewhere", year=2028)
    created = call(
        "post",
        "/api/contributions",
        "amina",
        {"conference": "WTSA-28", "group": "ATU", "document_number": "12", "title": "Res. 75 again"},
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    added = call(
        "post",
        f"/api/contributions/{pk}/proposals",
        "amina",
        {"action": "MOD", "body": "WTSA", "number": "75"},
    )
    assert added.status_code == 201 and added.json()["label"] == "MOD ATU/12/1"
    assert (
        call(
            "post",
            f"/api/contributions/{pk}/proposals",
            "amina",
            {"action": "MOD", "body": "WTSA", "number": "99"},
        ).status_code
        == 404
    )
    forbidden = call(
        "post",
        "/api/contributions",
        "sec",
        {"conference": "WTSA-28", "group": "ATU", "document_number": "13", "title": "x"},
    )
    assert forbidden.status_code == 403


def test_find_and_replace_through_the_api(world):
    proposal, _ = world
    response = call(
        "post",
        f"/api/proposals/{proposal.pk}/replace",
        "amina",
        {"find": "WG-WSIS", "replace": "CWG-WSIS&SDG"},
    )
    assert response.status_code == 200
    assert response.json()["clauses_changed"] == Amendment.objects.count() >= 3
