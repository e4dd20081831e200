"""What the tool keeps and shows later is said in the language of whoever reads it, not of whoever
caused it: notifications (the page, the bell's announcement, the e-mail) and the notes the citation
parser keeps on a citation (the pages that list citations).

Each thing is made while another language is active (a Russian delegate's action, a Russian request),
then read by a person whose language is another (French, Arabic), through the real page with the
language cookie, or by the e-mail written in the recipient's remembered language. The expected words
come from the committed catalogues (.po), not from the code under test.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from drafting import live
from drafting.models import Conference, JobMark, LiveEvent, Notification
from drafting.models.people import COORDINATORS, DELEGATES, profile_of
from drafting.services.amendments import add_comment, modify_clause
from drafting.services.contributions import submit_contribution, withdraw_contribution
from drafting.services.notifications import fan_out, remind_deadlines, summarise_draft_changes
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person
from tests.locales import catalogue

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]  # once: tests/conftest.py, shares
CYRILLIC = re.compile("[\u0400-\u04ff]")
ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.fixture(autouse=True)
def _english_after():
    """Django's LocaleMiddleware leaves the last request's language active in the thread: the tests
    after these must not read Arabic."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def said_in(folder: str, msgid: str) -> str:
    """The catalogue's words for ``msgid``."""
    entry = catalogue(folder).find(msgid)
    assert entry is not None and entry.msgstr, (folder, msgid)
    return entry.msgstr


def named(username: str, role: str, regional_group, *, language: str = "") -> User:
    user = person(username, role, regional_group)
    user.first_name = username.title()
    user.email = f"{username}@example.org"
    user.save()
    if language:
        profile = profile_of(user)
        profile.language = language
        profile.save()
    return user


@pytest.fixture
def world(settings):
    settings.SEND_EMAIL = True
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    people = {
        "irina": named("irina", COORDINATORS, atu, language="ru"),
        "chen": named("chen", COORDINATORS, atu, language="fr"),
        "amina": named("amina", DELEGATES, atu, language="ar"),
    }
    return proposal, people, clause_keys(edition)


def reader(user: User, language: str) -> Client:
    """A logged-in person reading in ``language``, chosen with the header's switch."""
    client = Client()
    client.force_login(user)
    assert client.post("/language/", {"language": language, "next": "/"}).status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    return client


def listed(client: Client) -> str:
    """The notifications page's list, as the reader gets it."""
    page = client.get("/notifications/")
    assert page.status_code == 200
    return html.unescape(
        re.search(r'<ol class="notifications">.*?</ol>', page.content.decode(), re.S).group(0)
    )


def test_a_russian_delegate_s_comment_tells_a_french_coordinator_in_french(
    world, django_capture_on_commit_callbacks
):
    proposal, people, keys = world
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(people["chen"], proposal, keys["considering-a"], "Faut-il citer la Résolution 1332 ?")
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        add_comment(people["irina"], proposal, keys["considering-a"], "Да, в редакции 2016 года.")
    template = "%(who)s answered in a thread you wrote in, on %(proposal)s"
    words = {"who": "Irina", "proposal": proposal.label}
    page = listed(reader(people["chen"], "fr"))
    assert said_in("fr", template) % words in page
    assert said_in("ru", template) % words not in page
    # The comment itself stays as Irina wrote it: people's words are not the interface's.
    assert "Да, в редакции 2016 года." in page
    # The same notification, read by the same person in Arabic, is in Arabic.
    assert said_in("ar", template) % words in listed(reader(people["chen"], "ar"))
    # The e-mail went in Chen's remembered language (French), whoever wrote in what language.
    (message,) = [m for m in mail.outbox if m.to == ["chen@example.org"]]
    assert message.subject == said_in("fr", template) % words
    assert not CYRILLIC.search(message.subject)


def test_the_bell_announces_the_newest_notification_in_each_reader_s_language(
    world, django_capture_on_commit_callbacks
):
    proposal, people, _ = world
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        submit_contribution(people["irina"], proposal.contribution)
    latest = {
        name: LiveEvent.objects.filter(channel=live.user_channel(people[name].pk), kind="notified")
        .latest("pk")
        .data["latest"]
        for name in ("chen", "amina")
    }
    french_document = said_in("fr", "Addendum %(addendum)s to Document %(document)s") % {
        "addendum": 18,
        "document": "35",
    }
    template = "%(group)s's %(document)s was submitted to %(conference)s by %(who)s"
    assert latest["chen"] == said_in("fr", template) % {
        "group": "ATU",
        "document": french_document,
        "conference": "WTSA-24",
        "who": "Irina",
    }
    assert ARABIC.search(latest["amina"]) and not CYRILLIC.search(latest["amina"])
    assert not CYRILLIC.search(latest["chen"])


def _every_kind(world, capture) -> None:
    """One notification of each kind, each made while Russian is active."""
    proposal, people, keys = world
    contribution = proposal.contribution
    with translation.override("ru"):
        JobMark.objects.update_or_create(
            name="draft-changes", defaults={"at": timezone.now() - timedelta(minutes=5)}
        )
        modify_clause(people["irina"], proposal, keys["considering-c"], "Новый текст;", expected_version=0)
        summarise_draft_changes()
        with capture(execute=True):
            add_comment(people["chen"], proposal, keys["considering-a"], "Chen's question.")
            add_comment(people["amina"], proposal, keys["considering-a"], "Amina's question.")
            # A reply to both; then a new thread naming both.
            add_comment(people["irina"], proposal, keys["considering-a"], "Irina's answer.")
            add_comment(people["irina"], proposal, keys["considering-b"], "@chen @amina")
            submit_contribution(people["irina"], contribution)
            withdraw_contribution(people["irina"], contribution)
        fan_out.call(
            {
                "kind": "settled",
                "consolidation": 1,
                "clause": "a) the relevant outcomes",
                "groups": {"ATU": {"proposal": proposal.pk, "label": proposal.label}},
            }
        )
        fan_out.call(
            {
                "kind": "settled",
                "consolidation": 1,
                "clause": "b) the work",
                "groups": {"ATU": {"proposal": proposal.pk, "label": proposal.label}},
            }
        )
        fan_out.call(
            {
                "kind": "outcome",
                "consolidation": 1,
                "edition": {"body": "WTSA", "number": "75", "revision": "Rev. New Delhi, 2024"},
                "outcomes": {
                    "ATU": [
                        proposal.pk,
                        proposal.label,
                        {"kind": "partly adopted", "proposed": 18, "taken": 2, "modified": 0, "settled": 18},
                    ]
                },
            }
        )
        conference = Conference.objects.get(code="WTSA-24")
        conference.proposal_deadline = timezone.localdate() + timedelta(days=6)
        conference.save()
        remind_deadlines(timezone.localdate())


@pytest.mark.parametrize(("name", "language", "script"), [("chen", "fr", None), ("amina", "ar", ARABIC)])
def test_every_kind_of_notification_made_in_russian_is_read_in_the_reader_s_language(
    world, django_capture_on_commit_callbacks, name, language, script
):
    _every_kind(world, django_capture_on_commit_callbacks)
    user = world[1][name]
    kinds = set(Notification.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == {k for k, _ in Notification.KIND_CHOICES}, kinds
    page = listed(reader(user, language))
    # Only people's own words may be Russian (Irina's clause text, no comment of hers here is).
    assert not CYRILLIC.search(page.replace("Новый текст", "")), CYRILLIC.findall(page)
    titles = re.findall(r'<a class="title"[^>]*>(.*?)</a>', page, re.S)
    assert len(titles) == Notification.objects.filter(user=user).count()
    if script is not None:
        assert all(script.search(t) for t in titles), titles
    # French: each title is the catalogue's French, not the English kept for the admin.
    english = {n.title for n in Notification.objects.filter(user=user)}
    assert not english & {re.sub(r"<[^>]+>", "", t).strip() for t in titles}
    assert (
        said_in(language, "%(who)s named you in a comment on %(proposal)s")
        % {"who": "Irina", "proposal": world[0].label}
        in page
    )


def test_a_notification_kept_from_before_still_shows_its_words(world):
    """Rows made before notifications kept their data: their words, as stored, and no error."""
    _, people, _ = world
    Notification.objects.create(
        user=people["chen"], kind=Notification.SUBMITTED, title="Старые слова", url="/"
    )
    Notification.objects.create(
        user=people["chen"], kind=Notification.OUTCOME, title="Ancien titre", data={"proposal": "x"}
    )
    page = listed(reader(people["chen"], "fr"))
    assert "Старые слова" in page and "Ancien titre" in page


def test_what_a_notification_keeps_is_bounded(world):
    """A clause named at any length, settled again and again: the notification keeps a bounded record."""
    proposal, people, _ = world
    for n in range(40):
        fan_out.call(
            {
                "kind": "settled",
                "consolidation": 1,
                "clause": f"{n} " + "ж" * 5000,
                "groups": {"ATU": {"proposal": proposal.pk, "label": proposal.label}},
            }
        )
    (n,) = Notification.objects.filter(user=people["chen"])
    assert n.count == 40
    assert len(n.data["clauses"]) == 30 and all(len(c) <= 300 for c in n.data["clauses"])
    assert len(n.title) <= 300 and len(n.body) <= 2000
    with translation.override("fr"):
        from drafting.services.notifications import said

        title, _body = said(n)
    plural = catalogue("fr").find("%(n)s clause of %(proposal)s settled by the secretariat").msgstr_plural[1]
    assert title == plural % {"n": 30, "proposal": proposal.label}


# --- the citation parser's notes ------------------------------------------------------------

WRONG = (
    "RESOLUTION 64 (Rev. Kigali, 2022)\nA title\n(Kigali, 2022)\n"
    "The World Telecommunication Development Conference (Kigali, 2022),\n"
    "recalling\na)\tResolution 140 (Rev.\u00a0Buchrest, 2022) of the Plenipotentiary Conference;\n"
    "b)\tPP Resolution 71 (Rev. Dubai, 2014),\nresolves\n1\tto act, as resolves 3 above says.\n"
)


def _notes(language: str) -> list[str]:
    """The two notes the parser keeps on WRONG's citations, in ``language`` as its catalogue says them."""
    words = {"body": said_in(language, "Plenipotentiary Conference"), "year": 2014, "met": "Busan"}
    return [
        said_in(language, "did you mean %(place)s?") % {"place": "Bucharest"},
        said_in(language, "the %(body)s of %(year)s met in %(met)s, not %(place)s")
        % {**words, "place": "Dubai"},
    ]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_citation_s_note_kept_by_the_indexer_is_read_in_the_reader_s_language(language):
    from drafting.services.library import import_text
    from tests.citation_factories import bodies

    bodies()
    with translation.override("ru"):  # imported by someone reading in Russian
        edition = import_text(WRONG, body_code="WTDC").edition
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    report = html.unescape(client.get("/citations/stale/").content.decode())
    page = html.unescape(client.get(edition.get_absolute_url()).content.decode())
    for note in _notes(language):
        assert f"({note})" in report
        assert f"({note})" in page
    no_such_item = said_in(language, "this text has no such item")
    assert f"({no_such_item})" in page
    for english in ("did you mean", "met in Busan", "this text has no such item"):
        assert english not in report and english not in page
    # The API says them in the reader's language too.
    (citing,) = client.get("/api/citations/wrong").json()
    assert [c["message"] for c in citing["citations"]] == _notes(language)


def test_a_note_kept_before_notes_kept_their_template_is_shown_as_it_was():
    """Rows indexed before: their English, or the catalogue's words when the English is a whole message."""
    from drafting.models import Citation

    kept_before = Citation(message="this text has no such item", message_said=None)
    odd = Citation(message="did you mean Bucharest?", message_said=None)
    garbled = Citation(message="english", message_said={"template": "%(x)s and %(y)s", "params": {"x": 1}})
    with translation.override("fr"):
        assert kept_before.said_message == said_in("fr", "this text has no such item")
        assert odd.said_message == "did you mean Bucharest?"
        assert garbled.said_message == "english"


def test_every_note_the_parser_makes_is_a_message_of_the_catalogue():
    """The engine stays free of Django: its notes are English Messages keeping their template and
    values (drafting.engine.said); each template, and each value that is words, is in every catalogue."""
    from drafting.engine import citations as parser
    from drafting.engine.replace import check_citations
    from drafting.engine.said import Message
    from drafting.translation import kept, said_kept
    from tests.locales import LANGUAGES

    texts = [
        "Resolution 140 (Rev. Buchrest, 2022)",
        "Resolution 140 (Rev. Atlantis, 2022)",
        "PP Resolution 71 (Rev. Dubai, 2014)",
        "WTSA Resolution 1 (Rev. Hammamet, 2019)",
        "PP Resolution 71 (Rev. Dubai, 1990)",
        "Resolution 2 (Rev. Kigali, 1999)",
        "Resolution 140 (Rev. Dubai, 2018Bucharest, 2022)",
        "Resolution 77",
        "(Rev. Buchrest, 2022)",
        "(Rev. Atlantis, 2022)",
        "(Rev. Geneva, 1991)",
    ]
    said = []
    for text in texts:
        said += [c.message for c in parser.parse_citations(text) if c.message]
        said += [
            w.suggestion for w in check_citations([("k", text)], current={("PP", "71"): ("Busan", 2018, "x")})
        ]
    templates = {m.template for m in said}
    assert len(templates) >= 7, templates
    for message in said:
        assert isinstance(message, Message), message
        words = kept(message)
        for code, folder in LANGUAGES.items():
            po = catalogue(folder)
            for template in [
                words["template"],
                *(p["template"] for p in words["params"].values() if isinstance(p, dict)),
            ]:
                entry = po.find(template)
                assert entry is not None and entry.msgstr, (code, template)
        with translation.override("en"):
            assert said_kept(words) == str(message)


def test_the_editor_s_citations_to_check_are_in_the_reader_s_language(world):
    """Not kept, but made by the same parser: the proposal editor's "Citations to check"."""
    proposal, people, keys = world
    with translation.override("ru"):
        modify_clause(
            people["irina"],
            proposal,
            keys["considering-a"],
            "the relevant outcomes of Resolution 140 (Rev. Buchrest, 2022);",
            expected_version=0,
        )
    page = html.unescape(reader(people["chen"], "fr").get(proposal.get_absolute_url()).content.decode())
    warnings = re.search(r'<div id="citation-warnings">.*?</div>', page, re.S).group(0)
    assert said_in("fr", "did you mean %(place)s?") % {"place": "Bucharest"} in warnings
    assert "did you mean" not in warnings


# --- an export's failure ----------------------------------------------------------------------


def test_why_an_export_failed_is_read_in_the_reader_s_language(
    world, settings, django_capture_on_commit_callbacks
):
    """The worker builds the file in the installation's language, whoever asked: what went wrong is
    kept as what it says, and read in the language of whoever looks."""
    from drafting.models import Edition, Export
    from drafting.services.exports import request_export

    settings.LIBREOFFICE = "/nonexistent/soffice"  # LibreOffice missing where it was said to be
    _, people, _ = world
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        export = request_export(
            people["irina"], Export.EDITION, Edition.objects.get(), file_format=Export.PDF
        )
    export.refresh_from_db()
    assert export.status == Export.FAILED
    problem = export.error_said["params"]["problem"]
    for language in ("fr", "ar"):
        client = reader(people["irina"], language)
        page = html.unescape(client.get(f"/exports/{export.pk}/").content.decode())
        said = said_in(language, "LibreOffice could not make the PDF: %(problem)s") % {"problem": problem}
        assert said in page
        assert "could not make the PDF" not in page
        assert client.get(f"/api/exports/{export.pk}").json()["error"] == said


# --- what a rebase left to settle ---------------------------------------------------------------


def test_what_a_rebase_left_to_settle_is_read_in_the_reader_s_language(world):
    """A Russian delegate carries the draft onto a newer edition that changed the same words: the
    note kept with the conflict is read by a French and an Arabic colleague in their languages."""
    import copy

    from drafting.models import Edition, RebaseConflict
    from drafting.reading import edition_tree
    from drafting.services.library import save_tree
    from drafting.services.rebase import rebase_proposal

    proposal, people, keys = world
    modify_clause(
        people["irina"],
        proposal,
        keys["considering-a"],
        "the relevant outcomes of the World Summit on the Information Society, as reviewed;",
        expected_version=0,
    )
    base = proposal.base_edition
    tree = copy.deepcopy(edition_tree(base))
    clause = next(c for c, _ in tree.walk() if c.key == keys["considering-a"])
    clause.text = "the outcomes of the World Summit on the Information Society (WSIS), in 2005;"
    newer = Edition.objects.create(
        resolution=base.resolution,
        revision="Rev. Geneva, 2022",
        place="Geneva",
        year=2022,
        slug="geneva-2022",
        title=base.title,
        previous=base,
    )
    save_tree(newer, tree)
    with translation.override("ru"):
        rebase_proposal(people["irina"], proposal, newer)
    (conflict,) = RebaseConflict.objects.filter(proposal=proposal)
    english = conflict.note
    template = conflict.note_said["template"]
    assert english == template  # "The newer edition changed the same words.", nothing to put in it
    for name, language in (("chen", "fr"), ("amina", "ar")):
        client = reader(people[name], language)
        page = html.unescape(client.get(proposal.get_absolute_url()).content.decode())
        notes = re.findall(r'<p class="rebase-note"><a [^>]*>(.*?)</a>', page)
        assert notes == [said_in(language, template)]
        assert english not in page
        (left,) = client.get(f"/api/proposals/{proposal.pk}/rebase").json()["to_settle"]
        assert left["note"] == said_in(language, template)


def test_the_reasons_an_update_drafts_are_in_the_language_of_the_text_they_go_with():
    """The reasons written for a drafted citation update are the contribution's text: in the language
    of the resolution text they accompany, whoever clicked in whatever language."""
    from drafting.models import Contribution
    from drafting.services.citations.updates import draft_update
    from drafting.services.library import import_text
    from tests.citation_factories import bodies

    bodies()
    edition = import_text(WRONG, body_code="WTDC").edition
    conference = Conference.objects.create(
        body=edition.resolution.body, code="WTDC-25", place="Baku", year=2025
    )
    rcc = group("RCC", "RCC")
    contribution = Contribution.objects.create(
        conference=conference, group=rcc, document_number="3", title="Citation updates"
    )
    delegate = named("irina", DELEGATES, rcc, language="ru")
    with translation.override("ru"):
        (proposal,) = draft_update(delegate, contribution, citing_ids=[edition.resolution_id])
    assert edition.language == "en"
    assert proposal.reasons == "To correct citations of meetings that never took place."


# --- the live copies kept for every reader ------------------------------------------------------


def test_a_live_copy_of_the_draft_is_kept_per_language(world, monkeypatch):
    """The draft's live copy is rendered once and kept for every delegate asking: kept per language,
    or a French delegate gets the copy a Russian colleague's page left in the cache (it did)."""
    from drafting.live.wsgi import LiveChannelApp

    monkeypatch.setattr("drafting.live.wsgi.close_old_connections", lambda: None)  # the test's connection
    proposal, people, keys = world
    modify_clause(people["irina"], proposal, keys["considering-a"], "the first text;", expected_version=0)
    proposal.refresh_from_db()
    copies = {}
    for name, language in (("irina", "ru"), ("chen", "fr"), ("amina", "ar")):
        client = reader(people[name], language)
        page = client.get(proposal.get_absolute_url()).content.decode()
        live_pass = html.unescape(re.search(r'data-live-pass="([^"]+)"', page).group(1))
        asked = f"v={proposal.version}&lang={language}"
        answer = client.get(
            f"/live/proposals/{proposal.pk}/draft?{asked}", HTTP_X_LIVE_PASS=live_pass, HTTP_HX_REQUEST="true"
        )
        assert answer.status_code == 200
        copies[language] = answer.content.decode()

        # The copy kept is served in front of Django, in the language asked for.
        def django_app(environ, start_response):  # pragma: no cover - must not be reached
            raise AssertionError("a kept copy went through Django")

        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": f"/live/proposals/{proposal.pk}/draft",
            "QUERY_STRING": asked,
            "HTTP_X_LIVE_PASS": live_pass,
        }
        body = b"".join(LiveChannelApp(django_app)(environ, lambda status, headers: None)).decode()
        assert body == copies[language]
    modified = {code: said_in(code, "modified") for code in ("fr", "ar")}
    assert not CYRILLIC.search(copies["fr"]) and not CYRILLIC.search(copies["ar"])
    assert ARABIC.search(copies["ar"]) and CYRILLIC.search(copies["ru"])
    assert all(modified[code] in copies[code] for code in modified), modified


# --- what an undo says it undid -----------------------------------------------------------------


def test_what_an_undo_undid_is_said_in_the_language_of_the_moment(world):
    """An action is kept to be undone for a while; its words are said again when it is undone, in the
    language its person reads in then, not the one it was done in."""
    from drafting.models import UndoableAction
    from drafting.services.amendments import apply_replace, suppress_clause

    proposal, people, keys = world
    irina = people["irina"]
    with translation.override("ru"):
        suppress_clause(irina, proposal, keys["considering-b"])
        assert apply_replace(irina, proposal, "Standardization", "Standardisation") > 0
    suppressed, replaced = UndoableAction.objects.filter(user=irina).order_by("pk")
    assert CYRILLIC.search(suppressed.summary)  # said to her at once, in Russian
    client = reader(irina, "fr")
    for action in (replaced, suppressed):
        page = html.unescape(client.post(f"/undo/{action.pk}/", follow=True).content.decode())
        undone = said_in("fr", "Undone: %(what)s")
        said = re.search(re.escape(undone.split("%(what)s")[0]) + r"([^<]*)", page).group(1)
        assert said and not CYRILLIC.search(said), said
    suppressed_fr = said_in("fr", "Suppressed %(clause)s.") % {"clause": "b)"}
    assert suppressed_fr in page


def test_a_settlement_s_summary_is_said_in_the_language_of_the_moment():
    from drafting.models import Decision, UndoableAction
    from drafting.services.consolidation import BULK_AGREEMENT, settlement_summary

    one = UndoableAction(
        kind=UndoableAction.SETTLE, said={"name": "", "unnamed": "item", "choice": Decision.BASE}, summary="x"
    )
    many = UndoableAction(
        kind=UndoableAction.SETTLE_MANY, said={"count": 1, "rule": BULK_AGREEMENT, "group": ""}, summary="x"
    )
    with translation.override("fr"):
        choice = str(dict(Decision.CHOICES)[Decision.BASE])
        assert settlement_summary(one) == said_in("fr", "%(clause)s settled: %(choice)s.") % {
            "clause": said_in("fr", "a new item"),
            "choice": choice,
        }
        assert said_in("fr", "every agreement row: the text the groups agree on") in settlement_summary(many)
    # A row kept before (no data): its words.
    assert (
        settlement_summary(UndoableAction(kind=UndoableAction.SETTLE, summary="kept words")) == "kept words"
    )


def test_the_bell_of_someone_who_chose_no_language_speaks_their_page_s(
    world, django_capture_on_commit_callbacks
):
    """Who never chose a language reads in their browser's: their bell announces in the one their page
    was last in (as the bell saw it), not in the installation's."""
    proposal, people, _ = world
    kofi = named("kofi", DELEGATES, group("ATU"))  # no language chosen
    client = Client()
    client.force_login(kofi)
    assert client.get("/notifications/bell/", HTTP_ACCEPT_LANGUAGE="es").status_code == 200
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        submit_contribution(people["irina"], proposal.contribution)
    latest = (
        LiveEvent.objects.filter(channel=live.user_channel(kofi.pk), kind="notified")
        .latest("pk")
        .data["latest"]
    )
    spanish = said_in("es", "%(group)s's %(document)s was submitted to %(conference)s by %(who)s")
    assert latest == spanish % {
        "group": "ATU",
        "document": said_in("es", "Addendum %(addendum)s to Document %(document)s")
        % {"addendum": 18, "document": "35"},
        "conference": "WTSA-24",
        "who": "Irina",
    }
