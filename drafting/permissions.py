"""Who may do what: every permission check of the tool is in this module."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext, gettext_lazy

from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, ROLES, SECRETARIAT


def roles_of(user) -> set[str]:
    """The role groups of a user, read once per request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_drafting_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._drafting_roles = cached
    return cached


def is_secretariat(user) -> bool:
    return user.is_authenticated and (user.is_superuser or SECRETARIAT in roles_of(user))


def role_of(user) -> str:
    """The person's main role, as a code: secretariat, coordinator, delegate, observer, admin or ""."""
    roles = roles_of(user)
    for role, code in (
        (SECRETARIAT, "secretariat"),
        (COORDINATORS, "coordinator"),
        (DELEGATES, "delegate"),
        (OBSERVERS, "observer"),
    ):
        if role in roles:
            return code
    return "admin" if user.is_superuser else ""


ROLE_NAMES = {
    "secretariat": gettext_lazy("Secretariat"),
    "coordinator": gettext_lazy("Coordinator"),
    "delegate": gettext_lazy("Delegate"),
    "observer": gettext_lazy("Observer"),
    "admin": gettext_lazy("Administrator"),
}


def role_label(user) -> str:
    """The person's main role in words, in the reader's language."""
    code = role_of(user)
    return str(ROLE_NAMES[code]) if code else ""


def can_import_editions(user) -> bool:
    return is_secretariat(user)


def secretariat_required(view):
    """Only the secretariat: others get 403 with a message, visitors are sent to log in."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_secretariat(request.user):
            raise PermissionDenied(gettext("Only the secretariat can import base texts of resolutions."))
        return view(request, *args, **kwargs)

    return wrapper


def _member_ids(user) -> set[int]:
    cached = getattr(user, "_drafting_groups", None)
    if cached is None:
        cached = set(user.regional_groups.values_list("id", flat=True)) if user.is_authenticated else set()
        user._drafting_groups = cached
    return cached


def is_group_member(user, group_id: int) -> bool:
    return user.is_authenticated and group_id in _member_ids(user)


def can_view_contribution(user, contribution) -> bool:
    """Drafts are private to their group; submitted and withdrawn ones are read by everyone logged in."""
    if not user.is_authenticated:
        return False
    if contribution.status == "draft":
        return is_group_member(user, contribution.group_id)
    return True


def can_edit_contribution(user, contribution) -> bool:
    """Delegates (and the coordinator) of the owning group, while it is a draft."""
    roles = roles_of(user)
    return (
        contribution.status == "draft"
        and is_group_member(user, contribution.group_id)
        and bool(roles & {DELEGATES, COORDINATORS})
    )


def can_comment(user, contribution) -> bool:
    """Comments are the group's drafting discussion: its members, while the contribution is a draft.

    A submitted or withdrawn contribution is frozen, its comment threads with it (still
    readable): nothing about it changes, for anyone. What the secretariat has to say about a
    submitted text goes in its consolidation notes.
    """
    return contribution.status == "draft" and is_group_member(user, contribution.group_id)


def can_submit_contribution(user, contribution) -> bool:
    return (
        contribution.status == "draft"
        and is_group_member(user, contribution.group_id)
        and COORDINATORS in roles_of(user)
    )


def can_withdraw(user, contribution) -> bool:
    return (
        contribution.status == "submitted"
        and is_group_member(user, contribution.group_id)
        and COORDINATORS in roles_of(user)
    )


def can_manage_registration(user) -> bool:
    """The conference's registration list and the closing of a past conference's accounts: the secretariat."""
    return is_secretariat(user)


def can_view_group(user, group) -> bool:
    """A regional group's member list: its members and the secretariat."""
    return is_secretariat(user) or is_group_member(user, group.pk)


def can_manage_group(user, group) -> bool:
    """Adding, removing and promoting a group's members: its coordinators and the secretariat, never another group's."""
    return is_secretariat(user) or (COORDINATORS in roles_of(user) and is_group_member(user, group.pk))


def can_settle(user, consolidation) -> bool:
    """Settling a consolidation's clauses, one or many at once (and undoing one's own settlements):
    the secretariat, while the consolidation is open."""
    return is_secretariat(user) and consolidation.status == "open"


def can_undo(user, action) -> bool:
    """An action is taken back by the person who did it, and only while they may still do it."""
    return user.is_authenticated and action.user_id == user.pk
