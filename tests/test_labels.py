"""Item labels: kinds, sequences and the labels the tool writes (no database)."""

from __future__ import annotations

import pytest

from drafting.engine import labels as lb


@pytest.mark.parametrize(
    ("label", "kinds"),
    [
        ("a)", {lb.ALPHA}),
        ("i)", {lb.ALPHA, lb.ROMAN}),
        ("ii)", {lb.ROMAN}),
        ("ix)", {lb.ROMAN}),
        ("aa)", {lb.ALPHA}),
        ("(b)", {lb.ALPHA}),
        ("1", {lb.NUMBER}),
        ("12", {lb.NUMBER}),
        ("–", {lb.DASH}),
        ("•", {lb.BULLET}),
        ("", {lb.NONE}),
    ],
)
def test_kinds_of_labels(label, kinds):
    assert lb.kinds_of(label) == kinds


@pytest.mark.parametrize("n", range(1, 40))
def test_roman_labels_round_trip(n):
    label = lb.make_label(lb.ROMAN, n)
    assert lb.index_of(label, lb.ROMAN) == n


def test_letters_double_after_z():
    assert lb.make_label(lb.ALPHA, 26) == "z)"
    assert lb.make_label(lb.ALPHA, 27) == "aa)"
    assert lb.index_of("bb)", lb.ALPHA) == 28


def test_what_follows_what():
    assert lb.follows("h)", "i)", lb.ALPHA)
    assert lb.follows("viii)", "ix)", lb.ROMAN)
    assert not lb.follows("a)", "c)", lb.ALPHA)
    assert lb.follows("9", "10", lb.NUMBER)
    assert lb.follows("–", "–", lb.DASH)
    assert not lb.follows("b)", "bd)", lb.ALPHA)


def test_first_labels():
    assert lb.is_first("i)", lb.ROMAN) and lb.is_first("i)", lb.ALPHA) is False
    assert lb.is_first("a)", lb.ALPHA) and lb.is_first("1", lb.NUMBER)
    assert [lb.make_label(k, 1) for k in (lb.ALPHA, lb.ROMAN, lb.NUMBER, lb.DASH, lb.BULLET)] == [
        "a)",
        "i)",
        "1",
        "–",
        "•",
    ]
