"""Whether a live pass still gives access: checked where a pass is used, not only when it was given.

A pass is signed when a page is rendered and is good for ``LIVE_TOKEN_MAX_AGE`` (12 hours), so that a
thousand open pages poll without the session store. What may have changed since the page was
rendered: its person logged out (the session the pass names ended), was deactivated, or left the
group whose draft it is. Every use of a pass (the poll, the live copies, the stream when it opens
and every ``LIVE_STREAM_RECHECK_S`` while it runs, presence, the citation check) asks ``allowed``;
the answer is kept ``LIVE_ACCESS_RECHECK_S`` seconds per pass and process (30 by default), so that
the check costs a few indexed reads per pass and half-minute, not per poll, and access ends within
a minute of the change.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from drafting import live

# Answers kept per process; the memo is emptied when full (a pass asks again at its next use).
MAX_KEPT = 20_000
_kept: dict[str, tuple[float, bool]] = {}
_lock = threading.Lock()


def allowed(value: str | None) -> bool:
    """Whether the pass ``value`` is valid and its holder may still read its channel."""
    fields = live.pass_fields(value)
    return fields is not None and _kept_answer(value, *fields)


def allowed_to_edit(proposal_pk: int, holder: int, tag: str | None) -> bool:
    """The same for a presence pass (given to one person who may edit the proposal)."""
    return _kept_answer(
        f"presence|{proposal_pk}|{holder}|{tag or ''}",
        live.proposal_channel(proposal_pk),
        "1",
        str(holder),
        tag or "",
    )


def _kept_answer(key: str, channel: str, can_edit: str, holder: str, tag: str) -> bool:
    now = time.monotonic()
    hit = _kept.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    answer = _may_follow(channel, can_edit, holder, tag)
    with _lock:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = (now + settings.LIVE_ACCESS_RECHECK_S, answer)
    return answer


def forget() -> None:
    """Every kept answer dropped (tests; a process that must see a change at once)."""
    with _lock:
        _kept.clear()


def _may_follow(channel: str, can_edit: str, holder: str, tag: str) -> bool:
    from django.contrib.auth.models import User

    from drafting.models import LiveSessionEnd, Proposal
    from drafting.permissions import can_view_contribution

    if tag and LiveSessionEnd.objects.filter(tag=tag).exists():
        return False
    if not holder:
        return True  # a pass given to no one in particular: readers' pages, ended by its age alone
    user = User.objects.filter(pk=int(holder), is_active=True).first()
    if user is None:
        return False
    kind, _, pk = channel.partition(":")
    if kind == "proposal":
        proposal = Proposal.objects.select_related("contribution").filter(pk=int(pk)).first()
        return proposal is not None and can_view_contribution(user, proposal.contribution)
    if kind == "user":
        return int(pk) == user.pk
    return True


def end_session(session_key: str | None) -> None:
    """The passes given to pages of this login session end (at logout)."""
    from drafting.models import LiveSessionEnd

    tag = live.session_tag(session_key)
    if tag is None:
        return
    LiveSessionEnd.objects.get_or_create(tag=tag)
    # Tags older than any pass are of no use: pruned now and then, without a scheduler.
    LiveSessionEnd.objects.filter(
        ended_at__lt=timezone.now() - timedelta(seconds=settings.LIVE_TOKEN_MAX_AGE)
    ).delete()


@receiver(user_logged_out, dispatch_uid="drafting.live.access.logged_out")
def _logged_out(sender, request=None, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        end_session(session.session_key)
