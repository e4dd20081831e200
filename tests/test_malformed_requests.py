"""Malformed requests get a 4xx with a message and change nothing (issue 11: 17 of 89 were 500s).

Every page view and API operation that reads a number or an id from a form, a query or a
path is sent values that are not numbers, out of every column's range, or ids of the wrong
kind; every text field is sent characters no database or Word file can hold.
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from drafting.models import (
    Amendment,
    ClauseComment,
    Consolidation,
    Contribution,
    Decision,
    Proposal,
)
from tests.drafting_factories import writable_state

pytestmark = [pytest.mark.django_db, pytest.mark.http_surface]  # once: tests/conftest.py, shares

HUGE = 10**30
BAD_NUMBERS = ["abc", "-1", "1e3", str(HUGE), "1000000000000000000000", " ", "0x10", "½"]


def login(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def world(demo_db):
    draft = Contribution.objects.get(status=Contribution.DRAFT, group__code="RCC")
    proposal = draft.proposals.filter(action=Proposal.MOD).first()
    clause = proposal.base_edition.clauses.filter(kind="item").order_by("position").first()
    consolidation = Consolidation.objects.first()
    from drafting.services.contributions import add_proposal

    add = add_proposal(
        User.objects.get(username="rcc-delegate"),
        draft,
        action=Proposal.ADD,
        resolution=None,
        base_edition=None,
        reasons="",
        new_number="",
        new_title="A new resolution",
    )
    return {
        "draft": draft,
        "proposal": proposal,
        "key": str(clause.provision.key),
        "consolidation": consolidation,
        "add": add,
        "edition": proposal.base_edition,
    }


def assert_refused(response, *, statuses=(400, 403, 404, 409, 413, 422)) -> None:
    assert response.status_code in statuses, (response.status_code, response.content[:300])


# --- page views: numbers and ids from forms and queries ---------------------------------------------


def _page_cases(w) -> list[tuple[str, str, str, dict]]:
    """(who, method, url, data with BAD where a bad value goes) for every page reading a number."""
    p, c, k = w["proposal"].pk, w["consolidation"].pk, w["key"]
    return [
        ("rcc-delegate", "get", f"/proposals/{p}/changes/", {"since": "BAD"}),
        ("rcc-delegate", "post", f"/proposals/{p}/clauses/{k}/restore-version/", {"index": "BAD"}),
        ("rcc-delegate", "post", f"/proposals/{p}/clauses/{k}/edit/", {"text": "x", "version": "BAD"}),
        ("rcc-delegate", "post", f"/contributions/{w['draft'].pk}/edit/", {"title": "T", "version": "BAD"}),
        (
            "rcc-delegate",
            "post",
            f"/proposals/{w['add'].pk}/text/",
            {"save": "1", "text": "x", "version": "BAD"},
        ),
        ("rcc-delegate", "post", f"/contributions/{w['draft'].pk}/import/confirm/", {"upload": "BAD"}),
        ("rcc-delegate", "post", "/exports/new/", {"kind": "edition", "target": "BAD"}),
        ("rcc-delegate", "post", "/exports/new/", {"kind": "contribution", "target": "BAD"}),
        ("secretariat", "post", "/exports/new/", {"kind": "compilation", "target": "BAD"}),
        (
            "secretariat",
            "post",
            f"/consolidations/{c}/settle/",
            {"key": k, "choice": "base", "version": "BAD"},
        ),
        (
            "secretariat",
            "post",
            f"/consolidations/{c}/settle/",
            {"key": k, "choice": "base", "version": "0", "base": "BAD"},
        ),
        ("secretariat", "post", f"/consolidations/{c}/adopt/", {"version": "BAD"}),
        (
            "secretariat",
            "post",
            f"/consolidations/{c}/settle/",
            {"key": "BAD", "choice": "base", "version": "0"},
        ),
    ]


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_every_page_that_reads_a_number_refuses_a_bad_one(world, bad):
    for who, method, url, data in _page_cases(world):
        client = login(who)
        before = writable_state()
        sent = {name: (bad if value == "BAD" else value) for name, value in data.items()}
        response = getattr(client, method)(url, sent)
        # A page may also ignore a bad optional number (200) or send the person back (302); never a 500.
        assert response.status_code < 500, (url, sent, response.status_code)
        assert writable_state() == before, (url, sent)


@pytest.mark.parametrize("pk", [str(HUGE), "99999999999999999999"])
def test_page_ids_beyond_any_column_are_404(world, pk):
    client = login("secretariat")
    for url in (
        f"/contributions/{pk}/",
        f"/proposals/{pk}/",
        f"/consolidations/{pk}/",
        f"/exports/{pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/consolidations/open/{pk}/{pk}/").status_code == 404


def test_a_search_of_600_words_is_answered(world):
    words = " ".join(f"word{i}" for i in range(600))
    response = Client().get("/", {"q": words})
    assert response.status_code in (200, 400)
    assert Client().get("/api/resolutions", {"q": words}).status_code in (200, 400)


# --- the API -------------------------------------------------------------------------------------


def api(client: Client, method: str, url: str, body=None, raw: str | None = None):
    data = raw if raw is not None else json.dumps(body) if body is not None else None
    kwargs = {"content_type": "application/json"} if data is not None else {}
    return getattr(client, method)(url, data, **kwargs) if data is not None else getattr(client, method)(url)


def test_a_clause_key_that_is_not_a_uuid_is_404_everywhere(world):
    client = login("rcc-delegate")
    p = world["proposal"].pk
    before = writable_state()
    for key in ("not-a-uuid", "1", "x" * 300, "%00"):
        assert_refused(api(client, "put", f"/api/proposals/{p}/clauses/{key}", {"text": "x", "version": 0}))
        assert_refused(api(client, "post", f"/api/proposals/{p}/clauses/{key}/additions", {"text": "x"}))
        assert_refused(api(client, "post", f"/api/proposals/{p}/clauses/{key}/suppression"))
        assert_refused(api(client, "delete", f"/api/proposals/{p}/clauses/{key}/suppression"))
    secretariat = login("secretariat")
    c = world["consolidation"].pk
    assert_refused(
        api(secretariat, "post", f"/api/consolidations/{c}/settle", {"key": "nope", "choice": "base"})
    )
    assert writable_state() == before


def test_a_lone_surrogate_in_json_is_refused(world):
    client = login("rcc-delegate")
    p, k = world["proposal"].pk, world["key"]
    before = writable_state()
    raw = '{"text": "a \\ud800 b", "version": 0}'
    assert_refused(api(client, "put", f"/api/proposals/{p}/clauses/{k}", raw=raw))
    raw = '{"find": "\\udfff", "replace": "x"}'
    assert_refused(api(client, "post", f"/api/proposals/{p}/replace", raw=raw))
    assert writable_state() == before


@pytest.mark.parametrize("number", [-1, 1_000_000, HUGE, 2**63])
def test_numbers_out_of_range_are_refused(world, number):
    client = login("rcc-delegate")
    p, k = world["proposal"].pk, world["key"]
    before = writable_state()
    body = {
        "conference": "WTDC-17",
        "group": "RCC",
        "document_number": "77",
        "addendum": number,
        "title": "T",
    }
    assert_refused(api(client, "post", "/api/contributions", body))
    assert_refused(api(client, "put", f"/api/proposals/{p}/clauses/{k}", {"text": "x", "version": number}))
    secretariat = login("secretariat")
    c = world["consolidation"].pk
    assert_refused(
        api(
            secretariat,
            "post",
            f"/api/consolidations/{c}/settle",
            {"key": k, "choice": "base", "version": number},
        )
    )
    assert_refused(api(secretariat, "post", f"/api/consolidations/{c}/adopt", {"version": number}))
    assert_refused(api(secretariat, "post", "/api/exports", {"kind": "edition", "target": number}))
    for url in (f"/api/proposals/{number}", f"/api/contributions/{number}", f"/api/exports/{number}"):
        assert_refused(api(secretariat, "get", url))
    assert writable_state() == before


def test_texts_longer_than_their_columns_are_refused_on_every_database(world):
    client = login("rcc-delegate")
    before = writable_state()
    long = "9" * 300
    body = {"conference": "WTDC-17", "group": "RCC", "document_number": long, "title": "T"}
    response = api(client, "post", "/api/contributions", body)
    assert_refused(response)
    assert "document" in response.json()["detail"].lower()
    p, k = world["proposal"].pk, world["key"]
    response = api(
        client, "post", f"/api/proposals/{p}/clauses/{k}/additions", {"text": "x", "label": "a" * 300}
    )
    assert_refused(response)
    response = api(
        client,
        "post",
        f"/api/contributions/{world['draft'].pk}/proposals",
        {"action": "ADD", "new_number": long, "new_title": "T"},
    )
    assert_refused(response)
    assert writable_state() == before


def test_an_add_proposal_sent_to_the_mod_endpoints_is_refused(world):
    client = login("rcc-delegate")
    a, k = world["add"].pk, world["key"]
    before = writable_state()
    assert_refused(api(client, "put", f"/api/proposals/{a}/clauses/{k}", {"text": "x", "version": 0}))
    assert_refused(api(client, "post", f"/api/proposals/{a}/clauses/{k}/additions", {"text": "x"}))
    assert_refused(api(client, "post", f"/api/proposals/{a}/clauses/{k}/suppression"))
    assert_refused(api(client, "delete", f"/api/proposals/{a}/clauses/{k}/suppression"))
    assert_refused(api(client, "post", f"/api/proposals/{a}/replace", {"find": "a", "replace": "b"}))
    assert api(client, "get", f"/api/proposals/{a}").status_code < 500
    assert writable_state() == before


def test_api_import_confirm_with_a_bad_upload_id(world):
    client = login("rcc-delegate")
    d = world["draft"].pk
    for upload in ("abc", str(HUGE), "-1"):
        assert_refused(api(client, "post", f"/api/contributions/{d}/imports/{upload}/confirm"))
        assert_refused(api(client, "delete", f"/api/contributions/{d}/imports/{upload}"))


def test_export_now_with_bad_targets(world):
    client = login("secretariat")
    for kind, target in (
        ("edition", "abc"),
        ("edition", str(HUGE)),
        ("contribution", "abc"),
        ("compilation", str(HUGE)),
        ("consolidated", "-1"),
        ("nothing", "1"),
    ):
        assert_refused(api(client, "get", f"/api/export/{kind}/{target}"))


CONTROL_CHARACTERS = {
    "NUL": "\x00",
    "vertical tab": "\x0b",
    "form feed": "\x0c",
    "bell": "\x07",
    "escape": "\x1b",
}


@pytest.mark.parametrize("name", list(CONTROL_CHARACTERS))
def test_control_characters_are_refused_or_made_line_breaks_in_every_text_field(world, name):
    char = CONTROL_CHARACTERS[name]
    client = login("rcc-delegate")
    p, k, d = world["proposal"].pk, world["key"], world["draft"].pk
    text = f"to continue{char} the work;"
    responses = [
        api(client, "put", f"/api/proposals/{p}/clauses/{k}", {"text": text, "version": 0}),
        api(
            client,
            "post",
            "/api/contributions",
            {"conference": "WTDC-17", "group": "RCC", "document_number": "78", "title": text},
        ),
        api(client, "post", f"/api/contributions/{d}/proposals", {"action": "ADD", "new_title": text}),
        login("rcc-delegate").post(f"/proposals/{p}/clauses/{k}/panel/", {"text": text}),
    ]
    secretariat = login("secretariat")
    responses.append(
        api(
            secretariat,
            "post",
            f"/api/consolidations/{world['consolidation'].pk}/settle",
            {"key": k, "choice": "own", "text": text, "note": text, "version": 0},
        )
    )
    for response in responses:
        assert response.status_code < 500, response.content[:300]
    # Whatever was kept holds no character a database or a Word file refuses.
    for model, fields in (
        (Amendment, ["text", "heading", "label"]),
        (Contribution, ["title"]),
        (Proposal, ["new_title", "reasons"]),
        (ClauseComment, ["text"]),
        (Decision, ["text", "note"]),
    ):
        for row in model.objects.values_list(*fields):
            for value in row:
                assert char not in value, (model, value)
    if connection.vendor == "postgresql":
        pass  # a NUL would have been a DataError (500) there: the assertion above covers it


def test_word_from_word_a_vertical_tab_becomes_a_line_break(world):
    from drafting.engine.text import clean_text

    assert clean_text("first\x0bsecond\x0cthird\r\nfourth", "text") == "first\nsecond\nthird\nfourth"


def test_a_random_uuid_key_is_404(world):
    client = login("rcc-delegate")
    p = world["proposal"].pk
    response = api(client, "put", f"/api/proposals/{p}/clauses/{uuid.uuid4()}", {"text": "x", "version": 0})
    assert_refused(response)


NUL_REQUESTS = [
    ("get", "/api/editions?q=%00", None),
    ("get", "/api/resolutions?q=a%00b&body=%00", None),
    ("get", "/?q=%00", None),
    ("get", "/resolutions/WTSA/75-%00/", None),
    ("post", "/api/exports", '{"kind": "edition", "target": "WTSA/75/\\u0000"}'),
    ("post", "/exports/new/", {"kind": "edition", "target": "1\x00"}),
    # A lone surrogate where no schema checks text: a lookup that neither database can encode.
    ("post", "/api/exports", '{"kind": "edition", "target": "WTSA/75/\\ud800"}'),
    ("post", "/api/exports", '{"kind": "\\udc00", "target": 1}'),
]


@pytest.mark.parametrize("method, url, data", NUL_REQUESTS)
def test_a_nul_anywhere_in_a_request_is_a_400_on_every_database(world, method, url, data):
    # Issue 11 and the API fuzz on PostgreSQL: a NUL reaching a lookup was a DataError (500).
    client = login("secretariat")
    before = writable_state()
    if isinstance(data, str):
        response = getattr(client, method)(url, data, content_type="application/json")
    elif data is not None:
        response = getattr(client, method)(url, data)
    else:
        response = getattr(client, method)(url)
    assert response.status_code == 400, response.content[:300]
    assert "NUL" in response.content.decode() or "surrogate" in response.content.decode()
    assert writable_state() == before
