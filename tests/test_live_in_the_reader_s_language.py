"""What the live channel says, in the page's language: the refusals of the fast path in front of
Django (drafting/live/wsgi.py: an expired pass, a bad number, a form it cannot read, too many
presence changes) and of the stream server (drafting/live/stream.py: an expired pass, too many
connections), and the citation check shown under the edit box.

The pages' requests to these carry no cookie (credentials: "omit"); they send the page's own
<html lang> as Accept-Language (the stream, which EventSource opens without headers of the page's
choosing, as ``lang``). Read without Django's middleware and without a query.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.utils import translation

from drafting import live
from drafting.live import presence
from drafting.live.wsgi import LiveChannelApp
from drafting.models.people import DELEGATES
from tests.drafting_factories import base_edition, group, mod_proposal, person
from tests.locales import LANGUAGES, catalogue
from tests.test_checks_in_the_reader_s_language import english_left
from tests.test_live_channel import _call, _environ
from tests.test_live_stream import Stream, run

STATIC = Path(__file__).resolve().parents[1] / "static" / "drafting"
EXPIRED = "This page's live updates have expired: reload the page."


@pytest.fixture(autouse=True)
def _keep_the_test_transaction(monkeypatch):
    monkeypatch.setattr("drafting.live.wsgi.close_old_connections", lambda: None)


def _not_django(environ, start_response):  # pragma: no cover - must not be reached
    raise AssertionError("reached Django")


def _asked(path: str, query: str = "", language: str = "", **extra) -> tuple[str, dict, bytes]:
    environ = _environ(path, query) | extra
    if language:
        environ["HTTP_ACCEPT_LANGUAGE"] = language
    return _call(LiveChannelApp(_not_django), environ)


def _post(path: str, form: dict, language: str, content_type="application/x-www-form-urlencoded"):
    body = urlencode(form).encode()
    return _asked(
        path,
        language=language,
        REQUEST_METHOD="POST",
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": io.BytesIO(body)},
    )


def _detail(body: bytes) -> str:
    import json

    return json.loads(body)["detail"]


def _assert_said_in_each(answer) -> None:
    """``answer(code)`` (a detail) is in each language: the English's words gone."""
    english = answer("en")
    for code in LANGUAGES:
        said = answer(code)
        assert said != english, (code, said)
        assert not english_left(english, said, code), (code, said)


@pytest.fixture
def world(db):
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    amina = person("amina", DELEGATES, atu)
    return proposal, amina


def test_an_expired_pass_is_refused_in_the_page_s_language_on_every_fast_path(db):
    for code, folder in LANGUAGES.items():
        expected = catalogue(folder).find(EXPIRED).msgstr
        assert expected
        for path, query in (("/live/events", "c=nonsense&after=0"),):
            status, _, body = _asked(path, query, code)
            assert status.startswith("403") and _detail(body) == expected, (code, body)
        status, _, body = _asked("/live/ticket", "", code, REQUEST_METHOD="POST", HTTP_X_LIVE_PASS="nonsense")
        assert status.startswith("403") and _detail(body) == expected
        for path in ("/live/presence", "/live/citations"):
            status, _, body = _post(path, {"p": "nonsense", "c": "nonsense"}, code)
            assert status.startswith("403") and _detail(body) == expected, (path, code, body)


def test_a_bad_request_on_the_fast_path_is_refused_in_the_page_s_language(world):
    proposal, amina = world
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    presence_pass = presence.pass_for(proposal.pk, amina)
    _assert_said_in_each(lambda code: _detail(_asked("/live/events", f"c={live_pass}&after=x", code)[2]))
    _assert_said_in_each(
        lambda code: _detail(
            _post("/live/presence", {"p": presence_pass, "key": "k", "state": "sleeping"}, code)[2]
        )
    )
    _assert_said_in_each(
        lambda code: _detail(
            _post("/live/presence", {"p": presence_pass, "key": "nope", "state": "editing"}, code)[2]
        )
    )
    _assert_said_in_each(
        lambda code: _detail(_post("/live/citations", {"c": live_pass}, code, "text/plain")[2])
    )
    _assert_said_in_each(
        lambda code: _detail(
            _post("/live/citations", {"c": live.pass_for("proposal:999999", can_edit=True)}, code)[2]
        )
    )


def test_the_citation_check_under_the_box_is_in_the_page_s_language(world):
    """The one answer live pages show as it comes: the check's list, rendered in the page's language."""
    proposal, _ = world
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    english = "No citation in this text."
    for code, folder in LANGUAGES.items():
        status, _, body = _post("/live/citations", {"c": live_pass, "text": "no reference here"}, code)
        assert status.startswith("200")
        html = body.decode()
        assert catalogue(folder).find(english).msgstr in html and english not in html, (code, html)
    # The page's <html lang> as the editor sends it, and what a browser sends when a page does not.
    for header, expected in (
        ("zh-hans", "zh_Hans"),
        ("zh", "zh_Hans"),
        ("fr-CA,fr;q=0.9,en;q=0.5", "fr"),
        ("ru", "ru"),
    ):
        html = _post("/live/citations", {"c": live_pass, "text": "none"}, header)[2].decode()
        assert catalogue(expected).find(english).msgstr in html
    for header in ("", "xx", "*", "en;q=1", "de-DE", "a" * 5000, ";;,,q="):
        html = _post("/live/citations", {"c": live_pass, "text": "none"}, header)[2].decode()
        assert english in html, header


def test_the_page_s_language_costs_the_poll_no_query(world, django_assert_num_queries):
    proposal, _ = world
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True)
    _asked("/live/events", f"c={live_pass}&after=0", "en")  # the process's first poll: warmed
    for code in ["ru", "ar", "fr-CA,fr;q=0.9", "en"]:
        with django_assert_num_queries(1):
            status, _, _ = _asked("/live/events", f"c={live_pass}&after=0", code)
        assert status.startswith("204")
    assert translation.get_language() in (None, "en", "en-us")  # nothing left active by a request


@pytest.mark.django_db(transaction=True)
def test_the_stream_refuses_in_the_page_s_language(settings):
    """EventSource sends no header of the page's choosing: live.js puts the page's language in the
    URL (``lang``); a client that sends Accept-Language is answered in it too."""
    settings.LIVE_STREAM_MAX_CONNECTIONS = 1
    channel = "proposal:7"
    good = live.pass_for(channel, can_edit=True)

    async def test(app):
        said: dict[str, dict[str, str]] = {}
        held = Stream(app, f"c={good}&after=0")
        await held.until(lambda s: s.status == 200)
        for code in ["en", *LANGUAGES]:
            said[code] = {}
            for name, query, headers in (
                ("expired", f"c=nonsense&after=0&lang={code}", []),
                ("expired by header", "c=nonsense&after=0", [(b"accept-language", code.encode())]),
                ("numbers", f"c={good}&after=x&lang={code}", []),
                ("full", f"c={good}&after=0&lang={code}", []),
            ):
                stream = Stream(app, query, headers)
                await stream.until(lambda s: s.ended)
                assert stream.status in (403, 400, 503), (name, stream.status)
                said[code][name] = _detail(stream.text.encode())
        await held.close()
        for name in said["en"]:
            _assert_said_in_each(lambda code, name=name: said[code][name])
        for code, folder in LANGUAGES.items():
            assert said[code]["expired"] == catalogue(folder).find(EXPIRED).msgstr

    run(test)


def test_live_pages_send_their_language_and_show_their_own_words_not_the_answers():
    """What live.js and the editor's scripts show of these answers: on a refused pass, the page's own
    words (data-live-stopped, translated in the template: test_interface_languages reads them in each
    language); never a refusal's ``detail``. The citation check's list is shown as it comes, so its
    request says the page's language, as every other request to /live/ does."""
    live_js = (STATIC / "live.js").read_text()
    editor_js = (STATIC / "editor.js").read_text()
    for script in (live_js, editor_js):
        assert not re.search(r"\.detail\b(?!\s*&&\s*event)", script.replace("event.detail", "")), (
            "a script shows a server's refusal: it must be in the page's language"
        )
    assert live_js.count('"Accept-Language": LANGUAGE') == 2  # the poll and the ticket
    assert '"&lang=" + encodeURIComponent(LANGUAGE)' in live_js  # the stream
    assert "document.documentElement.lang" in live_js
    assert editor_js.count('"Accept-Language": document.documentElement.lang') == 2  # presence, citations
    assert "editor.dataset.liveStopped" in editor_js
