"""The stream server closes connections that never send a request (issue 22, item 6).

uvicorn closes an idle keep-alive connection after ``--timeout-keep-alive``, but not one that never
sent a request at all: 1,000 such connections were still open after 20 s, each holding a socket and a
slot of the process. The live service runs uvicorn with ``drafting.live.protocol``'s HTTP protocol,
which gives the first request's head the same few seconds. Run here as compose runs it, on loopback.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from tests.test_live_channel import ROOT, _free_port, _wait_until_up
from tests.test_live_stream import DEADLINE_S

TIMEOUT_S = 2


def _closed_by_the_server(sock: socket.socket, deadline: float) -> float | None:
    """Seconds until the server closed the connection (reading gives EOF), or None if it did not."""
    started = time.monotonic()
    sock.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            if sock.recv(4096) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except ConnectionResetError:
            return time.monotonic() - started
    return None


def test_connections_that_send_nothing_or_half_a_request_are_closed_and_a_request_is_answered():
    from tests.test_deployment import GOOD_KEY, compose

    command = compose({"SECRET_KEY": GOOD_KEY, "POSTGRES_PASSWORD": "pw"})["live"]["command"]
    # The protocol and its timeout, as compose starts the live service.
    http = command[command.index("--http") + 1]
    assert command[command.index("--timeout-keep-alive") + 1] == "5"
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "drafting.live.stream:app", "--host", "127.0.0.1", "--port", str(port),
         "--no-access-log", "--http", http, "--timeout-keep-alive", str(TIMEOUT_S)],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_until_up(port, server)
        silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
        # Half a request's head, a byte at a time (slowloris): the deadline is the whole head's.
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /healthz HTTP/1.1\r\n")
        deadline = time.monotonic() + DEADLINE_S
        for sock in silent:
            assert _closed_by_the_server(sock, deadline) is not None
        for part in (b"Host: 127", b".0.0.1\r\n"):
            try:
                slow.sendall(part)
            except OSError:
                break
            time.sleep(TIMEOUT_S / 2)  # slower than the server allows: that is the client under test
        assert _closed_by_the_server(slow, deadline) is not None
        # A request sent at once is answered as before.
        with socket.create_connection(("127.0.0.1", port)) as ok:
            ok.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            ok.settimeout(DEADLINE_S)
            assert ok.recv(4096).startswith(b"HTTP/1.1 ")
        for sock in (*silent, slow):
            sock.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
