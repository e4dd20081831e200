"""Labels as ITU writes them: one item alone is unlabelled, two or more are all labelled (no database).

The rule holds in both directions and at every depth, with the label marks
(~~b)~~, an inserted a)) and the closing punctuation following, for lists that
hold a bis label too, and for labels set by hand.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.engine.amend import (
    ADD,
    AFTER,
    BEFORE,
    BIS,
    FIRST_CHILD,
    MODIFY,
    SUPPRESS,
    Amendment,
    apply_amendments,
    relabelled_references,
)
from drafting.engine.parse import parse_resolution
from tests.budget import examples

TEXT = """RESOLUTION 1 (Rev. Geneva, 2022)
A test resolution
The Assembly (Geneva, 2022),
considering
a)\tthe first thing;
b)\tthe second thing,
noting further
that the one paragraph of this part is not labelled,
resolves
1\tto do the first task;
1bis\tto do the task inserted without renumbering;
2\tto do the second task, as in resolves 1bis above,
instructs the Director
1\tto report on:
i)\tthe first matter;
ii)\tthe second matter;
2\tto act,
invites Member States
to take part.
"""


@pytest.fixture
def base():
    resolution = parse_resolution(TEXT)
    for n, (clause, _) in enumerate(resolution.walk()):
        clause.key = f"k{n}"
    return resolution


def part_of(tree, heading):
    return next(
        p for p in tree.clauses if (p.base.heading if getattr(p, "base", None) else p.heading) == heading
    )


def key(base, heading, *path):
    clause = part_of(base, heading)
    for label in path:
        clause = next(c for c in clause.children if c.label == label)
    return clause.key


def labels(draft, heading, *path):
    clause = part_of(draft, heading)
    for label in path:
        clause = next(c for c in clause.children if c.base_label == label)
    return [(c.label, c.suppressed) for c in clause.children]


# One item becomes two, two become one, in a part -------------------------------------------------


def test_adding_after_a_parts_one_paragraph_labels_both(base):
    paragraph = key(base, "noting further", "")
    draft = apply_amendments(base, [Amendment(ADD, paragraph, AFTER, key="n", text="a second thing")])
    assert labels(draft, "noting further") == [("a)", False), ("b)", False)]
    first = draft.find(paragraph)
    assert first.label_marks() == [("insert", "a)")]
    assert draft.find("n").label_marks() == [("insert", "b)")]
    # The paragraph is no longer last: its comma becomes a semicolon, the new item ends the part.
    assert first.text == "that the one paragraph of this part is not labelled;"
    assert draft.find("n").text == "a second thing,"


def test_adding_before_a_parts_one_paragraph_labels_both(base):
    paragraph = key(base, "noting further", "")
    draft = apply_amendments(base, [Amendment(ADD, paragraph, BEFORE, key="n", text="a new first thing")])
    assert labels(draft, "noting further") == [("a)", False), ("b)", False)]
    assert draft.find(paragraph).label_marks() == [("insert", "b)")]


def test_in_an_operative_part_the_labels_are_numbers(base):
    paragraph = key(base, "invites Member States", "")
    draft = apply_amendments(base, [Amendment(ADD, paragraph, AFTER, key="n", text="to report")])
    assert labels(draft, "invites Member States") == [("1", False), ("2", False)]
    assert draft.find(paragraph).text == "to take part;"
    assert draft.find("n").text == "to report."


def test_suppressing_all_but_one_item_drops_the_last_ones_label(base):
    a = key(base, "considering", "a)")
    draft = apply_amendments(base, [Amendment(SUPPRESS, a)])
    assert labels(draft, "considering") == [("a)", True), ("", False)]
    left = draft.find(key(base, "considering", "b)"))
    assert left.label_marks() == [("delete", "b)")]
    assert draft.find(a).label_marks() == [("delete", "a)")]


def test_restoring_the_suppressed_item_gives_the_labels_back(base):
    a = key(base, "considering", "a)")
    suppressed = apply_amendments(base, [Amendment(SUPPRESS, a)])
    assert labels(suppressed, "considering")[1] == ("", False)
    restored = apply_amendments(base, [])
    assert labels(restored, "considering") == [("a)", False), ("b)", False)]
    assert all(c.label_marks() == [("equal", c.label)] for c in part_of(restored, "considering").children)


def test_removing_the_added_item_again_leaves_the_paragraph_unlabelled(base):
    paragraph = key(base, "noting further", "")
    added = apply_amendments(base, [Amendment(ADD, paragraph, AFTER, key="n", text="a second thing")])
    assert draft_labels(added, paragraph) == "a)"
    # The addition withdrawn (the service deletes it): nothing is touched any more.
    assert draft_labels(apply_amendments(base, []), paragraph) == ""


def draft_labels(draft, key):
    return draft.find(key).label


def test_adding_and_suppressing_in_one_list_keeps_two_labelled(base):
    a = key(base, "considering", "a)")
    b = key(base, "considering", "b)")
    draft = apply_amendments(
        base, [Amendment(SUPPRESS, a), Amendment(ADD, b, AFTER, key="n", text="a third thing")]
    )
    assert labels(draft, "considering") == [("a)", True), ("a)", False), ("b)", False)]


def test_suppressing_every_item_but_an_added_one_leaves_it_unlabelled(base):
    a, b = key(base, "considering", "a)"), key(base, "considering", "b)")
    draft = apply_amendments(
        base,
        [
            Amendment(ADD, b, AFTER, key="n", text="the only thing"),
            Amendment(SUPPRESS, a),
            Amendment(SUPPRESS, b),
        ],
    )
    assert draft.find("n").label == ""
    assert draft.find("n").label_marks() == []


# Nested lists -------------------------------------------------------------------------------------


def test_a_nested_list_cut_to_one_item_loses_its_label(base):
    ii = key(base, "instructs the Director", "1", "ii)")
    draft = apply_amendments(base, [Amendment(SUPPRESS, ii)])
    assert labels(draft, "instructs the Director", "1") == [("", False), ("ii)", True)]


def test_a_single_sub_item_added_inside_an_item_is_unlabelled_and_a_second_labels_both(base):
    one = key(base, "resolves", "1")
    alone = apply_amendments(base, [Amendment(ADD, one, FIRST_CHILD, key="n", text="in detail")])
    assert alone.find("n").label == ""
    two = apply_amendments(
        base,
        [
            Amendment(ADD, one, FIRST_CHILD, key="n", text="in detail"),
            Amendment(ADD, "n", AFTER, key="m", text="in more detail"),
        ],
    )
    # Under a number, the first kind its ancestors do not use: letters.
    assert [two.find("n").label, two.find("m").label] == ["a)", "b)"]


def test_three_deep_one_and_two(base):
    i = key(base, "instructs the Director", "1", "i)")
    draft = apply_amendments(
        base,
        [
            Amendment(ADD, i, FIRST_CHILD, key="d1", text="a detail"),
            Amendment(ADD, "d1", AFTER, key="d2", text="another detail"),
        ],
    )
    # Inside i) of 1: a kind no ancestor uses (i) could be a letter too), dashes as in Council Res. 1332.
    assert [draft.find("d1").label, draft.find("d2").label] == ["–", "–"]
    again = apply_amendments(
        base,
        [
            Amendment(ADD, i, FIRST_CHILD, key="d1", text="a detail"),
            Amendment(ADD, "d1", AFTER, key="d2", text="another detail"),
            Amendment(SUPPRESS, "d1"),
        ],
    )
    assert again.find("d2").label == ""


def test_prose_paragraphs_are_never_numbered():
    text = """RESOLUTION 2 (Geneva, 2022)
A title
The Assembly (Geneva, 2022),
considering
a)\tthe thing,
resolves
to adopt the annex.
ANNEX
The annex title
The first paragraph of the annex.
The second paragraph of the annex.
"""
    tree = parse_resolution(text)
    for n, (clause, _) in enumerate(tree.walk()):
        clause.key = f"k{n}"
    annex = tree.annexes[0]
    draft = apply_amendments(
        tree, [Amendment(ADD, annex.children[0].key, AFTER, key="n", text="A new paragraph.")]
    )
    assert [c.label for c in draft.find(annex.key).children] == ["", "", ""]


def test_paragraphs_among_labelled_items_stay_unlabelled():
    from tests.conftest import SEEDS

    tree = parse_resolution((SEEDS / "council-res1332.txt").read_text(encoding="utf-8"))
    for n, (clause, _) in enumerate(tree.walk()):
        clause.key = f"k{n}"
    e = next(
        c for c in next(p for p in tree.clauses if p.heading == "considering").children if c.label == "e)"
    )
    romans = [c for c in e.children if c.label]
    draft = apply_amendments(tree, [Amendment(SUPPRESS, c.key) for c in romans[:-1]])
    live = [c for c in draft.find(e.key).children if not c.suppressed]
    # The paragraphs stay prose; the one roman item left loses its label.
    assert [c.label for c in live] == ["", "", "", "", ""]
    assert draft.find(romans[-1].key).label_marks() == [("delete", "iv)")]


# bis labels ---------------------------------------------------------------------------------------


def test_a_bis_item_is_not_renumbered_and_the_items_around_it_are(base):
    one = key(base, "resolves", "1")
    draft = apply_amendments(base, [Amendment(ADD, one, BEFORE, key="n", text="a new first task")])
    assert labels(draft, "resolves") == [("1", False), ("2", False), ("2bis", False), ("3", False)]
    # 1bis follows its predecessor: ~~1bis~~ 2bis, never 3.
    assert draft.find(key(base, "resolves", "1bis")).label_marks() == [("delete", "1bis"), ("insert", "2bis")]


def test_suppressing_an_item_after_a_bis_item_closes_up_around_it(base):
    two = key(base, "resolves", "2")
    draft = apply_amendments(
        base, [Amendment(ADD, two, AFTER, key="n", text="a third task"), Amendment(SUPPRESS, two)]
    )
    assert labels(draft, "resolves") == [("1", False), ("1bis", False), ("2", True), ("2", False)]


def test_a_bis_item_whose_predecessor_is_suppressed_takes_its_number(base):
    draft = apply_amendments(base, [Amendment(SUPPRESS, key(base, "resolves", "1"))])
    assert labels(draft, "resolves") == [("1", True), ("1", False), ("2", False)]


def test_a_bis_item_left_alone_is_unlabelled(base):
    draft = apply_amendments(
        base,
        [Amendment(SUPPRESS, key(base, "resolves", "1")), Amendment(SUPPRESS, key(base, "resolves", "2"))],
    )
    assert labels(draft, "resolves") == [("1", True), ("", False), ("2", True)]


def test_inserting_as_bis_renumbers_nothing(base):
    two = key(base, "resolves", "2")
    draft = apply_amendments(base, [Amendment(ADD, two, AFTER, key="n", text="to do more", numbering=BIS)])
    assert labels(draft, "resolves") == [("1", False), ("1bis", False), ("2", False), ("2bis", False)]
    assert draft.find("n").label_marks() == [("insert", "2bis")]
    assert draft.find("n").text == "to do more,"
    assert relabelled_references(draft) == []


def test_inserting_as_bis_after_a_bis_item_takes_the_next_suffix(base):
    bis = key(base, "resolves", "1bis")
    draft = apply_amendments(base, [Amendment(ADD, bis, AFTER, key="n", text="to do more", numbering=BIS)])
    assert [c.label for c in part_of(draft, "resolves").children] == ["1", "1bis", "1ter", "2"]


def test_two_bis_insertions_after_one_item_are_bis_and_ter(base):
    a = key(base, "considering", "a)")
    draft = apply_amendments(
        base,
        [
            Amendment(ADD, a, AFTER, key="n", text="one more", numbering=BIS),
            Amendment(ADD, "n", AFTER, key="m", text="and another", numbering=BIS),
        ],
    )
    assert [c.label for c in part_of(draft, "considering").children] == ["a)", "abis)", "ater)", "b)"]


def test_a_bis_insertion_follows_the_lists_own_way_of_writing_bis():
    text = "RESOLUTION 3 (Geneva, 2022)\nA title\nThe Assembly (Geneva, 2022),\nconsidering\na)\tone;\na)bis\tone more;\nb)\ttwo,\n"
    tree = parse_resolution(text)
    for n, (clause, _) in enumerate(tree.walk()):
        clause.key = f"k{n}"
    b = tree.clauses[0].children[2]
    draft = apply_amendments(tree, [Amendment(ADD, b.key, AFTER, key="n", text="two more", numbering=BIS)])
    assert [c.label for c in draft.clauses[0].children] == ["a)", "a)bis", "b)", "b)bis"]


def test_citations_of_bis_labels_follow_them_when_they_move(base):
    one = key(base, "resolves", "1")
    draft = apply_amendments(base, [Amendment(ADD, one, BEFORE, key="n", text="a new first task")])
    assert relabelled_references(draft) == []
    assert draft.find(key(base, "resolves", "2")).text == "to do the second task, as in resolves 2bis above,"


# Labels set by hand -------------------------------------------------------------------------------


def test_a_label_set_by_hand_is_kept_and_marked(base):
    b = key(base, "considering", "b)")
    draft = apply_amendments(base, [Amendment(MODIFY, b, label="c)")])
    assert draft.find(b).label == "c)"
    assert draft.find(b).text == "the second thing,"
    assert draft.find(b).label_marks() == [("delete", "b)"), ("insert", "c)")]


def test_a_label_set_by_hand_on_the_one_paragraph_labels_it_alone(base):
    paragraph = key(base, "noting further", "")
    draft = apply_amendments(base, [Amendment(MODIFY, paragraph, label="a)")])
    assert draft.find(paragraph).label_marks() == [("insert", "a)")]


def test_a_label_removed_by_hand_makes_a_paragraph_and_the_list_closes_up(base):
    i = key(base, "instructs the Director", "1", "i)")
    draft = apply_amendments(base, [Amendment(MODIFY, i, label="¶")])
    # i) becomes a paragraph; ii) is left alone in its list and is unlabelled too.
    assert labels(draft, "instructs the Director", "1") == [("", False), ("", False)]


def test_the_count_goes_on_from_a_label_set_by_hand(base):
    a = key(base, "considering", "a)")
    draft = apply_amendments(
        base, [Amendment(MODIFY, a, label="c)"), Amendment(ADD, a, AFTER, key="n", text="new")]
    )
    assert [c.label for c in part_of(draft, "considering").children] == ["c)", "d)", "e)"]


@pytest.mark.parametrize("label", ["b", "zzy)", "1)a", "hello", "(a", "–x"])
def test_a_label_itu_does_not_write_is_refused(base, label):
    b = key(base, "considering", "b)")
    draft = apply_amendments(base, [Amendment(MODIFY, b, label=label)])
    assert draft.problems and "not a label ITU writes" in draft.problems[0]
    assert draft.find(b).label == "b)"


def test_a_part_cannot_be_labelled(base):
    draft = apply_amendments(base, [Amendment(MODIFY, base.clauses[0].key, heading="recalling", label="a)")])
    assert "Only items have labels" in draft.problems[0]


def test_an_addition_cannot_have_both_a_label_and_bis_numbering(base):
    a = key(base, "considering", "a)")
    draft = apply_amendments(base, [Amendment(ADD, a, AFTER, key="n", text="x", label="c)", numbering=BIS)])
    assert draft.find("n") is None
    assert "leave the label empty" in draft.problems[0]


# Properties ---------------------------------------------------------------------------------------


@st.composite
def list_changes(draw):
    """A list of n base items (labelled when n > 1, or a single paragraph), and random adds and suppressions."""
    n = draw(st.integers(1, 5))
    kind = draw(st.sampled_from(["considering", "resolves"]))
    if n == 1:
        body = "the only paragraph,"
        lines = [body]
    elif kind == "considering":
        lines = [f"{chr(97 + i)})\tthing {i};" for i in range(n)]
    else:
        lines = [f"{i + 1}\ttask {i};" for i in range(n)]
    text = f"RESOLUTION 9 (Geneva, 2022)\nT\nThe Assembly (Geneva, 2022),\n{kind}\n" + "\n".join(lines) + "\n"
    suppress = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    adds = draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from([BEFORE, AFTER])), max_size=3))
    return text, suppress, adds


@given(list_changes())
@settings(max_examples=150, deadline=None)
def test_a_list_is_unlabelled_with_one_item_and_fully_labelled_in_sequence_with_more(case):
    text, suppress, adds = case
    tree = parse_resolution(text)
    for n, (clause, _) in enumerate(tree.walk()):
        clause.key = f"k{n}"
    items = tree.clauses[0].children
    amendments = [Amendment(SUPPRESS, items[i].key) for i in suppress]
    amendments += [
        Amendment(ADD, items[i].key, pos, key=f"n{j}", text=f"new {j}") for j, (i, pos) in enumerate(adds)
    ]
    if not amendments:
        return
    draft = apply_amendments(tree, amendments)
    live = [c for c in draft.clauses[0].children if not c.suppressed]
    if len(live) == 1:
        assert live[0].label == ""
    else:
        expected = (
            [f"{chr(97 + i)})" for i in range(len(live))]
            if tree.clauses[0].role == "preamble"
            else [str(i + 1) for i in range(len(live))]
        )
        assert [c.label for c in live] == expected
    # Without the amendments, the list reads as the base text does.
    assert [c.label for c in apply_amendments(tree, []).clauses[0].children] == [c.label for c in items]


@given(st.integers(1, 6), st.integers(0, 5), st.booleans())
@settings(max_examples=80, deadline=None)
def test_bis_labels_never_consume_a_number(n, at, bis):
    at = min(at, n - 1)
    lines = "\n".join(f"{i + 1}\ttask {i};" for i in range(n))
    tree = parse_resolution(
        f"RESOLUTION 9 (Geneva, 2022)\nT\nThe Assembly (Geneva, 2022),\nresolves\n{lines}\n"
    )
    for k, (clause, _) in enumerate(tree.walk()):
        clause.key = f"k{k}"
    items = tree.clauses[0].children
    draft = apply_amendments(
        tree, [Amendment(ADD, items[at].key, AFTER, key="n", text="new", numbering=BIS if bis else "")]
    )
    got = [c.label for c in draft.clauses[0].children]
    if bis:
        assert got == [str(i + 1) for i in range(at + 1)] + [f"{at + 1}bis"] + [
            str(i + 1) for i in range(at + 1, n)
        ]
    else:
        assert got == [str(i + 1) for i in range(n + 1)]


@st.composite
def resolution_with_changes(draw):
    """A random resolution (tests.strategies) and random suppressions and additions at any depth."""
    from tests.strategies import resolutions

    tree = draw(resolutions())
    for n, (clause, _) in enumerate(tree.walk()):
        clause.key = f"k{n}"
    items = [c for c, _ in tree.walk() if c.kind == "item"]
    suppressed = (
        draw(st.lists(st.sampled_from(items), unique_by=lambda c: c.key, max_size=6)) if items else []
    )
    anchors = draw(st.lists(st.sampled_from(items), max_size=4)) if items else []
    positions = draw(st.lists(st.sampled_from([BEFORE, AFTER, FIRST_CHILD]), min_size=4, max_size=4))
    amendments = [Amendment(SUPPRESS, c.key) for c in suppressed]
    amendments += [
        Amendment(ADD, c.key, positions[i], key=f"new{i}", text=f"an added item {i};")
        for i, c in enumerate(anchors)
    ]
    return tree, amendments


def _touched_lists(draft):
    lists = [draft.clauses] + [c.children for c, _ in draft.walk()]
    return [
        [c for c in siblings if c.kind == "item"]
        for siblings in lists
        if any(c.kind == "item" and (c.added or c.suppressed) for c in siblings)
    ]


@given(resolution_with_changes())
@settings(max_examples=examples(40), deadline=None)
def test_every_touched_list_at_any_depth_is_unlabelled_alone_or_fully_labelled_in_sequence(case):
    from drafting.engine import labels as lb

    tree, amendments = case
    draft = apply_amendments(tree, amendments)
    for items in _touched_lists(draft):
        base = [c for c in items if c.base is not None]
        if len(base) >= 2 and not any(c.base.label for c in base):
            continue  # prose paragraphs: never numbered
        labelled_base = any(c.base.label for c in base)
        members = [
            c
            for c in items
            if not c.suppressed and (c.added or c.base.label or (not labelled_base and len(base) <= 1))
        ]
        if len(members) == 1:
            assert members[0].label == ""
        elif members:
            labels = [c.label for c in members]
            kinds = set.intersection(*(lb.kinds_of(x) for x in labels))
            assert kinds and lb.NONE not in kinds, labels
            kind = sorted(kinds)[0] if len(kinds) == 1 else (lb.ROMAN if labels[0] == "i)" else lb.ALPHA)
            if kind in (lb.DASH, lb.BULLET):
                continue
            assert [lb.index_of(x, kind) for x in labels] == list(range(1, len(labels) + 1)), labels
        # Marks: a label that changed is struck and the new one inserted, never edited letter by letter.
        for c in items:
            marks = c.label_marks()
            assert all(op in ("equal", "delete", "insert") for op, _ in marks)
            assert "".join(t for op, t in marks if op != "delete") == ("" if c.suppressed else c.label)
    # Without the amendments (everything restored), every label is the base's.
    restored = apply_amendments(tree, [])
    assert all(c.label == c.base.label for c, _ in restored.walk())
