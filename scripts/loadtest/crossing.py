"""The scale-out on loopback: a save through one web process group reaches a page served by another.

    python -m scripts.loadtest.crossing HOST WORLD.json PORT_A PORT_B      (scripts/loadtest/run calls it)

Two delegates of one group, each a browser talking to one web group directly (its own port, as a
load balancer would have placed them), the page's stream held through the proxy (HOST). One saves a
clause through group A; the other's page, served by group B, has the new text: from the stream's
event (the copy rendered by the live service) or fetched from group B. Ten saves, alternating the
direction; prints how long each took from the save sent, and that the text arrived.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time

import requests

from scripts.loadtest.markup import PUSHED

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
PASS = re.compile(r'data-live-pass="([^"]+)"')
AFTER = re.compile(r'data-live-after="(\d+)"')
VERSION = re.compile(r'id="draft" data-version="(\d+)"')
FORM_VERSION = re.compile(r'name="version" value="(\d+)"')


class Page:
    """A delegate's browser on one web group, with the proposal's editor open."""

    def __init__(self, base: str, host: str, username: str, password: str, proposal: int):
        self.base, self.host, self.proposal = base, host, proposal
        self.session = requests.Session()
        form = self.session.get(f"{base}/accounts/login/", timeout=30).text
        self.session.post(
            f"{base}/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": CSRF_INPUT.search(form)[1],
            },
            headers={"Referer": f"{base}/accounts/login/"},
            timeout=60,
        ).raise_for_status()
        html = self.session.get(f"{base}/proposals/{proposal}/", timeout=30).text
        self.csrf = CSRF_HEADER.search(html)[1]
        self.live_pass = PASS.search(html)[1]
        self.after = int(AFTER.search(html)[1])
        self.version = int(VERSION.search(html)[1])
        self.stream = None

    def listen(self) -> None:
        ticket = self.session.post(
            f"{self.base}/live/ticket", headers={"X-Live-Pass": self.live_pass}, timeout=30
        ).json()["ticket"]  # as the page does: a pass never goes into a URL
        response = requests.get(
            f"{self.host}/live/stream",
            params={"t": ticket, "after": self.after},
            stream=True,
            timeout=(10, 60),
        )
        response.raise_for_status()
        self.stream = response.iter_lines(decode_unicode=True)

    def save(self, key: str, text: str) -> int:
        url = f"{self.base}/proposals/{self.proposal}/clauses/{key}/edit/"
        headers = {
            "HX-Request": "true",
            "X-CSRFToken": self.csrf,
            "Referer": f"{self.base}/proposals/{self.proposal}/",
        }
        form = self.session.get(url, headers=headers, timeout=30).text
        answer = self.session.post(
            url, data={"text": text, "version": FORM_VERSION.search(form)[1]}, headers=headers, timeout=60
        )
        answer.raise_for_status()
        return int(json.loads(answer.headers["HX-Trigger"])["draft-saved"]["version"])

    def until(self, version: int, text: str) -> tuple[str, bool]:
        """Reads the stream until the page has ``version``: how it got it, and whether the text is in it."""
        for line in self.stream:
            if not line.startswith("data: ") or line == "data: {}":
                continue
            event = json.loads(line[6:])
            self.after = max(self.after, event["id"])
            if event["kind"] != "changed" or event["data"].get("version", 0) < version:
                continue
            pushed = PUSHED.search((event.get("copy") or "")[:400])
            if pushed and int(pushed[2]) == self.version:
                self.version = int(pushed[1])
                return "in the event", text in event["copy"]
            copy = self.session.get(
                f"{self.base}/live/proposals/{self.proposal}/draft",
                params={"v": version, "from": self.version},
                headers={"HX-Request": "true", "X-Live-Pass": self.live_pass},
                timeout=30,
            ).text
            self.version = version
            return "fetched from its own web group", text in copy
        raise RuntimeError("the stream ended")


def main() -> None:
    host, world, port_a, port_b = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3], sys.argv[4]
    group = next(code for code, drafts in world["drafts"].items() if drafts)
    proposal = world["drafts"][group][0]
    people = [d["username"] for d in world["delegates"] if d["group"] == group][-2:]
    bases = [f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"]
    pages = [
        Page(base, host, name, world["password"], proposal["id"])
        for base, name in zip(bases, people, strict=True)
    ]
    for page in pages:
        page.listen()
    times, ways, arrived = [], [], 0
    for n in range(10):
        saver, reader = (pages[0], pages[1]) if n % 2 == 0 else (pages[1], pages[0])
        text = f"crossing {n} between the web groups at {time.time():.3f};"
        sent = time.perf_counter()
        version = saver.save(proposal["keys"][-1 - n % 3], text)
        way, found = reader.until(version, text)
        times.append((time.perf_counter() - sent) * 1000)
        ways.append(way)
        arrived += found
        saver.version = max(saver.version, version)
    print(
        f"scale-out: 10 saves, each through one web group (ports {port_a} and {port_b} in turn), reached the page "
        f"served by the other: median {statistics.median(times):.0f} ms, longest {max(times):.0f} ms from the save "
        f"sent; {ways.count('in the event')} in the stream's event, {len(ways) - ways.count('in the event')} fetched; "
        f"the saved text in {arrived} of 10"
    )
    if arrived != 10:
        sys.exit(1)


if __name__ == "__main__":
    main()
