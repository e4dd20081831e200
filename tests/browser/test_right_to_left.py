"""The Arabic interface, right to left, around resolution texts that keep their own direction.

Arabic is offered here through settings.LANGUAGES (its compiled catalogue offers it too): the
page's direction and layout are what is checked, not the words."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.page_checks import SIDEWAYS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_arabic_page_runs_right_to_left_and_the_english_text_left_to_right(
    new_page, live_server, committed_demo, settings, width
):
    settings.LANGUAGES = [("en", "English"), ("ar", "العربية")]
    page = new_page(width)
    page.set_extra_http_headers({"Accept-Language": "ar"})
    page.goto(f"{live_server.url}/resolutions/wtsa/75/hammamet-2016/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # The header starts on the right: the tool's name there, the menu to its left.
    brand, nav = (
        page.locator(".site-header .brand").bounding_box(),
        page.locator(".site-header nav").bounding_box(),
    )
    assert brand["x"] + brand["width"] > width * 0.6, brand
    if width > 600:
        assert nav["x"] < brand["x"], (nav, brand)
    # The resolution's English text reads left to right: "a)" on the left of its words, not "(a".
    item = page.locator("#edition-text .item:has(.label)").first
    label, text = item.locator(".label").bounding_box(), item.locator(".text").bounding_box()
    assert label["x"] < text["x"], (label, text)
    assert page.evaluate("getComputedStyle(document.querySelector('#edition-text')).direction") == "ltr"
    assert page.evaluate(SIDEWAYS, width) == []
