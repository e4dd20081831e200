"""Undo in the proposal editor, from the message that confirms the action: a suppression, the removal
of a new clause, a replace-all."""

from __future__ import annotations

import pytest
from django.test import Client

from drafting.models import Amendment, Clause, UndoableAction
from drafting.models.people import DELEGATES
from drafting.services.amendments import (
    add_clause,
    apply_replace,
    draft_of,
    modify_clause,
    suppress_clause,
)
from drafting.services.undo import UndoProblem
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    return proposal, clause_keys(edition), person("amina", DELEGATES, atu), person("kwame", DELEGATES, atu)


def texts(proposal) -> list[tuple[str, str, bool]]:
    return [(c.label, c.text or c.heading, c.suppressed) for c, _ in draft_of(proposal).walk()]


def test_a_suppression_is_undone_and_the_labels_close_up_again(world):
    proposal, keys, amina, _ = world
    before = texts(proposal)
    suppress_clause(amina, proposal, keys["considering-b"])
    assert texts(proposal) != before
    undo(amina, proposal.undo.pk)
    assert texts(proposal) == before
    assert not Amendment.objects.exists()


def test_the_removal_of_a_new_clause_is_undone_with_its_identity(world):
    proposal, keys, amina, _ = world
    added = add_clause(amina, proposal, keys["considering-b"], "after", text="a new consideration;")
    key = str(added.added.key)
    with_it = texts(proposal)
    suppress_clause(amina, proposal, key)  # a clause this proposal adds is removed, not suppressed
    assert not Amendment.objects.filter(added__key=key).exists()
    undo(amina, proposal.undo.pk)
    assert texts(proposal) == with_it
    assert str(Amendment.objects.get(action="add").added.key) == key


def test_a_replace_all_is_undone_clause_by_clause(world):
    proposal, keys, amina, _ = world
    edited = modify_clause(amina, proposal, keys["considering-a"], "the outcomes of the Summit, Hammamet;", 0)
    before = texts(proposal)
    count = apply_replace(amina, proposal, "WSIS", "the Summit")
    assert count >= 2 and UndoableAction.objects.get(kind="replace").changes
    assert texts(proposal) != before
    undo(amina, proposal.undo.pk)
    assert texts(proposal) == before
    # The clause that had a change keeps it; the others are back to the base (no amendment left).
    assert list(Amendment.objects.values_list("target__key", flat=True)) == [edited.target.key]


def test_an_undo_is_refused_whole_once_a_clause_it_changed_is_changed_again(world):
    proposal, keys, amina, kwame = world
    apply_replace(amina, proposal, "WSIS", "the Summit")
    action = proposal.undo
    first = action.changes[0]
    modify_clause(kwame, proposal, first["key"], "kwame's words;", first["version"])
    state = texts(proposal)
    with pytest.raises(UndoProblem, match="changed again since") as refused:
        undo(amina, action.pk)
    assert refused.value.status == 409
    assert texts(proposal) == state
    with pytest.raises(UndoProblem) as not_theirs:
        undo(kwame, action.pk)
    assert not_theirs.value.status == 403


def test_the_editor_offers_undo_in_the_message_and_undoes_in_place(world):
    proposal, keys, amina, _ = world
    client = Client()
    client.force_login(amina)
    key = keys["considering-b"]
    response = client.post(f"/proposals/{proposal.pk}/clauses/{key}/suppress/", **HX)
    action = UndoableAction.objects.get()
    html = response.content.decode()
    assert 'id="draft"' in html and f'hx-post="/undo/{action.pk}/"' in html and 'hx-target="#draft"' in html
    assert "Suppressed b)" in html
    undone = client.post(f"/undo/{action.pk}/", **HX)
    html = undone.content.decode()
    assert undone.status_code == 200 and 'id="draft"' in html and "Undone: Suppressed b)" in html
    assert not Amendment.objects.exists()
    # Without JavaScript: the message after the redirect carries the Undo button.
    client.post(f"/proposals/{proposal.pk}/clauses/{key}/suppress/")
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    action = UndoableAction.objects.latest("pk")
    assert f'action="/undo/{action.pk}/"' in page
    client.post(f"/undo/{action.pk}/")
    assert not Amendment.objects.exists()
    # The replace box says what was replaced, with its Undo.
    replaced = client.post(
        f"/proposals/{proposal.pk}/replace/", {"find": "WSIS", "replace": "the Summit", "apply": "1"}, **HX
    ).content.decode()
    action = UndoableAction.objects.latest("pk")
    assert action.kind == "replace" and f'hx-post="/undo/{action.pk}/"' in replaced
    assert Clause.objects.filter(text__contains="WSIS").exists()


def undo(user, pk: int):
    """What the Undo button does (drafting.views.undo)."""
    from drafting.services.amendments import undo_change
    from drafting.services.consolidation import undo_settlement
    from drafting.services.undo import is_settlement

    return (undo_settlement if is_settlement(pk) else undo_change)(user, pk)
