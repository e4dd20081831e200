from __future__ import annotations

from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "drafting"
    verbose_name = "Drafting"

    def ready(self) -> None:
        from django.db.models import fields
        from django.db.models.signals import pre_save
        from django.utils.translation import gettext_lazy

        # The empty choice of a select (Django 6.1's words, which its catalogues do not translate yet):
        # Django reads it from here for every select it fills, so ours says it in the reader's language.
        fields.BLANK_CHOICE_LABEL = gettext_lazy("- Select an option -")

        from drafting import languages  # noqa: F401  (its login receiver)
        from drafting.live import access  # noqa: F401  (its logout receiver: passes end with the session)
        from drafting.validation import check_before_save

        # Every save of the app's own models is checked the same way on SQLite and PostgreSQL;
        # history records copy what was already checked.
        for model in self.get_models():
            if not model.__name__.startswith("Historical"):
                pre_save.connect(check_before_save, sender=model, dispatch_uid=f"check-{model.__name__}")

        from django.conf import settings
        from django.db.models.signals import post_save

        from drafting.services.tokens import end_tokens_of_inactive

        # A deactivated account keeps no API token: reactivating it does not bring them back.
        post_save.connect(end_tokens_of_inactive, sender=settings.AUTH_USER_MODEL, dispatch_uid="end-tokens")

        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from drafting.throttling import on_logged_in, on_login_failed

        user_login_failed.connect(on_login_failed, dispatch_uid="count-login-failures")
        user_logged_in.connect(on_logged_in, dispatch_uid="forget-login-failures")
