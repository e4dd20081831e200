"""Word exports of the demo data: each kind built by the services and through the pages, opened and read back."""

from __future__ import annotations

import io
import re
import zipfile
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client
from docx import Document
from lxml import etree

from drafting.engine.docx_text import docx_to_text
from drafting.engine.parse import parse_resolution
from drafting.models import Clause, Consolidation, Contribution, Decision, Edition, Export
from drafting.reading import edition_tree
from drafting.services import DomainError
from drafting.services.amendments import draft_of
from drafting.services.consolidation import compile_consolidation, consolidated_draft, settle_clause
from drafting.services.exports import ExportProblem, build, new_export, render_now, request_export

pytestmark = pytest.mark.django_db

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
W = f"{{{NS['w']}}}"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


# --- helpers ---------------------------------------------------------------------------------------


def user(username: str) -> User:
    return User.objects.get(username=username)


def contribution(code: str) -> Contribution:
    return Contribution.objects.select_related("group").get(group__code=code)


def consolidation() -> Consolidation:
    return Consolidation.objects.select_related("resolution", "base_edition").get(resolution__number="75")


def res75() -> Edition:
    return Edition.objects.get(resolution__body__code="WTSA", resolution__number="75")


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def body(data: bytes):
    return part(data, "word/document.xml")


def joined(nodes) -> str:
    """The characters of text nodes, a non-breaking hyphen (w:noBreakHyphen) read as U+2011."""
    return "".join("\u2011" if n.tag == f"{W}noBreakHyphen" else n.text or "" for n in nodes)


def inserted(root) -> str:
    return joined(n for ins in root.iterfind(".//w:ins", NS) for n in ins.iter(f"{W}t", f"{W}noBreakHyphen"))


def deleted(root) -> str:
    return joined(
        n for d in root.iterfind(".//w:del", NS) for n in d.iter(f"{W}delText", f"{W}noBreakHyphen")
    )


def formatted(root, mark: str) -> str:
    """Text of the runs formatted with ``mark`` (w:u for underline, w:strike for strikethrough)."""
    return joined(
        t
        for r in root.iterfind(".//w:r", NS)
        if r.find(f"w:rPr/{mark}", NS) is not None
        for t in r.iter(f"{W}t", f"{W}noBreakHyphen")
    )


def cell_text(cell) -> str:
    """A table cell's words as Word shows them with every mark visible, tracked or not."""
    return joined(cell._tc.iter(f"{W}t", f"{W}delText", f"{W}noBreakHyphen"))


def amendment_texts(code: str, action: str) -> list[str]:
    proposal = contribution(code).proposals.get()
    return [a.heading or a.text for a in proposal.amendments.filter(action=action)]


def suppressed_texts(code: str) -> list[str]:
    proposal = contribution(code).proposals.get()
    return [c.text or c.heading for c, _ in draft_of(proposal).walk() if c.suppressed]


def built(requester: User, kind: str, target, django_capture_on_commit_callbacks, **options) -> Export:
    """An export asked for through the services, built as the request's transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        export = request_export(requester, kind, target, **options)
    export.refresh_from_db()
    return export


def finished_well(export: Export) -> bytes:
    assert export.status == Export.DONE and export.error == ""
    assert export.total > 0 and export.done == export.total
    assert export.seconds is not None and export.seconds >= 0 and export.finished_at is not None
    assert export.filename
    return bytes(export.data)


# --- each kind, through the services -----------------------------------------------------------------


def test_a_contribution_has_tracked_changes_by_its_group_with_a_date(
    demo_db, django_capture_on_commit_callbacks
):
    atu = contribution("ATU")
    export = built(user("observer"), "contribution", atu, django_capture_on_commit_callbacks)
    data = finished_well(export)
    assert export.filename == f"ATU-{atu.code}.docx"

    root = body(data)
    changes = root.findall(".//w:ins", NS) + root.findall(".//w:del", NS)
    assert changes
    for change in changes:
        assert change.get(f"{W}author") == "ATU"
        assert change.get(f"{W}date") == atu.submitted_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert DATE.match(change.get(f"{W}date"))
    # What the group added is inserted, what it suppressed deleted (in w:delText only), and with the
    # deletions left out the document reads as the group's text.
    words = " ".join(inserted(root).split())
    for text in amendment_texts("ATU", "add"):
        assert " ".join(text.split()) in words
    proposed = " ".join(docx_to_text(data).split())
    for text in amendment_texts("ATU", "modify"):
        assert " ".join(text.split()) in proposed
    for text in suppressed_texts("ATU"):
        assert " ".join(text.split()) in " ".join(deleted(root).split())
    assert not root.findall(".//w:del//w:t", NS)
    # Whole added and suppressed paragraphs have their paragraph marks marked too.
    assert root.findall(".//w:pPr/w:rPr/w:ins", NS) and root.findall(".//w:pPr/w:rPr/w:del", NS)
    assert part(data, "word/settings.xml").find("w:trackRevisions", NS) is not None
    text = docx_to_text(data)
    assert atu.proposals.get().label in text and atu.title.upper() in text


def test_a_footnote_is_a_real_word_footnote(demo_db, django_capture_on_commit_callbacks):
    rcc = contribution("RCC")  # WTDC Res. 30 has a footnote
    notes = [
        f.text
        for c in Clause.objects.filter(edition=rcc.proposals.get().base_edition)
        for f in c.footnotes.all()
    ]
    assert notes
    export = built(user("rcc-delegate"), "contribution", rcc, django_capture_on_commit_callbacks)
    data = finished_well(export)
    footnotes = part(data, "word/footnotes.xml")
    texts = [
        "".join(n.itertext()).strip()
        for n in footnotes.iterfind("w:footnote", NS)
        if n.get(f"{W}id") not in ("-1", "0")
    ]
    assert sorted(texts) == sorted(notes)
    references = body(data).findall(".//w:footnoteReference", NS)
    assert {r.get(f"{W}id") for r in references} == {
        n.get(f"{W}id") for n in footnotes.iterfind("w:footnote", NS) if n.get(f"{W}id") not in ("-1", "0")
    }
    rels = part(data, "word/_rels/document.xml.rels")
    assert any(r.get("Target") == "footnotes.xml" for r in rels)


def test_plain_marks_are_underline_and_strikethrough_with_no_tracked_change(
    demo_db, django_capture_on_commit_callbacks
):
    citel = contribution("CITEL")
    export = built(
        user("citel-delegate"), "contribution", citel, django_capture_on_commit_callbacks, tracked=False
    )
    data = finished_well(export)
    assert export.filename == f"CITEL-{citel.code}-plain.docx"
    root = body(data)
    assert not root.findall(".//w:ins", NS) and not root.findall(".//w:del", NS)
    assert not root.findall(".//w:delText", NS)
    underlined, struck = (" ".join(formatted(root, m).split()) for m in ("w:u", "w:strike"))
    for text in amendment_texts("CITEL", "add"):
        assert " ".join(text.split()) in underlined
    for text in suppressed_texts("CITEL"):
        assert " ".join(text.split()) in struck
    assert part(data, "word/settings.xml").find("w:trackRevisions", NS) is None


@pytest.mark.parametrize("tracked", [True, False], ids=["tracked", "plain"])
def test_the_compilation_is_one_table_with_a_column_per_group(
    demo_db, django_capture_on_commit_callbacks, tracked
):
    export = built(
        user("secretariat"),
        "compilation",
        consolidation(),
        django_capture_on_commit_callbacks,
        tracked=tracked,
    )
    data = finished_well(export)
    document = Document(io.BytesIO(data))
    [table] = document.tables
    groups = compile_consolidation(consolidation()).groups
    assert groups == ["ATU", "CITEL"]
    assert [c.text for c in table.rows[0].cells] == ["Clause", "Base text", *groups, "Decision"]
    assert len(table.rows) > 1

    rows = [[cell_text(c) for c in row.cells] for row in table.rows[1:]]
    columns = {g: " ".join(" ".join(r[2 + i] for r in rows).split()) for i, g in enumerate(groups)}
    for i, group in enumerate(groups):
        # Each group's additions stand in its own column, and not in the other's.
        for text in amendment_texts(group, "add"):
            assert " ".join(text.split()) in columns[group]
            assert " ".join(text.split()) not in columns[groups[1 - i]]
    root = body(data)
    if tracked:
        authors = {c.get(f"{W}author") for c in root.findall(".//w:ins", NS) + root.findall(".//w:del", NS)}
        assert authors == set(groups)
    else:
        assert not root.findall(".//w:ins", NS) and not root.findall(".//w:del", NS)
        assert formatted(root, "w:u") and formatted(root, "w:strike")
    # Open clauses have their text in brackets in the Decision column.
    assert any(r[-1].startswith("[") for r in rows)


def test_the_consolidated_draft_brackets_open_text_and_not_settled_text(
    demo_db, django_capture_on_commit_callbacks
):
    current = consolidation()
    resolves_4 = str(Clause.objects.get(edition=current.base_edition, anchor="resolves-4").provision.key)
    settle_clause(user("secretariat"), current, resolves_4, Decision.GROUP, group="CITEL")
    export = built(user("secretariat"), "consolidated", current, django_capture_on_commit_callbacks)
    data = finished_well(export)
    assert export.filename.endswith(".docx") and export.total > 1

    # Each line of the document, its label left out.
    texts = [" ".join(line.split("\t", 1)[-1].split()) for line in docx_to_text(data).splitlines()]
    compilation = compile_consolidation(current)
    draft = consolidated_draft(compilation)
    open_rows = [
        r for r in compilation.rows if r.status != "unchanged" and r.key not in compilation.decisions
    ]
    assert open_rows
    for row in open_rows:
        clause = draft.find(row.key)
        if clause is None or clause.suppressed:
            continue
        value = " ".join((clause.heading if clause.kind == "part" else clause.text).split())
        assert value.startswith("[") and value in texts
    # CITEL's resolves 4, now settled, stands without brackets.
    settled = draft.find(resolves_4).text
    citel = contribution("CITEL").proposals.get().amendments.get(target__key=resolves_4).text
    assert not settled.startswith("[") and settled.rstrip(",;.") == citel.rstrip(",;.")
    assert " ".join(settled.split()) in texts
    # An unchanged clause is plain base text.
    unchanged = next(r for r in compilation.rows if r.status == "unchanged" and r.kind == "item")
    assert " ".join(unchanged.base.text.split()) in texts
    changes = body(data).findall(".//w:ins", NS) + body(data).findall(".//w:del", NS)
    assert changes and {c.get(f"{W}author") for c in changes} == {"ITU Secretariat"}


def test_an_edition_as_docx_and_as_text_holds_the_resolution_without_marks(
    demo_db, django_capture_on_commit_callbacks
):
    edition = res75()
    tree = edition_tree(edition)
    docx = finished_well(built(user("observer"), "edition", edition, django_capture_on_commit_callbacks))
    root = body(docx)
    assert not root.findall(".//w:ins", NS) and not root.findall(".//w:del", NS)
    assert not formatted(root, "w:strike") and not formatted(root, "w:u")
    assert parse_resolution(docx_to_text(docx)).shape() == tree.shape()

    export = built(
        user("observer"), "edition", edition, django_capture_on_commit_callbacks, file_format="txt"
    )
    text = finished_well(export).decode("utf-8")
    assert export.filename.endswith(".txt") and export.content_type.startswith("text/plain")
    assert parse_resolution(text).shape() == tree.shape()
    assert tree.title in text


# --- lifecycle and rights ------------------------------------------------------------------------------


def test_a_draft_of_another_group_cannot_be_exported_and_nothing_is_queued(demo_db):
    rcc = contribution("RCC")
    assert rcc.status == Contribution.DRAFT
    before = Export.objects.count()
    for outsider in ("atu-delegate", "observer", "secretariat"):
        with pytest.raises(ExportProblem) as refused:
            request_export(user(outsider), "contribution", rcc)
        assert refused.value.status == 403 and "draft" in refused.value.message
        client = Client()
        client.force_login(user(outsider))
        assert client.post("/exports/new/", {"kind": "contribution", "target": rcc.pk}).status_code == 404
    assert Export.objects.count() == before


def test_unknown_kinds_and_formats_are_refused(demo_db):
    before = Export.objects.count()
    client = Client()
    client.force_login(user("secretariat"))
    assert client.post("/exports/new/", {"kind": "minutes", "target": res75().pk}).status_code == 400
    response = client.post(
        "/exports/new/", {"kind": "contribution", "target": contribution("ATU").pk, "format": "txt"}
    )
    assert response.status_code == 400 and "Plain text" in response.content.decode()
    with pytest.raises(ExportProblem) as refused:
        new_export(user("secretariat"), "minutes", res75())
    assert refused.value.status == 400 and "Unknown kind" in refused.value.message
    assert Export.objects.count() == before


def test_a_failing_render_is_kept_as_failed_with_its_message(
    demo_db, monkeypatch, django_capture_on_commit_callbacks
):
    from drafting.services import exports

    def broken(export, progress):
        raise ExportProblem("The base text of this resolution could not be read.")

    monkeypatch.setattr(exports, "render", broken)
    export = new_export(user("secretariat"), "compilation", consolidation())
    export.save()
    with pytest.raises(DomainError):
        build(export.pk)
    export.refresh_from_db()
    assert export.status == Export.FAILED and export.finished_at is not None
    assert export.error == "The base text of this resolution could not be read."
    assert not export.data and export.filename == ""

    # Through the page: the card shows the reason; there is nothing to download.
    client = Client()
    client.force_login(user("secretariat"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/exports/new/", {"kind": "compilation", "target": consolidation().pk}, HTTP_HX_REQUEST="true"
        )
    failed = Export.objects.exclude(pk=export.pk).get(requested_by__username="secretariat")
    assert failed.status == Export.FAILED
    assert response.status_code == 200 and f'id="export-{failed.pk}"' in response.content.decode()
    card = client.get(f"/exports/{failed.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "could not be read" in card and "every 1s" not in card and "/download/" not in card
    assert client.get(f"/exports/{failed.pk}/download/").status_code == 409

    # Any other error is kept too, with a message saying the export failed.
    def crashing(export, progress):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "render", crashing)
    other = new_export(user("secretariat"), "compilation", consolidation())
    other.save()
    with pytest.raises(RuntimeError):
        build(other.pk)
    other.refresh_from_db()
    assert other.status == Export.FAILED and "disk full" in other.error


def test_building_a_finished_export_again_changes_nothing(demo_db, django_capture_on_commit_callbacks):
    export = built(user("observer"), "edition", res75(), django_capture_on_commit_callbacks)
    data = finished_well(export)
    again = build(export.pk)
    assert again.finished_at == export.finished_at and bytes(again.data) == data


# --- through the pages -----------------------------------------------------------------------------------

PAGE_KINDS = [
    ("contribution", "atu-delegate", lambda: contribution("ATU").pk, "tracked"),
    ("contribution", "rcc-delegate", lambda: contribution("RCC").pk, "plain"),
    ("compilation", "secretariat", lambda: consolidation().pk, "tracked"),
    ("consolidated", "secretariat", lambda: consolidation().pk, "tracked"),
    ("edition", "observer", lambda: res75().pk, "tracked"),
]


@pytest.mark.parametrize(
    ("kind", "who", "target", "marks"), PAGE_KINDS, ids=[f"{k}-{w}-{m}" for k, w, _, m in PAGE_KINDS]
)
def test_each_kind_through_the_pages_gives_a_word_file_for_its_requester_only(
    demo_db, django_capture_on_commit_callbacks, django_assert_max_num_queries, kind, who, target, marks
):
    client = Client()
    client.force_login(user(who))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/exports/new/", {"kind": kind, "target": target(), "marks": marks})
    export = Export.objects.get(requested_by__username=who, kind=kind)
    assert response.status_code == 302 and response.url == f"/exports/{export.pk}/"
    assert export.tracked == (marks == "tracked")
    finished_well(export)
    page = client.get(response.url)
    assert page.status_code == 200 and f"/exports/{export.pk}/download/" in page.content.decode()
    assert export.filename in client.get("/exports/").content.decode()

    # The session (from the cache, else the database), its user, and the export with its file: read once.
    with django_assert_max_num_queries(3):
        download = client.get(f"/exports/{export.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == DOCX
    assert download["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    root = body(download.content)
    assert root.tag == f"{W}document" and docx_to_text(download.content).strip()
    assert bool(root.findall(".//w:ins", NS)) == (marks == "tracked" and kind != "edition")

    # Someone else sees neither the export nor its file, and it is not in their list.
    other = Client()
    other.force_login(user("citel-coordinator"))
    assert other.get(f"/exports/{export.pk}/download/").status_code == 404
    assert other.get(f"/exports/{export.pk}/").status_code == 404
    assert export.filename not in other.get("/exports/").content.decode()


def test_with_htmx_the_card_comes_back_with_its_download_link(demo_db, monkeypatch):
    from drafting.services import exports

    # Outside a test's transaction a request commits at once: the immediate backend builds the export
    # before the card is rendered, as it does in production with TASKS_BACKEND=immediate.
    monkeypatch.setattr(exports, "transaction", SimpleNamespace(on_commit=lambda callback: callback()))
    client = Client()
    client.force_login(user("observer"))
    response = client.post(
        "/exports/new/",
        {"kind": "contribution", "target": contribution("CITEL").pk, "marks": "plain"},
        HTTP_HX_REQUEST="true",
    )
    export = Export.objects.get(requested_by__username="observer")
    finished_well(export)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="export-{export.pk}"' in html and "underline and strikethrough" in html
    assert f'href="/exports/{export.pk}/download/"' in html
    assert "every 1s" not in html  # done: the card does not poll
    assert client.get(f"/exports/{export.pk}/download/").content == bytes(export.data)


def test_with_htmx_a_card_still_building_polls_until_the_download_link_shows(
    demo_db, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(user("observer"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/exports/new/",
            {"kind": "edition", "target": res75().pk},
            HTTP_HX_REQUEST="true",
        )
        export = Export.objects.get(requested_by__username="observer")
        # The request's transaction is not committed yet: the card waits and polls.
        assert export.status == Export.QUEUED
        html = response.content.decode()
        assert f'hx-get="/exports/{export.pk}/' in html and "every 1s" in html and "/download/" not in html
    card = client.get(f"/exports/{export.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert f'href="/exports/{export.pk}/download/"' in card and "every 1s" not in card


def test_an_export_still_queued_is_not_downloadable_and_the_card_polls(demo_db):
    client = Client()
    client.force_login(user("observer"))
    response = client.post("/exports/new/", {"kind": "edition", "target": res75().pk})
    export = Export.objects.get(requested_by__username="observer")
    assert export.status == Export.QUEUED  # the transaction never committed: the worker has not run
    assert response.url == f"/exports/{export.pk}/"
    assert client.get(f"/exports/{export.pk}/download/").status_code == 409
    card = client.get(f"/exports/{export.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" in card and "<html" not in card


@pytest.mark.parametrize("fmt", ["docx", "txt"])
def test_the_edition_page_exports(demo_db, fmt):
    edition = res75()
    tree = edition_tree(edition)
    client = Client()
    url = f"/resolutions/{edition.resolution.body.code.lower()}/{edition.resolution.slug}/{edition.slug}/export.{fmt}"
    response = client.get(url, {"download": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "docx":
        assert response["Content-Type"] == DOCX
        root = body(response.content)
        assert not root.findall(".//w:ins", NS) and not root.findall(".//w:del", NS)
        text = docx_to_text(response.content)
    else:
        assert response["Content-Type"].startswith("text/plain")
        text = response.content.decode("utf-8")
    assert parse_resolution(text).shape() == tree.shape()
    # The same file as the export service gives.
    name, data = render_now(user("observer"), "edition", edition, file_format=fmt)
    assert response["Content-Disposition"].endswith(f'filename="{name}"')
    if fmt == "txt":
        assert data == response.content


def test_a_persons_oldest_finished_exports_make_way_for_new_ones(demo_db, django_capture_on_commit_callbacks):
    from drafting.services.exports import KEPT_PER_PERSON, request_export

    secretariat = user("secretariat")
    edition = Edition.objects.get(resolution__number="75")
    exports = []
    for _ in range(KEPT_PER_PERSON + 1):
        with django_capture_on_commit_callbacks(execute=True):  # built, as the worker would
            exports.append(request_export(secretariat, Export.EDITION, edition, file_format=Export.TEXT))
    kept = Export.objects.filter(requested_by=secretariat)
    assert kept.count() == KEPT_PER_PERSON
    assert not kept.filter(pk=exports[0].pk).exists()
