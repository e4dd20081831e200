"""The JSON API for reading the library, and its OpenAPI schema."""

from __future__ import annotations

import pytest

from tests.library_factories import RES1332, import_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    import_seed()
    import_seed(RES1332, "Council", "1332")


def test_the_openapi_schema_describes_the_reading_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/bodies",
        "/api/resolutions",
        "/api/resolutions/{body}/{slug}",
        "/api/resolutions/{body}/{slug}/editions/{edition}",
    } <= set(schema["paths"])


def test_bodies_and_resolutions(client, library):
    assert {"code": "WTSA", "name": "World Telecommunication Standardization Assembly"} in client.get(
        "/api/bodies"
    ).json()
    found = client.get("/api/resolutions?q=75").json()
    assert [(r["body"], r["number"]) for r in found] == [("WTSA", "75")]
    assert len(client.get("/api/resolutions?body=Council").json()) == 1


def test_a_resolution_lists_its_editions(client, library):
    data = client.get("/api/resolutions/wtsa/75").json()
    assert data["editions"][0]["slug"] == "hammamet-2016" and data["editions"][0]["clause_count"] == 70


def test_an_edition_is_its_whole_clause_tree(client, library):
    data = client.get("/api/resolutions/wtsa/75/editions/latest").json()
    e = data["clauses"][0]["children"][4]
    assert e["label"] == "e)"
    assert [c["label"] for c in e["children"]] == [
        "i)",
        "ii)",
        "iii)",
        "iv)",
        "v)",
        "vi)",
        "vii)",
        "viii)",
        "ix)",
        "x)",
        "xi)",
    ]
    assert all(c["key"] for c in e["children"])
    assert client.get("/api/resolutions/wtsa/75/editions/hammamet-2016").json() == data


@pytest.mark.parametrize("url", ["/api/resolutions/wtsa/76", "/api/resolutions/wtsa/75/editions/geneva-2099"])
def test_unknown_things_are_404_in_json(client, library, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
