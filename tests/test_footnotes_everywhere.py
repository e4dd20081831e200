"""Footnotes on the title, the history line and part headings, and custom marks ("1bis"), kept from
the plain text and Word files through the model, the printer and the exports."""

from __future__ import annotations

import pytest

from drafting.engine.docx_text import docx_to_text
from drafting.engine.docx_write import edition_docx
from drafting.engine.parse import parse_resolution
from drafting.engine.printer import print_resolution
from tests import word_revisions as wr

# As ITU's plain-text form of WTSA Resolution 1 has it: two footnotes on the history line, the second
# with ITU's custom mark "1bis", one on the title and one on a part heading.
RES1 = """RESOLUTION 1 (Rev. Hammamet, 2016)
Rules of procedure of the ITU Telecommunication Standardization Sector[footnoteRef:1]1 [1: 1\tAs amended.]
(Helsinki, 1993; Hammamet, 2016)[footnoteRef:2]2[footnoteRef:3]1bis [2: 2\tSee also Resolution 2.] [3: 1bis\tThe Assembly met once a year.]
The World Telecommunication Standardization Assembly (Hammamet, 2016),
considering[footnoteRef:4]4 [4: 4\tA note on the part.]
a)\tthat the rules apply once a year[footnoteRef:5]2bis; [5: 2bis\tAt least.]
resolves
1\tto adopt the rules.
"""


def test_footnotes_on_the_title_the_history_line_and_a_part_heading_are_kept():
    tree = parse_resolution(RES1)
    assert tree.title == "Rules of procedure of the ITU Telecommunication Standardization Sector[^1]"
    assert tree.history == "(Helsinki, 1993; Hammamet, 2016)[^2][^3]"
    assert [(f.number, f.mark, f.text) for f in tree.footnotes] == [
        (1, "", "As amended."),
        (2, "", "See also Resolution 2."),
        (3, "1bis", "The Assembly met once a year."),
    ]
    considering = tree.parts[0]
    assert considering.heading == "considering[^4]"
    assert [(f.number, f.text) for f in considering.footnotes] == [(4, "A note on the part.")]
    item = considering.children[0]
    assert item.text == "that the rules apply once a year[^5];"
    assert [(f.mark, f.text) for f in item.footnotes] == [("2bis", "At least.")]


def test_printing_and_reading_again_gives_the_same_tree():
    tree = parse_resolution(RES1)
    printed = print_resolution(tree)
    assert "(Helsinki, 1993; Hammamet, 2016)[footnoteRef:2]2[footnoteRef:3]1bis" in printed
    assert parse_resolution(printed).shape() == tree.shape()


def test_a_word_edition_has_them_as_real_footnotes_and_reads_back_the_same():
    tree = parse_resolution(RES1)
    data = edition_docx(tree, "1")
    lines = wr.Resolved(data, wr.ACCEPT).lines()
    assert (
        "(Helsinki, 1993; Hammamet, 2016)[^See also Resolution 2.][^1bis: The Assembly met once a year.]"
        in lines
    )
    assert "considering[^A note on the part.]" in lines
    assert parse_resolution(docx_to_text(data)).shape() == tree.shape()


@pytest.mark.django_db
def test_the_library_keeps_them_and_the_edition_page_and_exports_show_them(client):
    from drafting.models import Body
    from drafting.reading import edition_tree
    from drafting.services.library import import_text

    Body.objects.get_or_create(
        code="WTSA", defaults={"name": "World Telecommunication Standardization Assembly"}
    )
    edition = import_text(RES1, body_code="WTSA").edition
    tree = edition_tree(edition)
    assert tree.shape() == parse_resolution(RES1).shape()
    assert print_resolution(tree) == print_resolution(parse_resolution(RES1))
    page = client.get(edition.get_absolute_url()).content.decode()
    assert "(Helsinki, 1993; Hammamet, 2016)<sup" in page and "[^2]" not in page
    assert "<sup>1bis</sup> The Assembly met once a year." in page
    assert "A note on the part." in page and "considering[^4]" not in page
    from django.urls import reverse

    url = reverse("edition_export", args=["wtsa", edition.resolution.slug, edition.slug, "json"])
    notes = client.get(url).json()["footnotes"]
    assert notes[2] == {"number": 3, "text": "The Assembly met once a year.", "mark": "1bis"}


def test_a_revision_writes_the_new_edition_inside_the_history_parenthesis_before_its_footnotes():
    from drafting.engine.amend import apply_amendments
    from drafting.engine.docx_write import ContributionDoc, ProposalDoc, contribution_docx

    tree = parse_resolution(RES1)
    for clause, _ in tree.walk():
        clause.key = f"k{id(clause)}"
    draft = apply_amendments(tree, [])
    doc = ContributionDoc(
        conference="WTSA-24\nNew Delhi, 2024",
        document="Addendum 1 to Document 9-E",
        date="1 September 2024",
        language="Original: English",
        source="ATU",
        author="ATU",
        title="Proposals",
        proposals=[
            ProposalDoc(
                label="MOD ATU/9A1/1",
                reasons="x",
                draft=draft,
                revision=("Hammamet, 2016", "New Delhi, 2024"),
            )
        ],
    )
    data = contribution_docx(doc)
    accepted, rejected = wr.draft_expectations(draft, ("Hammamet, 2016", "New Delhi, 2024"))
    assert (
        accepted[2]
        == "(Helsinki, 1993; Hammamet, 2016; New Delhi, 2024)[^See also Resolution 2.][^1bis: The Assembly met once a year.]"
    )
    for mode, wanted in ((wr.ACCEPT, accepted), (wr.REJECT, rejected)):
        assert wr.proposal_lines(wr.Resolved(data, mode).lines(), "MOD ATU/9A1/1") == wanted


@pytest.mark.django_db
def test_a_proposal_on_a_text_with_footnotes_everywhere_imports_back_as_its_one_change():
    from drafting.engine.amend import MODIFY, Amendment, apply_amendments
    from drafting.engine.docx_write import ContributionDoc, ProposalDoc, contribution_docx
    from drafting.models import Body
    from drafting.reading import edition_tree
    from drafting.services.library import import_text
    from drafting.services.word import preview_docx_proposal

    Body.objects.get_or_create(
        code="WTSA", defaults={"name": "World Telecommunication Standardization Assembly"}
    )
    edition = import_text(RES1, body_code="WTSA").edition
    base = edition_tree(edition)
    item = base.parts[0].children[0]
    change = Amendment(MODIFY, item.key, text="that the rules apply twice a year[^5];")
    doc = ContributionDoc(
        conference="WTSA-24\nNew Delhi, 2024",
        document="Addendum 1 to Document 9-E",
        date="1 September 2024",
        language="Original: English",
        source="ATU",
        author="ATU",
        title="Proposals",
        proposals=[
            ProposalDoc(
                label="MOD ATU/9A1/1",
                reasons="Twice.",
                draft=apply_amendments(base, [change]),
                revision=("Hammamet, 2016", "New Delhi, 2024"),
            )
        ],
    )
    for tracked in (True, False):
        preview = preview_docx_proposal("atu.docx", contribution_docx(doc, tracked=tracked), edition)
        assert [(a.action, a.target, a.text) for a in preview.amendments] == [
            (MODIFY, item.key, "that the rules apply twice a year[^5];")
        ]
        assert preview.unplaced == []


def test_a_custom_mark_is_read_whether_a_tab_or_a_space_follows_it_in_the_definition():
    text = RES1.replace("[3: 1bis\tThe Assembly", "[3: 1bis The Assembly").replace(
        "[5: 2bis\tAt", "[5: 2bis \tAt"
    )
    tree = parse_resolution(text)
    assert tree.footnotes[2].mark == "1bis" and tree.footnotes[2].text == "The Assembly met once a year."
    item = tree.parts[0].children[0]
    assert (item.footnotes[0].mark, item.footnotes[0].text) == ("2bis", "At least.")
