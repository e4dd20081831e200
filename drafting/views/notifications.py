"""A person's notifications: the bell, the list, the e-mail choice and the one-click unsubscribe."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from drafting.languages import SESSION_KEY
from drafting.models import Contribution, Notification, Profile
from drafting.models.people import profile_of
from drafting.permissions import can_edit_contribution
from drafting.services import DomainError
from drafting.services.notifications import (
    bell,
    in_reading_language,
    mark_read,
    note_reading_language,
    record_visit,
    set_email_choice,
    user_for_unsubscribe,
)
from drafting.validation import whole_number

SHOWN = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The newest notifications, unread first in bold; and how to be told by e-mail."""
    status = 200
    if request.method == "POST":
        try:
            if "read_all" in request.POST:
                count = mark_read(request.user)
                messages.success(request, _("%(n)s notifications marked read.") % {"n": count})
            else:
                set_email_choice(request.user, request.POST.get("email", ""))
                messages.success(request, _("Your e-mail choice is saved."))
            return redirect("notification_list")
        except DomainError as problem:
            messages.error(request, problem.message)
            status = problem.status
    # In the reader's language, whoever's action made them.
    notifications = in_reading_language(Notification.objects.filter(user=request.user)[:SHOWN])
    return render(
        request,
        "drafting/notifications.html",
        {
            "notifications": notifications,
            "unread": sum(1 for n in notifications if n.read_at is None),
            "profile": profile_of(request.user),
            "choices": Profile.EMAIL_CHOICES,
            "send_email": settings.SEND_EMAIL,
        },
        status=status,
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: it is read, and the browser goes where it points."""
    notification = Notification.objects.filter(
        pk=whole_number(pk, _("notification")), user=request.user
    ).first()
    if notification is None:
        raise Http404(_("No such notification."))
    if notification.read_at is None:
        mark_read(request.user, [notification.pk])
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "notification_list"
    return redirect(target)


@login_required
def notification_bell(request: HttpRequest) -> HttpResponse:
    """The bell in the header (loaded after the page, so that no page pays for it): count and live channel.

    ``?seen=<contribution>``: the page was the group's draft; its opening is recorded here
    ("while you were away" is measured from it), not in the page's own request.
    """
    seen = request.GET.get("seen", "")
    if seen.isdigit() and len(seen) < 13:
        contribution = Contribution.objects.filter(pk=int(seen)).first()
        if contribution is not None and can_edit_contribution(request.user, contribution):
            record_visit(request.user, contribution)
    _note_reading(request)
    if SESSION_KEY not in request.session:
        # No language chosen: the bell's announcements are said in the one this page is in.
        note_reading_language(request.user, request.LANGUAGE_CODE)
    return render(
        request,
        "drafting/_bell.html",
        {"bell": bell(request.user, request.session.session_key), "poll_ms": settings.NOTIFY_POLL_MS},
    )


def _note_reading(request: HttpRequest) -> None:
    """``?reading=proposal:<id>`` or ``consolidation:<id>``: the page read (what "since my last visit"
    is measured from, drafting.services.since), recorded here rather than in the page's own request."""
    from drafting.models import Consolidation, Proposal
    from drafting.permissions import can_view_contribution
    from drafting.services.since import note_visit

    kind, _sep, pk = request.GET.get("reading", "").partition(":")
    if not pk.isdigit() or len(pk) > 12:
        return
    if kind == "proposal":
        proposal = Proposal.objects.select_related("contribution").filter(pk=int(pk)).first()
        if proposal is not None and can_view_contribution(request.user, proposal.contribution):
            note_visit(request.user, proposal=proposal)
    elif kind == "consolidation":
        consolidation = Consolidation.objects.filter(pk=int(pk)).first()
        if consolidation is not None:
            note_visit(request.user, consolidation=consolidation)


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (RFC 8058): a mail program POSTs here; a person's click shows a page with one button.

    The signed token in the link is the proof, no login needed. A GET never unsubscribes:
    link checkers and previews open links on their own.
    """
    user = user_for_unsubscribe(token)
    if user is None:
        return render(request, "drafting/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        profile = profile_of(user)
        profile.email_notifications = Profile.OFF
        profile.save(update_fields=["email_notifications"])
        done = True
    return render(request, "drafting/unsubscribe.html", {"person": user, "done": done, "token": token})
