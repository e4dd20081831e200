"""The five catalogues besides English compiled from their .po as they stand (polib: no GNU gettext
needed), into a folder the tests point settings.LOCALE_PATHS at, so that every language is offered
with the messages translated so far. test_catalogues.py checks that the committed .mo files say
what the .po files say; these tests check what pages do with them."""

from __future__ import annotations

from pathlib import Path

import polib

# Language code (as the cookie and <html lang> say it) and the catalogue's folder.
LANGUAGES = {"fr": "fr", "es": "es", "ru": "ru", "ar": "ar", "zh-hans": "zh_Hans"}


# The project's catalogues, wherever a test has pointed settings.LOCALE_PATHS.
SOURCE = Path(__file__).resolve().parents[1] / "locale"


def catalogue(folder: str) -> polib.POFile:
    return polib.pofile(str(SOURCE / folder / "LC_MESSAGES" / "django.po"))


def compile_into(root: Path) -> dict[str, polib.POFile]:
    """Each catalogue compiled under ``root`` (fuzzy entries left out, as msgfmt does); the .po read."""
    read = {}
    for code, folder in LANGUAGES.items():
        po = catalogue(folder)
        target = root / folder / "LC_MESSAGES"
        target.mkdir(parents=True, exist_ok=True)
        po.save_as_mofile(str(target / "django.mo"))
        read[code] = po
    return read
