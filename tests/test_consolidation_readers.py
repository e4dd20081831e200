"""Who reads a consolidation and its notes, who writes them (README, "Who may do what").

The compilation is a document for the Member States: everyone logged in reads the synoptic
view, the draft, the outcomes and the compilation file, notes on decisions included (they
record why a change was or was not taken). An internal note is the secretariat's own:
only officers read it, on the page and in the API, and no export carries it. Visitors read
nothing of it; only the secretariat settles, and so writes notes.
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
INTERNAL = "Ask the chair of SWG 3 before Friday; CITEL may object."
READERS = ["secretariat", "observer", "atu-delegate", "rcc-coordinator"]


@pytest.fixture
def settled(demo_db):
    consolidation = Consolidation.objects.first()
    row = next(r for r in compile_consolidation(consolidation).rows if r.status != "unchanged")
    settle_clause(
        User.objects.get(username="secretariat"),
        consolidation,
        row.key,
        Decision.BASE,
        note=NOTE,
        internal_note=INTERNAL,
    )
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


@pytest.mark.parametrize("who", READERS)
def test_the_internal_note_is_read_by_officers_only_and_never_exported(settled, who):
    consolidation, key = settled
    client = login(who)
    officer = who == "secretariat"
    assert (INTERNAL in client.get(f"/consolidations/{consolidation.pk}/").content.decode()) == officer
    row = next(
        r for r in client.get(f"/api/consolidations/{consolidation.pk}").json()["rows"] if r["key"] == key
    )
    assert row["note"] == NOTE
    assert row["internal_note"] == (INTERNAL if officer else None)
    for url in (
        f"/consolidations/{consolidation.pk}/draft/",
        f"/api/consolidations/{consolidation.pk}/outcomes",
    ):
        assert INTERNAL not in client.get(url).content.decode()
    compilation = client.get(f"/api/export/compilation/{consolidation.pk}")
    assert compilation.status_code == 200 and INTERNAL.encode() not in _unzipped(compilation.content)


def test_an_officer_writes_the_internal_note_from_the_page(settled):
    consolidation, key = settled
    decision = Decision.objects.get(consolidation=consolidation, key=key)
    response = login("secretariat").post(
        f"/consolidations/{consolidation.pk}/settle/",
        {
            "key": key,
            "choice": "base",
            "note": NOTE,
            "internal_note": "  Changed my mind.  ",
            "version": decision.version,
        },
    )
    assert response.status_code == 302
    assert Decision.objects.get(pk=decision.pk).internal_note == "Changed my mind."


def _unzipped(data: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"".join(z.read(name) for name in z.namelist())
