"""The command-line entry points: import, export and the demo loader."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from drafting.engine.parse import parse_resolution
from drafting.models import Clause, Contribution, Edition, Resolution
from tests.conftest import SEEDS
from tests.library_factories import RES75, bodies, seed

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_resolution_prints_what_it_created():
    bodies()
    out = run("import_resolution", str(SEEDS / RES75), "--body", "WTSA", "--number", "75")
    assert (
        "Created WTSA Resolution 75 (Rev.\u00a0Hammamet, 2016), edition hammamet-2016: 12 parts, 58 items, 0 annexes"
        in out
    )
    assert Clause.objects.count() == 70


@pytest.mark.parametrize(
    ("make_file", "body", "words"),
    [
        (lambda tmp: tmp / "missing.txt", "WTSA", "Cannot read"),
        (
            lambda tmp: (tmp / "empty.txt").write_bytes(b"") and tmp / "empty.txt" or tmp / "empty.txt",
            "WTSA",
            "empty",
        ),
        (lambda tmp: SEEDS / RES75, "ITU-X", "no body called"),
    ],
)
def test_import_errors_exit_non_zero_and_save_nothing(tmp_path, make_file, body, words):
    bodies()
    path = make_file(tmp_path)
    with pytest.raises(CommandError, match=words):
        run("import_resolution", str(path), "--body", body, "--number", "75")
    assert not Edition.objects.exists() and not Resolution.objects.exists()


def test_export_edition_as_text_and_json():
    bodies()
    run("import_resolution", str(SEEDS / RES75), "--body", "WTSA", "--number", "75")
    text = run("export_edition", "--body", "WTSA", "--number", "75", "--format", "txt")
    assert parse_resolution(text).shape() == parse_resolution(seed(RES75)).shape()
    data = json.loads(
        run(
            "export_edition",
            "--body",
            "wtsa",
            "--number",
            "75",
            "--format",
            "json",
            "--edition",
            "hammamet-2016",
        )
    )
    assert data["edition"] == "hammamet-2016" and data["clauses"][7]["heading"] == "resolves"
    with pytest.raises(CommandError, match="has no edition 'geneva-2099'. Editions: hammamet-2016"):
        run("export_edition", "--body", "WTSA", "--number", "75", "--edition", "geneva-2099")
    with pytest.raises(CommandError, match="no WTSA Resolution 99"):
        run("export_edition", "--body", "WTSA", "--number", "99")


def test_load_demo_twice_changes_nothing_the_second_time():
    run("load_demo")
    first = (
        Resolution.objects.count(),
        Edition.objects.count(),
        Clause.objects.count(),
        Contribution.objects.count(),
    )
    run("load_demo")
    assert (
        Resolution.objects.count(),
        Edition.objects.count(),
        Clause.objects.count(),
        Contribution.objects.count(),
    ) == first
    assert first == (3, 3, first[2], 3)
