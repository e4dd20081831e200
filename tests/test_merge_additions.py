"""Additions from several groups at one place: the same words agree, similar words conflict (no database)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.engine.amend import ADD, AFTER, FIRST_CHILD, Amendment, apply_amendments
from drafting.engine.consolidate import align_additions, consolidate, similar
from drafting.engine.merge import AGREEMENT, CONFLICT, ONE
from drafting.engine.tree import ITEM, PART, Clause, ResolutionText

NEW_ITEM = "the outcomes of the World Summit on the Information Society and the 2030 Agenda for Sustainable Development"


def base_text() -> ResolutionText:
    return ResolutionText(
        number="75",
        title="A resolution",
        clauses=[
            Clause(
                PART,
                heading="recognizing",
                role="preamble",
                key="p1",
                children=[
                    Clause(ITEM, label="a)", text="the first thing;", key="a"),
                    Clause(ITEM, label="b)", text="the second thing,", key="b"),
                ],
            ),
            Clause(
                PART,
                heading="resolves",
                role="operative",
                key="p2",
                children=[Clause(ITEM, label="1", text="to continue the work.", key="r1")],
            ),
        ],
    )


def adding(group: str, *texts: str, after: str = "a") -> dict:
    amendments = [
        Amendment(ADD, after if i == 0 else f"{group}-{i - 1}", AFTER, key=f"{group}-{i}", text=text)
        for i, text in enumerate(texts)
    ]
    return apply_amendments(base_text(), amendments)


def added_rows(drafts: dict) -> list:
    return [r for r in consolidate(base_text(), drafts) if r.base is None]


def test_two_groups_adding_the_same_item_at_the_same_place_are_one_row_in_agreement():
    rows = added_rows({"ATU": adding("ATU", NEW_ITEM + ";"), "CITEL": adding("CITEL", NEW_ITEM + ";")})
    assert len(rows) == 1
    row = rows[0]
    assert (
        row.status == AGREEMENT
        and row.added_by == ["ATU", "CITEL"]
        and row.merge.agreeing == ["ATU", "CITEL"]
    )
    assert row.same_place_as_others and sorted(row.aliases) == ["ATU-0", "CITEL-0"]
    assert row.merge.text == NEW_ITEM + ";"


def test_a_non_breaking_space_is_no_difference_between_two_additions():
    rows = added_rows(
        {
            "ATU": adding("ATU", "the ITU-T study groups; and"),
            "RCC": adding("RCC", "the ITU-T\u00a0study groups; and"),
        }
    )
    assert len(rows) == 1 and rows[0].status == AGREEMENT


def test_similar_additions_at_one_place_are_one_row_with_alternatives():
    rows = added_rows(
        {
            "ATU": adding("ATU", NEW_ITEM + ";"),
            "CITEL": adding("CITEL", NEW_ITEM.replace("2030", "2040") + ";"),
        }
    )
    assert len(rows) == 1
    row = rows[0]
    assert row.status == CONFLICT and row.added_by == ["ATU", "CITEL"]
    assert [a.groups for a in row.merge.conflicts[0].alternatives] == [["ATU"], ["CITEL"]]
    assert row.merge.bracketed().startswith("[the outcomes")


def test_unlike_additions_at_one_place_stand_side_by_side_flagged():
    rows = added_rows(
        {"ATU": adding("ATU", NEW_ITEM + ";"), "CITEL": adding("CITEL", "the needs of small island states;")}
    )
    assert [r.added_by for r in rows] == [["ATU"], ["CITEL"]]
    assert all(r.status == ONE and r.same_place_as_others for r in rows)


def test_runs_of_additions_align_item_by_item():
    # ATU adds X then Y; CITEL adds only Y; RCC adds X then something else.
    x, y = NEW_ITEM + ";", "the importance of cybersecurity for developing countries;"
    rows = added_rows(
        {
            "ATU": adding("ATU", x, y),
            "CITEL": adding("CITEL", y),
            "RCC": adding("RCC", x, "the role of regional offices in capacity building;"),
        }
    )
    by_groups = [(r.added_by, r.status) for r in rows]
    assert (["ATU", "RCC"], AGREEMENT) in by_groups
    assert (["ATU", "CITEL"], AGREEMENT) in by_groups
    assert (["RCC"], ONE) in by_groups
    assert len(rows) == 3


def test_an_added_part_with_its_items_agrees_with_the_same_part_from_another_group():
    def part_added(group: str, item_text: str):
        return apply_amendments(
            base_text(),
            [
                Amendment(ADD, "p1", AFTER, key=f"{group}-p", kind=PART, heading="recognizing further"),
                Amendment(ADD, f"{group}-p", FIRST_CHILD, key=f"{group}-i", text=item_text),
            ],
        )

    rows = added_rows(
        {"APT": part_added("APT", "that AI matters,"), "CEPT": part_added("CEPT", "that AI matters,")}
    )
    assert [(r.kind, r.status, r.added_by) for r in rows] == [
        (PART, AGREEMENT, ["APT", "CEPT"]),
        (ITEM, AGREEMENT, ["APT", "CEPT"]),
    ]
    assert rows[1].depth == rows[0].depth + 1


def test_similar_needs_words_in_common():
    assert similar(NEW_ITEM, NEW_ITEM.replace("Society", "Age"))
    assert not similar(NEW_ITEM, "small island developing states;")
    assert not similar("", NEW_ITEM)


GROUPS = ["APT", "ASMG", "ATU", "CEPT", "CITEL", "RCC"]
WORDS = st.sampled_from("ITU telecommunication development digital divide Member States Agenda youth".split())


@settings(max_examples=60, deadline=None)
@given(groups=st.lists(st.sampled_from(GROUPS), min_size=1, max_size=6, unique=True), data=st.data())
def test_identical_additions_from_any_number_of_groups_in_any_order_are_one_agreement(groups, data):
    text = " ".join(data.draw(st.lists(WORDS, min_size=3, max_size=12))) + ";"
    order = data.draw(st.permutations(groups))
    drafts = {g: adding(g, text) for g in order}
    rows = added_rows(drafts)
    assert len(rows) == 1
    assert rows[0].added_by == sorted(groups)
    assert rows[0].status == (AGREEMENT if len(groups) > 1 else ONE)
    assert rows[0].merge.text == text


@settings(max_examples=60, deadline=None)
@given(groups=st.lists(st.sampled_from(GROUPS), min_size=2, max_size=6, unique=True), data=st.data())
def test_different_additions_of_one_item_at_one_place_are_one_conflict(groups, data):
    # Each group words the same item a little differently: one word of its own at the end.
    stem = " ".join(data.draw(st.lists(WORDS, min_size=6, max_size=12)))
    own = {g: f"{stem} {g.lower()}x;" for g in groups}
    order = data.draw(st.permutations(groups))
    rows = added_rows({g: adding(g, own[g]) for g in order})
    assert len(rows) == 1
    row = rows[0]
    assert row.status == CONFLICT and row.added_by == sorted(groups)
    assert sorted(g for a in row.merge.conflicts[0].alternatives for g in a.groups) == sorted(groups)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_alignment_keeps_each_groups_order_and_every_clause_once(data):
    texts = [f"{w} item number {i};" for i, w in enumerate("alpha beta gamma delta epsilon".split())]
    runs = {}
    for g in data.draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=4, unique=True)):
        chosen = data.draw(st.lists(st.sampled_from(texts), min_size=1, max_size=4, unique=True))
        runs[g] = [adding(g, *chosen).find(f"{g}-{i}") for i in range(len(chosen))]
    rows = align_additions(runs)
    for g, clauses in runs.items():
        assert [row[g] for row in rows if g in row] == clauses
