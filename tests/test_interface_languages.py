"""Every page of every role, read in each of the six languages: no English left in its interface, and
the page says its language and direction (<html lang dir>).

Every page: each route of drafting/urls.py (and what it includes) is read here in a state that shows
its content (a registration list read, a Word file and an edition uploaded, an export made, an ADD
proposal typed, a rebase previewed and one done, notifications), or it is an action read in Russian
(test_every_action_answers_in_the_reader_s_language), or NOT_READ says why not (JSON, a file, a
stream). A route added without either fails test_every_route_is_read_or_has_a_reason_not_to_be.

What counts as English left: the English of a message the catalogue translates (a translation that
differs from it), found in the page's visible text or in the words it gives screen readers and
tooltips (aria-label, title, placeholder, alt) or its scripts (data-* attributes). Three things are
left out of the search, as they are meant to stay as they are:
- the resolution texts: every one is marked with the language it was imported in (lang="en" on the
  article, the clause, the edit box), and whatever carries another lang than the page's is skipped;
- English words the translation itself keeps ("Word", "PDF", "API", a body's code);
- a message's words shorter than four letters ("to", "or"), and those the data holds anywhere (a
  clause's "taking into account", a person named "RCC Delegate", a contribution titled in English):
  on a page they cannot be told from the data, which stays as people wrote it;
- code (<code>: a JSON field, an endpoint).
On a page in Russian, Arabic or Chinese, English that never went through the catalogue is found too:
three Latin words in a row, one of which neither the data nor a translation uses (LATIN_RUN).

The catalogues are compiled from their .po for the test (polib, no gettext needed), with only the
messages translated so far: a message not translated yet is test_catalogues.py's to report, and this
test checks what the pages do with the catalogue they have. Pages are fetched with the test client,
one client per person, the language chosen by the cookie the switch sets."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from tests.conftest import SEEDS
from tests.locales import LANGUAGES, catalogue, compile_into

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]  # once: tests/conftest.py, shares
HX = {"HTTP_HX_REQUEST": "true"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\n|[“”]")
# Attributes whose words people read or hear; data-* carry the scripts' words.
SPOKEN = {"title", "aria-label", "placeholder", "alt", "aria-description", "aria-roledescription"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Visible(HTMLParser):
    """The words of a page a person reads or hears, without its resolution texts (another lang)."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped) of the open elements
        self.words: list[str] = []
        self.html: dict[str, str] = {}

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html = attrs
            return
        lang = attrs.get("lang")
        skip = (
            self.skipping
            or tag in ("script", "style", "template", "code")
            or (lang is not None and lang.lower() != self.language.lower())
        )
        if not skip:
            for name, value in attrs.items():
                # data-* carry the scripts' words, and also addresses, keys and JSON, which are no words.
                words = name in SPOKEN or (
                    name.startswith("data-")
                    and not (value or "").startswith(("/", "http", "{", "[", "#", "."))
                )
                if value and words:
                    self.words.append(value)
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.skipping:
            self.words.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


def _data_words() -> str:
    """Every text the database holds (the demo's resolutions, names, titles, comments), one per line."""
    from django.apps import apps
    from django.db import models

    texts = []
    for model in apps.get_models():
        fields = [
            f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                texts.extend(" ".join(v.split()) for v in row if v)
    return "\n".join(texts)


def _english_left(po: polib.POFile, data: str) -> re.Pattern | None:
    """A pattern of the English of every message this catalogue translates to other words."""
    kept = " ".join(" ".join(t.split()) for e in po for t in [e.msgstr, *e.msgstr_plural.values()] if t)
    pieces = set()
    for e in po:
        translated = [e.msgstr] if not e.msgid_plural else list(e.msgstr_plural.values())
        if "fuzzy" in e.flags or not all(translated):
            continue
        for english in filter(None, [e.msgid, e.msgid_plural]):
            if english in translated:
                continue
            for piece in PLACEHOLDER.split(english):
                piece = " ".join(piece.split()).strip(" .,:;·()“”")
                if sum(c.isalpha() for c in piece) < 4:
                    continue
                # (A plain substring test first: the pattern's search of the whole catalogue for
                # each piece was 16 s of the module's setup.)
                if piece in kept and re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", kept):
                    continue  # the translations keep these words ("Word", "API")
                if piece in data and re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", data):
                    continue  # the data holds these words: not to be told from it on a page
                pieces.add(piece)
    if not pieces:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(pieces, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


# Three Latin words in a row, on a page in a language not written in Latin letters, one of which
# neither the data (the resolution texts, names, titles) nor a translation uses: English that never went
# through the catalogue (a string not marked for translation). The resolution texts are marked with their
# language and skipped; the words of the data are allowed besides, as the fragments of a text (a find
# index, the marks of a change) read across their elements cannot be told from the interface.
# A word joined to an address, a key or a number by "-", "/", "." or "@" is not one (a clause's key
# "ddbbbbfa-4f6d-…" starts with letters as often as not).
LATIN_RUN = re.compile(r"(?<![\w/.@-])[A-Za-z][A-Za-z’']+(?:[ ,]+[A-Za-z][A-Za-z’']+){2,}(?![\w/@-])")
WORD = re.compile(r"[A-Za-z][A-Za-z’']+")
NOT_LATIN = {"ru", "ar", "zh-hans"}


def _unmarked(text: str, vocabulary: list[str]) -> list[str]:
    """English runs on a page in Russian, Arabic or Chinese with a word neither the data nor a
    translation holds (the last word of a run may be cut short: a text shortened for a list)."""

    def known(word: str, last: bool) -> bool:
        word = word.lower()
        at = bisect_left(vocabulary, word)
        found = at < len(vocabulary) and (
            vocabulary[at] == word or (last and vocabulary[at].startswith(word))
        )
        return len(word) < 3 or found

    runs = []
    for m in LATIN_RUN.finditer(text):
        words = WORD.findall(m.group())
        if not all(known(w, i == len(words) - 1) for i, w in enumerate(words)):
            runs.append(m.group())
    return runs


@pytest.fixture(scope="module")
def world(demo_db, django_db_blocker):
    """The demo with what its pages show only once people have worked: a registration list read, a
    Word file and an edition file uploaded, an export made, an ADD proposal, a proposal written against
    an older edition (its rebase preview) and one rebased with changes left to settle, notifications.
    Made once for the module, in a transaction rolled back after it (the next module keeps the demo as
    it was); each test runs in a savepoint inside it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            state = _worked_on()
            yield state, _data_words()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _worked_on() -> dict:
    from django.contrib.auth.models import User

    from drafting.demo.citel import base_text, proposed_text
    from drafting.engine.amend import MODIFY, SUPPRESS
    from drafting.engine.derive import derive_amendments
    from drafting.engine.parse import parse_resolution
    from drafting.models import (
        Conference,
        Contribution,
        Export,
        Notification,
        Proposal,
        RegionalGroup,
        Resolution,
    )
    from drafting.reading import edition_tree
    from drafting.services.accounts import invitation_link
    from drafting.services.amendments import apply_derived
    from drafting.services.contributions import add_proposal, save_new_resolution
    from drafting.services.exports import build, new_export
    from drafting.services.library import import_text
    from drafting.services.notifications import fan_out, unsubscribe_token
    from drafting.services.registration import read_registration_list

    officer = User.objects.get(username="secretariat")
    rcc_delegate = User.objects.get(username="rcc-delegate")
    rcc = Proposal.objects.get(contribution__group__code="RCC")
    atu = Proposal.objects.get(contribution__group__code="ATU")
    # Registration: a list with new, changed and refused rows, read and waiting to be applied.
    rows = [
        ["Amina Diallo", "amina@example.org", "Senegal", "ATU", "Delegate"],
        ["Olga Ivanova", "olga@example.org", "Russian Federation", "RCC", "coordinator"],
        ["No Group", "nogroup@example.org", "Norway", "XYZ", "delegate"],
        ["", "not-an-address", "", "", "observer"],
    ]
    listed = "Name,E-mail,Administration,Regional group,Role\n" + "\n".join(",".join(r) for r in rows)
    upload = read_registration_list(officer, atu.contribution.conference, "list.csv", listed.encode())
    # An ADD proposal with its new resolution typed in.
    added = add_proposal(rcc_delegate, rcc.contribution, action="ADD", new_title="AI")
    save_new_resolution(rcc_delegate, added, ADDED, added.version)
    # An export of RCC's draft, finished (the suite's tasks run at once); its file is the Word upload.
    export = new_export(rcc_delegate, Export.CONTRIBUTION, rcc.contribution)
    export.save()
    export = build(export.pk)
    # Resolution 75 (Rev. Dubai, 2012) and APT's proposal written against it: its page previews the
    # rebase onto Hammamet 2016 (the action test rebases it, and its page then lists what is left to
    # settle). Three of CITEL's real changes, chosen because carried over two conflict and one applies.
    resolution = Resolution.objects.get(body__code="WTSA", number="75")
    dubai = import_text(base_text(), body_code="WTSA", number="75", source_name="citel").edition
    conference = Conference.objects.create(code="WTSA-16", body=resolution.body, place="Hammamet", year=2016)
    derived = derive_amendments(edition_tree(dubai), parse_resolution(proposed_text()))
    changes = [a for a in derived if a.action in (MODIFY, SUPPRESS)]
    contribution = Contribution.objects.create(
        conference=conference,
        group=RegionalGroup.objects.get(code="APT"),
        document_number="40",
        title="Res. 75",
    )
    preview = Proposal.objects.create(
        contribution=contribution, number=1, action=Proposal.MOD, resolution=resolution, base_edition=dubai
    )
    apply_derived(User.objects.get(username="apt-delegate"), preview, [changes[10], changes[11], changes[14]])
    # ATU's submission told to its group (the demo submits it with no worker running).
    fan_out.call({"kind": "submitted", "contribution": atu.contribution_id, "actor": officer.pk})
    invitation = invitation_link(User.objects.get(username="observer"))
    return {
        "registration": upload,
        "added": added,
        "export": export,
        "word": bytes(export.data),
        "preview": preview,
        "invitation": invitation[invitation.index("/accounts/") :],
        "unsubscribe": unsubscribe_token(rcc_delegate),
        "notification": Notification.objects.filter(user__username="atu-coordinator").first(),
    }


ADDED = """RESOLUTION [RCC-1] (NEW)
Artificial intelligence for sustainable development
The World Telecommunication Development Conference (Baku, 2025),
considering
a)\tResolution 214 (Bucharest, 2022),
resolves
1\tto study the development aspects of artificial intelligence.
"""


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory, world):
    """The five catalogues compiled as they stand into a folder of their own, and for each language
    the pattern of its English left."""
    root = tmp_path_factory.mktemp("locale")
    _, data = world
    read = compile_into(root)
    words = {w.lower() for w in WORD.findall(data)}
    vocabulary = {
        code: sorted(
            words
            | {w.lower() for e in po for t in [e.msgstr, *e.msgstr_plural.values()] for w in WORD.findall(t)}
        )
        for code, po in read.items()
    }
    return root, {code: _english_left(po, data) for code, po in read.items()}, vocabulary


@pytest.fixture
def six(settings, catalogues):
    root, english, _ = catalogues
    settings.LOCALE_PATHS = [root]
    settings.LANGUAGES = list(settings.ITU_LANGUAGES)
    # Single sign-on offered, its provider unreachable: the sign-on pages say so, in the reader's words.
    settings.SSO_ENABLED = True
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = "drafting"
    return english


@dataclass
class Visit:
    """One page (or fragment) a person reads: GET, or a POST whose answer is a page (a preview)."""

    path: str
    headers: dict = field(default_factory=dict)
    post: Callable[[], dict] | None = None
    status: tuple[int, ...] = (200, 404)


def pages(state: dict) -> dict[str | None, list[Visit]]:
    """Each role's pages in a state that shows their content: those the accessibility walk visits, the
    forms and fragments htmx opens in them, and the previews a form's answer is."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from drafting.models import Consolidation, Contribution, Proposal

    rcc = Proposal.objects.get(contribution__group__code="RCC", action=Proposal.MOD)
    atu = Proposal.objects.get(contribution__group__code="ATU")
    key = rcc.base_edition.clauses.filter(kind="item").order_by("position")[4].provision.key
    consolidation = Consolidation.objects.get()
    row = consolidation.base_edition.clauses.filter(kind="item").order_by("position")
    submitted = Contribution.objects.filter(status="submitted").first()
    seed = (SEEDS / "council-res1332.txt").read_bytes()
    word = state["word"]
    P = Visit
    return {
        None: [
            P("/"),
            P("/?q=WSIS"),
            P("/resolutions/wtsa/75/"),
            P("/resolutions/wtsa/75/latest/"),
            P("/resolutions/wtsa/75/hammamet-2016/"),
            P("/resolutions/council/1332/edition-1/"),
            P("/accounts/login/"),
            P("/no-such-page/"),
            P("/api/"),
            P(f"/notifications/unsubscribe/{state['unsubscribe']}/"),
            P(state["invitation"]),
            P("/accounts/sso/", status=(503,)),
            P("/accounts/sso/callback/", status=(400, 503)),
        ],
        "rcc-delegate": [
            P("/home/"),
            P("/contributions/"),
            P(f"/contributions/{rcc.contribution_id}/"),
            P("/contributions/new/"),
            P(f"/contributions/{rcc.contribution_id}/import/"),
            P(
                f"/contributions/{rcc.contribution_id}/import/",
                post=lambda: {
                    "file": SimpleUploadedFile("rcc.docx", word),
                    "edition": rcc.base_edition_id,
                },
            ),
            P("/notifications/"),
            P("/notifications/bell/", HX),
            P("/account/tokens/"),
            P("/accounts/password_change/"),
            P("/accounts/password_change/done/"),
            P("/exports/"),
            P(f"/exports/new/?kind=contribution&target={rcc.contribution_id}"),
            P(f"/exports/{state['export'].pk}/"),
            P("/groups/"),
            P(f"/proposals/{rcc.pk}/"),
            P(f"/proposals/{rcc.pk}/clauses/{key}/edit/", HX),
            P(f"/proposals/{rcc.pk}/clauses/{key}/add/", HX),
            P(f"/proposals/{rcc.pk}/clauses/{key}/panel/", HX),
            P(f"/proposals/{rcc.pk}/clauses/{key}/cancel/", HX),
            P(f"/proposals/{rcc.pk}/citations/?text=Resolution+999+(Rev.+Nowhere,+1999)", HX),
            P(f"/proposals/{rcc.pk}/since/?since=yesterday"),
            P(f"/proposals/{rcc.pk}/comments/"),
            P(f"/proposals/{rcc.pk}/projector/"),
            P(f"/proposals/{state['added'].pk}/text/"),
            P(f"/citations/update/?cited={rcc.resolution_id}&contribution={rcc.contribution_id}"),
            P("/resolutions/wtsa/75/compare/"),
        ],
        "apt-delegate": [
            P(f"/proposals/{state['preview'].pk}/"),
        ],
        "atu-coordinator": [
            P(f"/proposals/{atu.pk}/"),
            P(f"/contributions/{submitted.pk}/"),
            P("/groups/ATU/"),
            P("/notifications/"),
            P("/notifications/bell/", HX),
            P(f"/notifications/{state['notification'].pk}/"),
        ],
        "observer": [
            P("/home/"),
            P("/contributions/"),
            P("/consolidations/"),
            P(f"/proposals/{rcc.pk}/"),
            P("/proposals/999999/"),
        ],
        "secretariat": [
            P("/consolidations/"),
            P(f"/consolidations/{consolidation.pk}/"),
            P(f"/consolidations/{consolidation.pk}/settle/?key={row[0].provision.key}"),
            P(f"/consolidations/{consolidation.pk}/settle-many/?rule=one-group:ATU"),
            P(f"/consolidations/{consolidation.pk}/fates/"),
            P(f"/consolidations/{consolidation.pk}/draft/"),
            P(f"/consolidations/{consolidation.pk}/projector/"),
            P(f"/consolidations/{consolidation.pk}/adoption/"),
            P(f"/consolidations/{consolidation.pk}/since/?since=yesterday"),
            P("/citations/stale/"),
            P("/groups/ATU/"),
            P("/library/import/"),
            P(
                "/library/import/",
                post=lambda: {
                    "file": SimpleUploadedFile("council-res1332.txt", seed),
                    "body": "Council",
                    "number": "1332",
                },
            ),
            P("/people/registration/"),
            P(f"/people/registration/{state['registration'].pk}/"),
            P(f"/people/conferences/{state['registration'].conference_id}/close/"),
            P(f"/people/registration/{state['registration'].pk}/apply/", post=lambda: {"invite": "0"}),
        ],
    }


# The routes this test reads no page of, and why. Every other route of drafting/urls.py (and what it
# includes) is read in every language: test_every_route_is_read_or_has_a_reason_not_to_be.
NOT_READ = {
    "healthz": "plain text for the load balancer",
    "javascript_catalog": "the scripts' catalogue (test_languages.py)",
    "set_language": "POST; redirects to the page it came from, read here in the language it set",
    "logout": "POST; redirects to the library",
    "edition_export": "a Word, PDF or text file, in the resolution's own language",
    "export_download": "the export's file, in the document's language (test_document_names.py)",
    "live_events": "an event stream of addresses and versions",
    "live_ticket": "JSON: a ticket for the event stream",
    "live_presence": "JSON: who is on the page",
    "live_citations": "JSON: the citations being typed",
    "proposal_changes": "the editor's draft (its #draft partial), read in the editor's page",
    "live_draft": "a copy of the editor's draft, the same partials the editor page renders (read there)",
    "live_consolidation": "a copy of the synoptic rows, the same partials its page renders (read there)",
    "consolidation_projector_point": "POST; JSON: where the projector points",
    "proposal_projector_point": "POST; JSON: where the projector points",
}
# Actions: a POST answered by a redirect to a page read above, with a one-line message (or an htmx
# fragment of the page they act on). Read by test_every_action_answers_in_the_reader_s_language.
ACTIONS = {
    "citations_update_apply",
    "clause_restore",
    "clause_restore_version",
    "clause_suppress",
    "consolidation_adopt",
    "consolidation_move",
    "consolidation_open",
    "contribution_revise",
    "contribution_submit",
    "contribution_update",
    "contribution_withdraw",
    "import_confirm",
    "proposal_import_confirm",
    "proposal_new",
    "proposal_reasons",
    "proposal_rebase",
    "proposal_rebase_settle",
    "proposal_replace",
    "undo_action",
}


def read(client: Client, visit: Visit, language: str) -> Visible:
    if visit.post is not None:
        response = client.post(visit.path, visit.post(), follow=True, **visit.headers)
    else:
        response = client.get(visit.path, follow=not visit.headers, **visit.headers)
    assert response.status_code in visit.status, (visit.path, response.status_code)
    page = Visible(language)
    page.feed(response.content.decode())
    return page


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_every_page_of_every_role_is_in_the_reader_s_language(world, catalogues, six, language):
    from django.contrib.auth.models import User

    state, _ = world
    english = six.get(language)
    vocabulary = catalogues[2].get(language, [])
    left = {}
    for who, visits in pages(state).items():
        client = Client()
        if who:
            client.force_login(User.objects.get(username=who))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for visit in visits:
            page = read(client, visit, language)
            if not visit.headers:  # a whole page, not a fragment htmx puts into one
                direction = "rtl" if language == "ar" else "ltr"
                assert page.html.get("lang") == language and page.html.get("dir") == direction, (
                    who,
                    visit.path,
                    page.html,
                )
            text = page.text()
            found = set()
            if english is not None:
                found |= {text[max(0, m.start() - 30) : m.end() + 30] for m in english.finditer(text)}
            if language in NOT_LATIN:
                found |= set(_unmarked(text, vocabulary))
            if found:
                found = sorted(found)
                if True:
                    left[f"{who or 'visitor'} {'POST ' if visit.post else ''}{visit.path}"] = found
    assert not left, f"{language}: English left in {len(left)} pages: {left}"


def _routes() -> dict[str, str]:
    """Every named route of the project, namespaced ("admin:index"), with its pattern."""
    from django.urls import URLResolver, get_resolver

    found = {}

    def walk(resolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern, prefix + str(pattern.pattern), inner)
            else:
                found[f"{namespace}{pattern.name}"] = prefix + str(pattern.pattern)

    walk(get_resolver(), "", "")
    return found


# Whole namespaces no page of which is this test's: the admin is Django's, in Django's own catalogues;
# the API answers JSON (its problem details are test_api.py's) and its documentation page is
# test_api_docs's.
NOT_READ_NAMESPACES = {
    "admin": "Django's admin, in Django's own catalogues",
    "api": "JSON, and the API's docs",
}


def test_every_route_is_read_or_has_a_reason_not_to_be(world):
    """A page added to drafting/urls.py without being read here in six languages fails this test."""
    from django.urls import Resolver404, resolve

    state, _ = world
    read_here = set()
    for visits in pages(state).values():
        for visit in visits:
            try:
                read_here.add(resolve(visit.path.split("?")[0]).view_name)
            except Resolver404:
                pass  # the page of no route: the 404 page
    routes = _routes()
    outside = {n for n in routes if n.partition(":")[0] in NOT_READ_NAMESPACES and ":" in n}
    missing = sorted(set(routes) - read_here - set(NOT_READ) - ACTIONS - outside)
    assert not missing, (
        "routes no page of which is read in the six languages, nor listed in NOT_READ: "
        + ", ".join(f"{name} ({routes[name]})" for name in missing)
    )
    assert not (read_here & set(NOT_READ)), read_here & set(NOT_READ)
    assert set(NOT_READ) <= set(routes), set(NOT_READ) - set(routes)


@pytest.mark.parametrize("path", ["consolidation", "edition", "editor"])
def test_a_page_cached_in_one_language_is_not_served_in_another(demo_db, six, path):
    """The synoptic rows, the editor's clauses and the edition page are cached (fragments, a whole
    page): each language has its own copy, or the second reader gets the first one's words."""
    from django.contrib.auth.models import User

    from drafting.models import Consolidation, Proposal

    url = {
        "consolidation": f"/consolidations/{Consolidation.objects.get().pk}/",
        "edition": "/resolutions/wtsa/75/hammamet-2016/",
        "editor": f"/proposals/{Proposal.objects.get(contribution__group__code='ATU').pk}/",
    }[path]
    client = Client()
    client.force_login(User.objects.get(username="secretariat"))
    pages = {}
    for language in ["ru", "en", "ru"]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages[language] = read(client, Visit(url), language).text()
    cyrillic = re.compile("[\u0400-\u04ff]{4,}")
    assert not cyrillic.findall(pages["en"]), cyrillic.findall(pages["en"])[:5]
    assert cyrillic.search(pages["ru"])


def test_the_engine_s_messages_are_said_in_the_reader_s_language(six):
    """The engine imports nothing of Django: its messages keep their template (drafting.engine.said),
    and drafting.translation.say puts them in the reader's language, values and all."""
    from django.utils import translation

    from drafting.engine.parse import ParseError, parse_resolution
    from drafting.translation import say

    with pytest.raises(ParseError) as raised:
        parse_resolution("x" * 3_000_000)
    english = str(raised.value)
    assert "3,000,000" in english
    for code, folder in LANGUAGES.items():
        entry = catalogue(folder).find(raised.value.args[0].template)
        assert entry is not None, (code, "not in the catalogue")
        with translation.override(code):
            said = say(raised.value)
        if entry.msgstr:
            assert said == entry.msgstr % raised.value.args[0].params
            assert said != english and "3,000,000" in said


def test_an_invitation_is_written_in_the_language_its_person_chose(six, settings, mailoutbox):
    """E-mails are written in the recipient's language (their profile's), not the sender's."""
    from django.utils import translation

    from drafting.models.people import DELEGATES, profile_of
    from drafting.services.accounts import send_invitations
    from tests.drafting_factories import group, person

    settings.SEND_EMAIL = True
    amina = person("amina", DELEGATES, group("ATU"))
    amina.email = "amina@example.org"
    amina.save()
    profile = profile_of(amina)
    profile.language = "fr"
    profile.save()
    with translation.override("ru"):  # whoever sends them, in whatever language
        assert send_invitations([amina.pk]) == 1
    french = catalogue("fr").find("Your account on the ITU drafting tool").msgstr
    assert mailoutbox[0].subject == french
    assert (
        catalogue("fr").find("If you did not expect this message, you can ignore it.").msgstr
        in mailoutbox[0].body
    )


def actions(state: dict) -> tuple[list[tuple[str, str, Callable[[], dict], dict]], type]:
    """Each action (who, path, the form it posts, headers), in an order where each finds what it acts
    on: a delegate's changes to their draft, its submission and withdrawal, a rebase, the secretariat's
    settlements, their undo, a consolidation opened and one adopted."""
    from drafting.models import (
        Conference,
        Consolidation,
        Contribution,
        Edition,
        Proposal,
        ProposalUpload,
        UndoableAction,
    )

    rcc = Proposal.objects.get(contribution__group__code="RCC", action=Proposal.MOD)
    contribution = rcc.contribution
    key = str(rcc.base_edition.clauses.filter(kind="item").order_by("position")[4].provision.key)
    consolidation = Consolidation.objects.get()
    first = str(consolidation.base_edition.clauses.filter(kind="item").order_by("position")[0].provision.key)
    atu = Contribution.objects.get(group__code="ATU", conference__code="WTSA-24")
    preview = state["preview"]
    newest = Edition.objects.filter(resolution=preview.resolution).latest("year")
    word = state["word"]

    def latest(model, **where):
        return lambda: model.objects.filter(**where).latest("pk").pk

    def fresh(obj, field="version"):
        return lambda: getattr(type(obj).objects.get(pk=obj.pk), field)

    from django.core.files.uploadedfile import SimpleUploadedFile

    d = "rcc-delegate"
    return [
        (
            d,
            f"/contributions/{contribution.pk}/edit/",
            lambda: {"version": fresh(contribution)(), "title": "A"},
            {},
        ),
        (d, f"/proposals/{rcc.pk}/reasons/", lambda: {"reasons": "To align it."}, {}),
        (d, f"/proposals/{rcc.pk}/clauses/{key}/suppress/", dict, {}),
        (d, f"/proposals/{rcc.pk}/clauses/{key}/restore/", dict, {}),
        (d, f"/proposals/{rcc.pk}/clauses/{key}/edit/", lambda: {"text": "to act;", "version": 0}, HX),
        (d, f"/proposals/{rcc.pk}/clauses/{key}/restore-version/", lambda: {"index": 0}, {}),
        (
            d,
            f"/proposals/{rcc.pk}/replace/",
            lambda: {"find": "ITU", "replace": "the ITU"},
            HX,
        ),
        (
            d,
            f"/contributions/{contribution.pk}/proposals/",
            lambda: {"action": "NOC", "edition": newest.pk},
            {},
        ),
        (
            d,
            f"/contributions/{contribution.pk}/import/",
            lambda: {"file": SimpleUploadedFile("rcc.docx", word), "edition": rcc.base_edition_id},
            {},
        ),
        (
            d,
            f"/contributions/{contribution.pk}/import/confirm/",
            lambda: {"upload": latest(ProposalUpload)()},
            {},
        ),
        (
            d,
            "/citations/update/draft/",
            lambda: {"contribution": contribution.pk, "cited": rcc.resolution_id},
            {},
        ),
        (d, f"/undo/{0}/", dict, {}),
        ("rcc-coordinator", f"/contributions/{contribution.pk}/submit/", dict, {}),
        ("rcc-coordinator", f"/contributions/{contribution.pk}/withdraw/", dict, {}),
        ("atu-delegate", f"/contributions/{atu.pk}/revise/", dict, {}),
        ("apt-delegate", f"/proposals/{preview.pk}/rebase/", lambda: {"edition": newest.pk}, {}),
        (
            "apt-delegate",
            "settle",
            dict,
            {},
        ),
        (
            "secretariat",
            f"/consolidations/{consolidation.pk}/settle/",
            lambda: {"key": first, "choice": "base", "version": 0},
            {},
        ),
        ("secretariat", "undo", lambda: {}, {}),
        (
            "secretariat",
            f"/consolidations/{consolidation.pk}/settle-many/",
            lambda: {"rule": "one-group:ATU", "version": fresh(consolidation)()},
            {},
        ),
        (
            "secretariat",
            f"/consolidations/open/{Conference.objects.get(code='WTSA-16').pk}/{preview.resolution_id}/",
            dict,
            {},
        ),
        (
            "secretariat",
            f"/consolidations/{consolidation.pk}/edition/",
            lambda: {"edition": preview.base_edition_id, "version": fresh(consolidation)()},
            {},
        ),
        (
            "secretariat",
            f"/consolidations/{consolidation.pk}/adopt/",
            lambda: {"leave_open": "1", "version": fresh(consolidation)()},
            {},
        ),
        ("secretariat", "/library/import/confirm/", lambda: {"token": "gone"}, {}),
    ], UndoableAction


def test_every_action_answers_in_the_reader_s_language(world, catalogues, six):
    """The answer to each action (the page it lands on with its message, or the fragment htmx puts in
    place) read in Russian: the catalogue's English left, and English never marked for translation.
    One language: whether a message goes through the catalogue does not depend on which one."""
    from django.contrib.auth.models import User
    from django.urls import resolve

    from drafting.models import RebaseConflict

    state, _ = world
    language = "ru"
    english, vocabulary = six[language], catalogues[2][language]
    steps, undoable = actions(state)
    clients: dict[str, Client] = {}
    left, done = {}, set()
    for who, path, form, headers in steps:
        client = clients.get(who)
        if client is None:
            client = clients[who] = Client()
            client.force_login(User.objects.get(username=who))
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if path == "settle":  # the first change the rebase left to settle
            conflict = RebaseConflict.objects.filter(proposal=state["preview"]).earliest("pk")
            path = f"/proposals/{conflict.proposal_id}/rebase/conflicts/{conflict.pk}/settle/"
        if path == "undo" or path.startswith("/undo/"):
            path = f"/undo/{undoable.objects.filter(user__username=who).latest('pk').pk}/"
        done.add(resolve(path).view_name)
        response = client.post(path, form(), follow=not headers, **headers)
        assert response.status_code < 500, (path, response.status_code)
        page = Visible(language)
        page.feed(response.content.decode())
        text = page.text()
        found = {text[max(0, m.start() - 30) : m.end() + 30] for m in english.finditer(text)}
        found |= set(_unmarked(text, vocabulary))
        if found:
            left[f"{who} POST {path}"] = sorted(found)
    assert done >= ACTIONS, ACTIONS - done
    assert not left, f"{language}: English left in {len(left)} answers: {left}"
