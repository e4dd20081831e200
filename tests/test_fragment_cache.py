"""Pages that cost what changed: each kind of change re-renders exactly the clauses it changes,
and what the cache serves is what a fresh rendering would show."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client

from drafting import caching
from drafting.models import Contribution, Proposal
from drafting.models.people import COORDINATORS, DELEGATES
from drafting.services.amendments import (
    add_clause,
    add_comment,
    modify_clause,
    restore_clause,
    suppress_clause,
)
from drafting.services.contributions import revise_contribution, submit_contribution
from drafting.views.amendments import proposal_editor_context
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    amina = person("amina", DELEGATES, atu)
    chief = person("chief", COORDINATORS, atu)
    keys = clause_keys(edition)
    return proposal, amina, chief, keys


def _fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_related("contribution__group", "base_edition").get(pk=proposal.pk)


def stamps(proposal: Proposal) -> dict[str, str]:
    return {
        row["clause"].key: row["stamp"] for row in proposal_editor_context(_fresh(proposal), True)["rows"]
    }


def changed_between(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def considering(keys: dict[str, str], start: str) -> set[str]:
    """The keys of the considering items from ``start`` on (the ones an addition or suppression relabels)."""
    items = [a for a in keys if re.fullmatch(r"considering-[a-z]", a)]
    return {keys[a] for a in items[items.index(f"considering-{start}") :]}


def render_draft(proposal: Proposal) -> str:
    return render_to_string(
        "drafting/proposal_editor.html#draft", proposal_editor_context(_fresh(proposal), True)
    )


def assert_cache_serves_what_a_fresh_rendering_shows(proposal: Proposal) -> None:
    render_draft(proposal)  # warm
    cached = render_draft(proposal)
    cache.clear()
    caching.editor_contexts.clear()
    assert cached == render_draft(proposal)


def test_modifying_a_clause_changes_its_fragment_only(world):
    proposal, amina, _, keys = world
    before = stamps(proposal)
    modify_clause(amina, proposal, keys["considering-c"], "a new text for c;", expected_version=0)
    assert changed_between(before, stamps(proposal)) == {keys["considering-c"]}
    assert_cache_serves_what_a_fresh_rendering_shows(proposal)


def test_renaming_a_part_changes_its_heading_and_its_items_which_name_it(world):
    proposal, amina, _, keys = world
    before = stamps(proposal)
    modify_clause(amina, proposal, keys["considering"], "recalling", expected_version=0)
    # Each item's fragment names its part ("Edit considering a)"); the other parts' do not change.
    in_part = {k for anchor, k in keys.items() if re.fullmatch(r"considering(-[a-z](-[ivx]+)?)?", anchor)}
    assert changed_between(before, stamps(proposal)) == in_part
    assert_cache_serves_what_a_fresh_rendering_shows(proposal)


def test_adding_an_item_changes_it_and_the_items_it_relabels(world):
    proposal, amina, _, keys = world
    before = stamps(proposal)
    add_clause(amina, proposal, keys["considering-a"], "after", text="a new item")
    after = stamps(proposal)
    (new,) = after.keys() - before.keys()
    assert changed_between(before, after) == {new} | considering(keys, "b")
    assert_cache_serves_what_a_fresh_rendering_shows(proposal)


def test_suppressing_and_restoring_change_the_item_and_those_relabelled_after_it(world):
    proposal, amina, _, keys = world
    before = stamps(proposal)
    suppress_clause(amina, proposal, keys["considering-b"])
    suppressed = stamps(proposal)
    assert changed_between(before, suppressed) == considering(keys, "b")
    assert_cache_serves_what_a_fresh_rendering_shows(proposal)
    restore_clause(amina, proposal, keys["considering-b"])
    assert changed_between(suppressed, stamps(proposal)) == considering(keys, "b")
    assert_cache_serves_what_a_fresh_rendering_shows(proposal)


def test_a_comment_changes_its_clauses_fragment_only(world):
    proposal, amina, _, keys = world
    before = stamps(proposal)
    add_comment(amina, proposal, keys["considering-d"], "Shall we say more?")
    assert changed_between(before, stamps(proposal)) == {keys["considering-d"]}
    assert_cache_serves_what_a_fresh_rendering_shows(proposal)


def test_a_revision_leaves_the_submitted_proposals_fragments_and_starts_its_own(world):
    proposal, amina, chief, keys = world
    modify_clause(amina, proposal, keys["considering-c"], "a new text for c;", expected_version=0)
    submit_contribution(chief, proposal.contribution)
    before = stamps(proposal)
    revision = revise_contribution(amina, Contribution.objects.get(pk=proposal.contribution_id))
    assert changed_between(before, stamps(proposal)) == set()
    copy = revision.proposals.get()
    # The revision is its own proposal: its fragments are its own, and editable again.
    assert set(stamps(copy).values()).isdisjoint(stamps(proposal).values())
    assert_cache_serves_what_a_fresh_rendering_shows(copy)


def test_the_time_since_a_change_moves_on_while_the_text_stays_cached(world, monkeypatch):
    proposal, amina, _, keys = world
    modify_clause(amina, proposal, keys["considering-c"], "a new text for c;", expected_version=0)
    html = render_draft(proposal)
    assert "just now" in html
    from datetime import timedelta

    from django.utils import timesince, timezone

    later = timezone.now() + timedelta(minutes=7)
    real = timesince.timesince
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(timesince, "timesince", lambda d, now=None, **kw: real(d, now=later, **kw))
    assert re.search(r"changed by amina, 7\s+minutes ago", render_draft(proposal))


def test_the_editor_page_costs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    proposal, amina, _, keys = world
    client = Client()
    client.force_login(amina)
    url = proposal.get_absolute_url()
    assert client.get(url).status_code == 200
    for anchor in ("considering-a", "considering-b", "considering-c"):
        modify_clause(amina, _fresh(proposal), keys[anchor], f"text of {anchor};", expected_version=0)
    # A new version: built once (the draft's queries), then served from the built context; one query
    # more, the library's state, which the citations link to; and one to check that the stamps kept
    # for live updates are those of this version (drafting.live.draft_delta).
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
