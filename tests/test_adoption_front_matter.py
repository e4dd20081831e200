"""Adoption keeps the front matter: the history line grows by the new edition, its footnotes stay."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from drafting.engine.amend import apply_amendments
from drafting.engine.consolidate import extended_history
from drafting.engine.tree import Clause, Footnote, ResolutionText
from drafting.models import Consolidation, Edition
from drafting.services.consolidation import adopt


def test_the_history_line_gains_the_new_edition_before_its_closing_parenthesis():
    assert (
        extended_history("(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016)", "New Delhi", 2024)
        == "(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016; New Delhi, 2024)"
    )


def test_footnote_calls_on_the_history_line_stay_after_it():
    assert (
        extended_history("(Hammamet, 2016)[^1][^2]", "New Delhi", 2024)
        == "(Hammamet, 2016; New Delhi, 2024)[^1][^2]"
    )
    assert extended_history("", "New Delhi", 2024) == ""


def test_the_proposed_text_keeps_the_footnotes_of_the_title_and_history_line():
    base = ResolutionText(
        number="1",
        title="Rules of procedure",
        history="(Hammamet, 2016)[^1]",
        footnotes=[Footnote(1, "Rev. of the rules.")],
        clauses=[
            Clause(
                kind="part",
                heading="resolves",
                role="operative",
                key="p",
                children=[Clause(kind="item", text="to do it.", key="i")],
            )
        ],
    )
    proposed = apply_amendments(base, []).proposed_text()
    assert [(f.number, f.text) for f in proposed.footnotes] == [(1, "Rev. of the rules.")]


@pytest.mark.django_db
def test_an_adopted_edition_keeps_the_footnotes_of_its_front_matter(demo_db):
    consolidation = Consolidation.objects.get(resolution__number="75")
    base = consolidation.base_edition
    Edition.objects.filter(pk=base.pk).update(
        history_line=base.history_line + "[^1]",
        front_footnotes=[{"number": 1, "text": "A note on the history."}],
    )
    edition = adopt(User.objects.get(username="secretariat"), consolidation, leave_open_as_base=True)
    assert edition.history_line.endswith("; New Delhi, 2024)[^1]")
    assert [f["text"] for f in edition.front_footnotes] == ["A note on the history."]
