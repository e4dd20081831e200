"""The conference's registration list: read, previewed against the accounts, applied in one transaction.

Each usable row names one person by e-mail address: an account with that address is updated
(name, administration, role, regional group, registration for the conference, reopened if it
was closed), one without is made (no password: an invitation, or single sign-on, gives one).
The list is the secretariat's word on role and group: a row sets them exactly. Applying the
same list again finds every row unchanged and changes nothing. A thousand rows cost a
constant number of queries to preview and a few more to apply (``scripts/benchmark_registration.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from drafting.engine.registration_list import ListLimits, ListProblem, check_rows, read_list
from drafting.engine.said import Message
from drafting.models import (
    Conference,
    MembershipChange,
    Profile,
    RegionalGroup,
    Registration,
    RegistrationUpload,
)
from drafting.models.people import ROLES
from drafting.translation import say

from . import DomainError
from .accounts import GROUP_ROLES, ROLE_WORDS, GroupIndex, invite_after_commit

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"
ROLE_NAMES = {
    "Delegates": _("delegate"),
    "Coordinators": _("coordinator"),
    "Secretariat": _("secretariat"),
    "Observers": _("observer"),
}


class RegistrationProblem(DomainError):
    """The list cannot be read or applied; nothing was changed."""


@dataclass
class RowOutcome:
    number: int
    name: str
    email: str
    administration: str
    group: str
    role: str
    status: str
    reason: str = ""
    changes: list[str] = field(default_factory=list)

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


@dataclass
class Preview:
    conference: Conference
    rows: list[RowOutcome]

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0, REFUSED: 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    def with_status(self, status: str) -> list[RowOutcome]:
        return [row for row in self.rows if row.status == status]

    # For the templates: the rows of each outcome.
    created = property(lambda self: self.with_status(CREATED))
    updated = property(lambda self: self.with_status(UPDATED))
    unchanged = property(lambda self: self.with_status(UNCHANGED))
    refused = property(lambda self: self.with_status(REFUSED))


def _require_secretariat(user) -> None:
    from drafting.permissions import is_secretariat

    if not is_secretariat(user):
        raise RegistrationProblem(_("Only the secretariat manages the registration list."), status=403)


def read_registration_list(officer, conference: Conference, filename: str, data: bytes) -> RegistrationUpload:
    """Read and check the file; keep its rows until the officer applies or drops them."""
    _require_secretariat(officer)
    limit = settings.REGISTRATION_MAX_BYTES
    if len(data) > limit:
        raise RegistrationProblem(
            _("The file is %(size).1f MB; a registration list is accepted up to %(limit).0f MB.")
            % {"size": len(data) / 1_048_576, "limit": limit / 1_048_576},
            status=413,
        )
    try:
        rows = read_list(filename, data, ListLimits(max_rows=settings.REGISTRATION_MAX_ROWS))
    except ListProblem as problem:
        raise RegistrationProblem(say(problem)) from None
    if not rows:
        raise RegistrationProblem(_("The list has a header row but no person in it."))
    groups = {word: group.code for word, group in GroupIndex().by_word.items()}
    checked = check_rows(rows, groups, ROLE_WORDS, GROUP_ROLES)
    with transaction.atomic():
        # Keep the officer's three newest previews; older ones were abandoned.
        stale = RegistrationUpload.objects.filter(uploaded_by=officer).order_by("-uploaded_at", "-pk")[2:]
        RegistrationUpload.objects.filter(pk__in=[u.pk for u in stale]).delete()
        return RegistrationUpload.objects.create(
            conference=conference,
            filename=filename[:255],
            rows=[row.as_dict() for row in checked],
            uploaded_by=officer,
        )


@dataclass
class _Accounts:
    """Everything the rows' addresses already have, read in a constant number of queries."""

    users: dict[str, list[User]]
    profiles: dict[int, Profile]
    roles: dict[int, set[str]]
    groups: dict[int, set[str]]
    registrations: dict[int, Registration]


def _accounts(conference: Conference, emails: list[str]) -> _Accounts:
    users: dict[str, list[User]] = {}
    for user in User.objects.annotate(address=Lower("email")).filter(address__in=emails).order_by("pk"):
        users.setdefault(user.address, []).append(user)
    ids = [u.pk for found in users.values() for u in found]
    roles: dict[int, set[str]] = {}
    for user_id, name in User.groups.through.objects.filter(
        user_id__in=ids, group__name__in=ROLES
    ).values_list("user_id", "group__name"):
        roles.setdefault(user_id, set()).add(name)
    groups: dict[int, set[str]] = {}
    for user_id, code in RegionalGroup.members.through.objects.filter(user_id__in=ids).values_list(
        "user_id", "regionalgroup__code"
    ):
        groups.setdefault(user_id, set()).add(code)
    return _Accounts(
        users=users,
        profiles={p.user_id: p for p in Profile.objects.filter(user_id__in=ids)},
        roles=roles,
        groups=groups,
        registrations={
            r.user_id: r
            for r in Registration.objects.filter(conference=conference, user_id__in=ids).select_related(
                "group"
            )
        },
    )


def _changes(row: dict, user: User, accounts: _Accounts, conference: Conference) -> list[str]:
    changes = []
    name = " ".join(user.get_full_name().split())
    if name != row["name"]:
        changes.append(_("name: %(old)s → %(new)s") % {"old": name or "—", "new": row["name"]})
    profile = accounts.profiles.get(user.pk)
    if row["administration"] and (profile.administration if profile else "") != row["administration"]:
        changes.append(
            _("administration: %(old)s → %(new)s")
            % {"old": (profile.administration if profile else "") or "—", "new": row["administration"]}
        )
    held = accounts.roles.get(user.pk, set())
    if held != {row["role"]}:
        changes.append(
            _("role: %(old)s → %(new)s")
            % {
                "old": ", ".join(sorted(ROLE_NAMES.get(r, r) for r in held)) or "—",
                "new": ROLE_NAMES.get(row["role"], row["role"]),
            }
        )
    in_groups = accounts.groups.get(user.pk, set())
    wanted = {row["group"]} if row["group"] else set()
    if in_groups != wanted:
        changes.append(
            _("regional group: %(old)s → %(new)s")
            % {"old": ", ".join(sorted(in_groups)) or "—", "new": row["group"] or "—"}
        )
    if not user.is_active:
        changes.append(_("account reopened"))
    registration = accounts.registrations.get(user.pk)
    if registration is None:
        changes.append(_("registered for %(conference)s") % {"conference": conference.code})
    elif (
        registration.role,
        registration.group.code if registration.group else "",
        registration.administration,
    ) != (
        row["role"],
        row["group"],
        row["administration"],
    ) and not changes:
        changes.append(_("registration for %(conference)s updated") % {"conference": conference.code})
    return changes


def _reason(row: dict) -> str:
    """Why the row is refused, in the reader's language (lists read before it was kept: as stored)."""
    said = row.get("refused_said")
    return say(Message(said[0], **said[1])) if said else row["refused"]


def _outcomes(conference: Conference, rows: list[dict]) -> tuple[list[RowOutcome], _Accounts]:
    usable = [r for r in rows if not r["refused"]]
    accounts = _accounts(conference, [r["email"] for r in usable])
    outcomes = []
    for row in rows:
        outcome = RowOutcome(
            number=row["number"],
            name=row["name"],
            email=row["email"],
            administration=row["administration"],
            group=row["group"],
            role=row["role"],
            status=REFUSED,
            reason=_reason(row),
        )
        found = accounts.users.get(row["email"], []) if not row["refused"] else []
        if row["refused"]:
            pass
        elif len(found) > 1:
            outcome.reason = _("several accounts have this e-mail address; merge them in the admin first")
        elif found and found[0].is_superuser:
            outcome.reason = _("an administrator's account: change it in the admin")
        elif not found:
            outcome.status = CREATED
        else:
            outcome.changes = _changes(row, found[0], accounts, conference)
            outcome.status = UPDATED if outcome.changes else UNCHANGED
        outcomes.append(outcome)
    return outcomes, accounts


def preview(upload: RegistrationUpload) -> Preview:
    """What applying the list would do, row by row, against the accounts as they are now."""
    outcomes, _accounts_read = _outcomes(upload.conference, upload.rows)
    return Preview(upload.conference, outcomes)


def _usernames(emails: list[str]) -> dict[str, str]:
    """A free username per new address (the address itself, or with a number), in one query."""
    taken = set(
        User.objects.annotate(name=Lower("username"))
        .filter(name__regex=r"^[^ ]")
        .filter(name__in=emails + [f"{e[:140]}-{n}" for e in emails for n in (2, 3)])
        .values_list("name", flat=True)
    )
    names = {}
    for email in emails:
        base = email[:140]
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        names[email] = candidate
    return names


@transaction.atomic
def apply_registration_list(officer, upload_id: int, *, invite: bool = True) -> Preview:
    """Apply a previewed list in one transaction; the outcome of each row. A second apply is refused (409)."""
    _require_secretariat(officer)
    upload = (
        RegistrationUpload.objects.select_for_update()
        .select_related("conference")
        .filter(pk=upload_id, uploaded_by=officer)
        .first()
    )
    if upload is None:
        raise RegistrationProblem(
            _("This preview has been applied or dropped already. Upload the list again to see it."),
            status=409,
        )
    conference = upload.conference
    outcomes, accounts = _outcomes(conference, upload.rows)
    group_ids = dict(RegionalGroup.objects.values_list("code", "pk"))
    role_ids = {g.name: g.pk for g in Group.objects.filter(name__in=ROLES)}
    for name in set(ROLES) - role_ids.keys():
        role_ids[name] = Group.objects.create(name=name).pk

    created_rows = [o for o in outcomes if o.status == CREATED]
    usernames = _usernames([o.email for o in created_rows])
    new_users = User.objects.bulk_create(
        [
            User(
                username=usernames[o.email],
                email=o.email,
                first_name=o.name,
                password=make_password(None),
                is_active=True,
            )
            for o in created_rows
        ]
    )
    if new_users and new_users[0].pk is None:  # a backend that does not return ids
        by_name = dict(User.objects.filter(username__in=usernames.values()).values_list("username", "pk"))
        for user in new_users:
            user.pk = by_name[user.username]
    target: dict[int, tuple[RowOutcome, User]] = {}
    for outcome, user in zip(created_rows, new_users, strict=True):
        target[user.pk] = (outcome, user)
    for outcome in outcomes:
        if outcome.status == UPDATED:
            user = accounts.users[outcome.email][0]
            target[user.pk] = (outcome, user)

    # Names and reopened accounts.
    renamed = []
    for outcome, user in target.values():
        if outcome.status == UPDATED and (
            " ".join(user.get_full_name().split()) != outcome.name or not user.is_active
        ):
            user.first_name, user.last_name, user.is_active = outcome.name, "", True
            renamed.append(user)
    User.objects.bulk_update(renamed, ["first_name", "last_name", "is_active"])

    # Profiles: the administration, when the list gives one.
    new_profiles, changed_profiles = [], []
    for outcome, user in target.values():
        profile = accounts.profiles.get(user.pk)
        if profile is None:
            new_profiles.append(Profile(user_id=user.pk, administration=outcome.administration))
        elif outcome.administration and profile.administration != outcome.administration:
            profile.administration = outcome.administration
            changed_profiles.append(profile)
    Profile.objects.bulk_create(new_profiles)
    Profile.objects.bulk_update(changed_profiles, ["administration"])

    # Roles: exactly the one the list gives (an account's other Django groups are left alone).
    RoleLink = User.groups.through
    recast = {
        user.pk for outcome, user in target.values() if accounts.roles.get(user.pk, set()) != {outcome.role}
    }
    RoleLink.objects.filter(user_id__in=recast, group_id__in=list(role_ids.values())).delete()
    RoleLink.objects.bulk_create(
        [
            RoleLink(user_id=user.pk, group_id=role_ids[outcome.role])
            for outcome, user in target.values()
            if user.pk in recast
        ]
    )

    # Regional groups: exactly the one the list gives (none for the secretariat and observers).
    MemberLink = RegionalGroup.members.through
    changes = []
    leaving: dict[int, list[int]] = {}
    joining = []
    for outcome, user in target.values():
        in_groups = accounts.groups.get(user.pk, set())
        wanted = {outcome.group} if outcome.group else set()
        for code in wanted - in_groups:
            joining.append(MemberLink(user_id=user.pk, regionalgroup_id=group_ids[code]))
            changes.append((group_ids[code], user.pk, MembershipChange.ADDED))
        for code in in_groups - wanted:
            leaving.setdefault(group_ids[code], []).append(user.pk)
            changes.append((group_ids[code], user.pk, MembershipChange.REMOVED))
        if (
            outcome.role == "Coordinators"
            and "Coordinators" not in accounts.roles.get(user.pk, set())
            and outcome.group
        ):
            changes.append((group_ids[outcome.group], user.pk, MembershipChange.MADE_COORDINATOR))
        elif (
            outcome.role == "Delegates"
            and "Coordinators" in accounts.roles.get(user.pk, set())
            and outcome.group
            and outcome.group in in_groups
        ):
            changes.append((group_ids[outcome.group], user.pk, MembershipChange.MADE_DELEGATE))
    for group_id, user_ids in leaving.items():
        MemberLink.objects.filter(regionalgroup_id=group_id, user_id__in=user_ids).delete()
    MemberLink.objects.bulk_create(joining)
    MembershipChange.objects.bulk_create(
        [
            MembershipChange(
                group_id=g, member_id=u, action=a, actor=officer, via=MembershipChange.REGISTRATION_LIST
            )
            for g, u, a in changes
        ]
    )

    # Registrations for the conference.
    new_registrations, changed_registrations = [], []
    for outcome, user in target.values():
        values = {
            "role": outcome.role,
            "group_id": group_ids.get(outcome.group) if outcome.group else None,
            "administration": outcome.administration,
        }
        registration = accounts.registrations.get(user.pk)
        if registration is None:
            new_registrations.append(Registration(conference=conference, user_id=user.pk, **values))
        elif any(getattr(registration, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(registration, k, v)
            changed_registrations.append(registration)
    Registration.objects.bulk_create(new_registrations)
    Registration.objects.bulk_update(changed_registrations, ["role", "group_id", "administration"])

    upload.delete()
    if invite and settings.SEND_EMAIL:
        invite_after_commit([user.pk for user in new_users])
    return Preview(conference, outcomes)


@transaction.atomic
def drop_registration_list(officer, upload_id: int) -> None:
    _require_secretariat(officer)
    RegistrationUpload.objects.filter(pk=upload_id, uploaded_by=officer).delete()
