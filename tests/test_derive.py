"""Deriving amendments from a whole proposed text (no database)."""

from __future__ import annotations

import uuid

from drafting.engine.amend import apply_amendments
from drafting.engine.derive import derive_amendments
from drafting.engine.parse import parse_resolution
from drafting.engine.printer import print_resolution

BASE = """RESOLUTION 1 (Rev. Geneva, 2022)
A title
The Assembly (Geneva, 2022),
considering
a)\tthe first consideration about the information society;
b)\tthe second consideration about digital divide and development;
c)\tthe third consideration about standards and interoperability,
resolves
1\tto continue the work on the implementation of the outcomes;
2\tto report to the next assembly on the progress made.
"""

PROPOSED = """RESOLUTION 1 (Rev. Geneva, 2022)
A title
The Assembly (Geneva, 2022),
considering
a)\tthe first consideration about the information society;
b)\ta brand new consideration about artificial intelligence;
c)\tthe second consideration about digital divide and sustainable development;
d)\tthe third consideration about standards and interoperability,
resolves
to continue the work on the implementation of the outcomes.
"""


def keyed(text):
    tree = parse_resolution(text)
    for clause, _ in tree.walk():
        clause.key = str(uuid.uuid4())
    return tree


def test_modifications_additions_and_suppressions_are_found():
    base = keyed(BASE)
    actions = [a.action for a in derive_amendments(base, parse_resolution(PROPOSED))]
    # resolves 1 ends with "." and loses its label only because resolves 2 is suppressed: the tool does
    # both itself (one item left alone is unlabelled, as ITU writes it).
    assert sorted(actions) == ["add", "modify", "suppress"]


def test_applying_the_derived_amendments_gives_the_proposed_text():
    base = keyed(BASE)
    proposed = parse_resolution(PROPOSED)
    draft = apply_amendments(base, derive_amendments(base, proposed))
    assert draft.problems == []
    assert print_resolution(draft.proposed_text()) == print_resolution(parse_resolution(PROPOSED))


def test_the_same_text_gives_no_amendment():
    base = keyed(BASE)
    assert derive_amendments(base, parse_resolution(BASE)) == []


def test_the_rcc_seed_is_rebuilt_as_amendments_that_reproduce_its_text():
    from drafting.demo.rcc import base_text, proposed_text

    base = keyed(base_text())
    proposed = parse_resolution(proposed_text())
    amendments = derive_amendments(base, proposed)
    assert {a.action for a in amendments} == {"add", "modify", "suppress"}
    assert len(amendments) >= 15
    draft = apply_amendments(base, amendments)
    assert draft.problems == []
    texts = [c.text for c, _ in draft.proposed_text().walk() if c.text]
    assert texts == [c.text for c, _ in parse_resolution(proposed_text()).walk() if c.text]


def test_an_item_moved_among_its_siblings_is_suppressed_where_it_was_and_added_where_it_went():
    # Clauses are paired wherever they stand, but an amendment cannot move one: without a
    # suppression and an addition the proposal's new order would be lost.
    base = keyed(BASE)
    moved = BASE.replace(
        "b)\tthe second consideration about digital divide and development;\n"
        "c)\tthe third consideration about standards and interoperability,\n",
        "b)\tthe third consideration about standards and interoperability;\n"
        "c)\tthe second consideration about digital divide and development,\n",
    )
    amendments = derive_amendments(base, parse_resolution(moved))
    assert sorted(a.action for a in amendments) == ["add", "suppress"]
    texts = [c.text for c in apply_amendments(base, amendments).proposed_text().parts[0].children]
    assert [t.split(" consideration")[0] for t in texts] == ["the first", "the third", "the second"]
