"""Comparing two editions clause by clause, with word-level marks."""

from __future__ import annotations

import re

import pytest

from drafting.engine.compare import compare_editions, counts
from drafting.engine.diff import diff_words
from drafting.engine.tree import ITEM, PART, Clause, ResolutionText
from drafting.services.library import import_text
from tests.library_factories import import_seed, res75_geneva_2022


def test_a_citation_update_marks_only_the_changed_words():
    assert diff_words("Resolution 71 (Rev. Dubai, 2018) on", "Resolution 71 (Rev. Bucharest, 2022) on") == [
        ("equal", "Resolution 71 (Rev. "),
        ("delete", "Dubai, 2018"),
        ("insert", "Bucharest, 2022"),
        ("equal", ") on"),
    ]


def test_identical_texts_are_one_equal_segment():
    assert diff_words("the same text;", "the same text;") == [("equal", "the same text;")]


def test_html_special_characters_survive_the_diff():
    segments = diff_words("a < b & c", "a < b & d")
    assert "".join(t for op, t in segments if op != "insert") == "a < b & c"
    assert "".join(t for op, t in segments if op != "delete") == "a < b & d"


def test_words_keep_their_non_breaking_hyphens():
    assert diff_words("ITU\u2011T work", "ITU\u2011D work") == [
        ("delete", "ITU\u2011T"),
        ("insert", "ITU\u2011D"),
        ("equal", " work"),
    ]


def tree(*items):
    part = Clause(kind=PART, heading="considering", role="preamble", key="p")
    part.children = [Clause(kind=ITEM, label=label, text=text, key=key) for key, label, text in items]
    return ResolutionText(clauses=[part])


def test_compare_pairs_clauses_by_identity_not_by_label():
    old = tree(("a", "a)", "first;"), ("b", "b)", "second;"), ("c", "c)", "third,"))
    new = tree(("a", "a)", "first;"), ("n", "b)", "new;"), ("b", "c)", "second;"), ("c", "d)", "third,"))
    rows = compare_editions(old, new)
    assert [(r.key, r.status) for r in rows] == [
        ("p", "same"),
        ("a", "same"),
        ("n", "added"),
        ("b", "changed"),
        ("c", "changed"),
    ]
    assert rows[3].label == [("delete", "b)"), ("insert", "c)")]
    assert rows[3].relabelled


def test_removed_clauses_stay_where_they_stood():
    old = tree(("a", "a)", "first;"), ("b", "b)", "second;"), ("c", "c)", "third,"))
    new = tree(("a", "a)", "first;"), ("c", "b)", "third,"))
    rows = compare_editions(old, new)
    assert [(r.key, r.status) for r in rows] == [
        ("p", "same"),
        ("a", "same"),
        ("b", "removed"),
        ("c", "changed"),
    ]
    assert rows[2].text == [("delete", "second;")]
    assert counts(rows) == {"same": 2, "changed": 1, "added": 0, "removed": 1, "moved": 0}


def test_a_clause_moved_to_another_part_is_one_row_where_it_now_stands():
    old = ResolutionText(
        clauses=[
            Clause(
                kind=PART,
                heading="recognizing",
                role="preamble",
                key="r",
                children=[
                    Clause(
                        kind=ITEM, label="a)", text="that all governments should have an equal role;", key="x"
                    ),
                    Clause(kind=ITEM, label="b)", text="the need for enhanced cooperation,", key="y"),
                ],
            ),
        ]
    )
    new = ResolutionText(
        clauses=[
            Clause(
                kind=PART,
                heading="recognizing",
                role="preamble",
                key="r",
                children=[
                    Clause(kind=ITEM, text="the need for enhanced cooperation,", key="y"),
                ],
            ),
            Clause(
                kind=PART,
                heading="recognizing further",
                role="preamble",
                key="rf",
                children=[
                    Clause(kind=ITEM, label="a)", text="a new thing;", key="n"),
                    Clause(
                        kind=ITEM, label="b)", text="that all governments should have an equal role,", key="x"
                    ),
                ],
            ),
        ]
    )
    rows = compare_editions(old, new)
    assert [(r.key, r.status, r.moved_from) for r in rows] == [
        ("r", "same", ""),
        ("y", "changed", ""),
        ("rf", "added", ""),
        ("n", "added", ""),
        ("x", "changed", "recognizing a)"),
    ]
    assert counts(rows)["moved"] == 1 and counts(rows)["removed"] == 0


@pytest.mark.django_db
def test_the_compare_page_shows_a_move_as_one(client, seed_text):
    from drafting.demo.citel import base_text

    import_text(seed_text("wtsa-res75-rev-hammamet-2016.txt"), body_code="WTSA", number="75")
    import_text(base_text(), body_code="WTSA", number="75")  # the older edition, after the newer
    html = client.get("/resolutions/wtsa/75/compare/?old=dubai-2012&new=hammamet-2016").content.decode()
    html = html.replace("\u00a0", " ")
    assert "4 moved" in html
    assert html.count("moved from recognizing") == 4
    assert "moved from recognizing a)" in html and "moved from recognizing d)" in html
    # Each of the four once, where Hammamet has it; none of them as removed.
    assert html.count("§ 68 of the Tunis Agenda") == 1
    removed = re.findall(r'<div class="cmp removed.*?</div>\s*</div>', html, flags=re.S)
    assert not any("Tunis Agenda" in r for r in removed)


@pytest.mark.django_db
def test_the_compare_page_shows_additions_removals_relabelling_and_rewording(client):
    import_seed()
    import_text(res75_geneva_2022(), body_code="WTSA", number="75")
    html = client.get("/resolutions/wtsa/75/compare/?old=hammamet-2016&new=geneva-2022").content.decode()
    # Citations are links over the marks (tests/test_citation_links.py); here the marks alone are read.
    html = re.sub(r'<(a|span) class="citation[^"]*"[^>]*>', "", html)
    assert "1 added" in html and "1 removed" in html
    assert "<del>c)</del><ins>d)" in html
    assert "<ins>UNGA Resolution 76/307" in html
    assert "<del>pivotal" in html and "<ins>leading" in html
    assert "<del>Council 2016 Resolution" in html
    only = client.get(
        "/resolutions/wtsa/75/compare/?old=hammamet-2016&new=geneva-2022&changed=1"
    ).content.decode()
    # Only changed clauses, with the headings of their parts as context.
    assert only.count('class="cmp same') == only.count('class="cmp same depth-0 kind-part') == 12
    assert only.count('class="cmp ') < html.count('class="cmp ')


@pytest.mark.django_db
def test_a_resolution_with_one_edition_has_nothing_to_compare(client):
    import_seed()
    html = client.get("/resolutions/wtsa/75/compare/").content.decode()
    assert "there is nothing to compare yet" in html


def test_a_non_breaking_space_for_a_space_is_not_a_change():
    assert diff_words(
        "Resolution\u00a071 (Rev.\u00a0Busan, 2014)", "Resolution 71 (Rev. Bucharest, 2022)"
    ) == [
        ("equal", "Resolution 71 (Rev. "),
        ("delete", "Busan, 2014"),
        ("insert", "Bucharest, 2022"),
        ("equal", ")"),
    ]


@pytest.mark.parametrize(
    "old, new",
    [
        ("ITU-T study groups", "ITU\u2011T study groups"),
        ("ITU\u2011D and ITU\u2010R", "ITU-D and ITU-R"),
        ("ITU's role", "ITU\u2019s role"),
    ],
)
def test_a_non_breaking_hyphen_or_a_curly_apostrophe_for_its_plain_form_is_not_a_change(old, new):
    # Word writes "ITU‑T" with a non-breaking hyphen and "ITU’s" with a typographic apostrophe; a
    # text typed or pasted has the plain forms. A reader sees the same words: shown as the newer has them.
    assert diff_words(old, new) == [("equal", new)]
    # Word's Accept/Reject still needs every character (the .docx export).
    assert diff_words(old, new, exact=True) != [("equal", new)]


def test_editions_that_differ_only_in_hyphens_and_apostrophes_compare_the_same():
    old = tree(("a", "a)", "ITU-T's work;"), ("b", "b)", "the ITU-D sector,"))
    new = tree(("a", "a)", "ITU\u2011T\u2019s work;"), ("b", "b)", "the ITU\u2011D sector,"))
    assert counts(compare_editions(old, new))["same"] == 3
