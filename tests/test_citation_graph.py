"""What cites what: stored citations, edition pages that list and link them, and constant query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from drafting.demo.citation_reading import load as load_reading
from drafting.demo.corpus import generate_corpus
from drafting.models import Citation, Conference, Contribution
from drafting.models.people import DELEGATES
from drafting.services.amendments import modify_clause
from drafting.services.citations.graph import edition_citations
from drafting.services.citations.indexing import rebuild_graph
from drafting.services.citations.stale import stale_citations
from drafting.services.contributions import add_proposal
from drafting.services.library import import_text
from tests.citation_factories import RES30_WTDC, bodies, library, seed
from tests.drafting_factories import group, person

pytestmark = pytest.mark.django_db


def test_every_clause_of_an_import_is_indexed_with_what_it_resolves_to():
    res140, res75, res1332, res30 = library()
    rows = Citation.objects.filter(edition=res75, clause__anchor="considering-e-viii")
    [row] = rows
    assert (row.kind, row.body, row.number, row.place, row.year) == ("resolution", "PP", "140", "Busan", 2014)
    assert row.cited_resolution == res140.resolution and row.cited_edition is None  # Busan 2014 is not held
    exact = Citation.objects.get(edition=res30, clause__anchor="taking-into-account-a") if False else None
    assert exact is None
    to_75 = Citation.objects.get(edition=res30, body="WTSA")
    assert to_75.cited_edition == res75  # "Resolution 75 (Rev. Hammamet, 2016)" is in the library
    # A/70/125 by symbol and by its title ("the Outcome Document of the UNGA on the overall review ..."), A/70/1 twice.
    assert Citation.objects.filter(edition=res1332, body="UNGA").count() == 4
    # Every citation of the hand-checked reading of the seed, and nothing else.
    reading = [e for e in load_reading() if e.file == "wtsa-res75-rev-hammamet-2016.txt"]
    assert Citation.objects.filter(edition=res75).count() == len(reading) == 38
    # References inside the text point at the clause of the same edition they name.
    references = Citation.objects.filter(edition=res75, kind="internal").select_related(
        "clause", "cited_clause"
    )
    assert [
        (r.clause.anchor, r.text, r.cited_clause.anchor if r.cited_clause else "") for r in references
    ] == [
        ("resolves-3", "resolves\u00a01", "resolves-1"),
        ("resolves-3", "2", "resolves-2"),
        ("instructs-the-director-of-the-telecommunication-standardizat-5", "this resolution", ""),
    ]


def test_a_citation_finds_its_edition_when_that_arrives_later():
    bodies()
    res30 = import_text(RES30_WTDC, body_code="WTDC").edition
    to_75 = Citation.objects.get(edition=res30, body="WTSA")
    assert to_75.cited_resolution is None
    res75 = import_text(seed("wtsa-res75-rev-hammamet-2016.txt"), body_code="WTSA", number="75").edition
    to_75.refresh_from_db()
    assert to_75.cited_resolution == res75.resolution and to_75.cited_edition == res75


def test_the_graph_built_from_scratch_is_the_graph_kept_current():
    library()
    kept = sorted(
        Citation.objects.values_list("clause_id", "order", "body", "number", "year", "cited_edition_id")
    )
    assert rebuild_graph() == len(kept)
    assert (
        sorted(
            Citation.objects.values_list("clause_id", "order", "body", "number", "year", "cited_edition_id")
        )
        == kept
    )


def test_the_edition_page_lists_what_it_cites_and_what_cites_it(client):
    res140, res75, res1332, res30 = library()
    html = client.get(res140.get_absolute_url()).content.decode()
    cited_by = html[html.index("<h2>Cited by</h2>") :]
    assert (
        '<a href="/resolutions/wtsa/75/hammamet-2016/">WTSA Resolution 75 (Rev.\u00a0Hammamet, 2016)</a>'
        in cited_by
    )
    assert (
        'href="/resolutions/wtsa/75/hammamet-2016/#considering-e-viii">considering e viii</a>: cites Rev. Busan, 2014'
        in cited_by
    )
    assert "(an older edition)" in cited_by
    assert (
        'href="/resolutions/council/1332/edition-1/#recalling-a">recalling a</a>: cites Rev. Dubai, 2018'
        in cited_by
    )

    html = client.get(res30.get_absolute_url()).content.decode()
    cites = html[html.index("<h2>Cites</h2>") : html.index("<h2>Cited by</h2>")]
    assert (
        '<a class="cite-clause" href="#recalling-c">recalling c</a>: <a href="/resolutions/wtsa/75/hammamet-2016/">WTSA Resolution 75 (Rev. Hammamet, 2016)</a>'
        in cites
    )
    assert '<a href="/resolutions/pp/140/dubai-2018/">PP Resolution 140 (Rev. Dubai, 2018)</a>' in cites
    assert 'PP Resolution 178 (Rev. Dubai, 2018) <span class="cite-muted">not in the library</span>' in cites


def test_a_citation_in_the_text_links_to_the_edition_and_says_when_it_is_not_the_current_one(client):
    res140, res75, res1332, res30 = library()
    html = client.get(res75.get_absolute_url()).content.decode()
    assert (
        '<a class="citation outdated" href="/resolutions/pp/140/dubai-2018/" title="PP Resolution 140">'
        "Resolution\u00a0140 (Rev.\u00a0Busan, 2014)</a>"
        '<span class="cite-note">(not the current edition: Rev. Dubai, 2018)</span>'
    ) in html
    html = client.get(res30.get_absolute_url()).content.decode()
    assert (
        '<a class="citation" href="/resolutions/wtsa/75/hammamet-2016/" title="WTSA Resolution 75">'
        "Resolution 75 (Rev. Hammamet, 2016)</a> of the World"
    ) in html
    assert (
        '<span class="citation" title="PP Resolution 178 (not in the library)">178 (Rev. Dubai, 2018)</span>'
        in html
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_cited_by_part_costs_the_same_queries_whatever_the_size_of_the_library(client):
    res140, res75, res1332, res30 = library()
    pages = [res140.get_absolute_url(), res75.get_absolute_url(), res30.get_absolute_url()]
    small = [_queries(client, url) for url in pages]
    for r in generate_corpus(resolutions=40, citations=600, seed=3):
        import_text(r.text(), body_code=r.body, number=r.number)
    for n in range(900, 930):
        import_text(
            f"RESOLUTION {n} (Rev. Kigali, 2022)\nOn WSIS\n(Kigali, 2022)\n"
            "The World Telecommunication Development Conference (Kigali, 2022),\nrecalling\n"
            "a)\tResolution 140 (Rev. Dubai, 2018) of the Plenipotentiary Conference;\n"
            "b)\tResolution 75 (Rev. Hammamet, 2016) of the World Telecommunication Standardization Assembly,\n"
            "resolves\n1\tto act within Resolution 30 (Rev. Buenos Aires, 2017) of this Conference.\n",
            body_code="WTDC",
        )
    assert len(edition_citations(res140).cited_by) > 30  # the page really grew
    assert [_queries(client, url) for url in pages] == small


def test_saving_an_amendment_stores_its_citations_and_reverting_removes_them():
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
    clause = res75.clauses.get(anchor="considering-e-viii")
    key = str(clause.provision.key)
    new = clause.text.replace("(Rev.\u00a0Busan, 2014)", "(Rev. Bucharest, 2022)")
    amendment = modify_clause(delegate, proposal, key, new, 0)
    [row] = Citation.objects.filter(amendment=amendment)
    assert (row.place, row.year, row.cited_resolution) == ("Bucharest", 2022, res140.resolution)
    amendment = modify_clause(
        delegate, proposal, key, new + " And Resolution 1332 of the Council.", amendment.version
    )
    assert Citation.objects.filter(amendment=amendment).count() == 2
    modify_clause(delegate, proposal, key, clause.text, amendment.version)
    assert not Citation.objects.filter(amendment__isnull=False).exists()
    # The library's own citations are untouched by drafting.
    assert stale_citations(res140.resolution)[0].citation_count == 3  # Res. 75's three of Busan, 2014


def test_the_editors_live_check_reads_the_text_being_typed():
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
    client = Client()
    client.force_login(delegate)
    text = "in accordance with Resolution 140 (Rev. Busan, 2014), Resolution 71 (Rev. Buchrest, 2022) and Resolution 44 of this Assembly"
    html = client.post(f"/proposals/{proposal.pk}/citations/", {"text": text}).content.decode()
    assert (
        '<a href="/resolutions/pp/140/dubai-2018/" target="_blank" rel="noopener">PP Resolution 140 (Rev. Busan, 2014)</a> <span class="cite-note">(not the current edition: Rev. Dubai, 2018)</span>'
        in html
    )
    assert (
        'PP Resolution 71 (Rev. Buchrest, 2022) <span class="cite-note">(did you mean Bucharest?)</span>'
        in html
    )
    assert 'WTSA Resolution 44 (New Delhi, 2024) <span class="cite-note">(not in the library)</span>' in html
    stranger = person("citel", DELEGATES, group("CITEL", "IAP"))
    client.force_login(stranger)
    assert client.post(f"/proposals/{proposal.pk}/citations/", {"text": text}).status_code == 404


def test_the_side_panel_of_the_editor_flags_outdated_and_impossible_citations():
    from drafting.services.amendments import citation_warnings, draft_of

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
    clause = res75.clauses.get(anchor="considering-further-b")
    modify_clause(delegate, proposal, str(clause.provision.key), clause.text.replace("Busan", "Buchrest"), 0)
    warnings = citation_warnings(draft_of(proposal), proposal)
    outdated = [w for w in warnings if w.outdated]
    assert {w.citation for w in outdated} == {
        "Resolution\u00a0140 (Rev.\u00a0Busan, 2014)",
        "Resolution\u00a0140 (Rev.\u00a0Busan,\u00a02014)",
        "Resolution\u00a030 (Rev.\u00a0Dubai,2014)",  # WTDC Res. 30 is Rev. Buenos Aires, 2017 in the library
    }
    assert outdated[0].suggestion == "the current edition of PP Resolution 140 is Rev. Dubai, 2018"
    wrong = [w for w in warnings if not w.outdated and w.key == str(clause.provision.key)]
    assert [(w.citation, w.suggestion) for w in wrong] == [
        ("(Rev.\u00a0Buchrest, 2014)", "did you mean Bucharest?")
    ]


def test_the_api_gives_an_editions_citations_and_the_wrong_ones(client):
    res140, res75, res1332, res30 = library()
    data = client.get("/api/resolutions/wtdc/30/editions/buenos-aires-2017/citations").json()
    to_75 = next(c for c in data["cites"] if c["body"] == "WTSA")
    assert to_75 == {
        "text": "Resolution 75 (Rev. Hammamet, 2016)",
        "kind": "resolution",
        "body": "WTSA",
        "number": "75",
        "edition": "Rev. Hammamet, 2016",
        "problem": "",
        "message": "",
        "outdated": False,
        "clause": "recalling-c",
        "clause_url": "/resolutions/wtdc/30/buenos-aires-2017/#recalling-c",
        "cited_url": "/resolutions/wtsa/75/hammamet-2016/",
        "pinpoint": "",
        "source": "",
        "target": "",
    }
    data = client.get("/api/resolutions/pp/140/editions/dubai-2018/citations").json()
    assert {c["clause_url"].split("#")[0] for c in data["cited_by"]} == {
        "/resolutions/wtsa/75/hammamet-2016/",
        "/resolutions/wtdc/30/buenos-aires-2017/",
        "/resolutions/council/1332/edition-1/",
    }
    assert client.get("/api/resolutions/pp/140/editions/geneva-1999/citations").status_code == 404
    import_text(
        "RESOLUTION 64 (Rev. Kigali, 2022)\nA title\n(Kigali, 2022)\n"
        "The World Telecommunication Development Conference (Kigali, 2022),\n"
        "recalling\na)\tResolution 140 (Rev. Buchrest, 2022) of the Plenipotentiary Conference,\n"
        "resolves\n1\tto act.\n",
        body_code="WTDC",
    )
    [wrong] = client.get("/api/citations/wrong").json()
    assert wrong["resolution"] == "WTDC Resolution 64"
    assert [(c["text"], c["message"]) for c in wrong["citations"]] == [
        ("Resolution 140 (Rev. Buchrest, 2022)", "did you mean Bucharest?")
    ]
