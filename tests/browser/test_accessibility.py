"""Accessibility: axe-core over every page and state of every role, at a laptop's and a phone's width.

One module, one browser, the demo data loaded once: each state is reached once, then axe-core
(bundled by axe-playwright-python) checks it at 1366 px and again at 390 px, failing on any
violation of WCAG 2.1 A and AA (tags wcag2a, wcag2aa, wcag21a, wcag21aa). What axe cannot see
(the contrast of focus indicators, names cut short, panels that do not close) has tests of its
own in test_accessibility_by_hand.py.

It is one test, walking each role's pages in turn: pytest-django empties the database after each
test that uses its live server, and the states build on one another (a clause opened, then a
conflict on it; the consolidation settled, then adopted) on the demo data loaded once. Every
violation of every state is collected before the test fails, so one run lists them all.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, log_in, open_settle_form
from tests.browser.page_checks import FOCUS_RINGS, SIDEWAYS

pytestmark = [pytest.mark.browser]

WIDTHS = (1366, 390)
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "drafting-demo"
DEADLINE_MS = 30_000
SEEDS = Path(__file__).resolve().parents[2] / "drafting" / "demo" / "seeds"

AXE_SOURCE = Axe().axe_script
AXE_RUN = """([context, tags]) => axe.run(context || document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]
}).then(results => results.violations.map(v => ({
    id: v.id, impact: v.impact,
    nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))
})))"""


@dataclass
class Sweep:
    """The violations found so far, by state and width, and the states checked."""

    found: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def check(self, page, state: str, region: str | None = None, phone: bool = False) -> None:
        """Runs axe on the page as it is at 1366 px and, for the states sampled at a phone's width
        (``phone``), again at 390 px (the page resized, not reloaded); on a whole page, also the
        contrast of every kind of focus ring (1366 px) and, at 390 px always, whether anything stands
        out of sight sideways.

        A state reached on a page already checked (a form opened in it) is checked in its region
        only: the rest of the page is as it was, and axe's colour checks are slow. At 390 px the
        markup is the same and axe's rules read it the same; what the width changes is wrapping
        and overlap (contrast where one thing covers another, things pushed sideways), so axe runs
        there on a sample (each layout a delegate meets on a phone) and the sideways check on all."""
        size, started = page.viewport_size, time.monotonic()
        if page.evaluate("typeof axe === 'undefined'"):
            page.evaluate(AXE_SOURCE)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            # The layout at this width is done before axe reads colours and positions.
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            where = f"{state} @ {width} px"
            if width == WIDTHS[0] or phone:
                for violation in page.evaluate(AXE_RUN, [region, WCAG_21_AA]):
                    for node in violation["nodes"]:
                        summary = " ".join((node["summary"] or "").split())
                        self.found.append(
                            f"{where}: {violation['id']} ({violation['impact']}) {node['target']}: {summary[:300]}"
                        )
            if width == WIDTHS[-1]:
                self.found += [f"{where}: sideways: {p}" for p in page.evaluate(SIDEWAYS, width)]
            elif region is None:
                # :focus-visible follows the keyboard: a key pressed first, as a keyboard user has.
                page.keyboard.press("Shift")
                self.found += [f"{where}: focus ring: {p}" for p in page.evaluate(FOCUS_RINGS)]
            axe = "axe" if width == WIDTHS[0] or phone else "sideways only"
            self.checked.append(f"{where}, {axe} ({time.monotonic() - started:.1f} s)")
        page.set_viewport_size(size)

    def write(self) -> None:
        """The states checked and the violations found, in test-artifacts/ (also after a failed walk)."""
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "axe-report.txt").write_text(
            f"{len(self.checked)} states checked, {len(self.found)} violations\n"
            + "".join(line + "\n" for line in self.found)
            + "".join(f"checked: {line}\n" for line in self.checked),
            encoding="utf-8",
        )

    def assert_clean(self) -> None:
        assert not self.found, f"{len(self.found)} axe violations:\n" + "\n".join(self.found)


class Visitor:
    """Browser contexts of the demo's people (or of nobody), each logged in, closed at the end."""

    def __init__(self, browser, live_server):
        self.browser, self.live_server, self.contexts = browser, live_server, []

    def __call__(self, username: str | None):
        context = self.browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
        context.set_default_timeout(DEADLINE_MS)
        self.contexts.append(context)
        page = context.new_page()
        if username:
            # Each walk opens its pages itself; the login page is one of the states checked.
            log_in(page, self.live_server, username, PASSWORD, land=False)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.mark.django_db(transaction=True)
def test_every_page_and_state_of_every_role_passes_axe(browser, live_server, committed_demo):
    sweep, visit = Sweep(), Visitor(browser, live_server)
    try:
        for walk in (logged_out, delegate, coordinator, observer, secretariat):
            walk(sweep, visit, live_server.url)
    finally:
        visit.close()
        sweep.write()
    sweep.assert_clean()


def go(page, site: str, path: str) -> None:
    page.goto(site + path)
    page.wait_for_load_state("networkidle")


def proposal_pk(group: str) -> int:
    from drafting.models import Proposal

    return Proposal.objects.get(contribution__group__code=group).pk


def logged_out(sweep: Sweep, visit: Visitor, site: str) -> None:
    page = visit(None)
    for path, state in [
        ("/", "library"),
        ("/?q=WSIS", "library search"),
        ("/resolutions/wtsa/75/", "resolution"),
        ("/resolutions/council/1332/edition-1/", "edition with annex and footnotes"),
        ("/accounts/login/", "login"),
        ("/accounts/password_reset/", "password reset"),
        ("/no-such-page/", "404"),
    ]:
        go(page, site, path)
        sweep.check(page, state, phone=state in ("library", "login", "edition with annex and footnotes"))
    # The skip link leads to <main> and paints nothing there (:target once lit the whole page yellow).
    go(page, site, "/")
    page.locator(".skip-link").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    painted = page.evaluate(
        "[getComputedStyle(document.querySelector('main')).backgroundColor,"
        " getComputedStyle(document.body).backgroundColor]"
    )
    assert painted[0] in ("rgba(0, 0, 0, 0)", painted[1]), painted
    # The API reference repeats one pattern per operation: its head, its sections' list, the first
    # section and the schemas are checked (a page of some 60 operations took 20 s of axe).
    go(page, site, "/api/")
    sweep.check(page, "API reference", "body > header, main > :not(.api-section), .api-section:first-of-type")


def delegate(sweep: Sweep, visit: Visitor, site: str) -> None:
    from django.contrib.auth.models import User

    from drafting.models import Proposal
    from drafting.services.amendments import clause_version, modify_clause

    page = visit("rcc-delegate")
    rcc = Proposal.objects.get(contribution__group__code="RCC")
    for path, state in [
        ("/home/", "home"),
        ("/contributions/", "contributions"),
        (f"/contributions/{rcc.contribution_id}/", "draft contribution"),
        ("/contributions/new/", "new contribution"),
        (f"/contributions/{rcc.contribution_id}/import/", "import a proposal from Word"),
        ("/resolutions/wtsa/75/hammamet-2016/", "edition"),
        ("/notifications/", "notifications"),
        ("/account/tokens/", "API tokens"),
        ("/exports/", "exports"),
        ("/groups/", "groups"),
    ]:
        go(page, site, path)
        sweep.check(page, state, phone=state in ("home", "contributions", "draft contribution"))

    go(page, site, f"/proposals/{rcc.pk}/")
    sweep.check(page, "editor, reading (a suppressed clause among them)", phone=True)

    clause = page.locator("#draft .clause.kind-item:not(.suppressed)").nth(4)
    key = clause.get_attribute("data-key")
    clause.locator(".clause-view").click()
    box = page.locator(f"#c-{key} textarea")
    expect(box).to_be_focused()
    sweep.check(page, "editor, a clause open for edit", f"#c-{key}", phone=True)

    # Someone else saves the clause meanwhile: the save is a conflict, shown with both texts.
    other = User.objects.get(username="rcc-coordinator")
    modify_clause(other, rcc, key, box.input_value() + " (theirs)", expected_version=clause_version(rcc, key))
    box.fill(box.input_value() + " (mine)")
    box.press("Control+Enter")
    expect(page.locator(f"#c-{key} .theirs")).to_be_visible()
    sweep.check(page, "editor, a conflict", f"#c-{key}")
    page.locator(f"#c-{key} button.cancel").click()
    expect(box).to_have_count(0)

    clause = page.locator("#draft .clause.kind-item:not(.suppressed)").nth(6)
    key = clause.get_attribute("data-key")
    clause.hover()
    clause.get_by_role("button", name=re.compile("^Add after")).click()
    expect(page.locator(f"#c-{key} form.add textarea")).to_be_visible()
    sweep.check(page, "editor, the add form", f"#c-{key}", phone=True)
    page.locator(f"#c-{key} form.add button.cancel").click()
    expect(page.locator(f"#c-{key} form.add")).to_have_count(0)

    clause.hover()
    clause.get_by_role("button", name=re.compile("^History")).click()
    expect(page.locator(f"#c-{key} .clause-panel")).to_be_visible()
    sweep.check(page, "editor, the History & comments panel", f"#c-{key}")

    page.fill("#find", "WSIS")
    page.fill("#replace", "WSIS+20")
    page.locator(".replace-form button[type=submit]").click()
    expect(page.locator("#replace-result")).not_to_be_empty()
    sweep.check(page, "editor, find and replace", "#side-panel")

    page.locator("body").press("/")
    expect(page.locator("#find-in-page")).to_be_focused()
    page.keyboard.type("WSIS")
    expect(page.locator("#find-status")).not_to_be_empty()
    sweep.check(page, "editor, find in the text", "#find-bar")
    page.keyboard.press("Escape")
    page.locator("body").press("?")
    expect(page.locator("#shortcuts-help")).to_be_visible()
    sweep.check(page, "editor, the keyboard shortcuts", "#shortcuts-help")
    # Another group's submitted proposal is the read-only editor the coordinator's walk checks.


def coordinator(sweep: Sweep, visit: Visitor, site: str) -> None:
    from drafting.models import Proposal

    page = visit("atu-coordinator")
    atu = Proposal.objects.get(contribution__group__code="ATU")
    go(page, site, f"/proposals/{atu.pk}/")
    # The read-only editor: its furniture and its first clauses (every clause is the one template,
    # which the delegate's walk checks whole in the editable editor).
    sweep.check(
        page,
        "the group's submitted proposal (its history to read)",
        "body > header, .editor-head, #side-panel, #draft > :nth-child(-n+12)",
    )
    page.locator("#draft .read-history").nth(3).click()
    expect(page.locator("#draft .clause-panel")).to_be_visible()
    sweep.check(page, "the group's submitted proposal, a clause's history", "#draft .clause-panel")

    page = visit("rcc-coordinator")
    rcc = Proposal.objects.get(contribution__group__code="RCC")
    go(page, site, f"/contributions/{rcc.contribution_id}/")
    page.locator(".submit-form details summary").click()
    sweep.check(page, "a draft contribution, submit asked")
    go(page, site, "/groups/RCC/")
    sweep.check(page, "the group's page")


def observer(sweep: Sweep, visit: Visitor, site: str) -> None:
    from drafting.models import Proposal

    page = visit("observer")
    rcc = Proposal.objects.get(contribution__group__code="RCC")
    for path, state in [
        ("/home/", "observer home"),
        ("/contributions/", "observer contributions"),
        ("/consolidations/", "observer consolidation list"),
        # The synoptic view and the consolidated draft as the secretariat has them (with their
        # forms) are checked in its walk; the observer's are the same pages less the forms.
        (f"/proposals/{rcc.pk}/", "a group's draft not shown to others"),
        ("/proposals/999999/", "404 logged in"),
    ]:
        go(page, site, path)
        sweep.check(page, state)


def secretariat(sweep: Sweep, visit: Visitor, site: str) -> None:
    from drafting.models import Consolidation

    page = visit("secretariat")
    consolidation = Consolidation.objects.get().pk
    for path, state in [
        ("/consolidations/", "consolidation list"),
        (f"/consolidations/{consolidation}/fates/", "fates"),
        (f"/consolidations/{consolidation}/draft/", "consolidated draft"),
        ("/citations/stale/", "stale citations"),
        ("/groups/ATU/", "a group's page"),
        ("/library/import/", "import"),
    ]:
        go(page, site, path)
        sweep.check(page, state, phone=state in ("consolidation list", "fates"))

    page.set_input_files("#id_file", str(SEEDS / "council-res1332.txt"))
    page.select_option("#id_body", value="Council")
    page.fill("#id_number", "1332")
    page.get_by_role("button", name="Read and preview").click()
    expect(page.locator("#import-result .preview")).to_be_visible()
    sweep.check(page, "import preview", "#import-result")

    go(page, site, "/people/registration/")
    sweep.check(page, "registration list")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "delegates.csv",
                "mimeType": "text/csv",
                "buffer": (
                    "email,name,group,role\n"
                    "ana.perez@example.org,Ana Pérez,CITEL,delegate\n"
                    "li.wei@example.org,Li Wei,APT,coordinator\n"
                    "nobody@example.org,No Body,XYZ,delegate\n"
                ).encode(),
            }
        ],
    )
    page.get_by_role("button", name="Read and preview").click()
    page.wait_for_url(re.compile(r"/people/registration/\d+/"))
    sweep.check(page, "registration preview")

    go(page, site, f"/consolidations/{consolidation}/")
    sweep.check(page, "synoptic view")
    row = page.locator(".syn-row").filter(has=page.locator("details.settle")).first
    open_settle_form(row)
    sweep.check(page, "synoptic view, a settle form open", f"#{row.get_attribute('id')}")

    go(page, site, f"/consolidations/{consolidation}/settle-many/?rule=one-group:ATU")
    sweep.check(page, "settling several rows at once")

    go(page, site, f"/consolidations/{consolidation}/adoption/")
    sweep.check(page, "adoption page")
    adopt = page.locator("form[action$='/adopt/']")
    if adopt.locator("input[name=leave_open]").count():
        adopt.locator("input[name=leave_open]").check()
    adopt.locator("button[type=submit]").click()
    # Adoption writes the new edition and indexes its citations: the slowest step of the walk.
    page.wait_for_url(re.compile(r"/resolutions/"), timeout=120_000)
    sweep.check(page, "the adopted edition")
    page.goto(page.url.rstrip("/").rsplit("/", 1)[0] + "/compare/")
    sweep.check(page, "compare the editions")
