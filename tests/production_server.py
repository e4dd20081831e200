"""The app as the image runs it, on loopback, for the tests of what production serves: production settings
(DEBUG off, the hashed and compressed static files of ``collectstatic``), gunicorn as in
``docker/entrypoint.sh``, an access log to count what reached it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "a-production-test-key-" + "x" * 40
# The suite's own switches are not what production runs with.
_NOT_PASSED = {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}


@dataclass
class Server:
    url: str
    access_log: Path
    static_root: Path

    def requests_seen(self) -> list[str]:
        """The paths requested so far, in order, as gunicorn logged them."""
        return [line.split()[1] for line in self.access_log.read_text().splitlines() if line.strip()]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_PASSED}
    env.update(
        DJANGO_SETTINGS_MODULE="drafting.settings",
        DEBUG="0",
        SECRET_KEY=KEY,
        DATABASE_URL=f"sqlite:///{folder / 'production.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        TASKS_BACKEND="immediate",
        LOG_LEVEL="ERROR",
    )
    return env


def start(folder: Path) -> tuple[Server, subprocess.Popen]:
    """collectstatic and migrate, then gunicorn (one worker): the server and its process (stop it). The
    database has its tables and no rows (the login page asks whether the demo is loaded)."""
    env = environment(folder)
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
    port = _free_port()
    log = folder / "access.log"
    log.write_text("")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "drafting.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", "1", "--worker-class", "gthread", "--threads", "4", "--no-control-socket",
            "--access-logfile", str(log), "--access-logformat", "%(m)s %(U)s %(s)s",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("gunicorn did not start with the production settings") from None
            time.sleep(0.2)
    return Server(url=url, access_log=log, static_root=folder / "static"), process
