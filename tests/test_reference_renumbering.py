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


def _random_changes(clauses, changes, **added) -> tuple[list[Amendment], set[int]]:
    """Amendments suppressing or adding beside the clauses the drawn changes name; and the suppressed ones."""
    added = added or {"text": "an added task;"}
    amendments, suppressed = [], set()
    for action, i in changes:
        if i >= len(clauses) or i in suppressed:
            continue
        if action == "suppress":
            amendments.append(Amendment(SUPPRESS, clauses[i].key))
            suppressed.add(i)
        else:
            where = BEFORE if action == "before" else AFTER
            amendments.append(Amendment(ADD, clauses[i].key, where, key=f"new{len(amendments)}", **added))
    return amendments, suppressed


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
    amendments, suppressed = _random_changes(resolves.children, changes)
    draft = apply_amendments(tree, amendments)
    citing = draft.find(tree.clauses[1].children[0].key)
    refs = [c for c in parse_citations(citing.text) if c.kind == INTERNAL]
    assert len(refs) == len(cited)
    broken = {b.reference.number for b in draft.broken_references}
    for ref, i in zip(refs, cited, strict=True):
        item = draft.find(resolves.children[i].key)
        if i in suppressed or not item.label:
            # Suppressed, or the only paragraph left of the part (no label): flagged for the drafter.
            assert ref.number == str(i + 1) and str(i + 1) in broken
        else:
            # The reference reads the item's new label, and resolves to it in the proposed text.
            assert ref.number == item.label
            assert resolve(ref, draft.proposed_text().clauses).key == item.key


# Annexes, "§ N", ranges, and references naming nothing --------------------------------------------

WITH_ANNEXES = """RESOLUTION 9 (Rev. Geneva, 2022)
A test resolution
The Assembly (Geneva, 2022),
resolves
1\tto do the first task;
2\tto do the second task;
3\tto do the third task;
4\tto do the fourth task,
instructs the Director
1\tto carry out resolves 1 to 3 above, as set out in Annex 2 to this resolution;
2\tto report on § 2 above and on Annexes 1 and 3 to this resolution.
ANNEX 1
A first annex
ANNEX 2
A second annex
ANNEX 3
A third annex
"""


def _annex(tree, n):
    return [c for c in tree.clauses if c.kind == "annex"][n - 1]


def test_an_annex_suppressed_renumbers_the_annexes_after_it_and_the_references_to_them():
    tree = keyed(WITH_ANNEXES)
    draft = apply_amendments(tree, [Amendment(SUPPRESS, _annex(tree, 1).key)])
    assert [draft.find(_annex(tree, n).key).heading for n in (2, 3)] == ["ANNEX 1", "ANNEX 2"]
    first, second = (draft.find(c.key) for c in find(tree, "instructs the Director").children)
    assert first.text == "to carry out resolves 1 to 3 above, as set out in Annex 1 to this resolution;"
    # Annex 1 is gone: its reference is flagged and kept; Annex 3 is Annex 2 now.
    assert second.text == "to report on § 2 above and on Annexes 1 and 2 to this resolution."
    assert relabelled_references(draft) == [(second, "Annex 1 to this resolution")]
    assert ("delete", "2") in first.text_marks() and ("insert", "1") in first.text_marks()


def test_an_annex_added_before_renumbers_the_annexes_after_it():
    tree = keyed(WITH_ANNEXES)
    draft = apply_amendments(
        tree,
        [
            Amendment(
                ADD, _annex(tree, 1).key, BEFORE, key="n", kind="annex", heading="ANNEX", text="A new annex"
            )
        ],
    )
    assert [c.heading for c in draft.clauses if c.kind == "annex"] == [
        "ANNEX 1",
        "ANNEX 2",
        "ANNEX 3",
        "ANNEX 4",
    ]
    first, second = (draft.find(c.key) for c in find(tree, "instructs the Director").children)
    assert "as set out in Annex 3 to this resolution;" in first.text
    assert second.text.endswith("on Annexes 2 and 4 to this resolution.")


def test_a_paragraph_sign_reference_follows_its_item():
    tree = keyed(WITH_ANNEXES)
    draft = apply_amendments(
        tree, [Amendment(ADD, find(tree, "resolves", "1").key, BEFORE, key="n", text="a new first task;")]
    )
    second = draft.find(find(tree, "instructs the Director", "2").key)
    assert second.text.startswith("to report on § 3 above")


def test_a_range_is_read_as_one_reference_and_rewritten_as_a_range():
    tree = keyed(WITH_ANNEXES)
    (ref,) = [
        c for c in parse_citations(find(tree, "instructs the Director", "1").text) if c.part == "resolves"
    ]
    assert (ref.number, ref.pinpoint) == ("1 to 3", "above")
    assert resolve(ref, tree.clauses) is find(tree, "resolves", "1")
    draft = apply_amendments(
        tree, [Amendment(ADD, find(tree, "resolves", "1").key, BEFORE, key="n", text="a new first task;")]
    )
    assert draft.find(find(tree, "instructs the Director", "1").key).text.startswith(
        "to carry out resolves 2 to 4 above"
    )


def test_an_item_added_inside_a_range_is_in_it_and_the_end_follows():
    tree = keyed(WITH_ANNEXES)
    draft = apply_amendments(
        tree, [Amendment(ADD, find(tree, "resolves", "1").key, AFTER, key="n", text="a new second task;")]
    )
    assert draft.find(find(tree, "instructs the Director", "1").key).text.startswith(
        "to carry out resolves 1 to 4 above"
    )


def test_a_range_whose_end_is_suppressed_closes_on_the_items_left():
    tree = keyed(WITH_ANNEXES)
    citing = find(tree, "instructs the Director", "1").key
    last = apply_amendments(tree, [Amendment(SUPPRESS, find(tree, "resolves", "3").key)])
    assert last.find(citing).text.startswith("to carry out resolves 1 to 2 above")
    first = apply_amendments(tree, [Amendment(SUPPRESS, find(tree, "resolves", "1").key)])
    assert first.find(citing).text.startswith("to carry out resolves 1 to 2 above")
    assert relabelled_references(first) == relabelled_references(last) == []
    one_left = apply_amendments(
        tree,
        [
            Amendment(SUPPRESS, find(tree, "resolves", "1").key),
            Amendment(SUPPRESS, find(tree, "resolves", "2").key),
        ],
    )
    assert one_left.find(citing).text.startswith("to carry out resolves 1 above")
    none_left = apply_amendments(
        tree, [Amendment(SUPPRESS, find(tree, "resolves", str(n)).key) for n in (1, 2, 3)]
    )
    assert none_left.find(citing).text.startswith("to carry out resolves 1 to 3 above")
    # Nothing of the range is left; "§ 2 above" named resolves 2 too.
    assert [w for _, w in relabelled_references(none_left)] == ["resolves 1 to 3 above", "§ 2 above"]


def test_a_reference_to_an_item_the_text_does_not_have_is_flagged():
    from drafting.engine.references import dangling

    text = WITH_ANNEXES.replace("resolves 1 to 3 above", "resolves 7 above").replace(
        "Annexes 1 and 3", "Annex 5"
    )
    tree = keyed(text)
    assert [(path_of(c, parents_of(tree.clauses)), r.describe()) for c, r in dangling(tree.clauses)] == [
        ("instructs the Director 1", "resolves 7"),
        ("instructs the Director 2", "Annex 5"),
    ]
    assert dangling(keyed(WITH_ANNEXES).clauses) == []
    # In a draft, a reference the drafter writes to an item that is not there is flagged as well.
    tree = keyed(WITH_ANNEXES)
    citing = find(tree, "instructs the Director", "2")
    draft = apply_amendments(tree, [Amendment(MODIFY, citing.key, text="to report on resolves 9 above.")])
    assert relabelled_references(draft) == [(draft.find(citing.key), "resolves 9 above")]


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(3, 8),
    first=st.integers(0, 7),
    width=st.integers(1, 4),
    changes=st.lists(
        st.tuples(st.sampled_from(["before", "after", "suppress"]), st.integers(0, 7)), max_size=4
    ),
    dash=st.sampled_from([" to ", "-"]),
)
def test_a_range_after_any_renumbering_names_the_items_it_named_and_those_added_inside(
    size, first, width, changes, dash
):
    first = min(first, size - 2)
    last = min(first + width, size - 1)
    items = "\n".join(f"{i + 1}\tto do task {i + 1};" for i in range(size))
    text = (
        "RESOLUTION 9 (Rev. Geneva, 2022)\nA title\nThe Assembly (Geneva, 2022),\nresolves\n"
        f"{items}\ninstructs the Director\n\tto report on resolves {first + 1}{dash}{last + 1} above.\n"
    )
    tree = keyed(text)
    resolves = tree.clauses[0]
    amendments, _ = _random_changes(resolves.children, changes)
    draft = apply_amendments(tree, amendments)
    citing = draft.find(tree.clauses[1].children[0].key)
    (ref,) = [c for c in parse_citations(citing.text) if c.kind == INTERNAL]
    # What the range names in the draft: every item left from where its first end stood to where its last
    # end stood, those added in between included (an item put in place of a suppressed end too).
    keys = [c.key for c in draft.clauses[0].children]
    i, j = keys.index(resolves.children[first].key), keys.index(resolves.children[last].key)
    span = [c for c in draft.clauses[0].children[i : j + 1] if not c.suppressed]
    if not any(c.label for c in span):
        # Nothing left, or only the part's one paragraph, which has no label: for the drafter to settle.
        assert ref.number == f"{first + 1}{' to ' if dash == ' to ' else '-'}{last + 1}"
        assert [w for _, w in relabelled_references(draft)] == [f"resolves {ref.number} above"]
        return
    span = [c for c in span if c.label]
    want = (
        span[0].label
        if len(span) == 1
        else f"{span[0].label}{' to ' if dash == ' to ' else '-'}{span[-1].label}"
    )
    assert ref.number == want
    assert relabelled_references(draft) == []


@settings(max_examples=50, deadline=None)
@given(
    size=st.integers(2, 5),
    cited=st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True),
    changes=st.lists(
        st.tuples(st.sampled_from(["before", "after", "suppress"]), st.integers(0, 4)), max_size=3
    ),
)
def test_annex_references_follow_the_annexes_through_any_suppression_and_addition(size, cited, changes):
    cited = sorted({i for i in cited if i < size}) or [0]
    listed = [str(i + 1) for i in cited]
    words = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    noun = "Annex" if len(listed) == 1 else "Annexes"
    annexes = "\n".join(f"ANNEX {i + 1}\nAnnex number {i + 1}" for i in range(size))
    text = (
        "RESOLUTION 9 (Rev. Geneva, 2022)\nA title\nThe Assembly (Geneva, 2022),\nresolves\n"
        f"\tto apply {noun} {words} to this resolution.\n{annexes}\n"
    )
    tree = keyed(text)
    base = [c for c in tree.clauses if c.kind == "annex"]
    amendments, suppressed = _random_changes(base, changes, kind="annex", heading="ANNEX", text="new")
    draft = apply_amendments(tree, amendments)
    left = [c for c in draft.clauses if c.kind == "annex" and not c.suppressed]
    # Annexes are numbered 1, 2, ... again, in order.
    assert [c.heading for c in left] == [f"ANNEX {k}" for k in range(1, len(left) + 1)]
    citing = draft.find(tree.clauses[0].children[0].key)
    refs = [c for c in parse_citations(citing.text) if c.kind == INTERNAL and c.part == "Annex"]
    flagged = [w for _, w in relabelled_references(draft)]
    for ref, i in zip(refs, cited, strict=True):
        if i in suppressed:
            assert ref.number == str(i + 1) and f"Annex {i + 1} to this resolution" in flagged
        else:
            assert ref.number == draft.find(base[i].key).heading.split()[-1]
            assert resolve(ref, draft.proposed_text().clauses).key == base[i].key


def test_a_part_named_by_its_bureau_abbreviated_or_by_the_words_its_heading_begins_with():
    text = (
        "RESOLUTION 9 (Rev. Geneva, 2022)\nA title\nThe Assembly (Geneva, 2022),\n"
        "instructs the Director of the Telecommunication Standardization Bureau, in collaboration with the "
        "Director of the Telecommunication Development Bureau\n1\tto act;\n2\tto report,\n"
        "invites Member States\n\tto support instructs the Director of TSB 2 above and instructs the Director of "
        "the Telecommunication Standardization Bureau 1 above.\n"
    )
    tree = keyed(text)
    refs = [c for c in parse_citations(tree.clauses[1].children[0].text) if c.kind == INTERNAL]
    parents = parents_of(tree.clauses)
    assert [path_of(resolve(r, tree.clauses), parents).split()[-1] for r in refs] == ["2", "1"]
