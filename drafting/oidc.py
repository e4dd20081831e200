"""The OpenID Connect client of single sign-on, built on Authlib from the settings.

Why Authlib: its Django client reads the provider's discovery document (so only the issuer
is configured), does the authorization code flow with PKCE (S256), keeps state, nonce and
code verifier in the session and checks them on the way back, verifies the ID token's
signature against the provider's published keys (fetched again when a key rotates) and its
issuer, audience, expiry and nonce, and builds the RP-initiated logout URL; it is kept up
to date by its author and used by the provider the suite tests against. The accounts
themselves are made from the claims by ``drafting.services.accounts.sign_on``.
"""

from __future__ import annotations

import threading

from authlib.integrations.django_client import OAuth
from django.conf import settings

NAME = "sso"
_lock = threading.Lock()
_clients: dict[tuple, object] = {}


def _config() -> tuple:
    return (
        settings.OIDC_DISCOVERY_URL,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
        settings.OIDC_TIMEOUT_S,
    )


def provider_name() -> str:
    """The sign-on service as the login button names it: the installation's name for it, or words in
    the reader's language."""
    from django.utils.translation import gettext

    return settings.OIDC_PROVIDER_NAME or gettext("your organisation's account")


def enabled() -> bool:
    return bool(settings.SSO_ENABLED and settings.OIDC_DISCOVERY_URL)


def client():
    """The registered client for the current settings (its discovery document and keys are kept per process)."""
    key = _config()
    with _lock:
        found = _clients.get(key)
        if found is None:
            discovery, client_id, secret, scopes, timeout = key
            kwargs = {"scope": scopes, "code_challenge_method": "S256", "timeout": timeout}
            if not secret:
                # A public client: PKCE alone proves the code is ours.
                kwargs["token_endpoint_auth_method"] = "none"
            oauth = OAuth()
            found = oauth.register(
                name=NAME,
                server_metadata_url=discovery,
                client_id=client_id,
                client_secret=secret or None,
                client_kwargs=kwargs,
            )
            _clients[key] = found
        return found


def issuer() -> str:
    """The provider's issuer, as its discovery document states it (what sign-on identities are keyed by)."""
    return client().load_server_metadata().get("issuer") or settings.OIDC_ISSUER


def supports_logout() -> bool:
    try:
        return bool(client().load_server_metadata().get("end_session_endpoint"))
    except Exception:  # noqa: BLE001 (a provider that does not answer: log out here only)
        return False
