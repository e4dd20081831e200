"""An open editor told of a new version gets the clauses it changed, not the whole draft: the saved clause,
those it relabels or repunctuates, the changes list and the citations; merged, that is the whole draft."""

from __future__ import annotations

import re

import lxml.html
import pytest
from django.core.cache import cache
from django.test import Client

from drafting import live
from drafting.live.wsgi import LiveChannelApp
from drafting.models import Body, Proposal
from drafting.models.library import front_key
from drafting.models.people import DELEGATES
from drafting.services.amendments import (
    add_clause,
    add_comment,
    apply_replace,
    modify_clause,
    restore_clause,
    suppress_clause,
)
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    amina = person("amina", DELEGATES, atu)
    keys = clause_keys(edition)
    return proposal, amina, keys


def _fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_related("contribution").get(pk=proposal.pk)


def copy(proposal: Proposal, since: int | None = None) -> str:
    """The live copy an editor gets at the current version: whole, or changed since ``since``."""
    version = _fresh(proposal).version
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    query = {"v": version, "c": live_pass} | ({} if since is None else {"from": since})
    response = Client().get(f"/live/proposals/{proposal.pk}/draft", query, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def clauses(whole: str) -> list[tuple[str, bytes]]:
    """(id, markup) of each clause of a whole draft, in reading order."""
    draft = lxml.html.fragment_fromstring(whole, create_parent="div").get_element_by_id("draft")
    return [
        (node.get("id"), lxml.html.tostring(node, with_tail=False))
        for node in draft
        if "clause" in node.get("class", "").split()
    ]


def side(html: str) -> dict[str, bytes]:
    """The changes list and the citations panel of a copy, whole or delta."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return {
        name: b"".join(lxml.html.tostring(child) for child in root.get_element_by_id(name))
        for name in ("change-list", "citation-warnings")
    }


def parse_delta(html: str):
    root = lxml.html.fragment_fromstring(html, create_parent="div").get_element_by_id("draft-delta")
    rows = [
        (wrap.get("data-after"), wrap.find_class("clause")[0]) for wrap in root.find_class("delta-clause")
    ]
    removed = [n.get("data-keys").split() for n in root.find_class("delta-removed")]
    return root, rows, (removed[0] if removed else [])


def merged(before: list[tuple[str, bytes]], html: str) -> list[tuple[str, bytes]]:
    """What editor.js makes of a page with these clauses and this delta."""
    root, rows, removed = parse_delta(html)
    page = [c for c in before if c[0].removeprefix("c-") not in removed]
    for after, node in rows:
        fresh = (node.get("id"), lxml.html.tostring(node, with_tail=False))
        ids = [i for i, _ in page]
        if fresh[0] in ids:
            page[ids.index(fresh[0])] = fresh
        else:
            page.insert(ids.index(f"c-{after}") + 1 if after else 0, fresh)
    assert len(page) == int(root.get("data-count"))
    return page


def sent_keys(html: str) -> list[str]:
    return [node.get("id").removeprefix("c-") for _, node in parse_delta(html)[1]]


def considering(keys: dict[str, str], start: str) -> list[str]:
    items = [a for a in keys if re.fullmatch(r"considering-[a-z]", a)]
    return [keys[a] for a in items[items.index(f"considering-{start}") :]]


def test_a_save_sends_the_saved_clause_and_is_a_fraction_of_the_draft(world):
    proposal, amina, keys = world
    before = copy(proposal)
    since = _fresh(proposal).version
    modify_clause(amina, proposal, keys["considering-a"], "the outcomes of WSIS+20;", expected_version=0)
    delta, whole = copy(proposal, since), copy(proposal)
    assert delta.lstrip().startswith('<div id="draft-delta"')
    assert sent_keys(delta) == [keys["considering-a"]]
    # The words as they read once the marks are left out (what was taken out, and the tags).
    assert "the outcomes of WSIS+20" in re.sub(r"<del>.*?</del>|<[^>]+>", "", delta) and "modified" in delta
    assert len(delta.encode()) * 20 < len(whole.encode())
    assert merged(clauses(before), delta) == clauses(whole)
    assert side(delta) == side(whole)


def test_an_addition_sends_the_new_item_where_it_goes_and_the_items_it_relabels(world):
    proposal, amina, keys = world
    before = copy(proposal)
    since = _fresh(proposal).version
    add_clause(amina, proposal, keys["considering-b"], "after", text="a new consideration;")
    delta, whole = copy(proposal, since), copy(proposal)
    _, rows, removed = parse_delta(delta)
    new = next(
        node.get("id").removeprefix("c-") for _, node in rows if node.get("id")[2:] not in keys.values()
    )
    assert rows[0] == (keys["considering-b"], rows[0][1]) and rows[0][1].get("id") == f"c-{new}"
    # The items after it took new labels (c) is d) now ...): each is sent, and nothing before it.
    assert sent_keys(delta) == [new, *considering(keys, "c")]
    assert removed == []
    assert merged(clauses(before), delta) == clauses(whole)
    assert side(delta) == side(whole)


def test_an_item_added_after_the_last_of_a_part_repunctuates_the_old_last(world):
    proposal, amina, keys = world
    last = considering(keys, "a")[-1]
    before = copy(proposal)
    since = _fresh(proposal).version
    add_clause(amina, proposal, last, "after", text="one more consideration")
    delta = copy(proposal, since)
    # The old last item's final comma becomes a semicolon: it is sent with the new item.
    assert sent_keys(delta)[0] == last and len(sent_keys(delta)) == 2
    assert merged(clauses(before), delta) == clauses(copy(proposal))


@pytest.mark.parametrize(
    "change",
    ["suppress", "restore", "remove an addition", "heading", "comment", "replace", "two saves"],
)
def test_each_kind_of_change_merged_from_its_delta_is_the_whole_draft(world, change):
    proposal, amina, keys = world
    if change == "restore":
        suppress_clause(amina, proposal, keys["considering-c"])
    if change == "remove an addition":
        add_clause(amina, proposal, keys["considering-b"], "after", text="to be taken out;")
    before = copy(proposal)
    since = _fresh(proposal).version
    if change == "suppress":
        suppress_clause(amina, proposal, keys["considering-c"])
    elif change == "restore":
        restore_clause(amina, proposal, keys["considering-c"])
    elif change == "remove an addition":
        title = front_key(proposal.base_edition.resolution_id, "title")  # a clause of the draft too
        added = next(k for k, _ in clauses(before) if k[2:] not in {*keys.values(), title})[2:]
        suppress_clause(amina, proposal, added)
    elif change == "heading":
        modify_clause(amina, proposal, keys["recognizing"], "recalling", expected_version=0)
    elif change == "comment":
        add_comment(amina, proposal, keys["considering-d"], "Shall we say more?")
    elif change == "replace":
        assert apply_replace(amina, proposal, "Busan, 2014", "Busan, 2018") >= 5
    elif change == "two saves":
        # An editor that missed a version still gets only what changed since its own.
        modify_clause(amina, proposal, keys["considering-a"], "first;", expected_version=0)
        modify_clause(amina, proposal, keys["considering-e"], "second;", expected_version=0)
    delta = copy(proposal, since)
    assert 'id="draft-delta"' in delta, "a small change is sent as a delta"
    whole = copy(proposal)
    assert merged(clauses(before), delta) == clauses(whole)
    assert side(delta) == side(whole)
    if change == "remove an addition":
        assert parse_delta(delta)[2] == [added]
    if change == "two saves":
        assert set(sent_keys(delta)) == {keys["considering-a"], keys["considering-e"]}


def test_without_the_stamps_of_the_editors_version_the_whole_draft_is_sent(world):
    proposal, amina, keys = world
    copy(proposal)
    since = _fresh(proposal).version
    modify_clause(amina, proposal, keys["considering-a"], "a new text;", expected_version=0)
    cache.clear()  # evicted, or kept by another process
    assert copy(proposal, since).lstrip().startswith('<div id="draft"')
    # A version the editor cannot have (newer than the draft's) and nonsense get the whole draft too.
    assert 'id="draft"' in copy(proposal, 10**6)
    assert 'id="draft"' in copy(proposal, "x")


def test_an_edition_imported_in_between_sends_the_whole_draft(world):
    from drafting.demo.load import SEEDS
    from drafting.services.library import import_text

    proposal, amina, keys = world
    copy(proposal)
    since = _fresh(proposal).version
    # The citations of any clause may now link to the new edition.
    Body.objects.get_or_create(code="Council", defaults={"name": "Council"})
    import_text(
        (SEEDS / "council-res1332.txt").read_text(encoding="utf-8"), body_code="Council", number="1332"
    )
    modify_clause(amina, proposal, keys["considering-a"], "a new text;", expected_version=0)
    assert copy(proposal, since).lstrip().startswith('<div id="draft"')


def test_a_change_too_large_for_a_delta_gets_the_whole_draft(world, monkeypatch):
    from drafting.live import draft_delta
    from drafting.views.amendments import proposal_editor_context

    proposal, amina, keys = world
    copy(proposal)
    since = _fresh(proposal).version
    add_clause(amina, proposal, keys["considering-a"], "before", text="a first consideration;")
    current = _fresh(proposal)
    context = proposal_editor_context(current, True)

    def changed():
        return draft_delta.delta(
            proposal.pk, since, current.version, True, context["rows"], context["clause_stamps"]
        )

    # The new item and the eight considering items it relabels.
    assert len(changed().rows) == 9
    monkeypatch.setattr(draft_delta, "MAX_CHANGED", 8)
    assert changed() is None


def test_a_save_committed_while_a_version_was_built_leaves_no_stamps_for_it(world, monkeypatch):
    from drafting.live import draft_delta

    proposal, amina, keys = world
    saved = []
    real = draft_delta.remember

    def racing(pk, version, can_edit, rows, stamps):
        # Another delegate's save lands between reading the amendments and keeping their stamps.
        if not saved:
            saved.append(modify_clause(amina, _fresh(proposal), keys["considering-a"], "racing;", 0))
        real(pk, version, can_edit, rows, stamps)

    monkeypatch.setattr(draft_delta, "remember", racing)
    copy(proposal)
    monkeypatch.setattr(draft_delta, "remember", real)
    assert cache.get(f"live:stamps:{proposal.pk}:0:1") is None


def test_the_delta_is_rendered_once_then_served_in_front_of_django(world, django_assert_num_queries):
    proposal, amina, keys = world
    copy(proposal)
    since = _fresh(proposal).version
    modify_clause(amina, proposal, keys["considering-a"], "the cached text;", expected_version=0)
    first = copy(proposal, since)
    version = _fresh(proposal).version
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)

    def django_app(environ, start_response):  # pragma: no cover - must not be reached
        raise AssertionError("a cached delta went through Django")

    seen = {}
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": f"/live/proposals/{proposal.pk}/draft",
        "QUERY_STRING": f"v={version}&from={since}&c={live_pass}",
    }
    with django_assert_num_queries(0):
        body = b"".join(LiveChannelApp(django_app)(environ, lambda s, h: seen.update(status=s)))
    assert seen["status"].startswith("200") and body.decode() == first
    # The whole copy of the same version is a copy of its own.
    environ["QUERY_STRING"] = f"v={version}&c={live_pass}"
    with pytest.raises(AssertionError, match="through Django"):
        b"".join(LiveChannelApp(django_app)(environ, lambda s, h: None))
