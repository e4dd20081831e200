"""The main pages in each of the five languages besides English, on a 390 px phone: nothing wider
than the window, nothing hidden sideways (page_checks.SIDEWAYS). Translations run longer than their
English (French and Russian by a third), or set words that do not break (Chinese): a button or a
heading that fitted in English may not. English at both widths is test_mobile_layout.py's.

One login per language and the pages a day goes through, to keep it to a few seconds each."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.page_checks import SIDEWAYS
from tests.locales import LANGUAGES, compile_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 390
# Beyond the day's pages, one more of the secretariat's per language (one page costs a second or two
# here): a table or a preview whose longer words might not fit. Every page's words in every language
# are test_interface_languages.py's; this is about their width.
MORE = {
    "fr": "/consolidations/{consolidation}/settle-many/?rule=one-group:ATU",
    "es": "/citations/stale/",
    "ru": "/people/registration/",
    "ar": "/consolidations/{consolidation}/adoption/",
    "zh-hans": "/consolidations/{consolidation}/fates/",
}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    root = tmp_path_factory.mktemp("locale")
    compile_into(root)
    return root


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_main_pages_fit_a_phone_in_every_language(
    new_page, live_server, committed_demo, settings, compiled, language
):
    from django.contrib.auth.models import User

    from drafting.models import Consolidation, Proposal

    settings.LOCALE_PATHS = [compiled]
    settings.LANGUAGES = list(settings.ITU_LANGUAGES)
    for user in User.objects.filter(username__in=["secretariat", "rcc-delegate"]):
        user.set_password("pw")
        user.save()
    consolidation = Consolidation.objects.get(resolution__number="75")
    rcc = Proposal.objects.get(contribution__group__code="RCC")
    page = new_page(WIDTH)
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    wide = {}

    def check(path: str) -> None:
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        problems = page.evaluate(SIDEWAYS, WIDTH)
        if problems:
            wide[path] = problems

    for path in ["/", "/resolutions/wtsa/75/hammamet-2016/"]:
        check(path)
    log_in(page, live_server, "rcc-delegate", land=False)
    for path in ["/contributions/", f"/contributions/{rcc.contribution_id}/", f"/proposals/{rcc.pk}/"]:
        check(path)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    log_in(page, live_server, "secretariat", land=False)
    for path in [
        "/consolidations/",
        f"/consolidations/{consolidation.pk}/",
        f"/consolidations/{consolidation.pk}/draft/",
        "/groups/ATU/",
        MORE[language].format(consolidation=consolidation.pk),
    ]:
        check(path)
    assert not wide, f"{language} at {WIDTH} px: {wide}"
