"""Notifications: told in the app (the bell, fed by the person's live channel) and by e-mail.

Other services call ``announce`` inside their transaction with a small description of what
happened; once it commits, one task (the export worker runs it; the tests' immediate backend
runs it at once) finds who is concerned and tells them all together: a constant number of
queries whatever the number of followers, and nothing more for the request that saved. This
module imports no other service, so the services that call it form no circle.

What is told, to whom:

- a contribution submitted or withdrawn: the group's members (not who did it);
- a reply in a thread you wrote in (a new thread on a clause: those who wrote on it before);
- a comment that names you (``@username``, a member of the group);
- a clause of your group's proposal settled by the secretariat: the group's members, gathered
  per proposal ("3 clauses of MOD ATU/35A18/1 settled");
- the outcome of your group's proposal when the resolution is adopted: the group's members;
- your group's draft changed while you were away: the periodic job (``send_notifications``)
  summarises the changes since it last ran, per draft, for the members who did not make them
  all and have not opened the draft since;
- a proposal deadline approaching: the job, to the delegates and coordinators registered for
  the conference (everyone in a group when it has no registration list), at each of
  ``NOTIFY_DEADLINE_DAYS``.

E-mail goes through Django's e-mail backend, by each person's choice: at once (a gathering kind
once it has been quiet for ``NOTIFY_QUIET_MINUTES``), in a daily digest, or never. Each message
carries a signed one-click unsubscribe link and the List-Unsubscribe headers (RFC 8058).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Count, Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drafting import live
from drafting.models import (
    ClauseComment,
    Conference,
    Contribution,
    DraftVisit,
    JobMark,
    Notification,
    Profile,
    RegionalGroup,
    Registration,
)
from drafting.models.drafting import document_name
from drafting.models.library import resolution_name
from drafting.models.people import COORDINATORS, DELEGATES, language_of, languages_of
from drafting.services.outcomes import Outcome
from drafting.translation import supported

GROUP_ROLES = [DELEGATES, COORDINATORS]
_UNSUBSCRIBE_SALT = "drafting.unsubscribe"
BELL_EVENT = "notified"


# --- what other services call -------------------------------------------------------------


def announce(event: dict) -> None:
    """Tell those concerned, once the caller's transaction commits (a rolled-back change tells no one)."""
    payload = dict(event)
    transaction.on_commit(lambda: fan_out.enqueue(payload), robust=True)


@task
def fan_out(event: dict) -> int:
    """The worker's task: who is concerned by the event, told in one go. The number of people told."""
    handler = _HANDLERS.get(event.get("kind", ""))
    return handler(event) if handler else 0


# --- recipients ---------------------------------------------------------------------------


def _group_members(group_ids: Iterable[int]) -> list[int]:
    """The active delegates and coordinators of these groups, in one query."""
    return list(
        User.objects.filter(is_active=True, regional_groups__in=list(group_ids), groups__name__in=GROUP_ROLES)
        .values_list("pk", flat=True)
        .distinct()
    )


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- making notifications -----------------------------------------------------------------


def _notify(
    user_ids: Iterable[int],
    *,
    kind: str,
    data: dict,
    url: str = "",
    body: str = "",
    key: str = "",
    gather=None,
) -> list[Notification]:
    """Make (or, for a gathering kind, grow) one notification per person; ring their bells; mail the immediate.

    ``data`` is what the notification says (the names and numbers its kind's words are made
    of: said() makes them in the reader's language); ``body`` only words of a person's own (a
    comment), which stay as written. ``gather(notification, data)`` merges an event into an open
    notification with the same key, for a gathering kind.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return []
    now = timezone.now()
    data = _bounded(data)
    body = body[:2000]
    grown = []
    if gather is not None and key:
        for notification in Notification.objects.filter(
            user_id__in=ids, key=key, read_at=None, emailed_at=None
        ):
            gather(notification, data)
            notification.data = _bounded(notification.data)
            notification.title, notification.body = _installation_words(notification)
            notification.count += 1
            notification.updated_at = now
            grown.append(notification)
        Notification.objects.bulk_update(grown, ["title", "body", "data", "count", "updated_at"])
    grown_for = {n.user_id for n in grown}
    first = Notification(kind=kind, data=data, body=body)
    title, body = _installation_words(first)
    made = Notification.objects.bulk_create(
        [
            Notification(
                user_id=uid,
                kind=kind,
                key=key[:100],
                title=title,
                body=body,
                url=url[:300],
                data=data,
            )
            for uid in ids
            if uid not in grown_for
        ]
    )
    told = grown + made
    ring(ids, told)
    if kind not in Notification.GATHERING:
        _mail_immediately(told)
    return told


# --- what a notification says -------------------------------------------------------------
#
# A notification keeps what happened, not words: its kind, and in ``data`` the names and numbers
# (who, which document, which clauses, the deadline's date). Its words are made when it is read,
# in the reader's language (the page, the bell, the e-mail in the recipient's own), never in the
# language of whoever caused it. ``title`` and ``body`` hold the words in the installation's
# language: what the admin shows, and what rows made before said() have instead of data.

_KEPT_CHARS = 300  # one name, label or clause kept in a notification's data
_KEPT_ITEMS = 30  # a list kept in it (the clauses settled, the proposals changed)


def _bounded(value, depth: int = 0):
    """``value`` with every string, list and mapping cut to what a notification keeps."""
    if isinstance(value, str):
        return value[:_KEPT_CHARS]
    if depth > 3:
        return None
    if isinstance(value, (list, tuple)):
        return [_bounded(v, depth + 1) for v in list(value)[-_KEPT_ITEMS:]]
    if isinstance(value, dict):
        return {str(k)[:40]: _bounded(v, depth + 1) for k, v in list(value.items())[:_KEPT_ITEMS]}
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return str(value)[:_KEPT_CHARS]


def _installation_words(notification: Notification) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        title, body = said(notification)
    return title[:300], body[:2000]


def said(notification: Notification) -> tuple[str, str]:
    """The notification's title and body in the active language, made from what it keeps.

    A row kept from before (words only, no data for them) says its stored words.
    """
    say = _SAYINGS.get(notification.kind)
    if say is not None and isinstance(notification.data, dict):
        try:
            return say(notification, notification.data)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # kept before its data said it all (or not as this version keeps it): its words
    return notification.title, notification.body


def in_reading_language(notifications: Iterable[Notification]) -> list[Notification]:
    """The notifications with their words (``said_title``, ``said_body``) in the active language."""
    shown = list(notifications)
    for n in shown:
        n.said_title, n.said_body = said(n)
    return shown


def _document(contribution: Contribution) -> dict:
    """A contribution's document as a notification keeps it: its numbers, named when read."""
    return {
        "number": contribution.document_number,
        "addendum": contribution.addendum,
        "revision": contribution.revision,
    }


def _document_words(kept) -> str:
    if isinstance(kept, str):
        return kept  # kept as words, before notifications kept numbers
    return document_name(str(kept["number"]), int(kept.get("addendum") or 0), int(kept.get("revision") or 0))


def _someone(name: str) -> str:
    return name or _("someone")


def _say_contribution(notification: Notification, data: dict) -> tuple[str, str]:
    words = {
        "group": data["group"],
        "document": _document_words(data["document"]),
        "conference": data["conference"],
        "who": _someone(data["who"]),
    }
    if notification.kind == Notification.SUBMITTED:
        return _("%(group)s's %(document)s was submitted to %(conference)s by %(who)s") % words, ""
    return _("%(group)s's %(document)s was withdrawn from %(conference)s by %(who)s") % words, ""


def _say_comment(notification: Notification, data: dict) -> tuple[str, str]:
    words = {"who": _someone(data["who"]), "proposal": data["proposal"]}
    if notification.kind == Notification.REPLY:
        title = _("%(who)s answered in a thread you wrote in, on %(proposal)s") % words
    else:
        title = _("%(who)s named you in a comment on %(proposal)s") % words
    return title, notification.body  # the comment's own words, as written


def _say_settled(notification: Notification, data: dict) -> tuple[str, str]:
    clauses = [str(c) for c in data["clauses"]]
    if len(clauses) == 1:
        title = _("A clause of %(proposal)s settled by the secretariat: %(clause)s") % {
            "proposal": data["proposal"],
            "clause": clauses[0],
        }
    else:
        title = ngettext(
            "%(n)s clause of %(proposal)s settled by the secretariat",
            "%(n)s clauses of %(proposal)s settled by the secretariat",
            len(clauses),
        ) % {"n": len(clauses), "proposal": data["proposal"]}
    return title, ", ".join(clauses)


def _say_outcome(notification: Notification, data: dict) -> tuple[str, str]:
    edition, outcome = data["edition"], data["outcome"]
    if isinstance(edition, dict):
        edition = f"{resolution_name(edition['body'], edition['number'])} ({edition['revision']})"
    if isinstance(outcome, dict):
        outcome = Outcome(
            **{f: outcome[f] for f in ("kind", "proposed", "taken", "modified", "settled")}
        ).text
    return _("%(proposal)s at %(edition)s: %(outcome)s") % {
        "proposal": data["proposal"],
        "edition": edition,
        "outcome": outcome,
    }, ""


def _say_deadline(notification: Notification, data: dict) -> tuple[str, str]:
    left = int(data["left"])
    title = (
        _("The proposal deadline for %(conference)s is today (%(date)s)")
        if left == 0
        else ngettext(
            "The proposal deadline for %(conference)s is in %(n)s day (%(date)s)",
            "The proposal deadline for %(conference)s is in %(n)s days (%(date)s)",
            left,
        )
    )
    return title % {
        "conference": data["conference"],
        "n": left,
        "date": date_format(date.fromisoformat(data["deadline"]), "DATE_FORMAT"),
    }, ""


def _say_draft(notification: Notification, data: dict) -> tuple[str, str]:
    return _draft_summary(data)


_SAYINGS = {
    Notification.SUBMITTED: _say_contribution,
    Notification.WITHDRAWN: _say_contribution,
    Notification.REPLY: _say_comment,
    Notification.MENTION: _say_comment,
    Notification.SETTLED: _say_settled,
    Notification.OUTCOME: _say_outcome,
    Notification.DEADLINE: _say_deadline,
    Notification.DRAFT_CHANGED: _say_draft,
}


def unread_counts(user_ids: list[int]) -> dict[int, int]:
    counts = dict(
        Notification.objects.filter(user_id__in=user_ids, read_at=None)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    return {uid: counts.get(uid, 0) for uid in user_ids}


def ring(user_ids: list[int], told: Iterable[Notification] = ()) -> None:
    """Each person's bell learns its new unread count through their live channel (one insert for all);
    with ``told``, the newest of them in that person's language, for their screen reader to say."""
    counts = unread_counts(user_ids)
    cache.delete_many([_bell_key(uid) for uid in user_ids])
    newest = {n.user_id: n for n in told}
    languages = _reading_languages(list(newest)) if newest else {}
    latest = {}
    for uid, n in newest.items():
        with translation.override(languages[uid]):
            latest[uid] = said(n)[0][:200]
    live.publish_many(
        BELL_EVENT,
        {
            live.user_channel(uid): {"unread": n, **({"latest": latest[uid]} if uid in latest else {})}
            for uid, n in counts.items()
        },
    )


def _bell_key(user_id: int) -> str:
    return f"drafting:bell:{user_id}"


def _reading_key(user_id: int) -> str:
    return f"drafting:reads-in:{user_id}"


def note_reading_language(user, language: str) -> None:
    """The language a person who chose none reads their pages in (their browser's), as their bell last
    saw it: the bell's announcements are said in it. Kept a day in the cache, nothing in the database."""
    cache.set(_reading_key(user.pk), language[:20], 86400)


def _reading_languages(user_ids: list[int]) -> dict[int, str]:
    """The language each person's open page is likely in: their remembered choice, else the one their
    bell last saw (note_reading_language), else the installation's."""
    chosen = {uid: language for uid, language in languages_of(user_ids, default=None).items() if language}
    rest = [uid for uid in user_ids if uid not in chosen]
    seen = cache.get_many([_reading_key(uid) for uid in rest]) if rest else {}
    for uid in rest:
        chosen[uid] = supported(seen.get(_reading_key(uid))) or settings.LANGUAGE_CODE
    return chosen


def bell(user, session: str | None = None) -> dict:
    """What the bell shows: the unread count, and where its live channel starts (cached a minute per person);
    its pass ends with the login session ``session`` (its key)."""
    key = _bell_key(user.pk)
    found = cache.get(key)
    if found is None:
        channel = live.user_channel(user.pk)
        found = {
            "unread": Notification.objects.filter(user=user, read_at=None).count(),
            "after": live.last_event_id(channel),
        }
        cache.set(key, found, 60)
    return {
        **found,
        "pass": live.pass_for(live.user_channel(user.pk), can_edit=False, holder=user.pk, session=session),
    }


@transaction.atomic
def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of one's notifications read; the number marked."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    count = unread.update(read_at=timezone.now())
    if count:
        ring([user.pk])
    return count


@transaction.atomic
def set_email_choice(user, choice: str) -> Profile:
    from drafting.models.people import profile_of

    if choice not in dict(Profile.EMAIL_CHOICES):
        from drafting.services import DomainError

        raise DomainError(_("Choose how to be told by e-mail: as things happen, a daily digest, or never."))
    profile = profile_of(user)
    profile.email_notifications = choice
    profile.save(update_fields=["email_notifications"])
    return profile


VISIT_EVERY_S = 300


def record_visit(user, contribution: Contribution) -> None:
    """The person opened their group's draft: what was told about its changes is read (at most every 5 minutes).

    Called by the bell of the draft's pages; a repeat within the interval costs a cache read, no query.
    """
    if not user.is_authenticated or contribution.status != Contribution.DRAFT:
        return
    key = f"drafting:visit:{user.pk}:{contribution.pk}"
    if cache.get(key):
        return
    cache.set(key, True, VISIT_EVERY_S)
    now = timezone.now()
    with transaction.atomic():
        DraftVisit.objects.bulk_create(
            [DraftVisit(user=user, contribution=contribution, seen_at=now)],
            update_conflicts=True,
            unique_fields=["user", "contribution"],
            update_fields=["seen_at"],
        )
        read = Notification.objects.filter(user=user, key=f"draft:{contribution.pk}", read_at=None).update(
            read_at=now
        )
    if read:
        ring([user.pk])


# --- e-mail -------------------------------------------------------------------------------


def unsubscribe_token(user) -> str:
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign(str(user.pk))


def user_for_unsubscribe(token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    try:
        pk = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=int(pk)).first() if pk.isdigit() else None


def _message(user, notifications: list[Notification], *, digest: bool = False) -> EmailMessage:
    """The e-mail to one person, in their language (their profile's choice, else the installation's)."""
    with translation.override(language_of(user)):
        return _message_in_language(user, notifications, digest=digest)


def _message_in_language(user, notifications: list[Notification], *, digest: bool = False) -> EmailMessage:
    unsubscribe = _site(reverse("notifications_unsubscribe", args=[unsubscribe_token(user)]))
    notifications = in_reading_language(notifications)
    groups = defaultdict(list)
    for n in notifications:
        groups[n.get_kind_display()].append(n)
    if digest:
        subject = ngettext(
            "Your daily digest: %(n)s notification",
            "Your daily digest: %(n)s notifications",
            len(notifications),
        ) % {"n": len(notifications)}
    elif len(notifications) == 1:
        subject = notifications[0].said_title
    else:
        subject = _("%(n)s notifications from the drafting tool") % {"n": len(notifications)}
    body = render_to_string(
        "drafting/email/notifications.txt",
        {
            "user": user,
            "groups": dict(groups),
            "digest": digest,
            "site_url": settings.SITE_URL.rstrip("/"),
            "unsubscribe": unsubscribe,
            "settings_url": _site(reverse("notification_list")),
        },
    )
    return EmailMessage(
        subject=subject[:200],
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def _send(batches: dict[int, list[Notification]], *, digest: bool = False) -> int:
    """Mail each person their batch; mark what was mailed. The number of messages."""
    if not batches or not settings.SEND_EMAIL:
        return 0
    # With their profiles: each message is written in its person's language (language_of), one query for all.
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=list(batches), is_active=True)
        .exclude(email="")
        .select_related("profile")
    }
    messages, mailed = [], []
    for uid, notifications in batches.items():
        if uid in users:
            messages.append(_message(users[uid], notifications, digest=digest))
            mailed += [n.pk for n in notifications]
    if messages:
        with mailers.default as connection:  # one connection for the batch
            connection.send_messages(messages)
    Notification.objects.filter(pk__in=mailed).update(emailed_at=timezone.now())
    return len(messages)


def _choices(user_ids: Iterable[int]) -> dict[int, str]:
    """Each person's e-mail choice (immediate when they never chose)."""
    chosen = dict(
        Profile.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "email_notifications")
    )
    return {uid: chosen.get(uid, Profile.IMMEDIATE) for uid in user_ids}


def _mail_immediately(notifications: list[Notification]) -> int:
    choices = _choices({n.user_id for n in notifications})
    batches = {n.user_id: [n] for n in notifications if choices[n.user_id] == Profile.IMMEDIATE}
    return _send(batches)


def send_quiet(now=None) -> int:
    """Mail the gathered notifications of those who want them at once, once no new event came for a while."""
    now = now or timezone.now()
    quiet = now - timedelta(minutes=settings.NOTIFY_QUIET_MINUTES)
    pending = list(
        Notification.objects.filter(
            emailed_at=None, read_at=None, kind__in=Notification.GATHERING, updated_at__lte=quiet
        ).order_by("user_id", "updated_at")
    )
    choices = _choices({n.user_id for n in pending})
    batches = defaultdict(list)
    for n in pending:
        if choices[n.user_id] == Profile.IMMEDIATE:
            batches[n.user_id].append(n)
    return _send(dict(batches))


def send_digests(now=None, *, force: bool = False) -> int:
    """Once a day (from ``NOTIFY_DIGEST_HOUR``, UTC): each person who chose the digest gets everything unread and unmailed."""
    now = now or timezone.now()
    if not force and now.hour < settings.NOTIFY_DIGEST_HOUR:
        return 0
    today = now.replace(hour=settings.NOTIFY_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if force:
        today = now
    profiles = Profile.objects.filter(email_notifications=Profile.DAILY).filter(
        Q(digest_sent_at=None) | Q(digest_sent_at__lt=today)
    )
    user_ids = list(profiles.values_list("user_id", flat=True))
    pending = Notification.objects.filter(user_id__in=user_ids, emailed_at=None, read_at=None).order_by(
        "user_id", "kind", "-updated_at"
    )
    batches = defaultdict(list)
    for n in pending:
        batches[n.user_id].append(n)
    sent = _send(dict(batches), digest=True)
    Profile.objects.filter(user_id__in=list(batches)).update(digest_sent_at=now)
    return sent


# --- the handlers of announced events -----------------------------------------------------


def _contribution_event(event: dict) -> int:
    contribution = (
        Contribution.objects.select_related("group", "conference").filter(pk=event["contribution"]).first()
    )
    if contribution is None:
        return 0
    actor = User.objects.filter(pk=event.get("actor")).first()
    recipients = set(_group_members([contribution.group_id])) - {event.get("actor")}
    return len(
        _notify(
            recipients,
            kind=event["kind"],
            data={
                "group": contribution.group.code,
                "document": _document(contribution),
                "conference": contribution.conference.code,
                "who": (actor.get_full_name() or actor.username) if actor else "",
            },
            url=contribution.get_absolute_url(),
            key=f"contribution:{contribution.pk}",
        )
    )


def _reply_event(event: dict) -> int:
    comment = (
        ClauseComment.objects.select_related("author", "proposal__contribution__group", "provision")
        .filter(pk=event["comment"])
        .first()
    )
    if comment is None:
        return 0
    # A reply answers those who wrote in its thread; a new thread, those who wrote on the clause.
    before = ClauseComment.objects.filter(
        proposal_id=comment.proposal_id,
        provision_id=comment.provision_id,
        created_at__lte=comment.created_at,
    )
    if comment.parent_id is not None:
        before = before.filter(Q(pk=comment.parent_id) | Q(parent_id=comment.parent_id))
    earlier = set(before.exclude(author_id=comment.author_id).values_list("author_id", flat=True))
    # Those it names are told so once, by the mention (below), not twice.
    earlier -= set(comment.mentions.values_list("id", flat=True))
    return _tell_of_comment(comment, earlier, Notification.REPLY, "comment")


def _mention_event(event: dict) -> int:
    """Members of the group named in a comment (``@username``): told who named them, where, and what."""
    comment = (
        ClauseComment.objects.select_related("author", "proposal__contribution__group", "provision")
        .filter(pk=event["comment"])
        .first()
    )
    if comment is None:
        return 0
    named = set(comment.mentions.values_list("id", flat=True)) - {comment.author_id}
    return _tell_of_comment(comment, named, Notification.MENTION, "mention")


def _tell_of_comment(comment, people: set[int], kind: str, key: str) -> int:
    """Tells those of ``people`` still in the comment's group of it (a reply or a mention): who wrote,
    where, and its words, linked to the clause. Returns how many were told."""
    members = set(_group_members([comment.proposal.contribution.group_id]))
    who = comment.author.get_full_name() or comment.author.username
    return len(
        _notify(
            people & members,
            kind=kind,
            data={"who": who, "proposal": comment.proposal.label},
            body=comment.text[:500],
            url=f"{comment.proposal.get_absolute_url()}#c-{comment.provision.key}",
            key=f"{key}:{comment.pk}",
        )
    )


def _gather_settled(notification: Notification, data: dict) -> None:
    clauses = list(dict.fromkeys([*notification.data.get("clauses", []), *data.get("clauses", [])]))
    notification.data = {**notification.data, "clauses": clauses[-30:]}


def _settled_event(event: dict) -> int:
    told = 0
    groups = RegionalGroup.objects.in_bulk(field_name="code")
    members_of = defaultdict(set)
    for uid, code in (
        User.objects.filter(
            is_active=True, regional_groups__code__in=list(event["groups"]), groups__name__in=GROUP_ROLES
        )
        .values_list("pk", "regional_groups__code")
        .distinct()
    ):
        members_of[code].add(uid)
    for code, proposal in event["groups"].items():
        if code not in groups:
            continue
        data = {"clauses": [event["clause"]], "proposal": proposal["label"]}
        told += len(
            _notify(
                members_of[code],
                kind=Notification.SETTLED,
                url=reverse("consolidation_detail", args=[event["consolidation"]]),
                key=f"settled:{event['consolidation']}:{code}",
                data=data,
                gather=_gather_settled,
            )
        )
    return told


def _outcome_event(event: dict) -> int:
    told = 0
    codes = list(event["outcomes"])
    members_of = defaultdict(set)
    for uid, code in (
        User.objects.filter(is_active=True, regional_groups__code__in=codes, groups__name__in=GROUP_ROLES)
        .values_list("pk", "regional_groups__code")
        .distinct()
    ):
        members_of[code].add(uid)
    for code, (proposal_pk, label, outcome) in event["outcomes"].items():
        told += len(
            _notify(
                members_of[code],
                kind=Notification.OUTCOME,
                data={"proposal": label, "edition": event["edition"], "outcome": outcome},
                url=reverse("proposal_editor", args=[proposal_pk]),
                key=f"outcome:{proposal_pk}",
            )
        )
    return told


_HANDLERS = {
    Notification.SUBMITTED: _contribution_event,
    Notification.WITHDRAWN: _contribution_event,
    Notification.REPLY: _reply_event,
    Notification.MENTION: _mention_event,
    Notification.SETTLED: _settled_event,
    Notification.OUTCOME: _outcome_event,
}


# --- the periodic job ---------------------------------------------------------------------


def _gather_draft(notification: Notification, data: dict) -> None:
    changes = notification.data.get("changes", 0) + data.get("changes", 0)
    authors = list(dict.fromkeys([*notification.data.get("authors", []), *data.get("authors", [])]))
    notification.data = {**notification.data, "changes": changes, "authors": authors[:20]}


def _draft_summary(data: dict) -> tuple[str, str]:
    authors = [_someone(a) for a in data.get("authors", [])]
    shown = ", ".join(authors[:3]) + (
        ngettext(" and %(n)s other", " and %(n)s others", len(authors) - 3) % {"n": len(authors) - 3}
        if len(authors) > 3
        else ""
    )
    title = ngettext(
        "%(n)s change to %(group)s's draft %(document)s since you last opened it",
        "%(n)s changes to %(group)s's draft %(document)s since you last opened it",
        data["changes"],
    ) % {"n": data["changes"], "group": data["group"], "document": _document_words(data["document"])}
    body = _("By %(authors)s, in %(proposals)s.") % {
        "authors": shown,
        "proposals": ", ".join(data["proposals"]),
    }
    return title, body


def summarise_draft_changes(now=None) -> int:
    """Tell each member of a group whose draft others changed since the last run (and who has not opened it since)."""
    from drafting.models import Amendment

    now = now or timezone.now()
    mark, _created = JobMark.objects.get_or_create(name="draft-changes", defaults={"at": now})
    since = mark.at
    if since >= now:
        return 0
    history = Amendment.history.model.objects.filter(
        history_date__gt=since,
        history_date__lte=now,
        proposal__contribution__status=Contribution.DRAFT,
    )
    changes = defaultdict(lambda: {"count": 0, "authors": set(), "proposals": set(), "last": since})
    for contribution_id, saved_by, request_user, label_parts, at in history.values_list(
        "proposal__contribution_id", "updated_by_id", "history_user_id", "proposal_id", "history_date"
    ):
        entry = changes[contribution_id]
        entry["count"] += 1
        entry["authors"].add(saved_by or request_user)
        entry["proposals"].add(label_parts)
        entry["last"] = max(entry["last"], at)
    told = 0
    if changes:
        contributions = Contribution.objects.select_related("group").in_bulk(list(changes))
        names = {
            u.pk: u.get_full_name() or u.username
            for u in User.objects.filter(pk__in={a for c in changes.values() for a in c["authors"] if a})
        }
        from drafting.models import Proposal

        labels = {
            p.pk: p.label
            for p in Proposal.objects.select_related("contribution__group").filter(
                pk__in={p for c in changes.values() for p in c["proposals"]}
            )
        }
        visits = defaultdict(dict)
        for uid, cid, seen in DraftVisit.objects.filter(contribution_id__in=list(changes)).values_list(
            "user_id", "contribution_id", "seen_at"
        ):
            visits[cid][uid] = seen
        members_of = defaultdict(set)
        for uid, gid in (
            User.objects.filter(
                is_active=True,
                regional_groups__in={c.group_id for c in contributions.values()},
                groups__name__in=GROUP_ROLES,
            )
            .values_list("pk", "regional_groups")
            .distinct()
        ):
            members_of[gid].add(uid)
        for cid, entry in changes.items():
            contribution = contributions[cid]
            concerned = {
                uid
                for uid in members_of[contribution.group_id]
                if entry["authors"] - {uid}  # someone else changed it
                and visits[cid].get(uid, since) <= entry["last"]  # and they have not looked since
            }
            data = {
                "changes": entry["count"],
                "authors": sorted(names.get(a, "") for a in entry["authors"] if a),
                "group": contribution.group.code,
                "document": _document(contribution),
                "proposals": sorted(labels.get(p, "") for p in entry["proposals"]),
            }
            told += len(
                _notify(
                    concerned,
                    kind=Notification.DRAFT_CHANGED,
                    url=contribution.get_absolute_url(),
                    key=f"draft:{cid}",
                    data=data,
                    gather=_gather_draft,
                )
            )
    mark.at = now
    mark.save(update_fields=["at"])
    return told


def remind_deadlines(today: date | None = None) -> int:
    """Remind those registered for a conference (or every group member) as its proposal deadline nears."""
    today = today or timezone.localdate()
    thresholds = sorted(settings.NOTIFY_DEADLINE_DAYS)
    if not thresholds:
        return 0
    told = 0
    for conference in Conference.objects.filter(
        proposal_deadline__gte=today, proposal_deadline__lte=today + timedelta(days=thresholds[-1])
    ):
        left = (conference.proposal_deadline - today).days
        threshold = min(d for d in thresholds if d >= left)
        key = f"deadline:{conference.pk}:{threshold}"
        registered = Registration.objects.filter(
            conference=conference, role__in=GROUP_ROLES, user__is_active=True
        )
        if registered.exists():
            concerned = set(registered.values_list("user_id", flat=True))
        else:
            concerned = set(_group_members(RegionalGroup.objects.values_list("pk", flat=True)))
        concerned -= set(
            Notification.objects.filter(key=key, user_id__in=concerned).values_list("user_id", flat=True)
        )
        told += len(
            _notify(
                concerned,
                kind=Notification.DEADLINE,
                data={
                    "conference": conference.code,
                    "deadline": conference.proposal_deadline.isoformat(),
                    "left": left,
                },
                url=reverse("contribution_list"),
                key=key,
            )
        )
    return told


def run_due(now=None, *, digest_now: bool = False) -> dict[str, int]:
    """Everything the periodic job does, each part safe to run again (cron or the worker, every few minutes)."""
    now = now or timezone.now()
    return {
        "draft changes told": summarise_draft_changes(now),
        "deadline reminders": remind_deadlines(timezone.localdate(now)),
        "messages sent at once": send_quiet(now),
        "digests sent": send_digests(now, force=digest_now),
    }
