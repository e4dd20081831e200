"""Personal API tokens and the password hasher: scripts and logins that do not burn the CPU."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import Client, override_settings

from drafting.models import ApiToken, Clause
from drafting.models.people import DELEGATES
from drafting.services.tokens import create_token
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]  # once: tests/conftest.py, shares

REAL_HASHERS = [
    "drafting.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    amina = person("amina", DELEGATES, atu)
    person("bob", DELEGATES, group("CEPT", "EUR"))
    key = str(Clause.objects.get(edition=edition, anchor="considering-a").provision.key)
    return proposal, key, amina


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_is_stored_only_as_its_sha256(world):
    _, _, amina = world
    record, token = create_token(amina, "export script")
    assert token.startswith("dft_") and len(token) > 40
    record.refresh_from_db()
    assert record.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(ApiToken.objects.values()), default=str)


def test_a_token_reads_and_saves_through_the_api_without_csrf(world):
    proposal, key, amina = world
    _, token = create_token(amina, "script")
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"/api/proposals/{proposal.pk}", **bearer(token)).status_code == 200
    response = client.put(
        f"/api/proposals/{proposal.pk}/clauses/{key}",
        data=json.dumps({"text": "the outcomes of WSIS, by token;", "version": 0}),
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 200, response.content
    assert proposal.amendments.get().text == "the outcomes of WSIS, by token;"
    assert proposal.amendments.get().updated_by == amina


def test_a_wrong_or_revoked_token_gets_401(world):
    proposal, _, amina = world
    client = Client()
    assert client.get(f"/api/proposals/{proposal.pk}", **bearer("dft_nonsense")).status_code == 401
    assert client.get(f"/api/proposals/{proposal.pk}", **bearer("not-even-ours")).status_code == 401
    record, token = create_token(amina, "script")
    assert client.get(f"/api/proposals/{proposal.pk}", **bearer(token)).status_code == 200
    assert client.delete(f"/api/tokens/{record.pk}", **bearer(token)).status_code == 200
    assert client.get(f"/api/proposals/{proposal.pk}", **bearer(token)).status_code == 401


def test_a_token_of_an_inactive_user_gets_401(world):
    proposal, _, amina = world
    _, token = create_token(amina, "script")
    get_user_model().objects.filter(pk=amina.pk).update(is_active=False)
    assert Client().get(f"/api/proposals/{proposal.pk}", **bearer(token)).status_code == 401


def test_a_token_carries_its_owners_permissions_only(world):
    proposal, _, _ = world
    bob = get_user_model().objects.get(username="bob")
    _, token = create_token(bob, "script")
    # A draft of another group is not visible to bob, token or not.
    assert Client().get(f"/api/proposals/{proposal.pk}", **bearer(token)).status_code == 404


@override_settings(PASSWORD_HASHERS=REAL_HASHERS)
def test_a_token_request_hashes_no_password(world, monkeypatch):
    proposal, _, amina = world
    _, token = create_token(amina, "script")
    calls = []
    import django.contrib.auth.hashers as hashers

    real = hashers.check_password
    monkeypatch.setattr(hashers, "check_password", lambda *a, **k: calls.append(a) or real(*a, **k))
    for hasher in hashers.get_hashers():
        monkeypatch.setattr(
            hasher, "verify", lambda *a, **k: calls.append(a) or pytest.fail("a password was hashed")
        )
    assert Client().get(f"/api/proposals/{proposal.pk}", **bearer(token)).status_code == 200
    assert calls == []


def test_tokens_are_created_listed_and_revoked_through_the_api_by_their_owner_only(world):
    _, _, amina = world
    client = Client()
    client.force_login(amina)
    created = client.post("/api/tokens", data={"name": "nightly"}, content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert data["token"].startswith("dft_") and data["prefix"] == data["token"][:10]
    listed = client.get("/api/tokens").json()
    assert [t["name"] for t in listed] == ["nightly"] and "token" not in listed[0]
    assert client.post("/api/tokens", data={"name": " "}, content_type="application/json").status_code == 400
    # Someone else cannot revoke it.
    other = Client()
    other.force_login(get_user_model().objects.get(username="bob"))
    assert other.delete(f"/api/tokens/{data['id']}").status_code == 404
    assert ApiToken.objects.get(pk=data["id"]).revoked_at is None
    assert client.delete(f"/api/tokens/{data['id']}").status_code == 200
    assert ApiToken.objects.get(pk=data["id"]).revoked_at is not None


def test_the_tokens_page_shows_a_new_token_once_and_revokes(world):
    _, _, amina = world
    client = Client()
    client.force_login(amina)
    page = client.post("/account/tokens/", {"name": "my script"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    token = page.context["new_token"]["token"]
    assert token in page.content.decode()
    again = client.get("/account/tokens/").content.decode()
    assert "my script" in again and token not in again
    record = ApiToken.objects.get(user=amina)
    assert client.post("/account/tokens/", {"revoke": str(record.pk)}).status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert client.post("/account/tokens/", {"name": ""}).status_code == 400
    assert client.post("/account/tokens/", {"revoke": "nope"}).status_code == 404


def test_the_tokens_page_needs_a_login(client):
    assert client.get("/account/tokens/").status_code == 302


@override_settings(PASSWORD_HASHERS=REAL_HASHERS)
def test_passwords_are_hashed_with_argon2id_at_owasp_parameters():
    encoded = make_password("drafting-demo")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert "$argon2id$" in encoded and "m=19456,t=2,p=1" in encoded
    assert check_password("drafting-demo", encoded)


@override_settings(PASSWORD_HASHERS=REAL_HASHERS)
def test_an_old_pbkdf2_hash_is_upgraded_to_argon2id_at_login():
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user = get_user_model().objects.create(username="old-timer")
    user.password = PBKDF2PasswordHasher().encode(
        "drafting-demo", PBKDF2PasswordHasher().salt(), iterations=1000
    )
    user.save()
    client = Client()
    response = client.post("/accounts/login/", {"username": "old-timer", "password": "drafting-demo"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


def test_sessions_last_a_conference_and_are_cached(settings):
    from drafting import settings as real

    assert real.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert real.SESSION_COOKIE_AGE >= 14 * 24 * 3600


# --- tokens end when access should (issue 22) ---------------------------------------------------------


def _works(proposal, token: str) -> bool:
    return Client().get(f"/api/proposals/{proposal.pk}", **bearer(token)).status_code == 200


def test_a_token_cannot_make_tokens(world):
    # A leaked token minted others, which outlived its revocation.
    _, _, amina = world
    _, token = create_token(amina, "script")
    response = Client().post(
        "/api/tokens", data={"name": "another"}, content_type="application/json", **bearer(token)
    )
    assert response.status_code == 403
    assert "cannot make tokens" in response.json()["detail"]
    assert ApiToken.objects.filter(user=amina).count() == 1


def test_a_password_change_ends_every_token_and_the_page_says_why(world):
    proposal, _, amina = world
    amina.set_password("pw")
    amina.save()
    tokens = [create_token(amina, f"script {i}")[1] for i in range(3)]
    assert all(_works(proposal, t) for t in tokens)
    client = Client()
    client.force_login(amina)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "pw",
            "new_password1": "a-new-long-password-22",
            "new_password2": "a-new-long-password-22",
        },
    )
    assert response.status_code == 302
    assert not any(_works(proposal, t) for t in tokens)
    assert set(ApiToken.objects.filter(user=amina).values_list("revoked_reason", flat=True)) == {
        ApiToken.PASSWORD_CHANGED
    }
    assert "ended when your password changed" in client.get("/account/tokens/").content.decode()
    listed = client.get("/api/tokens").json()
    assert {t["revoked_reason"] for t in listed} == {"ended when your password changed"}


@override_settings(PASSWORD_HASHERS=REAL_HASHERS)
def test_a_hash_upgraded_at_login_is_no_password_change(world):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    proposal, _, amina = world
    amina.password = PBKDF2PasswordHasher().encode(
        "drafting-demo", PBKDF2PasswordHasher().salt(), iterations=1000
    )
    amina.save()
    _, token = create_token(amina, "script")
    assert (
        Client().post("/accounts/login/", {"username": "amina", "password": "drafting-demo"}).status_code
        == 302
    )
    amina.refresh_from_db()
    assert amina.password.startswith("argon2$")
    assert _works(proposal, token)


def test_the_secretariat_ends_every_token_of_a_person_from_the_admin(world):
    proposal, _, amina = world
    leaked, leaked_token = create_token(amina, "leaked")
    _, other_token = create_token(amina, "other")
    bob = get_user_model().objects.get(username="bob")
    _, bobs = create_token(bob, "bob's")
    officer = get_user_model().objects.create_superuser("okafor", "okafor@itu.int", "pw-officer-1")
    client = Client()
    client.force_login(officer)
    response = client.post(
        "/admin/drafting/apitoken/",
        {"action": "end_every_token_of_their_owners", "_selected_action": [leaked.pk]},
    )
    assert response.status_code == 302
    assert not _works(proposal, leaked_token) and not _works(proposal, other_token)
    assert Client().get("/api/contributions", **bearer(bobs)).status_code == 200
    assert set(ApiToken.objects.filter(user=amina).values_list("revoked_reason", flat=True)) == {
        ApiToken.BY_SECRETARIAT
    }


def test_deactivating_an_account_ends_its_tokens_for_good(world):
    proposal, _, amina = world
    _, token = create_token(amina, "script")
    amina.is_active = False
    amina.save()
    amina.is_active = True
    amina.save()
    assert not _works(proposal, token)
    assert ApiToken.objects.get(user=amina).revoked_reason == ApiToken.DEACTIVATED
