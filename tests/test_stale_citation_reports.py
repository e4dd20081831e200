"""The stale report, exact: after a newer edition of a cited resolution, and after a Council revision at a
later session (whichever way the session is written); the API says "outdated" as the edition page does."""

from __future__ import annotations

import pytest

from drafting.models import Citation, Conference, Contribution
from drafting.services.citations.stale import stale_citations
from drafting.services.citations.updates import plan_update
from drafting.services.library import import_text
from tests.citation_factories import bodies, library
from tests.drafting_factories import group

pytestmark = pytest.mark.django_db

RES140_BUCHAREST = """RESOLUTION 140 (Rev. Bucharest, 2022)
ITU's role in implementing the outcomes of the World Summit on the Information Society
(Antalya, 2006; Guadalajara, 2010; Busan, 2014; Dubai, 2018; Bucharest, 2022)
The Plenipotentiary Conference of the International Telecommunication Union (Bucharest, 2022),
resolves
1\tthat ITU should continue its work on the implementation of the WSIS outcomes.
"""


def council_1332(year: int) -> str:
    return f"""RESOLUTION 1332 (Modified {year})
ITU role in the implementation of the WSIS outcomes
The Council,
resolves
1\tthat ITU should play a leading facilitating role in the WSIS implementation process.
"""


CITING_COUNCIL = """RESOLUTION 901 (Rev. New Delhi, 2024)
A resolution citing the Council's
(New Delhi, 2024)
The World Telecommunication Standardization Assembly (New Delhi, 2024),
noting
a)\tCouncil 2016 Resolution 1332, on ITU's role in the implementation of the WSIS outcomes;
b)\tResolution 1332 adopted by the Council at its 2016 session;
c)\tCouncil Resolution 1332, with no session said;
d)\tResolution 1332, first adopted by the Council at its 2011 session and last modified at its 2019 session,
resolves
1\tto go on, as in noting a) and b) above.
"""


def stale_rows(cited=None) -> list[tuple[str, str, str]]:
    return sorted(
        (str(r.resolution), cc.clause.anchor, c.text)
        for g in stale_citations(cited)
        for r in g.citing
        for cc in r.clauses
        for c in cc.citations
    )


def test_the_report_after_a_newer_edition_lists_exactly_the_citations_of_older_ones(client):
    res140, *_ = library()
    newer = import_text(RES140_BUCHAREST, body_code="PP").edition
    expected = sorted(
        (str(c.resolution), c.clause.anchor, c.text)
        for c in Citation.objects.filter(
            cited_resolution=res140.resolution, year__lt=2022, clause__isnull=False
        ).exclude(resolution=res140.resolution)
    )
    assert len(expected) == 9 and stale_rows(newer.resolution) == expected
    # The API gives each of them as outdated, as the edition's own citations endpoint does.
    data = client.get(f"/api/citations/stale?resolution={newer.resolution.pk}").json()
    flags = [c["outdated"] for g in data for r in g["citing"] for c in r["citations"]]
    assert len(flags) == 9 and all(flags)


def test_a_council_revision_at_a_later_session_makes_its_earlier_sessions_citations_stale(client):
    bodies()
    first = import_text(council_1332(2016), body_code="Council").edition
    assert (first.place, first.year, first.slug) == ("", 2016, "2016")
    citing = import_text(CITING_COUNCIL, body_code="WTSA").edition
    cited = {
        c.clause.anchor: (c.body, c.number, c.year, c.cited_edition_id)
        for c in Citation.objects.filter(edition=citing, kind="resolution").select_related("clause")
    }
    # Both ways of writing the 2016 session read the same, and point at the 2016 text.
    assert cited["noting-a"] == cited["noting-b"] == ("Council", "1332", 2016, first.pk)
    assert cited["noting-c"] == ("Council", "1332", None, None)
    assert cited["noting-d"][:3] == ("Council", "1332", 2019)
    assert stale_rows() == []
    import_text(council_1332(2019), body_code="Council")
    assert stale_rows() == [
        ("WTSA Resolution 901", "noting-a", "Council 2016 Resolution 1332"),
        ("WTSA Resolution 901", "noting-b", "Resolution 1332"),
    ]
    data = client.get("/api/citations/stale").json()
    assert [(g["cited"], g["current_edition"]) for g in data] == [
        ("Council Resolution 1332", "Modified 2019")
    ]
    assert [c["outdated"] for c in data[0]["citing"][0]["citations"]] == [True, True]
    # The update rewrites the session where it is written, nothing else.
    conference = Conference.objects.create(
        body=citing.resolution.body, code="WTSA-28", place="Geneva", year=2028
    )
    contribution = Contribution.objects.create(
        conference=conference, group=group("ATU", "ATU"), document_number="9", title="Updates"
    )
    [plan] = plan_update(contribution, cited=first.resolution)
    assert [c.after for c in plan.changes] == [
        "Council 2019 Resolution 1332, on ITU's role in the implementation of the WSIS outcomes;",
        "Resolution 1332 adopted by the Council at its 2019 session;",
    ]
