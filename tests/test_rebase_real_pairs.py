"""Other real pairs of editions, and real-shaped group proposals carried from the older to the newer.

PP Res. 179 (Busan 2014 -> Dubai 2018), WTSA Res. 76 and Res. 35 (Hammamet 2016 -> Geneva 2022), from
``drafting/demo/seeds/editions/``, with a group's proposal on each older edition
(``drafting/demo/pairs.py``): each change's fate and what some clauses must read after the rebase were
written by reading the two editions. The engine is checked on every pair in both directions of
import; then each pair goes the whole way through the library and the JSON API: both editions
imported (one of them the older after the newer), compared on the compare page, the proposal entered
clause by clause, previewed and carried over.
"""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from drafting.demo import pairs
from drafting.demo.editions import keyed
from drafting.engine import rebase as carry
from drafting.engine.amend import ADD, MODIFY, SUPPRESS, apply_amendments
from drafting.engine.anchors import assign_anchors
from drafting.engine.match import _words, carry_keys
from drafting.engine.parse import parse_resolution
from drafting.engine.tree import ResolutionText

IDS = [p.number for p in pairs.PAIRS]
_KEYED: dict[str, tuple] = {}


def _keyed(pair: pairs.RealPair) -> tuple[ResolutionText, ResolutionText, dict[str, str]]:
    """The older edition keyed by its anchors, the newer keyed as importing it after the older does,
    and the newer edition's anchors to its keys."""
    if pair.number not in _KEYED:
        old = keyed(parse_resolution(pair.old_text()))
        new = parse_resolution(pair.new_text())
        anchors = assign_anchors(new)
        carry_keys(old, new)
        for clause, _ in new.walk():
            clause.key = clause.key or "new:" + anchors[id(clause)]
        _KEYED[pair.number] = (old, new, {anchors[id(c)]: c.key for c, _ in new.walk()})
    return copy.deepcopy(_KEYED[pair.number])


def _parents(text: str) -> dict[str, str]:
    """Each clause's anchor -> its parent's anchor ("" at the top)."""
    tree = parse_resolution(text)
    anchors = assign_anchors(tree)
    parents = {anchors[id(c)]: "" for c in tree.clauses}
    for clause, _ in tree.walk():
        for child in clause.children:
            parents[anchors[id(child)]] = anchors[id(clause)]
    return parents


def _expected(change: pairs.Change) -> tuple[str, ...]:
    return change.expect if isinstance(change.expect, tuple) else (change.expect,)


def _doubled(before: list[ResolutionText], after: ResolutionText) -> set[str]:
    """Wordings the rebased draft has more often than either text it came from."""

    def counts(text: ResolutionText) -> dict[str, int]:
        found: dict[str, int] = {}
        for clause, _ in text.walk():
            words = " ".join(_words(clause.text or clause.heading))
            found[words] = found.get(words, 0) + 1
        return found

    sources = [counts(t) for t in before]
    return {w for w, n in counts(after).items() if w and n > 1 and n > max(s.get(w, 0) for s in sources)}


@pytest.mark.parametrize("pair", pairs.PAIRS, ids=IDS)
def test_each_change_of_a_real_proposal_ends_as_a_reader_says(pair):
    old, new, by_anchor = _keyed(pair)
    amendments = pair.amendments()
    assert apply_amendments(old, amendments).problems == []
    result = carry.rebase(old, new, amendments)
    fates = {
        (c.action, c.at, c.text[:40]): change.state
        for c, change in zip(pair.proposal, result.changes, strict=True)
        if change.state not in _expected(c)
    }
    assert fates == {}
    for change in result.changes:
        # Nothing dropped but what the newer edition already says; every conflict with its wordings.
        assert (change.amendment is None) == (change.state == carry.ALREADY)
        if change.state == carry.CONFLICT:
            assert change.base or change.edition
            assert change.proposal or change.original.action == SUPPRESS
            if change.amendment.action in (MODIFY, ADD) and change.proposal:
                # The group's wording whole, never blended with the edition's neighbouring changes.
                wording = change.amendment.text or change.amendment.heading
                assert carry.same_words(wording, change.proposal)
    draft = apply_amendments(new, result.amendments)
    assert draft.problems == []
    found = {c.key: c for c, _ in draft.walk() if not c.suppressed}
    wrong = {}
    for anchor, (label, text) in pair.after.items():
        clause = found.get(by_anchor.get(anchor, anchor))
        got = (clause.label, clause.text) if clause is not None else None
        if got is None or got[0] != label or (text is not None and got[1] != text):
            wrong[anchor] = got
    assert wrong == {}
    proposed = apply_amendments(old, amendments).proposed_text()
    assert _doubled([proposed, new], draft.proposed_text()) == set()
    # The resolution's one full stop closes its last part; every other item ends with ";" or ",".
    text = draft.proposed_text()
    leaves = [c for p in text.parts for c, _ in p.walk(0) if c.kind == "item" and not c.children]
    assert [c.text[-1] for c in leaves[:-1] if c.text.endswith(".")] == []
    assert leaves[-1].text.endswith(".")


@pytest.mark.parametrize("pair", pairs.PAIRS, ids=IDS)
def test_a_proposal_carried_onto_its_own_base_is_unchanged(pair):
    old, _, _ = _keyed(pair)
    amendments = pair.amendments()
    result = carry.rebase(old, copy.deepcopy(old), amendments)
    assert [c.state for c in result.changes] == [carry.CLEAN] * len(amendments)
    assert result.amendments == amendments


@pytest.mark.parametrize("pair", pairs.PAIRS, ids=IDS)
def test_the_newer_edition_carries_the_proposal_already_when_it_adopted_it(pair):
    """The edition adopted exactly what the group proposed: every change is already there."""
    old, _, _ = _keyed(pair)
    amendments = pair.amendments()
    added = {a.key for a in amendments if a.action == ADD}
    adopted = apply_amendments(old, amendments).proposed_text()
    for clause, _ in adopted.walk():
        if clause.key in added:
            clause.key = "adopted-" + clause.key
    result = carry.rebase(old, adopted, amendments)
    assert {c.state for c in result.changes} == {carry.ALREADY}
    assert apply_amendments(adopted, result.amendments).proposed_text().shape() == adopted.shape()


# --- the library, the compare page and the API --------------------------------------------------

pytestmark_db = pytest.mark.django_db


def _api(client: Client, method: str, url: str, body: dict | None = None):
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")
    assert response.status_code in (200, 201), (url, response.status_code, response.content[:400])
    return response.json()


def _delegate(group_code: str) -> User:
    from drafting.models import RegionalGroup
    from drafting.models.people import DELEGATES

    group, _ = RegionalGroup.objects.get_or_create(
        code=group_code, defaults={"name": group_code, "region": "", "proposal_prefix": group_code}
    )
    user = User.objects.create_user(f"{group_code.lower()}-delegate", f"{group_code.lower()}@example.org")
    user.groups.add(Group.objects.get(name=DELEGATES))
    group.members.add(user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pair, older_after_newer",
    [(pairs.RES179, True), (pairs.RES76, False), (pairs.RES35, True)],
    ids=["179-older-after-newer", "76-in-order", "35-older-after-newer"],
)
def test_a_real_proposal_entered_through_the_api_and_carried_onto_the_newer_edition(pair, older_after_newer):
    from drafting.models import Body, Conference, Edition, Proposal
    from drafting.services.library import import_text

    texts = [pair.old_text(), pair.new_text()]
    summaries = [
        import_text(t, body_code=pair.body, number=pair.number)
        for t in (reversed(texts) if older_after_newer else texts)
    ]
    old_edition, new_edition = sorted((s.edition for s in summaries), key=lambda e: e.year)
    old_anchor = {c.anchor: str(c.provision.key) for c in old_edition.clauses.select_related("provision")}
    new_anchor = {c.anchor: str(c.provision.key) for c in new_edition.clauses.select_related("provision")}
    # The provisions the two editions share are the pairs of the key written by reading.
    key = {}
    for line in (pairs.EDITIONS.parent.parent.parent.parent / "scripts" / "identity" / pair.key_file).open():
        if line.strip() and not line.startswith("#"):
            before, after = (s.strip() for s in line.split("->"))
            key[before] = None if after == "-" else after
    shared = {a: b for a, b in key.items() if b is not None}
    assert {a: b for a, b in shared.items() if old_anchor[a] != new_anchor[b]} == {}
    alone = {a for a, b in key.items() if b is None}
    assert {a for a in alone if old_anchor[a] in new_anchor.values()} == set()

    # The compare page: what the key leaves without partner on either side is removed or added, and
    # each clause the key moves to another part or list is one row "moved from" where it stood.
    old_parent, new_parent = _parents(pair.old_text()), _parents(pair.new_text())
    moved = sum(
        1 for a, b in shared.items() if (old_parent[a] and shared.get(old_parent[a])) != new_parent[b]
    )
    added = len(set(new_anchor) - set(shared.values()))
    client = Client()
    url = f"/resolutions/{pair.body.lower()}/{pair.number}/compare/?old={old_edition.slug}&new={new_edition.slug}"
    html = client.get(url).content.decode().replace("\u00a0", " ")
    assert f"{len(alone)} removed" in html and f"{added} added" in html
    assert html.count('<p class="moved-from">') == moved

    delegate = _delegate(pair.group)
    Conference.objects.create(
        code=f"C-{pair.number}", body=Body.objects.get(code=pair.body), place="Geneva", year=new_edition.year
    )
    client.force_login(delegate)
    contribution = _api(
        client,
        "post",
        "/api/contributions",
        {"conference": f"C-{pair.number}", "group": pair.group, "document_number": "7", "title": pair.name},
    )
    summary = _api(
        client,
        "post",
        f"/api/contributions/{contribution['id']}/proposals",
        {"action": "MOD", "body": pair.body, "number": pair.number, "edition": old_edition.slug},
    )
    pk = summary["id"]
    keys = dict(old_anchor)
    for change in pair.proposal:
        target = keys[change.at]
        if change.action == MODIFY:
            _api(client, "put", f"/api/proposals/{pk}/clauses/{target}", {"text": change.text, "version": 0})
        elif change.action == ADD:
            before = {c["key"] for c in _api(client, "get", f"/api/proposals/{pk}")["clauses"]}
            after = _api(
                client,
                "post",
                f"/api/proposals/{pk}/clauses/{target}/additions",
                {
                    "position": change.position,
                    "kind": change.kind,
                    "text": "" if change.kind == "part" else change.text,
                    "heading": change.text if change.kind == "part" else "",
                    "numbering": change.numbering or "renumber",
                },
            )
            (keys[change.key],) = {c["key"] for c in after["clauses"]} - before
        else:
            _api(client, "post", f"/api/proposals/{pk}/clauses/{target}/suppression")
    proposal = Proposal.objects.get(pk=pk)
    assert proposal.amendments.count() == len(pair.proposal)

    preview = _api(client, "get", f"/api/proposals/{pk}/rebase")
    assert preview["onto"]["slug"] == new_edition.slug
    assert len(preview["changes"]) == len(pair.proposal)
    # The changes in the order they were made, each with its fate.
    assert [c["action"] for c in preview["changes"]] == [c.action for c in pair.proposal]
    wrong = {
        (change.action, change.at): got["state"]
        for change, got in zip(pair.proposal, preview["changes"], strict=True)
        if got["state"] not in _expected(change)
    }
    assert wrong == {}
    for c in preview["changes"]:
        if c["state"] == "conflict":
            assert (c["base"] or c["edition"]) and (c["proposal"] or c["action"] == "suppress")

    result = _api(
        client,
        "post",
        f"/api/proposals/{pk}/rebase",
        {"edition": f"{pair.body}/{pair.number}/{new_edition.slug}", "version": proposal.version},
    )
    assert result["applied"] and result["base_edition"]["slug"] == new_edition.slug
    proposal.refresh_from_db()
    assert proposal.base_edition == new_edition
    assert proposal.amendments.count() == len(pair.proposal) - result["counts"].get("already", 0)
    draft = _api(client, "get", f"/api/proposals/{pk}")
    assert draft["problems"] == []
    live = {c["key"]: c for c in draft["clauses"] if c["status"] != "suppressed"}
    wrong = {}
    for anchor, (label, text) in pair.after.items():
        clause = live.get(new_anchor.get(anchor) or keys.get(anchor))
        got = (clause["label"], clause["text"]) if clause else None
        if got is None or got[0] != label or (text is not None and got[1] != text):
            wrong[anchor] = got
    assert wrong == {}
    conflicts = result["counts"].get("conflict", 0)
    assert len(_api(client, "get", f"/api/proposals/{pk}/rebase")["to_settle"]) == conflicts
    assert Edition.objects.get(pk=new_edition.pk).clause_count == len(new_anchor)
