"""End to end through the JSON API alone: three groups propose, the secretariat consolidates, settles, adopts.

APT enters a whole proposal on Res. 75 (Rev. Hammamet, 2016) for WTSA-28; CEPT
enters half of it word for word; RCC words the same changes differently. The
secretariat finds the edition's id, opens the consolidation, reads the merge
flags, settles every clause, previews and confirms the adoption; then every
outcome and every change's fate is read back through the API.
"""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from drafting.demo.load import DEMO_PASSWORD
from drafting.models import Conference, Resolution
from tests.test_word_api import atu_draft  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

R71 = "Resolution 71 (Rev. Bucharest, 2022) of the Plenipotentiary Conference, on the strategic plan for the Union for {}"
WSIS20 = "that the WSIS+20 review by the United Nations General Assembly in {} will shape the future of the WSIS process"


ADDENDA = {"APT": 7, "CEPT": 8, "RCC": 9}


class Api:
    """One person's calls to the API, with HTTP Basic as a script would."""

    def __init__(self, username: str):
        token = base64.b64encode(f"{username}:{DEMO_PASSWORD}".encode()).decode()
        self.client = Client(HTTP_AUTHORIZATION=f"Basic {token}")

    def call(self, method: str, url: str, body: dict | None = None, expect: int = 200):
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        response = getattr(self.client, method)(f"/api{url}", **kwargs)
        assert response.status_code == expect, (method, url, response.status_code, response.content[:500])
        return (
            response.json()
            if response.content and response["Content-Type"].startswith("application/json")
            else response
        )

    def get(self, url: str, **kw):
        return self.call("get", url, **kw)

    def post(self, url: str, body: dict | None = None, **kw):
        return self.call("post", url, body if body is not None else {}, **kw)

    def put(self, url: str, body: dict, **kw):
        return self.call("put", url, body, **kw)


def clause(proposal: dict, *path: str) -> dict:
    """A clause of a proposal's text by its part heading and base labels: ("resolves", "4")."""
    heading, *labels = path
    clauses = proposal["clauses"]
    at = next(i for i, c in enumerate(clauses) if c["kind"] == "part" and c["heading"] == heading)
    depth = 0
    for label in labels:
        depth += 1
        at = next(
            i
            for i in range(at + 1, len(clauses))
            if clauses[i]["depth"] == depth and clauses[i]["base_label"] == label
        )
    return clauses[at]


def draft_proposal(group: str, changes: list[str], *, r71_years: str, wsis_year: str) -> int:
    """A delegate of ``group`` enters the proposal through the API; its coordinator submits it."""
    delegate = Api(f"{group.lower()}-delegate")
    contribution = delegate.post(
        "/contributions",
        {
            "conference": "WTSA-28",
            "group": group,
            "document_number": "50",
            "addendum": ADDENDA[group],
            "title": "Proposals on WSIS",
        },
        expect=201,
    )
    summary = delegate.post(
        f"/contributions/{contribution['id']}/proposals",
        {"action": "MOD", "body": "WTSA", "number": "75", "edition": "hammamet-2016", "reasons": "WSIS+20."},
        expect=201,
    )
    pk = summary["id"]
    proposal = delegate.get(f"/proposals/{pk}")
    if "replace" in changes:
        delegate.post(f"/proposals/{pk}/replace", {"find": "WG\u2011WSIS", "replace": "CWG\u2011WSIS&SDG"})
        proposal = delegate.get(f"/proposals/{pk}")
    if "r71" in changes:
        c = clause(proposal, "considering", "e)", "i)")
        proposal = delegate.put(
            f"/proposals/{pk}/clauses/{c['key']}", {"text": R71.format(r71_years), "version": c["version"]}
        )
    if "continue" in changes:
        c = clause(proposal, "resolves", "4")
        text = c["text"].replace("should consider", "should continue to consider")
        proposal = delegate.put(
            f"/proposals/{pk}/clauses/{c['key']}", {"text": text, "version": c["version"]}
        )
    if "add" in changes:
        c = clause(proposal, "recognizing", "b)")
        proposal = delegate.post(
            f"/proposals/{pk}/clauses/{c['key']}/additions",
            {"position": "after", "text": WSIS20.format(wsis_year) + ","},
            expect=201,
        )
    if "suppress" in changes:
        c = clause(proposal, "recognizing further", "b)")
        proposal = delegate.post(f"/proposals/{pk}/clauses/{c['key']}/suppression")
    assert proposal["problems"] == []
    Api(f"{group.lower()}-coordinator").post(f"/contributions/{contribution['id']}/submit")
    return pk


@pytest.fixture
def wtsa28(demo_db):
    body = Resolution.objects.get(body__code="WTSA", number="75").body
    return Conference.objects.create(body=body, code="WTSA-28", place="Geneva", year=2028)


def test_three_groups_to_adoption_through_the_api_alone(wtsa28):
    whole = ["replace", "r71", "continue", "add", "suppress"]
    apt = draft_proposal("APT", whole, r71_years="2024-2027", wsis_year="2025")
    cept = draft_proposal("CEPT", ["replace", "r71", "add"], r71_years="2024-2027", wsis_year="2025")
    rcc = draft_proposal("RCC", ["r71", "continue", "add"], r71_years="2024-2028", wsis_year="December 2025")

    officer = Api("secretariat")
    listed = [c for c in officer.get("/consolidations") if c["conference"] == "WTSA-28"]
    assert listed == [
        {
            "id": None,
            "conference": "WTSA-28",
            "body": "WTSA",
            "number": "75",
            "resolution": "WTSA Resolution 75",
            "status": "not started",
            "base_edition": None,
            "adopted_edition": None,
            "url": None,
        }
    ]
    # The edition's id, found the way a script would; the slug works as well as the id.
    editions = officer.get("/editions?body=WTSA&number=75")
    hammamet = next(e for e in editions if e["slug"] == "hammamet-2016")
    assert officer.get(f"/editions/{hammamet['reference']}")["id"] == hammamet["id"]
    opened = officer.post(
        "/consolidations",
        {"conference": "WTSA-28", "body": "WTSA", "number": "75", "edition": hammamet["id"]},
        expect=201,
    )
    again = officer.post(
        "/consolidations",
        {"conference": "wtsa-28", "body": "WTSA", "number": "75", "edition": "hammamet-2016"},
    )
    assert again["id"] == opened["id"] and opened["base_edition_ref"]["id"] == hammamet["id"]
    Api("apt-delegate").post(
        "/consolidations", {"conference": "WTSA-28", "body": "WTSA", "number": "75"}, expect=200
    )  # already open: anyone may read it
    pk = opened["id"]
    assert opened["carried"] == [] and {g["group"] for g in opened["groups"]} == {"APT", "CEPT", "RCC"}
    rows = opened["rows"]

    # The same item added by APT and CEPT, in other words by RCC: one row, the alternatives in conflict.
    added = [r for r in rows if r["added_by"]]
    assert len(added) == 1
    row = added[0]
    assert (
        row["added_by"] == ["APT", "CEPT", "RCC"]
        and row["added_at_same_place"]
        and row["status"] == "conflict"
    )
    assert sorted(sorted(a["groups"]) for a in row["conflicts"][0]["alternatives"]) == [
        ["APT", "CEPT"],
        ["RCC"],
    ]
    assert row["agreeing"] == ["APT", "CEPT"] and len(row["aliases"]) == 3
    # Considering e) i): APT and CEPT the same words, RCC different years.
    r71 = next(
        r
        for r in rows
        if r["base_text"]
        and r["base_text"].startswith("Resolution\u00a071")
        or (r["base_text"] or "").startswith("Resolution 71")
    )
    # All three update the citation alike (agreeing), RCC's years differ (the conflict).
    assert r71["status"] == "conflict" and r71["agreeing"] == ["APT", "CEPT", "RCC"]
    assert [sorted(a["groups"]) for a in r71["conflicts"][0]["alternatives"]] == [["APT", "CEPT"], ["RCC"]]
    # Only APT suppresses recognizing further b).
    suppressed = next(r for r in rows if any(g["suppressed"] for g in r["groups"]))
    assert suppressed["status"] == "one group" and [g["group"] for g in suppressed["groups"]] == ["APT"]
    assert all(r["rebased"] == [] and r["rebase_conflicts"] == [] for r in rows)

    # Settle every clause: the added item as CEPT wrote it (any group's key of it will do), the
    # suppression refused with a note, R71 as APT wrote it, the rest merged.
    version = {r["key"]: r["decision_version"] for r in rows}
    officer.post(
        f"/consolidations/{pk}/settle", {"key": row["aliases"][-1], "choice": "group", "group": "CEPT"}
    )
    officer.post(
        f"/consolidations/{pk}/settle",
        {"key": suppressed["key"], "choice": "base", "note": "Kept: the MDG record still matters."},
    )
    officer.post(f"/consolidations/{pk}/settle", {"key": r71["key"], "choice": "group", "group": "APT"})
    state = officer.get(f"/consolidations/{pk}")
    for r in state["rows"]:
        if r["status"] != "unchanged" and r["decision"] is None:
            assert r["merged"] is not None, r
            officer.post(
                f"/consolidations/{pk}/settle",
                {"key": r["key"], "choice": "merged", "version": version[r["key"]]},
            )
    state = officer.get(f"/consolidations/{pk}")
    assert state["open"] == 0 and state["settled"] == state["total"]
    assert state["outcomes"] == {
        "APT": "partly adopted",
        "CEPT": "adopted",
        "RCC": "adopted with modifications",
    }

    # Nobody but the secretariat adopts; the preview is the confirmation step.
    Api("apt-delegate").post(f"/consolidations/{pk}/adopt", {}, expect=403)
    preview = officer.get(f"/consolidations/{pk}/adoption")
    assert (
        preview["open"] == 0
        and preview["revision"] == "Rev. Geneva, 2028"
        and not preview["already_adopted_under_that_name"]
    )
    assert preview["outcomes"] == state["outcomes"]
    officer.post(f"/consolidations/{pk}/adopt", {"version": preview["version"] - 1}, expect=409)
    edition = officer.post(f"/consolidations/{pk}/adopt", {"version": preview["version"]})
    assert edition["revision"] == "Rev. Geneva, 2028" and edition["id"]
    officer.post(f"/consolidations/{pk}/adopt", {}, expect=409)

    # Every outcome, through the API.
    final = officer.get(f"/consolidations/{pk}")
    assert final["status"] == "adopted" and final["adopted_edition"]["id"] == edition["id"]
    assert final["outcomes"] == {
        "APT": "partly adopted",
        "CEPT": "adopted",
        "RCC": "adopted with modifications",
    }
    apt_out = Api("apt-delegate").get(f"/proposals/{apt}/outcome")
    # Its suppression was not taken, everything else was: partly adopted, and the words say how much.
    assert apt_out["outcome"] == "partly adopted" and apt_out["consolidation_status"] == "adopted"
    assert apt_out["changes_taken"] == apt_out["changes_proposed"] - 1
    assert apt_out["outcome_text"] == (
        f"partly adopted: {apt_out['changes_taken']} of {apt_out['changes_proposed']} changes taken"
    )
    assert final["outcome_texts"]["APT"] == apt_out["outcome_text"]
    apt_fates = {f["change"]: f for f in apt_out["fates"] if f["change"] != "modified"}
    assert apt_fates["suppressed"]["fate"] == "not taken"
    assert apt_fates["suppressed"]["note"] == "Kept: the MDG record still matters."
    assert apt_fates["added"]["fate"] == "taken" and apt_fates["added"]["result"].startswith(
        WSIS20.format("2025")
    )
    assert all(f["fate"] == "taken" for f in apt_out["fates"] if f["change"] == "modified")
    cept_out = Api("cept-delegate").get(f"/proposals/{cept}/outcome")
    assert cept_out["outcome"] == "adopted" and {f["fate"] for f in cept_out["fates"]} == {"taken"}
    rcc_out = Api("rcc-delegate").get(f"/proposals/{rcc}/outcome")
    rcc_fates = {f["key"]: f["fate"] for f in rcc_out["fates"]}
    # Its years and its wording of the new item lost to the others' words over the same words;
    # everything else it proposed (continue to consider; the semicolon its item brings) is taken.
    assert rcc_fates.pop(r71["key"]) == "taken as modified"
    assert rcc_fates.pop(row["key"]) == "taken as modified"
    assert set(rcc_fates.values()) == {"taken"} and rcc_out["outcome"] == "adopted with modifications"
    groups = {g["group"]: g for g in final["groups"]}
    assert groups["RCC"]["outcome"] == "adopted with modifications"
    assert [f["key"] for f in groups["RCC"]["fates"]] == [f["key"] for f in rcc_out["fates"]]

    # The consolidated draft is the adopted text, with no open brackets left.
    draft = officer.get(f"/consolidations/{pk}/draft")
    assert draft["adopted"] and draft["open"] == 0 and not any(c["open"] for c in draft["clauses"])
    assert not any("[" in c["text"] or "[" in c["heading"] for c in draft["clauses"])
    adopted = officer.get("/resolutions/WTSA/75/editions/geneva-2028")
    assert adopted["id"] == edition["id"]
    texts = [c.get("text") or "" for c in _walk(adopted["clauses"])]
    assert any(t.startswith(WSIS20.format("2025")) for t in texts)
    # The export of the new edition, named as a person would name it.
    export = officer.call("get", "/export/edition/WTSA/75/geneva-2028?format=txt")
    assert export.status_code == 200 and b"Geneva, 2028" in export.content

    # Proposals on the adopted resolution at WTSA-28 are closed, with the reason.
    late = Api("asmg-delegate")
    contribution = late.post(
        "/contributions",
        {"conference": "WTSA-28", "group": "ASMG", "document_number": "51", "title": "Late"},
        expect=201,
    )
    late.post(
        f"/contributions/{contribution['id']}/proposals",
        {"action": "MOD", "body": "WTSA", "number": "75", "edition": "hammamet-2016"},
        expect=201,
    )
    refused = Api("asmg-coordinator").post(f"/contributions/{contribution['id']}/submit", expect=409)
    assert "has been adopted at WTSA-28" in refused["detail"]


def _walk(clauses):
    for c in clauses:
        yield c
        yield from _walk(c["children"])


def test_an_edition_named_by_a_slug_two_resolutions_share_is_refused_with_the_way_out(wtsa28):
    officer = Api("secretariat")
    from drafting.models import Edition

    council = Edition.objects.get(resolution__body__code="Council")
    Edition.objects.filter(pk=council.pk).update(slug="hammamet-2016")
    ambiguous = officer.post(
        "/exports", {"kind": "edition", "target": "hammamet-2016", "format": "txt"}, expect=400
    )
    assert "BODY/number/hammamet-2016" in ambiguous["detail"]
    queued = officer.post(
        "/exports", {"kind": "edition", "target": "WTSA/75/hammamet-2016", "format": "txt"}, expect=202
    )
    assert queued["kind"] == "edition"
    officer.get("/editions/999999", expect=404)
    officer.post(
        "/consolidations",
        {"conference": "WTSA-28", "body": "WTSA", "number": "75", "edition": "nowhere-1900"},
        expect=404,
    )


def test_every_page_action_of_consolidation_has_an_api_operation():
    from drafting.api import api

    paths = api.get_openapi_schema()["paths"]
    operations = {(method.upper(), path) for path, item in paths.items() for method in item}
    for needed in [
        ("GET", "/api/consolidations"),  # the list page
        ("POST", "/api/consolidations"),  # start a consolidation
        ("GET", "/api/consolidations/{pk}"),  # the synoptic view
        ("POST", "/api/consolidations/{pk}/settle"),  # settle a clause
        ("POST", "/api/consolidations/{pk}/edition"),  # move to a newer edition
        ("GET", "/api/consolidations/{pk}/draft"),  # the consolidated draft
        ("GET", "/api/consolidations/{pk}/adoption"),  # the confirmation step
        ("POST", "/api/consolidations/{pk}/adopt"),  # adopt
        ("GET", "/api/consolidations/{pk}/outcomes"),  # outcomes
        ("GET", "/api/proposals/{pk}/outcome"),  # a proposal's outcome
        ("GET", "/api/proposals/{pk}/rebase"),  # the newer edition's box on the proposal page
        ("POST", "/api/proposals/{pk}/rebase"),  # its button
        ("GET", "/api/editions"),
    ]:
        assert needed in operations, needed


def test_the_word_import_takes_the_edition_by_id_reference_or_slug(atu_draft):  # noqa: F811 (the fixture)
    from tests.test_word_api import basic, saved, upload

    target, original, data = atu_draft
    for reference in (original.base_edition_id, "WTSA/75/hammamet-2016", "hammamet-2016"):
        response = upload(target, "atu-delegate", "atu.docx", data, reference)
        assert response.status_code == 201, (reference, response.content[:300])
        assert response.json()["base_edition"] == str(original.base_edition)
        dropped = Client().delete(
            f"/api/contributions/{target.pk}/imports/{response.json()['upload']}", **basic("atu-delegate")
        )
        assert dropped.status_code == 204
    before = saved()
    unknown = upload(target, "atu-delegate", "atu.docx", data, "nowhere-1900")
    assert unknown.status_code == 404 and "GET /api/editions" in unknown.json()["detail"]
    assert saved() == before
