"""Who may do what: every permission check of the tool is in this module."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

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


def role_label(user) -> str:
    roles = roles_of(user)
    for role, label in (
        (SECRETARIAT, "Secretariat"),
        (COORDINATORS, "Coordinator"),
        (DELEGATES, "Delegate"),
        (OBSERVERS, "Observer"),
    ):
        if role in roles:
            return label
    return "Administrator" if user.is_superuser else ""


def can_import_editions(user) -> bool:
    return is_secretariat(user)


def secretariat_required(view):
    """Only the secretariat: others get 403 with a message, visitors are sent to log in."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_secretariat(request.user):
            raise PermissionDenied("Only the secretariat can import base texts of resolutions.")
        return view(request, *args, **kwargs)

    return wrapper
