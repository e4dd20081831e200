"""The amendment engine: proposed text, renumbering and punctuation (no database)."""

from __future__ import annotations

import pytest

from drafting.engine.amend import (
    ADD,
    AFTER,
    BEFORE,
    FIRST_CHILD,
    MODIFY,
    SUPPRESS,
    Amendment,
    apply_amendments,
    closing_mark,
    relabelled_references,
    with_closing,
)
from drafting.engine.parse import parse_resolution
from drafting.engine.tree import PART

TEXT = """RESOLUTION 1 (Rev. Geneva, 2022)
A test resolution
The Assembly (Geneva, 2022),
considering
a)\tthe first thing;
b)\tthe second thing;
c)\tthe third thing,
resolves
1\tto do the first task;
2\tto do the second task, as in considering b) above;
3\tthat the work under resolves 1 and 2 above be reported,
instructs the Director
1\tto report:
i)\ton the first;
ii)\ton the second;
2\tto act.
"""


@pytest.fixture
def base():
    resolution = parse_resolution(TEXT)
    for n, (clause, _) in enumerate(resolution.walk()):
        clause.key = f"k{n}"
    return resolution


def key_of(base, heading, label, child=None):
    part = next(p for p in base.clauses if p.heading == heading)
    item = next(c for c in part.children if c.label == label)
    if child is not None:
        item = next(c for c in item.children if c.label == child)
    return item.key


def labels(draft, heading):
    part = next(p for p in draft.clauses if p.heading == heading or (p.base and p.base.heading == heading))
    return [(c.base_label, c.label, c.suppressed) for c in part.children]


def test_adding_an_item_first_relabels_every_item_after_it(base):
    draft = apply_amendments(
        base, [Amendment(ADD, key_of(base, "considering", "a)"), BEFORE, key="n", text="a new first thing")]
    )
    assert labels(draft, "considering") == [
        ("", "a)", False),
        ("a)", "b)", False),
        ("b)", "c)", False),
        ("c)", "d)", False),
    ]
    added = draft.find("n")
    assert added.label_marks() == [("insert", "a)")]
    assert draft.find(key_of(base, "considering", "a)")).label_marks() == [("delete", "a)"), ("insert", "b)")]


def test_adding_an_item_in_the_middle_gets_a_semicolon(base):
    draft = apply_amendments(
        base, [Amendment(ADD, key_of(base, "considering", "a)"), AFTER, key="n", text="a middle thing")]
    )
    assert draft.find("n").label == "b)"
    assert draft.find("n").text == "a middle thing;"
    assert [c.label for c in draft.clauses[0].children] == ["a)", "b)", "c)", "d)"]


def test_adding_after_the_last_item_moves_the_comma_to_the_new_last_item(base):
    last = key_of(base, "considering", "c)")
    draft = apply_amendments(base, [Amendment(ADD, last, AFTER, key="n", text="a fourth thing;")])
    assert draft.find(last).text == "the third thing;"
    assert draft.find(last).text_marks() == [("equal", "the third thing"), ("delete", ","), ("insert", ";")]
    assert draft.find("n").text == "a fourth thing,"
    assert draft.find("n").label == "d)"


def test_adding_at_the_end_of_the_resolution_ends_it_with_a_full_stop(base):
    last = key_of(base, "instructs the Director", "2")
    draft = apply_amendments(base, [Amendment(ADD, last, AFTER, key="n", text="to act again")])
    assert draft.find(last).text == "to act;"
    assert draft.find("n").text == "to act again."
    assert draft.find("n").label == "3"


def test_adding_a_part_after_the_last_part_takes_the_full_stop_with_it(base):
    # ITU writes "." only at the very end: the old last item now ends its part with ",".
    last = key_of(base, "instructs the Director", "2")
    part = next(p.key for p in base.clauses if p.heading == "instructs the Director")
    draft = apply_amendments(
        base,
        [
            Amendment(ADD, part, AFTER, key="p", kind=PART, heading="invites all stakeholders"),
            Amendment(ADD, "p", FIRST_CHILD, key="n", text="to participate actively;"),
        ],
    )
    assert draft.find(last).text == "to act,"
    assert draft.find(last).text_marks() == [("equal", "to act"), ("delete", "."), ("insert", ",")]
    assert draft.find("n").text == "to participate actively."


def test_suppressing_the_last_part_gives_the_full_stop_to_the_part_before_it(base):
    part = next(p.key for p in base.clauses if p.heading == "instructs the Director")
    draft = apply_amendments(base, [Amendment(SUPPRESS, part)])
    assert (
        draft.find(key_of(base, "resolves", "3")).text
        == "that the work under resolves 1 and 2 above be reported."
    )


def test_suppressing_an_item_closes_up_the_labels_after_it(base):
    draft = apply_amendments(base, [Amendment(SUPPRESS, key_of(base, "considering", "a)"))])
    assert labels(draft, "considering") == [("a)", "a)", True), ("b)", "a)", False), ("c)", "b)", False)]
    suppressed = draft.find(key_of(base, "considering", "a)"))
    assert suppressed.label_marks() == [("delete", "a)")]
    assert suppressed.text_marks() == [("delete", "the first thing;")]


def test_suppressing_the_last_item_makes_the_one_before_it_last(base):
    draft = apply_amendments(base, [Amendment(SUPPRESS, key_of(base, "considering", "c)"))])
    assert draft.find(key_of(base, "considering", "b)")).text == "the second thing,"


def test_nested_lists_are_renumbered_in_their_own_sequence(base):
    first = key_of(base, "instructs the Director", "1", "i)")
    draft = apply_amendments(base, [Amendment(ADD, first, BEFORE, key="n", text="on the zeroth")])
    item = draft.find(key_of(base, "instructs the Director", "1"))
    assert [(c.base_label, c.label) for c in item.children] == [("", "i)"), ("i)", "ii)"), ("ii)", "iii)")]
    # The parent item's colon stays: it introduces the list.
    assert item.text == "to report:"


def test_a_first_child_list_uses_a_kind_its_ancestors_do_not(base):
    target = key_of(base, "considering", "b)")
    draft = apply_amendments(
        base,
        [
            Amendment(ADD, target, FIRST_CHILD, key="n", text="a detail"),
            Amendment(ADD, "n", AFTER, key="m", text="another detail"),
        ],
    )
    # One sub-item alone is unlabelled (test_itu_labels.py); two are a list, of a kind b)'s ancestors do not use.
    assert [draft.find("n").label, draft.find("m").label] == ["i)", "ii)"]


def test_several_changes_at_once_number_consistently(base):
    a, b, c = (key_of(base, "considering", x) for x in ("a)", "b)", "c)"))
    draft = apply_amendments(
        base,
        [
            Amendment(SUPPRESS, a),
            Amendment(ADD, b, AFTER, key="n1", text="after b"),
            Amendment(ADD, c, AFTER, key="n2", text="after c"),
            Amendment(MODIFY, b, text="the second thing, reworded;"),
        ],
    )
    assert [(x.label, x.suppressed) for x in draft.clauses[0].children] == [
        ("a)", True),
        ("a)", False),
        ("b)", False),
        ("c)", False),
        ("d)", False),
    ]
    assert draft.find("n2").text == "after c,"
    assert draft.find(c).text == "the third thing;"
    assert draft.find(b).text == "the second thing, reworded;"


def test_renaming_a_part_marks_the_heading(base):
    part = base.clauses[0].key
    draft = apply_amendments(base, [Amendment(MODIFY, part, heading="recalling")])
    assert draft.clauses[0].heading_marks() == [("delete", "considering"), ("insert", "recalling")]


def test_an_amendment_to_a_missing_clause_is_reported_and_the_others_still_apply(base):
    draft = apply_amendments(
        base,
        [Amendment(MODIFY, "gone", text="x"), Amendment(SUPPRESS, key_of(base, "considering", "a)"))],
    )
    assert draft.problems == ["An amendment refers to a clause that is not in the base text any more."]
    assert draft.find(key_of(base, "considering", "a)")).suppressed


def test_empty_text_is_refused(base):
    draft = apply_amendments(base, [Amendment(MODIFY, key_of(base, "considering", "a)"), text="   ")])
    assert "cannot be empty" in draft.problems[0]
    assert draft.find(key_of(base, "considering", "a)")).text == "the first thing;"


def test_references_to_relabelled_items_follow_them_with_marks(base):
    draft = apply_amendments(
        base, [Amendment(ADD, key_of(base, "resolves", "1"), BEFORE, key="n", text="a new first task")]
    )
    assert relabelled_references(draft) == []
    citing = draft.find(key_of(base, "resolves", "3"))
    assert citing.text == "that the work under resolves 2 and 3 above be reported,"
    assert ("delete", "1") in citing.text_marks() and ("insert", "3") in citing.text_marks()


def test_a_reference_to_a_suppressed_item_is_flagged(base):
    draft = apply_amendments(base, [Amendment(SUPPRESS, key_of(base, "resolves", "2"))])
    flagged = [(c.base_label, citation) for c, citation in relabelled_references(draft)]
    assert flagged == [("3", "resolves 2 above")]


def test_references_to_unchanged_labels_are_not_flagged(base):
    draft = apply_amendments(
        base, [Amendment(MODIFY, key_of(base, "resolves", "1"), text="to do the first task well;")]
    )
    assert relabelled_references(draft) == []


def test_proposed_text_leaves_out_suppressed_clauses(base):
    draft = apply_amendments(base, [Amendment(SUPPRESS, key_of(base, "considering", "b)"))])
    proposed = draft.proposed_text()
    assert [c.label for c in proposed.clauses[0].children] == ["a)", "b)"]


@pytest.mark.parametrize(
    ("text", "mark", "expected"),
    [
        ("the thing;", ",", "the thing,"),
        ("the thing,", ";", "the thing;"),
        ("the thing", ".", "the thing."),
        ("the thing; and", ",", "the thing,"),
        ("to report:", ";", "to report:"),
        ("entities,;", ",", "entities,"),
    ],
)
def test_closing_punctuation_is_replaced_not_added(text, mark, expected):
    assert with_closing(text, mark) == expected


def test_closing_mark_reads_the_final_punctuation():
    assert closing_mark("the thing;") == ";"
    assert closing_mark("the thing") == ""


def test_text_left_open_in_brackets_keeps_its_closing_mark_inside_them():
    from drafting.engine.amend import closing_mark, with_closing

    assert closing_mark("[to submit contributions to WG-WSIS;]") == ";"
    assert (
        with_closing("[to submit contributions to WG-WSIS;]", ",") == "[to submit contributions to WG-WSIS,]"
    )
    assert with_closing("[to submit contributions]", ";") == "[to submit contributions;]"
    # A bracket in the middle of the text is not where its mark goes.
    assert (
        with_closing("the output of [CWG-WSIS and / ]CWG-Internet;", ".")
        == "the output of [CWG-WSIS and / ]CWG-Internet."
    )
