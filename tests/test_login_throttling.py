"""Failed logins are throttled on the login page and on the API's HTTP Basic (issue 11: 30 wrong
passwords, then the right one, logged in)."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"


@pytest.fixture
def delegate():
    return User.objects.create_user("amina", password=PASSWORD)


def form_login(client: Client, password: str, username: str = "amina"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def basic(username: str, password: str) -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_login_page_locks_an_account_out_after_the_limit_even_with_the_right_password(delegate):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        form_login(client, "wrong")
    response = form_login(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page and "Try again after" in page and "UTC" in page
    assert int(response["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())
    assert not logged_in(client)


def test_thirty_wrong_passwords_then_the_right_one_is_still_refused(delegate):
    client = Client()
    statuses = {form_login(client, f"guess-{i}").status_code for i in range(30)}
    assert statuses <= {200, 429}
    assert form_login(client, PASSWORD).status_code == 429
    assert not logged_in(client)


def test_fewer_failures_than_the_limit_still_let_the_right_password_in_and_reset_the_count(delegate):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert form_login(client, "wrong").status_code == 200
    assert form_login(client, PASSWORD).status_code == 302
    assert logged_in(client)
    assert not AccessAttempt.objects.filter(username="amina", failures_since_start__gt=0).exists()


def test_http_basic_is_throttled_too_with_a_json_message(delegate):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.get("/api/contributions", **basic("amina", "wrong")).status_code == 401
    # The failure that reaches the limit is answered with the lockout itself.
    assert client.get("/api/contributions", **basic("amina", "wrong")).status_code == 429
    response = client.get("/api/contributions", **basic("amina", PASSWORD))
    assert response.status_code == 429
    assert "Try again after" in response.json()["detail"]
    assert response["Retry-After"]


def test_the_page_and_the_api_count_failures_together(delegate):
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        if i % 2:
            form_login(client, "wrong")
        else:
            client.get("/api/contributions", **basic("amina", "wrong"))
    assert client.get("/api/contributions", **basic("amina", PASSWORD)).status_code == 429


def test_a_locked_account_does_not_lock_out_anyone_else(delegate):
    User.objects.create_user("kwame", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        form_login(client, "wrong")
    assert form_login(Client(), PASSWORD, username="kwame").status_code == 302
    # The same account from another address is not locked either (the pair is).
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post("/accounts/login/", {"username": "amina", "password": PASSWORD}).status_code == 302


def test_after_the_cool_off_the_right_password_works_again(delegate):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        form_login(client, "wrong")
    assert form_login(client, PASSWORD).status_code == 429
    past = settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - past)
    assert form_login(client, PASSWORD).status_code == 302
    assert logged_in(client)
