"""Discussion on a draft: threads of replies, resolved and reopened, members named with @username
(told through the notifications), and the list of a draft's open comments."""

from __future__ import annotations

import pytest
from django.test import Client

from drafting.models import ClauseComment, Notification, Proposal
from drafting.models.people import COORDINATORS, DELEGATES
from drafting.services.amendments import add_comment, comment_threads, mentioned, resolve_comment
from drafting.services.contributions import DraftingProblem, submit_contribution
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    people = {
        "amina": person("amina", DELEGATES, atu),
        "kwame": person("kwame", DELEGATES, atu),
        "chief": person("chief", COORDINATORS, atu),
        "pedro": person("pedro", DELEGATES, group("CITEL", "IAP")),
    }
    return proposal, clause_keys(edition), people


def version(proposal) -> int:
    return Proposal.objects.get(pk=proposal.pk).version


def test_replies_hang_from_their_thread_and_a_reply_to_a_reply_joins_it(world):
    proposal, keys, p = world
    key = keys["considering-a"]
    first = add_comment(p["amina"], proposal, key, "Should we cite A/78/L.49?")
    reply = add_comment(p["kwame"], proposal, key, "Yes, in c).", reply_to=first.pk)
    again = add_comment(p["amina"], proposal, key, "Done.", reply_to=reply.pk)
    other = add_comment(p["chief"], proposal, key, "A second topic.")
    threads = comment_threads(proposal, key)
    assert [t.pk for t in threads] == [first.pk, other.pk]
    assert [r.pk for r in threads[0].thread_replies] == [reply.pk, again.pk]
    assert again.parent_id == first.pk
    # A reply names a comment of the same clause: another clause's, or none, is refused.
    with pytest.raises(DraftingProblem) as elsewhere:
        add_comment(p["kwame"], proposal, keys["considering-b"], "Wrong place.", reply_to=first.pk)
    assert elsewhere.value.status == 404
    assert ClauseComment.objects.count() == 4


def test_a_thread_is_resolved_and_reopened_by_the_group_and_a_reply_reopens_it(world):
    proposal, keys, p = world
    key = keys["considering-a"]
    first = add_comment(p["amina"], proposal, key, "Fix the year?")
    reply = add_comment(p["kwame"], proposal, key, "Fixed.", reply_to=first.pk)
    before = version(proposal)
    resolve_comment(p["kwame"], proposal, reply.pk)  # resolving from a reply resolves its thread
    first.refresh_from_db()
    assert first.resolved_by == p["kwame"] and first.resolved_at is not None
    assert version(proposal) == before + 1  # the editor's pages learn of it
    with pytest.raises(DraftingProblem, match="resolved already") as twice:
        resolve_comment(p["amina"], proposal, first.pk)
    assert twice.value.status == 409
    resolve_comment(p["amina"], proposal, first.pk, resolved=False)
    first.refresh_from_db()
    assert first.resolved_at is None
    resolve_comment(p["amina"], proposal, first.pk)
    add_comment(p["chief"], proposal, key, "Not quite: the month too.", reply_to=first.pk)
    first.refresh_from_db()
    assert first.resolved_at is None
    with pytest.raises(DraftingProblem) as outsider:
        resolve_comment(p["pedro"], proposal, first.pk)
    assert outsider.value.status == 403


def test_a_frozen_proposal_takes_no_reply_nor_resolution(world):
    proposal, keys, p = world
    first = add_comment(p["amina"], proposal, keys["considering-a"], "Before submitting.")
    submit_contribution(p["chief"], proposal.contribution)
    for action in (
        lambda: add_comment(p["kwame"], proposal, keys["considering-a"], "Late.", reply_to=first.pk),
        lambda: resolve_comment(p["kwame"], proposal, first.pk),
    ):
        with pytest.raises(DraftingProblem, match="frozen") as refused:
            action()
        assert refused.value.status == 409
    assert ClauseComment.objects.count() == 1 and ClauseComment.objects.get().resolved_at is None


def test_members_named_are_recorded_and_told_others_are_text(world, django_capture_on_commit_callbacks):
    proposal, keys, p = world
    text = "@kwame and @chief, see this. @pedro is not in our group; mail@example.org is no mention."
    assert [u.username for u in mentioned(proposal, text)] == ["chief", "kwame"]
    with django_capture_on_commit_callbacks(execute=True):
        comment = add_comment(p["amina"], proposal, keys["considering-b"], text)
    assert set(comment.mentions.values_list("username", flat=True)) == {"kwame", "chief"}
    told = Notification.objects.filter(kind=Notification.MENTION)
    assert set(told.values_list("user__username", flat=True)) == {"kwame", "chief"}
    notice = told.get(user=p["kwame"])
    assert "amina named you in a comment on MOD ATU/35A18/1" in notice.title
    assert notice.url.endswith(f"#c-{keys['considering-b']}")
    # Naming oneself tells no one; a reply tells the thread, and someone named in it once only.
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(p["kwame"], proposal, keys["considering-b"], "@kwame noted, @amina", reply_to=comment.pk)
    assert not Notification.objects.filter(user=p["kwame"], kind=Notification.REPLY).exists()
    assert Notification.objects.filter(user=p["amina"]).count() == 1


def test_the_panel_shows_threads_and_takes_replies_and_resolutions(world):
    proposal, keys, p = world
    key = keys["considering-a"]
    client = Client()
    client.force_login(p["amina"])
    url = f"/proposals/{proposal.pk}/clauses/{key}/panel/"
    html = client.post(url, {"text": "Ask @kwame about it."}, **HX).content.decode()
    first = ClauseComment.objects.get()
    assert '<strong class="mention">@kwame</strong>' in html and "@kwame, @chief" not in html
    assert 'name="reply_to"' in html and 'value="resolve"' in html
    client.post(url, {"text": "Will do.", "reply_to": first.pk}, **HX)
    html = client.post(url, {"action": "resolve", "comment": first.pk}, **HX).content.decode()
    assert "Resolved by amina" in html and 'value="reopen"' in html
    assert client.post(url, {"action": "resolve", "comment": "nine"}, **HX).status_code == 400
    assert client.post(url, {"action": "resolve", "comment": 10**12}, **HX).status_code == 404
    # The editor's side panel lists the open threads to its group, and only to it.
    client.post(url, {"action": "reopen", "comment": first.pk}, **HX)
    editor = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Open comments (1)" in editor and "Ask @kwame about it." in editor
    page = client.get(f"/proposals/{proposal.pk}/comments/").content.decode()
    assert "1 open thread" in page and "Will do." in page
    outsider = Client()
    outsider.force_login(p["pedro"])
    assert outsider.get(f"/proposals/{proposal.pk}/comments/").status_code in (403, 404)
