"""Importing editions into the library: structure saved, identity carried over, bad input refused whole."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings

from drafting.models import Clause, Edition, Footnote, Provision, Resolution
from drafting.services.library import ImportProblem, import_text, parse_text, read_upload
from tests.library_factories import RES75, RES1332, bodies, import_seed, res75_geneva_2022, seed

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (Resolution, Edition, Clause, Provision, Footnote))


def test_res75_is_saved_with_its_whole_tree():
    edition = import_seed()
    assert edition.revision == "Rev.\u00a0Hammamet, 2016"
    assert (edition.place, edition.year, edition.slug) == ("Hammamet", 2016, "hammamet-2016")
    clauses = list(edition.clauses.order_by("position"))
    assert len(clauses) == edition.clause_count == 70
    assert [c.position for c in clauses] == list(range(70))
    assert sum(1 for c in clauses if c.kind == "part") == 12
    ix = next(c for c in clauses if c.anchor == "considering-e-ix")
    assert ix.label == "ix)" and ix.depth == 2 and ix.parent.anchor == "considering-e"
    assert ix.parent.parent.heading == "considering"
    assert len({c.anchor for c in clauses}) == 70


def test_council_1332_keeps_its_footnote_annex_and_paragraph_anchors():
    edition = import_seed(RES1332, "Council", "1332")
    assert edition.slug == "edition-1"
    note = Footnote.objects.get()
    assert note.clause.anchor == "considering-f" and note.number == 1
    anchors = set(edition.clauses.values_list("anchor", flat=True))
    assert {"considering-e-p1", "considering-e-iv-dash3", "annex", "annex-h", "resolves-3-b"} <= anchors


def test_every_clause_has_its_history():
    edition = import_seed()
    assert Clause.history.filter(edition_id=edition.pk).count() == 70


def test_a_new_edition_keeps_the_identity_of_the_provisions_it_continues():
    old = import_seed()
    new = import_text(res75_geneva_2022(), body_code="WTSA", number="75").edition
    assert new.previous == old

    def provision(edition, anchor):
        return Clause.objects.get(edition=edition, anchor=anchor).provision_id

    # The old considering c) is the new d): one provision, relabelled.
    assert provision(old, "considering-c") == provision(new, "considering-d")
    assert provision(old, "considering-e-ix") == provision(new, "considering-f-ix")
    # The reworded item is still the same provision.
    assert provision(old, "considering-further-a") == provision(new, "considering-further-a")
    # The new item is a new provision; the suppressed one has no clause in the new edition.
    new_c = provision(new, "considering-c")
    assert not Clause.objects.filter(edition=old, provision_id=new_c).exists()
    gone = provision(old, "noting-d")
    assert not Clause.objects.filter(edition=new, provision_id=gone).exists()
    assert Resolution.objects.get().title == new.title


def test_reading_a_utf16_text_file():
    text = "RESOLUTION 1 (Geneva, 2022)\nTitle\nThe Assembly,\nresolves\n1\tto act.\n"
    assert read_upload("r.txt", text.encode("utf-16")).startswith("RESOLUTION 1")


@pytest.mark.parametrize(
    ("name", "data", "words", "status"),
    [
        ("empty.txt", b"", "empty", 400),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", 400),
        ("latin1.txt", "RESOLUTION 75 (Rev. Genève, 2022)".encode("latin-1"), "not UTF-8", 400),
        ("old.doc", b"\xd0\xcf\x11\xe0 old word", "Save it as a Word document", 400),
        ("notzip.docx", b"this is plain text pretending", "not a Word .docx", 400),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name, data, words, status):
    with pytest.raises(ImportProblem, match=words) as problem:
        read_upload(name, data)
    assert problem.value.status == status


def test_a_zip_that_is_not_a_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("a.txt", "a")
    with pytest.raises(ImportProblem, match="not a Word document"):
        read_upload("a.docx", buffer.getvalue())


def test_a_50_mb_file_is_refused_before_it_is_read():
    with pytest.raises(ImportProblem, match="50.0 MB") as problem:
        read_upload("huge.txt", b"a" * (50 * 1024 * 1024))
    assert problem.value.status == 413


@override_settings(MAX_UPLOAD_BYTES=1000)
def test_the_upload_limit_comes_from_the_settings():
    with pytest.raises(ImportProblem, match="largest file accepted"):
        read_upload("r.txt", b"a" * 1001)


def test_prose_is_not_a_resolution():
    with pytest.raises(ImportProblem, match="No resolution was recognised"):
        parse_text("Dear colleagues,\nplease find attached the minutes of the meeting.\n")


@pytest.mark.parametrize(
    ("body", "number", "text", "words", "status"),
    [
        ("WTSA", "76", RES75, "is Resolution 75, not Resolution 76", 400),
        ("ITU-X", "75", RES75, "no body called", 400),
        ("Council", "", RES1332, "give its number", 400),
    ],
)
def test_wrong_metadata_is_refused_and_nothing_is_saved(body, number, text, words, status):
    bodies()
    before = counts()
    with pytest.raises(ImportProblem, match=words) as problem:
        import_text(seed(text), body_code=body, number=number)
    assert problem.value.status == status
    assert counts() == before


def test_an_edition_that_already_exists_is_a_conflict_and_nothing_is_saved():
    import_seed()
    before = counts()
    with pytest.raises(ImportProblem, match="already has the edition") as problem:
        import_seed()
    assert problem.value.status == 409
    assert counts() == before


def test_the_same_text_under_no_revision_line_is_recognised_as_a_duplicate():
    import_seed(RES1332, "Council", "1332")
    before = counts()
    with pytest.raises(ImportProblem, match="already in the library") as problem:
        import_seed(RES1332, "Council", "1332")
    assert problem.value.status == 409
    assert counts() == before


def test_a_failure_half_way_leaves_nothing_behind(monkeypatch):
    bodies()
    from drafting.services import library

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(library, "bulk_create_with_history", broken)
    before = counts()
    with pytest.raises(RuntimeError):
        import_text(seed(RES75), body_code="WTSA", number="75")
    assert counts() == before


def test_radiocommunication_numbers_like_itu_r_61_3_are_kept_and_addressable(client):
    from drafting.models import Body

    Body.objects.get_or_create(code="RA", defaults={"name": "Radiocommunication Assembly"})
    text = (
        "RESOLUTION ITU\u2011R 61-3 (Rev. Sharm el-Sheikh, 2019)\n"
        "ITU-R's contribution in implementing the outcomes of the World Summit on the Information Society\n"
        "The ITU Radiocommunication Assembly,\n"
        "considering\n"
        "a)\tthe outcomes of WSIS,\n"
        "resolves\n"
        "1\tto continue its work.\n"
    )
    edition = import_text(text, body_code="RA", number="ITU-R 61-3").edition
    assert edition.resolution.number == "ITU-R 61-3"
    assert edition.resolution.slug == "itu-r-61-3"
    assert (edition.place, edition.year) == ("Sharm el-Sheikh", 2019)
    response = client.get("/resolutions/ra/itu-r-61-3/sharm-el-sheikh-2019/")
    assert response.status_code == 200
    assert "RESOLUTION ITU-R 61-3 (Rev. Sharm el-Sheikh, 2019)" in response.content.decode()
