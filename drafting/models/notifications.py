"""Notifications: what a person is told in the app (the bell) and by e-mail, and what they have seen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class Notification(models.Model):
    """One thing to tell one person; some kinds gather several events under one key until read or mailed.

    ``key`` names what the events are about (``draft:12``, ``settled:3:ATU``): the events of a
    gathering kind go into the person's open notification with that key (count and summary
    grow) instead of one notification, or one e-mail, each.
    """

    DRAFT_CHANGED = "draft_changed"
    REPLY = "reply"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    SETTLED = "settled"
    OUTCOME = "outcome"
    DEADLINE = "deadline"
    MENTION = "mention"
    KIND_CHOICES = [
        (DRAFT_CHANGED, gettext_lazy("your group's draft changed")),
        (REPLY, gettext_lazy("a reply to your comment")),
        (SUBMITTED, gettext_lazy("your contribution submitted")),
        (WITHDRAWN, gettext_lazy("your contribution withdrawn")),
        (SETTLED, gettext_lazy("a clause of your proposal settled")),
        (OUTCOME, gettext_lazy("your proposal's outcome")),
        (DEADLINE, gettext_lazy("a deadline approaching")),
        (MENTION, gettext_lazy("you are named in a comment")),
    ]
    # Kinds whose events gather under one key: mailed once they have been quiet for a while.
    GATHERING = {DRAFT_CHANGED, SETTLED}

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    key = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    count = models.PositiveIntegerField(default=1)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["user", "key"], name="notification_key"),
            models.Index(fields=["emailed_at", "kind"], name="notification_to_mail"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.title}"


class DraftVisit(models.Model):
    """When a person last opened their group's draft: what "while you were away" is measured from."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey("drafting.Contribution", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "contribution"], name="draft_visit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} saw {self.contribution} at {self.seen_at:%Y-%m-%d %H:%M}"


class JobMark(models.Model):
    """How far a periodic job has got (the draft-change summaries: up to which moment changes were told)."""

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} up to {self.at:%Y-%m-%d %H:%M}"
