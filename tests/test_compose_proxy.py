"""The production shape is the measured shape: docker-compose.yml ships the proxy (Caddy, docker/Caddyfile)
that routes /live/stream to the live service, unbuffered, and everything else to the web service, so
pages hold a stream by default; the live service runs one process whatever the environment says; and
the load test runs the same Caddyfile on loopback (with Debian's caddy, as this test does).

There is no Docker engine here: compose is read as configuration (tests/test_deployment.py's reader);
the Caddyfile is adapted by caddy itself and run, on loopback, in front of two small servers."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.test_deployment import GOOD_KEY, compose
from tests.test_measured_shape import _loadtest

ROOT = Path(__file__).resolve().parent.parent
CADDYFILE = ROOT / "docker" / "Caddyfile"
ENV = {"SECRET_KEY": GOOD_KEY, "POSTGRES_PASSWORD": "pw"}


def _caddy() -> str:
    found = shutil.which("caddy")
    if found is None:
        pytest.fail("caddy is missing: scripts/install-debian-packages installs it (apt-get install caddy)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_compose_ships_the_proxy_as_the_one_door_with_pages_holding_a_stream_by_default():
    services = compose(ENV)
    proxy, web, live = services["proxy"], services["web"], services["live"]
    assert proxy["image"].startswith("caddy:2")
    assert "./docker/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert proxy["environment"] == {
        "SITE_ADDRESS": ":80",
        "WEB_UPSTREAM": "web:8000",
        "LIVE_UPSTREAM": "live:8001",
    }
    # On loopback unless told otherwise; web and live are reached through the proxy only.
    assert proxy["ports"] == ["127.0.0.1:80:80", "127.0.0.1:443:443", "127.0.0.1:443:443/udp"]
    public = compose({**ENV, "BIND_ADDRESS": "0.0.0.0", "SITE_ADDRESS": "drafting.example.org"})["proxy"]
    assert (
        public["ports"][0] == "0.0.0.0:80:80"
        and public["environment"]["SITE_ADDRESS"] == "drafting.example.org"
    )
    assert "ports" not in web and "ports" not in live
    assert web["environment"]["LIVE_STREAM_URL"] == "/live/stream"
    assert web["environment"]["BEHIND_PROXY"] == "1"
    assert set(proxy["depends_on"]) == {"web", "live"}


def test_the_live_service_runs_one_process_whatever_web_concurrency_says():
    live = compose(ENV)["live"]
    command = live["command"]
    assert command[command.index("--workers") + 1] == "1"
    loadtest = _loadtest()
    assert "drafting.live.stream:app" in loadtest and "--workers 1" in loadtest
    # And the load test runs the proxy compose ships.
    assert "docker/Caddyfile" in loadtest


def _routes(env: dict[str, str]) -> list[dict]:
    adapted = subprocess.run(
        [_caddy(), "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env={**os.environ, **env}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    config = json.loads(adapted.stdout)
    assert config["admin"] == {"disabled": True}
    (server,) = config["apps"]["http"]["servers"].values()
    return server["routes"]


def _handlers(route: dict) -> list[dict]:
    return [h for sub in route["handle"] for r in sub["routes"] for h in r["handle"]]


def test_the_caddyfile_routes_the_stream_to_the_live_service_unbuffered_and_the_rest_to_web():
    stream, rest = _routes(compose(ENV)["proxy"]["environment"])
    assert stream["match"] == [{"path": ["/live/stream"]}]
    (proxy,) = _handlers(stream)  # no compression of the stream
    assert proxy["upstreams"] == [{"dial": "live:8001"}] and proxy["flush_interval"] == -1
    assert "match" not in rest
    encode, proxy = _handlers(rest)
    assert encode["handler"] == "encode" and proxy["upstreams"] == [{"dial": "web:8000"}]
    # Two web process groups behind it (the scale-out on loopback): both upstreams, balanced.
    _, rest = _routes({"WEB_UPSTREAM": "127.0.0.1:8101 127.0.0.1:8102"})
    assert _handlers(rest)[1]["upstreams"] == [{"dial": "127.0.0.1:8101"}, {"dial": "127.0.0.1:8102"}]


class _Web(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(
            {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "pad": "x" * 4000}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Live(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    release = threading.Event()

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b'data: {"kind": "first"}\n\n')
        self.wfile.flush()
        # The second event only once the client has the first: a proxy that buffers never gets here.
        if self.release.wait(10):
            self.wfile.write(b'data: {"kind": "second"}\n\n')
            self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def proxied(tmp_path):
    """Debian's caddy with docker/Caddyfile on loopback, in front of a web and a live server."""
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), handler) for handler in (_Web, _Live)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    port = _free_port()
    env = {
        **os.environ,
        "SITE_ADDRESS": f"http://127.0.0.1:{port}",
        "WEB_UPSTREAM": f"127.0.0.1:{servers[0].server_port}",
        "LIVE_UPSTREAM": f"127.0.0.1:{servers[1].server_port}",
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    caddy = subprocess.Popen(
        [_caddy(), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert caddy.poll() is None and time.monotonic() < deadline, "caddy did not start"
            time.sleep(0.1)
    yield port
    _Live.release.set()
    caddy.terminate()
    caddy.wait(timeout=10)
    for server in servers:
        server.shutdown()


def test_on_loopback_the_proxy_passes_each_event_on_at_once_and_pages_compressed(proxied):
    connection = http.client.HTTPConnection("127.0.0.1", proxied, timeout=10)
    connection.request("GET", "/live/stream?c=x", headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    assert response.status == 200 and "Content-Encoding" not in response.headers
    assert response.readline() == b'data: {"kind": "first"}\n'  # before the server sends more
    _Live.release.set()
    response.readline()
    assert response.readline() == b'data: {"kind": "second"}\n'
    connection.close()

    connection = http.client.HTTPConnection("127.0.0.1", proxied, timeout=10)
    connection.request("GET", "/proposals/1/", headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    assert response.status == 200 and response.headers["Content-Encoding"] == "gzip"
    import gzip

    seen = json.loads(gzip.decompress(response.read()))
    assert seen["path"] == "/proposals/1/"
    # What the app reads behind it: the client's address and scheme, the host it asked for.
    assert seen["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert seen["headers"]["x-forwarded-proto"] == "http"
    assert seen["headers"]["host"] == f"127.0.0.1:{proxied}"
