"""Running the suite's OpenID Connect provider (tests/oidc_provider.py) and signing in through it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Provider:
    """A provider process on loopback: its issuer URL, its users, and what it was asked."""

    def __init__(self, url: str):
        self.url = url

    @property
    def discovery(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def set_user(self, sub: str, **claims) -> None:
        requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10).raise_for_status()

    def seen(self) -> dict:
        return requests.get(f"{self.url}/_seen", timeout=10).json()

    def authorize(self, authorize_url: str, sub: str) -> str:
        """What a person does on the provider's page: choose who they are; the URL it sends the browser back to."""
        assert authorize_url.startswith(self.url), authorize_url
        with requests.Session() as browser:
            page = browser.get(authorize_url, timeout=10)
            assert page.status_code == 200, page.text[:500]
            answer = browser.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:500]
        return answer.headers["Location"]


@contextmanager
def running_provider(*, token_max_age: int = 3600):
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.oidc_provider",
            "--port",
            str(port),
            "--token-max-age",
            str(token_max_age),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # until the provider answers (or has died)
            if process.poll() is not None:
                raise RuntimeError(f"the OIDC provider exited: {process.stderr.read().decode()[-2000:]}")
            try:
                if requests.get(f"{url}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the OIDC provider did not start within 60 s")
            time.sleep(0.05)
        yield Provider(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def configure(settings, provider: Provider, **overrides) -> None:
    """Single sign-on on, against this provider, with the claim names the tests' users carry."""
    values = {
        "SSO_ENABLED": True,
        "OIDC_ISSUER": provider.url,
        "OIDC_DISCOVERY_URL": provider.discovery,
        "OIDC_CLIENT_ID": "drafting-tool",
        "OIDC_CLIENT_SECRET": "client-secret-for-tests",
        "OIDC_SCOPES": "openid email profile",
        "OIDC_CLAIM_EMAIL": "email",
        "OIDC_CLAIM_NAME": "name",
        "OIDC_CLAIM_ADMINISTRATION": "administration",
        "OIDC_CLAIM_GROUP": "regional_group",
        "OIDC_CLAIM_ROLE": "role",
        "OIDC_UNMATCHED_GROUP": "observer",
        "OIDC_PROVIDER_NAME": "ITU account",
    }
    values.update(overrides)
    for name, value in values.items():
        setattr(settings, name, value)


def local(url: str) -> str:
    """The path and query of an absolute URL on the test server, for Django's test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running
