"""The message catalogues of the five languages besides English (locale/<ll>/LC_MESSAGES/django.po):
complete, none of their entries fuzzy, each translation keeping its English's placeholders and markup,
and the compiled catalogue committed beside each (.mo, so that neither the Docker image nor ./dev
needs GNU gettext) holding exactly what its .po says.

Read with polib (pure Python): the suite runs on machines without gettext, and a .mo is a binary a
test must read back to compare."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = ["fr", "es", "ru", "ar", "zh_Hans"]
# Placeholders a translation must keep (python-format and Django's), and the markup it must keep.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")


def catalogue(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def entries(language: str) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(catalogue(language))) if not e.obsolete]


def translations(entry: polib.POEntry) -> list[str]:
    """The entry's translated texts: its msgstr, or every plural form."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def name(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    missing = [name(e) for e in entries(language) if not all(t.strip() for t in translations(e))]
    fuzzy = [name(e) for e in entries(language) if "fuzzy" in e.flags]
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy (to check, then unmark), e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_and_markup_of_its_english(language):
    """The same placeholders and tags, in any order (a language may put the words another way round):
    a placeholder the English does not have raises when a page says the message, one left out loses
    what the message was to say. A plural form may leave a placeholder out ("one clause" for n=1, and
    Arabic's forms for zero, one and two), never add one nor change the markup."""
    wrong = []
    for e in entries(language):
        english = PLACEHOLDER.findall(e.msgid) + PLACEHOLDER.findall(e.msgid_plural or "")
        names = {k for k in english if not k.startswith("<")}
        # A form may say a value twice ("%(n)d of %(n)d"), never one the English does not have.
        for text in translations(e):
            if not text:
                continue  # reported as untranslated
            found = PLACEHOLDER.findall(text)
            said = {k for k in found if not k.startswith("<")}
            tags = Counter(k for k in found if k.startswith("<"))
            english_tags = Counter(
                k for k in PLACEHOLDER.findall(e.msgid_plural or e.msgid) if k.startswith("<")
            )
            if said - names or tags != english_tags or (not e.msgid_plural and said != names):
                wrong.append((name(e), text))
    assert not wrong, f"{language}: {len(wrong)} translations change placeholders or markup, e.g. {wrong[:3]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_its_po_says(language):
    """The committed .mo is the .po compiled: no translation lost, none stale, none extra."""
    po = catalogue(language)
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{language}: not compiled (manage.py compilemessages), so not offered"
    compiled = {(e.msgctxt, e.msgid): translations(e) for e in polib.mofile(str(mo)) if e.msgid}
    source = {
        (e.msgctxt, e.msgid): translations(e)
        for e in entries(language)
        if "fuzzy" not in e.flags and all(translations(e))
    }
    assert compiled == source, f"{language}: the .mo does not match the .po: run manage.py compilemessages"
