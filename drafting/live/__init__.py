"""The live channel: what open pages poll to learn, cheaply, that something changed.

A channel is named after what a page shows: ``proposal:12`` (the editor of proposal 12),
``consolidation:3`` (the synoptic view). Services announce a change when their
transaction commits; the event goes into one small table, so every worker process and
every machine behind a load balancer sees it. Pages poll ``/live/events`` with a *pass*
signed at render time: it names the channel and what the viewer may do there, so the
poll is answered with one HMAC check and one indexed query, without the session store,
the user table or the ORM (see ``drafting.live.wsgi``). Events are small JSON objects:
``changed`` carries the new version; other kinds (presence: who edits which clause) can
be published with ``publish`` and reach the same pages.

The package is the live channel's one home:

- here, the events: channels, the passes, publishing (services call ``announce_change``) and
  reading them;
- ``draft_delta``: the content stamps each version of a draft leaves, and what changed between two;
- ``copies``: the copies a change sends to the pages following it (a draft's changed clauses, a
  synoptic view's rows), rendered from the pages' own contexts;
- ``wsgi``: the poll and the cached copies answered in front of Django (``drafting.wsgi``);
- ``stream``: the server-sent event stream (``uvicorn drafting.live.stream:app``).

This module and ``draft_delta`` sit below the services (they import nothing of them); ``copies``,
``wsgi`` and ``stream`` sit with the views and the server entry points (see the README's Layout).

Ordering: ids come from a sequence, and two events may become visible out of id order.
A "changed" event is only a hint to fetch the current state by version, and it is
inserted after the change committed, so a page that skips one still fetches the state
that includes it with the next.
"""

from __future__ import annotations

import json
import random
import re
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

CHANGED = "changed"
CHANNEL = re.compile(r"^(proposal|consolidation|user):[0-9]{1,12}$")
# Events older than this are deleted now and then; a page away longer reloads its state.
KEEP = timedelta(hours=1)
MAX_EVENTS = 50
_SALT = "drafting.live"
# The PostgreSQL notification every new event raises (payload "<id> <channel>"), on which the
# stream server of every process and machine listens (drafting.live.stream).
NOTIFY_CHANNEL = "drafting_live"


# The longest Accept-Language read (a browser sends a few dozen characters; a page's own, one code).
_MAX_LANGUAGE_HEADER = 200


def language_asked(*asked: str) -> str:
    """The interface language of the page asking, one of settings.LANGUAGES: the first of ``asked``
    (the stream's ``lang`` parameter, an Accept-Language header: the pages send their own <html lang>,
    as fetch sends no cookie here) that names one, else settings.LANGUAGE_CODE.

    Read in front of Django, without its middleware, session or database: Django remembers each header
    parsed and each code looked up (lru_cache), so a poll costs two dictionary look-ups."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    from drafting.translation import supported

    for header in asked:
        for code, _ in parse_accept_lang_header((header or "")[:_MAX_LANGUAGE_HEADER].lower()):
            if code == "*":
                break
            if found := supported(code):
                return found
    return settings.LANGUAGE_CODE


def proposal_channel(pk: int) -> str:
    return f"proposal:{pk}"


def consolidation_channel(pk: int) -> str:
    return f"consolidation:{pk}"


def user_channel(pk: int) -> str:
    """A person's own channel: their notification bell."""
    return f"user:{pk}"


_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")
# The largest id the databases hold (a signed 64-bit integer): a number past it reaching a query is an
# OverflowError on SQLite (a 503 and a logged exception, issue 22), so it is refused before.
MAX_ID = 2**63 - 1


def whole_number(value: str | None) -> int | None:
    """A number read from a request (an event id, a version): ASCII digits from 0 to ``MAX_ID``, else None.

    Stricter than ``int()``, which also takes signs, spaces, underscores and other scripts' digits."""
    if value is None or not _WHOLE_NUMBER.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


# --- passes: who may listen to which channel -------------------------------------------


def session_tag(session_key: str | None) -> str | None:
    """The tag a pass names its login session by: a keyed hash of the session key (a pass is seen in
    pages and in requests; the key itself would be the session). None for no session."""
    if not session_key:
        return None
    return salted_hmac(_SALT + ".session", session_key, algorithm="sha256").hexdigest()[:32]


def pass_for(channel: str, *, can_edit: bool, holder: int | None = None, session: str | None = None) -> str:
    """A signed pass for one channel, given to a page its viewer may see. ``holder``: the viewer's user
    id, whose rights are checked again while the pass is used and whose streams are counted
    (``LIVE_STREAM_MAX_PER_HOLDER``); ``session``: the login session's key, whose end (logout) ends
    the pass (drafting.live.access)."""
    if not CHANNEL.match(channel):
        raise ValueError(f"not a live channel: {channel!r}")
    fields = [channel, str(int(can_edit))]
    if holder or session:
        fields.append(str(int(holder)) if holder else "")
    tag = session_tag(session)
    if tag:
        fields.append(tag)
    return signing.TimestampSigner(salt=_SALT).sign("|".join(fields))


def pass_fields(value: str | None) -> list[str] | None:
    """[channel, can_edit, holder, session tag] of a valid, unexpired pass (holder and tag "" when the
    pass names none); None otherwise."""
    if not value or len(value) > 200:
        return None
    try:
        raw = signing.TimestampSigner(salt=_SALT).unsign(value, max_age=settings.LIVE_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    fields = raw.split("|")
    if not 2 <= len(fields) <= 4 or not CHANNEL.match(fields[0]) or fields[1] not in ("0", "1"):
        return None
    if len(fields) > 2 and fields[2] and not fields[2].isdigit():
        return None
    return (fields + ["", ""])[:4]


def read_pass(value: str | None) -> tuple[str, bool] | None:
    """(channel, can_edit) of a valid, unexpired pass; None otherwise."""
    fields = pass_fields(value)
    if fields is None:
        return None
    return fields[0], fields[1] == "1"


def pass_holder(value: str | None) -> int | None:
    """The user id a valid pass was given to, or None (not valid, or given to no one in particular)."""
    fields = pass_fields(value)
    if fields is None or not fields[2]:
        return None
    return int(fields[2])


# A page's pass travels in this header (never in a URL, which access logs keep); the stream, which an
# EventSource opens by URL alone, takes a ticket instead: the pass signed again, good for a minute.
PASS_HEADER = "X-Live-Pass"
TICKET_MAX_AGE = 60
_TICKET_SALT = _SALT + ".ticket"


def ticket_for(value: str) -> str | None:
    """A ticket for the stream, for a valid pass: what the stream's URL carries instead of the pass.

    It holds what the pass says (channel, rights, holder, session tag, when it was signed) but not its
    signature, signed again under another salt for ``TICKET_MAX_AGE`` seconds: a URL read from a log
    gives no pass, and a ticket a minute."""
    if pass_fields(value) is None:
        return None
    raw, signed_at, _ = value.rsplit(":", 2)
    return signing.TimestampSigner(salt=_TICKET_SALT).sign(f"{raw}~{signed_at}")


def pass_of_ticket(ticket: str | None) -> str | None:
    """The pass a ticket was given for (signed again here, as it was), while the ticket is fresh and
    the pass valid; None otherwise."""
    if not ticket or len(ticket) > 300:
        return None
    try:
        payload = signing.TimestampSigner(salt=_TICKET_SALT).unsign(ticket, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:
        return None
    raw, _, signed_at = payload.rpartition("~")
    # TimestampSigner.sign is Signer.sign of "<value>:<time>": the pass as it was signed then.
    value = signing.Signer.sign(signing.TimestampSigner(salt=_SALT), f"{raw}:{signed_at}")
    return value if pass_fields(value) is not None else None


# --- publishing -----------------------------------------------------------------------


def announce_change(channel: str) -> None:
    """Tell the channel's pages, once the current transaction commits, that its content changed."""
    if not CHANNEL.match(channel):
        raise ValueError(f"not a live channel: {channel!r}")
    transaction.on_commit(lambda: _announce(channel), robust=True)


def _current_version(channel: str) -> int | None:
    kind, pk = channel.split(":")
    table = {"proposal": "drafting_proposal", "consolidation": "drafting_consolidation"}[kind]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE id = %s", [int(pk)])  # noqa: S608 (fixed names)
        row = cursor.fetchone()
    return row[0] if row else None


def _announce(channel: str) -> None:
    version = _current_version(channel)
    if version is None:
        return
    # A transaction that touched a proposal several times (find and replace) runs this once
    # per touch: the final version is announced once.
    latest = events_after(channel, last_event_id(channel) - 1, limit=1)
    if latest and latest[0]["kind"] == CHANGED and latest[0]["data"].get("version") == version:
        return
    _insert(channel, CHANGED, {"version": version})


def publish(channel: str, kind: str, data: dict | None = None) -> None:
    """Publish a small event (at most a few hundred bytes of JSON) on a channel, after commit."""
    if not CHANNEL.match(channel):
        raise ValueError(f"not a live channel: {channel!r}")
    if not re.fullmatch(r"[a-z][a-z_-]{0,31}", kind):
        raise ValueError(f"not an event kind: {kind!r}")
    payload = data or {}
    if len(json.dumps(payload)) > 2000:
        raise ValueError("a live event carries a few hundred bytes, not a document")
    transaction.on_commit(lambda: _insert(channel, kind, payload), robust=True)


def publish_many(kind: str, payloads: dict[str, dict]) -> None:
    """One event of the same kind on each of many channels, after commit, in one insert (and one NOTIFY query).

    For a fan-out (a notification to a whole group): the cost does not grow with the followers.
    """
    if not re.fullmatch(r"[a-z][a-z_-]{0,31}", kind):
        raise ValueError(f"not an event kind: {kind!r}")
    for channel, data in payloads.items():
        if not CHANNEL.match(channel):
            raise ValueError(f"not a live channel: {channel!r}")
        if len(json.dumps(data)) > 2000:
            raise ValueError("a live event carries a few hundred bytes, not a document")
    if payloads:
        items = dict(payloads)
        transaction.on_commit(lambda: _insert_many(kind, items), robust=True)


def _insert_many(kind: str, payloads: dict[str, dict]) -> None:
    from drafting.models import LiveEvent

    events = LiveEvent.objects.bulk_create(
        [LiveEvent(channel=channel, kind=kind, data=data) for channel, data in payloads.items()]
    )
    if connection.vendor == "postgresql" and events and events[0].pk is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_notify(%s, n) FROM unnest(%s::text[]) AS n",
                [NOTIFY_CHANNEL, [f"{event.pk} {event.channel}" for event in events]],
            )


def _insert(channel: str, kind: str, data: dict) -> None:
    from drafting.models import LiveEvent

    event = LiveEvent.objects.create(channel=channel, kind=kind, data=data)
    if connection.vendor == "postgresql":
        # Sent when the insert commits (NOTIFY is transactional), so the row is visible to the
        # stream servers by the time they hear of it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, f"{event.pk} {channel}"])
    # Keep the table small without a scheduler: about one insert in a hundred prunes.
    if random.random() < 0.01:
        LiveEvent.objects.filter(created_at__lt=timezone.now() - KEEP).exclude(pk=event.pk).delete()


# --- reading --------------------------------------------------------------------------


def last_event_id(channel: str) -> int:
    """The newest event id of a channel (0 if none): where a freshly rendered page starts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM drafting_liveevent WHERE channel = %s", [channel])
        row = cursor.fetchone()
    return row[0] or 0


def events_after(channel: str, after: int, limit: int = MAX_EVENTS) -> list[dict]:
    """The channel's events newer than ``after``, oldest first: one query on (channel, id)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, data FROM drafting_liveevent WHERE channel = %s AND id > %s ORDER BY id LIMIT %s",
            [channel, after, limit],
        )
        rows = cursor.fetchall()
    return [
        {"id": pk, "kind": kind, "data": json.loads(data) if isinstance(data, str) else data}
        for pk, kind, data in rows
    ]


def page_context(
    channel: str, *, can_edit: bool, holder: int | None = None, session: str | None = None
) -> dict:
    """What a page's template needs to listen: the pass, where to start, how often to ask."""
    return {
        "live_pass": pass_for(channel, can_edit=can_edit, holder=holder, session=session),
        "live_after": last_event_id(channel),
        "live_poll_ms": settings.LIVE_POLL_MS,
        "live_stream": settings.LIVE_STREAM_URL,
    }


def announce_contribution(contribution) -> None:
    """A contribution submitted or withdrawn changes the consolidations of the resolutions it proposes on."""
    from drafting.models import Consolidation

    for pk in Consolidation.objects.filter(
        conference_id=contribution.conference_id,
        resolution__in=contribution.proposals.exclude(resolution=None).values("resolution"),
    ).values_list("pk", flat=True):
        announce_change(consolidation_channel(pk))
