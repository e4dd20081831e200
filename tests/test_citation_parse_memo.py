"""Parsed citations are kept by text, context and meetings: the same answer, never a stale one."""

from __future__ import annotations

from drafting.engine import citations as parser

TEXT = "Resolution 71 (Rev. Atlantis, 2030) of the Plenipotentiary Conference and Resolution 140"


def test_the_kept_answer_is_the_answer_and_a_new_meeting_is_read_anew():
    parser.clear_parsed()
    venues = parser.Venues()
    first = parser.parse_citations(TEXT, None, venues)
    assert first[0].problem  # a meeting that never was
    again = parser.parse_citations(TEXT, None, venues)
    assert again == first and again is not first
    again.clear()  # a caller's list is its own
    assert parser.parse_citations(TEXT, None, venues) == first

    venues.add(parser.PP, "Atlantis", 2030)
    known = parser.parse_citations(TEXT, None, venues)
    assert not known[0].problem
    # Another table with the same meetings gives the same answer; the default table its own.
    other = parser.Venues()
    other.add(parser.PP, "Atlantis", 2030)
    assert parser.parse_citations(TEXT, None, other) == known
    assert parser.parse_citations(TEXT) == first


def test_the_context_is_part_of_what_is_kept():
    parser.clear_parsed()
    text = "Resolution 75 (Rev. Hammamet, 2016) of this Assembly"
    wtsa = parser.parse_citations(text, parser.Context(body=parser.WTSA, place="New Delhi", year=2024))
    bare = parser.parse_citations(text)
    assert wtsa[0].body == parser.WTSA
    assert (
        parser.parse_citations(text, parser.Context(body=parser.WTSA, place="New Delhi", year=2024)) == wtsa
    )
    assert parser.parse_citations(text) == bare


def test_what_is_kept_is_bounded(monkeypatch):
    parser.clear_parsed()
    monkeypatch.setattr(parser, "PARSED_KEPT", 10)
    for n in range(50):
        parser.parse_citations(f"Resolution {n}")
    assert len(parser._PARSED) == 10
