"""What the live stream server costs: N idle streams on one uvicorn process, then events.

    source scripts/throwaway-postgres
    DATABASE_URL=$TEST_POSTGRES_URL DEBUG=1 .venv/bin/python manage.py migrate -v0
    DATABASE_URL=$TEST_POSTGRES_URL .venv/bin/python scripts/benchmark_live_stream.py [--streams 1000]

Starts ``uvicorn drafting.live.stream:app`` (one process) on a loopback port, opens the streams
from one asyncio client (all on one channel: the widest fan-out), and prints the server's CPU
time per second while nothing happens, its memory before and with the streams, and the delay
from an event's insert (``live._insert``, as a save's commit hook does) to its arrival at every
client, for a few events.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drafting.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-" + os.urandom(16).hex())

import django  # noqa: E402

django.setup()

from drafting import live  # noqa: E402

CHANNEL = "proposal:1"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Client:
    """One EventSource-like reader: the time each event id arrived."""

    def __init__(self) -> None:
        self.arrived: dict[int, float] = {}
        self.open = asyncio.Event()

    async def run(self, port: int, query: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET /live/stream?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(head.decode())
        self.open.set()
        while True:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b"id: "):
                self.arrived[int(line[4:])] = time.perf_counter()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def main(streams: int, idle_s: float, events: int) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "drafting.live.stream:app", "--host", "127.0.0.1", "--port", str(port),
         "--no-access-log", "--log-level", "warning", "--backlog", "4096", "--timeout-graceful-shutdown", "2"],
        # Every stream here is one client on loopback with one pass: no per-person or per-address cap.
        cwd=ROOT, env={**os.environ, "LIVE_STREAM_MAX_PER_HOLDER": "100000", "LIVE_STREAM_MAX_PER_ADDRESS": "100000"},
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                _, w = await asyncio.open_connection("127.0.0.1", port)
                w.close()
                break
            except OSError:
                await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        before = rss_mb(server.pid)
        after = await asyncio.to_thread(live.last_event_id, CHANNEL)
        query = f"c={live.pass_for(CHANNEL, can_edit=False)}&after={after}"
        clients = [Client() for _ in range(streams)]
        started = time.perf_counter()
        tasks = []
        for i, client in enumerate(clients):
            tasks.append(asyncio.create_task(client.run(port, query)))
            if i % 100 == 99:
                await asyncio.sleep(0.05)  # a ramp, not a SYN flood
        await asyncio.wait_for(asyncio.gather(*(c.open.wait() for c in clients)), 120)
        print(f"{streams} streams open in {time.perf_counter() - started:.1f} s")
        await asyncio.sleep(2)
        held = rss_mb(server.pid)
        cpu0, t0 = cpu_seconds(server.pid), time.perf_counter()
        await asyncio.sleep(idle_s)
        idle_cpu = (cpu_seconds(server.pid) - cpu0) / (time.perf_counter() - t0)
        print(f"idle over {idle_s:.0f} s (heartbeats every 20 s): {idle_cpu * 1000:.1f} ms of CPU per second")
        print(
            f"memory (RSS): {before:.1f} MB before, {held:.1f} MB with {streams} streams "
            f"({(held - before) * 1024 / streams:.1f} KB a stream)"
        )
        to_all, medians = [], []
        for n in range(events + 1):
            inserted = time.perf_counter()
            await asyncio.to_thread(live._insert, CHANNEL, "changed", {"version": 1})
            pk = await asyncio.to_thread(live.last_event_id, CHANNEL)
            deadline = time.perf_counter() + 10
            while any(pk not in c.arrived for c in clients) and time.perf_counter() < deadline:
                await asyncio.sleep(0.002)
            delays = sorted(c.arrived.get(pk, float("inf")) - inserted for c in clients)
            await asyncio.sleep(1)
            if n == 0:
                continue  # the first warms the inserting thread's connection
            to_all.append(delays[-1])
            medians.append(statistics.median(delays))
        print(
            f"insert to arrival, {events} events to all {streams} streams: median client "
            f"{statistics.median(medians) * 1000:.0f} ms; last client median {statistics.median(to_all) * 1000:.0f} ms, "
            f"worst {max(to_all) * 1000:.0f} ms"
        )
        for task in tasks:
            task.cancel()
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--idle", type=float, default=60.0, help="seconds of idle measured")
    parser.add_argument("--events", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.streams, args.idle, args.events))
