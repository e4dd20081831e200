"""Notifications: each event told to those concerned, in the app (the bell) and by e-mail, with one-click unsubscribe."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drafting import live
from drafting.models import Body, Conference, DraftVisit, JobMark, Notification, Profile, Registration
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT, profile_of
from drafting.services.amendments import add_comment, modify_clause
from drafting.services.contributions import submit_contribution, withdraw_contribution
from drafting.services.notifications import (
    fan_out,
    remind_deadlines,
    run_due,
    send_digests,
    send_quiet,
    summarise_draft_changes,
)
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db


def named(username: str, role: str, regional_group=None, *, email: str = "", choice: str = "") -> User:
    user = person(username, role, regional_group)
    user.first_name = username.replace("-", " ").title()
    user.email = email or f"{username}@example.org"
    user.save()
    if choice:
        profile = profile_of(user)
        profile.email_notifications = choice
        profile.save()
    return user


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    people = {
        "amina": named("amina", DELEGATES, atu),
        "chen": named("chen", COORDINATORS, atu),
        "dora": named("dora", DELEGATES, atu, choice=Profile.DAILY),
        "omar": named("omar", DELEGATES, atu, choice=Profile.OFF),
        "carlos": named("carlos", DELEGATES, group("CITEL", "IAP")),
        "olivia": named("olivia", OBSERVERS),
    }
    return proposal, people, clause_keys(edition)


def told(user, kind: str | None = None) -> list[Notification]:
    found = Notification.objects.filter(user=user)
    return list(found.filter(kind=kind) if kind else found)


def mailed_to(message) -> str:
    return message.to[0].split("@")[0]


def test_a_submitted_contribution_is_told_to_the_groups_members_in_the_app_and_by_mail(
    world, django_capture_on_commit_callbacks
):
    proposal, people, _ = world
    with django_capture_on_commit_callbacks(execute=True):
        submit_contribution(people["chen"], proposal.contribution)
    for name in ("amina", "dora", "omar"):
        (n,) = told(people[name], Notification.SUBMITTED)
        assert n.title == "ATU's Addendum 18 to Document 35 was submitted to WTSA-24 by Chen"
        assert n.url == proposal.contribution.get_absolute_url()
    assert not told(people["chen"]) and not told(people["carlos"]) and not told(people["olivia"])
    # At once by e-mail to those who want it so; the digest's and the never's later or not at all.
    assert sorted(mailed_to(m) for m in mail.outbox) == ["amina"]
    (message,) = mail.outbox
    assert message.subject == "ATU's Addendum 18 to Document 35 was submitted to WTSA-24 by Chen"
    assert "http://127.0.0.1:8000/contributions/" in message.body
    assert re.fullmatch(
        r"<http://127\.0\.0\.1:8000/notifications/unsubscribe/[^>]+/>",
        message.extra_headers["List-Unsubscribe"],
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get(user=people["amina"]).emailed_at is not None
    assert Notification.objects.get(user=people["dora"]).emailed_at is None


def test_a_withdrawn_contribution_is_told_too(world, django_capture_on_commit_callbacks):
    proposal, people, _ = world
    with django_capture_on_commit_callbacks(execute=True):
        submit_contribution(people["chen"], proposal.contribution)
        withdraw_contribution(people["chen"], proposal.contribution)
    (n,) = told(people["amina"], Notification.WITHDRAWN)
    assert "was withdrawn from WTSA-24 by Chen" in n.title
    assert [m.subject for m in mail.outbox if mailed_to(m) == "amina"][-1] == n.title


def test_a_comment_in_a_thread_you_wrote_in_is_a_reply_to_you(world, django_capture_on_commit_callbacks):
    proposal, people, keys = world
    a, b = keys["considering-a"], keys["considering-b"]
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(people["amina"], proposal, a, "Should we cite Res. 1332 here?")
    assert not Notification.objects.exists()  # the first word in a thread answers no one
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(people["chen"], proposal, a, "Yes, in its 2016 version.")
        add_comment(people["chen"], proposal, b, "Another clause: no one to answer.")
    (n,) = told(people["amina"], Notification.REPLY)
    assert n.title == f"Chen answered in a thread you wrote in, on {proposal.label}"
    assert n.body == "Yes, in its 2016 version."
    assert not told(people["chen"])
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(people["dora"], proposal, a, "Agreed.")
    assert len(told(people["amina"], Notification.REPLY)) == 2
    assert len(told(people["chen"], Notification.REPLY)) == 1
    assert not told(people["dora"])
    assert [mailed_to(m) for m in mail.outbox] == ["amina", "amina", "chen"]


def _clock_back(minutes: int) -> None:
    JobMark.objects.update_or_create(
        name="draft-changes", defaults={"at": timezone.now() - timedelta(minutes=minutes)}
    )


def test_draft_changes_while_you_were_away_are_summarised_not_one_per_save(world):
    proposal, people, keys = world
    _clock_back(5)
    for anchor in ("considering-a", "considering-b", "considering-c"):
        modify_clause(people["amina"], proposal, keys[anchor], f"New text of {anchor};", expected_version=0)
    assert summarise_draft_changes() == 3  # chen, dora, omar, and not amina who made them all
    (n,) = told(people["chen"], Notification.DRAFT_CHANGED)
    assert n.title == "3 changes to ATU's draft Addendum 18 to Document 35 since you last opened it"
    assert n.body == f"By Amina, in {proposal.label}."
    assert not told(people["amina"]) and not told(people["carlos"])
    # Nothing new: nothing told.
    assert summarise_draft_changes() == 0
    # More changes, by someone else: the same notification grows instead of a second one.
    modify_clause(people["dora"], proposal, keys["considering-d"], "Dora's words;", expected_version=0)
    summarise_draft_changes()
    (n,) = told(people["chen"], Notification.DRAFT_CHANGED)
    assert n.title.startswith("4 changes") and n.body == f"By Amina, Dora, in {proposal.label}."
    # Amina made three of them, but not Dora's: she is told now.
    assert len(told(people["amina"], Notification.DRAFT_CHANGED)) == 1
    # Mailed once quiet, in one message per person, to those who want it at once.
    assert send_quiet() == 0
    assert (
        send_quiet(timezone.now() + timedelta(minutes=11)) == 2
    )  # chen and amina; dora's digest, omar never
    assert sorted(mailed_to(m) for m in mail.outbox) == ["amina", "chen"]


def test_opening_the_draft_reads_its_summary_and_who_looked_since_is_not_told(world):
    proposal, people, keys = world
    _clock_back(5)
    modify_clause(people["amina"], proposal, keys["considering-a"], "New;", expected_version=0)
    client = Client()
    client.force_login(people["dora"])
    page = client.get(proposal.get_absolute_url()).content.decode()
    # The page's bell (loaded after it) says the draft was opened: dora looked after the change.
    # (The page it is may be named too: &reading=..., the reader's visit, drafting.services.since.)
    bell_url = html.unescape(re.search(r'hx-get="(/notifications/bell/\?seen=\d+[^"]*)"', page).group(1))
    assert client.get(bell_url).status_code == 200
    summarise_draft_changes()
    assert not told(people["dora"]) and told(people["chen"])
    client.force_login(people["chen"])
    page = client.get(proposal.contribution.get_absolute_url()).content.decode()
    client.get(html.unescape(re.search(r'hx-get="(/notifications/bell/\?seen=\d+[^"]*)"', page).group(1)))
    assert told(people["chen"])[0].read_at is not None
    # Someone who may not edit the draft records nothing with it.
    client.force_login(people["carlos"])
    client.get(bell_url)
    assert not DraftVisit.objects.filter(user=people["carlos"]).exists()


def test_a_proposal_deadline_approaching_is_told_once_per_reminder(world):
    _, people, _ = world
    conference = Conference.objects.get(code="WTSA-24")
    today = timezone.localdate()
    conference.proposal_deadline = today + timedelta(days=6)
    conference.save()
    # Without a registration list: every delegate and coordinator of every group.
    assert remind_deadlines(today) == 5
    (n,) = told(people["carlos"], Notification.DEADLINE)
    assert (
        n.title == f"The proposal deadline for WTSA-24 is in 6 days ({conference.proposal_deadline:%d %b %Y})"
    )
    assert remind_deadlines(today) == 0  # once
    # With one: those registered as delegates or coordinators.
    Registration.objects.create(conference=conference, user=people["amina"], role=DELEGATES)
    assert remind_deadlines(today + timedelta(days=5)) == 1  # the day before: the 1-day reminder
    assert told(people["amina"], Notification.DEADLINE)[0].title.startswith(
        "The proposal deadline for WTSA-24 is in 1 day"
    )
    assert remind_deadlines(today + timedelta(days=10)) == 0  # past


def test_the_daily_digest_groups_a_days_notifications_in_one_message(
    world, django_capture_on_commit_callbacks, settings
):
    proposal, people, keys = world
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(people["dora"], proposal, keys["considering-a"], "First.")
        add_comment(people["amina"], proposal, keys["considering-a"], "Second.")
        submit_contribution(people["chen"], proposal.contribution)
    mail.outbox.clear()
    settings.NOTIFY_DIGEST_HOUR = 7
    morning = timezone.now().replace(hour=6, minute=0)
    assert send_digests(morning) == 0  # not yet
    later = timezone.now().replace(hour=8, minute=0)
    assert send_digests(later) == 1
    (message,) = mail.outbox
    assert message.to == ["dora@example.org"] and message.subject == "Your daily digest: 2 notifications"
    body = message.body
    assert "A reply to your comment\n- Amina answered" in body
    assert "Your contribution submitted\n- ATU's Addendum 18" in body
    assert "List-Unsubscribe" in message.extra_headers
    assert send_digests(later + timedelta(hours=1)) == 0  # once a day
    assert all(n.emailed_at for n in told(people["dora"]))


def test_one_click_unsubscribe(world, django_capture_on_commit_callbacks):
    proposal, people, _ = world
    with django_capture_on_commit_callbacks(execute=True):
        submit_contribution(people["chen"], proposal.contribution)
    (message,) = mail.outbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>").replace("http://127.0.0.1:8000", "")
    client = Client()
    page = client.get(link)
    assert page.status_code == 200 and "Stop e-mail notifications?" in page.content.decode()
    assert profile_of(User.objects.get(pk=people["amina"].pk)).email_notifications == Profile.IMMEDIATE
    # A mail program's one-click POST (RFC 8058): no login, no CSRF token.
    answer = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and "no more e-mail" in answer.content.decode()
    assert Profile.objects.get(user=people["amina"]).email_notifications == Profile.OFF
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_contribution(people["chen"], proposal.contribution)
    assert len(mail.outbox) == 1  # nothing more mailed...
    assert told(people["amina"], Notification.WITHDRAWN)  # ...still told in the app
    assert client.get("/notifications/unsubscribe/1:forged/").status_code == 404


def test_the_bell_counts_unread_and_its_live_channel_carries_the_count(
    world, django_capture_on_commit_callbacks
):
    proposal, people, _ = world
    client = Client()
    client.force_login(people["amina"])
    bell = client.get("/notifications/bell/").content.decode()
    assert 'aria-label="Notifications"' in bell and "data-live-pass=" in bell
    after = int(re.search(r'data-live-after="(\d+)"', bell).group(1))
    with django_capture_on_commit_callbacks(execute=True):
        submit_contribution(people["chen"], proposal.contribution)
    events = live.events_after(live.user_channel(people["amina"].pk), after)
    assert [(e["kind"], e["data"]["unread"]) for e in events] == [("notified", 1)]
    # The pass in the bell reads that channel through the live poll, as the page does.
    live_pass = re.search(r'data-live-pass="([^"]+)"', bell).group(1)
    polled = Client().get(f"/live/events?c={live_pass}&after={after}")
    assert polled.status_code == 200 and polled.json()["events"][0]["data"]["unread"] == 1
    bell = client.get("/notifications/bell/").content.decode()
    assert 'aria-label="Notifications: 1 unread"' in bell and '<span class="count">1</span>' in bell
    # Following it reads it, and the bell hears so.
    n = Notification.objects.get(user=people["amina"])
    with django_capture_on_commit_callbacks(execute=True):
        opened = client.get(f"/notifications/{n.pk}/")
    assert opened["Location"] == proposal.contribution.get_absolute_url()
    events = live.events_after(live.user_channel(people["amina"].pk), after)
    assert events[-1]["data"]["unread"] == 0
    # Someone else's notification is not theirs to open.
    client.force_login(people["chen"])
    assert client.get(f"/notifications/{n.pk}/").status_code == 404


def test_the_notifications_page_lists_marks_read_and_keeps_the_email_choice(
    world, django_capture_on_commit_callbacks
):
    proposal, people, _ = world
    with django_capture_on_commit_callbacks(execute=True):
        submit_contribution(people["chen"], proposal.contribution)
        withdraw_contribution(people["chen"], proposal.contribution)
    client = Client()
    client.force_login(people["amina"])
    page = client.get("/notifications/").content.decode()
    assert "2 unread" in page and "was submitted to WTSA-24" in page and "was withdrawn" in page
    client.post("/notifications/", {"read_all": "1"})
    assert not Notification.objects.filter(user=people["amina"], read_at=None).exists()
    client.post("/notifications/", {"email": "daily"})
    assert Profile.objects.get(user=people["amina"]).email_notifications == Profile.DAILY
    bad = client.post("/notifications/", {"email": "hourly"})
    assert bad.status_code == 400
    assert Profile.objects.get(user=people["amina"]).email_notifications == Profile.DAILY


def test_without_an_email_server_nothing_is_mailed(world, settings, django_capture_on_commit_callbacks):
    settings.SEND_EMAIL = False
    proposal, people, _ = world
    with django_capture_on_commit_callbacks(execute=True):
        submit_contribution(people["chen"], proposal.contribution)
    assert not mail.outbox and told(people["amina"])
    assert Notification.objects.get(user=people["amina"]).emailed_at is None


def test_a_fan_out_costs_the_same_queries_for_three_followers_or_thirty(world):
    proposal, people, _ = world
    contribution = proposal.contribution
    submit_contribution(people["chen"], contribution)  # (no fan-out: on_commit does not run here)

    def queries() -> int:
        Notification.objects.all().delete()
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as captured:
            fan_out.call({"kind": "submitted", "contribution": contribution.pk, "actor": people["chen"].pk})
        return len(captured)

    few = queries()
    atu = contribution.group
    for n in range(30):
        named(f"extra-{n}", DELEGATES, atu)
    many = queries()
    assert Notification.objects.filter(kind="submitted").count() == 33
    assert many == few


def test_a_clause_save_does_no_notification_work(world, django_capture_on_commit_callbacks):
    proposal, people, keys = world
    with django_capture_on_commit_callbacks() as callbacks:
        modify_clause(people["amina"], proposal, keys["considering-a"], "Words;", expected_version=0)
    assert not [c for c in callbacks if "notifications" in getattr(c, "__qualname__", "") + repr(c)]
    assert not Notification.objects.exists()


def test_the_job_runs_every_part_and_can_run_again(world, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    proposal, people, keys = world
    _clock_back(5)
    modify_clause(people["amina"], proposal, keys["considering-a"], "Words;", expected_version=0)
    out = StringIO()
    call_command("send_notifications", "--digest-now", stdout=out)
    assert out.getvalue().startswith(
        "draft changes told: 3; deadline reminders: 0; messages sent at once: 0; digests sent:"
    )
    assert run_due()["draft changes told"] == 0


def test_secretariat_and_observers_are_never_told_group_news(world, django_capture_on_commit_callbacks):
    proposal, people, _ = world
    officer = named("officer", SECRETARIAT)
    Body.objects.get(code="WTSA")
    with django_capture_on_commit_callbacks(execute=True):
        submit_contribution(people["chen"], proposal.contribution)
    assert not told(officer) and not told(people["olivia"])


def test_the_notifier_service_runs_the_job_with_the_apps_mail_settings():
    from tests.test_deployment import GOOD_KEY, compose

    env = {
        "SECRET_KEY": GOOD_KEY,
        "POSTGRES_PASSWORD": "pw",
        "EMAIL_HOST": "smtp.example.org",
        "SITE_URL": "https://drafting.example.org",
    }
    services = compose(env)
    assert "manage.py send_notifications" in " ".join(services["notifier"]["command"])
    for name in ("web", "worker", "notifier"):
        assert services[name]["environment"]["EMAIL_HOST"] == "smtp.example.org"
        assert services[name]["environment"]["SITE_URL"] == "https://drafting.example.org"
