"""The merge engine: several groups' versions of a clause against its base (no database)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.engine.merge import AGREEMENT, COMBINABLE, CONFLICT, ONE, SUPPRESSED, UNCHANGED, merge_versions
from tests.budget import examples

BASE = (
    "Resolution 71 (Rev. Dubai, 2018) of the Plenipotentiary Conference, on the strategic plan for 2020-2023;"
)

WORDS = st.sampled_from(
    "ITU WSIS the of outcomes Agenda plan strategic Council review digital divide member states".split()
)
NEW = st.sampled_from("AI SDG broadband Bucharest 2022 cooperation security youth".split())


def test_no_group_changed_it():
    assert merge_versions(BASE, {"ATU": BASE, "CITEL": None}).status == UNCHANGED


def test_one_group_changes_are_taken_as_they_are():
    result = merge_versions(BASE, {"ATU": BASE.replace("Dubai, 2018", "Bucharest, 2022"), "CITEL": BASE})
    assert result.status == ONE and result.changed_by == ["ATU"]
    assert result.text == BASE.replace("Dubai, 2018", "Bucharest, 2022")


def test_identical_changes_are_an_agreement_naming_the_groups():
    new = BASE.replace("Dubai, 2018", "Bucharest, 2022")
    result = merge_versions(BASE, {"ATU": new, "CITEL": new, "RCC": BASE})
    assert result.status == AGREEMENT and result.agreeing == ["ATU", "CITEL"] and result.text == new


def test_changes_to_different_words_combine():
    result = merge_versions(
        BASE,
        {
            "ATU": BASE.replace("Dubai, 2018", "Bucharest, 2022"),
            "CITEL": BASE.replace("2020-2023", "2024-2027"),
        },
    )
    assert result.status == COMBINABLE
    assert result.text == BASE.replace("Dubai, 2018", "Bucharest, 2022").replace("2020-2023", "2024-2027")


def test_different_changes_to_the_same_words_conflict_and_show_in_brackets():
    result = merge_versions(
        BASE,
        {
            "ATU": BASE.replace("Dubai, 2018", "Bucharest, 2022"),
            "CITEL": BASE.replace("Dubai, 2018", "Busan, 2014"),
        },
    )
    assert result.status == CONFLICT and result.text is None
    [hunk] = result.conflicts
    assert hunk.base == "Dubai, 2018"
    assert [(a.text, a.groups) for a in hunk.alternatives] == [
        ("Bucharest, 2022", ["ATU"]),
        ("Busan, 2014", ["CITEL"]),
    ]
    assert result.bracketed() == BASE.replace("Dubai, 2018", "[Bucharest, 2022 (ATU) / Busan, 2014 (CITEL)]")


def test_a_deletion_against_a_change_says_whose_it_is_in_the_brackets():
    base = "the output of WG-WSIS and CWG-Internet,"
    result = merge_versions(
        base,
        {
            "ATU": "the output of CWG-WSIS&SDG and CWG-Internet,",
            "CITEL": "the output of CWG-Internet,",
            "RCC": "the output of CWG-Internet,",
        },
    )
    assert result.status == CONFLICT
    bracketed = result.bracketed()
    assert "(CITEL, RCC: deleted)" in bracketed
    assert "CWG-WSIS&SDG and (ATU)" in bracketed
    # No empty alternative, and the words around the brackets keep their spaces.
    assert "/ ]" not in bracketed and "[ " not in bracketed and "]CWG" not in bracketed


def test_suppression_against_a_modification_is_a_conflict():
    result = merge_versions(BASE, {"ATU": SUPPRESSED, "CITEL": BASE.replace("Dubai", "Bucharest")})
    assert result.status == CONFLICT and result.suppressed_by == ["ATU"]


def test_suppression_by_several_groups_is_an_agreement():
    result = merge_versions(BASE, {"ATU": SUPPRESSED, "RCC": SUPPRESSED})
    assert result.status == AGREEMENT and result.suppressed_by == ["ATU", "RCC"]


def test_insertions_at_the_same_place_conflict_unless_identical():
    a = BASE.replace("Conference,", "Conference (PP),")
    b = BASE.replace("Conference,", "Conference of ITU,")
    assert merge_versions(BASE, {"ATU": a, "CITEL": b}).status == CONFLICT
    assert merge_versions(BASE, {"ATU": a, "CITEL": a}).status == AGREEMENT


@st.composite
def base_words(draw):
    # Numbered words: where a text repeats itself word for word, no diff can say which copy a group
    # changed, and "the same words" stops meaning anything.
    return [f"{w}{n}" for n, w in enumerate(draw(st.lists(WORDS, min_size=6, max_size=30)))]


def text(words):
    return " ".join(words)


@settings(max_examples=examples(100), deadline=None)
@given(base_words(), st.data())
def test_merging_a_single_proposal_reproduces_it(words, data):
    version = list(words)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(version) - 1))
        action = data.draw(st.sampled_from(["replace", "insert", "delete"]))
        if action == "replace":
            version[i] = data.draw(NEW)
        elif action == "insert":
            version.insert(i, data.draw(NEW))
        elif len(version) > 1:
            del version[i]
    result = merge_versions(text(words), {"ATU": text(version)})
    assert result.text == text(version)


@st.composite
def two_disjoint_edits(draw):
    words = draw(base_words())
    n = len(words)
    i = draw(st.integers(0, n // 2 - 2))
    j = draw(st.integers(i + 2, n - 1))  # at least one untouched word between the two edits
    return words, i, j, draw(NEW), draw(NEW)


@settings(max_examples=examples(100), deadline=None)
@given(two_disjoint_edits())
def test_changes_to_different_words_merge_to_the_same_text_in_any_order(case):
    words, i, j, x, y = case
    a, b = list(words), list(words)
    a[i] = x + "A"
    b[j] = y + "B"
    both = list(words)
    both[i], both[j] = x + "A", y + "B"
    one = merge_versions(text(words), {"ATU": text(a), "CITEL": text(b)})
    other = merge_versions(text(words), {"CITEL": text(b), "ATU": text(a)})
    assert one.status == other.status == COMBINABLE
    assert one.text == other.text == text(both)


@settings(max_examples=examples(100), deadline=None)
@given(base_words(), st.data())
def test_a_conflict_is_reported_if_and_only_if_the_changes_overlap_and_differ(words, data):
    i = data.draw(st.integers(0, len(words) - 1))
    a, b = list(words), list(words)
    a[i] = data.draw(NEW) + "A"
    same = data.draw(st.booleans())
    b[i] = a[i] if same else data.draw(NEW) + "B"
    result = merge_versions(text(words), {"ATU": text(a), "CITEL": text(b)})
    if same:
        assert result.status == AGREEMENT and result.agreeing == ["ATU", "CITEL"]
    else:
        assert result.status == CONFLICT
        assert {g for h in result.conflicts for g in h.groups} == {"ATU", "CITEL"}


def test_the_demo_atu_and_citel_texts_conflict_on_resolves_4_and_agree_elsewhere():
    from drafting.demo.proposals import ATU_CHANGES, CITEL_CHANGES

    base = "that the relevant ITU\u2011T study groups should consider in their studies the output of WG\u2011WSIS and CWG\u2011Internet,"
    atu = next(v for a, w, v in ATU_CHANGES if a == "resolves-4" and w == "text")
    citel = next(v for a, w, v in CITEL_CHANGES if a == "resolves-4" and w == "text")
    result = merge_versions(base, {"ATU": atu, "CITEL": citel})
    assert result.status == CONFLICT
    assert "[" in result.bracketed() and "CWG‑WSIS&SDG" in result.bracketed()
