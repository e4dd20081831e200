"""Every number, length and count a .docx carries is bounded where it is read (issue 22).

An attacker's second round found small files inside the package limits that asked for unbounded
work through their values: a list starting at two billion in upper roman (11 s of CPU, +372 MB),
``%1`` fifty times in a label pattern, ten thousand footnote calls in one paragraph (quadratic),
118 parts of 64,000 elements each; and values Word never writes (``w:sym w:char="ZZZZ"``,
``ilvl="x"``, ``start="abc"``) answered 500. Each is now refused with a message saying where in
the file, on every importer, and nothing is saved.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting.engine import limits
from drafting.engine.docx_package import LIMITS
from drafting.engine.docx_text import docx_to_text
from drafting.engine.parse import ParseError, parse_resolution
from drafting.engine.proposal_docx import read_contribution
from drafting.models import Amendment, Contribution, Edition, Proposal, ProposalUpload
from tests import hostile_docx as h

pytestmark = pytest.mark.http_surface  # once: tests/conftest.py, shares

# Values Word does not write: refused as malformed, naming the place.
MALFORMED = {
    "a symbol with letters for a code": (lambda head: h.symbol_docx("ZZZZ", head=head), "paragraph"),
    "a symbol past the last character": (lambda head: h.symbol_docx("110000", head=head), "paragraph"),
    "a symbol that is half a character": (lambda head: h.symbol_docx("D800", head=head), "paragraph"),
    "a list level that is not a number": (lambda head: h.numbered_docx(3, ilvl="x", head=head), "list 7"),
    "a paragraph's list level that is not a number": (
        lambda head: h.numbered_docx(3, paragraph_ilvl="x", head=head),
        "paragraph",
    ),
    "a list level past Word's nine": (lambda head: h.numbered_docx(3, ilvl="9", head=head), "list 7"),
    "a list start that is not a number": (lambda head: h.numbered_docx(3, start="abc", head=head), "list 7"),
    "a negative list start": (lambda head: h.numbered_docx(3, start="-4", head=head), "list 7"),
    "a restart that is not a number": (
        lambda head: h.numbered_docx(3, override="abc", head=head),
        "list instance 9",
    ),
}

# Values past what any resolution needs: refused as too much work, naming the place and the bound.
TOO_MUCH = {
    "a list starting at two billion in upper roman": (
        lambda head: h.numbered_docx(30, start="2000000000", fmt="upperRoman", head=head),
        "32,767",
    ),
    "a list starting at the largest start in upper roman": (
        lambda head: h.numbered_docx(30, start="32767", fmt="upperRoman", head=head),
        "label longer than 20",
    ),
    "a lettered list past six hundred items": (
        lambda head: h.numbered_docx(3, start="700", fmt="lowerLetter", head=head),
        "label longer than 20",
    ),
    "%1 fifty times in the label pattern": (
        lambda head: h.numbered_docx(3, start="1000", fmt="lowerLetter", lvl_text="%1" * 50, head=head),
        "label pattern (w:lvlText)",
    ),
    "ten thousand footnote calls in one paragraph": (
        lambda head: h.footnoted_docx(10_000, head=head),
        "more than 100 footnote calls",
    ),
    "ten thousand custom footnote marks in one paragraph": (
        lambda head: h.footnoted_docx(10_000, custom=True, head=head),
        "more than 100 footnote calls",
    ),
    "more footnotes than a resolution has": (
        lambda head: h.footnoted_docx(100, paragraphs=6, head=head),
        "more than 500 footnotes",
    ),
    "footnotes called again and again": (
        lambda head: h.footnoted_docx(100, paragraphs=40, note_chars=5000, head=head),
        "2,000,000 characters",
    ),
}

PACKAGE = {
    "118 parts of 64,000 elements each": (lambda head: h.many_element_parts(118), "elements in all"),
}

ALL = {**MALFORMED, **TOO_MUCH, **PACKAGE}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_a_value_word_does_not_write_is_refused_with_its_place(case):
    make, place = MALFORMED[case]
    with pytest.raises(ParseError) as refused:
        docx_to_text(make(h.LIBRARY_HEAD))
    message = str(refused.value)
    assert "not what Word writes" in message and place in message, message


@pytest.mark.parametrize("case", list(TOO_MUCH) + list(PACKAGE), ids=list(TOO_MUCH) + list(PACKAGE))
def test_a_value_past_its_bound_is_refused_quickly_naming_the_bound(case):
    make, words = {**TOO_MUCH, **PACKAGE}[case]
    data = make(h.LIBRARY_HEAD)
    started = time.process_time()
    with pytest.raises(ParseError) as refused:
        parse_resolution(docx_to_text(data))
    assert words in str(refused.value), str(refused.value)
    # The file took 11 s; refused early, these take a fraction of one (on a busy machine).
    assert time.process_time() - started < 2.0


def test_a_list_inside_the_bounds_is_numbered_as_word_shows_it():
    text = docx_to_text(h.numbered_docx(3, start="32767", fmt="decimal"))
    assert "32767)\tto act on item 0;" in text and "32769)\tto act on item 2;" in text
    text = docx_to_text(h.numbered_docx(1, start="520", fmt="lowerLetter"))
    assert "z" * 20 + ")\tto act on item 0;" in text  # item 520: twenty letters, still a label
    assert "iv)\tto act" in docx_to_text(h.numbered_docx(2, start="3", fmt="lowerRoman"))


def test_footnote_calls_up_to_the_bound_are_all_read_in_linear_time():
    paragraphs = limits.MAX_FOOTNOTES // limits.MAX_NOTES_PER_PARAGRAPH
    data = h.footnoted_docx(limits.MAX_NOTES_PER_PARAGRAPH, paragraphs=paragraphs, custom=True)
    started = time.process_time()
    text = docx_to_text(data)
    parsed = parse_resolution(text)
    assert time.process_time() - started < 2.0
    item = parsed.clauses[0].children[0]
    assert len(item.footnotes) == limits.MAX_NOTES_PER_PARAGRAPH
    assert {note.mark for note in item.footnotes} == {"1bis"}


def test_the_parser_reads_many_footnote_definitions_on_one_line_in_linear_time():
    # A .txt reaches the parser without the Word reader's bound: the parser is linear by itself.
    count = limits.MAX_FOOTNOTES
    calls = "".join(f"[footnoteRef:{n}]{n}" for n in range(1, count + 1))
    notes = "".join(f" [{n}: {n}\tNote {n}.]" for n in range(1, count + 1))
    text = f"RESOLUTION 1 (Geneva, 2024)\nA title\nresolves\n1\tto act{calls};{notes}\n"
    started = time.process_time()
    parsed = parse_resolution(text)
    assert time.process_time() - started < 2.0
    assert len(parsed.clauses[0].children[0].footnotes) == count
    too_many = text.replace(
        ";", f"[footnoteRef:{count + 1}]{count + 1}; [{count + 1}: {count + 1}\tOne more.]"
    )
    with pytest.raises(ParseError, match=f"at most {count:,}"):
        parse_resolution(too_many)


def test_a_clause_longer_than_the_tool_keeps_is_refused_by_the_parser_with_the_limit():
    text = "RESOLUTION 1 (Geneva, 2024)\nA title\nresolves\n1\t" + "word " * 5000 + ";\n"
    with pytest.raises(ParseError, match="at most 20,000"):
        parse_resolution(text)
    with pytest.raises(ParseError, match="title"):
        parse_resolution("RESOLUTION 1 (Geneva, 2024)\n" + "A title " * 200 + "\nresolves\n1\tto act.\n")


# Any value in the places the reader turns into numbers and characters: read, or refused with a
# ParseError; never another exception, never long.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.text(min_size=0, max_size=12),
    ilvl=st.text(alphabet="0123456789x-", min_size=0, max_size=4),
    char=st.text(alphabet="0123456789ABCDEFXZ", min_size=0, max_size=7),
    fmt=st.sampled_from(["decimal", "lowerLetter", "upperRoman", "bullet", "madeUp"]),
    lvl_text=st.text(alphabet="%1234567890).", max_size=80),
)
def test_any_numbering_or_symbol_value_is_read_or_refused_with_a_message(start, ilvl, char, fmt, lvl_text):
    escape = str.maketrans({"<": "", "&": "", '"': ""})
    start, lvl_text = start.translate(escape), lvl_text.translate(escape)
    for data in (
        h.numbered_docx(5, start=start, ilvl=ilvl, fmt=fmt, lvl_text=lvl_text),
        h.symbol_docx(char),
    ):
        started = time.process_time()
        try:
            docx_to_text(data)
        except ParseError:
            pass
        assert time.process_time() - started < 1.0


# --- through every importer, on the database: 400 with the place, nothing saved ------------------


def _saved() -> tuple[int, int, int, int]:
    return (
        Proposal.objects.count(),
        Amendment.objects.count(),
        ProposalUpload.objects.count(),
        Edition.objects.count(),
    )


IMPORTER_CASES = [
    "a symbol with letters for a code",
    "a list start that is not a number",
    "a list level that is not a number",
    "a list starting at two billion in upper roman",
    "ten thousand footnote calls in one paragraph",
]


def _draft_and_edition():
    draft = Contribution.objects.get(status=Contribution.DRAFT, group__code="RCC")
    return draft, draft.proposals.exclude(base_edition=None).first().base_edition


def _expected(case: str) -> str:
    return ALL[case][1]


@pytest.mark.django_db
@pytest.mark.parametrize("case", IMPORTER_CASES)
def test_the_library_import_page_refuses_it_with_its_place(demo_db, case):
    client = Client()
    client.force_login(User.objects.get(username="secretariat"))
    before = _saved()
    response = client.post(
        "/library/import/",
        {"file": SimpleUploadedFile("r.docx", ALL[case][0](h.LIBRARY_HEAD)), "body": "WTSA", "number": "75"},
    )
    assert response.status_code == 400
    assert _expected(case) in response.content.decode()
    assert _saved() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", IMPORTER_CASES)
def test_the_proposal_import_page_refuses_it_with_its_place(demo_db, case):
    draft, edition = _draft_and_edition()
    client = Client()
    client.force_login(User.objects.get(username="rcc-delegate"))
    before = _saved()
    response = client.post(
        f"/contributions/{draft.pk}/import/",
        {"file": SimpleUploadedFile("p.docx", ALL[case][0](h.PROPOSAL_HEAD)), "edition": edition.pk},
    )
    assert response.status_code == 400
    assert _expected(case) in response.content.decode()
    assert _saved() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", IMPORTER_CASES)
def test_the_api_import_refuses_it_with_its_place(demo_db, case):
    draft, edition = _draft_and_edition()
    client = Client()
    client.force_login(User.objects.get(username="rcc-delegate"))
    before = _saved()
    response = client.post(
        f"/api/contributions/{draft.pk}/imports",
        {"file": SimpleUploadedFile("p.docx", ALL[case][0](h.PROPOSAL_HEAD)), "base_edition": edition.pk},
    )
    assert response.status_code == 400
    assert _expected(case) in response.json()["detail"]
    assert _saved() == before


def test_the_bounds_are_what_the_readme_says():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for figure in (
        LIMITS.max_total_xml_elements,
        limits.MAX_LIST_START,
        limits.MAX_NOTES_PER_PARAGRAPH,
        limits.MAX_DOCUMENT_CHARS,
        limits.MAX_CLAUSE_CHARS,
    ):
        assert f"{figure:,}" in readme, figure


def test_reading_a_contribution_reads_each_paragraph_once():
    # Tracked insertions and the text come from one reading of the body (it was read twice).
    data = h.body_docx([h.text_paragraph(f"{i}\tto act;") for i in range(1, 200)], head=h.PROPOSAL_HEAD)
    contribution = read_contribution(data)
    assert contribution.proposals[0].label == "ATU/35A18/1"
