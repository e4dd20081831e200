"""Proposals written against an older edition, carried onto a newer one through the clauses' identities.

The engine's three-way merge is tested on its own (no database); then the demo
proposals on Res. 75 (Rev. Hammamet, 2016) are carried onto a newer edition
built here by hand: clean changes apply, changes to words the newer edition
also changed are conflicts, and the consolidation and the group both see it.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.demo import atu, citel, editions, pairs, rcc
from drafting.demo.editions import keyed
from drafting.engine import rebase as carry
from drafting.engine.amend import ADD, AFTER, FIRST_CHILD, MODIFY, SUPPRESS, Amendment, apply_amendments
from drafting.engine.anchors import assign_anchors
from drafting.engine.derive import derive_amendments
from drafting.engine.match import _words as match_words
from drafting.engine.match import carry_keys
from drafting.engine.parse import parse_resolution
from drafting.engine.tree import ITEM, PART, Clause, ResolutionText
from drafting.models import Consolidation, Decision, Edition, Proposal
from drafting.reading import edition_tree

SEEDS = Path(__file__).resolve().parent.parent / "drafting" / "demo" / "seeds"

# --- the three-way merge, word by word ------------------------------------------------------------

R71 = (
    "Resolution 71 (Rev. Busan, 2014) of the Plenipotentiary Conference, on the strategic plan for 2016-2019;"
)


def test_the_proposals_change_applies_over_the_newer_editions_change_to_other_words():
    mine = R71.replace("Busan, 2014", "Bucharest, 2022")
    theirs = R71.replace("Plenipotentiary Conference", "Plenipotentiary Conference (PP)")
    merged = carry.merge3(R71, mine, theirs)
    assert merged.clean
    assert merged.text == mine.replace("Plenipotentiary Conference", "Plenipotentiary Conference (PP)")


def test_both_changing_the_same_words_is_an_overlap_that_keeps_the_proposals_words():
    mine = R71.replace("Busan, 2014", "Bucharest, 2022")
    theirs = R71.replace("Busan, 2014", "Dubai, 2018")
    merged = carry.merge3(R71, mine, theirs)
    assert not merged.clean
    assert {(o.base, o.mine, o.theirs) for o in merged.overlaps} == {
        ("Busan", "Bucharest", "Dubai"),
        ("2014", "2022", "2018"),
    }
    assert merged.text == mine


WORDS = st.sampled_from("ITU the of Member States digital Agenda plan Council review youth".split())


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=6, max_size=30), st.data())
def test_merge3_properties(words, data):
    base = " ".join(words)
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(0, len(words) - 1))
    mine_words, their_words = list(words), list(words)
    mine_words[i] = "BROADBAND"
    their_words[j] = "SECURITY"
    mine, theirs = " ".join(mine_words), " ".join(their_words)
    # One side unchanged: the other side's text, exactly.
    assert carry.merge3(base, base, theirs).text == theirs
    assert carry.merge3(base, mine, base).text == mine
    assert carry.merge3(base, mine, mine) == carry.Merged3(mine, [])
    merged = carry.merge3(base, mine, theirs)
    both = list(words)
    both[i], both[j] = "BROADBAND", "SECURITY"
    if i == j:
        assert not merged.clean and merged.text == mine
    elif merged.clean:
        assert merged.text == " ".join(both)
    else:
        # An overlap is reported only where the two changes touch or the words repeat, so that
        # the alignment is ambiguous (as with diff3); a clean merge is never wrong.
        assert merged.overlaps and (abs(i - j) == 1 or len(set(words)) < len(words))


def _tree(e_i: str, extra: bool = True) -> ResolutionText:
    items = [Clause(ITEM, label="i)", text=e_i, key="e-i")]
    if extra:
        items.append(Clause(ITEM, label="ii)", text="Resolution 101;", key="e-ii"))
    return ResolutionText(
        number="75",
        clauses=[
            Clause(
                PART,
                heading="considering",
                role="preamble",
                key="p",
                children=[Clause(ITEM, label="a)", text="the list:", key="a", children=items)],
            )
        ],
    )


def test_rebase_states_of_each_kind_of_change():
    from drafting.engine.amend import ADD, AFTER, SUPPRESS

    old = _tree(R71)
    new = _tree(R71.replace("Busan, 2014", "Dubai, 2018"), extra=False)
    result = carry.rebase(
        old,
        new,
        [
            Amendment(MODIFY, "e-i", text=R71.replace("Busan, 2014", "Bucharest, 2022")),
            Amendment(ADD, "e-ii", AFTER, key="new", text="Resolution 214;"),
            Amendment(SUPPRESS, "e-ii"),
            Amendment(MODIFY, "p", heading="recalling"),
        ],
    )
    assert [c.state for c in result.changes] == [carry.CONFLICT, carry.REBASED, carry.ALREADY, carry.CLEAN]
    # The addition placed after a clause the newer edition dropped goes after its neighbour.
    assert (result.changes[1].amendment.target, result.changes[1].amendment.position) == ("e-i", AFTER)
    assert result.states == {
        "e-i": carry.CONFLICT,
        "new": carry.REBASED,
        "e-ii": carry.ALREADY,
        "p": carry.CLEAN,
    }
    assert len(result.amendments) == 3


# --- CITEL's real proposal, written against Dubai 2012, carried onto Hammamet 2016 -----------------


@pytest.fixture(scope="module")
def citel_on_hammamet(seed_text):
    """Dubai 2012 rebuilt from the CITEL seed, Hammamet 2016 keyed as importing it after Dubai keys it,
    and CITEL's proposal derived clause by clause from its proposed text."""
    dubai = keyed(parse_resolution(citel.base_text()))
    hammamet = parse_resolution(seed_text("wtsa-res75-rev-hammamet-2016.txt"))
    carry_keys(dubai, hammamet)
    anchors = assign_anchors(hammamet)
    for clause, _ in hammamet.walk():
        clause.key = clause.key or "H:" + anchors[id(clause)]
    amendments = derive_amendments(dubai, parse_resolution(citel.proposed_text()))
    return dubai, hammamet, amendments, carry.rebase(dubai, hammamet, amendments)


def _change(result, action, text_start):
    return next(
        c
        for c in result.changes
        if c.original.action == action
        and (c.proposal or c.base).replace("\u2011", "-").replace("\u00a0", " ").startswith(text_start)
    )


def test_every_change_of_citels_proposal_ends_applied_already_there_or_a_conflict(citel_on_hammamet):
    dubai, hammamet, amendments, result = citel_on_hammamet
    assert len(result.changes) == len(amendments)
    assert {c.state for c in result.changes} <= {carry.CLEAN, carry.REBASED, carry.ALREADY, carry.CONFLICT}
    for change in result.changes:
        # Nothing is dropped but what the edition already says.
        assert (change.amendment is None) == (change.state == carry.ALREADY), change
        if change.state == carry.CONFLICT:
            assert change.proposal or change.original.action == SUPPRESS
            assert change.base or change.edition  # the wordings to settle it from
    draft = apply_amendments(hammamet, result.amendments)
    assert draft.problems == []


def test_no_clause_is_doubled_when_both_sides_added_or_moved_it(citel_on_hammamet):
    dubai, hammamet, amendments, result = citel_on_hammamet
    draft = apply_amendments(hammamet, result.amendments).proposed_text()
    headings = [p.heading for p in draft.parts]
    assert headings.count("recognizing further") == 1 and headings.count("invites all stakeholders") == 1
    words = [" ".join(match_words(c.text)) for c, _ in draft.walk() if c.text]
    assert len(words) == len(set(words))
    # The Tunis Agenda items both moved to "recognizing further": already there, suppressions included.
    for paragraph in ("§ 68 of", "§ 69 of", "§ 70 of", "§ 71 of"):
        changes = [c for c in result.changes if paragraph in (c.proposal or c.base).replace("\u00a0", " ")]
        assert changes and {c.state for c in changes} == {carry.ALREADY}, paragraph
    # Both added "invites all stakeholders": the part is already there; its items, in other words, conflict.
    assert _change(result, ADD, "invites all stakeholders").state == carry.ALREADY
    item = _change(result, ADD, "to participate actively in ITU WSIS")
    assert item.state == carry.CONFLICT and item.amendment.action == MODIFY
    assert item.edition.startswith(
        "to participate actively in ITU WSIS implementation activities, including in ITU"
    )


def test_a_conflict_keeps_the_groups_wording_whole_and_shows_all_three(citel_on_hammamet):
    dubai, hammamet, amendments, result = citel_on_hammamet
    draft = apply_amendments(hammamet, result.amendments)
    texts = [c.text for c, _ in draft.walk()]
    # Never blended: the group's words are not mixed with the edition's neighbouring changes.
    assert not any("WG‑WSIS CWG-Internet" in t or "WG-WSIS CWG-Internet" in t for t in texts)
    assert not any("in connection with WSIS activities" in t for t in texts)
    study_groups = _change(result, MODIFY, "that the relevant ITU-T study groups")
    assert study_groups.state == carry.CONFLICT
    assert study_groups.base.endswith(
        "the Council Working Group on international Internet-related public policy issues,"
    )
    assert "WG‑WSIS and CWG‑Internet" in study_groups.edition
    assert study_groups.proposal.endswith("the output of CWG-Internet,")
    assert (
        draft.find(study_groups.amendment.target).text
        == "that the relevant ITU-T study groups should consider in their studies the output of CWG-Internet,"
    )
    objectives = _change(result, MODIFY, "to ensure that concrete objectives")
    assert objectives.state == carry.CONFLICT and objectives.amendment.text == objectives.proposal


def test_a_change_the_edition_already_makes_is_already_there_spaces_and_hyphens_aside(citel_on_hammamet):
    dubai, hammamet, amendments, result = citel_on_hammamet
    # "(Rev. Guadalajara, 2010)" to "(Rev. Busan, 2014)": Hammamet wrote "(Rev. Busan,2014)".
    assert _change(result, MODIFY, "Resolution 71").state == carry.ALREADY
    # The part's only paragraph: "CWG-Internet;" against Hammamet's "CWG‑Internet,".
    assert _change(result, MODIFY, "to submit contributions to CWG-Internet").state == carry.ALREADY


def test_a_clause_moved_into_a_part_the_edition_dissolved_is_kept_where_that_part_stood():
    # WTSA Res. 76: the proposal moves "test centres" from the Director of TSB into "considering
    # further"; Geneva 2022 moved the same item to the Director of BDT and dissolved "considering
    # further" into "considering". The proposal's move stays a conflict, placed where the part was.
    old, new = _real_pair("res76")
    tsb3 = "instructs-the-director-of-the-telecommunication-standardizat-3"
    moved = Amendment(ADD, "considering-further", FIRST_CHILD, key="moved", text=old_text(old, tsb3))
    result = carry.rebase(old, new, [Amendment(SUPPRESS, tsb3), moved])
    assert [c.state for c in result.changes] == [carry.CONFLICT, carry.CONFLICT]
    carried = result.changes[1].amendment
    assert carried.action == ADD and carried.target in {c.key for c, _ in new.walk()}
    draft = apply_amendments(new, result.amendments)
    assert draft.problems == []
    # Where "considering further" stood: at the end of "considering", which took its items.
    assert draft.find("moved").parent.key == "considering"
    assert result.changes[1].proposal and result.changes[1].edition


def old_text(tree: ResolutionText, key: str) -> str:
    return next(c.text for c, _ in tree.walk() if c.key == key)


def test_a_change_to_a_clause_the_edition_removed_is_a_conflict_that_keeps_the_groups_words():
    old = _tree(R71)
    new = _tree(R71, extra=False)
    result = carry.rebase(old, new, [Amendment(MODIFY, "e-ii", text="Resolution 101 (Rev. Busan, 2014);")])
    (change,) = result.changes
    assert change.state == carry.CONFLICT
    assert (change.base, change.edition, change.proposal) == (
        "Resolution 101;",
        "",
        "Resolution 101 (Rev. Busan, 2014);",
    )
    # Kept in the draft where it stood, under its own identity, until someone settles it.
    assert (change.amendment.action, change.amendment.key, change.amendment.target) == (ADD, "e-ii", "e-i")
    draft = apply_amendments(new, result.amendments)
    assert [c.text for c in draft.find("a").children] == [
        R71.replace(";", ";"),
        "Resolution 101 (Rev. Busan, 2014).",
    ]


def test_the_same_words_added_by_both_sides_in_different_places_are_a_conflict_not_written_twice():
    base = "to submit contributions to WG-WSIS on implementing WSIS outcomes within the ITU mandate;"
    mine = "to submit contributions to WG-WSIS on implementing WSIS outcomes within the ITU mandate, taking into account the 2030 Agenda;"
    theirs = "to submit contributions to WG-WSIS on implementing WSIS outcomes, taking into account the 2030 Agenda within the ITU mandate;"
    merged = carry.merge_clause(base, mine, theirs)
    assert not merged.clean
    result = carry.rebase(_tree(base), _tree(theirs), [Amendment(MODIFY, "e-i", text=mine)])
    assert result.changes[0].state == carry.CONFLICT and result.changes[0].amendment.text == mine


def test_a_closing_mark_alone_is_never_a_conflict():
    merged = carry.merge_clause(
        "the text of CWG-Internet.", "the text of the CWG-Internet;", "the text of CWG-Internet,"
    )
    assert merged.clean and merged.text == "the text of the CWG-Internet,"


# --- properties: no-op, already there, added once ----------------------------------------------------


def _amendments(base: ResolutionText, rng: random.Random) -> list[Amendment]:
    """A few changes a delegate might make: rewordings, additions after an item, suppressions."""
    leaves = [c for c, _ in base.walk() if c.kind == ITEM and not c.children and len(c.text.split()) >= 6]
    chosen = rng.sample(leaves, k=min(len(leaves), 6))
    out = []
    for n, clause in enumerate(chosen):
        kind = n % 3
        if kind == 0:
            out.append(Amendment(MODIFY, clause.key, text=editions._reword(clause.text, rng, 0.3)))
        elif kind == 1:
            out.append(Amendment(ADD, clause.key, AFTER, key=f"new-{n}", text=rng.choice(editions.NEW_ITEMS)))
        else:
            out.append(Amendment(SUPPRESS, clause.key))
    return out


def _with_fresh_keys(text: ResolutionText, added: set[str]) -> ResolutionText:
    """An edition made from a proposed text: what the proposal added gets the edition's own keys."""
    for clause, _ in text.walk():
        if clause.key in added:
            clause.key = "edition-" + clause.key
    return text


@settings(max_examples=8, deadline=None)
@given(base=st.sampled_from(["hammamet", "dubai", "res30"]), seed=st.integers(0, 10**6))
def test_rebasing_onto_an_edition_identical_to_the_base_changes_nothing(base, seed):
    text = keyed(parse_resolution(_BASES[base]()))
    amendments = _amendments(text, random.Random(seed))
    result = carry.rebase(text, copy.deepcopy(text), amendments)
    assert [c.state for c in result.changes] == [carry.CLEAN] * len(amendments)
    assert result.amendments == amendments


@settings(max_examples=8, deadline=None)
@given(base=st.sampled_from(["hammamet", "dubai", "res30"]), seed=st.integers(0, 10**6))
def test_changes_the_edition_made_too_are_already_there_and_additions_are_not_doubled(base, seed):
    text = keyed(parse_resolution(_BASES[base]()))
    amendments = _amendments(text, random.Random(seed))
    added = {a.key for a in amendments if a.action == ADD}
    edition = _with_fresh_keys(apply_amendments(text, amendments).proposed_text(), added)
    result = carry.rebase(text, edition, amendments)
    assert [c.state for c in result.changes] == [carry.ALREADY] * len(amendments)
    after = apply_amendments(edition, result.amendments).proposed_text()
    assert after.shape() == edition.shape()


_PAIRS: dict[str, tuple[ResolutionText, ResolutionText]] = {}


def _real_pair(name: str) -> tuple[ResolutionText, ResolutionText]:
    """An older edition (keyed) and a newer one keyed as importing it after the older keys it."""
    if name not in _PAIRS:
        _PAIRS[name] = _keyed_pair(name)
    return copy.deepcopy(_PAIRS[name])


def _keyed_pair(name: str) -> tuple[ResolutionText, ResolutionText]:
    old_text, new_text = {
        "res75-dubai-hammamet": (citel.base_text, _BASES["hammamet"]),
        "res30-dubai-rcc": (rcc.base_text, rcc.proposed_text),
        "res75-hammamet-atu": (_BASES["hammamet"], atu.proposed_text),
        **{f"res{p.number}": (p.old_text, p.new_text) for p in pairs.PAIRS},
    }[name]
    old = keyed(parse_resolution(old_text()))
    new = parse_resolution(new_text())
    carry_keys(old, new)
    anchors = assign_anchors(new)
    for clause, _ in new.walk():
        clause.key = clause.key or "new:" + anchors[id(clause)]
    return old, new


def _any_proposal(old: ResolutionText, new: ResolutionText, rng: random.Random) -> list[Amendment]:
    """Rewordings, the edition's own words, additions (some the edition's own new clauses), a new part,
    suppressions and moves (a suppression and the same words added in another part)."""
    items = [c for c, _ in old.walk() if c.kind == ITEM and not c.children]
    parts = [c for c in old.clauses if c.kind == PART]
    theirs = {c.key: c for c, _ in new.walk()}
    fresh = [c.text for c in theirs.values() if c.key.startswith("new:") and c.kind == ITEM]
    out, used = [], set()
    for n, clause in enumerate(rng.sample(items, k=min(len(items), 12))):
        if clause.key in used:
            continue
        used.add(clause.key)
        kind = n % 6
        if kind == 0:
            same = theirs.get(clause.key)
            out.append(
                Amendment(
                    MODIFY,
                    clause.key,
                    text=same.text if same and n % 4 == 0 else editions._reword(clause.text, rng, 0.3),
                )
            )
        elif kind in (1, 2):
            text = rng.choice(fresh) if fresh and kind == 2 else rng.choice(editions.NEW_ITEMS)
            out.append(Amendment(ADD, clause.key, AFTER, key=f"added-{n}", text=text))
        elif kind == 3:
            out.append(Amendment(SUPPRESS, clause.key))
        elif kind == 4:
            out.append(Amendment(SUPPRESS, clause.key))
            out.append(Amendment(ADD, rng.choice(parts).key, FIRST_CHILD, key=f"moved-{n}", text=clause.text))
        else:
            part = rng.choice(parts)
            out.append(
                Amendment(
                    ADD,
                    part.key,
                    AFTER,
                    key=f"part-{n}",
                    kind=PART,
                    heading="invites all stakeholders",
                    role=part.role,
                )
            )
            out.append(
                Amendment(
                    ADD, f"part-{n}", FIRST_CHILD, key=f"in-{n}", text=rng.choice(fresh or editions.NEW_ITEMS)
                )
            )
    return out


@settings(max_examples=10, deadline=None)
@given(
    pair=st.sampled_from(
        ["res75-dubai-hammamet", "res30-dubai-rcc", "res75-hammamet-atu", "res179", "res76", "res35"]
    ),
    seed=st.integers(0, 10**6),
)
def test_any_proposal_carried_onto_a_real_newer_edition_is_placed_whole_and_never_doubled(pair, seed):
    old, new = _real_pair(pair)
    amendments = _any_proposal(old, new, random.Random(seed))
    result = carry.rebase(old, new, amendments)
    draft = apply_amendments(new, result.amendments)
    assert draft.problems == []
    for change in result.changes:
        assert (change.amendment is None) == (change.state == carry.ALREADY)
        if change.state == carry.CONFLICT and change.amendment.action == MODIFY and change.proposal:
            # Never blended: the draft has the proposal's words, its closing mark as the structure gives it.
            assert carry.same_words(change.amendment.text or change.amendment.heading, change.proposal)

    def counts(text: ResolutionText) -> dict[str, int]:
        found: dict[str, int] = {}
        for clause, _ in text.walk():
            words = " ".join(match_words(clause.text or clause.heading))
            found[words] = found.get(words, 0) + 1
        return found

    proposed, newer, after = (
        counts(apply_amendments(old, amendments).proposed_text()),
        counts(new),
        counts(draft.proposed_text()),
    )
    doubled = {w for w, n in after.items() if n > 1 and n > max(proposed.get(w, 0), newer.get(w, 0))}
    assert doubled == set()


_BASES = {
    "hammamet": lambda: (SEEDS / "wtsa-res75-rev-hammamet-2016.txt").read_text(encoding="utf-8"),
    "dubai": citel.base_text,
    "res30": rcc.base_text,
}


# --- the demo proposals on Res. 75, carried onto a newer edition built by hand ----------------------

needs_db = pytest.mark.django_db

E_I_NEWER = "Resolution 71 (Rev. Dubai, 2018) of the Plenipotentiary Conference, on the strategic plan for the Union for 2020-2023;"


def _find(tree: ResolutionText, edition, anchor: str) -> Clause:
    key = _key(edition, anchor)
    return next(c for c, _ in tree.walk() if c.key == key)


@pytest.fixture
def newer(demo_db):
    """Rev. Geneva, 2022 of Res. 75, by hand: Hammamet's clauses (same provisions) with a few changed."""
    from drafting.services.library import save_tree

    hammamet = Edition.objects.get(resolution__number="75", slug="hammamet-2016")
    tree = copy.deepcopy(edition_tree(hammamet))
    # Changed in the same words ATU changes (Busan, 2014 and 2016-2019): a conflict.
    _find(tree, hammamet, "considering-e-i").text = E_I_NEWER
    # Changed in words ATU keeps: ATU's change applies over it.
    e_ii = _find(tree, hammamet, "considering-e-ii")
    e_ii.text = e_ii.text.replace("Plenipotentiary Conference,", "Plenipotentiary Conference (PP),")
    # Says already what ATU proposes.
    atu = Proposal.objects.get(contribution__group__code="ATU", resolution__number="75")
    noting = atu.amendments.get(base_clause__anchor="noting-further-p1")
    _find(tree, hammamet, "noting-further-p1").text = noting.text
    # Drops the item ATU suppresses.
    part = _find(tree, hammamet, "recognizing-further")
    part.children.remove(_find(tree, hammamet, "recognizing-further-b"))
    edition = Edition.objects.create(
        resolution=hammamet.resolution,
        revision="Rev. Geneva, 2022",
        place="Geneva",
        year=2022,
        slug="geneva-2022",
        title=hammamet.title,
        history_line="(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016; Geneva, 2022)",
        enacting_formula=hammamet.enacting_formula.replace("Hammamet, 2016", "Geneva, 2022"),
        previous=hammamet,
    )
    save_tree(edition, tree)
    return hammamet, edition, atu


def _key(edition, anchor: str) -> str:
    return str(edition.clauses.get(anchor=anchor).provision.key)


@needs_db
def test_atus_proposal_on_hammamet_carried_onto_the_newer_edition(newer):
    from drafting.services.amendments import engine_amendments, proposal_amendments

    hammamet, geneva, atu = newer
    result = carry.rebase(
        edition_tree(hammamet), edition_tree(geneva), engine_amendments(proposal_amendments(atu))
    )
    states = result.states
    assert states[_key(hammamet, "considering-e-i")] == carry.CONFLICT
    assert states[_key(hammamet, "considering-e-ii")] == carry.REBASED
    assert states[_key(hammamet, "noting-further-p1")] == carry.ALREADY
    assert states[_key(hammamet, "recognizing-further-b")] == carry.ALREADY
    assert states[_key(hammamet, "taking-into-account-a")] == carry.CLEAN
    e_ii = next(c for c in result.changes if c.key == _key(hammamet, "considering-e-ii"))
    assert e_ii.amendment.text.replace("\u00a0", " ") == (
        "Resolution 101 (Rev. Bucharest, 2022) of the Plenipotentiary Conference (PP), on Internet Protocol (IP)-based networks;"
    )
    conflict = next(c for c in result.changes if c.key == _key(hammamet, "considering-e-i"))
    assert {(o.mine, o.theirs) for o in conflict.overlaps} >= {("Bucharest", "Dubai")}


@needs_db
def test_the_consolidation_moves_to_the_newer_edition_keeping_its_decisions(newer):
    from drafting.services.consolidation import (
        ConsolidationProblem,
        compile_consolidation,
        move_consolidation,
        settle_clause,
    )

    hammamet, geneva, atu = newer
    officer = User.objects.get(username="secretariat")
    consolidation = Consolidation.objects.get(resolution__number="75")
    r4 = _key(hammamet, "resolves-4")
    settle_clause(officer, consolidation, r4, Decision.GROUP, group="CITEL", note="as agreed in SWG")
    moved = move_consolidation(officer, consolidation, geneva)
    assert (moved.kept, moved.dropped) == (1, 0)
    consolidation.refresh_from_db()
    assert consolidation.base_edition == geneva
    compilation = compile_consolidation(consolidation)
    # Both groups drafted against Hammamet: both are carried, nothing is left out.
    assert sorted(compilation.carried) == ["ATU", "CITEL"] and compilation.groups == ["ATU", "CITEL"]
    rows = {r.key: r for r in compilation.rows}
    e_i = rows[_key(hammamet, "considering-e-i")]
    assert e_i.rebase_conflicts == ["ATU"] and e_i.status == "conflict"
    e_ii = rows[_key(hammamet, "considering-e-ii")]
    assert "ATU" in e_ii.rebased and not e_ii.rebase_conflicts
    assert "(PP)" in e_ii.versions["ATU"].clause.text and "Bucharest" in e_ii.versions["ATU"].clause.text
    # The decision is still there, and still takes CITEL's words.
    assert compilation.decisions[r4].group == "CITEL" and compilation.decisions[r4].note == "as agreed in SWG"
    # Only forward, and not twice.
    with pytest.raises(ConsolidationProblem, match="older") as older:
        move_consolidation(officer, consolidation, hammamet)
    assert older.value.status == 400
    with pytest.raises(ConsolidationProblem, match="already") as same:
        move_consolidation(officer, consolidation, geneva)
    assert same.value.status == 409
    # The page shows where each proposal came from and the conflict.
    client = Client()
    client.force_login(officer)
    html = client.get(f"/consolidations/{consolidation.pk}/").content.decode().replace("\u00a0", " ")
    assert "was written against Rev. Hammamet, 2016" in html
    assert "carried, in conflict: ATU" in html and "rebased: ATU" in html


@needs_db
def test_a_consolidation_opened_on_the_newer_edition_carries_every_proposal(newer):
    from drafting.services.consolidation import compile_consolidation, open_consolidation

    hammamet, geneva, atu = newer
    officer = User.objects.get(username="secretariat")
    Consolidation.objects.filter(resolution__number="75").delete()
    consolidation = open_consolidation(officer, atu.contribution.conference, atu.resolution)
    assert consolidation.base_edition == geneva  # the newest edition, by default
    compilation = compile_consolidation(consolidation)
    assert sorted(compilation.carried) == ["ATU", "CITEL"]
    atu_carried = compilation.carried["ATU"]
    assert atu_carried.count(carry.CONFLICT) == 1 and atu_carried.count(carry.ALREADY) == 2


@needs_db
def test_the_group_sees_the_newer_edition_and_rebases_its_draft(newer):
    from drafting.services.contributions import revise_contribution

    hammamet, geneva, atu = newer
    delegate = User.objects.get(username="atu-delegate")
    revision = revise_contribution(delegate, atu.contribution)
    draft = revision.proposals.get()
    client = Client()
    client.force_login(delegate)
    html = client.get(f"/proposals/{draft.pk}/").content.decode().replace("\u00a0", " ")
    assert "A newer edition: Rev. Geneva, 2022" in html
    assert "Rebase this draft onto Rev. Geneva, 2022" in html
    assert "Dubai" in html  # the conflict names what the newer edition says
    before = draft.amendments.count()
    response = client.post(f"/proposals/{draft.pk}/rebase/", {"edition": geneva.pk, "version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.base_edition == geneva
    # Two changes the newer edition already makes are gone; the others are written against it.
    assert draft.amendments.count() == before - 2
    e_ii = draft.amendments.get(target__key=_key(hammamet, "considering-e-ii"), action=MODIFY)
    assert "(PP)" in e_ii.text and e_ii.base_clause.edition == geneva
    e_i = draft.amendments.get(target__key=_key(hammamet, "considering-e-i"), action=MODIFY)
    assert "Bucharest" in e_i.text  # the group's words, kept where the two overlap
    page = client.get(f"/proposals/{draft.pk}/").content.decode()
    assert "A newer edition" not in page
    # Nothing left to rebase: a second rebase is refused through the API.
    import json

    again = client.post(
        f"/api/proposals/{draft.pk}/rebase", data=json.dumps({}), content_type="application/json"
    )
    assert again.status_code == 409


@needs_db
def test_only_the_groups_delegates_rebase_and_only_a_draft(newer):
    hammamet, geneva, atu = newer
    client = Client()
    client.force_login(User.objects.get(username="atu-delegate"))
    # ATU's submitted proposal: the page tells, but offers no button.
    html = client.get(f"/proposals/{atu.pk}/").content.decode().replace("\u00a0", " ")
    assert "A newer edition: Rev. Geneva, 2022" in html and "Rebase this draft" not in html
    client.post(f"/proposals/{atu.pk}/rebase/", {"edition": geneva.pk})
    atu.refresh_from_db()
    assert atu.base_edition == hammamet


@needs_db
def test_the_pages_and_the_api_open_on_an_edition_and_move_to_a_newer_one(newer):
    import base64
    import json

    from drafting.demo.load import DEMO_PASSWORD

    hammamet, geneva, atu = newer
    Consolidation.objects.filter(resolution__number="75").delete()
    officer = User.objects.get(username="secretariat")
    client = Client()
    client.force_login(officer)
    listing = client.get("/consolidations/").content.decode().replace("\u00a0", " ")
    assert f'<option value="{geneva.pk}">Rev. Geneva, 2022</option>' in listing
    conference, resolution = atu.contribution.conference, atu.resolution
    response = client.post(f"/consolidations/open/{conference.pk}/{resolution.pk}/", {"edition": hammamet.pk})
    consolidation = Consolidation.objects.get(resolution=resolution)
    assert response.status_code == 302 and consolidation.base_edition == hammamet
    page = client.get(f"/consolidations/{consolidation.pk}/").content.decode().replace("\u00a0", " ")
    assert "Consolidate against a newer edition" in page and "Rev. Geneva, 2022" in page
    settled = client.post(
        f"/consolidations/{consolidation.pk}/settle/",
        {"key": _key(hammamet, "resolves-4"), "choice": "group:ATU", "version": 0},
    )
    assert settled.status_code == 302
    # Through the API, from the version seen: a stale one is refused, the right one moves it.
    auth = {
        "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"secretariat:{DEMO_PASSWORD}".encode()).decode()
    }
    consolidation.refresh_from_db()

    def move(body):
        return Client().post(
            f"/api/consolidations/{consolidation.pk}/edition",
            data=json.dumps(body),
            content_type="application/json",
            **auth,
        )

    assert move({"edition": "geneva-2022", "version": consolidation.version - 1}).status_code == 409
    moved = move({"edition": "WTSA/75/geneva-2022", "version": consolidation.version})
    assert moved.status_code == 200
    data = moved.json()
    assert data["kept"] == 1 and data["dropped"] == 0
    assert data["consolidation"]["base_edition_ref"]["slug"] == "geneva-2022"
    carried = {c["group"]: c for c in data["consolidation"]["carried"]}
    assert carried["ATU"]["edition"]["slug"] == "hammamet-2016" and carried["ATU"]["counts"]["conflict"] == 1
    conflict = next(c for c in carried["ATU"]["changes"] if c["state"] == "conflict")
    assert conflict["overlaps"] and conflict["key"] == _key(hammamet, "considering-e-i")
    row = next(r for r in data["consolidation"]["rows"] if r["key"] == conflict["key"])
    assert row["rebase_conflicts"] == ["ATU"] and row["status"] == "conflict"
    assert move({"edition": hammamet.pk}).status_code == 400  # backwards
    delegate = Client()
    delegate.force_login(User.objects.get(username="atu-delegate"))
    assert (
        delegate.post(f"/consolidations/{consolidation.pk}/edition/", {"edition": geneva.pk}).status_code
        == 302
    )
    # A group reads the rebase its proposal would get, through the API.
    auth_atu = {
        "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"atu-delegate:{DEMO_PASSWORD}".encode()).decode()
    }
    preview = Client().get(f"/api/proposals/{atu.pk}/rebase", **auth_atu).json()
    assert preview["onto"]["slug"] == "geneva-2022" and not preview["applied"]
    assert preview["counts"] == {
        "clean": preview["counts"]["clean"],
        "rebased": 1,
        "conflict": 1,
        "already": 2,
    }
