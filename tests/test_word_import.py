"""Proposals in from Word: every demo proposal exported and imported back, random drafts too, and bad files refused."""

from __future__ import annotations

import copy
import io
import zipfile
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from docx import Document
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from drafting.engine.proposal_docx import read_contribution
from drafting.engine.tree import ITEM
from drafting.models import Amendment, Contribution, Edition, Proposal, ProposalUpload
from drafting.reading import edition_tree
from drafting.services import DomainError
from drafting.services.amendments import add_clause, draft_of, modify_clause, suppress_clause
from drafting.services.contributions import add_proposal, create_contribution
from drafting.services.exports import render_now
from drafting.services.library import ImportProblem
from drafting.services.word import confirm_docx_proposal, preview_docx_proposal, stage_docx_proposal
from tests.budget import examples
from tests.strategies import sentence

pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- helpers ---------------------------------------------------------------------------------------


def user(username: str) -> User:
    return User.objects.get(username=username)


def demo_proposal(code: str) -> Proposal:
    return Proposal.objects.select_related("contribution__group", "base_edition").get(
        action=Proposal.MOD, contribution__group__code=code
    )


def delegate_of(code: str) -> User:
    return user(f"{code.lower()}-delegate")


def fresh_draft(code: str, conference, number: str = "90") -> Contribution:
    """A new, empty draft contribution of the group, to import into."""
    delegate = delegate_of(code)
    return create_contribution(
        delegate,
        conference=conference,
        group=delegate.regional_groups.get(code=code),
        document_number=number,
        addendum=None,
        title="Imported from Word",
    )


def exported(proposal: Proposal, *, tracked: bool = True) -> tuple[str, bytes]:
    """The proposal's contribution as a Word file, exported by one of its group's delegates."""
    return render_now(
        delegate_of(proposal.contribution.group.code),
        "contribution",
        proposal.contribution,
        tracked=tracked,
    )


def outline(proposal: Proposal) -> list[tuple]:
    """The proposal's text clause by clause: base key ("new" for added clauses), label, heading, text, suppressed."""
    return [
        ("new" if c.added else c.key, c.label, c.heading, c.text, c.suppressed)
        for c, _ in draft_of(proposal).walk()
    ]


def actions(proposal: Proposal) -> Counter:
    return Counter(proposal.amendments.values_list("action", flat=True))


def saved() -> tuple[int, int, int]:
    return Proposal.objects.count(), Amendment.objects.count(), ProposalUpload.objects.count()


def paragraph_text(p) -> str:
    """A paragraph's text as Word shows it with its marks hidden: no deleted text, tabs kept."""
    out = []
    for node in p.iter(f"{W}t", f"{W}tab"):
        if any(a.tag == f"{W}del" for a in node.iterancestors()):
            continue
        out.append("\t" if node.tag == f"{W}tab" else node.text or "")
    return "".join(out)


def with_paragraph_after(data: bytes, starts: str, text: str) -> bytes:
    """The document with a plain paragraph (no marks) inserted after the first one starting with ``starts``."""
    document = Document(io.BytesIO(data))
    target = next(p for p in document.paragraphs if paragraph_text(p._p).startswith(starts))
    new = copy.deepcopy(target._p)
    for child in list(new):
        if child.tag != f"{W}pPr":
            new.remove(child)
    properties = new.find(f"{W}pPr")
    if properties is not None:
        for mark in properties.iterfind(f"{W}rPr"):
            properties.remove(mark)
    target._p.addnext(new)
    Paragraph(new, target._parent).add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezipped(data: bytes, change) -> bytes:
    """The package with each part passed through ``change(name, bytes)``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, change(info.filename, source.read(info.filename)))
    return buffer.getvalue()


def import_roundtrip(proposal: Proposal, target: Contribution, *, tracked: bool):
    name, data = exported(proposal, tracked=tracked)
    delegate = delegate_of(target.group.code)
    upload, preview = stage_docx_proposal(delegate, target, name, data, proposal.base_edition)
    return confirm_docx_proposal(delegate, target, upload.pk), preview


# --- round trips -----------------------------------------------------------------------------------


@pytest.mark.parametrize("tracked", [True, False], ids=["tracked", "plain"])
@pytest.mark.parametrize("code", ["ATU", "CITEL", "RCC"])
def test_every_demo_proposal_comes_back_the_same_from_its_word_file(demo_db, code, tracked):
    original = demo_proposal(code)
    assert set(actions(original)) == {"modify", "add", "suppress"}
    target = fresh_draft(code, original.contribution.conference)

    imported, preview = import_roundtrip(original, target, tracked=tracked)

    assert preview.unplaced == [] and preview.other_proposals == []
    assert imported.contribution == target and imported.action == Proposal.MOD
    assert imported.base_edition == original.base_edition and imported.reasons == original.reasons
    assert outline(imported) == outline(original)
    assert actions(imported) == actions(original)
    assert not ProposalUpload.objects.exists()


WORDS = ["digital", "global", "regional", "sustainable", "open", "secure", "inclusive", "technical"]


@settings(
    max_examples=examples(5),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # Each example exports and imports a whole resolution: shrinking a failure would take minutes.
    # The failing plan is printed as drawn (Draw 1 lists the clauses, then each one's change).
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(data=st.data())
def test_random_amendments_on_res75_survive_export_and_import(demo_db, data):
    edition = demo_proposal("ATU").base_edition
    conference = demo_proposal("ATU").contribution.conference
    items = [c for c, _ in edition_tree(edition).walk() if c.kind == ITEM and len(c.text.split(" ")) > 3]
    picked = data.draw(st.lists(st.sampled_from(items), unique_by=lambda c: c.key, min_size=1, max_size=9))
    # Each clause gets one change. Not generated, as a document cannot show them: a change to a clause
    # that is also suppressed, or to anything inside a suppressed clause (the document strikes out the base
    # text of the whole subtree), and an addition placed right after a suppressed clause (read back, the
    # new clause stands before the struck one; the text is the same).
    plan = [(clause, data.draw(st.sampled_from(["modify", "suppress", "add"]))) for clause in picked]
    suppressed = {c.key for c, action in plan if action == "suppress"}
    inside = {d.key for c, action in plan if action == "suppress" for d, _ in c.walk() if d is not c}
    plan = [(c, a) for c, a in plan if c.key not in inside and not (a == "add" and c.key in suppressed)]
    tracked = data.draw(st.booleans())
    delegate = delegate_of("ATU")

    with transaction.atomic():
        proposal = add_proposal(
            delegate,
            fresh_draft("ATU", conference, "77"),
            action=Proposal.MOD,
            resolution=edition.resolution,
            base_edition=edition,
            reasons="Generated.",
        )
        for clause, action in plan:
            if action == "modify":
                words = clause.text.split(" ")
                at = data.draw(st.sampled_from([i for i in range(1, len(words) - 1) if "[^" not in words[i]]))
                words[at] = data.draw(st.sampled_from([w for w in WORDS if w != words[at]]))
                modify_clause(delegate, proposal, clause.key, " ".join(words), 0)
            elif action == "suppress":
                suppress_clause(delegate, proposal, clause.key)
            else:
                # The tool sets an added item's closing mark; words ending in "," before it ("Busan,;")
                # would read back as the ITU ",;" mark, so the text ends on a word.
                text = data.draw(sentence()).rstrip(";,.: ") + ";"
                add_clause(delegate, proposal, clause.key, "after", text=text)
        assert draft_of(proposal).problems == []

        imported, preview = import_roundtrip(proposal, fresh_draft("ATU", conference, "78"), tracked=tracked)

        assert preview.unplaced == []
        assert outline(imported) == outline(proposal)
        assert actions(imported) == actions(proposal)
        transaction.set_rollback(True)


# --- the preview -----------------------------------------------------------------------------------


def test_the_preview_lists_the_recognised_changes_and_saves_nothing(demo_db):
    original = demo_proposal("CITEL")
    before = saved()
    _, data = exported(original)

    preview = preview_docx_proposal("citel.docx", data, original.base_edition)

    assert "MOD " + preview.label == original.label and preview.reasons == original.reasons
    assert Counter(a.action for a in preview.amendments) == actions(original)
    for action in ("modify", "add", "suppress"):
        assert preview.counts[action] == actions(original)[action]
    # Changed and suppressed clauses are the very ones the group changed.
    assert {(a.action, a.target) for a in preview.amendments if a.action != "add"} == {
        (a.action, str(a.target.key)) for a in original.amendments.exclude(action="add")
    }
    assert preview.unplaced == [] and preview.other_proposals == []
    assert saved() == before


def test_a_line_that_fits_nowhere_is_listed_as_not_matched_and_the_rest_imports(demo_db):
    original = demo_proposal("ATU")
    name, data = exported(original)
    stray = "Editorial note: the secretariat will align the references before the meeting."
    formula = edition_tree(original.base_edition).enacting_formula.split("(")[0]
    edited = with_paragraph_after(data, formula, stray)

    preview = preview_docx_proposal(name, edited, original.base_edition)
    assert preview.unplaced == [stray]
    assert Counter(a.action for a in preview.amendments) == actions(original)

    client = Client()
    client.force_login(delegate_of("ATU"))
    target = fresh_draft("ATU", original.contribution.conference)
    page = client.post(
        f"/contributions/{target.pk}/import/",
        {"file": SimpleUploadedFile(name, edited), "edition": original.base_edition.pk},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Not matched" in html and stray in html
    upload = ProposalUpload.objects.get(contribution=target)
    imported = confirm_docx_proposal(delegate_of("ATU"), target, upload.pk)
    assert outline(imported) == outline(original)


# --- the pages -------------------------------------------------------------------------------------


@pytest.fixture
def atu_page(demo_db):
    """An ATU delegate's browser, a fresh ATU draft, and the ATU demo proposal exported."""
    original = demo_proposal("ATU")
    name, data = exported(original)
    client = Client()
    client.force_login(delegate_of("ATU"))
    return client, fresh_draft("ATU", original.contribution.conference), original, name, data


def post_file(client, contribution, name, data, edition):
    return client.post(
        f"/contributions/{contribution.pk}/import/",
        {"file": SimpleUploadedFile(name, data), "edition": edition.pk},
    )


def counts_line(counter: Counter) -> str:
    modified = counter["modify"]
    return (
        f"{modified} clause{'' if modified == 1 else 's'} modified, "
        f"{counter['add']} added, {counter['suppress']} suppressed."
    )


def test_preview_then_confirm_creates_the_proposal(atu_page):
    client, target, original, name, data = atu_page
    assert client.get(f"/contributions/{target.pk}/import/").status_code == 200
    proposals, amendments, _ = saved()

    page = post_file(client, target, name, data, original.base_edition)

    html = page.content.decode()
    assert page.status_code == 200
    assert original.label.split(" ", 1)[1] in html
    assert counts_line(actions(original)) in html
    upload = ProposalUpload.objects.get(contribution=target)
    assert f'name="upload" value="{upload.pk}"' in html
    assert saved()[:2] == (proposals, amendments)

    response = client.post(f"/contributions/{target.pk}/import/confirm/", {"upload": upload.pk})
    imported = Proposal.objects.get(contribution=target)
    assert response.status_code == 302 and response.url == imported.get_absolute_url()
    assert outline(imported) == outline(original) and actions(imported) == actions(original)
    assert not ProposalUpload.objects.filter(pk=upload.pk).exists()

    # The same upload a second time: a message, and nothing more is created.
    again = client.post(f"/contributions/{target.pk}/import/confirm/", {"upload": upload.pk}, follow=True)
    assert again.redirect_chain[0] == (f"/contributions/{target.pk}/import/", 302)
    assert "expired or was already imported" in again.content.decode()
    assert Proposal.objects.filter(contribution=target).count() == 1
    assert saved()[:2] == (proposals + 1, amendments + imported.amendments.count())


def test_dropping_the_upload_keeps_nothing(atu_page):
    client, target, original, name, data = atu_page
    before = saved()
    assert post_file(client, target, name, data, original.base_edition).status_code == 200
    upload = ProposalUpload.objects.get(contribution=target)

    response = client.post(
        f"/contributions/{target.pk}/import/confirm/", {"upload": upload.pk, "discard": "1"}
    )

    assert response.status_code == 302 and response.url == target.get_absolute_url()
    assert saved() == before
    assert not target.proposals.exists()


def test_a_new_upload_replaces_the_earlier_unconfirmed_one(atu_page):
    client, target, original, name, data = atu_page
    post_file(client, target, name, data, original.base_edition)
    first = ProposalUpload.objects.get(contribution=target)
    post_file(client, target, name, data, original.base_edition)
    assert list(ProposalUpload.objects.filter(contribution=target)) != [first]
    assert ProposalUpload.objects.filter(contribution=target).count() == 1
    stale = client.post(f"/contributions/{target.pk}/import/confirm/", {"upload": first.pk}, follow=True)
    assert "expired or was already imported" in stale.content.decode()
    assert not target.proposals.exists()


# --- bad input -------------------------------------------------------------------------------------


def _macro_enabled(data: bytes) -> bytes:
    def change(name, part):
        if name != "[Content_Types].xml":
            return part
        changed = part.replace(
            b"officedocument.wordprocessingml.document.main+xml",
            b"ms-word.document.macroEnabled.main+xml",
        )
        assert changed != part
        return changed

    return rezipped(data, change)


def _damaged_body(data: bytes) -> bytes:
    """The zip directory intact, the compressed bytes of word/document.xml garbled."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 10
    return data[:start] + bytes(b ^ 0x55 for b in data[start : start + 64]) + data[start + 64 :]


def _letter() -> bytes:
    document = Document()
    document.add_paragraph("Dear colleagues,")
    document.add_paragraph("Please find attached the agenda of the next meeting of the working group.")
    document.add_paragraph("Yours sincerely,")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BAD_FILES = {
    # id: (file name, make(data of the ATU document) -> bytes, words of the message, status)
    "empty": ("atu.docx", lambda d: b"", "empty", 400),
    "random bytes": ("atu.docx", lambda d: bytes(range(256)) * 64, "not a Word .docx", 400),
    "truncated": ("atu.docx", lambda d: d[: len(d) // 2], "not a Word .docx", 400),
    "damaged body": ("atu.docx", _damaged_body, "damaged", 400),
    "docm by name": ("atu.docm", lambda d: d, "is not a .docx file", 400),
    "docm by content": ("atu.docx", _macro_enabled, "macro-enabled", 400),
    "old doc": (
        "atu.doc",
        lambda d: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "is not a .docx file",
        400,
    ),
    "50 MB": ("atu.docx", lambda d: d + bytes(50 * 1024 * 1024), "largest file accepted", 413),
    "a letter": ("letter.docx", lambda d: _letter(), "no MOD proposal", 400),
}


def _edition(kind: str) -> Edition:
    if kind == "own":
        return demo_proposal("ATU").base_edition
    number = {"council": "1332", "wtdc": "30"}[kind]
    return Edition.objects.get(resolution__number=number)


WRONG_EDITIONS = {
    "Council Res 1332": ("council", "no MOD proposal on Resolution 1332"),
    "WTDC Res 30": ("wtdc", "no MOD proposal on Resolution 30"),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_a_bad_file_is_refused_on_the_page_with_a_message_and_nothing_saved(atu_page, case):
    client, target, original, _, data = atu_page
    name, make, words, status = BAD_FILES[case]
    before = saved()
    response = post_file(client, target, name, make(data), original.base_edition)
    assert response.status_code == status
    assert words in response.content.decode()
    assert saved() == before


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_a_bad_file_is_refused_by_the_services_and_nothing_saved(atu_page, case):
    _, target, original, _, data = atu_page
    name, make, words, status = BAD_FILES[case]
    before = saved()
    with pytest.raises(ImportProblem) as refused:
        stage_docx_proposal(delegate_of("ATU"), target, name, make(data), original.base_edition)
    assert words in refused.value.message and refused.value.status == status
    assert saved() == before


@pytest.mark.parametrize("case", list(WRONG_EDITIONS), ids=list(WRONG_EDITIONS))
def test_a_proposal_read_against_another_resolution_is_refused(atu_page, case):
    client, target, _, name, data = atu_page
    kind, words = WRONG_EDITIONS[case]
    before = saved()
    response = post_file(client, target, name, data, _edition(kind))
    assert response.status_code == 400 and words in response.content.decode()
    # The message names the proposal found, so the delegate can choose the right edition.
    assert "ATU/35A18/1" in response.content.decode()
    with pytest.raises(ImportProblem) as refused:
        stage_docx_proposal(delegate_of("ATU"), target, name, data, _edition(kind))
    assert words in refused.value.message and refused.value.status == 400
    assert saved() == before


def test_no_file_at_all_is_a_400_with_the_form_error(atu_page):
    client, target, original, _, _ = atu_page
    before = saved()
    response = client.post(f"/contributions/{target.pk}/import/", {"edition": original.base_edition.pk})
    assert response.status_code == 400 and "required" in response.content.decode()
    assert saved() == before


# --- who may import --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("observer", 404), ("citel-delegate", 404), ("secretariat", 404)]
)
def test_outsiders_cannot_import_into_a_groups_draft(atu_page, who, status):
    _, target, original, name, data = atu_page
    before = saved()
    client = Client()
    client.force_login(user(who))
    assert client.get(f"/contributions/{target.pk}/import/").status_code == status
    assert post_file(client, target, name, data, original.base_edition).status_code == status
    with pytest.raises(DomainError) as refused:
        stage_docx_proposal(user(who), target, name, data, original.base_edition)
    assert refused.value.status == 403
    assert saved() == before


def test_a_delegate_cannot_import_into_a_submitted_contribution(atu_page):
    client, _, original, name, data = atu_page
    submitted = original.contribution
    assert submitted.status == Contribution.SUBMITTED
    before = saved()
    assert post_file(client, submitted, name, data, original.base_edition).status_code == 403
    with pytest.raises(DomainError) as refused:
        stage_docx_proposal(delegate_of("ATU"), submitted, name, data, original.base_edition)
    assert refused.value.status == 409 and "no longer be edited" in refused.value.message
    assert saved() == before


def test_someone_elses_staged_upload_cannot_be_confirmed(atu_page):
    client, target, original, name, data = atu_page
    post_file(client, target, name, data, original.base_edition)
    upload = ProposalUpload.objects.get(contribution=target)
    before = saved()
    other = Client()
    other.force_login(user("atu-coordinator"))
    response = other.post(f"/contributions/{target.pk}/import/confirm/", {"upload": upload.pk}, follow=True)
    assert "expired or was already imported" in response.content.decode()
    assert saved() == before and not target.proposals.exists()


@pytest.mark.parametrize("tracked", [True, False], ids=["tracked", "plain"])
def test_a_suppressed_clause_takes_its_sub_items_with_it_there_and_back(demo_db, tracked):
    edition = demo_proposal("ATU").base_edition
    conference = demo_proposal("ATU").contribution.conference
    parent = next(c for c, _ in edition_tree(edition).walk() if c.kind == ITEM and len(c.children) > 2)
    delegate = delegate_of("ATU")
    proposal = add_proposal(
        delegate,
        fresh_draft("ATU", conference, "77"),
        action=Proposal.MOD,
        resolution=edition.resolution,
        base_edition=edition,
    )
    suppress_clause(delegate, proposal, parent.key)
    _, data = exported(proposal, tracked=tracked)

    # The proposed text has none of the sub-items: the document strikes them all out.
    proposed = "".join(p.text for p in read_contribution(data).proposals)
    for child, _ in parent.walk():
        assert " ".join(child.text.split()) not in " ".join(proposed.split())

    imported, preview = import_roundtrip(proposal, fresh_draft("ATU", conference, "78"), tracked=tracked)
    assert [(a.action, a.target) for a in preview.amendments] == [("suppress", parent.key)]
    assert outline(imported) == outline(proposal)


def test_a_stray_heading_that_would_make_an_empty_clause_is_refused_at_the_preview(atu_page):
    client, target, original, name, data = atu_page
    edited = with_paragraph_after(data, "resolves", "ANNEX")
    before = saved()
    response = post_file(client, target, name, edited, original.base_edition)
    html = response.content.decode()
    # Refused when it is read, not when the delegate confirms: the line to look at is named.
    assert response.status_code == 400
    assert f"text cannot be applied to {original.base_edition.name}" in html and "“ANNEX”" in html
    assert saved() == before


def test_the_form_offers_the_edition_the_groups_proposals_already_amend(demo_db):
    rcc = demo_proposal("RCC")
    client = Client()
    client.force_login(delegate_of("RCC"))
    html = client.get(f"/contributions/{rcc.contribution.pk}/import/").content.decode()
    assert f'<option value="{rcc.base_edition_id}" selected>' in html
