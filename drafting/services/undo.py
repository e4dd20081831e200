"""Undo: the record an action leaves, so that its author can take it back from the message that
confirms it (a settlement of one clause or of many, a suppression, a replace-all).

The services that act record what they changed here, in their own transaction; taking an action
back is done by the service of its area (``consolidation.undo_settlement``,
``amendments.undo_change``; ``kind_of`` says which), as a compare-and-swap on the versions the
action left: if anyone changed one of those records since, nothing is undone and the message says so.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext

from drafting.models import UndoableAction
from drafting.permissions import can_undo

from . import DomainError

# An action can be taken back this long after it was done (the record is then deleted).
KEEP = timedelta(days=2)


class UndoProblem(DomainError):
    """An undo that cannot be done; nothing was changed."""


def record(
    user, kind: str, summary: str, changes: list[dict], *, said: dict | None = None, **target
) -> UndoableAction:
    """Keep what an action changed (inside the action's transaction); ``said``, what its summary says."""
    action = UndoableAction.objects.create(
        user=user, kind=kind, summary=summary[:300], said=said, changes=changes, **target
    )
    # Keep the table small without a scheduler: about one action in fifty prunes the old ones.
    if random.random() < 0.02:
        UndoableAction.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return action


def take(user, pk: int) -> UndoableAction:
    """The action to undo, locked: only its author undoes it, once, while it is kept."""
    action = UndoableAction.objects.select_for_update().filter(pk=pk).first()
    if action is None or action.created_at < timezone.now() - KEEP:
        raise UndoProblem(gettext("There is nothing to undo any more: the action is too old."), status=404)
    if not can_undo(user, action):
        raise UndoProblem(gettext("Only the person who did it can undo an action."), status=403)
    if action.undone_at is not None:
        raise UndoProblem(gettext("This was undone already."), status=409)
    return action


def done(action: UndoableAction) -> None:
    action.undone_at = timezone.now()
    action.save(update_fields=["undone_at"])


def is_settlement(pk: int) -> bool:
    """Whether the action is a settlement (undone by ``consolidation.undo_settlement``) rather than a
    change to a draft (``amendments.undo_change``)."""
    kind = UndoableAction.objects.filter(pk=pk).values_list("kind", flat=True).first()
    return kind in (UndoableAction.SETTLE, UndoableAction.SETTLE_MANY)
