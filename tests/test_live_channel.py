"""The live channel: a save announces itself; open pages learn of it cheaply, in any process."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from drafting import live
from drafting.live.wsgi import LiveChannelApp
from drafting.models import Clause, LiveEvent
from drafting.models.people import DELEGATES, OBSERVERS
from drafting.services.amendments import modify_clause
from drafting.services.tokens import create_token
from tests.drafting_factories import base_edition, group, mod_proposal, person

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def world(db):
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    amina = person("amina", DELEGATES, atu)
    person("kwame", DELEGATES, atu)
    key = str(Clause.objects.get(edition=edition, anchor="considering-a").provision.key)
    return proposal, key, amina


def _poll(client, live_pass, after=0):
    return client.get("/live/events", {"c": live_pass, "after": after})


def test_a_save_announces_the_new_version_once_committed(world, django_capture_on_commit_callbacks):
    proposal, key, amina = world
    channel = live.proposal_channel(proposal.pk)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        modify_clause(amina, proposal, key, "new text;", expected_version=0)
    # Nothing is visible before the commit: a rolled-back save announces nothing.
    assert not LiveEvent.objects.filter(channel=channel).exists()
    for callback in pending:
        callback()
    proposal.refresh_from_db()
    event = LiveEvent.objects.get(channel=channel)
    assert (event.kind, event.data) == ("changed", {"version": proposal.version})


def test_the_poll_answers_204_until_something_changes_then_the_events(
    world, client, django_capture_on_commit_callbacks
):
    proposal, key, amina = world
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    assert _poll(client, live_pass).status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        modify_clause(amina, proposal, key, "new text;", expected_version=0)
    response = _poll(client, live_pass)
    assert response.status_code == 200
    body = response.json()
    proposal.refresh_from_db()
    assert [(e["kind"], e["data"]) for e in body["events"]] == [("changed", {"version": proposal.version})]
    assert _poll(client, live_pass, after=body["last"]).status_code == 204


def test_a_forged_expired_or_foreign_pass_is_refused(world, client, settings):
    proposal, _, _ = world
    assert _poll(client, "proposal:1|1:forged:sig").status_code == 403
    assert _poll(client, "").status_code == 403
    good = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    assert _poll(client, good, after="x").status_code == 400
    settings.LIVE_TOKEN_MAX_AGE = -1
    assert _poll(client, good).status_code == 403


def test_other_small_events_travel_on_the_same_channel(world, client, django_capture_on_commit_callbacks):
    proposal, key, _ = world
    channel = live.proposal_channel(proposal.pk)
    with django_capture_on_commit_callbacks(execute=True):
        live.publish(channel, "presence", {"user": "amina", "key": key, "editing": True})
    body = _poll(client, live.pass_for(channel, can_edit=False)).json()
    assert body["events"][0]["kind"] == "presence"
    assert body["events"][0]["data"] == {"user": "amina", "key": key, "editing": True}
    with pytest.raises(ValueError):
        live.publish(channel, "presence", {"blob": "x" * 5000})
    with pytest.raises(ValueError):
        live.publish("users:1", "changed")


def test_the_editor_page_carries_a_pass_for_its_own_channel_only(world):
    proposal, _, amina = world
    client = Client()
    client.force_login(amina)
    html = client.get(proposal.get_absolute_url()).content.decode()
    live_pass = re.search(r'data-live-pass="([^"]+)"', html).group(1)
    assert live.read_pass(live_pass) == (live.proposal_channel(proposal.pk), True)
    assert 'src="/static/drafting/live.js"' in html


def test_an_observer_cannot_see_a_draft_nor_get_its_pass(world):
    proposal, _, _ = world
    client = Client()
    client.force_login(person("olga", OBSERVERS))
    response = client.get(proposal.get_absolute_url())
    assert response.status_code in (403, 404)
    assert b"data-live-pass" not in response.content


def _environ(path: str, query: str) -> dict:
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "wsgi.url_scheme": "http"}


@pytest.fixture(autouse=True)
def _keep_the_test_transaction(monkeypatch):
    # As Django's test client does: the per-request connection cleanup would close the
    # connection holding the test's transaction.
    monkeypatch.setattr("drafting.live.wsgi.close_old_connections", lambda: None)


def _call(app, environ):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


def test_the_fast_path_answers_a_poll_with_one_query_and_no_session(world, django_assert_num_queries):
    proposal, _, _ = world
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)

    def django_app(environ, start_response):  # pragma: no cover - must not be reached
        raise AssertionError("the poll went through Django")

    app = LiveChannelApp(django_app)
    with django_assert_num_queries(1) as captured:
        status, headers, body = _call(app, _environ("/live/events", f"c={live_pass}&after=0"))
    assert status.startswith("204") and body == b""
    assert "django_session" not in captured.captured_queries[0]["sql"]
    status, _, _ = _call(app, _environ("/live/events", "c=nonsense"))
    assert status.startswith("403")


def test_a_new_version_is_rendered_once_then_served_from_the_cache(
    world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    proposal, key, amina = world
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        modify_clause(amina, proposal, key, "the cached text;", expected_version=0)
    proposal.refresh_from_db()
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    query = f"v={proposal.version}&c={live_pass}"
    first = Client().get(f"/live/proposals/{proposal.pk}/draft?{query}", HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and b"cached text" in first.content

    def django_app(environ, start_response):  # pragma: no cover - must not be reached
        raise AssertionError("a cached version went through Django")

    with django_assert_num_queries(0):
        status, _, body = _call(
            LiveChannelApp(django_app), _environ(f"/live/proposals/{proposal.pk}/draft", query)
        )
    assert status.startswith("200") and body == first.content
    # Another proposal's pass does not open this draft.
    other = live.pass_for(live.proposal_channel(proposal.pk + 1), can_edit=True)
    refused = Client().get(f"/live/proposals/{proposal.pk}/draft?v={proposal.version}&c={other}")
    assert refused.status_code == 403


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s.get('PASSWORD') or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _start_server(port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "drafting.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    import requests

    deadline = time.monotonic() + 90  # Django starting in a new process on a loaded machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode())
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


@pytest.mark.django_db(transaction=True)
def test_a_save_through_one_server_process_reaches_a_page_served_by_another(settings):
    import requests

    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    amina = person("amina", DELEGATES, atu)
    person("kwame", DELEGATES, atu)
    key = str(Clause.objects.get(edition=edition, anchor="considering-a").provision.key)
    _, token = create_token(amina, "test")

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TASKS_BACKEND": "immediate",
    }
    ports = [_free_port(), _free_port()]
    servers = [_start_server(port, env) for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_until_up(port, server)
        one, two = (f"http://127.0.0.1:{port}" for port in ports)

        # Kwame opens the editor through server two.
        kwame = requests.Session()
        kwame.get(f"{two}/accounts/login/")
        login = kwame.post(
            f"{two}/accounts/login/",
            data={"username": "kwame", "password": "pw", "csrfmiddlewaretoken": kwame.cookies["csrftoken"]},
            headers={"Referer": f"{two}/accounts/login/"},
        )
        assert login.status_code == 200 and "Log out" in login.text
        page = kwame.get(f"{two}/proposals/{proposal.pk}/").text
        live_pass = re.search(r'data-live-pass="([^"]+)"', page).group(1)
        after = int(re.search(r'data-live-after="(\d+)"', page).group(1))
        version = int(re.search(r'data-version="(\d+)"', page).group(1))
        poll = {"c": live_pass, "after": after}
        assert requests.get(f"{two}/live/events", params=poll).status_code == 204

        # Amina saves through server one, with her API token.
        saved = requests.put(
            f"{one}/api/proposals/{proposal.pk}/clauses/{key}",
            json={"text": "saved through process one;", "version": 0},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert saved.status_code == 200, saved.text

        # Kwame's page, polling server two (without its session cookie), learns of it...
        news = requests.get(f"{two}/live/events", params=poll)
        assert news.status_code == 200
        event = news.json()["events"][-1]
        assert event["kind"] == "changed" and event["data"]["version"] > version
        # ...and fetches the new draft from server two.
        draft = requests.get(
            f"{two}/live/proposals/{proposal.pk}/draft",
            params={"v": event["data"]["version"], "c": live_pass},
            headers={"HX-Request": "true"},
        )
        assert draft.status_code == 200 and "saved through process one" in draft.text
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
