"""Single sign-on (OpenID Connect): off to the provider, back with a code, and logging out of both."""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from joserfc.errors import JoseError

from drafting import oidc
from drafting.services import DomainError
from drafting.services.accounts import invitation_tokens, sign_on

logger = logging.getLogger(__name__)
_NEXT = "sso_next"
_ID_TOKEN = "sso_id_token"


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "registration/sso_refused.html", {"message": message}, status=status)


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, {request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def sso_login(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider's sign-in page (code flow, PKCE, state and nonce kept in the session)."""
    if not oidc.enabled():
        raise Http404(gettext("Single sign-on is not configured on this installation."))
    request.session[_NEXT] = _safe_next(request, request.GET.get("next", ""))
    callback = request.build_absolute_uri(reverse("sso_callback"))
    try:
        return oidc.client().authorize_redirect(request, callback)
    except (requests.RequestException, AuthlibBaseError, ValueError, RuntimeError) as problem:
        logger.warning("single sign-on: the provider's discovery document could not be read: %s", problem)
        return _refused(
            request,
            _(
                "The sign-on service (%(provider)s) does not answer. Try again in a minute, or log in with a password."
            )
            % {"provider": oidc.provider_name()},
            503,
        )


def sso_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: the code exchanged and the ID token checked, then the account made or updated."""
    if not oidc.enabled():
        raise Http404(gettext("Single sign-on is not configured on this installation."))
    client = oidc.client()
    try:
        token = client.authorize_access_token(request, leeway=settings.OIDC_LEEWAY_S)
    except MismatchingStateError:
        return _refused(
            request,
            _(
                "This answer from the sign-on service does not match a sign-in started from this browser "
                "(it may be old, or opened in another browser). Nothing was changed: start again."
            ),
            400,
        )
    except OAuthError as problem:
        if problem.error == "access_denied":
            message = _("The sign-on service did not let you in (access denied). Nothing was changed.")
        else:
            message = _(
                "The sign-on service refused the sign-in (%(error)s). Nothing was changed: start again."
            ) % {"error": problem.description or problem.error}
        return _refused(request, message, 400)
    except JoseError as problem:
        logger.warning("single sign-on: an ID token was refused: %s", problem)
        return _refused(
            request,
            _(
                "The sign-on service's answer could not be trusted (%(reason)s): its identity token is expired, "
                "not for this tool, or not the one this sign-in asked for. Nothing was changed: start again."
            )
            % {"reason": getattr(problem, "error", "") or type(problem).__name__},
            400,
        )
    except (requests.RequestException, AuthlibBaseError, ValueError, RuntimeError) as problem:
        logger.warning("single sign-on: the token exchange failed: %s", problem)
        return _refused(
            request,
            _(
                "The sign-on service did not complete the sign-in. Nothing was changed: try again in a minute."
            ),
            503,
        )
    claims = token.get("userinfo")
    if not claims:
        # No ID token, so nothing signed to trust: never an account from the access token alone.
        return _refused(request, _("The sign-on service sent no identity token. Nothing was changed."), 400)
    try:
        user = sign_on(oidc.issuer(), dict(claims))
    except DomainError as problem:
        return _refused(request, problem.message, problem.status)
    next_url = request.session.pop(_NEXT, "")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # Kept for logging out of the provider too (its id_token_hint).
    request.session[_ID_TOKEN] = token.get("id_token", "")
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out here, and of the provider too when it supports RP-initiated logout."""
    id_token = request.session.get(_ID_TOKEN, "")
    logout(request)
    after = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
    if id_token and oidc.enabled() and oidc.supports_logout():
        result = oidc.client().create_logout_url(
            post_logout_redirect_uri=after, id_token_hint=id_token, client_id=settings.OIDC_CLIENT_ID
        )
        return HttpResponseRedirect(result["url"])
    return HttpResponseRedirect(after)


class InvitationView(PasswordResetConfirmView):
    """An invitation's one-time link: choose a password, and you are in (the link is spent)."""

    token_generator = invitation_tokens
    template_name = "registration/invitation_confirm.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    reset_url_token = "set-password"

    def get_success_url(self):
        return reverse(settings.LOGIN_REDIRECT_URL)


invitation_accept = InvitationView.as_view()
