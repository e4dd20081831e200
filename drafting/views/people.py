"""People: the secretariat's registration list and the closing of a past conference's accounts."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from drafting.models import Conference, MembershipChange, RegionalGroup, RegistrationUpload
from drafting.models.people import COORDINATORS, ROLES
from drafting.permissions import can_manage_group, can_manage_registration, can_view_group, is_secretariat
from drafting.services import DomainError
from drafting.services.accounts import deactivate_conference_accounts
from drafting.services.groups import add_member, make_coordinator, make_delegate, remove_member
from drafting.services.registration import (
    apply_registration_list,
    drop_registration_list,
    preview,
    read_registration_list,
)
from drafting.validation import whole_number


class ListForm(forms.Form):
    conference = forms.ModelChoiceField(
        queryset=Conference.objects.all(), empty_label=None, label=gettext_lazy("Conference")
    )
    file = forms.FileField(label=gettext_lazy("Registration list (.csv or .xlsx)"))


def _require(request: HttpRequest) -> None:
    if not can_manage_registration(request.user):
        raise PermissionDenied(_("Only the secretariat manages the registration list."))


def _conferences():
    return Conference.objects.annotate(
        registered=Count("registrations", distinct=True),
        open_accounts=Count("registrations", filter=Q(registrations__user__is_active=True), distinct=True),
    ).order_by("-year", "code")


@login_required
def registration(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and each conference's registrations. POST: read the list and show its preview."""
    _require(request)
    form = ListForm(request.POST or None, request.FILES or None)
    context = {"form": form, "conferences": _conferences(), "error": None}
    if request.method == "POST":
        if not form.is_valid():
            context["error"] = " ".join(str(m) for errors in form.errors.values() for m in errors)
            return render(request, "drafting/registration.html", context, status=400)
        upload = form.cleaned_data["file"]
        try:
            # One byte past the limit is enough for the service to refuse it: never more in memory.
            data = upload.read(settings.REGISTRATION_MAX_BYTES + 1)
            record = read_registration_list(request.user, form.cleaned_data["conference"], upload.name, data)
        except DomainError as problem:
            context["error"] = problem.message
            return render(request, "drafting/registration.html", context, status=problem.status)
        return redirect("registration_preview", pk=record.pk)
    return render(request, "drafting/registration.html", context)


@login_required
def registration_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What the list would do, row by row; apply it (one transaction) or drop it."""
    _require(request)
    upload = (
        RegistrationUpload.objects.select_related("conference")
        .filter(pk=pk, uploaded_by=request.user)
        .first()
    )
    if upload is None:
        messages.info(request, _("That preview has been applied or dropped already."))
        return redirect("registration")
    return render(
        request,
        "drafting/registration_preview.html",
        {"upload": upload, "preview": preview(upload), "send_email": settings.SEND_EMAIL},
    )


@require_POST
@login_required
def registration_apply(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    try:
        if "drop" in request.POST:
            drop_registration_list(request.user, pk)
            messages.info(request, _("The list was dropped; nothing was changed."))
            return redirect("registration")
        result = apply_registration_list(request.user, pk, invite=request.POST.get("invite") == "1")
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect("registration")
    counts = result.counts
    messages.success(
        request,
        _(
            "Registration list applied for %(conference)s: %(created)s accounts made, %(updated)s updated, "
            "%(unchanged)s unchanged, %(refused)s rows refused (left out)."
        )
        % {"conference": result.conference.code, **counts},
    )
    return render(request, "drafting/registration_done.html", {"preview": result}, status=200)


@login_required
def conference_accounts(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the accounts of a past conference, after a confirmation step (never deleted)."""
    _require(request)
    conference = get_object_or_404(_conferences(), pk=whole_number(pk, _("conference")))
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            closed = deactivate_conference_accounts(request.user, conference)
        except DomainError as problem:
            messages.error(request, problem.message)
            return redirect("registration")
        messages.success(
            request,
            _(
                "%(count)s accounts registered only for %(conference)s were closed; their work stays attributed."
            )
            % {"count": closed, "conference": conference.code},
        )
        return redirect("registration")
    return render(request, "drafting/conference_accounts.html", {"conference": conference})


# --- a regional group's members ----------------------------------------------------------


class MemberForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)
    name = forms.CharField(label=gettext_lazy("Name (for a new account)"), max_length=150, required=False)
    coordinator = forms.BooleanField(label=gettext_lazy("as a coordinator"), required=False)


def _group_for(request: HttpRequest, code: str) -> RegionalGroup:
    group = RegionalGroup.objects.filter(code=code[:16]).first()
    if group is None:
        raise Http404(_("No such regional group."))
    if not can_view_group(request.user, group):
        raise PermissionDenied(
            _("Only %(code)s's members and the secretariat see its members.") % {"code": group.code}
        )
    return group


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    """The secretariat sees every group; a member goes straight to their group (or chooses among theirs)."""
    groups = RegionalGroup.objects.annotate(member_count=Count("members", filter=Q(members__is_active=True)))
    if not is_secretariat(request.user):
        groups = groups.filter(members=request.user)
        mine = list(groups[:2])
        if len(mine) == 1:
            return redirect("group_detail", code=mine[0].code)
    return render(request, "drafting/group_list.html", {"groups": groups})


def _members(group: RegionalGroup) -> list[User]:
    members = list(
        group.members.select_related("profile")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.filter(name__in=ROLES), to_attr="roles"))
        .order_by("-is_active", "last_name", "first_name", "email")
    )
    for member in members:
        names = {g.name for g in member.roles}
        member.is_coordinator = COORDINATORS in names
    return members


@login_required
def group_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The group's members, the form to add one, and every change to its membership."""
    group = _group_for(request, code)
    status = 200
    form = MemberForm()
    can_manage = can_manage_group(request.user, group)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(
                _("Only %(code)s's coordinators and the secretariat manage its members.")
                % {"code": group.code}
            )
        action = request.POST.get("action", "")
        try:
            if action == "add":
                form = MemberForm(request.POST)
                if not form.is_valid():
                    raise DomainError(" ".join(str(m) for errors in form.errors.values() for m in errors))
                user, created = add_member(
                    request.user,
                    group,
                    form.cleaned_data["email"],
                    form.cleaned_data["name"],
                    coordinator=form.cleaned_data["coordinator"],
                )
                messages.success(
                    request,
                    (
                        _("%(who)s joined %(code)s.")
                        if not created
                        else _(
                            "%(who)s was invited to %(code)s: an account was made and an invitation mailed."
                        )
                        if settings.SEND_EMAIL
                        else _(
                            "%(who)s was added to %(code)s: an account was made. This installation sends no "
                            "e-mail: they log in with single sign-on, or the secretariat gives them a password."
                        )
                    )
                    % {"who": user.get_full_name() or user.email, "code": group.code},
                )
            elif action in {"remove", "coordinator", "delegate"}:
                member_id = whole_number(request.POST.get("member", ""), _("member"))
                service = {
                    "remove": remove_member,
                    "coordinator": make_coordinator,
                    "delegate": make_delegate,
                }[action]
                member = service(request.user, group, member_id)
                who = member.get_full_name() or member.email or member.username
                messages.success(
                    request,
                    {
                        "remove": _("%(who)s was removed from %(code)s."),
                        "coordinator": _("%(who)s is now a coordinator of %(code)s."),
                        "delegate": _("%(who)s is now a delegate of %(code)s."),
                    }[action]
                    % {"who": who, "code": group.code},
                )
            else:
                raise DomainError(_("Unknown action."))
            return redirect("group_detail", code=group.code)
        except DomainError as problem:
            messages.error(request, problem.message)
            status = problem.status
    changes = MembershipChange.objects.filter(group=group).select_related("member", "actor")[:100]
    return render(
        request,
        "drafting/group_detail.html",
        {
            "group": group,
            "members": _members(group),
            "form": form,
            "can_manage": can_manage,
            "changes": changes,
        },
        status=status,
    )
