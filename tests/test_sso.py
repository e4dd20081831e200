"""Single sign-on with OpenID Connect, against a real provider process on loopback (tests/oidc_provider.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from drafting.models import MembershipChange, Profile
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT
from drafting.permissions import roles_of
from tests.drafting_factories import group, person
from tests.oidc_support import configure, local, provider, running_provider  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]  # once: tests/conftest.py, shares


@pytest.fixture
def sso(settings, provider):  # noqa: F811
    configure(settings, provider)
    for code, prefix in (("ATU", "ATU"), ("CITEL", "IAP"), ("CEPT", "EUR")):
        group(code, prefix)
    return provider


def start(client: Client, next_url: str = "") -> str:
    response = client.get("/accounts/sso/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def sign_in(client: Client, provider, sub: str, next_url: str = ""):  # noqa: F811
    back = provider.authorize(start(client, next_url), sub)
    return client.get(local(back))


def fresh_roles(user: User) -> set[str]:
    return roles_of(User.objects.get(pk=user.pk))


def test_a_first_sign_in_makes_the_account_from_the_claims_through_the_code_flow_with_pkce(sso):
    sso.set_user(
        "amina-sub",
        email="Amina.Diallo@example.org",
        email_verified=True,
        name="Amina Diallo",
        administration="Senegal",
        regional_group="ATU",
        role="delegate",
    )
    client = Client()
    response = sign_in(client, sso, "amina-sub")
    assert response.status_code == 302 and response["Location"] == "/home/"
    user = User.objects.get(email="amina.diallo@example.org")
    assert user.get_full_name() == "Amina Diallo"
    assert not user.has_usable_password()
    assert user.profile.administration == "Senegal"
    assert (user.profile.oidc_issuer, user.profile.oidc_subject) == (sso.url, "amina-sub")
    assert list(user.regional_groups.values_list("code", flat=True)) == ["ATU"]
    assert fresh_roles(user) == {DELEGATES}
    change = MembershipChange.objects.get(member=user)
    assert (change.group.code, change.action, change.via, change.actor) == (
        "ATU",
        "added",
        "single sign-on",
        None,
    )
    # Logged in: the session is this account's.
    assert client.get("/contributions/").status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk
    # What the provider was asked: the code flow, with an S256 challenge, a state and a nonce.
    asked = sso.seen()["authorize"]
    assert asked["response_type"] == "code"
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) >= 43
    assert asked["state"] and asked["nonce"]
    assert set(asked["scope"].split()) == {"openid", "email", "profile"}


def test_signing_in_again_updates_the_same_account_from_the_new_claims(sso):
    sso.set_user("chen-sub", email="chen@example.org", name="Chen Wei", regional_group="ATU", role="delegate")
    sign_in(Client(), sso, "chen-sub")
    sso.set_user(
        "chen-sub", email="chen@example.org", name="Chen Wei-Ling", regional_group="CEPT", role="coordinator"
    )
    response = sign_in(Client(), sso, "chen-sub")
    assert response.status_code == 302
    user = User.objects.get(email="chen@example.org")
    assert User.objects.filter(email="chen@example.org").count() == 1
    assert user.get_full_name() == "Chen Wei-Ling"
    assert list(user.regional_groups.values_list("code", flat=True)) == ["CEPT"]
    assert fresh_roles(user) == {COORDINATORS}
    assert [
        (c.group.code, c.action) for c in MembershipChange.objects.filter(member=user).order_by("id")
    ] == [
        ("ATU", "added"),
        ("CEPT", "added"),
        ("ATU", "removed"),
    ]


def test_an_account_from_the_registration_list_is_joined_by_its_address_and_keeps_its_group(settings, sso):
    configure(settings, sso, OIDC_CLAIM_GROUP="", OIDC_CLAIM_ROLE="")
    listed = person("listed", COORDINATORS, group("CITEL", "IAP"))
    listed.email = "Listed@Example.org"
    listed.save()
    sso.set_user("listed-sub", email="listed@example.org", email_verified=True, name="Listed Person")
    assert sign_in(Client(), sso, "listed-sub").status_code == 302
    assert User.objects.count() == 1
    listed.refresh_from_db()
    assert listed.profile.oidc_subject == "listed-sub"
    assert list(listed.regional_groups.values_list("code", flat=True)) == ["CITEL"]
    assert fresh_roles(listed) == {COORDINATORS}


def test_an_address_the_provider_has_not_verified_is_never_joined_to_an_existing_account(sso):
    existing = person("existing", DELEGATES, group("ATU"))
    existing.email = "taken@example.org"
    existing.save()
    sso.set_user("intruder", email="taken@example.org", email_verified=False, regional_group="ATU")
    client = Client()
    response = sign_in(client, sso, "intruder")
    assert response.status_code == 403
    assert "cannot be joined" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not Profile.objects.filter(oidc_subject="intruder").exists()


def test_a_wrong_state_is_refused_and_nothing_is_made(sso):
    sso.set_user("sub-state", email="state@example.org", regional_group="ATU")
    client = Client()
    back = sso.authorize(start(client), "sub-state")
    forged = back.replace("state=", "state=x")
    response = client.get(local(forged))
    assert response.status_code == 400
    assert "does not match a sign-in started from this browser" in response.content.decode()
    assert not User.objects.filter(email="state@example.org").exists()
    assert "_auth_user_id" not in client.session


def test_a_wrong_nonce_is_refused_and_nothing_is_made(sso):
    sso.set_user("sub-nonce", email="nonce@example.org", regional_group="ATU")
    client = Client()
    back = sso.authorize(start(client), "sub-nonce")
    # The ID token will carry the nonce the provider was given; the session now expects another.
    session = client.session
    (key,) = [k for k in session.keys() if k.startswith("_state_sso_")]
    stored = session[key]
    stored["data"]["nonce"] = "another-nonce"
    session[key] = stored
    session.save()
    response = client.get(local(back))
    assert response.status_code == 400
    assert "could not be trusted" in response.content.decode()
    assert not User.objects.filter(email="nonce@example.org").exists()


def test_the_provider_refuses_a_code_without_its_pkce_verifier(sso):
    sso.set_user("sub-pkce", email="pkce@example.org", regional_group="ATU")
    client = Client()
    back = sso.authorize(start(client), "sub-pkce")
    session = client.session
    (key,) = [k for k in session.keys() if k.startswith("_state_sso_")]
    stored = session[key]
    stored["data"]["code_verifier"] = "x" * 50  # not the one the challenge was made from
    session[key] = stored
    session.save()
    response = client.get(local(back))
    assert response.status_code == 400
    assert "Code challenge failed" in response.content.decode()
    assert not User.objects.filter(email="pkce@example.org").exists()


def test_an_expired_id_token_is_refused(settings, sso):
    with running_provider(token_max_age=-600) as expired:
        configure(settings, expired)
        expired.set_user("sub-old", email="old@example.org", regional_group="ATU")
        client = Client()
        response = sign_in(client, expired, "sub-old")
    assert response.status_code == 400
    assert "could not be trusted" in response.content.decode()
    assert not User.objects.filter(email="old@example.org").exists()


def test_a_person_whose_group_matches_nothing_is_let_in_as_an_observer(sso):
    sso.set_user("sub-obs", email="obs@example.org", regional_group="Nowhere Union", role="delegate")
    client = Client()
    assert sign_in(client, sso, "sub-obs").status_code == 302
    user = User.objects.get(email="obs@example.org")
    assert fresh_roles(user) == {OBSERVERS}
    assert not user.regional_groups.exists()
    # An observer lands in the library.
    assert client.get("/home/")["Location"] == "/"


def test_a_person_whose_group_matches_nothing_is_refused_when_so_configured(settings, sso):
    configure(settings, sso, OIDC_UNMATCHED_GROUP="refuse")
    sso.set_user("sub-refused", email="refused@example.org", regional_group="Nowhere Union")
    client = Client()
    response = sign_in(client, sso, "sub-refused")
    assert response.status_code == 403
    assert "not in a regional group" in response.content.decode()
    assert not User.objects.filter(email="refused@example.org").exists()
    assert "_auth_user_id" not in client.session


def test_a_secretariat_role_needs_no_group(sso):
    sso.set_user("sub-sec", email="officer@example.org", role="Secretariat")
    client = Client()
    response = sign_in(client, sso, "sub-sec")
    assert response.status_code == 302
    assert fresh_roles(User.objects.get(email="officer@example.org")) == {SECRETARIAT}
    assert client.get("/home/")["Location"] == "/consolidations/"


def test_a_closed_account_cannot_sign_in(sso):
    closed = person("closed", DELEGATES, group("ATU"))
    closed.email = "closed@example.org"
    closed.is_active = False
    closed.save()
    sso.set_user("sub-closed", email="closed@example.org", regional_group="ATU")
    response = sign_in(Client(), sso, "sub-closed")
    assert response.status_code == 403
    assert "closed at the end of a past conference" in response.content.decode()


def test_the_sign_in_comes_back_to_the_page_asked_for(sso):
    sso.set_user("sub-next", email="next@example.org", regional_group="ATU", role="delegate")
    response = sign_in(Client(), sso, "sub-next", next_url="/contributions/")
    assert response["Location"] == "/contributions/"
    # Never elsewhere.
    response = sign_in(Client(), sso, "sub-next", next_url="https://evil.example/")
    assert response["Location"] == "/home/"


def test_logging_out_ends_the_providers_session_too(sso):
    sso.set_user("sub-out", email="out@example.org", regional_group="ATU", role="delegate")
    client = Client()
    sign_in(client, sso, "sub-out")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{sso.url}/oauth2/end_session?")
    assert "_auth_user_id" not in client.session
    assert client.get("/contributions/").status_code == 302  # logged out here
    import requests

    assert requests.get(response["Location"], timeout=10).status_code == 200
    ended = sso.seen()["end_session"][-1]
    assert ended["id_token_hint"].count(".") == 2  # the ID token the sign-in got
    assert ended["post_logout_redirect_uri"] == "http://testserver/"
    assert ended["client_id"] == "drafting-tool"


def test_a_password_login_logs_out_here_only(sso):
    person("local", SECRETARIAT)
    client = Client()
    assert client.post("/accounts/login/", {"username": "local", "password": "pw"}).status_code == 302
    response = client.post("/accounts/logout/")
    assert response["Location"] == "http://testserver/"


def test_the_login_page_offers_the_provider_beside_the_password(sso):
    page = Client().get("/accounts/login/?next=/contributions/").content.decode()
    assert "Log in with ITU account" in page
    assert "/accounts/sso/?next=/contributions/" in page
    assert 'name="password"' in page


def test_without_a_provider_there_is_no_sign_on(settings):
    settings.SSO_ENABLED = False
    settings.OIDC_DISCOVERY_URL = ""
    assert Client().get("/accounts/sso/").status_code == 404
    assert "Log in with" not in Client().get("/accounts/login/").content.decode()


def test_a_provider_that_does_not_answer_gives_a_message(settings, sso):
    configure(settings, sso, OIDC_DISCOVERY_URL="http://127.0.0.1:9/.well-known/openid-configuration")
    response = Client().get("/accounts/sso/")
    assert response.status_code == 503
    assert "does not answer" in response.content.decode()
