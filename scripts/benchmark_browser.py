#!/usr/bin/env python3
"""What a delegate and an officer wait for, measured in Debian's Chromium: Res. 75 with six groups' proposals.

    .venv/bin/python scripts/benchmark_browser.py            # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark_browser.py

Six groups each propose 15 modifications and one added item on WTSA Res. 75 and submit them; a
seventh group's draft carries 30 modifications. A threaded live server serves the app; Chromium
(through Playwright, /usr/bin/chromium) measures, median of several runs:

- the editor of the 30-change draft: navigation start to the load event;
- opening a clause for editing (click to the edit box swapped in) and saving it (Ctrl+Enter to the
  marked clause swapped in);
- the consolidated view of the six groups: navigation start to the load event;
- settling a clause there: click on "Save the decision" to the decision shown (the row swapped in place,
  or, without htmx, the load event of the page it returns to).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_django  # noqa: E402, F401  (sets Django up, before anything uses it)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
GROUPS = [("ATU", "ATU"), ("CITEL", "IAP"), ("RCC", "RCC"), ("APT", "APT"), ("CEPT", "EUR"), ("ASMG", "ARB")]
RUNS = 5


def build():
    """Six submitted proposals on Res. 75 and one group's draft; returns (consolidation, draft, password)."""
    from django.contrib.auth.models import Group, User

    from drafting.demo.load import load_demo
    from drafting.models import Clause, Conference, Contribution, Edition, Proposal, RegionalGroup
    from drafting.models.people import COORDINATORS, DELEGATES, SECRETARIAT
    from drafting.services.amendments import add_clause, modify_clause
    from drafting.services.consolidation import open_consolidation
    from drafting.services.contributions import submit_contribution

    load_demo()
    res75 = Edition.objects.get(resolution__body__code="WTSA", resolution__number="75", slug="hammamet-2016")
    conference = Conference.objects.create(
        body=res75.resolution.body, code="WTSA-28", place="Bench", year=2028
    )
    items = list(
        Clause.objects.filter(edition=res75, kind="item").select_related("provision").order_by("position")
    )
    password = "bench-pass"

    def member(username, role, group):
        user = User.objects.create_user(username, password=password)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        group.members.add(user)
        return user

    def proposal_of(group, number, changes, submit):
        delegate = member(f"{group.code.lower()}-bench", DELEGATES, group)
        contribution = Contribution.objects.create(
            conference=conference, group=group, document_number=str(number), title="Proposals on Res. 75"
        )
        proposal = Proposal.objects.create(
            contribution=contribution, number=1, action="MOD", resolution=res75.resolution, base_edition=res75
        )
        for j in range(changes):
            clause = items[(number * 7 + j * 3) % len(items)]
            key = str(clause.provision.key)
            words = clause.text.split(" ")
            words.insert(len(words) // 2, f"({group.code} {j})")
            modify_clause(delegate, proposal, key, " ".join(words), 0)
        if submit:
            add_clause(
                delegate, proposal, str(items[10].provision.key), "after", text=f"an item {group.code} adds;"
            )
            submit_contribution(member(f"{group.code.lower()}-bench-c", COORDINATORS, group), contribution)
        return proposal, delegate

    for i, (code, prefix) in enumerate(GROUPS):
        group = RegionalGroup.objects.get_or_create(
            code=code, defaults={"name": code, "proposal_prefix": prefix}
        )[0]
        proposal_of(group, 40 + i, 15, submit=True)
    officer = User.objects.get(username="secretariat")
    officer.set_password(password)
    officer.save()
    officer.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    consolidation = open_consolidation(officer, conference, res75.resolution)
    drafters = RegionalGroup.objects.create(code="BENCH", name="Bench group", proposal_prefix="BEN")
    draft, delegate = proposal_of(drafters, 60, 30, submit=False)
    return consolidation, draft, delegate.username, password


def serve():
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server, f"http://127.0.0.1:{server.port}"


def median(values: list[float]) -> float:
    return statistics.median(values)


RESPONSES: dict[str, list[float]] = {}


def load_ms(page, url: str, name: str = "") -> float:
    """Navigation start to the end of the load event, as the browser's Navigation Timing has it
    (and, under ``name``, navigation start to the last byte of the HTML: the server's part)."""
    page.goto(url, wait_until="load")
    total, response = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return [n.loadEventEnd - n.startTime, n.responseEnd - n.startTime]; }"
    )
    if name:
        RESPONSES.setdefault(name, []).append(response)
    return total


def swap_ms(page, action: str) -> float:
    """From an action in the page to htmx's afterSettle (the swapped content in place)."""
    return page.evaluate(
        """(action) => new Promise((resolve) => {
            const t0 = performance.now();
            document.body.addEventListener("htmx:afterSettle", () => resolve(performance.now() - t0), { once: true });
            (new Function(action))();
        })""",
        action,
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    call_command("migrate", verbosity=0)
    consolidation, draft, delegate, password = build()
    server, base = serve()
    print(
        f"database: {connection.vendor}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start;"
        f" {time.strftime('%Y-%m-%d %H:%M')}; median of {RUNS}",
        flush=True,
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])

        def logged_in(username):
            context = browser.new_context(viewport={"width": 1366, "height": 800})
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            return page

        page = logged_in(delegate)
        editor_url = f"{base}/proposals/{draft.pk}/"
        load_ms(page, editor_url)  # warm up
        editor = [load_ms(page, editor_url, "editor") for _ in range(RUNS)]
        opens, saves = [], []
        clauses = page.locator(".clause:not(.suppressed) .clause-view[hx-get]")
        for i in range(RUNS):
            key = clauses.nth(20 + i).evaluate("v => v.closest('.clause').dataset.key")
            sel = f"#c-{key}"
            opens.append(swap_ms(page, f"document.querySelector('{sel} .clause-view').click()"))
            saves.append(
                swap_ms(
                    page,
                    f"const t = document.querySelector('{sel} textarea'); t.value = t.value + ' (bench {i})';"
                    f" t.form.requestSubmit();",
                )
            )
        page.context.close()

        page = logged_in("secretariat")
        view_url = f"{base}{consolidation.get_absolute_url()}"
        load_ms(page, view_url)
        view = [load_ms(page, view_url, "view") for _ in range(RUNS)]
        settles = []
        for _ in range(RUNS):
            page.goto(view_url + "?filter=open", wait_until="load")
            row = page.locator(".syn-row").first
            # The row's form is fetched when its "Settle" is opened (or, on a conflict, when the row
            # is in view): that is not part of the settle.
            row.scroll_into_view_if_needed()
            details = row.locator("details.settle")
            if details.get_attribute("open") is None:
                details.locator("summary").click()
            row.locator("form.settle-form").wait_for()
            row.locator("input[name=choice][value=base]").check()
            if row.locator("form.settle-form[hx-post]").count():
                # Settled in place: click to the swapped row.
                key = row.get_attribute("id")
                settles.append(
                    swap_ms(page, f"document.querySelector('#{key} form.settle-form button.primary').click()")
                )
            else:
                t0 = time.perf_counter()
                row.get_by_role("button", name="Save the decision").click()
                page.wait_for_load_state("load")
                page.wait_for_function("document.readyState === 'complete'")
                settles.append((time.perf_counter() - t0) * 1000)
        browser.close()
    server.terminate()

    rows = len(consolidation.resolution.editions.first().clauses.all())
    print(
        f"{'what (Res. 75, ' + str(rows) + ' clauses; 6 groups x 16 changes; a draft of 30)':64} {'median ms':>10} {'max ms':>8}"
    )
    for name, values in [
        ("editor: navigation to load event", editor),
        ("  of which navigation to the HTML's last byte", RESPONSES["editor"]),
        ("editor: click a clause to its edit box swapped in", opens),
        ("editor: Ctrl+Enter to the saved clause swapped in", saves),
        ("consolidated view, 6 groups: navigation to load event", view),
        ("  of which navigation to the HTML's last byte", RESPONSES["view"]),
        ("settle a clause: click to the decision shown", settles),
    ]:
        print(f"{name:64} {median(values):10.1f} {max(values):8.1f}")


if __name__ == "__main__":
    main()
