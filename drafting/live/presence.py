"""Presence: who has which clause's edit box open now, told to the group when it changes.

The editor says "editing" when a delegate opens a clause's box (and again every
``HEARTBEAT_S`` while it stays open) and "left" when it closes. Each is a POST to
``/live/presence`` with the page's *presence pass* (signed at render time: the proposal, the
person and the name shown), answered in front of Django (``drafting.live.wsgi``): no session,
no user table, no middleware.

What reaches the other pages costs what it tells:

- one state per person and clause, kept in the cache for ``TTL`` seconds from its last renewal;
  a state repeated (the heartbeat) renews it and is not sent again, except once every
  ``REFRESH`` seconds, so that the pages following, which forget a state ``TTL`` seconds after
  they last heard of it, keep it while the box is open and drop it when a laptop closes;
- at most ``RATE`` states sent per person a minute (more are refused with 429: a page that
  loops or a script cannot flood the group's pages);
- only for clauses of that draft (the base edition's clauses and the ones the proposal adds):
  anything else is 404 and nothing is sent.

A freshly opened page starts from the states sent in the last ``TTL`` seconds (``current``), kept
in the cache per proposal. With the default per-process cache (``locmem://``) each process knows
what went through it: a page may then learn of someone already editing only at that state's next
refresh; with a shared cache (``db://``, ``redis://``) every process knows all of it.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext

from drafting import live

STATES = ("editing", "left")
KIND = "presence"
# How often an open box says it is still open; how long a state lasts without that; how often an
# unchanged state is told again (so that the pages keep it: they forget it after TTL).
HEARTBEAT_S = 30
TTL = 120
REFRESH = TTL // 2
# States sent per person a minute, at most: opening and closing a box is two, so this is a clause
# every two seconds all minute long (a delegate walking the clauses with Enter and Esc stays under it;
# 20, a clause every six seconds, refused the load test's brisk drafters). A page in a loop or a
# script sending hundreds a minute is still refused.
RATE = 60
_SALT = "drafting.live.presence"
_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def pass_for(proposal_pk: int, user, session: str | None = None) -> str:
    """The presence pass of one person on one proposal's editor: given only to those who may edit it,
    ended with the login session ``session`` (its key) like the page's live pass (drafting.live.access)."""
    who = (user.get_full_name() or user.username)[:80]
    data = {"p": proposal_pk, "u": user.pk, "w": who}
    tag = live.session_tag(session)
    if tag:
        data["s"] = tag
    return signing.dumps(data, salt=_SALT, compress=False)


def read_pass(value: str) -> tuple[int, int, str, str] | None:
    """(proposal, user, name, session tag or "") of a valid, unexpired presence pass; None otherwise."""
    if not value or len(value) > 400:
        return None
    try:
        data = signing.loads(value, salt=_SALT, max_age=settings.LIVE_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    try:
        return int(data["p"]), int(data["u"]), str(data["w"])[:80], str(data.get("s", ""))[:32]
    except (KeyError, TypeError, ValueError):
        return None


def _state_key(proposal_pk: int, uid: int, key: str) -> str:
    return f"presence:{proposal_pk}:{uid}:{key}"


def _index_key(proposal_pk: int) -> str:
    return f"presence:{proposal_pk}"


def _in_draft(proposal_pk: int, key: str) -> bool:
    """Whether the clause is one of the draft's: of its base edition, or added by the proposal (1 query)."""
    from django.db.models import Q, Subquery

    from drafting.models import Proposal, Provision

    base = Proposal.objects.filter(pk=proposal_pk).values("base_edition_id")[:1]
    return (
        Provision.objects.filter(key=key)
        .filter(Q(clauses__edition_id=Subquery(base)) | Q(additions__proposal_id=proposal_pk))
        .exists()
    )


def _within_rate(uid: int, now: float) -> bool:
    minute = f"presence-rate:{uid}:{int(now // 60)}"
    cache.add(minute, 0, 120)
    try:
        return cache.incr(minute) <= RATE
    except ValueError:  # evicted in between: count again from here
        cache.set(minute, 1, 120)
        return True


def tell(grant: tuple[int, int, str], key: str, state: str, now: float | None = None) -> tuple[int, str]:
    """A person's state on a clause, from their page: (status, what went wrong or "")."""
    proposal_pk, uid, who = grant[:3]
    if state not in STATES:
        return 400, gettext("The state is “editing” or “left”.")
    if not _KEY.match(key or ""):
        return 400, gettext("The key must be a clause's key.")
    now = time.time() if now is None else now
    state_key = _state_key(proposal_pk, uid, key)
    known = cache.get(state_key)
    if known is not None and known[0] == state and now - known[1] < REFRESH:
        # The same state again (the heartbeat): renewed here, not sent to every page again.
        cache.touch(state_key, TTL)
        return 204, ""
    # A "left" with nothing known here is sent too: the "editing" may have gone through another
    # process (a per-process cache); it is then remembered, so a second one is not.
    if not _in_draft(proposal_pk, key):
        return 404, gettext("This clause is not in the draft.")
    if not _within_rate(uid, now):
        return 429, gettext("Too many changes of who is editing what: wait a minute.")
    cache.set(state_key, (state, now), TTL)
    _remember(proposal_pk, uid, who, key, state, now)
    live.publish(
        live.proposal_channel(proposal_pk),
        KIND,
        {"key": key, "state": state, "who": who, "uid": uid, "ttl": TTL},
    )
    return 204, ""


def _remember(proposal_pk: int, uid: int, who: str, key: str, state: str, now: float) -> None:
    """Keeps who edits what on the proposal, for the pages opened next (``current``)."""
    index = {k: v for k, v in (cache.get(_index_key(proposal_pk)) or {}).items() if v[1] > now}
    if state == "editing":
        index[f"{uid}:{key}"] = (who, now + TTL)
    else:
        index.pop(f"{uid}:{key}", None)
    cache.set(_index_key(proposal_pk), index, TTL)


def current(proposal_pk: int, now: float | None = None) -> list[dict]:
    """Who is editing which clause of the proposal now, as the events say it: for a page just opened."""
    now = time.time() if now is None else now
    found = []
    for entry, (who, until) in (cache.get(_index_key(proposal_pk)) or {}).items():
        if until > now:
            uid, _, key = entry.partition(":")
            found.append(
                {"key": key, "state": "editing", "who": who, "uid": int(uid), "ttl": int(until - now)}
            )
    return found
