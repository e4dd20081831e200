"""A clause's history, restoring an earlier version, and the group's comment thread."""

from __future__ import annotations

import html as html_module

import pytest
from django.test import Client

from drafting.models import Amendment, Clause, ClauseComment
from drafting.models.people import DELEGATES, OBSERVERS
from drafting.services.amendments import add_comment, clause_history, modify_clause, suppress_clause
from drafting.services.contributions import DraftingProblem
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    key = str(Clause.objects.get(edition=edition, anchor="considering-a").provision.key)
    return proposal, key, person("amina", DELEGATES, atu), person("kwame", DELEGATES, atu)


def test_the_history_lists_every_version_with_who_saved_it(world):
    proposal, key, amina, kwame = world
    a = modify_clause(amina, proposal, key, "first;", 0)
    modify_clause(kwame, proposal, key, "second;", a.version)
    history = clause_history(proposal, key)
    assert [(v["what"], v["text"], v["who"]) for v in history] == [
        (
            "base text",
            "the relevant outcomes of both phases of the World Summit on the Information Society (WSIS);",
            "",
        ),
        ("edited", "first;", "amina"),
        ("edited", "second;", "kwame"),
    ]


def test_suppression_and_restoring_show_in_the_history(world):
    proposal, key, amina, _ = world
    suppress_clause(amina, proposal, key)
    Amendment.objects.filter(action="suppress").delete()
    assert [v["what"] for v in clause_history(proposal, key)] == ["base text", "suppressed", "restored"]


def test_an_earlier_version_is_restored_as_a_new_version(world):
    proposal, key, amina, kwame = world
    a = modify_clause(amina, proposal, key, "first;", 0)
    modify_clause(kwame, proposal, key, "second;", a.version)
    client = Client()
    client.force_login(amina)
    response = client.post(f"/proposals/{proposal.pk}/clauses/{key}/restore-version/", {"index": 1}, **HX)
    # Answered in place: the clause with its restored text and its history still open, listing it.
    assert response.status_code == 200 and "HX-Redirect" not in response
    page = response.content.decode()
    assert f'id="c-{key}"' in page and "first;" in page
    assert "The earlier version is back" in response["HX-Trigger"]  # said at once, not on the next page
    assert Amendment.objects.get().text == "first;"
    assert [v["text"] for v in clause_history(proposal, key)][-3:] == ["first;", "second;", "first;"]
    # Restoring the base text removes the change altogether.
    client.post(f"/proposals/{proposal.pk}/clauses/{key}/restore-version/", {"index": 0}, **HX)
    assert not Amendment.objects.exists()


def test_comments_belong_to_the_group(world):
    proposal, key, amina, kwame = world
    add_comment(amina, proposal, key, "Should we cite A/78/L.49 here?")
    client = Client()
    client.force_login(kwame)
    html = client.post(
        f"/proposals/{proposal.pk}/clauses/{key}/panel/", {"text": "Yes, in a new item."}, **HX
    ).content.decode()
    assert "Should we cite A/78/L.49 here?" in html and "Yes, in a new item." in html
    editor = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "History & comments (2)" in html_module.unescape(editor)  # the words, however the page escapes "&"
    outsider = person("obs", OBSERVERS)
    with pytest.raises(DraftingProblem):
        add_comment(outsider, proposal, key, "hello")
    client.force_login(outsider)
    assert client.get(f"/proposals/{proposal.pk}/clauses/{key}/panel/").status_code == 404
    assert ClauseComment.objects.count() == 2


def test_an_empty_comment_is_refused(world):
    proposal, key, amina, _ = world
    client = Client()
    client.force_login(amina)
    response = client.post(f"/proposals/{proposal.pk}/clauses/{key}/panel/", {"text": "  "}, **HX)
    assert response.status_code == 400
    assert "Write something" in response.content.decode()
    assert not ClauseComment.objects.exists()
