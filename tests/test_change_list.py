"""The editor's change list: one entry per change, the relabels it caused folded into it."""

from __future__ import annotations

from dataclasses import dataclass

from drafting.engine.changes import ADDED, MODIFIED, RELABELLED, SUPPRESSED, change_entries


@dataclass
class C:
    key: str
    label: str
    base: str | None  # the base label; None for an added clause
    text: str = "same"
    suppressed: bool = False
    kind: str = "item"
    heading: str = ""

    @property
    def added(self) -> bool:
        return self.base is None

    @property
    def base_label(self) -> str:
        return self.base or ""


def rows(*clauses, part="recognizing further"):
    return [(c, part, "same", "") for c in clauses]


def test_a_suppression_and_the_relabels_it_causes_are_one_entry():
    entries = change_entries(
        rows(
            C("1", "b)", "b)", suppressed=True),
            C("2", "b)", "c)"),
            C("3", "c)", "d)"),
            C("4", "d)", "e)"),
        )
    )
    assert len(entries) == 1
    (entry,) = entries
    assert (entry.name, entry.what) == ("b)", SUPPRESSED)
    assert entry.relabel_summary == "c)–e) now b)–d)"


def test_an_addition_keeps_its_relabels_and_a_later_change_is_its_own_entry():
    entries = change_entries(
        rows(
            C("1", "a)", None),
            C("2", "b)", "a)"),
            C("3", "c)", "b)", text="reworded"),
        )
    )
    assert [(e.name, e.what) for e in entries] == [("a)", ADDED), ("c)", MODIFIED)]
    assert entries[0].relabel_summary == "a) now b)"
    assert entries[1].relabelled_from == "b)"


def test_a_relabel_in_another_part_is_not_folded_into_this_one():
    entries = change_entries(rows(C("1", "a)", None)) + rows(C("2", "b)", "a)"), part="noting"))
    assert [e.what for e in entries] == [ADDED, RELABELLED]


def test_a_part_heading_is_named_by_its_heading():
    heading = C("1", "", "", kind="part", heading="recognizing also")
    (entry,) = change_entries([(heading, "recognizing", "", "recognizing")])
    assert (entry.name, entry.what) == ("recognizing also", MODIFIED)
