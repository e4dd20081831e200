"""Find and replace across a resolution, and the citation check (no database)."""

from __future__ import annotations

from drafting.engine.replace import check_citations, find_replace


def test_every_citation_is_updated_whatever_the_spaces():
    texts = [
        ("a", "Resolution 71 (Rev.\u00a0Dubai, 2018) of the Plenipotentiary Conference;"),
        ("b", "Resolution 101 (Rev. Dubai,2018) on IP-based networks;"),
        ("c", "Resolution 178 (Guadalajara, 2010) of the Plenipotentiary Conference;"),
    ]
    found = find_replace(texts, "(Rev. Dubai, 2018)", "(Rev. Bucharest, 2022)")
    assert [(r.key, r.after) for r in found] == [
        ("a", "Resolution 71 (Rev. Bucharest, 2022) of the Plenipotentiary Conference;"),
        ("b", "Resolution 101 (Rev. Bucharest, 2022) on IP-based networks;"),
    ]


def test_renaming_a_working_group_everywhere_counts_each_occurrence():
    texts = [("a", "the output of WG-WSIS and of WG-WSIS again"), ("b", "nothing here")]
    found = find_replace(texts, "WG-WSIS", "CWG-WSIS&SDG")
    assert found[0].count == 2
    assert found[0].after == "the output of CWG-WSIS&SDG and of CWG-WSIS&SDG again"
    assert len(found) == 1


def test_an_empty_search_finds_nothing():
    assert find_replace([("a", "text")], "  ", "x") == []


def test_special_characters_are_searched_literally():
    found = find_replace([("a", "costs (a+b) [1]")], "(a+b) [1]", "c")
    assert found[0].after == "costs c"


def test_the_seed_typo_buchrest_is_flagged_with_a_suggestion():
    # The ATU seed's inserted text reads "(Rev. Buchrest, 2022)" once its deleted words are taken out.
    warnings = check_citations(
        [("x", "Resolution 71 (Rev.\u00a0Buchrest, 2022) of the Plenipotentiary Conference")]
    )
    assert [(w.citation, w.suggestion) for w in warnings] == [
        ("(Rev.\u00a0Buchrest, 2022)", "did you mean Bucharest?")
    ]


def test_known_citations_pass_and_wrong_years_are_flagged():
    texts = [
        ("a", "Resolution 140 (Rev. Bucharest, 2022) and Resolution 200 (Rev. Busan, 2014)"),
        ("b", "Resolution 1 (Rev. Bucharest, 2021)"),
    ]
    warnings = check_citations(texts)
    assert [(w.key, w.citation) for w in warnings] == [("b", "(Rev. Bucharest, 2021)")]
    assert "2021" in warnings[0].suggestion


def test_conference_venues_from_the_library_are_known():
    assert check_citations([("a", "(Rev. Atlantis, 2030)")], {"Atlantis": {2030}}) == []


def test_a_typed_hyphen_finds_the_non_breaking_hyphens_of_itu_texts():
    found = find_replace([("a", "the output of WG\u2011WSIS")], "WG-WSIS", "CWG-WSIS&SDG")
    assert found[0].after == "the output of CWG-WSIS&SDG"
