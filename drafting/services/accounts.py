"""People's accounts: made or updated from a sign-on's claims, roles and groups set, invitations, deactivation.

The registration list (``registration.py``), the group page (``groups.py``) and single
sign-on all change roles and group membership through the helpers here, so that each
change to a group is recorded the same way (``MembershipChange``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int
from django.utils.translation import gettext as _

from drafting.engine.text import TextProblem, clean_text
from drafting.models import Conference, MembershipChange, Profile, RegionalGroup, Registration
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, ROLES, SECRETARIAT, profile_of
from drafting.oidc import provider_name
from drafting.translation import say

from . import DomainError


class AccountProblem(DomainError):
    """An account cannot be made or changed as asked; nothing was saved."""


# The words a registration list or a provider's claim may use for each role.
ROLE_WORDS = {
    "delegate": DELEGATES,
    "delegates": DELEGATES,
    "coordinator": COORDINATORS,
    "coordinators": COORDINATORS,
    "group coordinator": COORDINATORS,
    "secretariat": SECRETARIAT,
    "secretariat officer": SECRETARIAT,
    "officer": SECRETARIAT,
    "observer": OBSERVERS,
    "observers": OBSERVERS,
}
# The roles that belong to a regional group: a delegate or coordinator drafts with one.
GROUP_ROLES = {DELEGATES, COORDINATORS}


def role_from_word(word: str) -> str | None:
    """The role a registration list or a claim names ("Delegate", "coordinators"), or None."""
    return ROLE_WORDS.get(" ".join(str(word).split()).lower())


class GroupIndex:
    """The regional groups by every name a list or a provider may give them: code, proposal prefix, name."""

    def __init__(self, groups: Iterable[RegionalGroup] | None = None):
        self.by_word: dict[str, RegionalGroup] = {}
        for group in groups if groups is not None else RegionalGroup.objects.all():
            for word in (group.name, group.proposal_prefix, group.code):  # the code wins a clash
                if word:
                    self.by_word[word.strip().lower()] = group

    def find(self, word: str) -> RegionalGroup | None:
        return self.by_word.get(" ".join(str(word).split()).lower())


def normalised_email(value: str) -> str | None:
    """The address in lower case, or None when it is not one."""
    value = str(value or "").strip()
    if not value or len(value) > 254:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value.lower()


def free_username(email: str) -> str:
    """A username for a new account: the e-mail address, or it with a number when taken."""
    base = email[:140]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _role_groups() -> dict[str, Group]:
    return {g.name: g for g in Group.objects.filter(name__in=ROLES)} | {
        name: Group.objects.get_or_create(name=name)[0]
        for name in ROLES
        if not Group.objects.filter(name=name).exists()
    }


def roles_held(user: User) -> set[str]:
    return set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))


def set_roles(user: User, roles: set[str]) -> bool:
    """Give the account exactly these roles (other Django groups untouched). True if anything changed."""
    held = roles_held(user)
    if held == roles:
        return False
    groups = _role_groups()
    user.groups.remove(*[groups[r] for r in held - roles])
    user.groups.add(*[groups[r] for r in roles - held])
    user._drafting_roles = set(roles)  # the permission module's per-request memo
    return True


def record(
    group: RegionalGroup, member: User, action: str, *, actor: User | None, via: str
) -> MembershipChange:
    return MembershipChange.objects.create(group=group, member=member, action=action, actor=actor, via=via)


def set_groups(user: User, groups: set[RegionalGroup], *, actor: User | None, via: str) -> bool:
    """Make the account a member of exactly these regional groups, recording each join and departure."""
    current = {g.pk: g for g in user.regional_groups.all()}
    wanted = {g.pk: g for g in groups}
    for pk in wanted.keys() - current.keys():
        wanted[pk].members.add(user)
        record(wanted[pk], user, MembershipChange.ADDED, actor=actor, via=via)
    for pk in current.keys() - wanted.keys():
        current[pk].members.remove(user)
        record(current[pk], user, MembershipChange.REMOVED, actor=actor, via=via)
    user._drafting_groups = set(wanted)
    return wanted.keys() != current.keys()


# --- single sign-on ----------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimNames:
    """Which claims of the provider's ID token carry what (settings OIDC_CLAIM_*); empty: not read."""

    email: str = "email"
    name: str = "name"
    administration: str = ""
    group: str = ""
    role: str = ""

    @classmethod
    def from_settings(cls) -> ClaimNames:
        return cls(
            email=settings.OIDC_CLAIM_EMAIL,
            name=settings.OIDC_CLAIM_NAME,
            administration=settings.OIDC_CLAIM_ADMINISTRATION,
            group=settings.OIDC_CLAIM_GROUP,
            role=settings.OIDC_CLAIM_ROLE,
        )


def _claim_values(claims: dict, name: str) -> list[str] | None:
    """A claim as a list of strings (a provider sends one value or a list); None when not sent."""
    if not name or name not in claims or claims[name] is None:
        return None
    value = claims[name]
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if str(v).strip()][:50]


def _claim_text(claims: dict, name: str, field: str, max_length: int) -> str | None:
    values = _claim_values(claims, name)
    if not values:
        return None
    try:
        return clean_text(values[0], field, max_length=max_length).strip()
    except TextProblem as problem:
        raise AccountProblem(
            _("Your identity provider sent a %(field)s this tool cannot store: %(reason)s")
            % {"field": field, "reason": say(problem)},
            status=403,
        ) from None


def _split_name(claims: dict, full: str | None) -> tuple[str, str] | None:
    given, family = claims.get("given_name"), claims.get("family_name")
    if isinstance(given, str) and isinstance(family, str) and (given or family):
        return given.strip()[:150], family.strip()[:150]
    if full:
        return full[:150], ""
    return None


@transaction.atomic
def sign_on(
    issuer: str, claims: dict, *, names: ClaimNames | None = None, unmatched: str | None = None
) -> User:
    """The account of the person the provider vouched for: found by its sign-on identity or e-mail, else made.

    Name, administration, roles and groups are updated from the claims the provider sends;
    what it does not send stays as the registration list or the coordinator left it. A person
    who ends up in no regional group and with no other role is let in as an observer or
    refused (``OIDC_UNMATCHED_GROUP``). Raises AccountProblem (403) when refused; then
    nothing is made or changed.
    """
    names = names or ClaimNames.from_settings()
    unmatched = unmatched or settings.OIDC_UNMATCHED_GROUP
    subject = str(claims.get("sub") or "").strip()
    if not subject or len(subject) > 255:
        raise AccountProblem(_("Your identity provider did not say who you are (no subject)."), status=403)
    email_values = _claim_values(claims, names.email) or []
    email = normalised_email(email_values[0]) if email_values else None
    full_name = _claim_text(claims, names.name, _("name"), 300)

    profile = Profile.objects.select_related("user").filter(oidc_issuer=issuer, oidc_subject=subject).first()
    user = profile.user if profile else None
    if user is None and email:
        # An account from the registration list or a coordinator's invitation: linked by its
        # address at the first sign-on; never an administrator's, never one another sign-on
        # identity holds, and never on an address the provider itself says is unverified.
        existing = User.objects.filter(email__iexact=email).order_by("pk").first()
        if existing is not None:
            linked = Profile.objects.filter(user=existing).exclude(oidc_subject="").exists()
            if existing.is_superuser or linked or claims.get("email_verified") is False:
                raise AccountProblem(
                    _(
                        "An account with your e-mail address exists already and cannot be joined to this "
                        "sign-on (it is an administrator's, belongs to another sign-on identity, or your "
                        "provider has not verified the address). Ask the secretariat."
                    ),
                    status=403,
                )
            user = existing
    created = user is None
    if created:
        if not email:
            raise AccountProblem(
                _(
                    "Your identity provider did not send your e-mail address, which this tool needs to make "
                    "your account. Ask the secretariat."
                ),
                status=403,
            )
        user = User.objects.create_user(free_username(email), email=email)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not user.is_active:
        raise AccountProblem(
            _(
                "Your account was closed at the end of a past conference. Ask the secretariat to register "
                "you for this one."
            ),
            status=403,
        )
    profile = profile or profile_of(user)
    profile.oidc_issuer, profile.oidc_subject = issuer, subject
    administration = _claim_text(claims, names.administration, _("administration"), 200)
    if administration is not None:
        profile.administration = administration
    profile.save()

    fields = []
    split = _split_name(claims, full_name)
    if split and (user.first_name, user.last_name) != split:
        user.first_name, user.last_name = split
        fields += ["first_name", "last_name"]
    if email and user.email.lower() != email:
        user.email = email
        fields.append("email")
    if fields:
        user.save(update_fields=fields)

    roles = roles_held(user)
    role_values = _claim_values(claims, names.role)
    if role_values is not None:
        claimed = {r for r in (role_from_word(v) for v in role_values) if r}
        if claimed:
            roles = claimed
    group_values = _claim_values(claims, names.group)
    if group_values is not None:
        index = GroupIndex()
        groups = {g for g in (index.find(v) for v in group_values) if g}
        set_groups(user, groups, actor=None, via=MembershipChange.SIGN_ON)
    has_group = user.regional_groups.exists()
    if has_group and not roles & {DELEGATES, COORDINATORS, SECRETARIAT}:
        roles = (roles - {OBSERVERS}) | {DELEGATES}
    if not has_group and not roles & {SECRETARIAT, OBSERVERS}:
        if unmatched == "refuse":
            raise AccountProblem(
                _(
                    "You are not in a regional group registered in this tool, and this installation lets "
                    "only members of a group in. Ask your group's coordinator or the secretariat."
                ),
                status=403,
            )
        roles = (roles - GROUP_ROLES) | {OBSERVERS}
    set_roles(user, roles)
    return user


# --- invitations --------------------------------------------------------------------------


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """One-time links to set a first password: spent once the password is set (the hash it signs changes).

    Django's password-reset tokens, with a salt of their own (a reset link is no invitation and
    the reverse) and the invitation's own lifetime (``INVITATION_DAYS``) instead of the reset's.
    """

    key_salt = "drafting.invitation"

    def check_token(self, user, token) -> bool:
        if not (user and token) or len(token) > 100:
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - ts <= settings.INVITATION_DAYS * 86400


invitation_tokens = InvitationTokenGenerator()


def invitation_link(user: User) -> str:
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def send_invitations(user_ids: list[int]) -> int:
    """Mail each of these accounts its invitation; the number sent. Called after the accounts are committed."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from drafting.models.people import language_of

    sent = 0
    if not settings.SEND_EMAIL:
        return 0
    users = User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="").select_related("profile")
    for user in users:
        context = {
            "user": user,
            "link": None if settings.SSO_ENABLED else invitation_link(user),
            "site_url": settings.SITE_URL,
            "days": settings.INVITATION_DAYS,
        }
        with translation.override(language_of(user)):  # in the person's language, if they chose one
            context["provider"] = provider_name()
            send_mail(
                _("Your account on the ITU drafting tool"),
                render_to_string("drafting/email/invitation.txt", context),
                None,
                [user.email],
            )
        sent += 1
    Profile.objects.filter(user__in=users).update(invited_at=timezone.now())
    return sent


@task
def send_invitations_task(user_ids: list[int]) -> int:
    """The worker's task: a thousand invitations are mailed in the background, not in the request."""
    return send_invitations(user_ids)


def invite_after_commit(user_ids: list[int]) -> None:
    """Queue the invitations once the accounts exist for good (a rolled-back list sends nothing)."""
    if user_ids:
        ids = list(user_ids)
        transaction.on_commit(lambda: send_invitations_task.enqueue(ids), robust=True)


# --- the end of a conference ----------------------------------------------------------------


@transaction.atomic
def deactivate_conference_accounts(officer: User, conference: Conference) -> int:
    """Close the accounts registered for this conference only; their history stays attributed to them.

    Never deleted, and never: the officer doing it, an administrator, or anyone registered for
    another conference whose accounts are still open. The number closed.
    """
    from drafting.permissions import is_secretariat

    if not is_secretariat(officer):
        raise AccountProblem(_("Only the secretariat closes a conference's accounts."), status=403)
    others = Registration.objects.exclude(conference=conference).filter(user__is_active=True)
    still_open = Conference.objects.exclude(pk=conference.pk).filter(
        pk__in=others.values("conference"), accounts_closed_at__isnull=True
    )
    keep = Registration.objects.filter(conference__in=still_open).values("user")
    closing = (
        User.objects.filter(registrations__conference=conference, is_active=True, is_superuser=False)
        .exclude(pk=officer.pk)
        .exclude(pk__in=keep)
    )
    count = closing.update(is_active=False)
    Conference.objects.filter(pk=conference.pk).update(accounts_closed_at=timezone.now())
    return count


_NAME = re.compile(r"\s+")


def display_name(user: User) -> str:
    return _NAME.sub(" ", user.get_full_name()).strip() or user.email or user.username
