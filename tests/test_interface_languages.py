"""Every page of every role, read in each of the six languages: no English left in its interface, and
the page says its language and direction (<html lang dir>).

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

The catalogues are compiled from their .po for the test (polib, no gettext needed), with only the
messages translated so far: a message not translated yet is test_catalogues.py's to report, and this
test checks what the pages do with the catalogue they have. Pages are fetched with the test client,
one client per person, the language chosen by the cookie the switch sets."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.test import Client

from tests.locales import LANGUAGES, catalogue, compile_into

pytestmark = pytest.mark.django_db
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
                if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", kept):
                    continue  # the translations keep these words ("Word", "API")
                if piece in data and re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", data):
                    continue  # the data holds these words: not to be told from it on a page
                pieces.add(piece)
    if not pieces:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(pieces, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory, demo_db, django_db_blocker):
    """The five catalogues compiled as they stand into a folder of their own, and for each language
    the pattern of its English left."""
    root = tmp_path_factory.mktemp("locale")
    with django_db_blocker.unblock():
        data = _data_words()
    return root, {code: _english_left(po, data) for code, po in compile_into(root).items()}


@pytest.fixture
def six(settings, catalogues):
    root, english = catalogues
    settings.LOCALE_PATHS = [root]
    settings.LANGUAGES = list(settings.ITU_LANGUAGES)
    return english


def pages() -> dict[str | None, list[tuple[str, dict]]]:
    """Each role's pages (path, extra request headers): those the accessibility walk visits, and the
    forms htmx opens in them."""
    from drafting.models import Consolidation, Contribution, Proposal

    rcc = Proposal.objects.get(contribution__group__code="RCC")
    atu = Proposal.objects.get(contribution__group__code="ATU")
    key = rcc.base_edition.clauses.filter(kind="item").order_by("position")[4].provision.key
    consolidation = Consolidation.objects.get()
    row = consolidation.base_edition.clauses.filter(kind="item").order_by("position")
    submitted = Contribution.objects.filter(status="submitted").first()
    return {
        None: [
            ("/", {}),
            ("/?q=WSIS", {}),
            ("/resolutions/wtsa/75/", {}),
            ("/resolutions/wtsa/75/hammamet-2016/", {}),
            ("/resolutions/council/1332/edition-1/", {}),
            ("/accounts/login/", {}),
            ("/no-such-page/", {}),
            ("/api/", {}),
        ],
        "rcc-delegate": [
            ("/home/", {}),
            ("/contributions/", {}),
            (f"/contributions/{rcc.contribution_id}/", {}),
            ("/contributions/new/", {}),
            (f"/contributions/{rcc.contribution_id}/import/", {}),
            ("/notifications/", {}),
            ("/account/tokens/", {}),
            ("/exports/", {}),
            ("/groups/", {}),
            (f"/proposals/{rcc.pk}/", {}),
            (f"/proposals/{rcc.pk}/clauses/{key}/edit/", HX),
            (f"/proposals/{rcc.pk}/clauses/{key}/add/", HX),
            (f"/proposals/{rcc.pk}/clauses/{key}/panel/", HX),
            (f"/proposals/{rcc.pk}/since/?since=yesterday", {}),
            (f"/proposals/{rcc.pk}/comments/", {}),
            (f"/proposals/{rcc.pk}/projector/", {}),
            ("/resolutions/wtsa/75/compare/", {}),
        ],
        "atu-coordinator": [
            (f"/proposals/{atu.pk}/", {}),
            (f"/contributions/{submitted.pk}/", {}),
            ("/groups/ATU/", {}),
        ],
        "observer": [
            ("/home/", {}),
            ("/contributions/", {}),
            ("/consolidations/", {}),
            (f"/proposals/{rcc.pk}/", {}),
            ("/proposals/999999/", {}),
        ],
        "secretariat": [
            ("/consolidations/", {}),
            (f"/consolidations/{consolidation.pk}/", {}),
            (f"/consolidations/{consolidation.pk}/settle/?key={row[0].provision.key}", {}),
            (f"/consolidations/{consolidation.pk}/fates/", {}),
            (f"/consolidations/{consolidation.pk}/draft/", {}),
            (f"/consolidations/{consolidation.pk}/adoption/", {}),
            (f"/consolidations/{consolidation.pk}/since/?since=yesterday", {}),
            ("/citations/stale/", {}),
            ("/groups/ATU/", {}),
            ("/library/import/", {}),
            ("/people/registration/", {}),
        ],
    }


def read(client: Client, path: str, headers: dict, language: str) -> Visible:
    response = client.get(path, follow=not headers, **headers)
    assert response.status_code in (200, 404), (path, response.status_code)
    page = Visible(language)
    page.feed(response.content.decode())
    return page


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_every_page_of_every_role_is_in_the_reader_s_language(demo_db, six, language):
    from django.contrib.auth.models import User

    english = six.get(language)
    left = {}
    for who, visits in pages().items():
        client = Client()
        if who:
            client.force_login(User.objects.get(username=who))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for path, headers in visits:
            page = read(client, path, headers, language)
            if not headers:  # a whole page, not a fragment htmx puts into one
                direction = "rtl" if language == "ar" else "ltr"
                assert page.html.get("lang") == language and page.html.get("dir") == direction, (
                    who,
                    path,
                    page.html,
                )
            if english is not None:
                text = page.text()
                found = sorted({text[max(0, m.start() - 30) : m.end() + 30] for m in english.finditer(text)})
                if found:
                    left[f"{who or 'visitor'} {path}"] = found
    assert not left, f"{language}: English left in {len(left)} pages: {left}"


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
        pages[language] = read(client, url, {}, language).text()
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
