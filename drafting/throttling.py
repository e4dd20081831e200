"""Failed logins slow down, and no one can lock another person out; password-reset mails are counted.

Logins (the login page and the API's HTTP Basic alike) are counted three ways, in the database so
that every process and machine sees the same counts (model ``Throttle``):

- **per username**: after ``LOGIN_FAILURE_LIMIT`` failures, each further attempt must wait a delay
  that doubles with every failure (1 s, 2 s, 4 s ... at most ``LOGIN_COOLOFF_MINUTES``), counted from
  the last failure. An attempt inside the delay is answered 429 with ``Retry-After`` without its
  password being looked at (so it tells a guesser nothing) and is not counted. The count is forgotten
  ``LOGIN_COOLOFF_MINUTES`` after the last failure, and at a successful login.
- **per browser that logged in before**: a successful login on the login page leaves a signed pass
  of that account in the browser (the ``drafting_device`` cookie). Attempts that carry the pass of the
  account they try are counted against the pass, not the username: a colleague who tries passwords
  for your username, behind the conference's shared address or anywhere, slows down their own
  attempts and those of browsers you never used, never yours. (It replaces the lock per username and
  address, which let anyone behind the same address lock you out.)
- **per address**: after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one address (many usernames
  tried from one place), the same backoff, for attempts without a pass.

The address is the client's own unless the request comes from a proxy named in ``TRUSTED_PROXIES``
(with ``HTTPS=1``): only then is ``X-Forwarded-For`` read, from the right, skipping trusted proxies. A
client that reaches the app without the proxy cannot choose its address by sending the header.

Password-reset mails: at most ``PASSWORD_RESET_PER_ADDRESS`` requests an hour from one address (more
are a 429) and ``PASSWORD_RESET_PER_TARGET`` mails an hour to one e-mail address (more are not sent,
and the page says the same as for any address, so that it tells no one which addresses have accounts).
"""

from __future__ import annotations

import ipaddress
import math
import secrets
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drafting.engine.text import forbidden_character

DEVICE_COOKIE = "drafting_device"
_DEVICE_SALT = "drafting.device"
DEVICE_MAX_AGE = 365 * 24 * 3600
# Django's own usernames are at most 150 characters; anything longer is no one's, and is refused
# before a library or the database is asked about it (a 256-character one was a 500 on PostgreSQL).
MAX_USERNAME = 150
MAX_PASSWORD = 4096


# --- where a request comes from ------------------------------------------------------------------


@cache
def _trusted_networks(names: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(name, strict=False) for name in names)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The address a request came from: behind the HTTPS proxy, the one the proxy saw.

    ``X-Forwarded-For`` is read only when the request itself comes from a trusted proxy, from its right
    end (what our proxy added), skipping trusted proxies: the first address that is not one is the
    client. Anything that is not an address stops the reading there."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY or not _trusted(remote):
        return remote
    found = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-20:]):
        entry = entry.strip()
        try:
            ipaddress.ip_address(entry)
        except ValueError:
            break
        found = entry
        if not _trusted(entry):
            break
    return found


# --- counts --------------------------------------------------------------------------------------


def _counted(key: str, *, forget_after: timedelta, since_first: bool = False) -> int:
    """Count one more event under ``key`` (a count older than ``forget_after``, from its last event or,
    with ``since_first``, its first, starts again); returns the count."""
    from drafting.models import Throttle

    now = timezone.now()
    recent = {"first_at__gte" if since_first else "last_at__gte": now - forget_after}
    for _attempt in range(3):
        with transaction.atomic():
            if Throttle.objects.filter(key=key, **recent).update(count=F("count") + 1, last_at=now):
                return Throttle.objects.get(key=key).count
            try:
                with transaction.atomic():
                    Throttle.objects.update_or_create(
                        key=key, defaults={"count": 1, "first_at": now, "last_at": now}
                    )
                return 1
            except IntegrityError:  # another process created it meanwhile: count on it
                continue
    return 1


def _rows(keys: list[str]) -> dict:
    from drafting.models import Throttle

    return {row.key: row for row in Throttle.objects.filter(key__in=keys)}


def _forget(*keys: str) -> None:
    from drafting.models import Throttle

    Throttle.objects.filter(key__in=keys).delete()


def _backoff(row, limit: int, now) -> float:
    """Seconds still to wait under one count: nothing below the limit, then 1, 2, 4 ... s after the last
    failure, at most the cool-off; a count older than the cool-off is forgotten."""
    cap = settings.LOGIN_COOLOFF.total_seconds()
    if row is None or row.count < limit or (now - row.last_at).total_seconds() > cap:
        return 0.0
    delay = min(2.0 ** min(row.count - limit, 40), cap)
    return max(0.0, delay - (now - row.last_at).total_seconds())


# --- logins --------------------------------------------------------------------------------------


def acceptable_username(username) -> bool:
    """Whether a username can be anyone's: text of at most 150 characters with nothing no text may hold."""
    return (
        isinstance(username, str)
        and 0 < len(username) <= MAX_USERNAME
        and "\x00" not in username
        and forbidden_character(username) is None
    )


def _user_key(username: str) -> str:
    return "login:user:" + username.casefold()


def _device(request: HttpRequest, username: str) -> str | None:
    """The id of this browser's pass for ``username``, when it carries one (it logged in as them before)."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if not value or len(value) > 300:
        return None
    try:
        who, device = signing.loads(value, salt=_DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return device if isinstance(device, str) and who == username.casefold() else None


def _keys(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    """The counts an attempt at ``username`` is held to, with their limits."""
    device = _device(request, username)
    if device is not None:
        return [("login:device:" + device, settings.LOGIN_FAILURE_LIMIT)]
    return [
        (_user_key(username), settings.LOGIN_FAILURE_LIMIT),
        ("login:address:" + client_ip(request), settings.LOGIN_ADDRESS_FAILURE_LIMIT),
    ]


def login_wait(request: HttpRequest, username: str) -> float:
    """Seconds this attempt at ``username`` must still wait (0: it may try)."""
    keys = _keys(request, username)
    rows = _rows([key for key, _ in keys])
    now = timezone.now()
    return max(_backoff(rows.get(key), limit, now) for key, limit in keys)


def login_failed(request: HttpRequest, username: str) -> None:
    forget_after = settings.LOGIN_COOLOFF
    for key, _limit in _keys(request, username):
        _counted(key, forget_after=forget_after)


def login_succeeded(request: HttpRequest, username: str) -> None:
    """A right password: the username's failures (and this browser's) are forgotten."""
    keys = [_user_key(username)]
    device = _device(request, username)
    if device is not None:
        keys.append("login:device:" + device)
    _forget(*keys)


def device_pass(username: str) -> str:
    """A new signed pass of ``username`` for the browser that just logged in."""
    return signing.dumps([username.casefold(), secrets.token_urlsafe(12)], salt=_DEVICE_SALT)


class ThrottledLogins:
    """First of the authentication backends: refuses, before any password is hashed, an attempt that
    must still wait or a username that can be no one's. It never lets anyone in by itself, and has no
    ``get_user``: sessions name the backend that let their user in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        if not acceptable_username(username) or not isinstance(password, str) or len(password) > MAX_PASSWORD:
            request.login_refused = True  # not counted: no account has this name
            raise PermissionDenied
        wait = login_wait(request, username)
        if wait > 0:
            request.login_throttled = wait
            raise PermissionDenied
        return None


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """user_login_failed: count a wrong password (not an attempt refused before it was looked at)."""
    if (
        request is None
        or getattr(request, "login_throttled", None)
        or getattr(request, "login_refused", False)
    ):
        return
    username = credentials.get("username")
    if acceptable_username(username):
        login_failed(request, username)


def on_logged_in(sender, request, user, **kwargs) -> None:
    """user_logged_in (the login page): failures forgotten, and the browser given its pass."""
    if request is None:
        return
    username = user.get_username()
    login_succeeded(request, username)
    request.device_pass_for = username


def retry_message(seconds: float) -> str:
    """What to tell a person whose attempt must wait."""
    wait = max(1, math.ceil(seconds))
    until = timezone.now() + timedelta(seconds=wait)
    if wait < 120:
        delay = ngettext("%(n)d second", "%(n)d seconds", wait) % {"n": wait}
    else:
        minutes = math.ceil(wait / 60)
        delay = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return _(
        "Too many failed logins for this account. Try again after %(until)s UTC (in %(delay)s), or ask "
        "the secretariat to reset your password. A browser you have logged in with before is not held back."
    ) % {"until": f"{until:%H:%M:%S}", "delay": delay}


def lockout_response(request: HttpRequest, seconds: float) -> HttpResponse:
    """429 saying when to try again: JSON for the API, the login page with the message for people."""
    message = retry_message(seconds)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        form = AuthenticationForm(request, data=request.POST or None)
        response = render(
            request,
            "registration/login.html",
            {"form": form, "locked_out": message, "next": request.POST.get("next", "")},
            status=429,
        )
    response["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response


class LoginThrottleMiddleware:
    """Turns an attempt that must wait into its 429, and gives a browser that logged in its pass."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        wait = getattr(request, "login_throttled", None)
        if wait:
            return lockout_response(request, wait)
        username = getattr(request, "device_pass_for", None)
        if username:
            response.set_cookie(
                DEVICE_COOKIE,
                device_pass(username),
                max_age=DEVICE_MAX_AGE,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response


# --- password-reset mails ------------------------------------------------------------------------

_HOUR = timedelta(hours=1)


class ThrottledPasswordResetForm(PasswordResetForm):
    """Sends at most ``PASSWORD_RESET_PER_TARGET`` mails an hour to one address; past it, nothing."""

    def save(self, *args, **kwargs):
        email = self.cleaned_data["email"]
        key = "reset:to:" + email.casefold()[:180]
        if _counted(key, forget_after=_HOUR, since_first=True) > settings.PASSWORD_RESET_PER_TARGET:
            return None  # the page says the same as for any address: it tells no one who has an account
        return super().save(*args, **kwargs)


class ThrottledPasswordResetView(PasswordResetView):
    """At most ``PASSWORD_RESET_PER_ADDRESS`` requests an hour from one address (429 past it)."""

    form_class = ThrottledPasswordResetForm

    def form_valid(self, form):
        key = "reset:from:" + client_ip(self.request)
        if _counted(key, forget_after=_HOUR, since_first=True) > settings.PASSWORD_RESET_PER_ADDRESS:
            response = HttpResponse(
                _("Too many password resets were asked from your address. Try again in an hour."),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "3600"
            return response
        return super().form_valid(form)
