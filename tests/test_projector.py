"""The projector: who follows the room's screen and who drives it, what a point sends on the draft's live
channel, and what is refused (nothing sent), on the demo's consolidation of Res. 75 and its proposals."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting import live
from drafting.models import Clause, Consolidation, LiveEvent, Proposal
from drafting.services.projector import (
    KIND,
    MAX_TEXT,
    ProjectorProblem,
    consolidation_room,
    point,
    pointed,
    proposal_room,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_db, django_capture_on_commit_callbacks):
    consolidation = Consolidation.objects.get(resolution__number="75")
    atu = Proposal.objects.get(contribution__group__code="ATU", resolution__number="75")
    rcc = Proposal.objects.get(contribution__group__code="RCC")
    return consolidation, atu, rcc


def client_of(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def a_clause(proposal_or_consolidation, n: int = 5) -> str:
    edition = proposal_or_consolidation.base_edition
    return str(Clause.objects.filter(edition=edition, kind="item").order_by("position")[n].provision.key)


def events(channel: str) -> list[dict]:
    return [e["data"] for e in live.events_after(channel, 0) if e["kind"] == KIND]


# Who may follow (GET the screen) and who may drive (POST a point), by role; "login" is the login page.
CONSOLIDATION = {
    None: ("login", "login"),
    "secretariat": (200, 204),
    "atu-delegate": (200, 403),
    "citel-coordinator": (200, 403),
    "observer": (200, 403),
}
ATU_SUBMITTED = {
    "atu-delegate": (200, 204),
    "atu-coordinator": (200, 204),
    "citel-delegate": (200, 403),
    "secretariat": (200, 403),
    "observer": (200, 403),
}
RCC_DRAFT = {
    "rcc-delegate": (200, 204),
    "rcc-coordinator": (200, 204),
    "atu-delegate": (404, 404),
    "secretariat": (404, 404),
    "observer": (404, 404),
}


def statuses(client: Client, screen: str, point_url: str, key: str) -> tuple:
    page = client.get(screen)
    sent = client.post(point_url, {"key": key})
    as_seen = []
    for response in (page, sent):
        if response.status_code == 302 and "/accounts/login/" in response["Location"]:
            as_seen.append("login")
        else:
            as_seen.append(response.status_code)
    return tuple(as_seen)


def test_whoever_reads_the_draft_follows_and_only_its_drivers_drive(demo, django_capture_on_commit_callbacks):
    consolidation, atu, rcc = demo
    cases = [
        (CONSOLIDATION, f"/consolidations/{consolidation.pk}/projector/", consolidation),
        (ATU_SUBMITTED, f"/proposals/{atu.pk}/projector/", atu),
        (RCC_DRAFT, f"/proposals/{rcc.pk}/projector/", rcc),
    ]
    for matrix, screen, target in cases:
        key = a_clause(target)
        channel = (
            live.consolidation_channel(target.pk)
            if isinstance(target, Consolidation)
            else live.proposal_channel(target.pk)
        )
        for who, expected in matrix.items():
            before = len(events(channel))
            with django_capture_on_commit_callbacks(execute=True):
                seen = statuses(client_of(who), screen, f"{screen}point", key)
            assert seen == expected, (screen, who, seen)
            sent = len(events(channel)) - before
            assert sent == (1 if expected[1] == 204 else 0), (screen, who, "events sent")


def test_a_point_names_the_clause_and_the_screen_opened_later_starts_there(
    demo, django_capture_on_commit_callbacks
):
    consolidation, _, _ = demo
    officer = User.objects.get(username="secretariat")
    room = consolidation_room(officer, consolidation)
    first, second = a_clause(consolidation, 3), a_clause(consolidation, 9)
    with django_capture_on_commit_callbacks(execute=True):
        point(officer, room, first)
        point(officer, room, second.upper())  # a key as typed in any case
    sent = events(room.channel)
    assert [e["key"] for e in sent] == [first, second]
    assert sent[-1]["by"] == "Secretariat Officer" and "typing" not in sent[-1]
    assert pointed(room) == {"key": second, "by": "Secretariat Officer"}
    page = client_of("atu-delegate").get(f"/consolidations/{consolidation.pk}/projector/").content.decode()
    assert f'data-pointed="{second}"' in page
    assert f'id="c-{second}"' in page  # the draft is on the screen, its clauses addressable
    assert "WTSA-24" in page and "Resolution 75" in page
    # Read-only: nothing on the screen edits or settles.
    assert "<form" not in page and "hx-post" not in page and "textarea" not in page


def test_the_words_typed_travel_while_they_fit_and_a_longer_text_says_it_is_being_edited(
    demo, django_capture_on_commit_callbacks
):
    _, _, rcc = demo
    delegate = User.objects.get(username="rcc-delegate")
    room = proposal_room(delegate, rcc)
    key = a_clause(rcc, 2)
    long_text = "«Слово» " * 200  # Cyrillic: six bytes a letter in the event's JSON
    with django_capture_on_commit_callbacks(execute=True):
        point(delegate, room, key, "to continue ITU-T's work on the new text;")
        point(delegate, room, key, long_text)
    short, long = events(room.channel)[-2:]
    assert short["typing"] and short["text"] == "to continue ITU-T's work on the new text;"
    assert long["typing"] and "text" not in long
    assert all(len(json.dumps(e)) <= 2000 for e in (short, long))
    # The screen opened later shows the saved text: no typed words in where it starts.
    assert pointed(room) == {"key": key, "by": delegate.get_full_name()}


@pytest.mark.parametrize(
    "key, text, status, words",
    [
        ("", None, 400, "Name a clause"),
        ("not-a-key", None, 400, "Name a clause"),
        ("00000000-0000-0000-0000-000000000000", None, 404, "not in the draft"),
        ("<clause>", "x" * (MAX_TEXT + 1), 400, "at most 120,000 characters"),
        ("<clause>", "a NUL\x00 in the text", 400, "Remove it"),
    ],
)
def test_a_bad_point_is_refused_with_the_reason_and_sends_nothing(
    demo, django_capture_on_commit_callbacks, key, text, status, words
):
    consolidation, _, _ = demo
    officer = User.objects.get(username="secretariat")
    room = consolidation_room(officer, consolidation)
    key = a_clause(consolidation) if key == "<clause>" else key
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ProjectorProblem, match=words) as refused:
            point(officer, room, key, text)
        data = {"key": key} if text is None else {"key": key, "text": text}
        response = client_of("secretariat").post(f"/consolidations/{consolidation.pk}/projector/point", data)
    assert refused.value.status == status and response.status_code == status
    # A NUL is refused at the door, before the view, with the same advice.
    said = (
        response.json()["detail"]
        if response["Content-Type"] == "application/json"
        else response.content.decode()
    )
    assert words in said
    assert events(room.channel) == []


def test_a_clause_of_another_draft_is_not_in_this_one(demo, django_capture_on_commit_callbacks):
    consolidation, _, rcc = demo
    officer = User.objects.get(username="secretariat")
    room = consolidation_room(officer, consolidation)
    with pytest.raises(ProjectorProblem, match="not in the draft"):
        point(officer, room, a_clause(rcc))  # a clause of WTDC Res. 30, not of WTSA Res. 75


def test_an_adopted_consolidation_is_followed_but_not_driven(demo):
    consolidation, _, _ = demo
    Consolidation.objects.filter(pk=consolidation.pk).update(status=Consolidation.ADOPTED)
    consolidation.refresh_from_db()
    assert not consolidation_room(User.objects.get(username="secretariat"), consolidation).can_drive


def test_the_screen_fetches_the_new_draft_after_a_settlement(demo, django_capture_on_commit_callbacks):
    consolidation, _, _ = demo
    client = client_of("observer")
    fragment = client.get(f"/consolidations/{consolidation.pk}/projector/?fragment=draft")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.lstrip().startswith('<article class="resolution compare" lang="en" id="consolidated-draft">')
    assert LiveEvent.objects.filter(kind=KIND).count() == 0


def test_the_pages_offer_the_room_to_readers_and_the_switch_to_drivers(demo):
    consolidation, atu, rcc = demo
    for who, url, drives in [
        ("secretariat", f"/consolidations/{consolidation.pk}/", True),
        ("secretariat", f"/consolidations/{consolidation.pk}/draft/", True),
        ("observer", f"/consolidations/{consolidation.pk}/draft/", False),
        ("rcc-delegate", f"/proposals/{rcc.pk}/", True),
        ("citel-delegate", f"/proposals/{atu.pk}/", False),
    ]:
        page = client_of(who).get(url).content.decode()
        assert ("Drive the projector" in page) == drives, (who, url)
        assert "/projector/" in page, (who, url)


def test_a_proposal_without_a_draft_to_show_sends_back_with_the_reason(demo):
    _, atu, _ = demo
    Proposal.objects.filter(pk=atu.pk).update(action=Proposal.NOC)
    client = client_of("atu-delegate")
    response = client.get(f"/proposals/{atu.pk}/projector/", follow=True)
    assert response.status_code == 200
    assert "Only a proposal that modifies a resolution has a draft to show." in response.content.decode()
    refused = client.post(f"/proposals/{atu.pk}/projector/point", {"key": a_clause(atu)})
    assert refused.status_code == 400 and "modifies a resolution" in refused.json()["detail"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=3000))
def test_any_text_typed_is_sent_within_an_event_or_refused_with_a_reason(demo, text):
    # Whatever is typed (any script, any length up to a long clause): the event stays small enough for
    # the live channel, or the point is refused with the reason; never anything else.
    consolidation, _, _ = demo
    officer = User.objects.get(username="secretariat")
    room = consolidation_room(officer, consolidation)
    try:
        event = point(officer, room, a_clause(consolidation), text)
    except ProjectorProblem as problem:
        assert problem.status == 400 and "Remove it" in problem.message
        return
    assert len(json.dumps(event)) <= 2000
    assert event["typing"] and event.get("text", text) in (
        text,
        text.replace("\r\n", "\n").replace("\r", "\n"),
    )
