"""What the find bar matches a clause by: its part's heading and its label as a reader types them."""

from hypothesis import given
from hypothesis import strategies as st

from drafting.engine.anchors import find_labels
from drafting.engine.tree import ITEM, PART


def test_a_part_is_named_by_its_words_and_an_item_by_its_label():
    rows = [
        (0, PART, "Recognizing  further"),
        (1, ITEM, "e)"),
        (2, ITEM, "(iv)"),
        (1, ITEM, "3bis"),
        (1, ITEM, "–"),
    ]
    assert find_labels(rows) == [
        ("recognizing further", ""),
        ("recognizing further", "e"),
        ("recognizing further", "iv"),
        ("recognizing further", "3bis"),
        ("recognizing further", ""),
    ]


@given(
    heading=st.text(alphabet="abcdefghij ", min_size=1, max_size=20).filter(str.strip),
    calls=st.lists(st.integers(min_value=1, max_value=999), max_size=3),
)
def test_a_footnote_call_in_a_heading_is_no_word_of_it(heading, calls):
    # "considering[^4]" is found as "considering": a reader never types the call.
    marked = heading + "".join(f"[^{n}]" for n in calls)
    [(part, _), (item_part, _)] = find_labels([(0, PART, marked), (1, ITEM, "a)")])
    assert part == item_part == " ".join(heading.lower().split())
    assert "[" not in part
