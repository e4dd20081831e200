"""What the tool says when it refuses what was typed or sent, read in each of the six languages: one
sentence in the reader's language, the field named in their words, the character or the part of the
.docx described in their words; no English phrase glued into a translated sentence.

Through the real doors: the editor's form, the JSON API (its checks and pydantic's, 422), and the
Word importers' engine messages said by drafting.translation.say. The committed catalogues are used
as they are (tests/test_catalogues.py checks that each .mo is its .po).
"""

from __future__ import annotations

import functools
import json
import re

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import translation

from drafting.engine.docx_package import PackageLimits, read_parts
from drafting.engine.docx_text import docx_to_text
from drafting.engine.parse import ParseError, parse_resolution
from drafting.engine.text import TextProblem, clean_text
from drafting.field_names import FIELD_NAMES
from drafting.models import Clause
from drafting.models.people import DELEGATES
from drafting.translation import say
from tests import hostile_docx as h
from tests.drafting_factories import base_edition, group, mod_proposal, person
from tests.locales import LANGUAGES, catalogue
from tests.test_api_drafting import basic
from tests.test_docx_budget import MALFORMED, TOO_MUCH

pytestmark = pytest.mark.one_database  # once: tests/conftest.py, shares

# Codes, file parts and quoted data stay as they are in every language: not English words.
CODE = re.compile(
    r"U\+[0-9A-F]{4,6}|w:\w+|\b[a-z]+[A-Z]\w*|word/\w+\.xml|\[Content_Types\]\.xml|\.docx|“[^”]*”|«[^»]*»|\"[^\"]*\""
)
# Words the translations keep as they are: the program's name and formats.
KEPT = {"Word", "JSON", "UUID", "XML", "NUL", "UTF-8"}
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# (A vertical tab, a form feed and next line are line breaks, kept as one: not refused.)
CONTROLS = "\x01\x08\x0e\x1f\x7f\x80\x9f"


@functools.cache
def _kept(folder: str) -> frozenset[str]:
    """The Latin words a catalogue's translations use themselves ("invisible", "instance" in French)."""
    po = catalogue(folder)
    texts = " ".join(t for e in po for t in [e.msgstr, *e.msgstr_plural.values()] if t)
    return frozenset(re.findall(r"[A-Za-z][A-Za-z'-]{3,}", texts))


@pytest.fixture(autouse=True)
def _english_after():
    """Django's LocaleMiddleware leaves the last request's language active in the thread: the tests
    after these must not read Chinese."""
    yield
    translation.activate("en")


def english_left(english: str, said: str, code: str = "") -> set[str]:
    """The English words (four letters or more) of ``english`` still in ``said``, codes, data and the
    words the language's own translations use aside."""
    words = set(re.findall(r"[A-Za-z][A-Za-z'-]{3,}", CODE.sub(" ", english))) - KEPT
    if code:
        words -= _kept(LANGUAGES[code])
    rest = CODE.sub(" ", said)
    return {w for w in words if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", rest)}


def in_each_language(make) -> dict[str, str]:
    """``make()`` (a str) with each language active, English first."""
    said = {}
    for code in ["en", *LANGUAGES]:
        with translation.override(code):
            said[code] = make()
    return said


def assert_translated(said: dict[str, str]) -> None:
    for code in LANGUAGES:
        assert said[code] != said["en"], (code, said[code])
        left = english_left(said["en"], said[code], code)
        assert not left, (code, left, said[code])


# --- the engine's checks of text, said by the layer above -------------------------------------


@pytest.mark.parametrize("char", [*BIDI, *CONTROLS, "\x00", "\ud800", "\uffff"])
def test_a_character_the_tool_cannot_store_is_described_in_the_reader_s_language(char):
    with pytest.raises(TextProblem) as refused:
        clean_text(f"to continue{char} the work")
    assert_translated(in_each_language(lambda: say(refused.value)))


def test_a_text_too_long_names_its_field_in_the_reader_s_language():
    with pytest.raises(TextProblem) as refused:
        clean_text("x" * 30, max_length=20)
    assert_translated(in_each_language(lambda: say(refused.value)))


@pytest.mark.parametrize(
    "text",
    [
        "RESOLUTION 1 (Rev. Dubai, 2012)\n" + "Title " * 200 + "\n",
        "RESOLUTION 1 (Rev. Dubai, 2012)\nA title\nThe Assembly,\nconsidering\na)\t" + "word " * 5000 + ".",
    ],
    ids=["title", "clause"],
)
def test_a_part_of_a_resolution_too_long_is_named_in_the_reader_s_language(text):
    with pytest.raises(ParseError) as refused:
        parse_resolution(text)
    assert_translated(in_each_language(lambda: say(refused.value)))


@pytest.mark.parametrize("case", [*MALFORMED, *TOO_MUCH])
def test_a_docx_refused_says_where_in_the_reader_s_language(case):
    """Each refusal of a .docx's values names its place (a paragraph, a list, a footnote, a style)
    and what was wrong, each in the reader's words."""
    make = {**MALFORMED, **TOO_MUCH}[case][0]
    with pytest.raises(ParseError) as refused:
        docx_to_text(make(h.LIBRARY_HEAD))
    assert_translated(in_each_language(lambda: say(refused.value)))


def test_a_damaged_part_of_a_docx_is_named_in_the_reader_s_language():
    """The part's name starts the sentence ("The document's text (word/document.xml) holds more
    than ..."), capitalised in each language after translation."""
    with pytest.raises(ParseError) as refused:
        read_parts(h.plain_docx(["a", "b"]), PackageLimits(max_xml_elements=3))
    said = in_each_language(lambda: say(refused.value))
    assert_translated(said)
    for code, text in said.items():
        assert text[:1] == text[:1].upper(), (code, text)
    dtd = h.rezip(
        h.plain_docx(["a"]), {"word/styles.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'}
    )
    with pytest.raises(ParseError) as refused:
        read_parts(dtd)
    assert_translated(in_each_language(lambda: say(refused.value)))


# --- the fields' names ------------------------------------------------------------------------


def _checked_fields() -> set[str]:
    """Every field a check can name: the text and number fields of the drafting models, and every
    checked text (ApiText) of the API's schemas."""
    import inspect

    from ninja import Schema

    from drafting.api import citations, consolidation, drafting, editions, tokens, word

    names = {
        f.name
        for m in apps.get_app_config("drafting").get_models()
        for f in m._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.IntegerField) and not f.primary_key
    }
    for module in (citations, consolidation, drafting, editions, tokens, word):
        for schema in vars(module).values():
            if inspect.isclass(schema) and issubclass(schema, Schema):
                for name, info in schema.model_fields.items():
                    if any(
                        getattr(getattr(m, "func", None), "__name__", "") == "_api_text"
                        for m in info.metadata
                    ):
                        names.add(name)
    return names


def test_every_field_a_check_can_name_has_words_in_every_language():
    fields = _checked_fields()
    assert {"text", "title", "label", "note", "reasons", "find"} <= fields
    missing = fields - set(FIELD_NAMES)
    assert not missing, f"name these in drafting/field_names.py: {sorted(missing)}"
    for code, folder in LANGUAGES.items():
        po = catalogue(folder)
        for name in fields:
            with translation.override("en"):
                english = str(FIELD_NAMES[name])
            entry = po.find(english, msgctxt="field")
            assert entry is not None and entry.msgstr, (code, name)


# --- through the doors: the editor and the API --------------------------------------------------


@pytest.fixture
def world(db):
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    amina = person("amina", DELEGATES, atu)
    key = str(Clause.objects.get(edition=edition, anchor="considering-a").provision.key)
    return proposal, key, amina


def _answers(send) -> dict[str, str]:
    """``send(client, language)`` in each language (the reader's choice in the language cookie)."""
    said = {}
    for code in ["en", *LANGUAGES]:
        client = Client()
        client.cookies["django_language"] = code
        said[code] = send(client, code)
    return said


@pytest.mark.parametrize("text", ["to act\u202e;", "to act\x07;", "x" * 30_000], ids=["bidi", "bell", "long"])
def test_the_editor_refuses_a_text_in_the_reader_s_language(world, text):
    proposal, key, amina = world

    def send(client, code):
        client.force_login(amina)
        response = client.post(
            f"/proposals/{proposal.pk}/clauses/{key}/edit/",
            {"text": text, "version": 0},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 400, response.status_code
        page = response.content.decode()
        return " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<textarea.*?</textarea>", "", page)).split())

    said = _answers(send)
    # The editor's box around the message is translated too; compare the refusal's own sentence.
    english = next(s for s in re.split(r"(?<=\.)\s", said["en"]) if "character" in s or "long" in s)
    for code in LANGUAGES:
        assert not english_left(english, said[code], code), (code, english_left(english, said[code], code))


@pytest.mark.parametrize(
    "body",
    [
        {"text": "to act\u202e;", "version": 0},
        {"text": "to act\x1b;", "version": 0},
        {"label": "a\u2066)", "version": 0},
        {"text": "x" * 30_000, "version": 0},
    ],
    ids=["bidi", "escape", "label", "long"],
)
def test_the_api_refuses_a_text_in_the_reader_s_language(world, body):
    proposal, key, _ = world

    def send(client, code):
        response = client.put(
            f"/api/proposals/{proposal.pk}/clauses/{key}",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=code,
            **basic("amina"),
        )
        assert response.status_code in (400, 422), response.content
        detail = response.json()["detail"]
        return detail if isinstance(detail, str) else " ".join(e["msg"] for e in detail)

    assert_translated(_answers(send))


@pytest.mark.parametrize(
    "body",
    [
        {"title": "A title"},
        {"conference": 5, "group": "ATU", "document_number": "35", "title": []},
        {"conference": "WTSA-24", "group": "ATU", "document_number": "35", "title": "a\x01"},
    ],
    ids=["missing", "types", "control"],
)
def test_the_api_s_problem_details_are_in_the_reader_s_language(world, body):
    """pydantic's own English ("Field required", "Input should be a valid string", "Value error, ")
    becomes a sentence in the reader's language naming the field in their words; ``type`` and
    ``loc`` stay for scripts."""

    def send(client, code):
        response = client.post(
            "/api/contributions", data=json.dumps(body), content_type="application/json", **basic("amina")
        )
        assert response.status_code == 422, response.content
        errors = response.json()["detail"]
        assert all({"type", "loc", "msg"} <= set(e) for e in errors)
        assert not any(e["msg"].startswith("Value error") for e in errors)
        return " ".join(e["msg"] for e in errors)

    assert_translated(_answers(send))


def test_a_body_that_is_not_json_is_refused_in_the_reader_s_language(world):
    proposal, key, _ = world

    def send(client, code):
        response = client.put(
            f"/api/proposals/{proposal.pk}/clauses/{key}",
            data="{not json",
            content_type="application/json",
            **basic("amina"),
        )
        assert response.status_code in (400, 422), response.content
        detail = response.json()["detail"]
        return detail if isinstance(detail, str) else " ".join(e["msg"] for e in detail)

    assert_translated(_answers(send))


def test_a_phrase_that_starts_a_sentence_is_capitalised_when_kept_and_said_later():
    """What the database keeps (drafting.translation.kept) keeps the capital too."""
    from drafting.engine.said import Message, capitalised, gettext_noop
    from drafting.translation import kept, said_kept

    message = Message(
        "%(what)s is refused.", what=capitalised(gettext_noop("the footnotes (word/footnotes.xml)"))
    )
    assert str(message).startswith("The footnotes")
    with translation.override("fr"):
        assert said_kept(kept(message)).startswith("Les notes") and say(message).startswith("Les notes")


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/api/contributions"),  # no login: ninja's "Unauthorized"
        ("get", "/api/tokens"),
        ("get", "/api/resolutions/nobody/nothing"),  # no such object: ninja's "Not Found"
    ],
)
def test_the_api_s_own_refusals_are_in_the_reader_s_language(world, method, url):
    def send(client, code):
        response = getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE=code)
        assert response.status_code in (401, 404), response.content
        return response.json()["detail"]

    assert_translated(_answers(send))
