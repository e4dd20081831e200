"""bis/ter labels and numbered sections, as real ITU texts write them: read, ordered, printed back (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.engine import labels as lb
from drafting.engine.parse import parse_resolution, split_label
from drafting.engine.printer import print_resolution
from drafting.engine.tree import OPERATIVE

# Labels ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "kinds", "index", "rank"),
    [
        ("1bis", {lb.NUMBER}, 1, 1),
        ("3ter", {lb.NUMBER}, 3, 2),
        ("5.4bis", {lb.NUMBER}, 4, 1),
        ("4.3bis", {lb.NUMBER}, 3, 1),
        ("1bis.2.1", {lb.NUMBER}, 1, 0),
        ("a bis)", {lb.ALPHA}, 1, 1),
        ("b)bis", {lb.ALPHA}, 2, 1),
        ("bbis)", {lb.ALPHA}, 2, 1),
        ("c quater)", {lb.ALPHA}, 3, 3),
        ("ii bis)", {lb.ROMAN}, 2, 1),
        ("(b)", {lb.ALPHA}, 2, 0),
        ("1.2", {lb.NUMBER}, 2, 0),
    ],
)
def test_bis_labels_have_their_hosts_kind_and_place(label, kinds, index, rank):
    assert lb.kinds_of(label) == kinds
    assert lb.index_of(label, next(iter(kinds))) == index
    assert lb.rank_of(label) == rank


def test_bis_labels_sort_between_their_host_and_the_next():
    numbers = ["2", "1ter", "1", "3", "1bis", "2bis"]
    assert sorted(numbers, key=lambda x: lb.order_key(x, lb.NUMBER)) == [
        "1",
        "1bis",
        "1ter",
        "2",
        "2bis",
        "3",
    ]
    letters = ["b)", "a bis)", "a)", "b)bis"]
    assert sorted(letters, key=lambda x: lb.order_key(x, lb.ALPHA)) == ["a)", "a bis)", "b)", "b)bis"]


@pytest.mark.parametrize(
    ("previous", "label", "kind", "expected"),
    [
        ("1", "1bis", lb.NUMBER, True),
        ("1bis", "1ter", lb.NUMBER, True),
        ("1", "1ter", lb.NUMBER, True),  # 1bis suppressed in an earlier edition
        ("1bis", "2", lb.NUMBER, True),
        ("1bis", "1bis", lb.NUMBER, False),
        ("2", "1bis", lb.NUMBER, False),
        ("5.4", "5.4bis", lb.NUMBER, True),
        ("5.4bis", "5.5", lb.NUMBER, True),
        ("1.2", "1.3", lb.NUMBER, True),
        ("1.2", "2.3", lb.NUMBER, False),
        ("a)", "a bis)", lb.ALPHA, True),
        ("a bis)", "b)", lb.ALPHA, True),
        ("b)", "b)bis", lb.ALPHA, True),
        ("b)bis", "c)", lb.ALPHA, True),
    ],
)
def test_what_follows_what_with_bis_labels(previous, label, kind, expected):
    assert lb.follows(previous, label, kind) is expected


def test_hierarchical_numbers_open_inside_their_parent():
    assert lb.opens_under("1", "1.1")
    assert lb.opens_under("1.2", "1.2.1")
    assert lb.opens_under("1bis", "1bis.1")
    assert lb.opens_under("1bis.2", "1bis.2.1")
    assert not lb.opens_under("1", "1.2")
    assert not lb.opens_under("2", "1.1")
    assert not lb.is_first("1bis", lb.NUMBER)


def test_labels_are_made_in_their_lists_style():
    assert lb.make_label(lb.ALPHA, 3, like="(a)") == "(c)"
    assert lb.make_label(lb.NUMBER, 3, like="1.2") == "1.3"
    assert lb.make_label(lb.NUMBER, 2, like="1bis.2.1") == "1bis.2.2"
    assert lb.make_label(lb.ALPHA, 2, like="3") == "b)"
    assert lb.with_suffix("b)", "bis") == "bbis)"
    assert lb.with_suffix("b)", "bis", like="a)bis") == "b)bis"
    assert lb.with_suffix("b)", "ter", like="a bis)") == "b ter)"
    assert lb.with_suffix("3", "bis") == "3bis"
    assert lb.with_suffix("5.4", "bis") == "5.4bis"
    assert lb.without_suffix("b)bis") == "b)" and lb.without_suffix("5.4bis") == "5.4"


@given(st.sampled_from([lb.ALPHA, lb.ROMAN, lb.NUMBER]), st.integers(1, 38), st.integers(0, 4))
@settings(max_examples=200)
def test_a_suffixed_label_sits_after_its_host_and_before_the_next(kind, n, rank):
    host = lb.make_label(kind, n)
    suffixed = lb.with_suffix(host, lb.SUFFIXES[rank])
    following = lb.make_label(kind, n + 1)
    assert lb.order_key(host, kind) < lb.order_key(suffixed, kind) < lb.order_key(following, kind)
    assert lb.follows(host, suffixed, kind) and lb.follows(suffixed, following, kind)
    assert lb.without_suffix(suffixed) == host
    assert lb.is_valid(suffixed)


@pytest.mark.parametrize("label", ["a)", "(iv)", "12", "1.2.3", "3bis", "b)bis", "a bis)", "–", "•", "zz)"])
def test_labels_itu_writes_are_valid(label):
    assert lb.is_valid(label)


@pytest.mark.parametrize("label", ["", "b", "ab)", "(a", "1)a", "bis", "a)bisexual", "–x", "§ 3"])
def test_other_labels_are_not(label):
    assert not lb.is_valid(label)


# The parser -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label", ["1bis", "5.4bis", "4.3bis", "1bis.2.1", "a bis)", "b)bis", "bbis)", "3ter"]
)
def test_every_bis_form_is_read_as_a_label(label):
    assert split_label(f"{label}\tthe text of the provision;") == (label, "the text of the provision;")


def test_words_that_begin_with_bis_are_not_labels():
    assert split_label("a)bisexual text")[0] == ""
    assert split_label("bis\ttext")[0] == ""


BIS_TEXT = """RESOLUTION 7 (Rev. Geneva, 2022)
A title
The Assembly (Geneva, 2022),
considering
a)\tthe first;
a bis)\tthe first inserted;
b)\tthe second;
b)bis\tthe second inserted;
c)\tthe third,
resolves
1\tto do one;
1bis\tto do one more;
1ter\tto do yet one more;
2\tto do two:
a)\tin part;
b)\tin whole;
3ter\tan odd one left by an earlier edition;
4\tto do four.
"""


def outline(clauses):
    result = []
    for c in clauses:
        name = c.heading if c.kind in ("part", "annex") else c.label or "¶"
        result.append((name, outline(c.children)) if c.children else name)
    return result


def test_bis_items_are_read_in_place_and_printed_back():
    tree = parse_resolution(BIS_TEXT)
    assert outline(tree.clauses) == [
        ("considering", ["a)", "a bis)", "b)", "b)bis", "c)"]),
        ("resolves", ["1", "1bis", "1ter", ("2", ["a)", "b)"]), "3ter", "4"]),
    ]
    assert tree.unplaced == []
    assert parse_resolution(print_resolution(tree)).shape() == tree.shape()


SECTIONS_TEXT = """RESOLUTION 1 (Rev. Hammamet, 2016)
Rules of procedure of the ITU Telecommunication Standardization Sector
(Helsinki, 1993; Hammamet, 2016)
The World Telecommunication Standardization Assembly (Hammamet, 2016),
considering
a)\tthat the functions of ITU-T are stated in Article 17 of the Constitution;
b)\tthat general working arrangements are stated in the Convention,
resolves
that the rules of procedure of ITU-T shall be as follows:
SECTION 1 – Duties of the World Telecommunication Standardization Assembly
1.1\tIn addition to the duties in the Convention, WTSA shall:
a)\tconsider the reports of study groups;
b)\tapprove the programme of work.
1.2\tWTSA shall elect its chairman.
1.2.1\tThe chairman shall be assisted by vice-chairmen.
1.2.2\tThe vice-chairmen are appointed by WTSA.
1.3\tWTSA may set up committees.
SECTION 1bis – Inserted rules
1bis.1\tA rule inserted without renumbering.
1bis.2\tAnother inserted rule.
1bis.2.1\tIts detail.
SECTION 2 – Study groups
2.1\tStudy groups shall study Questions.
2.1bis\tA provision inserted after 2.1.
2.2\tStudy groups may set up working parties.
"""


def test_numbered_sections_are_read_with_their_nesting():
    tree = parse_resolution(SECTIONS_TEXT)
    assert tree.unplaced == []
    assert outline(tree.clauses) == [
        ("considering", ["a)", "b)"]),
        ("resolves", ["¶"]),
        (
            "SECTION 1 – Duties of the World Telecommunication Standardization Assembly",
            [("1.1", ["a)", "b)"]), ("1.2", ["1.2.1", "1.2.2"]), "1.3"],
        ),
        ("SECTION 1bis – Inserted rules", ["1bis.1", ("1bis.2", ["1bis.2.1"])]),
        ("SECTION 2 – Study groups", ["2.1", "2.1bis", "2.2"]),
    ]
    assert all(p.role == OPERATIVE for p in tree.parts[1:])
    assert parse_resolution(print_resolution(tree)).shape() == tree.shape()


def test_hierarchical_numbers_nest_without_sections_too():
    text = "RESOLUTION 8 (Geneva, 2022)\nT\nThe Assembly (Geneva, 2022),\nresolves\n1\tone:\n1.1\tone one;\n1.2\tone two;\n1.2.1\tdeep;\n2\ttwo.\n"
    assert outline(parse_resolution(text).clauses) == [
        ("resolves", [("1", ["1.1", ("1.2", ["1.2.1"])]), "2"])
    ]


def test_renumbering_a_section_item_carries_into_the_numbers_inside_it():
    from drafting.engine.amend import ADD, BEFORE, Amendment, apply_amendments

    tree = parse_resolution(SECTIONS_TEXT)
    for n, (clause, _) in enumerate(tree.walk()):
        clause.key = f"k{n}"
    section = tree.parts[2]
    one_two = section.children[1]
    draft = apply_amendments(tree, [Amendment(ADD, one_two.key, BEFORE, key="n", text="A new rule.")])
    assert [c.label for c in draft.find(section.key).children] == ["1.1", "1.2", "1.3", "1.4"]
    assert [c.label for c in draft.find(one_two.key).children] == ["1.3.1", "1.3.2"]
    # A sentence list keeps the drafter's full stop.
    assert draft.find("n").text == "A new rule."


def test_a_proposal_that_writes_a_bis_label_is_derived_as_an_insertion_without_renumbering():
    from drafting.engine.amend import BIS, apply_amendments
    from drafting.engine.derive import derive_amendments

    base_text = "RESOLUTION 9 (Geneva, 2022)\nT\nThe Assembly (Geneva, 2022),\nresolves\n1\tto do one;\n2\tto do two.\n"
    proposed_text = base_text.replace(
        "1\tto do one;\n", "1\tto do one;\n1bis\tto do one more, as an insertion;\n"
    )
    base = parse_resolution(base_text)
    for n, (clause, _) in enumerate(base.walk()):
        clause.key = f"k{n}"
    amendments = derive_amendments(base, parse_resolution(proposed_text))
    assert [(a.action, a.numbering) for a in amendments] == [("add", BIS)]
    draft = apply_amendments(base, amendments)
    assert [c.label for c in draft.clauses[0].children] == ["1", "1bis", "2"]
    assert print_resolution(draft.proposed_text()) == print_resolution(parse_resolution(proposed_text))


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("SECTION 1 – Duties of the Assembly", True),
        ("SECTION 1bis – Inserted rules", True),
        ("SECTION 2", True),
        ("Section 3 – Study groups", True),
        ("Section 2 covers the rules of the Assembly.", False),
        ("Section 7 Recommendations shall be approved by consensus.", False),
    ],
)
def test_section_headings_are_told_from_running_text(line, heading):
    from drafting.engine.parse import heading_role

    assert (heading_role(line) == OPERATIVE) is heading


def test_a_new_list_inside_a_hierarchical_number_goes_one_level_down():
    from drafting.engine.amend import ADD, AFTER, FIRST_CHILD, Amendment, apply_amendments

    tree = parse_resolution(SECTIONS_TEXT)
    for n, (clause, _) in enumerate(tree.walk()):
        clause.key = f"k{n}"
    one_three = tree.parts[2].children[2]
    assert one_three.label == "1.3" and not one_three.children
    draft = apply_amendments(
        tree,
        [
            Amendment(ADD, one_three.key, FIRST_CHILD, key="x", text="A first detail."),
            Amendment(ADD, "x", AFTER, key="y", text="A second detail."),
        ],
    )
    assert [draft.find("x").label, draft.find("y").label] == ["1.3.1", "1.3.2"]
