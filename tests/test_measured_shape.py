"""docker compose runs the app in the shape the load test measures, so the README's figures hold
for it: the same gunicorn workers, threads and worker class, the live poll in front of Django,
the same poll interval and persistent connections."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _loadtest() -> str:
    """The load test's scripts: the run, and the stack it starts (scripts/loadtest/stack.sh)."""
    folder = ROOT / "scripts" / "loadtest"
    return (folder / "run").read_text() + (folder / "stack.sh").read_text()


def _web_environment() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["environment"]


def _default(script: str, name: str) -> str:
    return re.search(r"\$\{" + name + r":-([^}]+)\}", script).group(1)


def test_compose_and_the_load_test_run_gunicorn_alike():
    web = _web_environment()
    entrypoint = (ROOT / "docker" / "entrypoint.sh").read_text()
    loadtest = _loadtest()
    for script in (entrypoint, loadtest):
        assert "drafting.wsgi:application" in script
        assert "--worker-class gthread" in script
        assert _default(script, "WEB_CONCURRENCY") == web["WEB_CONCURRENCY"]
        assert _default(script, "GUNICORN_THREADS") == web["GUNICORN_THREADS"]
        assert '--keep-alive "${GUNICORN_KEEPALIVE:-20}"' in script
    assert "CONN_MAX_AGE=60" in loadtest and web["CONN_MAX_AGE"] == "60"


def test_compose_polls_as_often_as_the_load_test_and_the_settings_default():
    from drafting import settings

    web = _web_environment()
    loadtest = _loadtest()
    poll_s = float(re.search(r"LOADTEST_POLL_S:-([0-9.]+)", loadtest).group(1))
    assert int(web["LIVE_POLL_MS"]) == settings.LIVE_POLL_MS == int(poll_s * 1000)


def test_the_wsgi_entry_point_answers_the_live_poll_in_front_of_django():
    from drafting.live.wsgi import LiveChannelApp
    from drafting.wsgi import application

    assert isinstance(application, LiveChannelApp)
