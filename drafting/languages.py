"""The language a person reads the tool in: one of the ITU's six.

Chosen in the header's switch and remembered per person: on their profile (so that it follows them
from one computer to another, and their e-mails are written in it), in the session from login on,
and in the language cookie, which is all there is before login and stays after logout. A visitor
who chose nothing gets their browser's Accept-Language. Resolution texts are never translated:
only the interface is.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from drafting.translation import supported

SESSION_KEY = "language"


class PreferredLanguage(LocaleMiddleware):
    """Django's LocaleMiddleware, with the person's own language first: the one their profile
    gave the session at login (no query per request). The cookie follows it, so that the page
    after logout is still in that language."""

    def process_request(self, request):
        session = getattr(request, "session", None)
        chosen = supported(session.get(SESSION_KEY)) if session is not None else None
        if chosen is None:
            return super().process_request(request)
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        session = getattr(request, "session", None)
        chosen = supported(session.get(SESSION_KEY)) if session is not None else None
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            set_cookie(response, chosen)
        return response


def set_cookie(response, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def language_of(user) -> str:
    """The language to write to a person in (e-mails): drafting.models.people.language_of."""
    from drafting.models.people import language_of as chosen

    return chosen(user)


@receiver(user_logged_in)
def _remember_at_login(sender, request, user, **kwargs) -> None:
    """At login the profile's language wins; a person who has none yet keeps the one they chose
    before logging in (the cookie), which becomes theirs."""
    if request is None or not hasattr(request, "session"):
        return
    from drafting.models.people import profile_of

    profile = profile_of(user)
    chosen = supported(profile.language)
    if chosen is None:
        chosen = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if chosen is not None:
            profile.language = chosen
            profile.save(update_fields=["language"])
    if chosen is not None:
        request.session[SESSION_KEY] = chosen
        translation.activate(chosen)
