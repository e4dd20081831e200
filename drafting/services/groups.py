"""A regional group's members, managed by its coordinators (and the secretariat): add, remove, promote.

Each function is one transaction, checks the right to do it (``drafting.permissions``) and
records the change (``MembershipChange``: who, when, what).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.engine.text import TextProblem, clean_text
from drafting.models import MembershipChange, RegionalGroup
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT, profile_of
from drafting.permissions import can_manage_group
from drafting.translation import say

from . import DomainError
from .accounts import free_username, invite_after_commit, normalised_email, roles_held, set_roles

VIA = MembershipChange.GROUP_PAGE


class GroupProblem(DomainError):
    """A change to a group's members that cannot be made; nothing was changed."""


def _require_manage(actor, group: RegionalGroup) -> None:
    if not can_manage_group(actor, group):
        raise GroupProblem(
            _("Only %(code)s's coordinators and the secretariat manage its members.") % {"code": group.code},
            status=403,
        )


def _member(group: RegionalGroup, member_id: int) -> User:
    member = group.members.filter(pk=member_id).first()
    if member is None:
        raise GroupProblem(_("This person is not a member of %(code)s.") % {"code": group.code}, status=404)
    return member


def _record(group: RegionalGroup, member: User, action: str, actor) -> None:
    MembershipChange.objects.create(group=group, member=member, action=action, actor=actor, via=VIA)


@transaction.atomic
def add_member(
    actor, group: RegionalGroup, email: str, name: str = "", *, coordinator: bool = False
) -> tuple[User, bool]:
    """An existing account (by its e-mail address) joins the group; for a new address an account is made and invited.

    (the account, whether it was made).
    """
    _require_manage(actor, group)
    address = normalised_email(email)
    if address is None:
        raise GroupProblem(
            _("“%(email)s” is not an e-mail address.") % {"email": (email or "").strip()[:100]}
        )
    try:
        name = clean_text(" ".join((name or "").split()), _("name"), max_length=150)
    except TextProblem as problem:
        raise GroupProblem(say(problem)) from None
    found = list(User.objects.filter(email__iexact=address)[:2])
    if len(found) > 1:
        raise GroupProblem(
            _("Several accounts have this address; the secretariat must merge them first."), status=409
        )
    created = not found
    if created:
        user = User.objects.create_user(free_username(address), email=address, first_name=name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        profile_of(user)
        roles = set()
    else:
        user = found[0]
        roles = roles_held(user)
        if user.is_superuser or SECRETARIAT in roles:
            raise GroupProblem(
                _("%(email)s is a secretariat account; it cannot join a regional group.")
                % {"email": address},
                status=409,
            )
        if group.members.filter(pk=user.pk).exists():
            raise GroupProblem(
                _("%(email)s is already a member of %(code)s.") % {"email": address, "code": group.code},
                status=409,
            )
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
    group.members.add(user)
    _record(group, user, MembershipChange.INVITED if created else MembershipChange.ADDED, actor)
    wanted = (roles - {OBSERVERS}) | ({COORDINATORS} if coordinator else set())
    if not wanted & {DELEGATES, COORDINATORS}:
        wanted.add(DELEGATES)
    if coordinator:
        wanted.discard(DELEGATES)
        if COORDINATORS not in roles:
            _record(group, user, MembershipChange.MADE_COORDINATOR, actor)
    set_roles(user, wanted)
    if created:
        invite_after_commit([user.pk])
    return user, created


@transaction.atomic
def remove_member(actor, group: RegionalGroup, member_id: int) -> User:
    """The person leaves the group; with no group left, they keep reading as an observer."""
    _require_manage(actor, group)
    member = _member(group, member_id)
    if member.pk == actor.pk:
        raise GroupProblem(
            _("You cannot remove yourself; ask another coordinator of the group or the secretariat."),
            status=409,
        )
    group.members.remove(member)
    _record(group, member, MembershipChange.REMOVED, actor)
    if not member.regional_groups.exists():
        set_roles(member, (roles_held(member) - {DELEGATES, COORDINATORS}) | {OBSERVERS})
    return member


@transaction.atomic
def make_coordinator(actor, group: RegionalGroup, member_id: int) -> User:
    _require_manage(actor, group)
    member = _member(group, member_id)
    roles = roles_held(member)
    if COORDINATORS in roles:
        raise GroupProblem(_("%(name)s is already a coordinator.") % {"name": _name(member)}, status=409)
    set_roles(member, (roles - {DELEGATES, OBSERVERS}) | {COORDINATORS})
    _record(group, member, MembershipChange.MADE_COORDINATOR, actor)
    return member


@transaction.atomic
def make_delegate(actor, group: RegionalGroup, member_id: int) -> User:
    _require_manage(actor, group)
    member = _member(group, member_id)
    if member.pk == actor.pk:
        raise GroupProblem(
            _("You cannot step down yourself; ask another coordinator or the secretariat."), status=409
        )
    roles = roles_held(member)
    if COORDINATORS not in roles:
        raise GroupProblem(_("%(name)s is a delegate already.") % {"name": _name(member)}, status=409)
    set_roles(member, (roles - {COORDINATORS}) | {DELEGATES})
    _record(group, member, MembershipChange.MADE_DELEGATE, actor)
    return member


def _name(user: User) -> str:
    return user.get_full_name() or user.email or user.username
