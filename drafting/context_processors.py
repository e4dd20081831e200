from __future__ import annotations

import hashlib
from functools import lru_cache

from django.conf import settings

from drafting.oidc import provider_name
from drafting.permissions import can_import_editions, role_label, role_of

# Pages a visitor reads and comes back to after logging in; from anywhere else (the library's
# front page first) the login lands where the person's role starts its day (views.home).
RETURN_AFTER_LOGIN = {"resolution_detail", "edition_detail", "edition_compare", "latest_edition"}


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        match = getattr(request, "resolver_match", None)
        return {
            "role": "",
            "role_label": "",
            "can_import": False,
            "sso_enabled": settings.SSO_ENABLED,
            "sso_provider": provider_name(),
            "login_next": request.get_full_path()
            if match is not None and match.url_name in RETURN_AFTER_LOGIN
            else "",
        }
    return {
        "role": role_of(user),
        "role_label": role_label(user),
        "can_import": can_import_editions(user),
        # The Word exports are offered as PDF too where LibreOffice is installed (the worker converts them).
        "pdf_export": bool(settings.LIBREOFFICE),
    }


@lru_cache(maxsize=1)
def _catalogue_version() -> str:
    """A stamp of the compiled message catalogues: the JavaScript catalogue's address changes with
    them, so browsers may keep it for a year and still get a new one after a deployment."""
    stamps = sorted(
        f"{path.relative_to(root)}:{path.stat().st_mtime_ns}"
        for root in settings.LOCALE_PATHS
        for path in root.glob("*/LC_MESSAGES/*.mo")
    )
    # hashlib, not hash(): str hashes differ from one process to the next (PYTHONHASHSEED), and every
    # worker must give the same address.
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:10]


def language(request) -> dict:
    return {"catalogue_version": _catalogue_version()}
