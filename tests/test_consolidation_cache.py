"""The synoptic view costs what changed: a settlement re-renders its row, readers share one
rendering, the secretariat's forms stay its own, the settle form is answered with the row, and
the page follows the decisions live."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.middleware.csrf import _unmask_cipher_token
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from drafting import caching, live
from drafting.live.wsgi import LiveChannelApp
from drafting.models import Clause, Consolidation, LiveEvent
from drafting.models.people import DELEGATES
from drafting.services.consolidation import adopt, compile_consolidation, settle_clause
from drafting.views import page_state
from drafting.views.consolidation import synoptic_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo_db):
    consolidation = Consolidation.objects.get(resolution__number="75")
    officer = User.objects.get(username="secretariat")
    reader = User.objects.get(username="cept-delegate")
    return consolidation, officer, reader


def key_of(consolidation, anchor: str) -> str:
    return str(Clause.objects.get(edition=consolidation.base_edition, anchor=anchor).provision.key)


def _fresh(consolidation) -> Consolidation:
    return Consolidation.objects.select_related(
        "conference", "resolution__body", "base_edition", "adopted_edition"
    ).get(pk=consolidation.pk)


def _request(user, query: str = ""):
    request = RequestFactory().get(f"/consolidations/1/?{query}")
    request.user = user
    return request


def stamps(consolidation, user) -> dict[str, str]:
    return {i["row"].key: i["stamp"] for i in synoptic_context(_request(user), _fresh(consolidation))["rows"]}


def changed(before: dict, after: dict) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def render_rows(consolidation, user) -> str:
    request = _request(user)
    return render_to_string(
        "drafting/consolidation_detail.html#synoptic",
        synoptic_context(request, _fresh(consolidation)),
        request=request,
    )


def test_settling_a_clause_changes_its_row_only(world):
    consolidation, officer, reader = world
    key = key_of(consolidation, "resolves-4")
    before = stamps(consolidation, reader)
    settle_clause(officer, _fresh(consolidation), key, "base")
    assert changed(before, stamps(consolidation, reader)) == {key}
    render_rows(consolidation, reader)
    cached = render_rows(consolidation, reader)
    from django.core.cache import cache

    cache.clear()
    caching.consolidation_contexts.clear()
    assert cached == render_rows(consolidation, reader)
    assert "suppressed" in cached or "Keep" in cached or key in cached


def test_adopting_changes_no_readers_row_and_every_row_with_a_settle_form(world):
    consolidation, officer, reader = world
    before_reader, before_officer = stamps(consolidation, reader), stamps(consolidation, officer)
    adopt(officer, _fresh(consolidation), leave_open_as_base=True)
    # The adopted edition joins the library (citations may point to it): every stamp says so, but
    # what a reader's row shows of the consolidation is the same.
    after_reader = stamps(consolidation, reader)
    assert changed(before_reader, after_reader) == set(before_reader)
    assert {k: v[:24] for k, v in before_reader.items()} == {k: v[:24] for k, v in after_reader.items()}
    assert changed(before_officer, stamps(consolidation, officer)) == set(before_officer)


def test_a_new_submission_changes_every_row_a_new_column_is_added_to(world):
    from drafting.demo.synthetic import synthetic_proposals

    consolidation, _, reader = world
    before = stamps(consolidation, reader)
    # RCC drafts and submits its proposals on Res. 75: a new column in every row.
    synthetic_proposals(
        consolidation.base_edition, consolidation.conference, groups=[("RCC", "RCC")], tag="-x"
    )
    after = stamps(consolidation, reader)
    assert after.keys() > before.keys()  # and RCC's added item is a new row
    assert changed(before, after) == set(after)


def test_readers_share_one_rendering_and_the_view_costs_constant_queries(
    world, django_assert_max_num_queries
):
    consolidation, _, _ = world
    url = consolidation.get_absolute_url()
    readers = [Client(), Client()]
    readers[0].force_login(User.objects.get(username="cept-delegate"))
    readers[1].force_login(User.objects.get(username="apt-delegate"))
    assert readers[0].get(url).status_code == 200
    with django_assert_max_num_queries(10):
        second = readers[1].get(url)
    assert second.status_code == 200
    assert caching.consolidation_contexts.hits >= 1


def test_officers_share_the_rows_and_each_gets_a_settle_form_with_their_own_csrf_token(world):
    consolidation, officer, _ = world
    other = User.objects.create_user("officer-2")
    other.groups.set(officer.groups.all())
    key = key_of(consolidation, "resolves-4")
    tokens, synoptic = {}, {}
    for user in (officer, other):
        client = Client()
        client.force_login(user)
        html = client.get(consolidation.get_absolute_url()).content.decode()
        # Scripts after the rows carry the response's own CSP nonce: the rest is shared.
        shared = html[html.index('id="synoptic"') : html.index('id="consolidation-live"')]
        synoptic[user.username] = re.sub(r' nonce="[^"]+"', "", shared)
        assert "csrfmiddlewaretoken" not in synoptic[user.username]
        form = client.get(
            f"/consolidations/{consolidation.pk}/settle/?key={key}", HTTP_HX_REQUEST="true"
        ).content.decode()
        secret = client.cookies["csrftoken"].value
        masked = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', form))
        assert masked and {_unmask_cipher_token(t) for t in masked} == {secret}
        tokens[user.username] = secret
    assert tokens["secretariat"] != tokens["officer-2"]
    assert synoptic["secretariat"] == synoptic["officer-2"]


def test_the_settle_form_sent_by_htmx_is_answered_with_the_row_and_the_bar(world):
    consolidation, officer, _ = world
    key = key_of(consolidation, "resolves-4")
    client = Client()
    client.force_login(officer)
    page = client.get(consolidation.get_absolute_url())
    assert f'hx-get="/consolidations/{consolidation.pk}/settle/?key={key}' in page.content.decode()
    response = client.post(
        f"/consolidations/{consolidation.pk}/settle/",
        {"key": key, "choice": "base", "version": "0", "base": str(consolidation.base_edition_id)},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="syn-row') == 1 and f'id="k-{key}"' in html
    assert re.search(r'<div class="cons-bar"[^>]* id="cons-bar"[^>]* hx-swap-oob="true"', html)
    assert len(html) < len(page.content) / 5
    # The settled row's form to change the decision comes when it is opened.
    assert f'hx-get="/consolidations/{consolidation.pk}/settle/?key={key}' in html
    form = client.get(f"/consolidations/{consolidation.pk}/settle/?key={key}", HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and "keep the base text" in form.content.decode()
    assert 'name="version" value="1"' in form.content.decode()


def test_a_settlement_reaches_readers_through_the_live_channel(world, django_capture_on_commit_callbacks):
    consolidation, officer, reader = world
    client = Client()
    client.force_login(reader)
    html = client.get(consolidation.get_absolute_url()).content.decode()
    live_pass = re.search(r'data-live-pass="([^"]+)"', html).group(1)
    assert live.read_pass(live_pass) == (live.consolidation_channel(consolidation.pk), False)
    assert 'data-refresh-url="/live/consolidations/' in html
    key = key_of(consolidation, "resolves-4")
    with django_capture_on_commit_callbacks(execute=True):
        settle_clause(officer, _fresh(consolidation), key, "base")
    event = LiveEvent.objects.filter(channel=live.consolidation_channel(consolidation.pk)).latest("id")
    assert event.kind == "changed"
    query = f"at={event.pk}&c={live_pass}"
    # Even with the secretariat's session, the live copy is the readers' view: no form, no token.
    officer_client = Client()
    officer_client.force_login(officer)
    page = officer_client.get(f"/live/consolidations/{consolidation.pk}/page?{query}")
    assert page.status_code == 200
    assert (
        "csrfmiddlewaretoken" not in page.content.decode() and "keep the base text" in page.content.decode()
    )

    def django_app(environ, start_response):  # pragma: no cover - must not be reached
        raise AssertionError("a cached page went through Django")

    seen = {}
    body = b"".join(
        LiveChannelApp(django_app)(
            {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": f"/live/consolidations/{consolidation.pk}/page",
                "QUERY_STRING": query,
            },
            lambda status, headers: seen.update(status=status),
        )
    )
    assert seen["status"].startswith("200") and body == page.content
    wrong = live.pass_for(live.proposal_channel(1), can_edit=False)
    assert Client().get(f"/live/consolidations/{consolidation.pk}/page?at=1&c={wrong}").status_code == 403


def test_a_reader_s_live_copy_is_kept_per_language(world, django_capture_on_commit_callbacks, monkeypatch):
    """The readers' copy is rendered once for everyone asking: in the language their page asks for
    (its fetch carries no cookie), kept per language, in Django and in front of it."""
    from django.utils import translation

    monkeypatch.setattr("drafting.live.wsgi.close_old_connections", lambda: None)  # the test's connection
    consolidation, officer, reader = world
    client = Client()
    client.force_login(reader)
    live_pass = re.search(
        r'data-live-pass="([^"]+)"', client.get(consolidation.get_absolute_url()).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        settle_clause(officer, _fresh(consolidation), key_of(consolidation, "resolves-4"), "base")
    event = LiveEvent.objects.filter(channel=live.consolidation_channel(consolidation.pk)).latest("id")
    copies = {}
    for language in ("ru", "fr", "ru"):
        query = f"at={event.pk}&c={live_pass.group(1)}&lang={language}"
        page = Client().get(
            f"/live/consolidations/{consolidation.pk}/page?{query}"
        )  # no cookie, as a page fetches
        assert page.status_code == 200
        body = b"".join(
            LiveChannelApp(lambda environ, start_response: None)(
                {
                    "REQUEST_METHOD": "GET",
                    "PATH_INFO": f"/live/consolidations/{consolidation.pk}/page",
                    "QUERY_STRING": query,
                },
                lambda status, headers: None,
            )
        )
        assert body == page.content  # kept, and served in front of Django in the language asked for
        copies.setdefault(language, page.content.decode())
    translation.activate("en")
    cyrillic = re.compile("[\u0400-\u04ff]{4,}")
    assert cyrillic.search(copies["ru"]) and not cyrillic.search(copies["fr"])


def test_an_anonymous_visitor_gets_no_consolidation(world):
    consolidation, _, _ = world
    assert Client().get(consolidation.get_absolute_url()).status_code == 302
    assert AnonymousUser().is_authenticated is False
    assert DELEGATES
    assert compile_consolidation


def test_a_stale_settlement_sent_by_htmx_leaves_the_row_and_says_why(world):
    consolidation, officer, _ = world
    key = key_of(consolidation, "resolves-4")
    settle_clause(officer, _fresh(consolidation), key, "base")
    client = Client()
    client.force_login(officer)
    # Decided from the page as it was before that settlement (no decision yet: version 0).
    response = client.post(
        f"/consolidations/{consolidation.pk}/settle/",
        {"key": key, "choice": "open", "version": "0", "base": str(consolidation.base_edition_id)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#messages" and response["HX-Reswap"] == "innerHTML"
    assert 'class="message error"' in response.content.decode() and "syn-row" not in response.content.decode()


def test_the_settle_form_of_a_row_comes_on_demand_and_works_without_javascript(world):
    consolidation, officer, reader = world
    key = key_of(consolidation, "resolves-4")
    url = f"/consolidations/{consolidation.pk}/settle/?key={key}&filter=changed"
    officer_client = Client()
    officer_client.force_login(officer)
    page = officer_client.get(url)  # a page of its own, as without JavaScript
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html
    assert "keep the base text" in html and "hx-post" not in html
    assert f'action="/consolidations/{consolidation.pk}/settle/?filter=changed"' in html
    answer = officer_client.post(
        f"/consolidations/{consolidation.pk}/settle/?filter=changed",
        {"key": key, "choice": "base", "version": "0", "base": str(consolidation.base_edition_id)},
    )
    assert answer.status_code == 302 and answer["Location"].endswith(f"?filter=changed#k-{key}")
    assert consolidation.decisions.get(key=key).choice == "base"
    other = key_of(consolidation, "considering")
    plain = officer_client.post(
        f"/consolidations/{consolidation.pk}/settle/",
        {"key": other, "choice": "base", "version": "0", "base": str(consolidation.base_edition_id)},
    )
    assert plain["Location"] == f"/consolidations/{consolidation.pk}/#k-{other}"  # no empty "?"
    # Nobody but the secretariat gets a form; a clause the consolidation does not have is a 404.
    reader_client = Client()
    reader_client.force_login(reader)
    assert reader_client.get(url).status_code == 403
    assert officer_client.get(f"/consolidations/{consolidation.pk}/settle/?key=nothing").status_code == 404
    assert officer_client.put(f"/consolidations/{consolidation.pk}/settle/").status_code == 405


def test_a_settle_answer_says_which_version_it_moved_on_from(world):
    consolidation, officer, _ = world
    client = Client()
    client.force_login(officer)
    page = client.get(consolidation.get_absolute_url()).content.decode()
    version = int(re.search(r'id="cons-bar" data-version="(\d+)"', page).group(1))

    def settle(anchor, choice="base"):
        key = key_of(consolidation, anchor)
        fresh = Consolidation.objects.get(pk=consolidation.pk)
        answer = client.post(
            f"/consolidations/{consolidation.pk}/settle/",
            {"key": key, "choice": choice, "version": "0", "base": str(fresh.base_edition_id)},
            HTTP_HX_REQUEST="true",
        ).content.decode()
        return re.search(r'id="cons-bar" data-version="(\d+)"(?: data-since="(\d+)")?', answer).groups()

    # Alone: the page can tell it is current (its own settle needs no live refresh).
    assert settle("resolves-4") == (str(version + 1), str(version))
    # Another officer's settle came in before this one: the answer moved on from a version the page
    # never had, so the page (at version + 1) does not take it for current and refreshes.
    settle_clause(officer, _fresh(consolidation), key_of(consolidation, "considering"), "base")
    assert settle("considering-c") == (str(version + 3), str(version + 2))


def test_the_whole_synoptic_view_is_one_cache_read_until_something_in_it_changes(world):
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key

    consolidation, officer, reader = world
    client = Client()
    client.force_login(reader)
    client.get(consolidation.get_absolute_url())
    stamp = synoptic_context(_request(reader), _fresh(consolidation))["synoptic_stamp"]
    whole = cache.get(make_template_fragment_key("synoptic", [consolidation.pk, stamp, "en"]))
    assert whole is not None and whole.count('class="syn-row') > 50
    settle_clause(officer, _fresh(consolidation), key_of(consolidation, "resolves-4"), "base")
    after = synoptic_context(_request(reader), _fresh(consolidation))["synoptic_stamp"]
    assert after != stamp
    page = client.get(consolidation.get_absolute_url()).content.decode()
    assert f'id="k-{key_of(consolidation, "resolves-4")}"' in page and page.count(
        "syn-row status-"
    ) == whole.count("syn-row status-")
    assert 'settled" id="k-' + key_of(consolidation, "resolves-4") in page


def test_a_group_drafting_its_next_proposal_does_not_rebuild_the_consolidation(world):
    """A draft is not compiled: fifty delegates saving clauses of their groups' drafts of the same
    resolution must not make every reader of the consolidation build it again (they did: every save
    moved its key). Its submission does."""
    from drafting.models import Proposal, RegionalGroup
    from drafting.services.amendments import modify_clause
    from drafting.services.contributions import add_proposal, create_contribution, submit_contribution

    consolidation, _, _ = world
    delegate = User.objects.get(username="cept-delegate")
    group = RegionalGroup.objects.get(code="CEPT")
    draft = create_contribution(
        delegate,
        conference=consolidation.conference,
        group=group,
        document_number="77",
        addendum=1,
        title="Next",
    )
    proposal = add_proposal(
        delegate,
        draft,
        action=Proposal.MOD,
        resolution=consolidation.resolution,
        base_edition=consolidation.base_edition,
    )
    before = page_state.consolidation_key(_fresh(consolidation))
    built = synoptic_context(_request(delegate), _fresh(consolidation))
    misses = caching.consolidation_contexts.misses
    modify_clause(delegate, proposal, key_of(consolidation, "resolves-4"), "a drafted text;", 0)
    assert page_state.consolidation_key(_fresh(consolidation)) == before
    assert (
        synoptic_context(_request(delegate), _fresh(consolidation))["rows"][0]["stamp"]
        == built["rows"][0]["stamp"]
    )
    assert caching.consolidation_contexts.misses == misses

    submit_contribution(User.objects.get(username="cept-coordinator"), draft)
    assert page_state.consolidation_key(_fresh(consolidation)) != before
