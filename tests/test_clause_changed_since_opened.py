"""A save against a clause that changed in any way since it was opened is a conflict, never a silent 200.

Issue 24, defect 2 (and issue 22's "a PUT on a suppressed clause answers 200"): a delegate typed in a
clause while another suppressed it; the save was swallowed (no message, the typed words only in a hidden
history entry). Every change to a clause moves its version (text, label, suppression, restoration,
removal, rebase), so a save from before any of them is refused with a 409 that says what happened, and
the editor keeps the delegate's words in the box. A save on a suppressed clause, whatever its version,
is refused too: it would change nothing anyone sees.
"""

from __future__ import annotations

import pytest
from django.test import Client

from drafting.models import Amendment, Proposal
from drafting.models.people import COORDINATORS, DELEGATES
from drafting.services.amendments import (
    add_clause,
    apply_replace,
    clause_history,
    clause_version,
    draft_of,
    modify_clause,
    preview_replace,
    restore_clause,
    suppress_clause,
)
from drafting.services.contributions import DraftingProblem, StaleEdit
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    edition = base_edition()
    rcc = group("RCC")
    proposal = mod_proposal(edition, rcc)
    keys = clause_keys(edition)
    return {
        "proposal": proposal,
        "keys": keys,
        "a": keys["considering-a"],
        "delegate": person("rcc-delegate", DELEGATES, rcc),
        "coordinator": person("rcc-coordinator", COORDINATORS, rcc),
    }


def _modify_amendments(proposal, key):
    return Amendment.objects.filter(proposal=proposal, target__key=key, action="modify")


def test_a_save_after_another_delegate_suppressed_the_clause_is_refused_saying_so(world):
    proposal, a = world["proposal"], world["a"]
    opened = clause_version(proposal, a)
    suppress_clause(world["delegate"], proposal, a)
    with pytest.raises(StaleEdit) as refused:
        modify_clause(world["coordinator"], proposal, a, "the coordinator's words;", opened)
    assert "suppressed this clause after you opened it" in refused.value.message
    assert "rcc-delegate" in refused.value.message
    assert refused.value.current_version == clause_version(proposal, a) != opened
    # Nothing hidden was written: no text change, and the history has no "edited" entry.
    assert not _modify_amendments(proposal, a).exists()
    assert [v["what"] for v in clause_history(proposal, a)] == ["base text", "suppressed"]


def test_a_save_on_a_suppressed_clause_is_refused_even_from_its_current_version(world):
    proposal, a = world["proposal"], world["a"]
    suppress_clause(world["delegate"], proposal, a)
    version_before = Proposal.objects.get(pk=proposal.pk).version
    with pytest.raises(StaleEdit) as refused:
        modify_clause(world["delegate"], proposal, a, "new words;", clause_version(proposal, a))
    assert refused.value.status == 409 and "restore it" in refused.value.message
    assert Proposal.objects.get(pk=proposal.pk).version == version_before
    assert draft_of(proposal).find(a).suppressed


@pytest.mark.parametrize(
    "change, said",
    [
        ("suppress and restore", "restored this clause"),
        ("label", "changed this clause's label"),
        ("back to base", "changed this clause back to the base text"),
        ("text", "changed this clause after you opened it"),
    ],
)
def test_every_kind_of_change_since_the_box_opened_is_a_conflict_that_says_what(world, change, said):
    proposal, a, delegate = world["proposal"], world["a"], world["delegate"]
    base_text = draft_of(proposal).find(a).text
    if change == "back to base":
        modify_clause(delegate, proposal, a, "a first change;", 0)
    opened = clause_version(proposal, a)
    if change == "suppress and restore":
        suppress_clause(delegate, proposal, a)
        restore_clause(delegate, proposal, a)
    elif change == "label":
        modify_clause(delegate, proposal, a, None, opened, label="abis)")
    elif change == "back to base":
        modify_clause(delegate, proposal, a, base_text, opened)
    else:
        modify_clause(delegate, proposal, a, "their words;", opened)
    with pytest.raises(StaleEdit) as refused:
        modify_clause(world["coordinator"], proposal, a, "my words;", opened)
    assert said in refused.value.message
    assert "my words;" not in [v["text"] for v in clause_history(proposal, a)]


def test_a_save_of_an_addition_removed_since_is_a_conflict_not_a_404(world):
    proposal, a, delegate = world["proposal"], world["a"], world["delegate"]
    added = add_clause(delegate, proposal, a, "after", text="a new consideration;")
    key = str(added.added.key)
    opened = clause_version(proposal, key)
    suppress_clause(delegate, proposal, key)  # removes the addition
    with pytest.raises(StaleEdit) as refused:
        modify_clause(world["coordinator"], proposal, key, "my better consideration;", opened)
    assert "removed this clause" in refused.value.message


def test_the_editor_keeps_the_words_after_a_suppression_and_says_what_happened(world):
    proposal, a = world["proposal"], world["a"]
    coordinator = Client()
    coordinator.force_login(world["coordinator"])
    box = coordinator.get(f"/proposals/{proposal.pk}/clauses/{a}/edit/", **HX).content.decode()
    assert 'name="version" value="0"' in box
    suppress_clause(world["delegate"], proposal, a)
    response = coordinator.post(
        f"/proposals/{proposal.pk}/clauses/{a}/edit/",
        {"text": "the coordinator's careful words;", "version": 0, "opened": "x"},
        **HX,
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "suppressed this clause after you opened it" in page
    assert "the coordinator&#x27;s careful words;" in page and "<textarea" in page


def test_the_editor_keeps_the_words_of_a_clause_removed_meanwhile(world):
    proposal, a, delegate = world["proposal"], world["a"], world["delegate"]
    key = str(add_clause(delegate, proposal, a, "after", text="a new consideration;").added.key)
    coordinator = Client()
    coordinator.force_login(world["coordinator"])
    coordinator.get(f"/proposals/{proposal.pk}/clauses/{key}/edit/", **HX)
    suppress_clause(delegate, proposal, key)
    response = coordinator.post(
        f"/proposals/{proposal.pk}/clauses/{key}/edit/", {"text": "my wording of it;", "version": 1}, **HX
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "removed this clause" in page and "my wording of it;" in page and f'id="c-{key}"' in page


def test_a_text_put_on_a_suppressed_clause_is_a_409_that_changes_nothing(world):
    proposal, a, delegate = world["proposal"], world["a"], world["delegate"]
    suppress_clause(delegate, proposal, a)
    client = Client()
    client.force_login(delegate)
    read = client.get(f"/api/proposals/{proposal.pk}").json()
    clause = next(c for c in read["clauses"] if c["key"] == a)
    assert clause["status"] == "suppressed"
    response = client.put(
        f"/api/proposals/{proposal.pk}/clauses/{a}",
        {"text": "words nobody would see;", "version": clause["version"]},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "suppressed" in response.json()["detail"]
    assert client.get(f"/api/proposals/{proposal.pk}").json()["version"] == read["version"]
    # From a version read before the suppression: 409 too, saying who suppressed it.
    response = client.put(
        f"/api/proposals/{proposal.pk}/clauses/{a}",
        {"text": "words;", "version": clause["version"] - 1},
        content_type="application/json",
    )
    assert response.status_code == 409 and "suppressed this clause" in response.json()["detail"]


def test_a_clause_inside_a_suppressed_clause_takes_no_text_and_no_addition(world):
    proposal, keys, delegate = world["proposal"], world["keys"], world["delegate"]
    e, e_ii = keys["considering-e"], keys["considering-e-ii"]
    suppress_clause(delegate, proposal, e)
    with pytest.raises(StaleEdit) as refused:
        modify_clause(delegate, proposal, e_ii, "changed inside;", clause_version(proposal, e_ii))
    assert "inside a suppressed clause" in refused.value.message
    for anchor, position in ((e, "first_child"), (e_ii, "after")):
        with pytest.raises(DraftingProblem) as nowhere:
            add_clause(delegate, proposal, anchor, position, text="unseen;")
        assert nowhere.value.status == 409
    # After the suppressed one, beside it, an item can go (a replacement, say).
    add_clause(delegate, proposal, e, "after", text="a replacement for e);")


def test_suppressing_a_suppressed_clause_is_refused(world):
    proposal, a, delegate = world["proposal"], world["a"], world["delegate"]
    suppress_clause(delegate, proposal, a)
    with pytest.raises(DraftingProblem) as again:
        suppress_clause(world["coordinator"], proposal, a)
    assert again.value.status == 409 and "already suppressed" in again.value.message


def test_restoring_a_version_from_a_panel_opened_before_a_change_is_a_conflict(world):
    proposal, a, delegate = world["proposal"], world["a"], world["delegate"]
    first = modify_clause(delegate, proposal, a, "first;", 0)
    client = Client()
    client.force_login(world["coordinator"])
    panel = client.get(f"/proposals/{proposal.pk}/clauses/{a}/panel/", **HX).content.decode()
    assert f'name="version" value="{first.version}"' in panel
    suppress_clause(delegate, proposal, a)
    response = client.post(
        f"/proposals/{proposal.pk}/clauses/{a}/restore-version/", {"index": 0, "version": first.version}, **HX
    )
    assert response.status_code == 409 and "suppressed this clause" in response.content.decode()
    assert _modify_amendments(proposal, a).get().text == "first;"


def test_replacing_from_a_preview_older_than_a_change_replaces_nothing(world):
    proposal, delegate = world["proposal"], world["delegate"]
    found = preview_replace(proposal, "WSIS", "WSIS+20")
    seen = {r.key: clause_version(proposal, r.key) for r in found}
    first = found[0].key
    modify_clause(world["coordinator"], proposal, first, found[0].before.replace("WSIS", "W.S.I.S."), 0)
    with pytest.raises(DraftingProblem) as refused:
        apply_replace(delegate, proposal, "WSIS", "WSIS+20", seen=seen)
    assert refused.value.status == 409 and "Preview again" in refused.value.message
    assert Amendment.objects.filter(proposal=proposal).count() == 1


def test_the_replace_preview_carries_the_versions_it_showed(world):
    import re

    proposal, delegate = world["proposal"], world["delegate"]
    client = Client()
    client.force_login(delegate)
    url = f"/proposals/{proposal.pk}/replace/"
    preview = client.post(url, {"find": "WSIS", "replace": "WSIS+20"}, **HX).content.decode()
    seen = re.findall(r'name="seen" value="([^"]+)"', preview)
    matches = re.findall(r'name="match" value="([^"]+)"', preview)
    assert seen and matches
    first = seen[0].split(":")[0]
    modify_clause(world["coordinator"], proposal, first, "that text, reworded by the coordinator;", 0)
    form = {
        "find": "WSIS",
        "replace": "WSIS+20",
        "previewed": "1",
        "apply": "1",
        "seen": seen,
        "match": matches,
    }
    response = client.post(url, form, **HX)
    assert response.status_code == 409 and "Preview again" in response.content.decode()
    assert Amendment.objects.filter(proposal=proposal).count() == 1


def test_a_suppress_refused_from_a_stale_page_leaves_the_draft_in_place_and_says_why(world):
    """The page still showed Suppress: the refusal swaps nothing (HX-Reswap none) and is said in the
    live region (draft-error), where before its words replaced the whole draft on the page."""
    proposal, a = world["proposal"], world["a"]
    suppress_clause(world["delegate"], proposal, a)
    client = Client()
    client.force_login(world["coordinator"])
    response = client.post(f"/proposals/{proposal.pk}/clauses/{a}/suppress/", **HX)
    assert response.status_code == 409
    assert response["HX-Reswap"] == "none"
    assert "already suppressed" in response["HX-Trigger"]
