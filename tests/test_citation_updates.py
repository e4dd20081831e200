"""Bringing cited editions up to date, lists of resolutions included, worded as ITU words them (no database)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.engine.citation_updates import (
    Target,
    latest_successor,
    replace_un_documents,
    update_editions,
)
from drafting.engine.citations import PP, WTDC, WTSA, Context, parse_citations
from drafting.engine.diff import diff_words
from tests.budget import examples

WTSA_2016 = Context(WTSA, "Hammamet", 2016)
WTDC_2022 = Context(WTDC, "Kigali", 2022)
BUCHAREST = Target("Bucharest", 2022)
DOHA = Target("Doha", 2026)

LIST = "recalling Resolutions 101, 140 and 178 (Rev. Dubai, 2018) of the Plenipotentiary Conference;"


def update(text: str, targets: dict[str, Target], context: Context = WTSA_2016) -> str:
    """``targets`` by resolution number; every number given must be rewritable."""
    found = parse_citations(text, context)
    by_start = {c.start: targets[c.number] for c in found if c.number in targets}
    assert len(by_start) == len(targets)
    result = update_editions(text, by_start, context)
    assert result.unapplied == []
    return result.text


def editions(text: str, context: Context = WTSA_2016) -> list[tuple[str, str, str, int | None]]:
    return [(c.body, c.number, c.place, c.year) for c in parse_citations(text, context)]


def test_one_citation_changes_its_edition_only():
    text = "in accordance with Resolution\u00a0140 (Rev.\u00a0Dubai, 2018) and Council Resolution 1332;"
    assert update(text, {"140": BUCHAREST}) == (
        "in accordance with Resolution\u00a0140 (Rev.\u00a0Bucharest, 2022) and Council Resolution 1332;"
    )


def test_a_list_whose_resolutions_all_moved_to_the_same_edition_changes_the_shared_edition_once():
    after = update(LIST, {"101": BUCHAREST, "140": BUCHAREST, "178": BUCHAREST})
    assert after == (
        "recalling Resolutions 101, 140 and 178 (Rev. Bucharest, 2022) of the Plenipotentiary Conference;"
    )
    assert diff_words(LIST, after) == [
        ("equal", "recalling Resolutions 101, 140 and 178 (Rev. "),
        ("delete", "Dubai, 2018"),
        ("insert", "Bucharest, 2022"),
        ("equal", ") of the Plenipotentiary Conference;"),
    ]


def test_a_list_with_one_stale_resolution_is_split_and_the_marks_are_minimal():
    after = update(LIST, {"140": BUCHAREST})
    assert after == (
        "recalling Resolutions 101 and 178 (Rev. Dubai, 2018) and Resolution 140 (Rev. Bucharest, 2022) "
        "of the Plenipotentiary Conference;"
    )
    assert editions(after) == [
        (PP, "101", "Dubai", 2018),
        (PP, "178", "Dubai", 2018),
        (PP, "140", "Bucharest", 2022),
    ]
    # ~~, 140~~ and 178 (Rev. Dubai, 2018) __and Resolution 140 (Rev. Bucharest, 2022)__
    assert diff_words(LIST, after) == [
        ("equal", "recalling Resolutions 101"),
        ("delete", ", 140"),
        ("equal", " and 178 (Rev. Dubai, 2018) "),
        ("insert", "and Resolution 140 (Rev. Bucharest, 2022) "),
        ("equal", "of the Plenipotentiary Conference;"),
    ]


def test_resolutions_that_moved_to_different_editions_each_get_theirs_with_commas_and_a_last_and():
    after = update(LIST, {"101": BUCHAREST, "178": DOHA})
    assert after == (
        "recalling Resolution 140 (Rev. Dubai, 2018), Resolution 101 (Rev. Bucharest, 2022) and "
        "Resolution 178 (Rev. Doha, 2026) of the Plenipotentiary Conference;"
    )
    assert [e[2:] for e in editions(after)] == [("Dubai", 2018), ("Bucharest", 2022), ("Doha", 2026)]


def test_two_stale_of_three_keep_the_plural_and_the_one_left_takes_the_singular():
    after = update(LIST, {"101": BUCHAREST, "178": BUCHAREST})
    assert after == (
        "recalling Resolution 140 (Rev. Dubai, 2018) and Resolutions 101 and 178 (Rev. Bucharest, 2022) "
        "of the Plenipotentiary Conference;"
    )


def test_a_split_list_updated_again_is_joined_again_in_the_order_of_its_numbers():
    split = update(LIST, {"140": BUCHAREST})
    assert update(split, {"101": BUCHAREST, "178": BUCHAREST}) == (
        "recalling Resolutions 101, 140 and 178 (Rev. Bucharest, 2022) of the Plenipotentiary Conference;"
    )


def test_how_the_list_is_written_is_kept_no_break_spaces_and_the_body_before_it():
    text = "PP Resolutions\u00a0101 and 140 (Rev.\u00a0Dubai, 2018), and UNGA Resolution 70/125"
    after = update(text, {"140": BUCHAREST})
    assert after == (
        "PP Resolution\u00a0101 (Rev.\u00a0Dubai, 2018) and Resolution\u00a0140 (Rev.\u00a0Bucharest, 2022), "
        "and UNGA Resolution 70/125"
    )
    assert [(c.body, c.number, c.year) for c in parse_citations(after, WTSA_2016)] == [
        (PP, "101", 2018),
        (PP, "140", 2022),
        ("UNGA", "A/RES/70/125", None),
    ]


def test_lists_of_this_conference_with_and_without_an_edition():
    text = "Resolutions 1, 5 and 8 (Rev. Buenos Aires, 2017) of this Conference;"
    after = update(text, {"5": Target("Kigali", 2022)}, WTDC_2022)
    assert after == (
        "Resolutions 1 and 8 (Rev. Buenos Aires, 2017) and Resolution 5 (Rev. Kigali, 2022) of this Conference;"
    )
    assert editions(after, WTDC_2022) == [
        (WTDC, "1", "Buenos Aires", 2017),
        (WTDC, "8", "Buenos Aires", 2017),
        (WTDC, "5", "Kigali", 2022),
    ]
    # Without an edition, "of this Conference" dates the list: the list keeping it stays next to it.
    after = update("Resolutions 1, 5 and 8 of this Conference;", {"5": Target("Baku", 2025)}, WTDC_2022)
    assert after == "Resolution 5 (Rev. Baku, 2025) and Resolutions 1 and 8 of this Conference;"
    assert editions(after, WTDC_2022) == [
        (WTDC, "5", "Baku", 2025),
        (WTDC, "1", "Kigali", 2022),
        (WTDC, "8", "Kigali", 2022),
    ]


def test_the_keyword_keeps_its_case_and_its_sector():
    assert update("the resolutions 101, 140 and 178 (Rev. Dubai, 2018);", {"140": BUCHAREST}) == (
        "the resolutions 101 and 178 (Rev. Dubai, 2018) and resolution 140 (Rev. Bucharest, 2022);"
    )
    assert update("Res. 101 and 140 (Rev. Dubai, 2018);", {"140": BUCHAREST}) == (
        "Res. 101 (Rev. Dubai, 2018) and Res. 140 (Rev. Bucharest, 2022);"
    )
    text = "Resolutions ITU-R 1, 2 and 3 (Rev. Geneva, 2015) of the Radiocommunication Assembly;"
    after = update(text, {"ITU-R 2": Target("Sharm el-Sheikh", 2019)})
    assert after == (
        "Resolutions ITU-R 1 and 3 (Rev. Geneva, 2015) and Resolution ITU-R 2 (Rev. Sharm el-Sheikh, 2019) "
        "of the Radiocommunication Assembly;"
    )
    assert [(c.body, c.number, c.year) for c in parse_citations(after, WTSA_2016)] == [
        ("RA", "ITU-R 1", 2015),
        ("RA", "ITU-R 3", 2015),
        ("RA", "ITU-R 2", 2019),
    ]


def test_an_edition_that_is_a_revision_says_so():
    text = "Resolution 178 (Dubai, 2018);"
    assert update(text, {"178": Target("Bucharest", 2022, revised=True)}) == (
        "Resolution 178 (Rev. Bucharest, 2022);"
    )
    assert update(text, {"178": BUCHAREST}) == "Resolution 178 (Bucharest, 2022);"  # as written


def test_a_target_naming_no_resolution_list_is_reported_not_applied():
    text = "UNGA Resolution 70/125 and Resolution 140 (Rev. Dubai, 2018)"
    [un, _] = parse_citations(text, WTSA_2016)
    result = update_editions(text, {un.start: BUCHAREST, 999: BUCHAREST}, WTSA_2016)
    assert result.text == text and result.unapplied == [un.start, 999]


def test_a_list_with_its_own_qualifier_does_not_lend_it_to_a_list_of_another_body():
    # Busan 2014 was no WTDC: "of the WTDC" dates only the list it follows.
    text = "Resolution 71 (Rev. Busan, 2014) and Resolution 30 (Rev. Dubai, 2014) of the WTDC"
    assert [c.body for c in parse_citations(text, WTSA_2016)] == [PP, WTDC]


# --- UN General Assembly documents replaced by their successors ---------------------------------

SUCCESSORS = {"A/RES/70/125": "A/RES/79/8", "A/RES/79/8": "A/RES/80/12"}


def test_a_superseded_un_document_is_replaced_by_its_latest_successor_written_the_same_way():
    cases = {
        "UNGA Resolution A/70/125 “Outcome document”, on": "UNGA Resolution A/80/12 “Outcome document”, on",
        "UNGA, in Resolution 70/125, called": "UNGA, in Resolution 80/12, called",
        "UN General Assembly Resolution A/RES/70/125.": "UN General Assembly Resolution A/RES/80/12.",
        "United Nations General Assembly (UNGA) Resolution\u00a070/125, on": (
            "United Nations General Assembly (UNGA) Resolution\u00a080/12, on"
        ),
        "UNGA Resolutions \u0410/70/125 and 70/1 on": "UNGA Resolutions A/80/12 and 70/1 on",  # the seed's Cyrillic А
    }
    for before, after in cases.items():
        assert replace_un_documents(before, SUCCESSORS, WTSA_2016) == (
            after,
            [("A/RES/70/125", "A/RES/80/12")],
        )


def test_only_the_symbol_changes_and_other_citations_stay():
    text = "recalling Resolution 140 (Rev. Dubai, 2018) and UNGA Resolution 70/125, on the WSIS review;"
    after, replaced = replace_un_documents(text, {"A/RES/70/125": "A/RES/80/12"}, WTSA_2016)
    assert (
        after == "recalling Resolution 140 (Rev. Dubai, 2018) and UNGA Resolution 80/12, on the WSIS review;"
    )
    # The symbol is marked whole, as ITU marks it: ~~70/125~~ 80/12.
    assert diff_words(text, after) == [
        ("equal", "recalling Resolution 140 (Rev. Dubai, 2018) and UNGA Resolution "),
        ("delete", "70/125"),
        ("insert", "80/12"),
        ("equal", ", on the WSIS review;"),
    ]
    assert replace_un_documents(text, {"A/RES/70/1": "A/RES/80/1"}, WTSA_2016) == (text, [])


def test_a_chain_of_successors_is_followed_and_a_loop_does_not_hang():
    assert latest_successor("A/RES/70/125", SUCCESSORS) == "A/RES/80/12"
    assert latest_successor("A/RES/80/12", SUCCESSORS) is None
    assert latest_successor("A/RES/1/1", {"A/RES/1/1": "A/RES/2/2", "A/RES/2/2": "A/RES/1/1"}) == "A/RES/2/2"


# --- the property: whatever the list and whichever of its resolutions move ---------------------

PP_EDITIONS = [("Busan", 2014), ("Dubai", 2018), ("Bucharest", 2022), ("Doha", 2026)]
WTDC_EDITIONS = [("Dubai", 2014), ("Buenos Aires", 2017), ("Kigali", 2022), ("Baku", 2025)]
PREFIXES = [
    "recalling ",
    "noting that UNGA Resolution 70/125 and ",
    "in accordance with Resolution 71 (Rev. Busan, 2014) of the Plenipotentiary Conference, on the plan, and ",
]
SUFFIXES = [";", ", on WSIS, and Council Resolution 1332;", " and Recommendation ITU-T X.1205."]


@st.composite
def cited_list(draw):
    """A clause citing a list of resolutions sharing one edition (or none), in one of ITU's forms."""
    this_conference = draw(st.booleans())
    numbers = draw(
        st.lists(st.integers(1, 199).filter(lambda n: n != 71), min_size=1, max_size=6, unique=True)
    )
    if draw(st.booleans()):
        numbers.sort()
    space = draw(st.sampled_from([" ", "\u00a0"]))
    if this_conference:
        context, known = WTDC_2022, WTDC_EDITIONS
        edition = draw(st.sampled_from([None, *known]))
        before, after = "", " of this Conference"
    else:
        context, known = WTSA_2016, PP_EDITIONS
        edition = draw(st.sampled_from(known))
        before, after = draw(
            st.sampled_from(
                [("", " of the Plenipotentiary Conference"), ("PP ", ""), ("", ""), ("PP ", " of the PP")]
            )
        )
    words = [str(n) for n in numbers]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    keyword = draw(st.sampled_from(["Resolution", "resolution"])) + ("s" if len(words) > 1 else "")
    written = f"{before}{keyword}{space}{listed}"
    if edition is not None:
        written += f" (Rev.{space}{edition[0]}, {edition[1]})"
    prefix, suffix = draw(st.sampled_from(PREFIXES)), draw(st.sampled_from(SUFFIXES))
    moves = st.dictionaries(st.sampled_from(words), st.sampled_from(known).map(lambda e: Target(*e)))
    return context, prefix, written + after, suffix, draw(moves), draw(moves)


def _check(text, context, prefix, tail, targets):
    found = parse_citations(text, context)
    listed = {c.number: c for c in found if len(prefix) <= c.start < len(text) - len(tail)}
    by_start = {listed[n].start: t for n, t in targets.items()}
    result = update_editions(text, by_start, context)
    assert result.unapplied == []
    after = result.text
    # Nothing outside the list changes: the words before it, and what follows its last edition.
    assert after.startswith(prefix) and after.endswith(tail)
    now = parse_citations(after, context)
    outside = [c for c in found if c.number not in listed]
    assert [(c.kind, c.body, c.number, c.year, c.text) for c in now if c.number not in listed] == [
        (c.kind, c.body, c.number, c.year, c.text) for c in outside
    ]
    # Every resolution of the list is read back once, of the same body, at the edition intended.
    read = {c.number: c for c in now if c.number in listed}
    assert sorted(read) == sorted(listed) and len(now) == len(found)
    for number, was in listed.items():
        want = (targets[number].place, targets[number].year) if number in targets else (was.place, was.year)
        assert (read[number].body, read[number].place, read[number].year) == (was.body, *want), after
        assert not read[number].problem
    return after


@settings(max_examples=examples(100), deadline=None)
@given(cited_list())
def test_updating_any_resolutions_of_any_list_gives_each_its_intended_edition_and_changes_nothing_else(case):
    context, prefix, written, suffix, first, second = case
    text = prefix + written + suffix
    # The words after the list's last edition (or last number) stay; the list itself may be rewritten.
    tail = suffix
    for qualifier in (" of this Conference", " of the Plenipotentiary Conference", " of the PP"):
        if written.endswith(qualifier):
            tail = qualifier + suffix
    once = _check(text, context, prefix, tail, first)
    # Updating a list already split (or already updated) again works the same way.
    _check(once, context, prefix, tail, second)
    # And nothing to update is no change at all.
    assert update_editions(text, {}, context).text == text
