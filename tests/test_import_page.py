"""The secretariat's upload page: preview first, then one import, and clear errors."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from drafting.models import Clause, Edition
from tests.library_factories import DELEGATES, OBSERVERS, RES75, RES1332, SECRETARIAT, bodies, seed, user

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def secretariat():
    bodies()
    client = Client()
    client.force_login(user("officer", SECRETARIAT))
    return client


def upload(client, name, data, body="WTSA", number="", **extra):
    return client.post(
        "/library/import/", {"file": SimpleUploadedFile(name, data), "body": body, "number": number}, **extra
    )


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_visitors_are_sent_to_log_in():
    response = Client().get("/library/import/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [DELEGATES, OBSERVERS])
def test_delegates_and_observers_cannot_import(role):
    bodies()
    client = Client()
    client.force_login(user("someone", role))
    response = upload(client, "r.txt", seed(RES75).encode())
    assert response.status_code == 403
    assert "Only the secretariat" in response.content.decode()
    assert not Edition.objects.exists()


def test_the_preview_shows_the_structure_and_saves_nothing(secretariat):
    response = upload(secretariat, "res75.txt", seed(RES75).encode())
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        "considering further",
        "ix)",
        "Rev.\u00a0Hammamet, 2016",
        "12 parts, 0 annexes, 70 clauses",
        "Import this edition",
    ):
        assert expected in html
    assert "5 lines of front matter and noise left out" in html
    assert not Edition.objects.exists()


def test_confirming_the_preview_imports_and_goes_to_the_edition(secretariat):
    token = token_of(upload(secretariat, "res75.txt", seed(RES75).encode()))
    response = secretariat.post("/library/import/confirm/", {"token": token})
    assert response.status_code == 302
    assert response["Location"] == "/resolutions/wtsa/75/hammamet-2016/"
    assert Clause.objects.count() == 70
    page = secretariat.get(response["Location"])
    assert (
        "Imported WTSA Resolution 75 (Rev.\u00a0Hammamet, 2016): 12 parts, 58 items" in page.content.decode()
    )
    # The same preview cannot be imported twice.
    again = secretariat.post("/library/import/confirm/", {"token": token})
    assert again.status_code == 409
    assert "expired or was already imported" in again.content.decode()
    assert Edition.objects.count() == 1


def test_with_htmx_only_the_preview_is_returned_and_confirming_redirects(secretariat):
    response = upload(secretariat, "c.txt", seed(RES1332).encode(), body="Council", number="1332", **HX)
    html = response.content.decode()
    assert "<html" not in html and "Preview" in html
    confirm = secretariat.post("/library/import/confirm/", {"token": token_of(response)}, **HX)
    assert confirm.status_code == 200
    assert confirm["HX-Redirect"] == "/resolutions/council/1332/edition-1/"


@pytest.mark.parametrize(
    ("name", "data", "words", "status"),
    [
        ("empty.txt", b"", "The submitted file is empty", 400),
        ("binary.txt", b"\x00\x01\x02\x03 binary", "binary data", 400),
        ("latin1.txt", "Genève \xe9".encode("latin-1"), "not UTF-8", 400),
        ("fake.docx", b"not a zip at all", "not a Word .docx", 400),
        ("prose.txt", b"Minutes of the meeting.\nNothing else.\n", "No resolution was recognised", 400),
        ("huge.txt", b"a" * (6 * 1024 * 1024), "largest file accepted", 413),
    ],
)
def test_bad_files_get_a_readable_error_in_the_page(secretariat, name, data, words, status):
    response = upload(secretariat, name, data, **HX)
    assert response.status_code == status
    assert words in response.content.decode()
    assert not Edition.objects.exists()


def test_an_existing_edition_is_a_conflict_at_confirmation(secretariat):
    first = token_of(upload(secretariat, "r.txt", seed(RES75).encode()))
    second = token_of(upload(secretariat, "r.txt", seed(RES75).encode()))
    secretariat.post("/library/import/confirm/", {"token": first})
    response = secretariat.post("/library/import/confirm/", {"token": second})
    assert response.status_code == 409
    assert "already has the edition" in response.content.decode()
    assert Edition.objects.count() == 1


def test_a_post_without_a_csrf_token_is_refused():
    bodies()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("officer", SECRETARIAT))
    assert upload(client, "r.txt", seed(RES75).encode()).status_code == 403
