"""Every form of citation a careful reader finds in ITU texts, on the sentences that once went unread (no database).

Lists with several editions, paragraphs and names of the WSIS documents, UN documents named by title or
pinned to a paragraph, Council resolutions by session, pinpoints into other resolutions, and references
inside the text ("resolves 1 and 2 above", "Annex 2 to this resolution").
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.engine.citations import (
    COUNCIL,
    INTERNAL,
    PP,
    RESOLUTION,
    UN_RESOLUTION,
    WSIS,
    WTDC,
    WTSA,
    Context,
    cited_lists,
    parse_citations,
)

WTSA_2016 = Context(WTSA, "Hammamet", 2016)


def read(text: str, context: Context = WTSA_2016) -> list[str]:
    return [c.describe() + (f" [{c.pinpoint}]" if c.pinpoint else "") for c in parse_citations(text, context)]


# 1. Lists with several editions ----------------------------------------------------------------


def test_each_number_of_a_list_takes_the_edition_that_follows_it():
    text = "Resolutions 47 and 48 (Rev. Dubai, 2012) and 49, 50, 52, 64, 69 and 75 (Rev. Hammamet, 2016)"
    assert read(text) == [
        "WTSA Resolution 47 (Rev. Dubai, 2012)",
        "WTSA Resolution 48 (Rev. Dubai, 2012)",
        "WTSA Resolution 49 (Rev. Hammamet, 2016)",
        "WTSA Resolution 50 (Rev. Hammamet, 2016)",
        "WTSA Resolution 52 (Rev. Hammamet, 2016)",
        "WTSA Resolution 64 (Rev. Hammamet, 2016)",
        "WTSA Resolution 69 (Rev. Hammamet, 2016)",
        "WTSA Resolution 75 (Rev. Hammamet, 2016)",
    ]
    found = parse_citations(text, WTSA_2016)
    assert all(text[c.start : c.end] == c.text for c in found)
    assert text[found[-1].edition_start : found[-1].edition_end] == "(Rev. Hammamet, 2016)"
    # One list, two groups: an update can rewrite either edition.
    (lst,) = cited_lists(text, WTSA_2016)
    assert [len(g.citations) for g in lst.groups] == [2, 6]


def test_a_second_edition_does_not_drop_the_number_before_it():
    assert read("Resolutions 45 (Rev. Dubai, 2014) and 69 (Rev. Buenos Aires, 2017)", Context()) == [
        "WTDC Resolution 45 (Rev. Dubai, 2014)",
        "WTDC Resolution 69 (Rev. Buenos Aires, 2017)",
    ]


def test_the_body_after_the_last_edition_is_every_groups_where_it_met_then():
    text = "Resolutions 101 (Rev. Busan, 2014) and 102 and 133 (Rev. Dubai, 2018) of the Plenipotentiary Conference"
    assert read(text) == [
        "PP Resolution 101 (Rev. Busan, 2014)",
        "PP Resolution 102 (Rev. Dubai, 2018)",
        "PP Resolution 133 (Rev. Dubai, 2018)",
    ]


def test_numbers_after_an_edition_with_no_edition_or_body_of_their_own_are_not_read():
    assert read("Resolution 71 (Rev. Busan, 2014) and 2016-2019 plans and 3 others") == [
        "PP Resolution 71 (Rev. Busan, 2014)"
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(1, 250), min_size=1, max_size=5, unique=True),
            st.sampled_from([("Dubai", 2018), ("Busan", 2014), ("Guadalajara", 2010), ("Bucharest", 2022)]),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from([", ", " and ", ", and "]),
)
def test_a_list_of_n_numbers_with_k_editions_gives_n_citations_with_their_editions(groups, joiner):
    pieces, expected = [], []
    for numbers, (place, year), revised in groups:
        written = [str(n) for n in numbers]
        listed = written[0] if len(written) == 1 else ", ".join(written[:-1]) + " and " + written[-1]
        pieces.append(f"{listed} ({'Rev. ' if revised else ''}{place}, {year})")
        expected += [(PP, str(n), place, year, revised) for n in numbers]
    text = "Resolutions " + joiner.join(pieces) + " of the Plenipotentiary Conference, on"
    found = parse_citations(text, Context(WTDC, "Kigali", 2022))
    assert [(c.body, c.number, c.place, c.year, c.revised) for c in found] == expected
    assert all(c.kind == RESOLUTION and not c.problem for c in found)


# 2. WSIS documents, their paragraphs, and UN documents by paragraph ------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as stated in the Tunis Agenda;", ["Tunis Agenda"]),
        (
            "the Geneva Plan of Action and the Geneva Declaration of Principles",
            ["Geneva Plan of Action", "Geneva Declaration of Principles"],
        ),
        (
            "including the Geneva Declaration of Principles, the Geneva Plan of Action, the Tunis Commitment and the Tunis Agenda for the Information Society;",
            ["Geneva Declaration of Principles", "Geneva Plan of Action", "Tunis Commitment", "Tunis Agenda"],
        ),
        (
            "the Geneva Declaration of Principles and Plan of Action and Tunis Commitment and Tunis Agenda",
            ["Geneva Declaration of Principles", "Geneva Plan of Action", "Tunis Commitment", "Tunis Agenda"],
        ),
        ("C6 (Enabling environment) of the WSIS Plan of Action, for which", ["Geneva Plan of Action"]),
        (
            "the WSIS+10 Statement on the Implementation of WSIS Outcomes and WSIS+10 Vision for WSIS Beyond 2015, adopted",
            ["WSIS+10 Statement", "WSIS+10 Vision"],
        ),
        ("in paragraphs 29-82 of the Tunis Agenda concerning", ["Tunis Agenda [§§ 29-82]"]),
        ("§§ 29-82 of the Tunis Agenda", ["Tunis Agenda [§§ 29-82]"]),
        ("§§ 27 and 50 of the Tunis Agenda", ["Tunis Agenda [§§ 27 and 50]"]),
        ("as expressed in §§ 69\u201171 of the Tunis Agenda;", ["Tunis Agenda [§§ 69-71]"]),
        ("detailed in §§ 69 to 71 of the Tunis Agenda and", ["Tunis Agenda [§§ 69 to 71]"]),
        ("as stated in §\u00a0109 of the Tunis Agenda;", ["Tunis Agenda [§ 109]"]),
        ("the Tunis Agenda, in particular §§ 27 and 50,", ["Tunis Agenda [§§ 27 and 50]"]),
    ],
)
def test_wsis_documents_by_name_and_by_paragraph(text, expected):
    found = parse_citations(text, WTSA_2016)
    assert all(c.kind == WSIS for c in found)
    assert read(text) == expected


def test_paragraphs_of_a_un_resolution_cite_that_resolution():
    text = (
        "that UNGA, in Resolution 70/125, called for continued dialogue, which is already under way in "
        "accordance with § 65 of that resolution,"
    )
    assert read(text) == ["UNGA Resolution A/RES/70/125", "UNGA Resolution A/RES/70/125 [§ 65]"]
    text = (
        "as well as § 57 of the outcome document of the 2015 high-level meeting of the General Assembly on the "
        "overall review of the implementation of the WSIS outcomes,"
    )
    (c,) = parse_citations(text, WTSA_2016)
    assert (c.kind, c.number, c.pinpoint) == (UN_RESOLUTION, "A/RES/70/125", "§ 57")
    assert read("§§ 5 and 9 of UNGA Resolution A/RES/70/125;") == [
        "UNGA Resolution A/RES/70/125 [§§ 5 and 9]"
    ]


def test_a_un_document_named_by_its_title_is_cited_once():
    assert read(
        "that the Outcome Document of the UNGA on the overall review of the implementation of the outcomes "
        "of the World Summit on the Information Society has substantial implications"
    ) == ["UNGA Resolution A/RES/70/125"]
    # The title written after the symbol is the same citation, not a second one.
    assert read(
        "UNGA Resolution A/70/125 \u201cOutcome Document of the high-level meeting of the General Assembly on "
        "the overall review of the implementation of the outcomes of the World Summit on the Information Society\u201d;"
    ) == ["UNGA Resolution A/RES/70/125"]


# 3. Pinpoints into other resolutions, footnote sentences ---------------------------------------


def test_a_part_of_another_resolution_is_a_pinpoint_of_its_citation():
    assert read("resolves 2 of Resolution 58 (Rev. Busan, 2014);") == [
        "PP Resolution 58 (Rev. Busan, 2014) [resolves 2]"
    ]
    assert read("in Annex 1 to Resolution 71 (Rev. Dubai, 2018) of the Plenipotentiary Conference") == [
        "PP Resolution 71 (Rev. Dubai, 2018) [Annex 1]"
    ]
    assert read("under instructs the Director 2 of Resolution 44 (Rev. Dubai, 2012)") == [
        "WTSA Resolution 44 (Rev. Dubai, 2012) [instructs the Director 2]"
    ]
    # The part written after the citation is that resolution's too, not this text's.
    assert read("Resolution 140 (Rev. Dubai, 2018), in its resolves 2 and 3, asks") == [
        "PP Resolution 140 (Rev. Dubai, 2018) [resolves 2 and 3]"
    ]
    # ... unless the text says it is its own.
    assert read("UNGA Resolution 70/125 and resolves 1 of this resolution") == [
        "UNGA Resolution A/RES/70/125",
        "resolves 1 [of this resolution]",
    ]


# 4. Council resolutions by session ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Council 2016 Resolution 1332, on",
        "Resolution 1332 adopted by the Council at its 2016 session, on",
        "Resolution 1332 adopted at the 2016 session of the Council, on",
        "Resolution 1332 of the Council at its 2016 session",
        "Council Resolution 1332 (2016)",
        "Council Resolution 1332 (Modified 2016)",
        "Council-16 Resolution 1332",
    ],
)
def test_a_council_resolution_reads_the_same_whichever_way_its_session_is_written(text):
    (c,) = parse_citations(text, WTSA_2016)
    assert (c.kind, c.body, c.number, c.year) == (RESOLUTION, COUNCIL, "1332", 2016)
    assert not c.problem


# 5. References inside the text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ITU-T should carry out the activities under resolves 1, 2, 3 and 4 above in cooperation",
            [
                ("resolves", "1", "above"),
                ("resolves", "2", "above"),
                ("resolves", "3", "above"),
                ("resolves", "4", "above"),
            ],
        ),
        (
            "as stated in recognizing a) and b) above;",
            [("recognizing", "a)", "above"), ("recognizing", "b)", "above")],
        ),
        ("as set out in Annex 2 to this resolution;", [("Annex", "2", "to this resolution")]),
        ("(see requests the Council 3 below)", [("requests the Council", "3", "below")]),
        (
            "the tasks of instructs the Director of the Telecommunication Standardization Bureau 2 above",
            [("instructs the Director of the Telecommunication Standardization Bureau", "2", "above")],
        ),
        ("in accordance with § 1,", [("§", "1", "")]),
        (
            "to take appropriate action to facilitate the implementation of this resolution;",
            [("this resolution", "", "")],
        ),
        ("with the terms of reference as shown in the Annex,", [("Annex", "", "")]),
        (
            "under resolves 1 and instructs the Secretary-General 2 above",
            [("resolves", "1", "above"), ("instructs the Secretary-General", "2", "above")],
        ),
        ("recognizing further b)bis above", [("recognizing further", "b)bis", "above")]),
        ("resolves 3 a) above", [("resolves", "3 a)", "above")]),
        ("as listed in the annex to this resolution;", [("Annex", "", "to this resolution")]),
        ("as set out in § 4 of the Annex to this resolution;", [("Annex", "", "§ 4")]),
    ],
)
def test_references_inside_the_text(text, expected):
    found = parse_citations(text, WTSA_2016)
    assert [(c.kind, c.part, c.number, c.pinpoint) for c in found] == [(INTERNAL, *e) for e in expected]
    assert all(text[c.start : c.end] == c.text for c in found)


@pytest.mark.parametrize(
    "text",
    [
        "Annex 2 to Document 35 of the Conference",
        "in Annex 1 to the Constitution",
        "the relevant resolutions and decisions of the 2016 session",
        "noting the 3 reports",
        "ANNEX",
        "an annex of the report, annexed to it",
    ],
)
def test_what_names_another_text_or_nothing_is_no_reference_inside_the_text(text):
    assert [c for c in parse_citations(text, WTSA_2016) if c.kind == INTERNAL] == []


def test_a_resolution_of_another_body_keeps_its_pinpoint_and_body():
    c, un = parse_citations(
        "resolves 2 of Resolution 140 (Rev. Dubai, 2018) and § 5 of UNGA Resolution 70/125", WTSA_2016
    )
    assert (c.body, c.number, c.pinpoint) == (PP, "140", "resolves 2")
    assert (un.number, un.pinpoint) == ("A/RES/70/125", "§ 5")


def test_a_body_named_by_its_abbreviation_after_the_number():
    assert read(
        "Resolutions 50 and 52 (Rev. Hammamet, 2016) of WTSA, and Resolution 45 of WTDC;", Context()
    ) == [
        "WTSA Resolution 50 (Rev. Hammamet, 2016)",
        "WTSA Resolution 52 (Rev. Hammamet, 2016)",
        "WTDC Resolution 45",
    ]
    assert read("Resolution 64 of WTSA-16, and Resolution 9 of RAN members", Context(PP)) == [
        "WTSA Resolution 64 (Hammamet, 2016)",
        "PP Resolution 9",
    ]
