"""Failed logins slow down on the login page and on the API's HTTP Basic (issue 11: 30 wrong
passwords, then the right one, logged in), and no one can hold another person back (issue 22: the
lock per username and address let anyone behind a conference's shared address lock a colleague out,
and with HTTPS=1 a client reaching the app without the proxy chose its own X-Forwarded-For)."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings
from django.urls import clear_url_caches

from drafting.models import Throttle
from drafting.throttling import DEVICE_COOKIE, client_ip

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]  # once: tests/conftest.py, shares

PASSWORD = "the-right-password-1"
LIMIT = settings.LOGIN_FAILURE_LIMIT


@pytest.fixture
def delegate():
    return User.objects.create_user("amina", password=PASSWORD, email="amina@example.org")


def form_login(client: Client, password: str, username: str = "amina"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def basic(username: str, password: str) -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def log_out(client: Client) -> None:
    """Logging out as a person does (the test client's own logout forgets every cookie)."""
    assert client.post("/accounts/logout/").status_code == 302


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def later(seconds: float) -> None:
    """As if ``seconds`` had passed since every counted failure."""
    for row in Throttle.objects.all():
        Throttle.objects.filter(pk=row.pk).update(
            last_at=row.last_at - timedelta(seconds=seconds),
            first_at=row.first_at - timedelta(seconds=seconds),
        )


def test_past_the_limit_the_right_password_must_wait_with_a_429_saying_when(delegate):
    client = Client()
    for _ in range(LIMIT):
        assert form_login(client, "wrong").status_code == 200
    response = form_login(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page and "Try again after" in page and "UTC" in page
    assert 1 <= int(response["Retry-After"]) <= 2
    assert not logged_in(client)
    later(2)
    assert form_login(client, PASSWORD).status_code == 302 and logged_in(client)


def test_thirty_wrong_passwords_then_the_right_one_is_still_refused(delegate):
    client = Client()
    statuses = {form_login(client, f"guess-{i}").status_code for i in range(30)}
    assert statuses <= {200, 429}
    assert form_login(client, PASSWORD).status_code == 429
    assert not logged_in(client)


def test_each_failure_past_the_limit_doubles_the_wait_up_to_the_cool_off(delegate):
    client = Client()
    waits = []
    for _ in range(LIMIT + 30):
        response = form_login(client, "wrong")
        if response.status_code == 429:
            waits.append(int(response["Retry-After"]))
            later(waits[-1])  # wait as asked, then fail again
    assert waits[:5] == [1, 2, 4, 8, 16]
    assert max(waits) == int(settings.LOGIN_COOLOFF.total_seconds())
    # Waiting inside the delay is not counted: the wait does not grow with attempts it refused.
    assert form_login(client, "wrong").status_code == 200  # the wait was over: counted
    first = int(form_login(client, "wrong")["Retry-After"])
    for _ in range(5):
        assert int(form_login(client, "wrong")["Retry-After"]) <= first


def test_fewer_failures_than_the_limit_still_let_the_right_password_in_and_forget_them(delegate):
    client = Client()
    for _ in range(LIMIT - 1):
        assert form_login(client, "wrong").status_code == 200
    assert form_login(client, PASSWORD).status_code == 302
    assert logged_in(client)
    assert not Throttle.objects.filter(key="login:user:amina").exists()


def test_http_basic_is_throttled_too_with_a_json_message(delegate):
    client = Client()
    for _ in range(LIMIT):
        assert client.get("/api/contributions", **basic("amina", "wrong")).status_code == 401
    response = client.get("/api/contributions", **basic("amina", PASSWORD))
    assert response.status_code == 429
    assert "Try again after" in response.json()["detail"]
    assert response["Retry-After"]


def test_the_page_and_the_api_count_failures_together(delegate):
    client = Client()
    for i in range(LIMIT):
        if i % 2:
            form_login(client, "wrong")
        else:
            client.get("/api/contributions", **basic("amina", "wrong"))
    assert client.get("/api/contributions", **basic("amina", PASSWORD)).status_code == 429


def test_a_throttled_account_does_not_hold_back_anyone_else(delegate):
    User.objects.create_user("kwame", password=PASSWORD)
    client = Client()
    for _ in range(LIMIT):
        form_login(client, "wrong")
    assert form_login(Client(), PASSWORD, username="kwame").status_code == 302


def test_a_colleague_behind_the_same_address_cannot_hold_you_back(delegate):
    # Amina logged in from her laptop before: it keeps a pass of her account.
    laptop = Client(REMOTE_ADDR="192.0.2.10")
    assert form_login(laptop, PASSWORD).status_code == 302
    assert DEVICE_COOKIE in laptop.cookies
    log_out(laptop)
    # A colleague behind the conference's same address tries passwords for her username.
    colleague = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(LIMIT + 5):
        form_login(colleague, "guess")
    assert form_login(colleague, PASSWORD).status_code == 429  # the colleague waits
    # Amina, from her own browser, is let in at once.
    assert form_login(laptop, PASSWORD).status_code == 302 and logged_in(laptop)
    # And her own wrong passwords count against her browser's pass, with the same backoff.
    log_out(laptop)
    for _ in range(LIMIT):
        assert form_login(laptop, "typo").status_code == 200
    assert form_login(laptop, PASSWORD).status_code == 429


def test_a_pass_of_another_account_does_not_help(delegate):
    User.objects.create_user("kwame", password=PASSWORD)
    client = Client()
    assert form_login(client, PASSWORD, username="kwame").status_code == 302
    log_out(client)
    for _ in range(LIMIT):
        form_login(Client(), "guess")
    # Kwame's browser trying Amina's account is held to Amina's username count.
    assert form_login(client, PASSWORD).status_code == 429
    client.cookies[DEVICE_COOKIE] = "forged:value"
    assert form_login(client, PASSWORD).status_code == 429


def test_many_usernames_from_one_address_slow_that_address_down(delegate):
    client = Client(REMOTE_ADDR="198.51.100.4")
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        form_login(client, "x", username=f"nobody{i}")
    assert form_login(client, PASSWORD).status_code == 429
    assert form_login(Client(REMOTE_ADDR="198.51.100.5"), PASSWORD).status_code == 302


@pytest.mark.parametrize("username", ["a" * 256, "amina\x00", "ami\x07na", "\ud800"[:0] + "x" * 151])
def test_a_username_no_one_can_have_is_refused_before_any_library_or_database_sees_it(delegate, username):
    # A 256-character username or a NUL in it was a 500 on PostgreSQL (django-axes stored it).
    client = Client()
    response = client.get("/api/contributions", **basic(username, "whatever"))
    assert response.status_code == 401
    assert not Throttle.objects.exists()
    response = form_login(client, "whatever", username=username)
    assert response.status_code in (200, 400)


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=["10.0.0.2"])
def test_x_forwarded_for_is_believed_only_from_the_trusted_proxy(rf):
    through_proxy = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert client_ip(through_proxy) == "198.51.100.7"  # what our proxy saw, not what the client wrote
    direct = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(direct) == "198.51.100.7"
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(garbage) == "10.0.0.2"


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=["10.0.0.2"])
def test_a_client_reaching_the_app_without_the_proxy_cannot_pick_its_address(delegate):
    # Thirty wrong passwords, each with another X-Forwarded-For: all counted under the real address.
    client = Client(REMOTE_ADDR="198.51.100.7")
    for i in range(30):
        client.post(
            "/accounts/login/",
            {"username": f"someone{i}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    assert Throttle.objects.get(key="login:address:198.51.100.7").count == 30
    assert not Throttle.objects.filter(key__startswith="login:address:203.").exists()


# --- password-reset mails ---------------------------------------------------------------------------


@pytest.fixture
def reset_by_mail(settings):
    settings.PASSWORD_RESET_BY_EMAIL = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    import importlib

    import drafting.urls

    clear_url_caches()
    importlib.reload(drafting.urls)
    yield
    settings.PASSWORD_RESET_BY_EMAIL = False
    clear_url_caches()
    importlib.reload(drafting.urls)


def test_password_reset_mails_to_one_address_are_limited_and_the_page_does_not_say_so(
    delegate, reset_by_mail
):
    statuses = set()
    for i in range(10):
        client = Client(REMOTE_ADDR=f"192.0.2.{i + 1}")  # from ten places
        statuses.add(client.post("/accounts/password_reset/", {"email": "amina@example.org"}).status_code)
    assert statuses == {302}
    assert len(mail.outbox) == settings.PASSWORD_RESET_PER_TARGET
    assert all(re.search(r"amina", m.to[0]) for m in mail.outbox)


def test_password_resets_asked_from_one_address_are_limited(delegate, reset_by_mail):
    client = Client(REMOTE_ADDR="192.0.2.50")
    statuses = [
        client.post("/accounts/password_reset/", {"email": f"x{i}@example.org"}).status_code for i in range(8)
    ]
    assert statuses[: settings.PASSWORD_RESET_PER_ADDRESS] == [302] * settings.PASSWORD_RESET_PER_ADDRESS
    assert statuses[settings.PASSWORD_RESET_PER_ADDRESS :] == [429] * (
        8 - settings.PASSWORD_RESET_PER_ADDRESS
    )
