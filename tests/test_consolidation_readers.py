"""Who reads a consolidation and its notes, who writes them (README, "Who may do what").

The compilation is a document for the Member States: everyone logged in reads the synoptic
view, the draft, the outcomes and the compilation file, notes on decisions included (they
record why a change was or was not taken). Visitors read nothing of it; only the
secretariat settles, and so writes notes.
"""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.models import User
from django.test import Client

from drafting.models import Consolidation, Decision
from drafting.services.consolidation import compile_consolidation, settle_clause

pytestmark = pytest.mark.django_db

NOTE = "Kept as in the base: discussed in the ad hoc group."
READERS = ["secretariat", "observer", "atu-delegate", "rcc-coordinator"]


@pytest.fixture
def settled(demo_db):
    consolidation = Consolidation.objects.first()
    row = next(r for r in compile_consolidation(consolidation).rows if r.status != "unchanged")
    settle_clause(User.objects.get(username="secretariat"), consolidation, row.key, Decision.BASE, note=NOTE)
    return consolidation, row.key


def login(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("who", READERS)
def test_everyone_logged_in_reads_the_consolidation_and_its_notes(settled, who):
    consolidation, _ = settled
    client = login(who)
    page = client.get(f"/consolidations/{consolidation.pk}/")
    assert page.status_code == 200 and NOTE in page.content.decode()
    assert client.get(f"/consolidations/{consolidation.pk}/draft/").status_code == 200
    assert client.get(f"/api/consolidations/{consolidation.pk}").status_code == 200
    assert client.get(f"/api/export/compilation/{consolidation.pk}").status_code == 200


def test_a_visitor_reads_nothing_of_it(settled):
    consolidation, _ = settled
    visitor = Client()
    assert visitor.get(f"/consolidations/{consolidation.pk}/").status_code == 302
    assert visitor.get(f"/consolidations/{consolidation.pk}/draft/").status_code == 302
    assert visitor.get(f"/api/consolidations/{consolidation.pk}").status_code == 401
    assert visitor.get(f"/api/consolidations/{consolidation.pk}/outcomes").status_code == 401
    assert visitor.get(f"/api/export/compilation/{consolidation.pk}").status_code == 401


@pytest.mark.parametrize("who", ["observer", "atu-delegate", "rcc-coordinator"])
def test_only_the_secretariat_settles_and_writes_notes(settled, who):
    consolidation, key = settled
    before = list(Decision.objects.values_list("key", "note", "version"))
    token = base64.b64encode(f"{who}:drafting-demo".encode()).decode()
    response = Client().post(
        f"/api/consolidations/{consolidation.pk}/settle",
        {"key": key, "choice": "base", "note": "mine", "version": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {token}",
    )
    assert response.status_code == 403
    page = login(who).post(
        f"/consolidations/{consolidation.pk}/settle/", {"key": key, "choice": "base", "note": "mine"}
    )
    assert page.status_code in (302, 403)
    assert list(Decision.objects.values_list("key", "note", "version")) == before
