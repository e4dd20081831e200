"""Undo, from the message that confirms an action: a settlement (one row or many), a suppression, a replace-all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from drafting.models import UndoableAction
from drafting.services import DomainError
from drafting.services.amendments import change_summary, undo_change
from drafting.services.consolidation import settlement_summary, undo_settlement
from drafting.services.undo import is_settlement


def undo_tag(action: UndoableAction | None) -> str:
    """The message's extra tag that puts an Undo button in it (see the ``undo_action`` filter)."""
    return f"undo-{action.pk}" if action is not None else ""


@require_POST
@login_required
def undo_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back one's own action, if nobody changed what it changed since; say what was done."""
    if pk >= 2**63:
        pk = 0  # no such action: the URL's number is not bounded, the column is
    try:
        action = (undo_settlement if is_settlement(pk) else undo_change)(request.user, pk)
    except DomainError as problem:
        if request.htmx:
            response = HttpResponse(
                format_html('<p class="message error" role="alert">{}</p>', problem.message),
                status=problem.status,
            )
            return reswap(retarget(response, "#messages"), "innerHTML")
        messages.error(request, problem.message)
        target = UndoableAction.objects.filter(pk=pk, user=request.user).first()
        return redirect(_place(target) if target is not None else "home")
    # Said now, in the language of the moment (it may not be the one it was done in).
    if action.kind in (UndoableAction.SETTLE, UndoableAction.SETTLE_MANY):
        what = settlement_summary(action)
    else:
        what = change_summary(action)
    done = gettext("Undone: %(what)s") % {"what": what}
    key = action.changes[0]["key"] if action.changes else ""
    if request.htmx and action.kind == UndoableAction.SETTLE:
        from drafting.views.consolidation import _settled_row

        return _settled_row(request, action.consolidation, key, done)
    if request.htmx and action.proposal_id is not None:
        from drafting.views.amendments import _draft_response

        response = _draft_response(request, action.proposal, done)
        return trigger_client_event(response, "draft-message", {"message": done})
    messages.success(request, done)
    return redirect(_place(action, key))


def _place(action: UndoableAction, key: str = "") -> str:
    """Where the action was done: its consolidation or its proposal, at its clause."""
    target = action.consolidation or action.proposal
    anchor = f"#{'k' if action.consolidation_id else 'c'}-{key}" if key else ""
    return target.get_absolute_url() + anchor
