"""Exports through the real queue: queued by the request, built by django-tasks-db's worker (db_worker)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from docx import Document

from drafting.models import Export
from drafting.models.people import DELEGATES
from drafting.services.exports import request_export
from tests.drafting_factories import base_edition, group, mod_proposal, person

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_an_export_waits_in_the_queue_until_the_worker_builds_it(client):
    edition = base_edition()
    atu = group()
    proposal = mod_proposal(edition, atu)
    delegate = person("atu-delegate", DELEGATES, atu)
    client.force_login(delegate)

    response = client.post(
        "/exports/new/", {"kind": "contribution", "target": proposal.contribution.pk, "marks": "tracked"}
    )
    export = Export.objects.get()
    assert response.status_code == 302 and response.url == f"/exports/{export.pk}/"
    # Nothing builds it in the request: the page says it waits, and keeps polling.
    page = client.get(response.url).content.decode()
    assert (
        export.status == Export.QUEUED
        and "waiting for the worker" in page
        and 'hx-trigger="every 1s"' in page
    )
    assert client.get(f"/exports/{export.pk}/download/").status_code == 409

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    export.refresh_from_db()
    # One step per proposal read, and one for writing the file.
    assert export.status == Export.DONE and export.done == export.total == 2
    response = client.get(f"/exports/{export.pk}/download/")
    assert response.status_code == 200
    body = Document(io.BytesIO(response.content)).element.body
    # Even with no amendment yet, the revision line is a tracked change ("Hammamet, 2016" → "New Delhi, 2024").
    assert body.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ins")
    assert "Download" in client.get(f"/exports/{export.pk}/").content.decode()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_failed_export_is_shown_with_its_reason(monkeypatch):
    from drafting.services import DomainError, exports

    edition = base_edition()
    atu = group()
    proposal = mod_proposal(edition, atu)
    delegate = person("atu-delegate", DELEGATES, atu)

    def broken(export, progress):
        raise DomainError("The base edition could not be read.")

    monkeypatch.setattr(exports, "render", broken)
    export = request_export(delegate, Export.CONTRIBUTION, proposal.contribution)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    export.refresh_from_db()
    assert export.status == Export.FAILED
    assert export.error == "The base edition could not be read."
    assert export.data is None
