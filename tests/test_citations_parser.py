"""The citation parser on every form real ITU texts use, and on each seed (no database)."""

from __future__ import annotations

import pytest

from drafting.demo.citation_reading import CONTEXTS, tool_reading
from drafting.demo.citation_reading import load as load_reading
from drafting.engine.citations import (
    COUNCIL,
    GLUED_EDITIONS,
    INTERNAL,
    NO_SUCH_EDITION,
    PARAGRAPH,
    PP,
    RA,
    RECOMMENDATION,
    UN_RESOLUTION,
    UNKNOWN_BODY,
    UNKNOWN_VENUE,
    WSIS,
    WTDC,
    WTSA,
    Context,
    Venues,
    parse_citations,
    resolution_key,
    rewrite_edition,
    stray_editions,
)

WTSA_2016 = Context(WTSA, "Hammamet", 2016)


def one(text: str, context: Context = WTSA_2016):
    found = parse_citations(text, context)
    assert len(found) == 1, found
    return found[0]


def test_a_resolution_of_the_plenipotentiary_with_no_break_spaces_and_no_space_after_the_comma():
    text = (
        "Resolution\u00a071 (Rev.\u00a0Busan,2014) of the Plenipotentiary Conference, on the strategic plan"
    )
    c = one(text)
    assert (c.body, c.number, c.place, c.year, c.revised) == (PP, "71", "Busan", 2014, True)
    assert c.text == "Resolution\u00a071 (Rev.\u00a0Busan,2014)"
    assert text[c.edition_start : c.edition_end] == "(Rev.\u00a0Busan,2014)"
    assert not c.problem


def test_a_body_named_before_the_number():
    assert (one("PP Resolution 140").body, one("PP Resolution 140").text) == (PP, "PP Resolution 140")
    assert one("Council Resolution 1332").body == COUNCIL
    assert one("Plenipotentiary Resolution 140 (Busan, 2014)").body == PP
    assert one("WTDC Resolution 30, on").body == WTDC


def test_the_meeting_named_before_the_number_gives_the_edition():
    pp, council = parse_citations("PP-14 Resolution 140, Council-16 Resolution 1332")
    assert (pp.body, pp.place, pp.year) == (PP, "Busan", 2014)
    assert (council.body, council.year) == (COUNCIL, 2016)
    c = one("Council 2016 Resolution\u00a01332, on ITU's role")
    assert (c.body, c.number, c.year) == (COUNCIL, "1332", 2016)


def test_several_resolutions_share_one_edition():
    found = parse_citations("Resolutions 101, 102 and 133 (Rev. Dubai, 2018)", WTSA_2016)
    assert [(c.body, c.number, c.year, c.shared) for c in found] == [
        (PP, "101", 2018, True),
        (PP, "102", 2018, True),
        (PP, "133", 2018, True),
    ]
    assert {(c.edition_start, c.edition_end) for c in found} == {(29, 47)}


def test_radiocommunication_assembly_resolutions_with_their_revision_number():
    c = one("Resolution ITU\u2011R\u00a061 (Rev.\u00a0Geneva, 2015) of the Radiocommunication Assembly")
    assert (c.body, c.number, c.year) == (RA, "ITU-R 61", 2015)
    c = one("Resolution ITU-R 61-3 of the Radiocommunication Assembly")
    assert (c.body, c.number) == (RA, "ITU-R 61-3")
    # RA 61-3, RA "ITU-R 61" and a plain "Resolution 61 ... of the Radiocommunication Assembly" are one resolution.
    assert resolution_key(RA, "ITU-R 61-3") == resolution_key(RA, "61") == (RA, "61")


def test_recommendations_of_both_sectors():
    c = one("Recommendation ITU-T X.1205")
    assert (c.kind, c.body, c.number) == (RECOMMENDATION, "ITU-T", "X.1205")
    c = one("see ITU-R Recommendation M.1036-6 on")
    assert (c.kind, c.body, c.number) == (RECOMMENDATION, "ITU-R", "M.1036-6")


@pytest.mark.parametrize(
    "text, number",
    [
        ("UNGA Resolution A/70/125 “Outcome", "A/RES/70/125"),
        ("United Nations General Assembly (UNGA) Resolution\u00a070/1, on", "A/RES/70/1"),
        ("UNGA, in Resolution 70/125, called", "A/RES/70/125"),
        ("UNGA Resolution A/78/L.49. It", "A/78/L.49"),
        ("UNGA Resolutions \u0410/70/125 and", "A/RES/70/125"),  # the seed's Cyrillic А
    ],
)
def test_un_general_assembly_documents(text, number):
    c = one(text)
    assert (c.kind, c.body, c.number) == (UN_RESOLUTION, "UNGA", number)


def test_paragraphs_of_an_outside_text():
    c = one(
        "in accordance with \u00a7\u00a7\u00a035 a)–e) of the Tunis Agenda for the Information Society, as"
    )
    assert (c.kind, c.number, c.document, c.pinpoint) == (
        WSIS,
        "Tunis Agenda",
        "Tunis Agenda for the Information Society",
        "§§ 35 a)–e)",
    )
    assert one("detailed in §§ 69 to 71 of the Tunis Agenda").pinpoint == "§§ 69 to 71"
    c = one("as set out in § 5 of the Busan Declaration;")
    assert (c.kind, c.number, c.document) == (PARAGRAPH, "5", "Busan Declaration")


def test_this_assembly_and_this_conference_come_from_the_context():
    c = one("Resolution 44 (Rev. Dubai, 2012) of this Assembly, about")
    assert (c.body, c.place, c.year) == (WTSA, "Dubai", 2012) and not c.problem
    c = one("Resolution 8 of this Conference;", Context(WTDC, "Kigali", 2022))
    assert (c.body, c.place, c.year) == (WTDC, "Kigali", 2022)


def test_the_edition_tells_the_body_when_nothing_else_does():
    assert one("Resolution 30 (Rev. Dubai, 2014)", Context()).body == WTDC
    assert one("Resolution 140 (Rev. Dubai, 2018)", Context()).body == PP
    assert one("Resolution 75 (Rev. Hammamet, 2016)", Context()).body == WTSA
    assert one("Resolution 61 (Rev. Sharm el-Sheikh, 2019)", Context()).body == RA
    assert one("Resolution 30 (BUENOS AIRES, 2017)", Context()).place == "Buenos Aires"


def test_unqualified_numbers_fall_back_on_the_citing_text():
    assert one("Resolution 1334, first adopted by the Council", Context()).body == COUNCIL
    assert one("Resolution 140 on WSIS", Context(COUNCIL)).body == PP  # Council texts cite PP resolutions so
    assert one("Resolution 140 on WSIS", WTSA_2016).body == WTSA
    assert (
        one("the ITU-D Action Plan, and in particular Resolution 30, as well", Context(COUNCIL)).body == WTDC
    )
    c = one("Resolution 17 on", Context())
    assert c.problem == UNKNOWN_BODY


def test_a_misspelt_venue_is_flagged_with_the_right_edition():
    c = one("Resolution 140 (Rev.\u00a0Buchrest, 2022)", Context())
    assert (c.problem, c.message, c.suggestion, c.body) == (
        UNKNOWN_VENUE,
        "did you mean Bucharest?",
        "Rev. Bucharest, 2022",
        PP,
    )
    assert one("Resolution 140 (Rev. Atlantis, 2022)").message == "no ITU meeting is known at Atlantis"


def test_an_edition_that_never_was_is_flagged():
    c = one("PP Resolution 140 (Rev. Dubai, 2014)")
    assert c.problem == NO_SUCH_EDITION
    assert c.message == "the Plenipotentiary Conference of 2014 met in Busan, not Dubai"
    assert c.suggestion == "Rev. Busan, 2014"
    c = one("Resolution 1 (Rev. Bucharest, 2021)")
    assert c.problem == NO_SUCH_EDITION and "2021" in c.message


def test_editions_glued_together_by_lost_marks_take_the_last_one():
    c = one("Resolution 140 (Rev. Guadalajara, 2010Busan, 2014) of the Plenipotentiary Conference")
    assert (c.place, c.year, c.problem) == ("Busan", 2014, GLUED_EDITIONS)
    c = one("Resolution 61 (Geneva, 20122015) of the Radiocommunication Assembly")
    assert (c.place, c.year) == ("Geneva", 2015)
    # A misspelling in the inserted half matters more than the glue.
    assert one("Resolution 140 (Rev. Dubai, 2018Buchrest, 2022)").problem == UNKNOWN_VENUE


def test_venues_the_library_knows_are_accepted():
    venues = Venues()
    venues.add(WTSA, "Atlantis", 2030)
    assert not parse_citations("Resolution 2 (Rev. Atlantis, 2030)", WTSA_2016, venues)[0].problem


def test_what_is_not_a_citation_is_left_alone():
    assert [
        c.describe() for c in parse_citations("the relevant resolutions and decisions of this", WTSA_2016)
    ] == []
    assert [
        c.kind
        for c in parse_citations("the WSIS+10 High-Level Event (Geneva, 2014) and resolves 1 and 2 above")
    ] == [INTERNAL, INTERNAL]


def test_rewriting_an_edition_keeps_how_it_was_written():
    text = "in accordance with Resolution\u00a0140 (Rev.\u00a0Dubai, 2018) and Council Resolution 1332;"
    c = parse_citations(text, WTSA_2016)[0]
    assert (
        rewrite_edition(text, c, "Bucharest", 2022)
        == "in accordance with Resolution\u00a0140 (Rev.\u00a0Bucharest, 2022) and Council Resolution 1332;"
    )
    plain = parse_citations("Resolution 140 on WSIS;", Context(COUNCIL))[0]
    assert rewrite_edition("Resolution 140 on WSIS;", plain, "Bucharest", 2022) == (
        "Resolution 140 (Rev. Bucharest, 2022) on WSIS;"
    )


def test_editions_cited_on_their_own_are_checked_too():
    found = stray_editions("(Rev. Bucharest, 2021) (Geneva, 2014) (Rev.\u00a0Buchrest, 2022) (Tunis, 2005)")
    assert [(text, message) for _, _, text, message in found] == [
        ("(Rev. Bucharest, 2021)", "Bucharest held no ITU meeting in 2021 that the tool knows of"),
        ("(Rev.\u00a0Buchrest, 2022)", "did you mean Bucharest?"),
    ]


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_every_citation_of_each_seed_as_a_careful_reader_reads_it(seed_text, name):
    """The tool's reading of each seed is the hand-checked one (drafting/demo/seeds/citations.tsv), with the
    paragraphs and parts pinned and every reference inside the text resolved to the clause it names."""
    expected = [e for e in load_reading() if e.file == name]
    assert tool_reading(name, seed_text(name)) == expected
    text = seed_text(name)
    assert all(text[c.start : c.end] == c.text for c in parse_citations(text, Context(*CONTEXTS[name])))


@pytest.mark.parametrize("seed", [1, 14, 99])
def test_every_citation_the_corpus_generator_writes_is_read_back(seed):
    from drafting.demo.corpus import generate_corpus
    from drafting.engine.parse import parse_resolution

    for r in generate_corpus(resolutions=120, citations=2000, seed=seed):
        context = Context(r.body, r.place if r.body != COUNCIL else "", r.year if r.body != COUNCIL else None)
        read = [
            (c.body, c.number, c.year)
            for clause, _ in parse_resolution(r.text()).walk()
            for c in parse_citations(clause.text, context)
            if c.kind not in (INTERNAL, WSIS)
        ]
        assert read == r.cites, r.number
