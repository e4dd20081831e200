"""Who works in the tool: regional groups and their members.

Roles (delegate, coordinator, secretariat, observer) are Django groups, so that
permissions can be granted per role; membership of a regional group is here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

DELEGATES = "Delegates"
COORDINATORS = "Coordinators"
SECRETARIAT = "Secretariat"
OBSERVERS = "Observers"
ROLES = [DELEGATES, COORDINATORS, SECRETARIAT, OBSERVERS]


class RegionalGroup(models.Model):
    """A regional group (CITEL, ATU, RCC, APT, CEPT, ASMG) or a single Member State."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    region = models.CharField(max_length=100, blank=True)
    proposal_prefix = models.CharField(
        max_length=16, help_text=gettext_lazy('Prefix of its proposal numbers: "ATU" in "MOD ATU/35A18/1".')
    )
    is_member_state = models.BooleanField(default=False)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="regional_groups", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["is_member_state", "code"]

    def __str__(self) -> str:
        return self.code


class Profile(models.Model):
    """What the tool knows of a person beyond Django's account: administration, sign-on identity, e-mail choice.

    Made with the account (registration list, group page, first sign-on) or on first need;
    ``profile_of`` gives it.
    """

    IMMEDIATE = "immediate"
    DAILY = "daily"
    OFF = "off"
    EMAIL_CHOICES = [
        (IMMEDIATE, _("as they happen")),
        (DAILY, _("a daily digest")),
        (OFF, _("never (in the app only)")),
    ]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    administration = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy("The Member State administration the person represents."),
    )
    # The single sign-on identity: a provider's subject is unique for its issuer only.
    oidc_issuer = models.CharField(max_length=300, blank=True)
    oidc_subject = models.CharField(max_length=255, blank=True)
    email_notifications = models.CharField(max_length=10, choices=EMAIL_CHOICES, default=IMMEDIATE)
    # The language the person reads the tool in (drafting.languages): empty until they choose one.
    language = models.CharField(max_length=10, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~models.Q(oidc_subject=""),
                name="profile_unique_sign_on_identity",
            )
        ]

    def __str__(self) -> str:
        return f"profile of {self.user}"


def profile_of(user) -> Profile:
    """The person's profile, made empty the first time it is asked for."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile


def language_of(user) -> str:
    """The language to write to a person in (e-mails): their choice, if still offered, else the installation's."""
    try:
        chosen = user.profile.language
    except Profile.DoesNotExist:
        chosen = ""
    return _offered(chosen)


def languages_of(user_ids: Iterable[int], *, default: str | None = "") -> dict[int, str | None]:
    """Each person's language (as language_of says it), for many people in one query; ``default``
    for one who chose none (the installation's unless said)."""
    ids = list(user_ids)
    chosen = dict(
        Profile.objects.filter(user_id__in=ids).exclude(language="").values_list("user_id", "language")
    )
    return {uid: _offered(chosen.get(uid, ""), default) for uid in ids}


def _offered(chosen: str, default: str | None = "") -> str | None:
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE if default == "" else default


class Registration(models.Model):
    """A person on a conference's registration list, with the role and group the list gave them."""

    ROLE_CHOICES = [(role, role) for role in ROLES]

    conference = models.ForeignKey(
        "drafting.Conference", on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    group = models.ForeignKey(
        RegionalGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    administration = models.CharField(max_length=200, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["conference", "user__last_name", "user__first_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "user"], name="registration_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.conference}"


class RegistrationUpload(models.Model):
    """A registration list read and previewed, kept until the secretariat applies it or drops it.

    The rows are kept as read (already bounded and cleaned); applying compares them with
    the accounts as they are then, in one transaction.
    """

    conference = models.ForeignKey("drafting.Conference", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.filename} for {self.conference}"


class MembershipChange(models.Model):
    """One change to a regional group's members: who did what to whom, when, and through which door."""

    ADDED = "added"
    INVITED = "invited"
    REMOVED = "removed"
    MADE_COORDINATOR = "made coordinator"
    MADE_DELEGATE = "made delegate"
    ACTION_CHOICES = [
        (ADDED, _("added")),
        (INVITED, _("invited")),
        (REMOVED, _("removed")),
        (MADE_COORDINATOR, _("made coordinator")),
        (MADE_DELEGATE, _("made delegate")),
    ]
    GROUP_PAGE = "group page"
    REGISTRATION_LIST = "registration list"
    SIGN_ON = "single sign-on"
    VIA_CHOICES = [
        (GROUP_PAGE, _("the group page")),
        (REGISTRATION_LIST, _("the registration list")),
        (SIGN_ON, _("single sign-on")),
    ]

    group = models.ForeignKey(RegionalGroup, on_delete=models.CASCADE, related_name="membership_changes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ACTION_CHOICES)
    via = models.CharField(max_length=20, choices=VIA_CHOICES, default=GROUP_PAGE)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.action} in {self.group} by {self.actor or self.via}"
