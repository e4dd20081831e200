"""Footnotes, the title and the front matter are read for citations like clauses: stored, listed on the
edition page and in the stale report, and left to the drafter when an update cannot rewrite them."""

from __future__ import annotations

import pytest

from drafting.models import Citation, Conference, Contribution
from drafting.services.citations.stale import stale_citations
from drafting.services.citations.updates import plan_update
from drafting.services.library import import_text
from tests.citation_factories import bodies
from tests.drafting_factories import group

pytestmark = pytest.mark.django_db

RES58_BUSAN = """RESOLUTION 58 (Rev. Busan, 2014)
Strengthening of relations with regional telecommunication organizations
(Kyoto, 1994; Busan, 2014)
The Plenipotentiary Conference of the International Telecommunication Union (Busan, 2014),
resolves
1\tto continue to strengthen relations;
2\tto hold consultations with the regional organizations.
"""

RES58_DUBAI = (
    RES58_BUSAN.replace("Rev. Busan, 2014", "Rev. Dubai, 2018")
    .replace("Busan, 2014)\nThe", "Busan, 2014; Dubai, 2018)\nThe")
    .replace("Union (Busan, 2014)", "Union (Dubai, 2018)")
)

CITING = """RESOLUTION 905 (New Delhi, 2024)
Cooperation with regional organizations, following up Resolution 58 (Rev. Busan, 2014)
(New Delhi, 2024)
The World Telecommunication Standardization Assembly (New Delhi, 2024),
considering
a)\tthat regional organizations[footnoteRef:1]1 take part in the work of ITU-T, as the Tunis Agenda asks;
b)\tthat their views matter,
resolves
1\tto invite the regional organizations to contribute, as in considering a) above.
[1: 1 \tAs defined in resolves 2 of Resolution 58 (Rev. Busan, 2014) of the Plenipotentiary Conference.]
"""


@pytest.fixture
def texts():
    bodies()
    res58 = import_text(RES58_BUSAN, body_code="PP").edition
    citing = import_text(CITING, body_code="WTSA").edition
    return res58, citing


def test_a_footnote_and_the_title_are_read_for_citations(texts, client):
    res58, citing = texts
    rows = {
        (c.source, c.kind, c.body, c.number, c.pinpoint, c.cited_edition_id)
        for c in Citation.objects.filter(edition=citing)
    }
    assert ("footnote 1", "resolution", "PP", "58", "resolves 2", res58.pk) in rows
    assert ("title", "resolution", "PP", "58", "", res58.pk) in rows
    assert ("", "wsis", "", "Tunis Agenda", "", None) in rows
    # The footnote's citation belongs to the clause that calls the footnote.
    note = Citation.objects.get(edition=citing, source="footnote 1")
    assert note.clause.anchor == "considering-a"
    reference = Citation.objects.get(edition=citing, kind="internal")
    assert (reference.clause.anchor, reference.cited_clause.anchor) == ("resolves-1", "considering-a")
    # The edition page lists them, saying where they are; the reference inside the text is a link to its clause.
    html = client.get(citing.get_absolute_url()).content.decode()
    assert "(footnote 1): " in html and "Title: " in html
    assert '<a class="citation" href="#considering-a" title="considering a)">considering a)</a>' in html
    assert (
        "Tunis Agenda for the Information Society" in html
    )  # the WSIS document in the list of what it cites


def test_a_newer_edition_makes_the_footnote_citation_stale_and_the_update_leaves_it_to_the_drafter(texts):
    res58, citing = texts
    import_text(RES58_DUBAI, body_code="PP")
    [group_] = stale_citations(res58.resolution)
    [citing_resolution] = group_.citing
    # The title's citation is listed too, first (it was left out of the report before).
    assert [(cc.where, [c.source for c in cc.citations]) for cc in citing_resolution.clauses] == [
        ("title", ["title"]),
        ("considering a", ["footnote 1"]),
    ]
    atu = group("ATU", "ATU")
    conference = Conference.objects.create(
        body=citing.resolution.body, code="WTSA-28", place="Geneva", year=2028
    )
    contribution = Contribution.objects.create(
        conference=conference, group=atu, document_number="9", title="Updates"
    )
    [plan] = plan_update(contribution, cited=res58.resolution)
    assert plan.changes == []
    assert [reason for _, _, reason in plan.skipped] == [
        "it is in the edition's title: edit it by hand",
        "it is in the clause's footnote 1: edit the footnote by hand",
    ]
