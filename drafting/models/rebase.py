"""What a rebase left to settle: a change carried onto a newer edition that changed the same thing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from drafting.translation import said_kept

from .drafting import Proposal
from .library import Edition, Provision


class RebaseConflict(models.Model):
    """One change of a proposal that a rebase could not apply as written, kept for the group to settle.

    The group's wording stays in the draft (the amendment carries it); this record keeps what the
    group needs to decide: the clause's wording in the edition the proposal was written against, in
    the newer edition ("" where it has no such clause) and as the group wrote it ("" for a
    suppression), and why. It is open until a delegate marks it settled.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="rebase_conflicts")
    provision = models.ForeignKey(
        Provision,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=gettext_lazy("The clause, as it stands now."),
    )
    from_edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="+")
    onto_edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(
        max_length=10, help_text=gettext_lazy("The change as the group wrote it: modify, add, suppress.")
    )
    note = models.TextField(blank=True)
    # What ``note`` says, kept as its template and values (drafting.translation.kept): each member of
    # the group reads it in their language; ``note`` is its English (rows made before have only that).
    note_said = models.JSONField(null=True, blank=True)
    base_text = models.TextField(blank=True)
    edition_text = models.TextField(blank=True)
    proposal_text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action} {self.provision_id}: {self.note[:60]}"

    @property
    def said_note(self) -> str:
        """What the rebase said of this change ("The newer edition changed the same words."), in the reader's language."""
        return said_kept(self.note_said, self.note)
