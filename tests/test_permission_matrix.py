"""Who may do what, every role against every drafting action, through the web endpoints."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from drafting.models import Clause
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT
from drafting.services.contributions import submit_contribution
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = [pytest.mark.django_db, pytest.mark.http_surface]  # once: tests/conftest.py, shares
HX = {"HTTP_HX_REQUEST": "true"}
ROLES = ["delegate", "coordinator", "other_delegate", "secretariat", "observer", "anonymous"]

# Expected status per role, in the order of ROLES. 404 hides a draft from those who may not see it;
# 302 sends a visitor to log in.
DRAFT = {
    "read the editor": ("get", "/proposals/{p}/", None, [200, 200, 404, 404, 404, 302]),
    "open a clause": ("get", "/proposals/{p}/clauses/{k}/edit/", None, [200, 200, 404, 404, 404, 302]),
    "save a clause": (
        "post",
        "/proposals/{p}/clauses/{k}/edit/",
        {"text": "x;", "version": 0},
        [200, 200, 404, 404, 404, 302],
    ),
    "add a clause": (
        "post",
        "/proposals/{p}/clauses/{k}/add/",
        {"position": "after", "text": "y"},
        [200, 200, 404, 404, 404, 302],
    ),
    "suppress a clause": (
        "post",
        "/proposals/{p}/clauses/{k2}/suppress/",
        {},
        [200, 200, 404, 404, 404, 302],
    ),
    "comment": (
        "post",
        "/proposals/{p}/clauses/{k}/panel/",
        {"text": "a remark"},
        [200, 200, 404, 404, 404, 302],
    ),
    "read the contribution": ("get", "/contributions/{c}/", None, [200, 200, 404, 404, 404, 302]),
}
SUBMITTED = {
    "read the editor": ("get", "/proposals/{p}/", None, [200, 200, 200, 200, 200, 302]),
    "open a clause": ("get", "/proposals/{p}/clauses/{k}/edit/", None, [409, 409, 403, 403, 403, 302]),
    "save a clause": (
        "post",
        "/proposals/{p}/clauses/{k}/edit/",
        {"text": "x;", "version": 0},
        [409, 409, 403, 403, 403, 302],
    ),
    "suppress a clause": ("post", "/proposals/{p}/clauses/{k}/suppress/", {}, [409, 409, 403, 403, 403, 302]),
    "withdraw": ("post", "/contributions/{c}/withdraw/", {}, [302, 302, 302, 302, 302, 302]),
    # Frozen means frozen: the group's comment threads close with the submission (README).
    "comment": (
        "post",
        "/proposals/{p}/clauses/{k}/panel/",
        {"text": "a remark"},
        [409, 409, 403, 403, 403, 302],
    ),
}
# Withdrawn: as frozen as submitted; its group still reads it.
WITHDRAWN = {
    "read the editor": ("get", "/proposals/{p}/", None, [200, 200, 200, 200, 200, 302]),
    "save a clause": (
        "post",
        "/proposals/{p}/clauses/{k}/edit/",
        {"text": "x;", "version": 0},
        [409, 409, 403, 403, 403, 302],
    ),
    "comment": (
        "post",
        "/proposals/{p}/clauses/{k}/panel/",
        {"text": "a remark"},
        [409, 409, 403, 403, 403, 302],
    ),
}


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    people = {
        "delegate": person("atu-d", DELEGATES, atu),
        "coordinator": person("atu-c", COORDINATORS, atu),
        "other_delegate": person("citel-d", DELEGATES, group("CITEL", "IAP")),
        "secretariat": person("sec", SECRETARIAT),
        "observer": person("obs", OBSERVERS),
    }
    keys = {
        "k": str(Clause.objects.get(edition=edition, anchor="considering-a").provision.key),
        "k2": str(Clause.objects.get(edition=edition, anchor="considering-b").provision.key),
    }
    return proposal, people, keys


@contextmanager
def undone():
    """What the requests inside do is rolled back after them (a savepoint), and the caches that saw it
    are emptied: each role meets the world as it was built, which is built once for all the roles (a
    world is a resolution imported: built per role, it was most of the suite's time for this file)."""
    from django.core.cache import cache

    from drafting import caching
    from drafting.live import access

    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        cache.clear()
        caching.clear_all()
        access.forget()


def each_role(roles, expected, request) -> None:
    """Runs ``request(role)`` for each role in its own savepoint and fails naming every role whose
    answer is not the one expected (``request`` may assert more on what its request did)."""
    wrong = []
    for role, status in zip(roles, expected, strict=True):
        with undone():
            got = request(role)
        if got != status:
            wrong.append(f"{role}: {got}, expected {status}")
    assert not wrong, wrong


def client_for(people, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def run(action, proposal, people, keys, role):
    method, url, data, _ = action
    url = url.format(p=proposal.pk, c=proposal.contribution.pk, **keys)
    client = client_for(people, role)
    return getattr(client, method)(url, data, **HX) if data is not None else client.get(url, **HX)


@pytest.mark.parametrize("name", list(DRAFT))
def test_on_a_draft(world, name):
    proposal, people, keys = world
    each_role(ROLES, DRAFT[name][3], lambda role: run(DRAFT[name], proposal, people, keys, role).status_code)


@pytest.mark.parametrize("name", list(SUBMITTED))
def test_on_a_submitted_contribution(world, name):
    proposal, people, keys = world
    submit_contribution(people["coordinator"], proposal.contribution)

    def request(role):
        response = run(SUBMITTED[name], proposal, people, keys, role)
        proposal.contribution.refresh_from_db()
        if name == "withdraw":
            # Everyone is sent back to the page, but only the coordinator's request withdraws it.
            assert proposal.contribution.status == ("withdrawn" if role == "coordinator" else "submitted"), (
                role
            )
        return response.status_code

    each_role(ROLES, SUBMITTED[name][3], request)


@pytest.mark.parametrize("name", list(WITHDRAWN))
def test_on_a_withdrawn_contribution(world, name):
    from drafting.models import ClauseComment
    from drafting.services.contributions import withdraw_contribution

    proposal, people, keys = world
    submit_contribution(people["coordinator"], proposal.contribution)
    withdraw_contribution(people["coordinator"], proposal.contribution)
    version = proposal.contribution.proposals.get().version

    def request(role):
        response = run(WITHDRAWN[name], proposal, people, keys, role)
        assert not ClauseComment.objects.exists(), role
        assert proposal.contribution.proposals.get().version == version, role
        return response.status_code

    each_role(ROLES, WITHDRAWN[name][3], request)


def test_a_refused_comment_on_a_frozen_contribution_leaves_no_trace(world):
    from drafting.models import ClauseComment

    proposal, people, keys = world
    submit_contribution(people["coordinator"], proposal.contribution)
    version = proposal.contribution.proposals.get().version
    response = run(SUBMITTED["comment"], proposal, people, keys, "delegate")
    assert response.status_code == 409 and "frozen" in response.content.decode()
    assert not ClauseComment.objects.exists()
    assert proposal.contribution.proposals.get().version == version


def test_only_the_coordinator_submits(world):
    proposal, people, _ = world
    for role in ("delegate", "other_delegate", "secretariat", "observer"):
        client_for(people, role).post(f"/contributions/{proposal.contribution.pk}/submit/")
        proposal.contribution.refresh_from_db()
        assert proposal.contribution.status == "draft", role
    client_for(people, "coordinator").post(f"/contributions/{proposal.contribution.pk}/submit/")
    proposal.contribution.refresh_from_db()
    assert proposal.contribution.status == "submitted"


# --- A regional group's members (issue 19): a coordinator of one group can never touch another's ---

GROUP_ROLES = [*ROLES[:3], "other_coordinator", *ROLES[3:]]
# Expected status per role, in the order of GROUP_ROLES, on ATU's group page. A change that is
# allowed redirects back to the page (302); a visitor is sent to log in (302, and nothing changes).
GROUP_PAGE = {
    "see the members": ("get", "/groups/ATU/", None, [200, 200, 403, 403, 200, 403, 302]),
    "add a member": (
        "post",
        "/groups/ATU/",
        {"action": "add", "email": "newcomer@example.org"},
        [403, 302, 403, 403, 302, 403, 302],
    ),
    "remove a member": (
        "post",
        "/groups/ATU/",
        {"action": "remove", "member": "{m}"},
        [403, 302, 403, 403, 302, 403, 302],
    ),
    "make a coordinator": (
        "post",
        "/groups/ATU/",
        {"action": "coordinator", "member": "{m}"},
        [403, 302, 403, 403, 302, 403, 302],
    ),
    "make a delegate": (
        "post",
        "/groups/ATU/",
        {"action": "delegate", "member": "{m2}"},
        [403, 302, 403, 403, 302, 403, 302],
    ),
    "read the registration list": ("get", "/people/registration/", None, [403, 403, 403, 403, 200, 403, 302]),
}


@pytest.mark.parametrize("name", list(GROUP_PAGE))
def test_on_a_groups_members(world, name):
    from drafting.models import MembershipChange

    _, people, _ = world
    atu = group("ATU")
    people["other_coordinator"] = person("citel-c", COORDINATORS, group("CITEL", "IAP"))
    member = person("atu-extra", DELEGATES, atu)
    second = person("atu-c2", COORDINATORS, atu)
    method, url, data, expected = GROUP_PAGE[name]

    def request(role):
        client = client_for(people, role)
        if data is None:
            response = client.get(url)
        else:
            values = {k: str(v).format(m=member.pk, m2=second.pk) for k, v in data.items()}
            response = getattr(client, method)(url, values)
        changed = MembershipChange.objects.exists()
        assert changed == (method == "post" and role in {"coordinator", "secretariat"}), role
        if role == "other_coordinator" and method == "post":
            # Never a change to another group's members, nor an account made for it.
            assert set(atu.members.values_list("username", flat=True)) == {
                "atu-d",
                "atu-c",
                "atu-extra",
                "atu-c2",
            }
            assert not User.objects.filter(email="newcomer@example.org").exists()
        return response.status_code

    each_role(GROUP_ROLES, expected, request)


# The consolidation of the submitted proposal: settling, one row or many at once, is the secretariat's;
# every logged-in reader sees the consolidation. An action is undone by its author only.
CONSOLIDATION = {
    "read the synoptic view": ("get", "/consolidations/{k}/", None, [200, 200, 200, 200, 200, 302]),
    "preview a bulk settlement": (
        "get",
        "/consolidations/{k}/settle-many/?rule=one-group:ATU",
        None,
        [403, 403, 403, 200, 403, 302],
    ),
    "settle many": (
        "post",
        "/consolidations/{k}/settle-many/",
        {"rule": "one-group:ATU", "version": "{v}"},
        [403, 403, 403, 302, 403, 302],
    ),
    "settle one": (
        "post",
        "/consolidations/{k}/settle/",
        {"key": "{row}", "choice": "base", "version": 0},
        [403, 403, 403, 200, 403, 302],
    ),
    "undo the secretariat's settlement": ("post", "/undo/{u}/", {}, [403, 403, 403, 200, 403, 302]),
}


@pytest.fixture
def consolidation_world(world):
    from drafting.services.amendments import modify_clause
    from drafting.services.consolidation import open_consolidation, settle_clause

    proposal, people, keys = world
    modify_clause(people["delegate"], proposal, keys["k"], "the outcomes of WSIS;", 0)
    modify_clause(people["delegate"], proposal, keys["k2"], "the outcomes of WSIS+20;", 0)
    submit_contribution(people["coordinator"], proposal.contribution)
    consolidation = open_consolidation(
        people["secretariat"], proposal.contribution.conference, proposal.resolution, proposal.base_edition
    )
    settled = settle_clause(people["secretariat"], consolidation, keys["k"], "base")
    return consolidation, people, keys, settled


@pytest.mark.parametrize("name", list(CONSOLIDATION))
def test_on_a_consolidation(consolidation_world, name):
    from drafting.models import Consolidation, Decision

    consolidation, people, keys, settled = consolidation_world
    method, url, data, expected = CONSOLIDATION[name]
    values = {
        "k": consolidation.pk,
        "v": Consolidation.objects.get(pk=consolidation.pk).version,
        "row": keys["k2"],
        "u": settled.undo.pk,
    }
    before = sorted(Decision.objects.values_list("key", "version"))
    url = url.format(**values)

    def request(role):
        client = client_for(people, role)
        if data is None:
            response = client.get(url, **HX)
        else:
            response = getattr(client, method)(
                url, {k: str(v).format(**values) for k, v in data.items()}, **HX
            )
        if role != "secretariat":
            assert sorted(Decision.objects.values_list("key", "version")) == before, role
        return response.status_code

    each_role(ROLES, expected, request)
