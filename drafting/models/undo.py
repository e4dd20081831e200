"""What a person can take back from the message that confirms it: a settlement, a suppression, a replace-all."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from .consolidation import Consolidation
from .drafting import Proposal


class UndoableAction(models.Model):
    """One action and what it changed, kept so that its author can undo it while nothing changed since.

    ``changes`` holds, per record the action touched, its state before and the version the action
    left it at: the undo is a compare-and-swap on those versions, all or nothing.
    """

    SETTLE = "settle"
    SETTLE_MANY = "settle-many"
    SUPPRESS = "suppress"
    REPLACE = "replace"
    KINDS = [
        (SETTLE, gettext_lazy("settlement of a clause")),
        (SETTLE_MANY, gettext_lazy("settlement of several clauses")),
        (SUPPRESS, gettext_lazy("suppression")),
        (REPLACE, gettext_lazy("replace all")),
    ]

    kind = models.CharField(max_length=12, choices=KINDS)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    consolidation = models.ForeignKey(
        Consolidation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    summary = models.CharField(max_length=300)
    # What the summary says (its kind's names and numbers), to say it again later in the language
    # of the moment (services: amendments.change_summary, consolidation.settlement_summary).
    said = models.JSONField(null=True, blank=True)
    changes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.summary
