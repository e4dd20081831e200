"""Idle delegates by the thousand: one asyncio process holding N live streams through the proxy.

    python -m scripts.loadtest.idle_streams HOST WORLD.json N STATUS_FILE      (the ceiling starts it)

Most connected delegates are idle followers: a page open on a submitted proposal, the consolidation or
their group's draft, holding its stream. Simulating each in locust would spend the load generator's CPU
on them; here each is a coroutine. Each behaves as its page's script does: it takes the copy an event
brings when it is from the version it has, else fetches its copy through the proxy, and reconnects
(after a random 1-5 s, with the last event's id) when the stream ends. The passes come from pages
opened once per channel by a few accounts the load test does not use. STATUS_FILE gets the number of
streams held, every second; on SIGTERM (or SIGINT) it prints what the streams saw and exits.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import signal
import sys
import time
from collections import Counter
from urllib.parse import urlencode, urlsplit

import requests

from scripts.loadtest.markup import CONSOLIDATION_DELTA, PUSHED

PASS = re.compile(r'data-live-pass="([^"]+)"')
AFTER = re.compile(r'data-live-after="(\d+)"')
LIVE_QUERY = re.compile(r'data-live-query="([^"]+)"')
VERSION = re.compile(r'id="draft" data-version="(\d+)"')
BAR = re.compile(r'id="cons-bar" data-version="(\d+)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFRESH = re.compile(r'data-refresh-url="([^"]+)"')

STATS: Counter = Counter()
HELD = 0


def _pages(host: str, world: dict) -> list[dict]:
    """One page per channel the idle delegates follow: its pass, where its events start, its version."""
    accounts = {d["group"]: d["username"] for d in reversed(world["delegates"])}  # the last of each group
    found = []
    for group, username in accounts.items():
        session = requests.Session()
        form = session.get(f"{host}/accounts/login/", timeout=60).text
        session.post(
            f"{host}/accounts/login/",
            data={
                "username": username,
                "password": world["password"],
                "csrfmiddlewaretoken": CSRF_INPUT.search(form)[1],
            },
            headers={"Referer": f"{host}/accounts/login/"},
            timeout=120,
        )
        urls = [("draft", f"/proposals/{p['id']}/") for p in world["drafts"][group]]
        if group == next(iter(accounts)):
            urls += [("submitted", f"/proposals/{pk}/") for pk in world["submitted"]]
            urls.append(("consolidation", f"/consolidations/{world['consolidation']['id']}/"))
        for kind, url in urls:
            html = session.get(host + url, timeout=60).text
            live_pass = PASS.search(html)
            if not live_pass:
                continue
            query = LIVE_QUERY.search(html)
            refresh = REFRESH.search(html)
            version = (VERSION if kind != "consolidation" else BAR).search(html)
            found.append(
                {
                    "kind": kind,
                    "url": url,
                    "pass": live_pass[1],
                    "after": int(AFTER.search(html)[1]),
                    "query": query[1].replace("&amp;", "&") if query else "",
                    "refresh": refresh[1].replace("&amp;", "&") if refresh else "",
                    "version": int(version[1]) if version else 0,
                }
            )
    return found


async def _fetch(host: str, path: str) -> None:
    """A page fetching its copy (a plain GET through the proxy; the answer is read and dropped)."""
    parts = urlsplit(host)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nHX-Request: true\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    while await reader.read(65536):
        pass
    writer.close()


async def follow(host: str, page: dict) -> None:
    """One idle delegate's page: its stream, held for as long as the process runs."""
    global HELD
    parts = urlsplit(host)
    after, version = page["after"], page["version"]
    pk = page["url"].strip("/").split("/")[1]
    while True:
        query = {"c": page["pass"], "after": after}
        path = "/live/stream?" + urlencode(query) + ("&" + page["query"] if page["query"] else "")
        writer = None
        held = False
        try:
            started = time.perf_counter()
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\n\r\n".encode()
            )
            await writer.drain()
            status = (await reader.readline()).decode()
            while (await reader.readline()) not in (b"\r\n", b""):
                pass  # the headers
            if " 200 " not in status:
                STATS[f"refused ({status.split()[1] if len(status.split()) > 1 else '?'})"] += 1
                raise ConnectionError(status)
            STATS["connected"] += 1
            STATS["connect ms, most"] = max(
                STATS["connect ms, most"], int((time.perf_counter() - started) * 1000)
            )
            HELD += 1
            held = True
            buffer = b""
            while True:
                size = int((await reader.readline()).strip() or b"0", 16)  # chunked, as the proxy sends it
                if size == 0:
                    break
                buffer += await reader.readexactly(size)
                await reader.readexactly(2)
                while b"\n\n" in buffer:
                    frame, buffer = buffer.split(b"\n\n", 1)
                    for line in frame.decode().split("\n"):
                        if not line.startswith("data: ") or line == "data: {}":
                            continue
                        event = json.loads(line[6:])
                        after = max(after, event["id"])
                        STATS[f"events: {event['kind']}"] += 1
                        if event["kind"] != "changed" or event["data"].get("version", 0) <= version:
                            continue
                        copy = (event.get("copy") or "")[:400]
                        mark = PUSHED.search(copy) or CONSOLIDATION_DELTA.search(copy)
                        if page["kind"] == "consolidation" and mark and int(mark[1]) == version:
                            version = int(mark[2])
                            STATS["copies taken from the event"] += 1
                        elif page["kind"] != "consolidation" and mark and int(mark[2]) == version:
                            version = int(mark[1])
                            STATS["copies taken from the event"] += 1
                        else:
                            STATS["copies fetched"] += 1
                            fresh = event["data"].get("version", version)
                            if page["kind"] == "consolidation":
                                sep = "&" if "?" in page["refresh"] else "?"
                                target = f"{page['refresh']}{sep}at={event['id']}&c={page['pass']}"
                            else:
                                target = (
                                    f"/live/proposals/{pk}/draft?v={fresh}&from={version}&c={page['pass']}"
                                )
                            await _fetch(host, target)
                            version = fresh
        except (OSError, ValueError, asyncio.IncompleteReadError, ConnectionError):
            STATS["streams ended or refused"] += 1
        finally:
            if held:
                HELD -= 1
            if writer is not None:
                writer.close()
        await asyncio.sleep(random.uniform(1, 5))  # EventSource's retry delay (the server says 1-5 s)
        STATS["reconnections"] += 1


async def main() -> None:
    host, world, count, status_file = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3]), sys.argv[4]
    pages = await asyncio.to_thread(_pages, host, world)
    # As in the load test: as many following a submitted proposal as the consolidation, a tenth their draft.
    weights = [{"submitted": 4, "consolidation": 4, "draft": 1}[p["kind"]] for p in pages]
    chosen = random.choices(pages, weights=weights, k=count)
    tasks = []
    for n, page in enumerate(chosen):
        tasks.append(asyncio.create_task(follow(host, page)))
        if n % 50 == 49:
            await asyncio.sleep(0.05)  # arriving, not all in the same millisecond
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    while not stop.is_set():
        with open(status_file, "w") as out:
            out.write(f"{HELD}\n")
        try:
            await asyncio.wait_for(stop.wait(), 1)
        except TimeoutError:
            pass
    print(
        f"idle streams: {count} wanted, {HELD} held at the end; "
        + ", ".join(f"{k} {v}" for k, v in sorted(STATS.items()))
    )
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    asyncio.run(main())
