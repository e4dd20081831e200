"""The projector: the meeting room's screen shows a draft and follows the officer who drives it.

A *room* is a draft shown on the room's screen: a consolidation's draft revision, or a group's
proposal. Whoever may read that draft may follow it (on the room's projector or on their own
device); only the secretariat drives a consolidation's room (while it is open), and only the
group's editors (its delegates and coordinator) drive their proposal's room.

Driving says which clause the officer is on, and, while they type in it, the words typed: each is
one small event on the draft's live channel (``drafting.live``, kind ``projector``), pushed by the
stream to every screen following, as every other change of the draft is. What is settled or saved
comes through the channel's "changed" events, which the screens follow the same way. The room's
screens opened later start from the channel's last ``projector`` event (one indexed query).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext

from drafting import live
from drafting.engine import limits
from drafting.engine.text import TextProblem, clean_text
from drafting.models import Consolidation, Proposal, Provision
from drafting.models.people import COORDINATORS, DELEGATES
from drafting.permissions import can_view_contribution, is_group_member, is_secretariat, roles_of
from drafting.translation import say

from . import DomainError

KIND = "projector"
_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# The words typed travel in the event itself while they fit in it (live events are small); a longer
# text is shown as "being edited" until it is saved, which the draft's own update brings.
MAX_EVENT_BYTES = 1800
# The longest text a box takes (a settlement's, which may hold every group's alternative); anything
# longer is refused, not cut.
MAX_TEXT = limits.MAX_SETTLED_CHARS
# Points per person a minute, at most: typing sends one each pause (the page waits 250 ms).
RATE = 300


class ProjectorProblem(DomainError):
    """The projector cannot do what was asked; nothing was sent."""


@dataclass(frozen=True)
class Room:
    """A draft on the room's screen: its live channel, and whether this person drives it."""

    channel: str
    consolidation: Consolidation | None
    proposal: Proposal | None
    can_drive: bool


def consolidation_room(user, consolidation: Consolidation) -> Room:
    """The room of a consolidation's draft: every reader follows; the secretariat drives while it is open."""
    if not user.is_authenticated:
        raise ProjectorProblem(gettext("Log in to follow the room."), status=403)
    return Room(
        channel=live.consolidation_channel(consolidation.pk),
        consolidation=consolidation,
        proposal=None,
        can_drive=is_secretariat(user) and consolidation.status == Consolidation.OPEN,
    )


def proposal_room(user, proposal: Proposal) -> Room:
    """The room of a group's proposal: whoever may read it follows; the group's editors drive."""
    if not can_view_contribution(user, proposal.contribution):
        raise ProjectorProblem(gettext("No such proposal."), status=404)
    if proposal.action != Proposal.MOD or proposal.base_edition_id is None:
        raise ProjectorProblem(gettext("Only a proposal that modifies a resolution has a draft to show."))
    editor = is_group_member(user, proposal.contribution.group_id) and bool(
        roles_of(user) & {DELEGATES, COORDINATORS}
    )
    return Room(
        channel=live.proposal_channel(proposal.pk),
        consolidation=None,
        proposal=proposal,
        can_drive=editor,
    )


def _in_draft(room: Room, key: str) -> bool:
    """Whether the clause is one of the room's draft: of its base edition, or added by a proposal on it."""
    if room.proposal is not None:
        base, additions = room.proposal.base_edition_id, Q(additions__proposal_id=room.proposal.pk)
    else:
        consolidation = room.consolidation
        base = consolidation.base_edition_id
        additions = Q(
            additions__proposal__resolution_id=consolidation.resolution_id,
            additions__proposal__contribution__conference_id=consolidation.conference_id,
        )
    return Provision.objects.filter(key=key).filter(Q(clauses__edition_id=base) | additions).exists()


def _within_rate(user_pk: int) -> bool:
    minute = f"projector-rate:{user_pk}:{int(time.time() // 60)}"
    cache.add(minute, 0, 120)
    try:
        return cache.incr(minute) <= RATE
    except ValueError:  # evicted in between
        cache.set(minute, 1, 120)
        return True


@transaction.atomic
def point(user, room: Room, key: str, text: str | None = None) -> dict:
    """The officer is on clause ``key`` (typing ``text`` in it, if given): told to every screen following.

    Returns the event sent. Refused, with nothing sent, to whoever does not drive the room, for a
    clause the draft does not have, for a text longer than a clause's box takes, and past ``RATE``
    a minute.
    """
    if not room.can_drive:
        if room.proposal is not None:
            message = gettext("Only the group's delegates drive the projector of its proposal.")
        else:
            message = gettext("Only the secretariat drives the projector of a consolidation.")
        raise ProjectorProblem(message, status=403)
    key = (key or "").strip().lower()
    if not _KEY.match(key):
        raise ProjectorProblem(gettext("Name a clause of the draft."))
    if text is not None:
        if len(text) > MAX_TEXT:
            raise ProjectorProblem(
                gettext("The text typed is at most %(limit)s characters.") % {"limit": f"{MAX_TEXT:,}"}
            )
        try:
            # What the box would refuse to save (NUL, control characters) is refused here too: it
            # would not even go into the event's JSON on PostgreSQL.
            text = clean_text(text)
        except TextProblem as problem:
            raise ProjectorProblem(say(problem)) from None
    if not _in_draft(room, key):
        raise ProjectorProblem(gettext("This clause is not in the draft."), status=404)
    if not _within_rate(user.pk):
        raise ProjectorProblem(gettext("The projector is being moved too often: wait a minute."), status=429)
    event = {"key": key, "by": (user.get_full_name() or user.username)[:80], "at": round(time.time(), 3)}
    if text is not None:
        event["typing"] = True
        with_text = {**event, "text": text}
        if len(json.dumps(with_text)) <= MAX_EVENT_BYTES:
            event = with_text
    live.publish(room.channel, KIND, event)
    return event


def pointed(room: Room) -> dict | None:
    """Where the room's screen is now: the last clause pointed at (within the channel's kept hour)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data FROM drafting_liveevent WHERE channel = %s AND kind = %s ORDER BY id DESC LIMIT 1",
            [room.channel, KIND],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    data = json.loads(row[0]) if isinstance(row[0], str) else row[0]
    # A screen opened now shows the saved text: words typed then are not the draft.
    return {"key": data.get("key", ""), "by": data.get("by", "")}
