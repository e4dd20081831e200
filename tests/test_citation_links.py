"""A citation in any text a page shows links to the cited edition, and says when that is not the current one.

The edition page links the citations stored for its clauses; every other page (the
proposal editor, the contribution page, the synoptic view and the consolidated draft,
the compare page) finds them when it is drawn, in revision marks as in plain text.
"""

from __future__ import annotations

import re

from drafting.engine import citations as parser
from drafting.engine.marked_citations import place_citations, spelled
from drafting.services.citation_links import Citer, LinkLibrary, _Edition, _Resolution
from drafting.templatetags.citations import typeset

# --- where the citations fall in marked text (no database) -----------------------------------


def test_a_citation_over_several_segments_is_cut_into_a_run_per_segment():
    segments = [
        ("equal", "see Resolution 1 (Rev. Dubai, "),
        ("delete", "2012"),
        ("insert", "2018"),
        ("equal", ")."),
    ]
    new, old = spelled(segments)
    assert new == "see Resolution 1 (Rev. Dubai, 2018)."
    assert old == "see Resolution 1 (Rev. Dubai, 2012)."
    runs = place_citations(segments, [(4, 35, "2018")], [(4, 35, "2012")])
    assert runs == [
        [("see ", None), ("Resolution 1 (Rev. Dubai, ", "2018")],
        [("2012", "2012")],  # the deleted year belongs to the citation as it read
        [("2018", "2018")],
        [(")", "2018"), (".", None)],
    ]
    # The runs spell every segment exactly.
    assert ["".join(p for p, _ in r) for r in runs] == [t for _, t in segments]


def test_a_wholly_deleted_citation_is_placed_in_the_deletion():
    segments = [("equal", "noting "), ("delete", "Resolution 9 (Busan, 2014) and "), ("equal", "the rest")]
    runs = place_citations(segments, [], [(7, 33, "old")])
    assert runs[1] == [("Resolution 9 (Busan, 2014)", "old"), (" and ", None)]
    assert runs[0] == [("noting ", None)] and runs[2] == [("the rest", None)]


def test_unchanged_words_go_to_the_citation_as_proposed_and_the_old_one_keeps_the_rest():
    # "Resolution 1 (Rev. Dubai, 2012)" loses its edition: the proposed text cites "Resolution 1".
    segments = [("equal", "Resolution 1"), ("delete", " (Rev. Dubai, 2012)")]
    runs = place_citations(segments, [(0, 12, "new")], [(0, 31, "old")])
    assert runs == [[("Resolution 1", "new")], [(" (Rev. Dubai, 2012)", "old")]]


# --- typesetting, against a library given by hand (no database) -----------------------------


def _library() -> LinkLibrary:
    dubai = _Edition("rev-dubai-2018", "Dubai", 2018, "Rev. Dubai, 2018")
    bucharest = _Edition("rev-bucharest-2022", "Bucharest", 2022, "Rev. Bucharest, 2022")
    return LinkLibrary(
        venues=parser.Venues(),
        resolutions={("PP", "140"): _Resolution("PP", "140", [dubai, bucharest], bucharest)},
    )


PP = Citer(_library(), parser.Context(body="PP", place="Bucharest", year=2022))
DUBAI = "/resolutions/pp/140/rev-dubai-2018/"
BUCHAREST = "/resolutions/pp/140/rev-bucharest-2022/"


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="citation[^"]*" href="([^"]+)"[^>]*>([^<]*)</a>', html)


def test_a_citation_whose_year_alone_changed_links_each_piece_inside_the_marks():
    html = typeset(
        [
            ("equal", "as in Resolution 140 (Rev. "),
            ("delete", "Dubai, 2018"),
            ("insert", "Bucharest, 2022"),
            ("equal", ")."),
        ],
        PP,
    )
    assert links(html) == [
        (BUCHAREST, "Resolution 140 (Rev. "),
        (DUBAI, "Dubai, 2018"),
        (BUCHAREST, "Bucharest, 2022"),
        (BUCHAREST, ")"),
    ]
    # The marks are exactly those of the marks filter around the links, and still read to screen readers.
    assert '<del><span class="sr-only">[deleted: </span><a class="citation outdated"' in html
    assert '<ins><span class="sr-only">[inserted: </span><a class="citation"' in html
    assert re.sub(r"<a [^>]*>|</a>|<span class=\"cite-note\">[^<]*</span>", "", html) == (
        'as in Resolution 140 (Rev. <del><span class="sr-only">[deleted: </span>Dubai, 2018'
        '<span class="sr-only">]</span></del><ins><span class="sr-only">[inserted: </span>Bucharest, 2022'
        '<span class="sr-only">]</span></ins>).'
    )


def test_a_deleted_citation_links_to_the_edition_it_named_and_says_it_is_not_the_current_one():
    html = typeset(
        [("equal", "recalling "), ("delete", "Resolution 140 (Rev. Dubai, 2018)"), ("equal", ";")], PP
    )
    assert links(html) == [(DUBAI, "Resolution 140 (Rev. Dubai, 2018)")]
    # The note follows the deletion, not inside it: it is no part of the deleted words.
    assert html.endswith(
        '<span class="sr-only">]</span></del><span class="cite-note">(not the current edition: Rev. Bucharest, 2022)</span>;'
    )


def test_an_outdated_citation_in_plain_text_says_so_in_words():
    html = typeset([("equal", "Resolution 140 (Rev. Dubai, 2018) of the Plenipotentiary Conference")], PP)
    assert links(html) == [(DUBAI, "Resolution 140 (Rev. Dubai, 2018)")]
    assert 'class="citation outdated"' in html
    assert '<span class="cite-note">(not the current edition: Rev. Bucharest, 2022)</span>' in html
    current = typeset([("equal", "Resolution 140 (Rev. Bucharest, 2022)")], PP)
    assert 'class="citation"' in current and "cite-note" not in current


def test_a_meeting_that_never_was_is_said_and_a_resolution_not_in_the_library_is_no_link():
    html = typeset(
        [("equal", "Resolution 140 (Rev. Buchrest, 2022) and Resolution 999 (Rev. Dubai, 2018)")], PP
    )
    assert links(html) == [(BUCHAREST, "Resolution 140 (Rev. Buchrest, 2022)")]
    assert '<span class="cite-note">(did you mean Bucharest?)</span>' in html
    assert (
        '<span class="citation" title="PP Resolution 999 (not in the library)">Resolution 999 (Rev. Dubai, 2018)</span>'
        in html
    )


def test_a_footnote_call_beside_or_inside_a_citation_stays_a_footnote_link():
    html = typeset(
        [("equal", "Resolution 140 (Rev. Bucharest, 2022)[^1] and "), ("insert", "Resolution[^2] 140")], PP
    )
    assert '<sup class="fn-ref"><a href="#fn-1" id="fnref-1" aria-label="footnote 1">1</a></sup>' in html
    assert links(html)[0] == (BUCHAREST, "Resolution 140 (Rev. Bucharest, 2022)")
    assert "<a" not in html.split("fn-ref")[0].split("</a>")[-1]  # no link holds the footnote call


def test_text_without_citations_is_typeset_as_the_marks_filter_does():
    from drafting.templatetags.drafting import marks

    segments = [
        ("equal", "to invite "),
        ("delete", "Member States"),
        ("insert", "Members[^3]"),
        ("equal", " & <all>"),
    ]
    assert typeset(segments, PP) == str(marks(segments))
