"""A citation in any text a page shows links to the cited edition, and says when that is not the current one.

The edition page links the citations stored for its clauses; every other page (the
proposal editor, the contribution page, the synoptic view and the consolidated draft,
the compare page) finds them when it is drawn, in revision marks as in plain text.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from drafting.caching import library_state
from drafting.engine import citations as parser
from drafting.engine.marked_citations import place_citations, spelled
from drafting.models import Clause, Conference, Contribution, Decision, Proposal
from drafting.models.people import COORDINATORS, DELEGATES, SECRETARIAT
from drafting.services.amendments import modify_clause
from drafting.services.citation_links import Citer, LinkLibrary, _Edition, _Resolution
from drafting.services.consolidation import compile_consolidation, open_consolidation, settle_clause
from drafting.services.contributions import submit_contribution
from drafting.services.library import import_text
from drafting.templatetags.citations import typeset
from tests.citation_factories import RES140_DUBAI, library
from tests.drafting_factories import group, person

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


_segments = st.lists(
    st.tuples(st.sampled_from(["equal", "insert", "delete"]), st.text("ab (),1", min_size=1, max_size=8)),
    max_size=8,
)


@given(_segments, st.data())
def test_runs_spell_every_segment_and_give_each_piece_to_one_citation_of_its_own_text(segments, data):
    new, old = spelled(segments)

    def spans(text, tag):
        cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
        return [
            (a, b, (tag, i)) for i, (a, b) in enumerate(zip(cuts[::2], cuts[1::2], strict=False)) if a < b
        ]

    new_spans, old_spans = spans(new, "new"), spans(old, "old")
    runs = place_citations(segments, new_spans, old_spans)
    assert ["".join(piece for piece, _ in r) for r in runs] == [text for _, text in segments]
    for (op, _), segment_runs in zip(segments, runs, strict=True):
        owners = {what[0] for _, what in segment_runs if what is not None}
        assert "new" not in owners or op != "delete"  # what is deleted is no part of the proposed text
        assert "old" not in owners or op != "insert"  # nor what is inserted of the old one


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
    assert '<del><a class="citation outdated"' in html
    assert '<ins><a class="citation"' in html
    assert re.sub(r"<a [^>]*>|</a>|<span class=\"cite-note\">[^<]*</span>", "", html) == (
        "as in Resolution 140 (Rev. <del>Dubai, 2018</del><ins>Bucharest, 2022</ins>)."
    )


def test_a_deleted_citation_links_to_the_edition_it_named_and_says_it_is_not_the_current_one():
    html = typeset(
        [("equal", "recalling "), ("delete", "Resolution 140 (Rev. Dubai, 2018)"), ("equal", ";")], PP
    )
    assert links(html) == [(DUBAI, "Resolution 140 (Rev. Dubai, 2018)")]
    # The note follows the deletion, not inside it: it is no part of the deleted words.
    assert html.endswith(
        '</del><span class="cite-note">(not the current edition: Rev. Bucharest, 2022)</span>;'
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


# --- the pages ---------------------------------------------------------------------------------

ATU_TEXT_FROM = "Busan, 2014"
ATU_TEXT_TO = "Dubai, 2018"
RES140_BUCHAREST = RES140_DUBAI.replace("(Rev. Dubai, 2018)", "(Rev. Bucharest, 2022)").replace(
    "Dubai, 2018)\nThe Plenipotentiary Conference of the International Telecommunication Union (Dubai, 2018)",
    "Dubai, 2018; Bucharest, 2022)\nThe Plenipotentiary Conference of the International Telecommunication Union"
    " (Bucharest, 2022)",
)


@pytest.fixture
def world(db):
    """WTSA Res. 75 cites PP Res. 140 (Rev. Busan, 2014); ATU's proposal brings one of them to Dubai 2018."""
    res140, res75, res1332, _ = library()
    atu = group("ATU", "ATU")
    delegate = person("atu-delegate", DELEGATES, atu)
    coordinator = person("atu-coordinator", COORDINATORS, atu)
    secretariat = person("sec", SECRETARIAT)
    conference = Conference.objects.create(
        body=res75.resolution.body, code="WTSA-24", place="New Delhi", year=2024
    )
    contribution = Contribution.objects.create(
        conference=conference,
        group=atu,
        document_number="35",
        addendum=18,
        title="Proposals on Resolution 75",
    )
    proposal = Proposal.objects.create(
        contribution=contribution,
        number=1,
        action=Proposal.MOD,
        resolution=res75.resolution,
        base_edition=res75,
        reasons="Cite the current edition.",
    )
    viii = next(
        c
        for c in Clause.objects.filter(edition=res75).select_related("provision")
        if c.anchor == "considering-e-viii"
    )
    assert ATU_TEXT_FROM in viii.text
    modify_clause(
        delegate, proposal, str(viii.provision.key), viii.text.replace(ATU_TEXT_FROM, ATU_TEXT_TO), 0
    )
    return {
        "res140": res140,
        "res75": res75,
        "res1332": res1332,
        "delegate": delegate,
        "coordinator": coordinator,
        "secretariat": secretariat,
        "conference": conference,
        "contribution": contribution,
        "proposal": proposal,
    }


def _submitted(world):
    submit_contribution(world["coordinator"], world["contribution"])
    return open_consolidation(world["secretariat"], world["conference"], world["res75"].resolution)


def _get(user, url) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _year_change(html: str, world) -> None:
    """The clause whose citation ATU brought to Dubai 2018, as any page with marks shows it."""
    dubai = world["res140"].get_absolute_url()
    assert f'<ins><a class="citation" href="{dubai}" title="PP Resolution 140">Dubai, 2018</a>' in html
    # Busan 2014 is not in the library: the deleted piece leads to the resolution's current edition, and says
    # it is not that one.
    assert (
        f'<del><a class="citation outdated" href="{dubai}" '
        'title="PP Resolution 140">Busan, 2014</a></del>'
        '<span class="cite-note">(not the current edition: Rev. Dubai, 2018)</span>' in html
    )


def test_the_editor_links_the_citations_of_the_draft(world):
    html = _get(world["delegate"], world["proposal"].get_absolute_url())
    _year_change(html, world)
    # Unchanged clauses too: "considering further b)" cites Res. 140 of 2014 and Council Res. 1332.
    url = world["res1332"].get_absolute_url()
    assert re.search(
        rf'<a class="citation" href="{url}" title="Council Resolution 1332">Resolution.1332</a>', html
    )
    assert html.count("(not the current edition: Rev. Dubai, 2018)") >= 3


def test_the_synoptic_view_the_draft_and_the_contribution_page_link_them_too(world):
    consolidation = _submitted(world)
    for url in (consolidation.get_absolute_url(), f"/consolidations/{consolidation.pk}/draft/"):
        _year_change(_get(world["secretariat"], url), world)
    # The synoptic view's base column is plain text with its citations linked.
    synoptic = _get(world["secretariat"], consolidation.get_absolute_url())
    assert re.search(
        r'<a class="citation outdated" href="[^"]+" title="PP Resolution 140">Resolution.140 \(Rev..Busan, 2014\)</a>',
        synoptic,
    )
    page = _get(world["delegate"], world["contribution"].get_absolute_url())
    assert (
        f'<a class="citation" href="{world["res140"].get_absolute_url()}" title="PP Resolution 140">' in page
    )


def test_the_compare_page_links_the_citations_of_both_editions(world):
    from tests.library_factories import res75_geneva_2022

    import_text(res75_geneva_2022(), body_code="WTSA", number="75")
    html = _get(world["delegate"], "/resolutions/wtsa/75/compare/")
    assert f'href="{world["res1332"].get_absolute_url()}" title="Council Resolution 1332">' in html
    # A deleted citation of a resolution the library lacks says so, in the deletion.
    assert re.search(
        r'<del><span class="citation" '
        r'title="Council Resolution 1336 \(not in the library\)">Council.2016.Resolution.1336</span>',
        html,
    )


MANY = (
    " See Resolution 140 (Rev. Dubai, 2018), Resolutions 30, 75 and 1332 (Rev. Busan, 2014),"
    " Resolution 999 (Rev. Buchrest, 2022) and PP Resolution 140."
)


def _queries(user, url) -> int:
    """The queries of a page drawn cold: nothing built, no fragment cached, the library not read yet."""
    from django.core.cache import cache

    from drafting import caching

    caching.clear_all()
    cache.clear()
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_editor_and_the_synoptic_view_cost_the_same_queries_with_one_citation_or_sixty(world):
    proposal, delegate = world["proposal"], world["delegate"]
    editor = proposal.get_absolute_url()
    few = _queries(delegate, editor)
    items = (
        Clause.objects.filter(edition=world["res75"], kind="item")
        .select_related("provision")
        .order_by("position")
    )
    for clause in [c for c in items if c.anchor != "considering-e-viii"][:10]:
        modify_clause(delegate, proposal, str(clause.provision.key), clause.text + MANY, 0)
    html = _get(delegate, editor)
    assert html.count('class="citation') >= 60
    assert _queries(delegate, editor) == few

    consolidation = _submitted(world)
    synoptic = consolidation.get_absolute_url()
    few = _queries(world["secretariat"], synoptic)
    rows = [r for r in compile_consolidation(consolidation).rows if r.kind == "item"][:10]
    for row in rows:
        settle_clause(
            world["secretariat"], consolidation, row.key, Decision.MANUAL, text="As settled." + MANY
        )
    assert _queries(world["secretariat"], synoptic) == few


def test_importing_a_newer_edition_of_a_cited_resolution_changes_the_links_and_notes_of_cached_pages(world):
    consolidation = _submitted(world)
    pages = [
        (world["delegate"], world["proposal"].get_absolute_url()),
        (world["secretariat"], consolidation.get_absolute_url()),
    ]
    dubai = world["res140"].get_absolute_url()
    for user, url in pages:
        html = _get(user, url)
        assert f'<a class="citation" href="{dubai}" title="PP Resolution 140">Dubai, 2018</a>' in html
        assert "Bucharest" not in html
    state = library_state()

    bucharest = import_text(RES140_BUCHAREST, body_code="PP").edition
    assert library_state() != state
    for user, url in pages:
        html = _get(user, url)
        # ATU's Dubai 2018 is no longer the current edition: the page says so, and the citations of no edition
        # in the library (Busan 2014) lead to the new current one.
        assert (
            f'<a class="citation outdated" href="{dubai}" title="PP Resolution 140">Dubai, 2018</a>' in html
        )
        assert "(not the current edition: Rev. Bucharest, 2022)" in html
        assert "(not the current edition: Rev. Dubai, 2018)" not in html
        assert f'href="{bucharest.get_absolute_url()}"' in html
