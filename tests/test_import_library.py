"""Importing a whole folder of resolutions in one command: a report per file, nothing half-imported."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from drafting.demo.corpus import generate_corpus, write_corpus
from drafting.engine.citations import parse_citations
from drafting.engine.docx_write import edition_docx
from drafting.engine.parse import parse_resolution
from drafting.models import Citation, Clause, Edition, Resolution
from drafting.services.citations.stale import stale_citations
from tests.citation_factories import bodies

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("import_library", *args, stdout=out)
    except CommandError as e:
        return out.getvalue(), e
    return out.getvalue(), None


def test_the_synthetic_corpus_is_realistic_and_every_text_reads_back():
    corpus = generate_corpus(resolutions=60, citations=1000, seed=5)
    assert {r.body for r in corpus} == {"PP", "WTSA", "WTDC", "RA", "Council"}
    total = 0
    for r in corpus:
        parsed = parse_resolution(r.text())
        assert parsed.parts and (r.body == "Council" or parsed.number == r.number)
        total += sum(len(parse_citations(c.text)) for c, _ in parsed.walk())
    assert 950 <= total <= 1100
    assert generate_corpus(resolutions=60, citations=1000, seed=5)[7].text() == corpus[7].text()


def test_a_folder_is_imported_with_a_report_per_file(tmp_path):
    bodies()
    corpus = generate_corpus(resolutions=25, citations=300, seed=2)
    write_corpus(tmp_path, corpus)
    # A .docx, a broken file, an empty one, a file nobody can tell the body of, and a duplicate.
    council = next(r for r in corpus if r.body == "Council")
    (tmp_path / council.filename).unlink()
    (tmp_path / council.filename.replace(".txt", ".docx")).write_bytes(
        edition_docx(parse_resolution(council.text()), council.number)
    )
    (tmp_path / "zz-broken.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "zz-empty.txt").write_bytes(b"")
    (tmp_path / "zz-notes.txt").write_text(
        "considering\na)\tsomething,\nresolves\n1\tto act.\n", encoding="utf-8"
    )
    (tmp_path / "zz-copy.txt").write_text(corpus[0].text(), encoding="utf-8")
    (tmp_path / "readme.md").write_text("not a resolution", encoding="utf-8")

    out, error = run(str(tmp_path))
    lines = out.splitlines()
    assert str(error) == "4 files not imported: see above."
    assert len([line for line in lines if line.startswith("created  ")]) == 25
    assert f"created  {council.filename.replace('.txt', '.docx')}: Council Resolution {council.number}" in out
    assert "FAILED   zz-broken.txt: This is not a text file: it contains binary data." in out
    assert "FAILED   zz-empty.txt: The file is empty: there is nothing to import." in out
    assert "FAILED   zz-notes.txt: whose resolution this is cannot be told" in out
    assert (
        f"FAILED   zz-copy.txt: {corpus[0].body} Resolution {corpus[0].number} already has the edition" in out
    )
    assert lines[-1].startswith("25 created, 4 failed, ")
    assert Edition.objects.count() == 25 and Resolution.objects.count() == 25
    ra = next(r for r in corpus if r.body == "RA")
    assert Resolution.objects.filter(body__code="RA", number=ra.number).exists()  # "ITU-R 3" from the text
    # Every file's citations are in the graph, linked to each other once all are in.
    assert Citation.objects.filter(clause__isnull=False).count() == sum(
        int(line.split(", ")[-1].split()[0]) for line in lines if line.startswith("created  ")
    )
    assert Citation.objects.filter(cited_edition__isnull=False).count() > 100


def test_a_failing_file_leaves_nothing_of_itself(tmp_path, monkeypatch):
    bodies()
    corpus = generate_corpus(resolutions=3, citations=30, seed=4)
    write_corpus(tmp_path, corpus)
    from drafting.services.citations import CitationProblem, indexing

    real = indexing.index_editions

    def fail_on_second(editions, **kwargs):
        resolution = editions[0].resolution
        if (resolution.body.code, resolution.number) == (corpus[1].body, corpus[1].number):
            raise CitationProblem("the citation index failed")
        return real(editions, **kwargs)

    monkeypatch.setattr(indexing, "index_editions", fail_on_second)
    out, error = run(str(tmp_path))
    assert f"FAILED   {corpus[1].filename}: the citation index failed" in out
    assert str(error) == "1 file not imported: see above."
    # The other files are in; the failing one left no resolution, edition, clause or citation behind.
    assert Edition.objects.count() == 2
    assert not Resolution.objects.filter(number=corpus[1].number, body__code=corpus[1].body).exists()
    assert Clause.objects.count() == sum(e.clause_count for e in Edition.objects.all())
    assert not Citation.objects.exclude(edition__in=Edition.objects.all()).exists()


def test_the_body_can_be_given_for_every_file(tmp_path):
    bodies()
    (tmp_path / "res7.txt").write_text(
        "RESOLUTION 7 (Rev. Kigali, 2022)\nA title\n(Kigali, 2022)\nconsidering\na)\tPP Resolution 140 (Rev. Bucharest, 2022),\n"
        "resolves\n1\tto act.\n",
        encoding="utf-8",
    )
    out, error = run(str(tmp_path), "--body", "WTDC")
    assert (
        error is None
        and "created  res7.txt: WTDC Resolution 7 (Rev. Kigali, 2022): 2 parts, 2 items, 1 citations" in out
    )


def test_a_folder_that_is_not_there_or_holds_nothing_is_refused(tmp_path):
    assert "is not a folder" in str(run(str(tmp_path / "nowhere"))[1])
    assert "holds no .txt or .docx file" in str(run(str(tmp_path))[1])


def test_importing_in_any_order_gives_the_same_graph(tmp_path):
    bodies()
    corpus = generate_corpus(resolutions=20, citations=200, seed=9)
    write_corpus(tmp_path, list(reversed(corpus)))
    run(str(tmp_path))
    forward = sorted(
        Citation.objects.values_list("text", "cited_resolution__number", "cited_edition__slug"), key=str
    )
    stale = [(str(g.cited), g.citation_count) for g in stale_citations()]
    from drafting.services.citations.indexing import rebuild_graph

    rebuild_graph()
    assert (
        sorted(
            Citation.objects.values_list("text", "cited_resolution__number", "cited_edition__slug"), key=str
        )
        == forward
    )
    assert [(str(g.cited), g.citation_count) for g in stale_citations()] == stale


def test_the_graph_can_be_rebuilt_by_command(tmp_path):
    bodies()
    write_corpus(tmp_path, generate_corpus(resolutions=12, citations=120, seed=1))
    run(str(tmp_path))
    before = Citation.objects.count()
    out = io.StringIO()
    call_command("rebuild_citations", stdout=out)
    assert out.getvalue().startswith(f"{before} citations indexed")
    assert Citation.objects.count() == before
