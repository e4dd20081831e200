"""Backup and restore of the PostgreSQL database, as README "Backup and restore" tells (issue 11).

pg_dump of the database in use, pg_restore into a new, empty database, and every edition,
proposal, amendment, decision and history record is found there, row for row. PostgreSQL
only: the suite's PostgreSQL run (mandatory in CI) runs it; SQLite's backup is a file copy.
"""

from __future__ import annotations

import glob
import shutil
import subprocess
import uuid

import pytest
from django.apps import apps
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore: PostgreSQL only"),
]


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[::-1]), None
    )
    if found is None:
        pytest.fail(f"{name} is not installed (Debian's postgresql package brings it)")
    return found


def _url(database: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgresql://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{database}"


def _counts(cursor) -> dict[str, int]:
    """Rows in every table of the drafting app (history records included) and of users and roles."""
    tables = [m._meta.db_table for m in apps.get_app_config("drafting").get_models()]
    tables += ["auth_user", "auth_group", "auth_user_groups"]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _fingerprint(cursor) -> list:
    """What a restore must give back exactly: texts and versions of the records people work on."""
    queries = [
        "SELECT slug, title, history_line FROM drafting_edition ORDER BY id",
        "SELECT id, action, reasons, version FROM drafting_proposal ORDER BY id",
        "SELECT id, action, text, version FROM drafting_amendment ORDER BY id",
        "SELECT key, choice, text, note, version FROM drafting_decision ORDER BY id",
        "SELECT history_id, text, history_type FROM drafting_historicalclause ORDER BY history_id",
    ]
    found = []
    for query in queries:
        cursor.execute(query)
        found.append(cursor.fetchall())
    return found


def test_a_dump_restored_into_a_fresh_database_holds_every_record(demo_db, tmp_path):
    import psycopg

    with connection.cursor() as cursor:
        before, fingerprint = _counts(cursor), _fingerprint(cursor)
    # The demo has editions, proposals with their amendments, decisions and their history.
    for table in (
        "drafting_edition",
        "drafting_proposal",
        "drafting_amendment",
        "drafting_historicalamendment",
        "drafting_historicalclause",
    ):
        assert before[table] > 0, table

    dump = tmp_path / "drafting.dump"
    subprocess.run(
        [_tool("pg_dump"), "--format=custom", f"--file={dump}", _url(connection.settings_dict["NAME"])],
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = f"restored_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        subprocess.run(
            [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={_url(fresh)}", str(dump)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        with psycopg.connect(_url(fresh)) as restored, restored.cursor() as cursor:
            assert _counts(cursor) == before
            assert _fingerprint(cursor) == fingerprint
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
