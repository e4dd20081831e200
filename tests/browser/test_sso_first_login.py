"""A delegate's first morning: signing in through the provider lands on the group's draft."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from drafting.models import Contribution
from tests.browser.conftest import ARTIFACTS
from tests.drafting_factories import base_edition, group, mod_proposal
from tests.oidc_support import configure, provider  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366])
def test_a_first_sign_in_through_sso_lands_on_the_groups_draft(
    new_page,
    live_server,
    settings,
    provider,  # noqa: F811 (the fixture)
    width,
):
    configure(settings, provider)
    atu = group("ATU")
    draft = mod_proposal(base_edition(), atu).contribution
    provider.set_user(
        f"fatou-{width}",
        email=f"fatou.{width}@example.org",
        name="Fatou Ndiaye",
        administration="Senegal",
        regional_group="ATU",
        role="delegate",
    )
    page = new_page(width)
    page.goto(f"{live_server.url}/accounts/login/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"sso-login-{width}.png"))
    page.get_by_role("link", name="Log in with ITU account").click()
    # The provider's own page: who are you?
    page.wait_for_url(f"{provider.url}/**")
    page.fill("#subject-input", f"fatou-{width}")
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{live_server.url}{draft.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposals on Resolution 75")
    expect(page.locator(".account .who")).to_contain_text("Fatou Ndiaye · Delegate")
    page.screenshot(path=str(ARTIFACTS / f"sso-landed-{width}.png"))
    user = User.objects.get(email=f"fatou.{width}@example.org")
    assert user.regional_groups.get() == atu
    assert Contribution.objects.filter(group__members=user, status="draft").get() == draft
