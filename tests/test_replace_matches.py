"""Find and replace, one occurrence at a time: context, and leaving some out."""

from __future__ import annotations

from drafting.engine.matches import find_matches, replace_chosen

TEXTS = [
    ("a", "Resolution 71 (Rev. Dubai, 2018) of the Plenipotentiary Conference and (Rev. Dubai, 2018) again"),
    ("b", "nothing here"),
    ("c", "Resolution 101 (Rev.\u00a0Dubai,2018), on IP-based networks;"),
]


def test_each_occurrence_is_listed_with_its_context_and_what_it_becomes():
    matches = find_matches(TEXTS, "(Rev. Dubai, 2018)", "(Rev. Bucharest, 2022)")
    assert [m.id for m in matches] == ["a:0", "a:1", "c:0"]
    first = matches[0]
    assert first.before == "Resolution 71 "
    assert first.found == "(Rev. Dubai, 2018)"
    assert first.after.startswith(" of the Plenipotentiary")
    assert first.replacement == "(Rev. Bucharest, 2022)"
    # Spacing as ITU texts have it is still found, and shown as it is.
    assert matches[2].found == "(Rev.\u00a0Dubai,2018)"


def test_long_context_is_cut_at_a_word_with_an_ellipsis():
    text = "word " * 30 + "FIND" + " tail" * 30
    (m,) = find_matches([("k", text)], "FIND", "X")
    assert m.before.startswith("…") and m.after.endswith("…")
    assert len(m.before) <= 41 and len(m.after) <= 41


def test_only_the_chosen_occurrences_are_replaced():
    text = TEXTS[0][1]
    assert replace_chosen(text, "a", "(Rev. Dubai, 2018)", "(X)", {"a:1"}) == (
        "Resolution 71 (Rev. Dubai, 2018) of the Plenipotentiary Conference and (X) again"
    )
    assert replace_chosen(text, "a", "(Rev. Dubai, 2018)", "(X)", None).count("(X)") == 2
    assert replace_chosen(text, "a", "(Rev. Dubai, 2018)", "(X)", set()) == text
