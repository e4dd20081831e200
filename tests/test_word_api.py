"""Word documents through the JSON API, with HTTP Basic auth: exports now or queued, and .docx imports in two steps."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from lxml import etree

from drafting.demo.load import DEMO_PASSWORD
from drafting.engine.docx_text import docx_to_text
from drafting.engine.parse import parse_resolution
from drafting.models import Amendment, Consolidation, Contribution, Edition, Export, Proposal, ProposalUpload
from drafting.reading import edition_tree
from drafting.services.amendments import draft_of
from drafting.services.contributions import create_contribution

pytestmark = [pytest.mark.django_db, pytest.mark.http_surface]  # once: tests/conftest.py, shares

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- helpers ---------------------------------------------------------------------------------------


def basic(username: str, password: str = DEMO_PASSWORD) -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def get(url: str, who: str, **params):
    return Client().get(url, params, **basic(who))


def post_json(url: str, who: str, body: dict):
    return Client().post(url, data=json.dumps(body), content_type="application/json", **basic(who))


def upload(contribution: Contribution, who: str, name: str, data: bytes, edition_id: int):
    return Client().post(
        f"/api/contributions/{contribution.pk}/imports",
        {"file": SimpleUploadedFile(name, data), "base_edition": edition_id},
        **basic(who),
    )


def contribution(code: str) -> Contribution:
    return Contribution.objects.get(group__code=code, document_number__in=["35", "36", "23"])


def consolidation() -> Consolidation:
    return Consolidation.objects.get(resolution__number="75")


def res75() -> Edition:
    return Edition.objects.get(resolution__body__code="WTSA", resolution__number="75")


def saved() -> tuple[int, int, int]:
    return Proposal.objects.count(), Amendment.objects.count(), ProposalUpload.objects.count()


def document_xml(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def outline(proposal: Proposal) -> list[tuple]:
    return [
        ("new" if c.added else c.key, c.label, c.heading, c.text, c.suppressed)
        for c, _ in draft_of(proposal).walk()
    ]


@pytest.fixture
def atu_draft(demo_db):
    """A fresh ATU draft, and ATU's submitted Res. 75 proposal as a Word file from the API."""
    delegate = User.objects.get(username="atu-delegate")
    original = contribution("ATU").proposals.get()
    target = create_contribution(
        delegate,
        conference=original.contribution.conference,
        group=original.contribution.group,
        document_number="90",
        addendum=None,
        title="Imported through the API",
    )
    response = get(f"/api/export/contribution/{original.contribution.pk}", "atu-delegate")
    assert response.status_code == 200
    return target, original, response.content


# --- exports now -----------------------------------------------------------------------------------

NOW = [
    ("contribution", "observer", lambda: contribution("ATU").pk, {}, DOCX, "ATU-35A18.docx"),
    (
        "contribution",
        "rcc-delegate",
        lambda: contribution("RCC").pk,
        {"tracked": "false"},
        DOCX,
        "-plain.docx",
    ),
    ("compilation", "secretariat", lambda: consolidation().pk, {}, DOCX, ".docx"),
    ("consolidated", "observer", lambda: consolidation().pk, {}, DOCX, ".docx"),
    ("edition", "observer", lambda: res75().pk, {}, DOCX, "hammamet-2016.docx"),
    ("edition", "observer", lambda: res75().pk, {"format": "txt"}, "text/plain; charset=utf-8", ".txt"),
]


@pytest.mark.parametrize(
    ("kind", "who", "target", "params", "content_type", "ending"),
    NOW,
    ids=["contribution", "contribution-plain", "compilation", "consolidated", "edition", "edition-txt"],
)
def test_an_export_now_returns_the_file(demo_db, kind, who, target, params, content_type, ending):
    before = Export.objects.count()
    response = get(f"/api/export/{kind}/{target()}", who, **params)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.endswith(f'{ending}"')
    if content_type == DOCX:
        root = document_xml(response.content)
        tracked = kind != "edition" and params.get("tracked") != "false"
        assert bool(root.findall(".//w:ins", NS)) == tracked
        assert docx_to_text(response.content).strip()
    else:
        assert parse_resolution(response.content.decode()).shape() == edition_tree(res75()).shape()
    assert Export.objects.count() == before  # built in the request, nothing kept


def test_an_export_now_of_the_compilation_is_one_table_per_group(demo_db):
    response = get(f"/api/export/compilation/{consolidation().pk}", "secretariat", tracked="false")
    [table] = Document(io.BytesIO(response.content)).tables
    assert [c.text for c in table.rows[0].cells] == ["Clause", "Base text", "ATU", "CITEL", "Decision"]
    assert not document_xml(response.content).findall(".//w:ins", NS)


@pytest.mark.parametrize(
    ("url", "who", "status", "words"),
    [
        ("/api/export/minutes/1", "observer", 400, "Unknown kind"),
        ("/api/export/contribution/{atu}?format=txt", "observer", 400, "Plain text"),
        ("/api/export/contribution/{rcc}", "atu-delegate", 404, "No such contribution"),
        ("/api/export/contribution/{rcc}", "observer", 404, "No such contribution"),
        ("/api/export/compilation/0", "observer", 404, ""),
    ],
    ids=[
        "unknown kind",
        "text of a contribution",
        "draft of another group",
        "draft to an observer",
        "no such",
    ],
)
def test_an_export_now_refused_is_json(demo_db, url, who, status, words):
    url = url.format(atu=contribution("ATU").pk, rcc=contribution("RCC").pk)
    response = Client().get(url, **basic(who))
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert words in response.json()["detail"]


def test_without_credentials_or_with_a_wrong_password_nothing_is_exported(demo_db):
    url = f"/api/export/edition/{res75().pk}"
    assert Client().get(url).status_code == 401
    assert Client().get(url, **basic("observer", "wrong")).status_code == 401


# --- queued exports --------------------------------------------------------------------------------


def test_a_queued_export_is_polled_then_fetched(demo_db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            "/api/exports", "citel-delegate", {"kind": "contribution", "target": contribution("CITEL").pk}
        )
    assert response.status_code == 202
    queued = response.json()
    export = Export.objects.get(pk=queued["id"])
    assert queued["kind"] == "contribution" and export.requested_by.username == "citel-delegate"
    assert queued["status_url"] == f"/api/exports/{export.pk}"
    assert queued["file_url"] == f"/api/exports/{export.pk}/file"

    status = get(queued["status_url"], "citel-delegate").json()
    assert status["status"] == "done" and status["done"] == status["total"] > 0
    assert status["filename"] == export.filename and status["seconds"] is not None and status["error"] == ""

    file = get(queued["file_url"], "citel-delegate")
    assert file.status_code == 200 and file["Content-Type"] == DOCX
    assert file["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    changes = document_xml(file.content).findall(".//w:ins", NS)
    assert changes and {c.get(f"{{{NS['w']}}}author") for c in changes} == {"CITEL"}

    # Someone else can neither see it nor fetch it.
    assert get(queued["status_url"], "atu-delegate").status_code == 404
    assert get(queued["file_url"], "atu-delegate").status_code == 404


@pytest.mark.parametrize(
    ("body", "who", "status"),
    [
        ({"kind": "minutes", "target": 1}, "observer", 400),
        ({"kind": "compilation", "target": 1, "format": "txt"}, "secretariat", 400),
        ({"kind": "contribution", "target": "rcc"}, "citel-delegate", 404),
        ({"kind": "edition", "target": 0}, "observer", 404),
    ],
    ids=["unknown kind", "text of a compilation", "draft of another group", "no such edition"],
)
def test_a_refused_export_request_queues_nothing(demo_db, body, who, status):
    if body["target"] == "rcc":
        body = {**body, "target": contribution("RCC").pk}
    elif body["kind"] == "compilation":
        body = {**body, "target": consolidation().pk}
    before = Export.objects.count()
    response = post_json("/api/exports", who, body)
    assert response.status_code == status and response.json()["detail"]
    assert Export.objects.count() == before


def test_the_file_of_an_export_not_done_is_409(demo_db):
    observer = User.objects.get(username="observer")
    for state in (Export.QUEUED, Export.RUNNING, Export.FAILED):
        export = Export.objects.create(
            kind=Export.EDITION, edition=res75(), requested_by=observer, status=state
        )
        response = get(f"/api/exports/{export.pk}/file", "observer")
        assert response.status_code == 409
        assert state in response.json()["detail"] and f"/api/exports/{export.pk}" in response.json()["detail"]
        assert get(f"/api/exports/{export.pk}", "observer").json()["status"] == state


# --- imports ---------------------------------------------------------------------------------------


def test_upload_preview_then_confirm_creates_the_proposal(atu_draft):
    target, original, data = atu_draft
    proposals, amendments, _ = saved()

    response = upload(target, "atu-delegate", "atu.docx", data, original.base_edition_id)
    assert response.status_code == 201
    preview = response.json()
    expected = Counter(original.amendments.values_list("action", flat=True))
    assert (preview["modified"], preview["added"], preview["suppressed"]) == (
        expected["modify"],
        expected["add"],
        expected["suppress"],
    )
    assert Counter(a["action"] for a in preview["amendments"]) == expected
    assert "MOD " + preview["label"] == original.label and preview["reasons"] == original.reasons
    assert preview["unmatched"] == [] and preview["other_proposals"] == []
    assert preview["base_edition"] == str(original.base_edition)
    staged = ProposalUpload.objects.get(contribution=target)
    assert preview["upload"] == staged.pk
    assert preview["confirm_url"] == f"/api/contributions/{target.pk}/imports/{staged.pk}/confirm"
    assert saved()[:2] == (proposals, amendments)

    confirmed = Client().post(preview["confirm_url"], **basic("atu-delegate"))
    assert confirmed.status_code == 201
    body = confirmed.json()
    imported = Proposal.objects.get(pk=body["id"])
    assert imported.contribution == target and body["label"] == imported.label
    assert Counter(imported.amendments.values_list("action", flat=True)) == expected
    assert outline(imported) == outline(original)
    assert [(c["key"], c["text"]) for c in body["clauses"]] == [
        (c.key, c.text)
        for c, _ in draft_of(imported).walk_all()  # the title first, then the body
    ]
    assert not ProposalUpload.objects.exists()

    # Confirming the same upload again: 404 with a reason, nothing more.
    again = Client().post(preview["confirm_url"], **basic("atu-delegate"))
    assert again.status_code == 404 and "already imported" in again.json()["detail"]
    assert target.proposals.count() == 1


def test_an_upload_can_be_dropped(atu_draft):
    target, original, data = atu_draft
    before = saved()
    preview = upload(target, "atu-delegate", "atu.docx", data, original.base_edition_id).json()
    url = f"/api/contributions/{target.pk}/imports/{preview['upload']}"

    # Only its uploader drops it; for anyone else it is not there.
    assert Client().delete(url, **basic("atu-coordinator")).status_code == 404
    assert Client().delete(url, **basic("citel-delegate")).status_code == 404
    assert ProposalUpload.objects.filter(pk=preview["upload"]).exists()

    response = Client().delete(url, **basic("atu-delegate"))
    assert response.status_code == 204 and not response.content
    assert saved() == before
    assert Client().post(preview["confirm_url"], **basic("atu-delegate")).status_code == 404
    assert Client().delete(url, **basic("atu-delegate")).status_code == 404
    assert saved() == before and not target.proposals.exists()


def _letter() -> bytes:
    document = Document()
    document.add_paragraph("Dear colleagues, the meeting is postponed.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BAD = {
    # id: (uploader, file name, make(data), edition: "own" / "1332" / "none", status, words)
    "empty": ("atu-delegate", "atu.docx", lambda d: b"", "own", 400, "empty"),
    "not a zip": (
        "atu-delegate",
        "atu.docx",
        lambda d: b"PK not really a zip" * 10,
        "own",
        400,
        "not a Word",
    ),
    "truncated": ("atu-delegate", "atu.docx", lambda d: d[: len(d) // 3], "own", 400, "not a Word"),
    "old doc": ("atu-delegate", "atu.doc", lambda d: d, "own", 400, "not a .docx"),
    "docm": ("atu-delegate", "atu.docm", lambda d: d, "own", 400, "not a .docx"),
    "50 MB": ("atu-delegate", "atu.docx", lambda d: d + bytes(50 * 1024 * 1024), "own", 413, "largest file"),
    "a letter": ("atu-delegate", "letter.docx", lambda d: _letter(), "own", 400, "no MOD proposal"),
    "wrong resolution": (
        "atu-delegate",
        "atu.docx",
        lambda d: d,
        "1332",
        400,
        "no MOD proposal on Resolution 1332",
    ),
    "no such edition": ("atu-delegate", "atu.docx", lambda d: d, "none", 404, ""),
    "observer": ("observer", "atu.docx", lambda d: d, "own", 404, "No such contribution"),
    "other group": ("citel-delegate", "atu.docx", lambda d: d, "own", 404, "No such contribution"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_a_bad_upload_is_a_4xx_json_problem_and_nothing_is_saved(atu_draft, case):
    target, original, data = atu_draft
    who, name, make, edition, status, words = BAD[case]
    edition_id = {
        "own": original.base_edition_id,
        "1332": Edition.objects.get(resolution__number="1332").pk,
        "none": 0,
    }[edition]
    before = saved()
    response = upload(target, who, name, make(data), edition_id)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert words in response.json()["detail"]
    assert saved() == before


def test_an_upload_to_a_submitted_contribution_is_409(atu_draft):
    _, original, data = atu_draft
    before = saved()
    response = upload(original.contribution, "atu-delegate", "atu.docx", data, original.base_edition_id)
    assert response.status_code == 409 and "no longer be edited" in response.json()["detail"]
    assert saved() == before


def test_an_upload_without_the_edition_is_a_validation_error(atu_draft):
    target, _, data = atu_draft
    before = saved()
    response = Client().post(
        f"/api/contributions/{target.pk}/imports",
        {"file": SimpleUploadedFile("atu.docx", data)},
        **basic("atu-delegate"),
    )
    assert response.status_code == 422 and "base_edition" in json.dumps(response.json())
    assert saved() == before


# --- the schema ------------------------------------------------------------------------------------


def test_the_schema_lists_the_word_operations(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        "/api/export/{kind}/{target}": {"get"},
        "/api/exports": {"post"},
        "/api/exports/{pk}": {"get"},
        "/api/exports/{pk}/file": {"get"},
        "/api/contributions/{pk}/imports": {"post"},
        "/api/contributions/{pk}/imports/{upload}/confirm": {"post"},
        "/api/contributions/{pk}/imports/{upload}": {"delete"},
    }
    for path, methods in expected.items():
        assert path in paths and methods <= set(paths[path])
    upload_body = paths["/api/contributions/{pk}/imports"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload_body
    # Confirming answers with the proposal, as GET /api/proposals/{pk} does.
    confirmed = paths["/api/contributions/{pk}/imports/{upload}/confirm"]["post"]["responses"]["201"]
    proposal = paths["/api/proposals/{pk}"]["get"]["responses"]["200"]
    assert (
        confirmed["content"]["application/json"]["schema"]
        == proposal["content"]["application/json"]["schema"]
    )


def test_a_script_posts_with_basic_auth_and_no_csrf_token(demo_db):
    # The test client skips CSRF unless told; a script has no session and no token, only its login.
    script = Client(enforce_csrf_checks=True)
    consolidation = Consolidation.objects.get(resolution__number="75")
    response = script.post(
        "/api/exports",
        {"kind": "compilation", "target": consolidation.pk},
        content_type="application/json",
        **basic("secretariat"),
    )
    assert response.status_code == 202, response.content
    # A browser session still needs its token for the same POST.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(User.objects.get(username="secretariat"))
    refused = browser.post(
        "/api/exports", {"kind": "compilation", "target": consolidation.pk}, content_type="application/json"
    )
    assert refused.status_code == 403
