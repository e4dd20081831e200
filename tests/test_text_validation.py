"""One check of text for every door (issue 11: a vertical tab or NUL in a clause made every export a 500).

The engine's check, the models' check on every save (the same on SQLite and PostgreSQL),
and the writers, which succeed on any text already stored.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from drafting.engine.docx_text import docx_to_text
from drafting.engine.docx_write import edition_docx
from drafting.engine.parse import ParseError, parse_resolution
from drafting.engine.text import TextProblem, clean_text, forbidden_character, xml_safe
from drafting.models import (
    Amendment,
    Clause,
    Conference,
    Consolidation,
    Contribution,
    Decision,
    Edition,
    Footnote,
    Proposal,
    RegionalGroup,
)
from drafting.validation import InvalidInput, whole_number

# --- the engine's check (no database) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "char, words",
    [
        ("\x00", "NUL"),
        ("\x07", "U+0007"),
        ("\x1b", "U+001B"),
        ("\ud800", "lone surrogate"),
        ("\ufffe", "U+FFFE"),
    ],
)
def test_a_character_no_database_or_word_file_holds_is_refused_naming_the_field(char, words):
    with pytest.raises(TextProblem) as refused:
        clean_text(f"to continue{char} the work", "title of the contribution")
    assert "title of the contribution" in refused.value.message and words in refused.value.message


def test_line_breaks_in_every_spelling_become_newlines_and_tabs_stay():
    text = "a)\tfirst\x0bsecond\x0cthird\r\nfourth\rfifth\u2028sixth"
    assert clean_text(text) == "a)\tfirst\nsecond\nthird\nfourth\nfifth\nsixth"


def test_letters_of_every_script_pass_untouched():
    text = "Résolution 75 – ITU‑T, 国际电联, МСЭ, الاتحاد, 1bis\u00a0§ 3 😀"
    assert clean_text(text) == text and forbidden_character(text) is None


def test_lengths_are_counted_in_characters():
    assert clean_text("é" * 20, "label", max_length=20)
    with pytest.raises(TextProblem, match="21 characters long; at most 20"):
        clean_text("é" * 21, "label", max_length=20)


def test_the_writers_helper_leaves_out_what_xml_cannot_carry():
    assert xml_safe("a\x00b\x07c\x0bd\ud800e") == "abc\nde"


def test_the_parser_refuses_a_control_character_and_reads_word_line_breaks(seed_text):
    text = seed_text("wtsa-res75-rev-hammamet-2016.txt")
    with pytest.raises(ParseError, match=r"U\+0007"):
        parse_resolution(text.replace("resolves", "resolves\x07", 1))
    with_breaks = text.replace("\n", "\x0b")
    assert parse_resolution(with_breaks).shape() == parse_resolution(text).shape()


def test_the_word_writer_succeeds_on_a_clause_holding_control_characters(seed_text):
    parsed = parse_resolution(seed_text("wtsa-res75-rev-hammamet-2016.txt"))
    clause = next(c for c, _ in parsed.walk() if c.text)
    clause.text = "to continue\x0b the work\x07 of\x00 ITU;"
    data = edition_docx(parsed, "75")
    assert "to continue\n the work of ITU;" in docx_to_text(data).replace(
        " \n", "\n"
    ) or "the work of ITU" in (docx_to_text(data))


@pytest.mark.parametrize(
    "value, expected",
    [("7", 7), (" 12 ", 12), ("", 3), (None, 3)],
)
def test_whole_number_reads_what_forms_send(value, expected):
    assert whole_number(value, "version", default=3) == expected


@pytest.mark.parametrize("value", ["abc", "-1", "1e3", "0x10", "½", "١٢", "9" * 30, "1.5"])
def test_whole_number_refuses_anything_else_naming_it(value):
    with pytest.raises(InvalidInput, match="version"):
        whole_number(value, "version")


# --- the models' check on every save ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_save_with_a_nul_is_refused_naming_the_field_and_nothing_is_written():
    group = RegionalGroup.objects.create(code="ATU", name="ATU", proposal_prefix="ATU")
    with pytest.raises(InvalidInput, match="The name contains a NUL character"):
        RegionalGroup.objects.create(code="X", name="bad\x00name", proposal_prefix="X")
    assert list(RegionalGroup.objects.values_list("code", flat=True)) == [group.code]


@pytest.mark.django_db
def test_a_vertical_tab_is_stored_as_a_line_break():
    group = RegionalGroup.objects.create(code="ATU", name="first\x0bsecond", proposal_prefix="ATU")
    group.refresh_from_db()
    assert group.name == "first\nsecond"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, words",
    [
        ("code", "X" * 17, "at most 16"),
        ("proposal_prefix", "P" * 17, "at most 16"),
    ],
)
def test_an_over_long_value_is_refused_the_same_on_sqlite_and_postgresql(field, value, words):
    values = {"code": "ATU", "name": "ATU", "proposal_prefix": "ATU", field: value}
    with pytest.raises(InvalidInput, match=words):
        RegionalGroup.objects.create(**values)
    assert not RegionalGroup.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("number", [-1, 32768, 10**30])
def test_a_number_outside_its_column_is_refused_the_same_on_every_database(number, demo_db):
    conference = Conference.objects.first()
    group = RegionalGroup.objects.get(code="ATU")
    with pytest.raises(InvalidInput, match="addendum"):
        Contribution.objects.create(
            conference=conference, group=group, document_number="5", addendum=number, title="T"
        )


# --- text stored before the check: every export still succeeds ------------------------------------


LEGACY = "\x0b\x07\x1b" + ("" if connection.vendor == "postgresql" else "\x00")


def _poison_stored_text() -> None:
    """Put characters the check now refuses into stored text, as an older version of the tool let in."""
    for model, fields in (
        (Clause, ["text", "heading"]),
        (Footnote, ["text"]),
        (Amendment, ["text", "heading"]),
        (Decision, ["text", "note"]),
        (Proposal, ["reasons", "new_title"]),
        (Contribution, ["title", "abstract", "introduction"]),
        (Edition, ["title", "history_line", "enacting_formula"]),
    ):
        for row in model.objects.all():
            model.objects.filter(pk=row.pk).update(
                **{f: f"{getattr(row, f)}{LEGACY}x{LEGACY}" for f in fields if getattr(row, f)}
            )


def _every_export(client: Client) -> list:
    atu = Contribution.objects.get(group__code="ATU", status=Contribution.SUBMITTED)
    consolidation = Consolidation.objects.first()
    edition = Edition.objects.get(resolution__number="75", previous=None)
    urls = [
        f"/api/export/contribution/{atu.pk}",
        f"/api/export/contribution/{atu.pk}?tracked=false",
        f"/api/export/compilation/{consolidation.pk}",
        f"/api/export/consolidated/{consolidation.pk}",
        f"/api/export/edition/{edition.pk}",
        f"/api/export/edition/{edition.pk}?format=txt",
    ]
    return [(url, client.get(url)) for url in urls]


@pytest.mark.django_db
def test_text_stored_before_the_check_is_cleaned_by_the_migration_and_every_export_succeeds(demo_db):
    Decision.objects.get_or_create(
        consolidation=Consolidation.objects.first(),
        key=str(Clause.objects.filter(kind="item").first().provision.key),
        defaults={"choice": "own", "text": "settled text", "note": "a note"},
    )
    _poison_stored_text()
    migration = importlib.import_module("drafting.migrations.0010_safe_deployment_bodies_roles_clean_text")
    migration.clean_stored_text(apps, None)
    for model in (Clause, Amendment, Decision, Contribution, Edition):
        for row in model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]):
            assert not any(isinstance(v, str) and forbidden_character(v) for v in row), (model, row)
    client = Client()
    client.force_login(User.objects.get(username="secretariat"))
    for url, response in _every_export(client):
        assert response.status_code == 200, (url, response.content[:300])
        assert len(response.content) > 100


@pytest.mark.django_db
def test_a_clause_saved_with_a_vertical_tab_exports_to_word(demo_db):
    client = Client()
    client.force_login(User.objects.get(username="rcc-delegate"))
    proposal = Proposal.objects.get(contribution__group__code="RCC", action=Proposal.MOD)
    clause = proposal.base_edition.clauses.filter(kind="item").order_by("position").first()
    response = client.put(
        f"/api/proposals/{proposal.pk}/clauses/{clause.provision.key}",
        {"text": "first line\x0bsecond line;", "version": 0},
        content_type="application/json",
    )
    assert response.status_code in (200, 409), response.content[:300]
    exported = client.get(f"/api/export/contribution/{proposal.contribution.pk}")
    assert exported.status_code == 200
