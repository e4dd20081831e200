"""Personal API tokens: how scripts authenticate without sending a password on every request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class ApiToken(models.Model):
    """A user's token for the API, kept only as its SHA-256: the token itself is shown once, at creation.

    A token is 32 random bytes, so a fast hash is enough to make a stolen table useless
    (no dictionary to try), and checking one costs microseconds instead of the password
    hasher's deliberate tens of milliseconds on every scripted request.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=100, help_text=gettext_lazy("What the token is for: “nightly export script”.")
    )
    prefix = models.CharField(
        max_length=12, help_text=gettext_lazy("The token's first characters, to recognise it.")
    )
    digest = models.CharField(
        max_length=64, unique=True, help_text=gettext_lazy("SHA-256 of the token, hex.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    BY_OWNER, PASSWORD_CHANGED, BY_SECRETARIAT, DEACTIVATED = (
        "owner",
        "password",
        "secretariat",
        "deactivated",
    )
    REVOKED_REASONS = [
        (BY_OWNER, gettext_lazy("revoked by you")),
        (PASSWORD_CHANGED, gettext_lazy("ended when your password changed")),
        (BY_SECRETARIAT, gettext_lazy("ended by the secretariat")),
        (DEACTIVATED, gettext_lazy("ended when the account was deactivated")),
    ]
    revoked_reason = models.CharField(max_length=12, choices=REVOKED_REASONS, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Throttle(models.Model):
    """A count of recent events under one key, shared by every process: failed logins of a username, of a
    browser that logged in before or of an address, password-reset mails to an address or from one
    (drafting.throttling)."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
