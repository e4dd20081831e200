from __future__ import annotations

from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "drafting"
    verbose_name = "Drafting"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from drafting.validation import check_before_save

        # Every save of the app's own models is checked the same way on SQLite and PostgreSQL;
        # history records copy what was already checked.
        for model in self.get_models():
            if not model.__name__.startswith("Historical"):
                pre_save.connect(check_before_save, sender=model, dispatch_uid=f"check-{model.__name__}")
