"""Personal API tokens: created and revoked by their owner, checked without a slow hash.

A token is ``dft_`` followed by 32 random bytes (URL-safe base64). Only its SHA-256 is
stored; the check looks the digest up by its unique index and compares it again in
constant time, so a request with a token costs one indexed query, where HTTP Basic
costs a password hash (tens of milliseconds with Argon2id, about a second with PBKDF2).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from drafting.models import ApiToken
from drafting.services import DomainError

PREFIX = "dft_"
# At most this many active tokens per person: enough for every script, few enough to review.
MAX_ACTIVE = 20
# last_used_at is written at most this often per token, not on every request.
USE_RESOLUTION = timedelta(minutes=5)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(user, name: str, *, with_token: bool = False) -> tuple[ApiToken, str]:
    """A new token for the user; returns the record and the token itself, which is never shown again.

    ``with_token``: the request was made with a token. A token cannot make tokens: one that leaked
    would otherwise leave others behind that survive its revocation."""
    if not user.is_authenticated:
        raise DomainError(gettext("Log in to create an API token."), status=403)
    if with_token:
        raise DomainError(
            gettext(
                "A token cannot make tokens. Make them on the API tokens page, logged in, or with your password."
            ),
            status=403,
        )
    name = (name or "").strip()
    if not name:
        raise DomainError(gettext("Give the token a name that says what it is for."))
    if len(name) > 100:
        raise DomainError(gettext("A token's name is at most 100 characters."))
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE:
        raise DomainError(
            gettext("You already have %(MAX_ACTIVE)s active tokens: revoke one you no longer use first.")
            % {"MAX_ACTIVE": MAX_ACTIVE},
            status=409,
        )
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, name=name, prefix=token[:10], digest=digest_of(token))
    return record, token


@transaction.atomic
def revoke_token(user, pk: int) -> ApiToken:
    """Revoke one of the user's own tokens; requests made with it fail from now on."""
    record = ApiToken.objects.select_for_update().filter(pk=pk, user=user).first()
    if record is None:
        raise DomainError(gettext("No such token."), status=404)
    if record.revoked_at is None:
        record.revoked_at = timezone.now()
        record.revoked_reason = ApiToken.BY_OWNER
        record.save(update_fields=["revoked_at", "revoked_reason"])
    return record


def end_all_tokens(user, reason: str) -> int:
    """End every active token of the user at once (a password change, the secretariat's revocation, a
    deactivation): a leaked token may have been used to make others, so none is left. Returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


def end_tokens_of_inactive(sender, instance, created=False, update_fields=None, raw=False, **kwargs) -> None:
    """post_save receiver of the user model: a deactivated account's tokens end."""
    if (
        raw
        or created
        or instance.is_active
        or (update_fields is not None and "is_active" not in update_fields)
    ):
        return
    end_all_tokens(instance, ApiToken.DEACTIVATED)


class EndTokensOnPasswordChange:
    """A password "validator" that validates nothing: Django tells each validator when a password was
    changed (``password_changed``, after the user is saved; a hash upgraded at login does not count),
    which is the moment every API token of the user must end, as every other session does."""

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is not None and user.pk is not None:
            end_all_tokens(user, ApiToken.PASSWORD_CHANGED)

    def get_help_text(self) -> str:
        return ""


def user_for_token(token: str):
    """The active user a token belongs to, or None (unknown, revoked, or the user is inactive)."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    digest = digest_of(token)
    record = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest, revoked_at__isnull=True)
        .only("id", "digest", "last_used_at", "user")
        .first()
    )
    # The index lookup finds the row; comparing again in constant time keeps the check
    # independent of how the database compares strings.
    if record is None or not hmac.compare_digest(record.digest, digest) or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > USE_RESOLUTION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
