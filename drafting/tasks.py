"""Background work, through Django's tasks framework (the database backend's worker runs it)."""

from __future__ import annotations

from django.tasks import task


@task
def build_export(export_id: int) -> int:
    from drafting.services.exports import build

    return build(export_id).pk
