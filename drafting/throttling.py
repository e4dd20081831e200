"""Failed logins are throttled (django-axes): on the login page and on the API's HTTP Basic alike.

After ``LOGIN_FAILURE_LIMIT`` wrong passwords for one username from one address,
that pair is refused for ``LOGIN_COOLOFF_MINUTES``, even with the right password,
with a 429 that says when to try again (and a Retry-After header).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip(request: HttpRequest) -> str:
    """The address a login came from: behind the HTTPS proxy, the one the proxy saw (the last it added)."""
    if settings.BEHIND_PROXY:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def retry_message() -> tuple[str, int]:
    """What to tell a person who is locked out, and the seconds to wait."""
    cooloff = settings.AXES_COOLOFF_TIME
    until = timezone.now() + cooloff
    minutes = max(1, round(cooloff.total_seconds() / 60))
    return (
        f"Too many failed logins for this account from your address. Try again after "
        f"{until:%H:%M} UTC (in {minutes} minute{'s' if minutes != 1 else ''}), or ask the "
        "secretariat to reset your password.",
        int(cooloff.total_seconds()),
    )


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """axes' AXES_LOCKOUT_CALLABLE: JSON for the API, the login page with the message for people."""
    message, seconds = retry_message()
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
    response["Retry-After"] = str(seconds)
    return response
