"""The proposal editor through HTTP: permissions, in-place saves, conflicts, polling, find and replace."""

from __future__ import annotations

import pytest
from django.test import Client

from drafting.models import Amendment, Clause
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    people = {
        "delegate": person("atu-d", DELEGATES, atu),
        "delegate2": person("atu-d2", DELEGATES, atu),
        "coordinator": person("atu-c", COORDINATORS, atu),
        "other_group": person("citel-d", DELEGATES, group("CITEL", "IAP")),
        "secretariat": person("sec", SECRETARIAT),
        "observer": person("obs", OBSERVERS),
    }
    return edition, proposal, people


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def key(edition, anchor):
    return str(Clause.objects.get(edition=edition, anchor=anchor).provision.key)


def edit_url(proposal, k):
    return f"/proposals/{proposal.pk}/clauses/{k}/edit/"


@pytest.mark.parametrize(
    ("who", "status"),
    [("delegate", 200), ("coordinator", 200), ("other_group", 404), ("secretariat", 404), ("observer", 404)],
)
def test_a_draft_is_visible_only_to_its_group(world, who, status):
    _, proposal, people = world
    assert login(people[who]).get(f"/proposals/{proposal.pk}/").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(world):
    _, proposal, _ = world
    response = Client().get(f"/proposals/{proposal.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_delegate_edits_a_clause_in_place_and_sees_the_marks(world):
    edition, proposal, people = world
    client = login(people["delegate"])
    k = key(edition, "considering-a")
    form = client.get(edit_url(proposal, k), **HX)
    assert form.status_code == 200
    assert b"<textarea" in form.content
    assert b'name="version" value="0"' in form.content
    saved = client.post(edit_url(proposal, k), {"text": "the relevant outcomes of WSIS;", "version": 0}, **HX)
    assert saved.status_code == 200
    html = saved.content.decode()
    assert f'id="c-{k}"' in html
    assert "<del>both phases of the World Summit" in html
    assert "draft-saved" in saved["HX-Trigger"]
    assert Amendment.objects.get().text == "the relevant outcomes of WSIS;"


def test_a_stale_save_gets_409_with_both_texts(world):
    edition, proposal, people = world
    k = key(edition, "considering-a")
    login(people["delegate2"]).post(edit_url(proposal, k), {"text": "their text;", "version": 0}, **HX)
    response = login(people["delegate"]).post(edit_url(proposal, k), {"text": "my text;", "version": 0}, **HX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "their text;" in html and "my text;" in html
    assert "Use their text" in html
    assert Amendment.objects.get().text == "their text;"


def test_people_without_the_right_cannot_save(world):
    edition, proposal, people = world
    k = key(edition, "considering-a")
    response = login(people["observer"]).post(edit_url(proposal, k), {"text": "x;", "version": 0}, **HX)
    assert response.status_code == 404
    assert not Amendment.objects.exists()


def test_a_post_without_csrf_token_is_refused(world):
    edition, proposal, people = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["delegate"])
    k = key(edition, "considering-a")
    assert client.post(edit_url(proposal, k), {"text": "x;", "version": 0}).status_code == 403
    assert not Amendment.objects.exists()


def test_empty_text_is_a_400_and_nothing_is_saved(world):
    edition, proposal, people = world
    k = key(edition, "considering-a")
    response = login(people["delegate"]).post(edit_url(proposal, k), {"text": "  ", "version": 0}, **HX)
    assert response.status_code == 400
    assert "cannot be empty" in response.content.decode()
    assert not Amendment.objects.exists()


def test_adding_an_item_relabels_the_following_items(world):
    edition, proposal, people = world
    k = key(edition, "considering-a")
    response = login(people["delegate"]).post(
        f"/proposals/{proposal.pk}/clauses/{k}/add/", {"position": "after", "text": "a new item"}, **HX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>b)" in html and "<ins>c)" in html


def test_suppress_and_restore(world):
    edition, proposal, people = world
    client = login(people["delegate"])
    k = key(edition, "considering-b")
    html = client.post(f"/proposals/{proposal.pk}/clauses/{k}/suppress/", **HX).content.decode()
    assert "Restore" in html
    assert client.post(f"/proposals/{proposal.pk}/clauses/{k}/restore/", **HX).status_code == 200
    assert not Amendment.objects.exists()
    again = client.post(f"/proposals/{proposal.pk}/clauses/{k}/restore/", **HX)
    assert again.status_code == 409


def test_polling_answers_204_until_something_changes(world):
    edition, proposal, people = world
    client = login(people["delegate"])
    proposal.refresh_from_db()
    url = f"/proposals/{proposal.pk}/changes/?since={proposal.version}"
    assert client.get(url, **HX).status_code == 204
    login(people["delegate2"]).post(
        edit_url(proposal, key(edition, "considering-a")),
        {"text": "changed by someone else;", "version": 0},
        **HX,
    )
    fresh = client.get(url, **HX)
    assert fresh.status_code == 200
    assert "changed by someone else" in fresh.content.decode()


def test_find_and_replace_previews_then_creates_one_amendment_per_clause(world):
    edition, proposal, people = world
    client = login(people["delegate"])
    url = f"/proposals/{proposal.pk}/replace/"
    preview = client.post(url, {"find": "WG-WSIS", "replace": "CWG-WSIS&SDG"}, **HX)
    assert preview.status_code == 200
    assert not Amendment.objects.exists()
    touched = Clause.objects.filter(edition=edition, text__contains="WG‑WSIS").count()
    assert touched >= 3
    assert f"in {touched} clauses" in preview.content.decode()
    applied = client.post(url, {"find": "WG-WSIS", "replace": "CWG-WSIS&SDG", "apply": "1"}, **HX)
    assert applied.status_code == 200
    # Swapped in place: the fresh draft, and the box saying what was done.
    assert applied["HX-Retarget"] == "#draft"
    assert f"in {touched} clauses." in applied.content.decode()
    assert Amendment.objects.filter(action="modify").count() == touched


def test_the_editor_page_loads_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    edition, proposal, people = world
    client = login(people["delegate"])
    with django_assert_max_num_queries(20):
        assert client.get(f"/proposals/{proposal.pk}/").status_code == 200


def test_the_editor_costs_the_same_queries_with_one_amendment_or_thirty(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from drafting.services.amendments import add_clause, modify_clause

    edition, proposal, people = world
    client = login(people["delegate"])
    items = list(
        Clause.objects.filter(edition=edition, kind="item").select_related("provision").order_by("position")
    )
    modify_clause(people["delegate"], proposal, str(items[0].provision.key), "changed;", 0)

    def count() -> int:
        from drafting import caching

        caching.clear_all()  # both requests read the library and the edition, as a fresh worker does
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/proposals/{proposal.pk}/").status_code == 200
        return len(captured)

    one = count()
    for item in items[1:20]:
        modify_clause(people["delegate"], proposal, str(item.provision.key), item.text + " (changed)", 0)
    for item in items[20:30]:
        add_clause(people["delegate"], proposal, str(item.provision.key), "after", text="a new item")
    assert proposal.amendments.count() == 30
    assert count() == one


def test_a_save_builds_the_editor_s_state_once_for_the_new_version_and_a_stale_one_for_the_current(
    world, monkeypatch
):
    """A save in a worker that has not built the version the delegate opened does not build it:
    the answer is the new version, built once. A stale save builds the current one for its box."""
    from django.core.cache import cache

    from drafting import caching
    from drafting.views import amendments

    def forget() -> None:  # as a worker process that has not built any version yet
        cache.clear()
        caching.editor_contexts.clear()

    edition, proposal, people = world
    built = []
    build = amendments._build_editor_context
    monkeypatch.setattr(
        amendments, "_build_editor_context", lambda p, can_edit: built.append(p.version) or build(p, can_edit)
    )
    client = login(people["delegate"])
    k = key(edition, "considering-a")
    forget()
    saved = client.post(edit_url(proposal, k), {"text": "new words;", "version": 0}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "new words" in saved.content.decode()
    proposal.refresh_from_db()
    assert built == [proposal.version]
    built.clear()
    forget()
    stale = client.post(edit_url(proposal, k), {"text": "older words;", "version": 0}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "new words" in stale.content.decode()
    assert built == [proposal.version]
    assert Amendment.objects.get(proposal=proposal, target__key=k).text == "new words;"
