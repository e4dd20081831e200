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
pytestmark = pytest.mark.django_db


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
