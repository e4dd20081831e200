"""The importer on the seed documents, with the structure written down from reading them (no database)."""

from __future__ import annotations

import pytest

from drafting.engine.parse import ParseError, parse_resolution
from drafting.engine.tree import OPERATIVE, PREAMBLE


def outline(clauses):
    """(label or heading, [children]) for every clause, children only where there are some."""
    result = []
    for c in clauses:
        name = c.heading if c.kind in ("part", "annex") else c.label or "¶"
        result.append((name, outline(c.children)) if c.children else name)
    return result


def letters(last: str) -> list[str]:
    return [f"{chr(c)})" for c in range(ord("a"), ord(last) + 1)]


def numbers(n: int) -> list[str]:
    return [str(i) for i in range(1, n + 1)]


ROMAN = ["i)", "ii)", "iii)", "iv)", "v)", "vi)", "vii)", "viii)", "ix)", "x)", "xi)"]

RES75_OUTLINE = [
    ("considering", ["a)", "b)", "c)", "d)", ("e)", ROMAN), "f)", "g)", "h)"]),
    ("considering further", letters("d")),
    ("recognizing", letters("b")),
    ("recognizing further", letters("h")),
    ("taking into account", letters("d")),
    ("noting", letters("d")),
    ("noting further", ["¶"]),
    ("resolves", numbers(4)),
    ("instructs the Director of the Telecommunication Standardization Bureau", numbers(6)),
    ("invites Member States, Sector Members, Associates and academia", numbers(3)),
    ("invites Member States", ["¶"]),
    ("invites all stakeholders", numbers(2)),
]

RES1332_OUTLINE = [
    ("recalling", letters("i")),
    (
        "considering",
        [
            "a)",
            "b)",
            "c)",
            "d)",
            ("e)", ["¶", "¶", "i)", "ii)", "iii)", ("iv)", ["–", "–", "–"]), "¶", "¶"]),
            "f)",
        ],
    ),
    ("recognizing", letters("c")),
    ("noting", ["¶"]),
    ("resolves", ["1", "2", ("3", ["a)", "b)"]), "4"]),
    ("instructs the Secretary-General", numbers(11)),
    ("instructs the Secretary-General and the Directors of the Bureaux", numbers(5)),
    ("encourages Member States, Sector Members, and all Stakeholders", numbers(6)),
    ("ANNEX", letters("h")),
]


@pytest.fixture(scope="module")
def res75(request):
    from tests.conftest import SEEDS

    return parse_resolution((SEEDS / "wtsa-res75-rev-hammamet-2016.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def res1332():
    from tests.conftest import SEEDS

    return parse_resolution((SEEDS / "council-res1332.txt").read_text(encoding="utf-8"))


def test_res75_front_lines(res75):
    assert res75.number == "75"
    assert res75.revision == "Rev.\u00a0Hammamet, 2016"
    assert res75.title.startswith("The ITU Telecommunication Standardization Sector's contribution")
    assert res75.title.endswith("taking into account the 2030 Agenda for Sustainable Development")
    assert res75.history == "(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016)"
    assert res75.enacting_formula == "The World Telecommunication Standardization Assembly (Hammamet, 2016),"


def test_res75_parts_labels_and_nesting(res75):
    assert outline(res75.clauses) == RES75_OUTLINE
    roles = [p.role for p in res75.parts]
    assert roles == [PREAMBLE] * 7 + [OPERATIVE] * 5
    assert res75.annexes == []
    assert res75.unplaced == []


def test_res75_foreword_and_noise_are_left_out(res75):
    assert any(line.startswith("FOREWORD") for line in res75.skipped)
    texts = [c.text for c, _ in res75.walk()] + [c.heading for c, _ in res75.walk()]
    assert not any("bookmark" in t or "FOREWORD" in t or "ISO and IEC" in t for t in texts)


def test_res75_texts_are_kept_exactly(res75):
    considering = res75.clauses[0]
    assert (
        considering.children[0].text
        == "the relevant outcomes of both phases of the World Summit on the Information Society (WSIS);"
    )
    e = considering.children[4]
    assert e.text.endswith("and the 2016 session of the ITU Council:")
    # "ix) <tab>" in the seed: the label is still "ix)" and the text starts cleanly.
    assert e.children[8].label == "ix)"
    assert e.children[8].text.startswith("Resolution 178 (Guadalajara, 2010)")
    # Non-breaking spaces and hyphens stay as they were typed.
    assert e.children[0].text.startswith("Resolution\u00a071 (Rev.\u00a0Busan,2014)")
    assert "ITU\u2011T" in considering.children[5].text
    last = res75.clauses[-1].children[-1]
    assert (
        last.text
        == "to participate actively in the online and physical open consultations of CWG\u2011Internet."
    )
    assert (
        res75.parts[6]
        .children[0]
        .text.startswith("that the ITU Secretary-General created the ITU WSIS Task Force")
    )


def test_res1332_has_no_heading_line_and_starts_at_its_title(res1332):
    assert res1332.number == ""
    assert res1332.revision == ""
    assert (
        res1332.title
        == "ITU role in the implementation of the WSIS outcomes and the 2030 Agenda for Sustainable Development"
    )
    assert res1332.enacting_formula == "The Council,"
    assert res1332.history == ""


def test_res1332_deep_nesting_and_annex(res1332):
    assert outline(res1332.clauses) == RES1332_OUTLINE
    e = res1332.clauses[1].children[4]
    assert e.children[0].text.startswith("facilitate membership input and guidance")
    assert e.children[1].text == "requested Council:"
    assert e.children[5].children[0].text.startswith("the ITU activities related to the implementation")
    assert e.children[6].text == "and invites ITU members:"
    # A paragraph the seed indents with a tab is still e)'s paragraph.
    assert e.children[7].text.startswith("to participate actively in implementing the WSIS outcomes")
    annex = res1332.annexes[0]
    assert annex.text == "Council CWG-WSIS&SDG Terms of Reference"
    assert annex.children[-1].label == "h)"


def test_considering_with_a_trailing_comma_is_a_heading_without_it(res1332):
    assert res1332.clauses[1].heading == "considering"


def test_res1332_footnote_is_attached_where_it_is_referenced(res1332):
    f = res1332.clauses[1].children[5]
    assert f.label == "f)"
    assert "relevant organizations[^1] involved in the development of IP-based networks" in f.text
    assert f.text.endswith("promote affordable international connectivity,")
    assert [(n.number, n.text[:40]) for n in f.footnotes] == [(1, "including, but not limited, to the Inter")]
    assert f.footnotes[0].text.endswith("on the basis of reciprocity.")
    assert sum(len(c.footnotes) for c, _ in res1332.walk()) == 1


@pytest.mark.parametrize(
    ("seed", "number", "headings", "first_skipped", "items"),
    [
        (
            "atu-proposal-wtsa-res75.txt",
            "75",
            [
                "consideringrecalling",
                "considering further",
                "recognizing",
                "recognizing further",
                "taking into account",
                "noting",
                "noting further",
                "resolves",
                "instructs the Director of the Telecommunication Standardization Bureau",
                "invites Member States, Sector Members, Associates and Academia",
                "invites Member States",
                "invites all stakeholders",
            ],
            "Abstract:",
            83,
        ),
        (
            "citel-proposal-wtsa-res75.txt",
            "75",
            [
                "considering",
                "considering further",
                "recognizing",
                "recognizing further",
                "taking into account",
                "noting",
                "noting further",
                "resolves",
                "instructs the Director of the Telecommunication Standardization Bureau",
                "invites Member States and Sector Members",
                "invites Member States",
                "invites all stakeholders",
            ],
            "Abstract:",
            None,
        ),
        (
            "rcc-proposal-wtdc-res30.txt",
            "30",
            None,
            None,
            None,
        ),
    ],
)
def test_proposal_seeds_import_as_the_text_they_hold(seed_text, seed, number, headings, first_skipped, items):
    parsed = parse_resolution(seed_text(seed))
    assert parsed.number == number
    assert parsed.unplaced == []
    all_text = " ".join(c.text + c.heading for c, _ in parsed.walk())
    for front in ("Abstract:", "Introduction", "MOD\t", "Contact:", "Oscar León", "WTDC-17 is invited"):
        assert front not in all_text
    assert any(line.startswith(("MOD", "Abstract", "Summary", "–")) for line in parsed.skipped)
    if headings is not None:
        assert [p.heading for p in parsed.parts] == headings
    if first_skipped is not None:
        assert parsed.skipped[0].startswith(first_skipped)
    if items is not None:
        assert sum(1 for c, _ in parsed.walk() if c.kind == "item") == items


def test_rcc_proposal_headings_include_resolves_to_invite(seed_text):
    parsed = parse_resolution(seed_text("rcc-proposal-wtdc-res30.txt"))
    headings = [p.heading for p in parsed.parts]
    assert "resolves to invite the ITU Telecommunication Development Sector" in headings
    assert "further instructs the Director of the Telecommunication Development Bureau" in headings
    assert headings[-1] == "requests the Secretary-General"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("   \n\t\n  ", "empty"),
        ("abc\x00\x01def", "binary"),
        (
            "This is a letter about a meeting.\nWe will discuss the budget next week.",
            "No resolution was recognised",
        ),
    ],
)
def test_text_that_is_not_a_resolution_is_refused_with_a_reason(text, words):
    with pytest.raises(ParseError, match=words):
        parse_resolution(text)


@pytest.mark.parametrize(
    "line",
    [
        "ANNEX",
        "ANNEX 2",
        "ANNEX A",
        "ANNEX (to Resolution 35 (Rev. Hammamet, 2016))",
        "ANNEX (TO RESOLUTION 35 (REV. GENEVA, 2022))",
        "Annex (to Resolution 35 (Rev. Geneva, 2022))",
        "ANNEX A (to Resolution 2 (Rev. Hammamet, 2016))",
        "Annex 1 to Resolution 1",
        "APPENDIX 1 (to Annex A)",
        "Attachment to Annex 2",
    ],
)
def test_an_annex_is_recognised_as_itu_writes_its_heading(line):
    text = (
        "RESOLUTION 35 (Rev. Hammamet, 2016)\nTitle\n(Montreal, 2000; Hammamet, 2016)\n"
        "The World Telecommunication Standardization Assembly (Hammamet, 2016),\n"
        "resolves\n1\tthat candidates shall be appointed on merit;\n"
        "2\tthat terms shall be limited.\n"
        f"{line}\nQualifications of chairmen and vice-chairmen\n"
        "In appointing chairmen, the following qualifications should be taken into account:\n"
        "a)\tknowledge and experience;\nb)\tmanagerial competence.\n"
    )
    parsed = parse_resolution(text)
    assert [c.kind for c in parsed.clauses] == ["part", "annex"]
    annex = parsed.clauses[1]
    assert (annex.heading, annex.text) == (line, "Qualifications of chairmen and vice-chairmen")
    assert outline(annex.children) == ["¶", "a)", "b)"]
    assert [c.label for c in parsed.clauses[0].children] == ["1", "2"]


@pytest.mark.parametrize(
    "line",
    [
        "Annex 1 sets out the qualifications to be taken into account.",
        "Annexes to this resolution are published separately",
        "ANNEXED to the Final Acts",
        "Annex to this resolution: the list of candidates.",
    ],
)
def test_a_sentence_that_opens_with_annex_is_not_an_annex(line):
    text = (
        "RESOLUTION 35 (Rev. Hammamet, 2016)\nTitle\n(Hammamet, 2016)\n"
        "The World Telecommunication Standardization Assembly (Hammamet, 2016),\n"
        f"resolves\n1\tthat candidates shall be appointed on merit;\n{line}\n2\tthat terms shall be limited.\n"
    )
    parsed = parse_resolution(text)
    assert [c.kind for c in parsed.clauses] == ["part"]
