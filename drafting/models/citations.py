"""Citations found in clause texts: what each clause version cites, and what it resolves to in the library."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from drafting.translation import said_kept

from .drafting import Amendment
from .library import Clause, Edition, Resolution


class Citation(models.Model):
    """One citation in one version of a clause: a library clause of an edition, or a proposal's amendment.

    A citation in a clause's footnote belongs to the clause (``source`` "footnote 1"); one in the
    edition's title, enacting formula or front footnotes (``source`` "title", ...) to the edition alone.

    ``cited_resolution`` and ``cited_edition`` are what the library holds of the
    cited text; they are filled in again whenever a resolution or edition arrives,
    so a citation written before its target was imported finds it later.
    """

    clause = models.ForeignKey(
        Clause, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    amendment = models.ForeignKey(
        Amendment, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    # The citing edition and resolution, kept on the row so the graph reads without joins.
    edition = models.ForeignKey(Edition, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16)
    body = models.CharField(max_length=16, blank=True)
    number = models.CharField(max_length=40)
    number_key = models.CharField(max_length=40, db_index=True)
    place = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    revised = models.BooleanField(default=False)
    text = models.CharField(max_length=300)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    edition_start = models.PositiveIntegerField(null=True, blank=True)
    edition_end = models.PositiveIntegerField(null=True, blank=True)
    shared = models.BooleanField(default=False)
    document = models.CharField(max_length=200, blank=True)
    problem = models.CharField(max_length=20, blank=True)
    message = models.CharField(max_length=300, blank=True)
    # What ``message`` says, kept as its template and values (drafting.translation.kept), so that each
    # reader reads it in their language; ``message`` is its English (rows made before have only that).
    message_said = models.JSONField(null=True, blank=True)
    suggestion = models.CharField(max_length=120, blank=True)
    # The paragraph or part cited ("§§ 69-71", "resolves 2"); for a reference inside the text, "above"...
    pinpoint = models.CharField(max_length=120, blank=True)
    # Where in the clause version: "" its text, "footnote 1"; or the edition's "title", "formula", "front footnote 1".
    source = models.CharField(max_length=30, blank=True)
    # A reference inside the text ("resolves 1 above"): the clause of the same edition it names.
    cited_clause = models.ForeignKey(
        Clause, null=True, blank=True, on_delete=models.SET_NULL, related_name="references_received"
    )
    cited_resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.SET_NULL, related_name="citations_received"
    )
    cited_edition = models.ForeignKey(
        Edition, null=True, blank=True, on_delete=models.SET_NULL, related_name="citations_received"
    )

    class Meta:
        # By the ids: ordering by the relations would join their own default orderings.
        ordering = ["clause_id", "amendment_id", "order"]
        indexes = [
            models.Index(fields=["body", "number_key"], name="citation_target"),
            models.Index(fields=["cited_resolution", "year"], name="citation_cited_year"),
            models.Index(fields=["edition", "order"], name="citation_citing_edition"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clause__isnull=False, amendment__isnull=True)
                | models.Q(clause__isnull=True, amendment__isnull=False)
                | (
                    models.Q(clause__isnull=True, amendment__isnull=True, edition__isnull=False)
                    & ~models.Q(source="")
                ),
                name="citation_in_clause_or_amendment",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def said_message(self) -> str:
        """What the parser said of this citation ("did you mean Bucharest?"), in the reader's language."""
        return said_kept(self.message_said, self.message)

    @property
    def edition_name(self) -> str:
        if self.year is None:
            return ""
        where = f"{self.place}, {self.year}" if self.place else str(self.year)
        return f"Rev. {where}" if self.revised else where


class UnSupersession(models.Model):
    """A UN General Assembly document replaced by a later one, as the secretariat records it.

    The library holds no UN texts; it only knows, from this record, that citations of
    ``document`` should now cite ``successor`` (A/RES/70/125 by a later WSIS review resolution).
    Symbols are kept in their canonical form, "A/RES/70/125".
    """

    document = models.CharField(
        max_length=40, unique=True, help_text=gettext_lazy('The replaced document: "A/RES/70/125".')
    )
    successor = models.CharField(max_length=40, help_text=gettext_lazy("The document that replaces it."))
    note = models.CharField(
        max_length=300, blank=True, help_text=gettext_lazy("Where this is said, for readers.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document"]
        verbose_name = gettext_lazy("UN document replaced by its successor")
        verbose_name_plural = gettext_lazy("UN documents replaced by their successors")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(document=models.F("successor")), name="un_supersession_not_itself"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.successor}"
