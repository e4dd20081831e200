"""The live copies asked for by every page told of an event are rendered once per process: the
threads of a worker that ask for the same copy while it is being rendered wait for it and take it
from the cache (drafting.views.live)."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from drafting import live
from drafting.views import live as live_views


def test_threads_asking_for_the_same_copy_at_once_render_it_once(monkeypatch):
    renders = []

    def slow_copy(request, proposal, may_edit, since):
        renders.append(since)
        time.sleep(0.2)  # long enough for every other thread to ask meanwhile
        from django.http import HttpResponse

        return HttpResponse(b'<div id="draft-delta" data-version="5" data-since="4"></div>'), True

    class Proposal:
        pk = 7
        version = 5

    monkeypatch.setattr(live_views, "draft_copy", slow_copy)
    monkeypatch.setattr(live_views, "draft_proposal", lambda pk: Proposal())
    # Versions 3 and 4 were built here: their stamps are kept, so a copy from each can be cached.
    monkeypatch.setattr(live_views.draft_delta, "known", lambda pk, since, version, can_edit: since in (3, 4))
    live_pass = live.pass_for(live.proposal_channel(7), can_edit=True)
    answers = []

    def ask(since: int) -> None:
        request = RequestFactory().get("/live/proposals/7/draft", {"v": 5, "from": since, "c": live_pass})
        answers.append(live_views.live_draft(request, 7).content)

    cache.clear()
    threads = [threading.Thread(target=ask, args=(4,)) for _ in range(8)]
    threads.append(threading.Thread(target=ask, args=(3,)))  # another copy: not held up by the first
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)  # a deadline for a loaded machine
    assert sorted(renders) == [3, 4]
    assert len(answers) == 9 and len(set(answers)) == 1
    assert live_views._renders == {}  # nothing left behind


@pytest.mark.parametrize("key", [None, "live:draft:1:2:1"])
def test_a_render_that_fails_lets_the_next_one_render(key):
    with pytest.raises(RuntimeError), live_views._one_render(key):
        raise RuntimeError("the database went away")
    with live_views._one_render(key):
        pass
    assert live_views._renders == {}
