"""The language switch, and the JavaScript catalogue of each language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog

from drafting.languages import SESSION_KEY, set_cookie, supported


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Read the tool in another language from now on: the cookie, and for a person logged in
    their profile (it follows them to another computer, and their e-mails are written in it)."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    code = supported(request.POST.get("language"))
    if code is None:
        return response
    set_cookie(response, code)
    if request.user.is_authenticated:
        from drafting.models.people import profile_of

        profile = profile_of(request.user)
        if profile.language != code:
            profile.language = code
            profile.save(update_fields=["language"])
        request.session[SESSION_KEY] = code
    return response


_catalogue = JavaScriptCatalog.as_view(packages=["drafting"])


@cache_control(public=True, max_age=365 * 24 * 3600, immutable=True)
def javascript_catalog(request: HttpRequest, language: str) -> HttpResponse:
    """gettext() and its kin for the scripts, in one language: the address names the language
    and the catalogues' version (the base template's), so a browser keeps it for a year."""
    code = supported(language) or settings.LANGUAGE_CODE
    with translation.override(code):
        return _catalogue(request)
