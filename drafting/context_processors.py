from __future__ import annotations

from django.conf import settings

from drafting.permissions import can_import_editions, role_label


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "role_label": "",
            "can_import": False,
            "sso_enabled": settings.SSO_ENABLED,
            "sso_provider": settings.OIDC_PROVIDER_NAME,
        }
    return {
        "role_label": role_label(user),
        "can_import": can_import_editions(user),
        # The Word exports are offered as PDF too where LibreOffice is installed (the worker converts them).
        "pdf_export": bool(settings.LIBREOFFICE),
    }
