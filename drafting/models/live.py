"""The live channel's log: small events (a clause saved, a decision taken) that open pages poll for."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class LiveEvent(models.Model):
    """One event on one channel ("proposal:12", "consolidation:3"), kept for a short while.

    The table is read by the live poll with one indexed query and no session, so that a
    thousand open pages asking "anything new?" cost almost nothing; every process and
    every machine sees the same events because they live in the one database.
    """

    channel = models.CharField(max_length=64)
    kind = models.CharField(
        max_length=32, help_text=gettext_lazy("“changed”, or another small event such as presence.")
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["channel", "id"], name="liveevent_channel_id")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.kind}"


class LiveSessionEnd(models.Model):
    """A login session that ended (its person logged out): the live passes its pages were given end
    with it. Kept as long as a pass lives (``LIVE_TOKEN_MAX_AGE``), then pruned.

    The pass names its session by a tag (a keyed hash of the session key, never the key itself), so
    that the check is one indexed read of this small table (drafting.live.access)."""

    tag = models.CharField(max_length=32, primary_key=True)
    ended_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"session {self.tag} ended {self.ended_at:%Y-%m-%d %H:%M}"
