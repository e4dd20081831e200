"""Stale citations end to end: a new edition of PP Res. 140 is adopted, the texts citing an older one are
listed, and one action drafts the update proposals, changing only the citations."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from drafting.engine.diff import diff_words
from drafting.models import Amendment, Citation, Conference, Contribution, Proposal
from drafting.models.people import DELEGATES, OBSERVERS, SECRETARIAT
from drafting.services.amendments import draft_of
from drafting.services.citations import CitationProblem
from drafting.services.citations.stale import stale_citations, wrong_citations
from drafting.services.citations.updates import draft_update, plan_update
from drafting.services.consolidation import adopt, open_consolidation
from drafting.services.library import import_text
from tests.citation_factories import library, pp22
from tests.drafting_factories import group, person

pytestmark = pytest.mark.django_db

CHANGED = {"Dubai", "2018", "Busan", "2014", "Bucharest", "2022"}


@pytest.fixture
def world():
    res140, res75, res1332, res30 = library()
    secretariat = person("sec", SECRETARIAT)
    consolidation = open_consolidation(secretariat, pp22(), res140.resolution)
    new = adopt(secretariat, consolidation, leave_open_as_base=True)
    atu = group("ATU", "ATU")
    delegate = person("atu-delegate", DELEGATES, atu)
    conference = Conference.objects.create(
        body=res75.resolution.body, code="WTSA-24", place="New Delhi", year=2024
    )
    contribution = Contribution.objects.create(
        conference=conference, group=atu, document_number="35", addendum=18, title="Citation updates"
    )
    return {
        "res140": res140.resolution,
        "new": new,
        "res75": res75,
        "res1332": res1332,
        "res30": res30,
        "delegate": delegate,
        "contribution": contribution,
    }


class _Marked(HTMLParser):
    """The texts of a page's marked paragraphs, deletions as [-...-] and insertions as {+...+}."""

    def __init__(self):
        super().__init__()
        self.paragraphs: list[str] = []
        self.depth = 0  # inside <p class="marked">
        self.hidden = 0  # inside a screen-reader label or a citation note

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "p" and "marked" in classes:
            self.depth = 1
            self.paragraphs.append("")
        elif self.depth:
            self.depth += tag == "span" or tag in ("del", "ins", "a")
            if self.hidden or (tag == "span" and {"sr-only", "cite-note"} & set(classes)):
                self.hidden += 1
            elif tag in ("del", "ins"):
                self.paragraphs[-1] += "[-" if tag == "del" else "{+"

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "p":
            self.depth = 0
            return
        self.depth -= 1
        if self.hidden:
            self.hidden -= 1
        elif tag in ("del", "ins"):
            self.paragraphs[-1] += "-]" if tag == "del" else "+}"

    def handle_data(self, data):
        if self.depth and not self.hidden:
            self.paragraphs[-1] += data


def marked(html: str) -> list[str]:
    """Each marked paragraph of a page as a reader sees it, whatever links are drawn over the citations."""
    reader = _Marked()
    reader.feed(html)
    return reader.paragraphs


def anchors(citing) -> list[str]:
    return [cc.clause.anchor for cc in citing.clauses]


def test_the_adopted_edition_is_indexed_and_the_report_lists_every_text_citing_an_older_one(world):
    assert world["new"].revision == "Rev. Bucharest, 2022"
    assert Citation.objects.filter(edition=world["new"]).count() == 1  # its UNGA citation, like the old one
    [group] = stale_citations(world["res140"])
    assert group.current == world["new"]
    assert [str(r.resolution) for r in group.citing] == [
        "WTSA Resolution 75",
        "WTDC Resolution 30",
        "Council Resolution 1332",
    ]
    res75, res30, res1332 = group.citing
    assert anchors(res75)[:2] == ["considering-e-viii", "considering-further-b"]
    assert anchors(res75)[2].startswith("instructs-the-director") and anchors(res75)[2].endswith("-2")
    assert [c.text for cc in res75.clauses for c in cc.citations] == [
        "Resolution\u00a0140 (Rev.\u00a0Busan, 2014)",
        "Resolution\u00a0140 (Rev.\u00a0Busan, 2014)",
        "Resolution\u00a0140 (Rev.\u00a0Busan,\u00a02014)",
    ]
    assert anchors(res1332) == ["recalling-a", "considering-d", "considering-e"]
    assert anchors(res30) == ["recalling-a", "recalling-b", "resolves-1"]
    assert group.citation_count == 9


def test_the_report_page_and_the_api_show_the_same_groups(world, client):
    html = client.get("/citations/stale/").content.decode()
    assert "PP Resolution 140</a>: now Rev. Bucharest, 2022" in html
    assert 'href="/resolutions/council/1332/edition-1/#considering-d"' in html
    assert "<q>Resolution\u00a0140 (Rev.\u00a0Dubai, 2018)</q>" in html
    assert "<q>140</q> (of a list citing Rev. Dubai, 2018)" in html
    data = client.get(f"/api/citations/stale?resolution={world['res140'].pk}").json()
    assert [g["cited"] for g in data] == ["PP Resolution 140"]
    assert [r["resolution"] for r in data[0]["citing"]] == [
        "WTSA Resolution 75",
        "WTDC Resolution 30",
        "Council Resolution 1332",
    ]
    assert (
        data[0]["citing"][2]["citations"][0]["clause_url"]
        == "/resolutions/council/1332/edition-1/#recalling-a"
    )


def test_the_preview_shows_each_proposal_with_its_marks_and_saves_nothing(world):
    client = Client()
    client.force_login(world["delegate"])
    url = f"/citations/update/?cited={world['res140'].pk}&contribution={world['contribution'].pk}"
    html = client.get(url).content.decode()
    assert "New MOD · WTSA Resolution 75 (Rev.\u00a0Hammamet, 2016)" in html
    assert "<del>" in html
    assert "<ins>" in html
    paragraphs = marked(html)
    assert any("(Rev.\u00a0[-Busan, 2014-]{+Bucharest, 2022+})" in p for p in paragraphs)
    assert "Draft 9 amendments" in html and len(paragraphs) == 9
    # The list sharing Dubai 2018 with Resolutions 101 and 178 (not in the library) is split.
    assert (
        "Resolutions 101[-, 140-] and 178 (Rev. Dubai, 2018) {+and Resolution 140 (Rev. Bucharest, 2022) +}"
        "of the Plenipotentiary Conference;"
    ) in paragraphs
    assert "is left as it is" not in html
    assert not Proposal.objects.exists()


def test_drafting_the_update_makes_one_mod_per_resolution_changing_only_the_citations(world, client):
    client.force_login(world["delegate"])
    response = client.post(
        "/citations/update/draft/",
        {"cited": world["res140"].pk, "contribution": world["contribution"].pk},
    )
    assert response.status_code == 302 and response["Location"] == world["contribution"].get_absolute_url()
    proposals = list(world["contribution"].proposals.order_by("number"))
    assert [(p.label, str(p.resolution), p.base_edition) for p in proposals] == [
        ("MOD ATU/35A18/1", "WTSA Resolution 75", world["res75"]),
        ("MOD ATU/35A18/2", "WTDC Resolution 30", world["res30"]),
        ("MOD ATU/35A18/3", "Council Resolution 1332", world["res1332"]),
    ]
    assert proposals[0].reasons == "To cite the current edition of PP Resolution 140 (Rev. Bucharest, 2022)."
    for proposal in proposals:
        for amendment in proposal.amendments.select_related("base_clause"):
            assert amendment.action == "modify"
            if amendment.base_clause.anchor == "recalling-b" and proposal == proposals[1]:
                continue  # the list of three, split: below
            marks = diff_words(amendment.base_clause.text, amendment.text)
            changed = {word for op, text in marks if op != "equal" for word in re.findall(r"\w+", text)}
            assert changed and changed <= CHANGED, marks
    res75 = proposals[0].amendments.get(base_clause__anchor="considering-e-viii")
    assert "Resolution\u00a0140 (Rev.\u00a0Bucharest, 2022) of the Plenipotentiary Conference" in res75.text
    assert [a.base_clause.anchor for a in proposals[1].amendments.all()] == [
        "recalling-a",
        "recalling-b",
        "resolves-1",
    ]
    assert proposals[1].amendments.get(base_clause__anchor="recalling-b").text == (
        "Resolutions 101 and 178 (Rev. Dubai, 2018) and Resolution 140 (Rev. Bucharest, 2022) "
        "of the Plenipotentiary Conference;"
    )
    # The draft shows the marks as a delegate sees them: Dubai struck through, Bucharest inserted.
    draft = draft_of(proposals[2])
    clause = next(c for c, _ in draft.walk() if c.key == str(proposals[2].amendments.first().target.key))
    marks = clause.text_marks()
    assert ("delete", "Dubai, 2018") in marks and ("insert", "Bucharest, 2022") in marks
    # Its saved amendments carry their own citations, current now.
    assert set(Citation.objects.filter(amendment__proposal=proposals[2]).values_list("place", "year")) == {
        ("Bucharest", 2022)
    }


def test_drafting_again_goes_into_the_same_proposals_and_says_when_nothing_is_left(world):
    draft_update(world["delegate"], world["contribution"], cited=world["res140"])
    with pytest.raises(CitationProblem, match="no citation to update"):
        draft_update(world["delegate"], world["contribution"], cited=world["res140"])
    assert world["contribution"].proposals.count() == 3


def test_a_proposal_that_already_changed_the_clause_is_updated_on_its_own_text(world):
    from drafting.services.amendments import modify_clause
    from drafting.services.contributions import add_proposal

    proposal = add_proposal(
        world["delegate"], world["contribution"], action="MOD", resolution=world["res75"].resolution
    )
    clause = world["res75"].clauses.get(anchor="considering-further-b")
    edited = clause.text.replace("open to all the ITU membership", "open to all ITU members")
    modify_clause(world["delegate"], proposal, str(clause.provision.key), edited, 0)
    plans = plan_update(
        world["contribution"], cited=world["res140"], citing_ids=[world["res75"].resolution_id]
    )
    change = next(c for c in plans[0].changes if c.clause == clause)
    assert change.before == edited and "open to all ITU members" in change.after
    assert "(Rev.\u00a0Bucharest, 2022)" in change.after
    draft_update(
        world["delegate"],
        world["contribution"],
        cited=world["res140"],
        citing_ids=[world["res75"].resolution_id],
    )
    assert proposal.amendments.get(target=clause.provision).text == change.after


def test_only_delegates_of_the_group_draft_and_nothing_is_saved_otherwise(world):
    observer = person("observer", OBSERVERS)
    client = Client()
    client.force_login(observer)
    response = client.post(
        "/citations/update/draft/", {"cited": world["res140"].pk, "contribution": world["contribution"].pk}
    )
    assert response.status_code == 404  # a draft is private to its group
    outsider = person("citel", DELEGATES, group("CITEL", "IAP"))
    world["contribution"].status = "submitted"
    world["contribution"].save()
    client.force_login(outsider)
    response = client.post(
        "/citations/update/draft/", {"cited": world["res140"].pk, "contribution": world["contribution"].pk}
    )
    assert response.status_code == 403
    assert "Only delegates of the group can edit its contribution." in response.content.decode()
    assert not Proposal.objects.exists() and not Amendment.objects.exists()


def test_the_api_previews_and_drafts(world, client):
    client.force_login(world["delegate"])
    body = {"contribution": world["contribution"].pk, "cited": world["res140"].pk}
    preview = client.post("/api/citations/update/preview", body, content_type="application/json").json()
    assert [p["resolution"] for p in preview] == [
        "WTSA Resolution 75",
        "WTDC Resolution 30",
        "Council Resolution 1332",
    ]
    assert preview[2]["changes"][0]["after"].startswith(
        "Resolution\u00a0140 (Rev.\u00a0Bucharest, 2022) on the ITU’s role"
    )
    drafted = client.post("/api/citations/update", body, content_type="application/json")
    assert drafted.status_code == 201
    assert drafted.json()["proposals"] == ["MOD ATU/35A18/1", "MOD ATU/35A18/2", "MOD ATU/35A18/3"]
    again = client.post("/api/citations/update", body, content_type="application/json")
    assert again.status_code == 409


def test_importing_a_newer_edition_makes_the_same_report(db):
    library()
    assert stale_citations() and all(
        str(g.cited) != "PP Resolution 140" or g.current.year == 2018 for g in stale_citations()
    )
    from tests.citation_factories import RES140_DUBAI

    newer = (
        RES140_DUBAI.replace("(Rev. Dubai, 2018)", "(Rev. Bucharest, 2022)")
        .replace("(Dubai, 2018),", "(Bucharest, 2022),")
        .replace("report to the Council every year", "report to the Council every second year")
    )
    import_text(newer, body_code="PP")
    [group] = [g for g in stale_citations() if str(g.cited) == "PP Resolution 140"]
    assert group.current.name == "Rev. Bucharest, 2022" and group.citation_count == 9


def test_misspelt_venues_and_editions_that_never_were_are_listed_and_corrected(world):
    text = (
        "RESOLUTION 64 (Rev. Kigali, 2022)\nA title\n(Kigali, 2022)\n"
        "The World Telecommunication Development Conference (Kigali, 2022),\n"
        "recalling\na)\tResolution 140 (Rev.\u00a0Buchrest, 2022) of the Plenipotentiary Conference;\n"
        "b)\tPP Resolution 71 (Rev. Dubai, 2014),\nresolves\n1\tto act.\n"
    )
    edition = import_text(text, body_code="WTDC").edition
    [citing] = [r for r in wrong_citations() if r.resolution == edition.resolution]
    assert [c.message for cc in citing.clauses for c in cc.citations] == [
        "did you mean Bucharest?",
        "the Plenipotentiary Conference of 2014 met in Busan, not Dubai",
    ]
    [plan] = [p for p in plan_update(world["contribution"]) if p.resolution == edition.resolution]
    assert [c.after for c in plan.changes] == [
        "Resolution 140 (Rev.\u00a0Bucharest, 2022) of the Plenipotentiary Conference;",
        "PP Resolution 71 (Rev. Busan, 2014),",
    ]
    draft_update(world["delegate"], world["contribution"], citing_ids=[edition.resolution_id])
    proposal = world["contribution"].proposals.get(resolution=edition.resolution)
    assert proposal.amendments.count() == 2
    assert proposal.reasons == "To correct citations of meetings that never took place."
