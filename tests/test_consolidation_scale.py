"""The consolidated view costs the same number of queries whatever the number of groups and clauses."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from drafting.demo.synthetic import GROUPS, synthetic_proposals, synthetic_resolution_text
from drafting.models import Conference
from drafting.models.people import SECRETARIAT
from drafting.services.consolidation import open_consolidation
from drafting.services.library import import_text
from tests.drafting_factories import base_edition, person

pytestmark = pytest.mark.django_db


def proposals_on(edition, conference, groups, n):
    officer = person(f"sec{n}", SECRETARIAT)
    synthetic_proposals(edition, conference, groups, tag=str(n))
    return open_consolidation(officer, conference, edition.resolution), officer


def queries(client, url) -> int:
    from drafting import caching

    caching.clear_all()  # each page reads the library anew, as after an import
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_two_groups_or_six_small_or_three_times_larger_the_same_queries():
    res75 = base_edition()
    # Three times the size: a query per clause or per row shows at any size over one.
    big = import_text(synthetic_resolution_text(3), body_code="WTSA", number="903").edition
    wtsa24 = Conference.objects.create(
        body=res75.resolution.body, code="WTSA-24", place="New Delhi", year=2024
    )
    wtsa28 = Conference.objects.create(
        body=res75.resolution.body, code="WTSA-28", place="Elsewhere", year=2028
    )
    small2, officer = proposals_on(res75, wtsa24, GROUPS[:2], 1)
    big6, _ = proposals_on(big, wtsa28, GROUPS, 2)
    client = Client()
    client.force_login(officer)
    counts = {
        url: queries(client, url)
        for url in (
            f"/consolidations/{small2.pk}/",
            f"/consolidations/{big6.pk}/",
            f"/consolidations/{big6.pk}/draft/",
        )
    }
    assert counts[f"/consolidations/{small2.pk}/"] == counts[f"/consolidations/{big6.pk}/"], counts
    html = client.get(f"/consolidations/{big6.pk}/?filter=conflicts").content.decode()
    # The clause every group rewrites, and the six similar items added at one place: one row of alternatives.
    assert "2 conflicts" in html and "6 agreement" not in html
