"""The API's documentation in the reader's language: the OpenAPI schema's words the project wrote (its
title and description, each operation's summary and description), the reference page that lists
them (/api/), and the chrome of Swagger UI's page (/api/docs: its title, its links back). Swagger
UI's own buttons are its bundle's, and stay English (README, Accessibility and languages).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.locales import LANGUAGES, catalogue

pytestmark = pytest.mark.django_db
METHODS = ("get", "post", "put", "patch", "delete")


def _schema(code: str) -> dict:
    response = Client().get("/api/openapi.json", HTTP_ACCEPT_LANGUAGE=code)
    assert response.status_code == 200
    return response.json()


def _operations(schema: dict):
    for path, operations in schema["paths"].items():
        for method in METHODS:
            if method in operations:
                yield f"{method.upper()} {path}", operations[method]


def test_every_operation_has_a_summary_the_project_wrote_and_the_catalogues_translate():
    english = dict(_operations(_schema("en")))
    assert len(english) >= 50
    for code, folder in LANGUAGES.items():
        po = catalogue(folder)
        for name, op in english.items():
            for field in ("summary", "description"):
                if field == "summary" or op.get(field):
                    entry = po.find(op[field])
                    assert entry is not None and entry.msgstr, (code, name, field, op[field][:60])


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_schema_says_the_project_s_words_in_the_reader_s_language(code):
    po = catalogue(LANGUAGES[code])
    english, said = _schema("en"), _schema(code)
    assert said["info"]["title"] == po.find(english["info"]["title"]).msgstr
    assert said["info"]["description"] == po.find(english["info"]["description"]).msgstr
    theirs = dict(_operations(said))
    for name, op in _operations(english):
        for field in ("summary", "description"):
            if op.get(field):
                assert theirs[name][field] == po.find(op[field]).msgstr, (name, field)
    # And the English schema is English again after it: no language left behind in a process.
    assert _schema("en")["info"]["title"] == "Drafting tool API"


def test_the_api_reference_page_lists_the_operations_in_the_reader_s_language():
    """/api/ reads the schema once per process and language, never serving one language's to another."""

    def english() -> str:
        page = Client().get("/api/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        # What the page lists (the header around it holds a token per response).
        return page[page.index("<main") : page.index("</main>")]

    english_page = english()
    assert "Find and replace across the resolution" in english_page
    for code, folder in LANGUAGES.items():
        po = catalogue(folder)
        client = Client()
        client.cookies["django_language"] = code
        page = client.get("/api/").content.decode()
        assert (
            po.find(
                "Find and replace across the resolution: one amendment per clause touched, all or nothing."
            ).msgstr
            in page
        )
        assert po.find("List resolutions").msgstr in page
        assert "Find and replace across the resolution" not in page, code
    assert english() == english_page


def test_swagger_s_page_speaks_the_reader_s_language_around_swagger_ui():
    for code, folder in LANGUAGES.items():
        po = catalogue(folder)
        client = Client()
        client.cookies["django_language"] = code
        page = client.get("/api/docs").content.decode()
        assert re.search(rf'<html lang="{code}" dir="(rtl|ltr)"', page), code
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert po.find("Drafting tool API").msgstr in title and "Drafting tool API" not in title, (
            code,
            title,
        )
        for words in ("← Back to the drafting tool", "API tokens", "Main"):
            assert po.find(words).msgstr in page, (code, words)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_schemas_notes_are_in_the_reader_s_language(code):
    """A request schema's note (what ``label`` "" or "¶" does) is said like the operations' words."""
    po = catalogue(LANGUAGES[code])
    english = _schema("en")["components"]["schemas"]
    said = _schema(code)["components"]["schemas"]
    described = {name: s["description"] for name, s in english.items() if s.get("description")}
    assert {"ClauseText", "Addition", "ReplaceIn", "RebaseConflictOut"} <= set(described)
    for name, words in described.items():
        entry = po.find(words)
        assert entry is not None and entry.msgstr, (name, words[:60])
        assert said[name]["description"] == entry.msgstr, name
