"""References inside the text follow the items they name when a proposal relabels them (no database)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.engine.amend import (
    ADD,
    AFTER,
    BEFORE,
    MODIFY,
    SUPPRESS,
    Amendment,
    apply_amendments,
    relabelled_references,
)
from drafting.engine.citations import INTERNAL, parse_citations
from drafting.engine.parse import parse_resolution
from drafting.engine.references import parents_of, path_of, resolve

BASE = """RESOLUTION 9 (Rev. Geneva, 2022)
A test resolution
The Assembly (Geneva, 2022),
considering
a)\tthe first thing;
b)\tthe second thing;
c)\tthe third thing,
recognizing
a)\tthat the work under considering b) and c) above matters,
resolves
1\tto do the first task;
2\tto do the second task, as in considering b) above;
3\tthat the work under resolves 1 and 2 above be reported, see also requests the Council 2 below,
requests the Council
1\tto report:
i)\ton the first, as in resolves 3 above;
ii)\ton the second;
2\tto act on resolves 2 above, and on Annex 2 to this resolution.
ANNEX 1
A first annex
ANNEX 2
A second annex
"""


def keyed(text: str = BASE):
    tree = parse_resolution(text)
    for n, (clause, _) in enumerate(tree.walk()):
        clause.key = f"k{n}"
    return tree


def find(tree, heading, *labels):
    node = next(p for p in tree.clauses if p.heading == heading)
    for label in labels:
        node = next(c for c in node.children if c.label == label)
    return node


def test_every_reference_of_an_edition_resolves_to_the_clause_it_names():
    tree = keyed()
    parents = parents_of(tree.clauses)
    read = []
    for clause, _ in tree.walk():
        for c in parse_citations(clause.text):
            if c.kind == INTERNAL:
                target = resolve(c, tree.clauses)
                read.append((c.describe(), path_of(target, parents) if target is not None else None))
    assert read == [
        ("considering b)", "considering b)"),
        ("considering c)", "considering c)"),
        ("considering b)", "considering b)"),
        ("resolves 1", "resolves 1"),
        ("resolves 2", "resolves 2"),
        ("requests the Council 2", "requests the Council 2"),
        ("resolves 3", "resolves 3"),
        ("resolves 2", "resolves 2"),
        ("Annex 2", "ANNEX 2"),
    ]


def test_an_item_added_before_renumbers_every_reference_to_those_after_it():
    tree = keyed()
    draft = apply_amendments(
        tree, [Amendment(ADD, find(tree, "considering", "a)").key, BEFORE, key="n", text="a new thing;")]
    )
    assert (
        draft.find(find(tree, "recognizing", "a)").key).text
        == "that the work under considering c) and d) above matters,"
    )
    assert (
        draft.find(find(tree, "resolves", "2").key).text
        == "to do the second task, as in considering c) above;"
    )
    marks = draft.find(find(tree, "resolves", "2").key).text_marks()
    assert ("delete", "b") in marks and ("insert", "c") in marks


def test_a_renamed_part_is_renamed_in_the_references_to_it():
    tree = keyed()
    part = next(p for p in tree.clauses if p.heading == "considering")
    draft = apply_amendments(tree, [Amendment(MODIFY, part.key, heading="recalling")])
    assert (
        draft.find(find(tree, "resolves", "2").key).text == "to do the second task, as in recalling b) above;"
    )


def test_a_reference_the_drafter_rewrote_is_left_as_written():
    tree = keyed()
    citing = find(tree, "resolves", "3")
    draft = apply_amendments(
        tree,
        [
            Amendment(ADD, find(tree, "resolves", "1").key, BEFORE, key="n", text="a new first task;"),
            Amendment(MODIFY, citing.key, text="that the work under resolves 2 and 3 above be reported,"),
        ],
    )
    assert draft.find(citing.key).text == "that the work under resolves 2 and 3 above be reported,"


def test_a_reference_to_a_suppressed_item_is_flagged_and_kept():
    tree = keyed()
    draft = apply_amendments(tree, [Amendment(SUPPRESS, find(tree, "resolves", "3").key)])
    assert [citation for _, citation in relabelled_references(draft)] == ["resolves 3 above"]
    assert (
        draft.find(find(tree, "requests the Council", "1", "i)").key).text
        == "on the first, as in resolves 3 above;"
    )


@settings(max_examples=40, deadline=None)
@given(
    size=st.integers(3, 8),
    cited=st.lists(st.integers(0, 7), min_size=1, max_size=3, unique=True),
    changes=st.lists(
        st.tuples(st.sampled_from(["before", "after", "suppress"]), st.integers(0, 7)), max_size=4
    ),
)
def test_renumbering_then_reading_the_references_gives_the_new_labels(size, cited, changes):
    cited = sorted(i for i in cited if i < size)
    if not cited:
        cited = [0]
    listed = [str(i + 1) for i in cited]
    words = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    items = "\n".join(f"{i + 1}\tto do task {i + 1};" for i in range(size))
    text = (
        "RESOLUTION 9 (Rev. Geneva, 2022)\nA title\nThe Assembly (Geneva, 2022),\nresolves\n"
        f"{items}\ninstructs the Director\n\tto report on resolves {words} above.\n"
    )
    tree = keyed(text)
    resolves = tree.clauses[0]
    amendments, suppressed, n = [], set(), 0
    for action, i in changes:
        if i >= size or i in suppressed:
            continue
        target = resolves.children[i].key
        if action == "suppress":
            amendments.append(Amendment(SUPPRESS, target))
            suppressed.add(i)
        else:
            n += 1
            amendments.append(
                Amendment(
                    ADD, target, BEFORE if action == "before" else AFTER, key=f"new{n}", text="an added task;"
                )
            )
    draft = apply_amendments(tree, amendments)
    citing = draft.find(tree.clauses[1].children[0].key)
    refs = [c for c in parse_citations(citing.text) if c.kind == INTERNAL]
    assert len(refs) == len(cited)
    broken = {b.reference.number for b in draft.broken_references}
    for ref, i in zip(refs, cited, strict=True):
        item = draft.find(resolves.children[i].key)
        if i in suppressed:
            assert ref.number == str(i + 1) and str(i + 1) in broken
        else:
            # The reference reads the item's new label, and resolves to it in the proposed text.
            assert ref.number == item.label
            assert resolve(ref, draft.proposed_text().clauses).key == item.key
