"""What a first-time user meets, each rough edge as the class it belongs to: the login lands where
the role's day starts, a delegate is told who submits, production shows no demo hints, every place
a clause is named gives its part and label and links to it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from drafting.demo.load import load_demo
from drafting.models import Consolidation, Proposal
from drafting.models.people import COORDINATORS, DELEGATES, SECRETARIAT
from drafting.services.consolidation import compile_consolidation, fates
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]  # once: tests/conftest.py, shares


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    people = {
        "delegate": person("amina", DELEGATES, atu),
        "coordinator": person("kofi", COORDINATORS, atu),
        "secretariat": person("sam", SECRETARIAT),
    }
    User.objects.filter(username="kofi").update(first_name="Kofi", last_name="Mensah")
    return edition, proposal, people


def log_in(client: Client, username: str, next_page: str | None = None):
    data = {"username": username, "password": "pw"}
    if next_page is not None:
        data["next"] = next_page
    return client.post("/accounts/login/", data)


@pytest.mark.parametrize("page", ["/", "/?q=WSIS", "/no-such-page/", "/accounts/login/", "/api/"])
def test_log_in_in_the_header_leads_to_no_page_but_the_person_s_day(client, world, page):
    html = client.get(page).content.decode()
    link = re.search(r'<a href="(/accounts/login/[^"]*)">Log in</a>', html)
    assert link and link.group(1) == "/accounts/login/", link


def test_log_in_from_a_document_comes_back_to_it(client, world):
    edition, _, _ = world
    page = edition.get_absolute_url()
    html = client.get(page).content.decode()
    assert f'<a href="/accounts/login/?next={page}">Log in</a>' in html
    assert log_in(client, "amina", page)["Location"] == page


@pytest.mark.parametrize("next_page", [None, "", "/", "/home/"])
def test_each_role_lands_where_its_day_starts(world, next_page):
    _, proposal, _ = world
    for username, day in (("amina", proposal.contribution.get_absolute_url()), ("sam", "/consolidations/")):
        client = Client()
        response = log_in(client, username, next_page)
        landing = client.get(response["Location"], follow=True)
        assert landing.redirect_chain[-1][0] == day, (username, response["Location"])


def test_a_delegate_is_told_who_submits_where_submit_would_be(world):
    _, proposal, _ = world
    url = proposal.contribution.get_absolute_url()
    client = Client()
    log_in(client, "amina")
    html = client.get(url).content.decode()
    assert "contribution_submit" not in html and "/submit/" not in html
    hint = re.search(r'<p class="hint submit-hint" role="note">(.*?)</p>', html, re.S)
    assert hint and "Kofi Mensah" in hint.group(1) and "coordinator" in hint.group(1), hint
    client = Client()
    log_in(client, "kofi")
    html = client.get(url).content.decode()
    assert "/submit/" in html and "submit-hint" not in html


def test_a_group_without_coordinator_is_told_to_ask_the_secretariat(world):
    _, proposal, _ = world
    User.objects.filter(username="kofi").update(is_active=False)
    client = Client()
    log_in(client, "amina")
    html = client.get(proposal.contribution.get_absolute_url()).content.decode()
    assert "ask the secretariat" in html


def test_the_login_page_mentions_the_demo_only_where_there_is_one(client, world, settings):
    settings.DEBUG = False
    assert "Demo logins" not in client.get("/accounts/login/").content.decode()
    with override_settings(DEBUG=True):
        assert "Demo logins" in client.get("/accounts/login/").content.decode()
    load_demo()
    assert "Demo logins" in client.get("/accounts/login/").content.decode()


def test_every_fate_names_its_clause_whole_and_links_to_it():
    load_demo()
    consolidation = Consolidation.objects.get()
    compilation = compile_consolidation(consolidation)
    parts = {
        "considering",
        "recognizing",
        "resolves",
        "instructs",
        "invites",
        "noting",
        "requests",
        "bearing",
    }
    for group_fates in fates(compilation).values():
        for fate in group_fates:
            if fate.kind == "item":
                assert fate.name.split()[0] in parts or " " in fate.name, fate.name
                assert fate.name != fate.label
    atu = Proposal.objects.get(contribution__group__code="ATU")
    secretariat = Client()
    secretariat.force_login(User.objects.get(username="secretariat"))
    html = secretariat.get(f"/consolidations/{consolidation.pk}/fates/").content.decode()
    names = re.findall(
        r'<th scope="row" data-label="Clause"><a href="[^"]*#k-([0-9a-f-]+)">([^<]+)</a>', html
    )
    # A part is named by its heading ("recalling"); no row is a bare label ("e)", "ii)", "3bis").
    bare = re.compile(r"^\(?[0-9a-z]{1,6}(bis|ter)?[).]?$")
    assert names and not [name for _, name in names if bare.match(name) and name not in parts], names[:5]
    assert any(" " in name for _, name in names)
    # The synoptic view's decision column names the clause it decides, linked to the draft.
    html = secretariat.get(f"/consolidations/{consolidation.pk}/").content.decode()
    decided = re.findall(
        r'<p class="result-name"><a href="/consolidations/\d+/draft/#c-[0-9a-f-]+">([^<]+)</a>', html
    )
    assert decided and not [name for name in decided if bare.match(name) and name not in parts], decided[:5]
    assert any(" " in name for name in decided)
    # A delegate's contribution page links each named clause to it in the proposal.
    delegate = Client()
    delegate.force_login(User.objects.get(username="atu-delegate"))
    html = delegate.get(atu.contribution.get_absolute_url()).content.decode()
    linked = re.findall(rf'<a href="{atu.get_absolute_url()}#c-[0-9a-f-]+">([^<]+)</a>', html)
    assert linked and not [name for name in linked if bare.match(name) and name not in parts], linked[:5]
