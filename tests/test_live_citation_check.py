"""The editor's citation check while typing, answered in front of Django with the page's live pass.

Through Django's full stack a check cost a session read, the user, the permission checks and
the middleware (5 queries); in front of it, the proposal and the library's state (2 queries).
It answers what the session endpoint answers, to the same people (those given the page).
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from drafting import live
from drafting.live.wsgi import MAX_CHECKED, LiveChannelApp
from drafting.models import Conference, Contribution
from drafting.models.people import DELEGATES
from drafting.services.contributions import add_proposal
from tests.citation_factories import library
from tests.drafting_factories import group, person

TEXT = (
    "in accordance with Resolution 140 (Rev. Busan, 2014), Resolution 71 (Rev. Buchrest, 2022) "
    "and Resolution 44 of this Assembly"
)


@pytest.fixture
def draft(db):
    res140, res75, res1332, res30 = library()
    atu = group("ATU", "ATU")
    delegate = person("d", DELEGATES, atu)
    conference = Conference.objects.create(
        body=res75.resolution.body, code="WTSA-24", place="New Delhi", year=2024
    )
    contribution = Contribution.objects.create(
        conference=conference, group=atu, document_number="35", title="x"
    )
    proposal = add_proposal(delegate, contribution, action="MOD", resolution=res75.resolution)
    return proposal, delegate


def _pass(proposal) -> str:
    return live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)


def test_the_check_in_front_of_django_answers_what_the_session_endpoint_answers(draft):
    proposal, delegate = draft
    client = Client()
    client.force_login(delegate)
    through_django = client.post(f"/proposals/{proposal.pk}/citations/", {"text": TEXT}).content.decode()
    answer = Client().post("/live/citations", {"c": _pass(proposal), "text": TEXT})
    assert answer.status_code == 200
    assert answer.content.decode() == through_django
    assert "(did you mean Bucharest?)" in through_django
    assert "(not the current edition: Rev. Dubai, 2018)" in through_django


def test_the_check_needs_the_pass_of_that_proposals_page(draft):
    proposal, _ = draft
    for value in ("", "nonsense", live.pass_for(live.consolidation_channel(proposal.pk), can_edit=False)):
        response = Client().post("/live/citations", {"c": value, "text": TEXT})
        assert response.status_code == 403
        assert "reload the page" in response.json()["detail"]
    assert (
        Client().post("/live/citations", {"c": live.pass_for("proposal:999999", can_edit=True)}).status_code
        == 404
    )
    assert Client().get("/live/citations").status_code == 405


def test_in_front_of_django_a_check_costs_two_queries_and_never_reaches_django(draft, monkeypatch):
    proposal, _ = draft
    monkeypatch.setattr("drafting.live.wsgi.close_old_connections", lambda: None)

    def django(environ, start_response):
        raise AssertionError("reached Django")

    app = LiveChannelApp(django)

    def post(text: str):
        body = urlencode({"c": _pass(proposal), "text": text}).encode()
        seen = {}
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/live/citations",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
        }
        content = b"".join(app(environ, lambda status, headers: seen.update(status=status)))
        return seen["status"], content.decode()

    # The library's meetings, and the newest editions of the resolutions a text cites, are read once
    # per library state (and set of resolutions): the next pause in the typing reads neither.
    post(TEXT)
    with CaptureQueriesContext(connection) as queries:
        status, html = post(TEXT + ", as amended")
    assert status.startswith("200") and "(did you mean Bucharest?)" in html
    assert len(queries.captured_queries) <= 2
    # A text longer than a clause can be is checked up to the bound, as through Django.
    status, html = post("x" * (MAX_CHECKED + 10) + " Resolution 140 (Rev. Busan, 2014)")
    assert status.startswith("200") and "Resolution 140" not in html
