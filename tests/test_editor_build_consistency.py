"""The editor's state of a version is that version's text, even when a save commits while it is built.

The build reads the proposal, its amendments, comments and the library in several queries. Under
load a save of another delegate commits between them every few seconds; a build that read the new
amendment but labelled the result with the version it started from left the editors with a page
claiming an older version than it shows, and (because such a build kept no stamps) the next live
update of the proposal could not be sent as the changed clauses: every open editor fetched the
whole draft (about one change in a hundred in the load test). Run in threads with their own
connections, on SQLite and (CI's second pass) PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.db import connections

from drafting import caching
from drafting.live import draft_delta
from drafting.live.copies import draft_proposal
from drafting.models import Proposal
from drafting.models.people import DELEGATES
from drafting.services.amendments import modify_clause
from drafting.views import amendments as editor_views
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db(transaction=True)

NEW_TEXT = "a text saved by another delegate while the editor was being built;"


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    delegates = person("one", DELEGATES, atu), person("two", DELEGATES, atu)
    return mod_proposal(edition, atu), clause_keys(edition), *delegates


def _save_elsewhere(proposal_pk: int, key: str, user) -> None:
    """A save committed by another worker (its own thread and connection)."""
    failed: list[BaseException] = []

    def run():
        try:
            modify_clause(user, Proposal.objects.get(pk=proposal_pk), key, NEW_TEXT, expected_version=0)
        except BaseException as e:  # reported by the test below
            failed.append(e)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not failed, failed


def _shows(context: dict, text: str) -> bool:
    return any(row["clause"].text == text for row in context["rows"])


@pytest.mark.parametrize("moment", ["before the amendments", "after the amendments"])
def test_a_save_committing_during_the_build_is_all_in_or_all_out(world, monkeypatch, moment):
    proposal, keys, one, two = world
    modify_clause(one, proposal, keys["considering-b"], "an earlier change;", expected_version=0)
    proposal = draft_proposal(proposal.pk)
    opened = proposal.version
    real_amendments = editor_views.proposal_amendments
    real_draft = editor_views.draft_of
    saved = []

    def amendments_then_save(p):
        if moment == "before the amendments" and not saved:
            saved.append(_save_elsewhere(p.pk, keys["considering-a"], two))
        found = real_amendments(p)
        if moment == "after the amendments" and not saved:
            saved.append(_save_elsewhere(p.pk, keys["considering-a"], two))
        return found

    monkeypatch.setattr(editor_views, "proposal_amendments", amendments_then_save)
    monkeypatch.setattr(editor_views, "draft_of", real_draft)
    context = editor_views.proposal_editor_context(proposal, True)

    assert saved, "the concurrent save ran"
    assert Proposal.objects.get(pk=proposal.pk).version == opened + 1
    # The state is one version's: the one it says, with exactly that version's text.
    assert context["version"] == opened
    assert not _shows(context, NEW_TEXT)
    assert _shows(context, "an earlier change;")
    # Its stamps are kept, so the next version's editors are sent only what changed.
    assert cache.get(draft_delta._stamps_key(proposal.pk, opened, True)) is not None
    caching.editor_contexts.clear()
    monkeypatch.setattr(editor_views, "proposal_amendments", real_amendments)
    newer = draft_proposal(proposal.pk)
    fresh = editor_views.proposal_editor_context(newer, True)
    assert fresh["version"] == opened + 1 and _shows(fresh, NEW_TEXT)
    delta = draft_delta.delta(
        proposal.pk, opened, fresh["version"], True, fresh["rows"], fresh["clause_stamps"]
    )
    assert delta is not None
    assert [row["clause"].key for _, row in delta.rows] == [keys["considering-a"]]


def test_a_build_that_starts_after_a_save_it_was_not_told_of_shows_the_newer_version(world):
    """The page's proposal was read before a save: the state built is the newer version's, labelled so."""
    proposal, keys, one, two = world
    proposal = draft_proposal(proposal.pk)
    opened = proposal.version
    _save_elsewhere(proposal.pk, keys["considering-a"], two)
    context = editor_views.proposal_editor_context(proposal, True)
    assert context["version"] == opened + 1
    assert _shows(context, NEW_TEXT)
    assert cache.get(draft_delta._stamps_key(proposal.pk, opened + 1, True)) is not None
    assert proposal.version == opened + 1
    # Another page read the proposal before the save too: it is given the state already built, and
    # its proposal says that state's version (the live copies are keyed and labelled by it).
    stale = draft_proposal(proposal.pk)
    stale.version = opened
    again = editor_views.proposal_editor_context(stale, True)
    assert again["version"] == stale.version == opened + 1
