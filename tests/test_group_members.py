"""Coordinators manage their group's members; the secretariat manages every group; every change is recorded."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from drafting.models import MembershipChange
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT
from drafting.services import DomainError
from drafting.services.groups import add_member, make_coordinator, make_delegate, remove_member
from tests.drafting_factories import group, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def atu():
    return group("ATU")


@pytest.fixture
def coordinator(atu):
    return person("atu-c", COORDINATORS, atu)


def roles(user) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def test_an_existing_account_joins_the_group_by_its_address(atu, coordinator):
    reader = person("reader", OBSERVERS)
    reader.email = "reader@example.org"
    reader.save()
    user, created = add_member(coordinator, atu, "Reader@Example.org")
    assert (user, created) == (reader, False)
    assert atu.members.filter(pk=reader.pk).exists()
    assert roles(reader) == {DELEGATES}
    change = MembershipChange.objects.get(member=reader)
    assert (change.action, change.actor, change.via) == ("added", coordinator, "group page")
    assert not mail.outbox


def test_a_new_address_gets_an_account_and_an_invitation(
    atu, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user, created = add_member(coordinator, atu, "new.person@example.org", "New Person", coordinator=True)
    assert created and user.get_full_name() == "New Person" and not user.has_usable_password()
    assert roles(user) == {COORDINATORS}
    assert [c.action for c in MembershipChange.objects.filter(member=user).order_by("id")] == [
        "invited",
        "made coordinator",
    ]
    (message,) = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert re.search(r"/accounts/invitation/\S+/\S+/", message.body)


def test_removing_a_member_leaves_them_reading_as_an_observer(atu, coordinator):
    delegate = person("atu-d", DELEGATES, atu)
    remove_member(coordinator, atu, delegate.pk)
    assert not atu.members.filter(pk=delegate.pk).exists()
    assert roles(delegate) == {OBSERVERS}
    assert MembershipChange.objects.get(member=delegate).action == "removed"
    # Still an account: nothing is deleted.
    assert User.objects.filter(pk=delegate.pk, is_active=True).exists()


def test_a_member_of_two_groups_removed_from_one_stays_a_delegate_of_the_other(atu, coordinator):
    asmg = group("ASMG", "ARB")
    both = person("both", DELEGATES, atu)
    asmg.members.add(both)
    remove_member(coordinator, atu, both.pk)
    assert roles(both) == {DELEGATES}


def test_a_delegate_made_coordinator_and_back(atu, coordinator):
    delegate = person("atu-d", DELEGATES, atu)
    make_coordinator(coordinator, atu, delegate.pk)
    assert roles(delegate) == {COORDINATORS}
    make_delegate(coordinator, atu, delegate.pk)
    assert roles(delegate) == {DELEGATES}
    assert [c.action for c in MembershipChange.objects.filter(member=delegate).order_by("id")] == [
        "made coordinator",
        "made delegate",
    ]


@pytest.mark.parametrize(
    "doing, message",
    [
        (lambda c, g, m, s: add_member(c, g, "not-an-address"), "is not an e-mail address"),
        (lambda c, g, m, s: add_member(c, g, "d@example.org"), "already a member"),
        (lambda c, g, m, s: add_member(c, g, "sec@itu.int"), "secretariat account"),
        (lambda c, g, m, s: remove_member(c, g, c.pk), "cannot remove yourself"),
        (lambda c, g, m, s: make_delegate(c, g, c.pk), "cannot step down yourself"),
        (lambda c, g, m, s: make_coordinator(c, g, c.pk), "already a coordinator"),
        (lambda c, g, m, s: make_delegate(c, g, m.pk), "a delegate already"),
        (lambda c, g, m, s: remove_member(c, g, s.pk), "not a member"),
    ],
)
def test_what_cannot_be_done_says_why_and_changes_nothing(atu, coordinator, doing, message):
    member = person("d", DELEGATES, atu)
    member.email = "d@example.org"
    member.save()
    officer = person("sec", SECRETARIAT)
    officer.email = "sec@itu.int"
    officer.save()
    before = (MembershipChange.objects.count(), list(atu.members.order_by("pk").values_list("pk", flat=True)))
    with pytest.raises(DomainError) as refused:
        doing(coordinator, atu, member, officer)
    assert message in refused.value.message
    assert before == (
        MembershipChange.objects.count(),
        list(atu.members.order_by("pk").values_list("pk", flat=True)),
    )


def test_a_coordinator_of_one_group_can_never_touch_another(atu, coordinator):
    citel = group("CITEL", "IAP")
    theirs = person("citel-d", DELEGATES, citel)
    for doing in (
        lambda: add_member(coordinator, citel, "someone@example.org"),
        lambda: remove_member(coordinator, citel, theirs.pk),
        lambda: make_coordinator(coordinator, citel, theirs.pk),
        lambda: make_delegate(coordinator, citel, theirs.pk),
    ):
        with pytest.raises(DomainError) as refused:
            doing()
        assert refused.value.status == 403
    assert list(citel.members.all()) == [theirs] and roles(theirs) == {DELEGATES}
    assert not MembershipChange.objects.exists()
    assert not User.objects.filter(email="someone@example.org").exists()


def test_the_secretariat_manages_every_group(atu):
    officer = person("sec", SECRETARIAT)
    delegate = person("atu-d", DELEGATES, atu)
    make_coordinator(officer, atu, delegate.pk)
    assert roles(delegate) == {COORDINATORS}
    assert MembershipChange.objects.get().actor == officer


def test_the_group_page_lists_members_adds_one_and_shows_the_log(atu, coordinator):
    person("atu-d", DELEGATES, atu)
    client = Client()
    client.force_login(coordinator)
    assert client.get("/groups/")["Location"] == "/groups/ATU/"
    page = client.get("/groups/ATU/").content.decode()
    assert "2 members" in page and "Add a member" in page and "Make coordinator" in page
    answer = client.post(
        "/groups/ATU/", {"action": "add", "email": "fresh@example.org", "name": "Fresh Face"}, follow=True
    )
    assert "Fresh Face was invited to ATU" in answer.content.decode()
    assert "3 members" in answer.content.decode()
    log = answer.content.decode().split("Changes to the group")[1]
    assert "Fresh Face invited" in log and "atu-c" in log
    bad = client.post("/groups/ATU/", {"action": "add", "email": "nope"})
    assert bad.status_code == 400 and "valid email" in bad.content.decode()


def test_a_delegate_sees_the_members_but_cannot_change_them(atu, coordinator):
    delegate = person("atu-d", DELEGATES, atu)
    client = Client()
    client.force_login(delegate)
    page = client.get("/groups/ATU/").content.decode()
    assert "2 members" in page and "Add a member" not in page and "Make coordinator" not in page
    assert client.post("/groups/ATU/", {"action": "remove", "member": coordinator.pk}).status_code == 403
    assert atu.members.count() == 2


def test_the_secretariat_sees_every_group(atu):
    group("CITEL", "IAP")
    client = Client()
    client.force_login(person("sec", SECRETARIAT))
    page = client.get("/groups/").content.decode()
    assert "/groups/ATU/" in page and "/groups/CITEL/" in page


def test_without_an_email_server_the_page_says_no_invitation_went_out(atu, coordinator, settings):
    settings.SEND_EMAIL = False
    client = Client()
    client.force_login(coordinator)
    answer = client.post(
        "/groups/ATU/", {"action": "add", "email": "quiet@example.org", "name": "Quiet"}, follow=True
    )
    assert "This installation sends no e-mail" in answer.content.decode()
    assert not mail.outbox
