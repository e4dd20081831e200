"""Property-based fuzzing of the whole API from its OpenAPI schema (schemathesis, in-process WSGI).

For every operation, generated requests (valid and invalid bodies, path and query values)
are sent over HTTP Basic, as a delegate for drafting and as the secretariat otherwise: no
answer is a 5xx, and a refused request (4xx) changes nothing. Bounded examples keep it well under a minute per
database.
"""

from __future__ import annotations

import base64

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from tests.drafting_factories import writable_state

PASSWORD = "drafting-demo"
pytestmark = [pytest.mark.django_db, pytest.mark.http_surface]  # once: tests/conftest.py, shares


def _load_schema():
    """The app's own OpenAPI schema, its requests sent to the app in-process (WSGI)."""
    import json

    from drafting.api import api
    from drafting.wsgi import application

    loaded = schemathesis.openapi.from_dict(
        json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))
    )
    loaded.app = application
    loaded.location = "/api/openapi.json"
    return loaded


schema = _load_schema()


def _basic(username: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def fuzz_world(demo_db, db):
    """The demo (committed once for the module); each operation's examples run in one rolled-back test.

    The WSGI handler closes database connections at the end of each request; as Django's own
    test client does, that is switched off, or the test's transaction would be closed under it.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"secretariat": _basic("secretariat"), "rcc-delegate": _basic("rcc-delegate")}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_request_to_the_api_gives_a_server_error_or_a_partial_write(case, fuzz_world):
    # The drafting operations as a delegate of the group whose draft the demo has; the rest as the
    # secretariat, who may do the most.
    drafting = any(word in case.path for word in ("/proposals", "/contributions"))
    headers = fuzz_world["rcc-delegate" if drafting else "secretariat"]
    before = writable_state()
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:500])
    if response.status_code >= 400:
        assert writable_state() == before, (case.method, case.formatted_path, case.body, response.status_code)


# --- the same bodies under other Content-Types, and with characters no text holds (issue 22) ---------

# What a script may send: the JSON body labelled otherwise, or not at all. The API reads JSON whatever
# the header says, so every one of them must meet the same check at the door.
CONTENT_TYPES = ["text/plain", "Application/JSON", ""]
HOSTILE_STRINGS = ["a\x00b", "a\ud800b", "\\ud800 typed"]


def _with_hostile_text(body, hostile: str):
    """The body with its first text value (at any depth) replaced by ``hostile``; None if it has none."""
    if isinstance(body, str):
        return hostile
    if isinstance(body, dict):
        for key, value in body.items():
            replaced = _with_hostile_text(value, hostile)
            if replaced is not None:
                return {**body, key: replaced}
    if isinstance(body, list):
        for i, value in enumerate(body):
            replaced = _with_hostile_text(value, hostile)
            if replaced is not None:
                return [*body[:i], replaced, *body[i + 1 :]]
    return None


@schema.parametrize()
@settings(
    max_examples=1,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_json_bodies_under_any_content_type_and_with_hostile_text_give_no_server_error(case, fuzz_world):
    import json

    from django.test import Client

    if case.method.upper() not in ("POST", "PUT", "PATCH", "DELETE") or not isinstance(
        case.body, dict | list
    ):
        return
    drafting = any(word in case.path for word in ("/proposals", "/contributions"))
    who = "rcc-delegate" if drafting else "secretariat"
    client = Client(HTTP_AUTHORIZATION=fuzz_world[who]["Authorization"])
    url = case.formatted_path
    bodies = [case.body] + [b for h in HOSTILE_STRINGS if (b := _with_hostile_text(case.body, h)) is not None]
    before = writable_state()
    for i, body in enumerate(bodies):
        raw = json.dumps(body)  # lone surrogates travel escaped, as JSON writes them
        # Each body under one of the types in turn: every type is met across the operations.
        content_type = CONTENT_TYPES[(i + len(case.path)) % len(CONTENT_TYPES)]
        response = getattr(client, case.method.lower())(url, raw, content_type=content_type)
        assert response.status_code < 500, (case.method, url, content_type, raw[:200], response.content[:300])
        if response.status_code >= 400:
            assert writable_state() == before, (case.method, url, content_type, raw[:200])
        else:
            before = writable_state()


# --- sequences of calls, as an officer and as a delegate ---------------------------------------------


@pytest.mark.parametrize("who", ["secretariat", "rcc-delegate"])
def test_sequences_of_calls_give_no_server_error_and_a_refused_one_writes_nothing(fuzz_world, who):
    """schemathesis's stateful phase: operations chained through the links it infers from the schema
    (a contribution made, then its proposals read, a clause saved, the consolidation settled...), each
    answer's ids feeding the next call."""
    headers = fuzz_world[who]
    base = schema.as_state_machine()

    class Workflow(base):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def before_call(self, case):
            self._before = writable_state()

        def validate_response(self, response, case, **kwargs):
            assert response.status_code < 500, (
                case.method,
                case.formatted_path,
                case.body,
                response.text[:500],
            )
            if response.status_code >= 400:
                assert writable_state() == self._before, (
                    case.method,
                    case.formatted_path,
                    response.status_code,
                )

    Workflow.run(
        settings=settings(
            max_examples=6,
            stateful_step_count=5,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
