"""What text may hold, and one check of every request at the door, whatever its Content-Type (issue 22).

The attacker's second round: DEL and C1 controls were stored though the README said control
characters are refused; a right-to-left override reached the editor's HTML and every Word export,
so the text shown differed from the text stored; a lone surrogate was reported as "NUL" and a
legitimate escaped ``\\ud800`` (six characters typed) refused; JSON sent as ``text/plain`` or
``Application/JSON`` slipped past the NUL check to a 500 on PostgreSQL (and, with a lone surrogate,
on SQLite); a 1 MB clause and a 1 MB contribution title were accepted.
"""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from drafting.engine import limits
from drafting.engine.docx_text import docx_to_text
from drafting.engine.parse import ParseError, parse_resolution
from drafting.engine.text import TextProblem, clean_text, forbidden_character, normalise_line_breaks, xml_safe
from drafting.models import Amendment, Consolidation, Contribution, Proposal
from tests.drafting_factories import writable_state

pytestmark = pytest.mark.http_surface  # once: tests/conftest.py, shares

# --- the engine's rules (no database) ----------------------------------------------------------------

INVISIBLE = {
    "DEL": ("\x7f", "U+007F"),
    "a C1 control": ("\x80", "U+0080"),
    "CSI, a C1 control": ("\x9b", "U+009B"),
    "a left-to-right embedding": ("\u202a", "left-to-right embedding"),
    "a right-to-left embedding": ("\u202b", "right-to-left embedding"),
    "a pop directional formatting": ("\u202c", "end of a directional embedding"),
    "a left-to-right override": ("\u202d", "left-to-right override"),
    "a right-to-left override": ("\u202e", "right-to-left override"),
    "a left-to-right isolate": ("\u2066", "left-to-right isolate"),
    "a right-to-left isolate": ("\u2067", "right-to-left isolate"),
    "a first-strong isolate": ("\u2068", "first-strong isolate"),
    "a pop directional isolate": ("\u2069", "end of a directional isolate"),
}


@pytest.mark.parametrize("name", list(INVISIBLE))
def test_every_control_and_bidirectional_character_is_refused_naming_it(name):
    char, words = INVISIBLE[name]
    with pytest.raises(TextProblem) as refused:
        clean_text(f"to continue{char} the work", "text of the amendment")
    message = refused.value.message
    assert words in message and "text of the amendment" in message
    assert "NUL" not in message
    assert xml_safe(f"a{char}b") == "ab"


def test_every_control_character_but_tab_and_newline_is_refused():
    for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]:
        char = chr(code)
        text = normalise_line_breaks(f"a{char}b")
        if char in "\t\n" or text == "a\nb":  # tab, newline, or a line break in another spelling
            continue
        assert forbidden_character(text) is not None, hex(code)
    # Letters, marks and the invisible marks Arabic and Hebrew text need (LRM, RLM) stay.
    assert clean_text("الاتحاد\u200f 75") == "الاتحاد\u200f 75"
    assert clean_text("a\u0085b") == "a\nb"  # next line is a line break


def test_a_lone_surrogate_is_named_as_such_not_as_nul():
    with pytest.raises(TextProblem) as refused:
        clean_text("a\ud800b", "title")
    assert "lone surrogate" in refused.value.message and "NUL" not in refused.value.message


def test_the_parser_refuses_an_override_in_an_imported_line(seed_text):
    text = seed_text("wtsa-res75-rev-hammamet-2016.txt").replace("resolves", "resolves\u202e", 1)
    with pytest.raises(ParseError, match="right-to-left override"):
        parse_resolution(text)


# --- through the pages and the API, on the database -------------------------------------------------


def login(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def world(demo_db):
    draft = Contribution.objects.get(status=Contribution.DRAFT, group__code="RCC")
    proposal = draft.proposals.filter(action=Proposal.MOD).first()
    # A clause the demo's draft does not change: its version is 0.
    changed = set(proposal.amendments.values_list("target_id", flat=True))
    clause = next(
        c
        for c in proposal.base_edition.clauses.filter(kind="item").order_by("position")
        if c.provision_id not in changed
    )
    return {"draft": draft, "proposal": proposal, "key": str(clause.provision.key)}


def _put(client: Client, world, text: str, content_type: str = "application/json", raw: str | None = None):
    body = raw if raw is not None else json.dumps({"text": text, "version": 0})
    return client.put(
        f"/api/proposals/{world['proposal'].pk}/clauses/{world['key']}", body, content_type=content_type
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["DEL", "CSI, a C1 control", "a right-to-left override", "a right-to-left isolate"]
)
def test_a_clause_with_an_invisible_character_is_refused_by_the_api_and_the_page(world, name):
    char, words = INVISIBLE[name]
    before = writable_state()
    response = _put(login("rcc-delegate"), world, f"to continue {char}the work;")
    assert response.status_code in (400, 422)
    assert words in json.dumps(response.json(), ensure_ascii=False)
    page = login("rcc-delegate").post(
        f"/proposals/{world['proposal'].pk}/clauses/{world['key']}/edit/",
        {"text": f"to continue {char}the work;", "version": 0},
    )
    assert page.status_code < 500
    assert words in page.content.decode()
    assert writable_state() == before


@pytest.mark.django_db
def test_an_escaped_backslash_u_typed_by_a_person_is_text_like_any_other(world):
    # {"text": "… \\ud800 …"} is the six characters \ud800, not half a character.
    raw = json.dumps({"text": "write \\ud800 and \\u0000 as they are;", "version": 0})
    assert "\\\\ud800" in raw
    response = _put(login("rcc-delegate"), world, "", raw=raw)
    assert response.status_code == 200, response.content[:300]
    amendment = Amendment.objects.get(proposal=world["proposal"], target__key=world["key"])
    assert amendment.text == "write \\ud800 and \\u0000 as they are;"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "escape, words, not_words",
    [
        ("\\u0000", "NUL", "surrogate"),
        ("\\ud800", "surrogate", "NUL"),
        ("\\udfff", "surrogate", "NUL"),
        ("\\\\\\ud800", "surrogate", "NUL"),  # an escaped backslash, then a real lone surrogate
    ],
)
def test_the_door_names_what_it_refused(world, escape, words, not_words):
    raw = '{"text": "a ' + escape + ' b", "version": 0}'
    response = _put(login("rcc-delegate"), world, "", raw=raw)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert words in detail and not_words not in detail


CONTENT_TYPES = ["text/plain", "Application/JSON", "APPLICATION/JSON; charset=utf-8", "application/xml", ""]


def _door_cases(world) -> list[tuple[str, str, str, str]]:
    """(who, method, url, body with BAD where the hostile text goes): every operation the fuzz found."""
    consolidation = Consolidation.objects.first()
    p = world["proposal"].pk
    return [
        ("rcc-delegate", "post", f"/api/proposals/{p}/rebase", '{"edition": "BAD", "version": 0}'),
        (
            "secretariat",
            "post",
            "/api/consolidations",
            '{"conference": "BAD", "body": "WTSA", "number": "75"}',
        ),
        (
            "secretariat",
            "post",
            f"/api/consolidations/{consolidation.pk}/edition",
            '{"edition": "BAD", "version": 0}',
        ),
        ("secretariat", "post", "/api/exports", '{"kind": "edition", "target": "BAD"}'),
        (
            "rcc-delegate",
            "put",
            f"/api/proposals/{p}/clauses/{world['key']}",
            '{"text": "BAD", "version": 0}',
        ),
        ("rcc-delegate", "post", "/api/tokens", '{"name": "BAD"}'),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", CONTENT_TYPES)
@pytest.mark.parametrize("bad", ["a\\u0000b", "a\\ud800b", "\\udc00"])
def test_json_under_any_content_type_meets_the_same_check(world, content_type, bad):
    before = writable_state()
    for who, method, url, body in _door_cases(world):
        client = login(who)
        response = getattr(client, method)(url, body.replace("BAD", bad), content_type=content_type)
        assert response.status_code == 400, (url, content_type, response.status_code, response.content[:200])
        assert "NUL" in response.json()["detail"] or "surrogate" in response.json()["detail"]
    assert writable_state() == before


@pytest.mark.django_db
def test_a_raw_nul_byte_or_bytes_that_are_not_utf8_are_refused_whatever_the_type(world):
    client = login("secretariat")
    for body in (b'{"kind": "edition", "target": "1\x00"}', b'{"kind": "edition", "target": "\xed\xa0\x80"}'):
        for content_type in CONTENT_TYPES:
            response = client.post("/api/exports", body, content_type=content_type)
            assert response.status_code == 400, (body, content_type, response.content[:200])


@pytest.mark.django_db
def test_a_form_field_with_an_encoded_nul_is_refused_under_an_uppercase_type(world):
    client = login("rcc-delegate")
    response = client.post("/api/tokens", "name=a%00b", content_type="Application/X-WWW-Form-Urlencoded")
    assert response.status_code == 400


# --- lengths ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_clause_longer_than_the_limit_is_refused_naming_the_limit(world):
    before = writable_state()
    response = _put(login("rcc-delegate"), world, "word " * 200_000)  # 1 MB, as the attacker sent
    assert response.status_code == 400
    assert f"{limits.MAX_CLAUSE_CHARS:,}" in response.json()["detail"]
    page = login("rcc-delegate").post(
        f"/proposals/{world['proposal'].pk}/clauses/{world['key']}/edit/",
        {"text": "word " * 5000, "version": 0},
    )
    assert page.status_code < 500 and f"{limits.MAX_CLAUSE_CHARS:,}" in page.content.decode()
    assert writable_state() == before
    ok = _put(login("rcc-delegate"), world, ("word " * 4000)[: limits.MAX_CLAUSE_CHARS - 1] + ";")
    assert ok.status_code == 200


@pytest.mark.django_db
def test_every_text_field_of_a_contribution_has_a_limit_named_in_its_message(world):
    client = login("rcc-delegate")
    before = writable_state()
    body = {"conference": "WTDC-17", "group": "RCC", "document_number": "77", "title": "T" * 1_000_000}
    response = client.post("/api/contributions", body, content_type="application/json")
    assert response.status_code == 400 and f"{limits.MAX_TITLE_CHARS:,}" in response.json()["detail"]
    for field, limit in (("reasons", limits.MAX_NOTE_CHARS), ("new_title", limits.MAX_TITLE_CHARS)):
        response = client.post(
            f"/api/contributions/{world['draft'].pk}/proposals",
            {"action": "ADD", "new_title": "T", field: "x" * (limit + 1)},
            content_type="application/json",
        )
        assert response.status_code == 400 and f"{limit:,}" in response.json()["detail"], field
    assert writable_state() == before


# --- what is shown is what is stored ---------------------------------------------------------------


@pytest.mark.django_db
def test_text_stored_before_with_an_override_is_cleaned_and_word_shows_what_is_stored(world):
    amendment = Amendment.objects.filter(proposal__contribution__group__code="RCC").first()
    Amendment.objects.filter(pk=amendment.pk).update(text="abc\u202edef\x7f\x9b;")
    migration = importlib.import_module("drafting.migrations.0024_throttles_token_endings_clean_text")
    migration.clean_stored_text(apps, None)
    amendment.refresh_from_db()
    assert amendment.text == "abcdef;"
    # And a writer given such text (from anywhere) leaves the controls out.
    from drafting.engine.docx_write import edition_docx

    parsed = parse_resolution("RESOLUTION 1 (Geneva, 2024)\nA title\nresolves\n1\tto act.\n")
    parsed.clauses[0].children[0].text = "to \u202eact\u2066 now."
    text = docx_to_text(edition_docx(parsed, "1"))
    assert "to act now." in text and "\u202e" not in text and "\u2066" not in text
