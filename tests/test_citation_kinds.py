"""The documents ITU texts cite besides resolutions, and the forms a second reading found (no database).

Treaties (the Constitution, the Convention, the Administrative Regulations, other conventions by name) with the
provision pinned, decisions and opinions, resolutions of World Radiocommunication Conferences, meetings named
by their number ("WTSA-20" met in 2022), the body written before the edition, UN documents of ECOSOC, the
Security Council and the Human Rights Council, ranges of items read as ranges, and what must yield nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.demo.citation_reading import compare, load_sentences, sentences_reading
from drafting.engine.citations import (
    COUNCIL,
    DECISION,
    INTERNAL,
    OPINION,
    PP,
    RA,
    RECOMMENDATION,
    RESOLUTION,
    TREATY,
    UN_RESOLUTION,
    VENUES,
    WRC,
    WTDC,
    WTPF,
    WTSA,
    Context,
    meeting_year,
    parse_citations,
)

PP_2018 = Context(PP, "Dubai", 2018)


def kinds(text: str, context: Context = PP_2018) -> list[tuple]:
    return [(c.kind, c.describe(), c.pinpoint) for c in parse_citations(text, context)]


# The second reading, kept exact ----------------------------------------------------------------


def test_the_second_reading_of_other_itu_texts_is_read_exactly():
    sentences, expected = load_sentences()
    found = sentences_reading(sentences)
    scores, missed, extra = compare(expected, found)
    assert (missed, extra) == ([], [])
    assert all(s.pinpoints_right == s.pinpoints for s in scores.values())
    assert (
        len(expected) >= 250
        and sum(1 for s in sentences if not any(e.where == s.source for e in expected)) >= 50
    )


# Treaties -----------------------------------------------------------------------------------------

_TREATY_NAMES = [
    ("the ITU Constitution", "Constitution"),
    ("the Constitution", "Constitution"),
    ("the Constitution of the International Telecommunication Union", "Constitution"),
    ("the ITU Convention", "Convention"),
    ("the Convention", "Convention"),
    ("the Radio Regulations", "Radio Regulations"),
    ("the Radio Regulations (RR)", "Radio Regulations"),
    ("the RR", "Radio Regulations"),
    ("the International Telecommunication Regulations", "International Telecommunication Regulations"),
    ("the ITRs", "International Telecommunication Regulations"),
    ("the General Rules of conferences, assemblies and meetings of the Union", "General Rules"),
]
_PROVISIONS = ["Article 12", "Articles 6 and 7", "No. 196", "Nos. 184 to 191", "No. 5.516", "No. 191A"]


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(_TREATY_NAMES),
    st.one_of(st.none(), st.sampled_from(_PROVISIONS)),
    st.sampled_from(["recalling ", "in accordance with ", "as provided in ", ""]),
    st.sampled_from([";", ", on the purposes of the Union,", "."]),
)
def test_a_treaty_is_read_with_the_provision_pinned(name, provision, lead, tail):
    written, short = name
    text = f"{lead}{provision + ' of ' if provision else ''}{written}{tail}"
    (c,) = parse_citations(text, PP_2018)
    assert (c.kind, c.number, c.pinpoint) == (TREATY, short, provision or "")
    assert text[c.start : c.end] == c.text and c.text.endswith(written.removeprefix("the "))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the ITU Constitution and Convention", ["Constitution", "Convention"]),
        (
            "the Constitution and the Convention of the International Telecommunication Union",
            ["Constitution", "Convention"],
        ),
        (
            "the United Nations Convention on the Rights of the Child (CRC);",
            ["Convention on the Rights of the Child"],
        ),
        (
            "the Convention on the Rights of Persons with Disabilities, which",
            ["Convention on the Rights of Persons with Disabilities"],
        ),
        (
            "the Tampere Convention on the Provision of Telecommunication Resources (Tampere, 1998)",
            ["Tampere Convention"],
        ),
        ("Appendix 30B to the Radio Regulations", ["Radio Regulations"]),
    ],
)
def test_treaties_named_together_or_by_title(text, expected):
    assert [
        c.document if c.number.startswith("Convention on") else c.number
        for c in parse_citations(text, PP_2018)
    ] == expected
    assert all(c.kind == TREATY for c in parse_citations(text, PP_2018))


@pytest.mark.parametrize(
    "text",
    [
        "the Radio Regulations Board (RRB) met in Geneva",
        "the constitution of a new working group",
        "the convention centre",
        "the Rules of Procedure of the Board",
        "the Administrative Regulations of the Union",
    ],
)
def test_what_is_no_treaty(text):
    assert parse_citations(text, PP_2018) == []


# Decisions, opinions and WRC resolutions ---------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(1, 14), min_size=1, max_size=4, unique=True),
            st.sampled_from([("Dubai", 2018), ("Busan", 2014), ("Guadalajara", 2010)]),
            st.booleans(),
        ),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from([", ", " and "]),
)
def test_a_list_of_decisions_with_several_editions_gives_each_its_edition(groups, joiner):
    pieces, expected = [], []
    for numbers, (place, year), revised in groups:
        written = [str(n) for n in numbers]
        listed = written[0] if len(written) == 1 else ", ".join(written[:-1]) + " and " + written[-1]
        pieces.append(f"{listed} ({'Rev. ' if revised else ''}{place}, {year})")
        expected += [(DECISION, PP, str(n), place, year) for n in numbers]
    text = "Decisions " + joiner.join(pieces) + " of the Plenipotentiary Conference;"
    found = parse_citations(text, Context(WTSA, "Geneva", 2022))
    assert [(c.kind, c.body, c.number, c.place, c.year) for c in found] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Council Decision 482 (modified 2019) applies", (DECISION, COUNCIL, "482", 2019)),
        ("Decision 562 of the 2011 session of the ITU Council, on", (DECISION, COUNCIL, "562", 2011)),
        ("Decision 584 adopted by the Council at its 2015 session", (DECISION, COUNCIL, "584", 2015)),
        (
            "Opinion 1 of the World Telecommunication/ICT Policy Forum (Geneva, 2013)",
            (OPINION, WTPF, "1", 2013),
        ),
        ("Opinion 3 of the fifth World Telecommunication/ICT Policy Forum", (OPINION, WTPF, "3", None)),
        ("Resolution 646 (Rev.WRC-19), on", (RESOLUTION, WRC, "646", 2019)),
        (
            "Resolution 1 of the Radiocommunication Assembly (Rev. Sharm el-Sheikh, 2019)",
            (RESOLUTION, RA, "ITU-R 1", 2019),
        ),
    ],
)
def test_decisions_opinions_and_the_resolutions_of_other_meetings(text, expected):
    (c,) = parse_citations(text, PP_2018)
    assert (c.kind, c.body, c.number, c.year) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the decision of the Council to convene the Forum",
        "in the opinion of the Group, 3 of them",
        "the decision 2 of them took",
        "decisions 1 and 2 of the meeting",
    ],
)
def test_decision_and_opinion_in_prose_are_no_citations(text):
    assert parse_citations(text, PP_2018) == []


# Meetings named by number, and the body written before the edition --------------------------------


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_a_meeting_named_by_its_number_is_the_meeting_that_body_held(data):
    body = data.draw(st.sampled_from([PP, WTSA, WTDC, RA, WRC]))
    year = data.draw(st.sampled_from(sorted(y for y in VENUES[body] if y >= 1995)))
    number = data.draw(st.integers(1, 250))
    text = f"Resolution {number} of {body}-{year % 100:02d}, on"
    (c,) = parse_citations(text, Context(WTSA, "New Delhi", 2024))
    assert (c.body, c.year, c.place) == (body, year, VENUES[body][year])


def test_a_meeting_put_off_keeps_the_number_it_was_convened_for():
    assert meeting_year(WTSA, 20) == 2022  # WTSA-20 met in Geneva in 2022
    assert meeting_year(WTDC, 21) == 2022  # WTDC-21 in Kigali in 2022
    assert meeting_year(PP, 18) == 2018
    (c,) = parse_citations("Resolution 2 of WTSA-20 (Geneva, 2022), on", PP_2018)
    assert (c.body, c.place, c.year) == (WTSA, "Geneva", 2022)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(
        [
            ("of WTSA", WTSA, "Hammamet", 2016),
            ("of the World Telecommunication Development Conference", WTDC, "Buenos Aires", 2017),
            ("of the Plenipotentiary Conference", PP, "Busan", 2014),
            ("of the ITU Plenipotentiary Conference", PP, "Dubai", 2018),
            ("of the Radiocommunication Assembly", RA, "Sharm el-Sheikh", 2019),
        ]
    ),
    st.booleans(),
    st.integers(1, 200),
)
def test_the_body_written_before_the_edition_keeps_the_edition(named, revised, number):
    words, body, place, year = named
    text = f"Resolution {number} {words} ({'Rev. ' if revised else ''}{place}, {year}), on"
    (c,) = parse_citations(text, Context(WTSA, "New Delhi", 2024))
    assert (c.body, c.place, c.year, c.revised) == (body, place, year, revised)
    assert text[c.edition_start : c.edition_end] == f"({'Rev. ' if revised else ''}{place}, {year})"


# UN documents of other organs, and other organisations' resolutions ---------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("ECOSOC Resolution 2006/46, on", "E/RES/2006/46"),
        ("Economic and Social Council resolution 2019/24", "E/RES/2019/24"),
        ("resolution 1325 (2000) of the Security Council", "S/RES/1325 (2000)"),
        ("UN Security Council resolution 2341 (2017)", "S/RES/2341 (2017)"),
        ("Human Rights Council resolution 20/8, on", "A/HRC/RES/20/8"),
        ("the outcome document (A/RES/70/125)", "A/RES/70/125"),
    ],
)
def test_un_documents_of_every_organ(text, number):
    (c,) = parse_citations(text, PP_2018)
    assert (c.kind, c.number) == (UN_RESOLUTION, number)


@pytest.mark.parametrize(
    "text",
    [
        "WHO resolution 58 on eHealth",
        "Resolution 12 of the Council of Europe",
        "Resolution 3 of the World Health Assembly (2005)",
        "Resolution 45 of the UNESCO General Conference",
    ],
)
def test_resolutions_of_other_organisations_are_not_the_citing_texts(text):
    assert [c for c in parse_citations(text, PP_2018) if c.kind == RESOLUTION] == []


# Recommendations -------------------------------------------------------------------------------


def test_recommendations_with_the_sector_written_again_or_two_numbers():
    assert [c.describe() for c in parse_citations("Recommendation ITU-T Y.4000/Y.2060, on", PP_2018)] == [
        "Recommendation ITU-T Y.4000/Y.2060"
    ]
    assert [c.number for c in parse_citations("Resolutions ITU-R 1-9 and ITU-R 2-9;", PP_2018)] == [
        "ITU-R 1-9",
        "ITU-R 2-9",
    ]
    assert all(
        c.kind == RECOMMENDATION
        for c in parse_citations("Recommendations ITU-R SM.1046-3 and SM.1541", PP_2018)
    )


# Ranges of items -------------------------------------------------------------------------------

_ALPHA = "abcdefgh"


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 8), st.integers(0, 3)), min_size=1, max_size=4),
    st.booleans(),
    st.sampled_from([" to ", "-", "–"]),
)
def test_a_list_of_items_and_ranges_names_each_item_and_each_range_once(spans, letters, dash):
    """Ranges are read as ranges ("resolves 1 to 3" is one reference), single items one each."""
    items, expected, at = [], [], 1
    for gap, width in spans:
        first, last = at + gap - 1, at + gap - 1 + width
        at = last + 1
        name = (lambda n: f"{_ALPHA[(n - 1) % 8]})") if letters else str
        if width:
            items.append(f"{name(first)}{dash}{name(last)}")
            expected.append(f"{name(first)}{' to ' if dash == ' to ' else '-'}{name(last)}")
        else:
            items.append(name(first))
            expected.append(name(first))
    if letters and at > 9:
        return  # past h): no such list
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    part = "recognizing" if letters else "resolves"
    found = [
        c for c in parse_citations(f"as set out in {part} {listed} above;", PP_2018) if c.kind == INTERNAL
    ]
    assert [c.number for c in found] == expected
    assert all(c.part == part and c.pinpoint == "above" for c in found)


# Nothing where nothing is cited ----------------------------------------------------------------

_MONTHS = ["January", "May", "October", "December"]


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(1, 9999).map(lambda n: f"{n} participants"),
            st.integers(1, 999).map(lambda n: f"{n // 100 or 1} {n:03d} people"),
            st.integers(1, 99).map(lambda n: f"{n} per cent of households"),
            st.integers(1, 99).map(lambda n: f"{n}% of the population"),
            st.integers(1, 999).map(lambda n: f"Document {n}"),
            st.tuples(st.integers(1, 40), st.integers(1, 999)).map(
                lambda t: f"Addendum {t[0]} to Document {t[1]}"
            ),
            st.tuples(st.integers(1, 20), st.integers(1, 20)).map(lambda t: f"Question {t[0]}/{t[1]}"),
            st.integers(1, 20).map(lambda n: f"Study Group {n}"),
            st.integers(1, 999).map(lambda n: f"TD {n}"),
            st.integers(1, 30).map(lambda n: f"paragraph {n} of the report"),
            st.tuples(st.integers(1, 28), st.sampled_from(_MONTHS), st.integers(1990, 2030)).map(
                lambda t: f"on {t[0]} {t[1]} {t[2]}"
            ),
            st.integers(2000, 2030).map(lambda y: f"for the period {y}-{y + 3}"),
            st.integers(2000, 2030).map(lambda y: f"at its {y} session"),
            st.sampled_from(
                [
                    "the resolutions of the Plenipotentiary Conference",
                    "this draft resolution",
                    "WTSA-20 (Geneva, 2022)",
                    "the Plenipotentiary Conference (Busan, 2014)",
                    "the WSIS+10 High-Level Event (Geneva, 2014)",
                    "the 2030 Agenda for Sustainable Development",
                    "the Connect 2030 Agenda",
                    "the Sustainable Development Goals",
                    "Action Lines C2, C5 and C6",
                    "the Radio Regulations Board",
                    "the decision of the Council",
                    "IMT-2020 and 5G",
                ]
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_numbers_meetings_and_documents_of_a_meeting_are_no_citations(pieces):
    text = "noting " + ", and ".join(pieces) + ";"
    assert parse_citations(text, PP_2018) == []


# Forms the second reading's later sentences found ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Council Resolution 1305 (C09), on", ("Council", "1305", "", 2009)),
        ("Resolution 1336 (C11, last amended C15) of the Council", ("Council", "1336", "", 2015)),
        ("Council Decision 600 (C19)", ("Council", "600", "", 2019)),
    ],
)
def test_a_council_session_written_as_its_number(text, expected):
    (c,) = parse_citations(text, PP_2018)
    assert (c.body, c.number, c.place, c.year) == expected


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(
        [
            ("Resolution 22 (Rev. Dubai, 2012) of WTSA", WTSA),
            ("Resolution 140 (Rev. Dubai, 2018) of the Plenipotentiary Conference", PP),
            (
                "Resolution 30 (Rev. Kigali, 2022) of the World Telecommunication Development Conference (WTDC)",
                WTDC,
            ),
            ("Resolution 71 (Rev. Dubai, 2018) of PP-18", PP),
        ]
    ),
    st.sampled_from([", resolves 2", ", in particular resolves 2", ", in its resolves 2", " (resolves 2)"]),
)
def test_a_part_written_after_the_body_of_a_citation_is_that_citations(cited, part):
    written, body = cited
    found = parse_citations(f"{written}{part};", Context(WTDC, "Kigali", 2022))
    assert [(c.kind, c.body, c.pinpoint) for c in found] == [(RESOLUTION, body, "resolves 2")]


def test_un_declarations_and_climate_treaties_by_title():
    assert kinds(
        "the United Nations Millennium Declaration and the Universal Declaration of Human Rights"
    ) == [
        (UN_RESOLUTION, "UNGA Resolution A/RES/55/2", ""),
        (UN_RESOLUTION, "UNGA Resolution A/RES/217(III)", ""),
    ]
    assert [
        c.number
        for c in parse_citations("the Paris Agreement under the UNFCCC and its Kyoto Protocol", PP_2018)
    ] == [
        "Paris Agreement",
        "UNFCCC",
        "Kyoto Protocol",
    ]
    (c,) = parse_citations("the United Nations Framework Convention on Climate Change (UNFCCC);", PP_2018)
    assert (c.number, c.document) == ("UNFCCC", "United Nations Framework Convention on Climate Change")


def test_an_item_inside_an_item_and_the_present_resolution():
    assert kinds("as referred to in considering e) ix) above") == [(INTERNAL, "considering e) ix)", "above")]
    assert kinds("the Appendix to the present resolution") == [
        (INTERNAL, "Appendix", "to the present resolution")
    ]


def test_an_annex_written_after_a_citation_is_that_documents_and_annexes_say_where_they_are():
    assert kinds(
        "Decision 5 (Rev. Dubai, 2018), Annex 1, and Resolution 71 (Rev. Dubai, 2018), Annex 2;"
    ) == [
        (DECISION, "PP Decision 5 (Rev. Dubai, 2018)", "Annex 1"),
        (RESOLUTION, "PP Resolution 71 (Rev. Dubai, 2018)", "Annex 2"),
    ]
    assert kinds("as in Annex 1 below, and Resolution 71 (Rev. Dubai, 2018) and Annex 2 above") == [
        (INTERNAL, "Annex 1", "below"),
        (RESOLUTION, "PP Resolution 71 (Rev. Dubai, 2018)", ""),
        (INTERNAL, "Annex 2", "above"),
    ]
