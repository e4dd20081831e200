"""A live stream ends when its pass's holder may no longer read what it follows (issue 22, item 5).

A pass kept reading the whole draft for 12 h after its holder's deactivation or removal from the group.
The stream server now checks the holder's current rights when a stream opens and every
``LIVE_STREAM_RECHECK_S`` seconds (60) while it runs, and ends the stream with ``expired`` when they are
gone: the page then stops following and asks to be reloaded.
"""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from drafting import live
from drafting.models.people import DELEGATES
from tests.drafting_factories import base_edition, group, mod_proposal, person
from tests.test_live_stream import Stream, run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft():
    atu = group("ATU")
    proposal = mod_proposal(base_edition(), atu)
    return proposal, person("amina", DELEGATES, atu), atu


@pytest.mark.parametrize("ending", ["deactivated", "removed from the group"])
def test_a_running_stream_ends_within_the_recheck_when_its_holder_loses_access(settings, draft, ending):
    settings.LIVE_STREAM_RECHECK_S = 0.5
    proposal, amina, atu = draft
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True, holder=amina.pk)

    def end_access():
        if ending == "deactivated":
            type(amina).objects.filter(pk=amina.pk).update(is_active=False)
        else:
            amina.regional_groups.remove(atu)

    async def test(app):
        stream = Stream(app, f"c={live_pass}&after=0")
        await stream.until(lambda s: s.status == 200)
        await sync_to_async(end_access, thread_sensitive=True)()
        await stream.until(lambda s: s.ended)
        assert "event: expired" in stream.text
        # And a new stream with the same pass is refused at once.
        again = Stream(app, f"c={live_pass}&after=0")
        await again.until(lambda s: s.ended)
        assert again.status == 403
        assert app.hub.count == 0

    run(test)


def test_a_stream_whose_holder_may_read_runs_on(settings, draft):
    settings.LIVE_STREAM_RECHECK_S = 0.2
    settings.LIVE_STREAM_HEARTBEAT_S = 0.2
    proposal, amina, _ = draft
    live_pass = live.pass_for(live.proposal_channel(proposal.pk), can_edit=True, holder=amina.pk)

    async def test(app):
        stream = Stream(app, f"c={live_pass}&after=0")
        await stream.until(lambda s: s.status == 200)
        # Several rechecks (a heartbeat each): still open.
        await stream.until(lambda s: s.text.count(": still here") >= 4)
        assert not stream.ended
        await stream.close()

    run(test)
