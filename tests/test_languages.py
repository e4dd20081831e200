"""The language a person reads the tool in (drafting.languages): Accept-Language at a first visit,
the switch remembered in the cookie and on the profile (so that it follows the person to another
computer), right-to-left pages for Arabic, and only languages whose catalogue is compiled offered.

These tests offer English, French and Arabic through settings.LANGUAGES (what compiled catalogues
do: all six are), so that they check the machinery whatever is compiled; the catalogues themselves
are test_catalogues.py's, the pages in every language test_interface_languages.py's."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from drafting.models.people import DELEGATES, profile_of
from tests.drafting_factories import base_edition, group, person

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]  # once: tests/conftest.py, shares

OFFERED = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]


@pytest.fixture
def offered(settings):
    settings.LANGUAGES = OFFERED
    return settings


@pytest.fixture
def amina():
    base_edition()
    return person("amina", DELEGATES, group("ATU"))


def chosen(user) -> str:
    """The language on the person's profile, as stored (not a copy cached on the user object)."""
    return profile_of(User.objects.get(pk=user.pk)).language


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


@pytest.mark.parametrize(
    ("header", "lang", "direction"),
    [
        ("fr-CA,fr;q=0.9,en;q=0.5", "fr", "ltr"),
        ("ar-EG", "ar", "rtl"),
        ("de-DE,de", "en", "ltr"),
        ("", "en", "ltr"),
    ],
)
def test_a_first_visit_reads_the_browser_s_language(client, offered, header, lang, direction):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert html_tag(response) == f'<html lang="{lang}" dir="{direction}">'


def test_the_switch_is_remembered_by_the_cookie_then_by_the_profile_on_another_computer(offered, amina):
    laptop = Client()
    laptop.post("/accounts/login/", {"username": "amina", "password": "pw"})
    switched = laptop.post("/language/", {"language": "ar", "next": "/contributions/"})
    assert switched.status_code == 302 and switched["Location"] == "/contributions/"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert chosen(amina) == "ar"
    assert 'dir="rtl"' in html_tag(laptop.get("/contributions/", HTTP_ACCEPT_LANGUAGE="fr"))
    # Another computer, whose browser asks for French: after login, the profile's Arabic wins.
    phone = Client()
    assert 'lang="fr"' in html_tag(phone.get("/", HTTP_ACCEPT_LANGUAGE="fr"))
    phone.post("/accounts/login/", {"username": "amina", "password": "pw"})
    assert html_tag(phone.get("/contributions/", HTTP_ACCEPT_LANGUAGE="fr")) == '<html lang="ar" dir="rtl">'


def test_a_language_chosen_before_login_becomes_the_person_s(offered, amina):
    client = Client()
    client.post("/language/", {"language": "fr", "next": "/"})
    assert chosen(amina) == ""
    client.post("/accounts/login/", {"username": "amina", "password": "pw"})
    assert chosen(amina) == "fr"


@pytest.mark.parametrize("code", ["de", "", "x" * 5000, "../../etc"])
def test_a_language_not_offered_changes_nothing(client, offered, amina, code):
    client.post("/accounts/login/", {"username": "amina", "password": "pw"})
    response = client.post("/language/", {"language": code, "next": "/contributions/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert chosen(amina) == ""


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_the_switch_goes_back_only_to_this_site(client, offered, target):
    response = client.post("/language/", {"language": "fr", "next": target})
    assert response["Location"] == "/"


def test_the_switch_is_shown_only_when_more_than_one_language_is_offered(client, settings):
    settings.LANGUAGES = [("en", "English")]
    assert "language-switch" not in client.get("/").content.decode()
    settings.LANGUAGES = OFFERED
    html = client.get("/").content.decode()
    assert '<option value="ar" lang="ar">العربية</option>' in html


def test_only_compiled_catalogues_are_offered():
    """A language is offered once its catalogue is compiled: never a page half in another language."""
    from django.utils.translation import to_locale

    for code, _ in settings.LANGUAGES:
        compiled = settings.LOCALE_PATHS[0] / to_locale(code) / "LC_MESSAGES" / "django.mo"
        assert code == settings.LANGUAGE_CODE or compiled.exists(), code


def _untranslated(po_path) -> list[str]:
    """The messages of a catalogue with no translation, or only a fuzzy one (msgfmt leaves those out)."""
    import polib

    return [e.msgid for e in polib.pofile(str(po_path)) if not e.translated() and not e.obsolete]


def test_a_catalogue_is_compiled_only_when_complete():
    """A compiled catalogue (.mo, committed beside its .po so that neither the Docker image nor ./dev
    needs GNU gettext) is complete: a language is offered whole or not at all."""
    for compiled in settings.LOCALE_PATHS[0].glob("*/LC_MESSAGES/django.mo"):
        missing = _untranslated(compiled.with_suffix(".po"))
        assert not missing, f"{compiled.parent.parent.name}: {len(missing)} untranslated, e.g. {missing[:3]}"


@pytest.mark.parametrize("language", ["fr", "es", "ru", "ar", "zh_Hans"])
def test_the_chrome_of_every_page_is_translated(language):
    """The header, the menu, the footer, the login page and the words said around revision marks:
    translated in every catalogue (test_catalogues.py checks every message, placeholders and markup)."""
    import polib

    po = settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.po"
    pairs = {e.msgid: e.msgstr for e in polib.pofile(str(po)) if e.translated() and not e.msgid_plural}
    chrome = [
        "Skip to content",
        "Library",
        "Contributions",
        "Consolidation",
        "Exports",
        "Groups",
        "Log in",
        "Log out",
        "Language",
        "Change language",
        "Username",
        "Password",
        "[insertion start]",
        "[deletion end]",
        "Log in with %(sso_provider)s",
    ]
    for msgid in chrome:
        assert pairs.get(msgid), (language, msgid)
    # Every translation made keeps its English's placeholders and markup (in any order: a language may
    # put the words another way round); a fuzzy guess is no translation (msgfmt leaves it out).
    for msgid, msgstr in pairs.items():
        assert sorted(re.findall(r"%\(\w+\)s|<[^>]+>", msgid)) == sorted(
            re.findall(r"%\(\w+\)s|<[^>]+>", msgstr)
        ), msgid
