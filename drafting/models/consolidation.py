"""Consolidation: the secretariat's compilation of every group's proposals on one resolution."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords

from .drafting import Conference
from .library import Edition, Resolution


class Consolidation(models.Model):
    """Every submitted proposal on one resolution for one conference, against one base edition."""

    OPEN = "open"
    ADOPTED = "adopted"

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="consolidations")
    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="consolidations")
    base_edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="consolidations")
    status = models.CharField(
        max_length=10,
        choices=[(OPEN, gettext_lazy("open")), (ADOPTED, gettext_lazy("adopted"))],
        default=OPEN,
    )
    adopted_edition = models.ForeignKey(
        Edition, null=True, blank=True, on_delete=models.PROTECT, related_name="adopted_from"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "resolution"], name="consolidation_unique_resolution"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(resolution)s at %(conference)s") % {
            "resolution": self.resolution,
            "conference": self.conference.code,
        }

    def get_absolute_url(self) -> str:
        return reverse("consolidation_detail", args=[self.pk])


class Decision(models.Model):
    """How the secretariat settled one clause: the base, one group's text, the merge, its own words, or open."""

    BASE = "base"
    GROUP = "group"
    MERGED = "merged"
    MANUAL = "manual"
    OPEN = "open"
    CHOICES = [
        (BASE, gettext_lazy("keep the base text")),
        (GROUP, gettext_lazy("take one group's text")),
        (MERGED, gettext_lazy("take the merged text")),
        (MANUAL, gettext_lazy("text written by the secretariat")),
        (OPEN, gettext_lazy("leave open (alternatives in square brackets)")),
    ]

    consolidation = models.ForeignKey(Consolidation, on_delete=models.CASCADE, related_name="decisions")
    key = models.CharField(max_length=36, help_text=gettext_lazy("Provision key of the clause settled."))
    choice = models.CharField(max_length=10, choices=CHOICES)
    group = models.CharField(max_length=16, blank=True)
    text = models.TextField(blank=True)
    note = models.TextField(
        blank=True,
        help_text=gettext_lazy("Why the clause was settled so: part of the record every reader sees."),
    )
    internal_note = models.TextField(
        blank=True,
        help_text=gettext_lazy("The secretariat's own working note: shown to officers only, never exported."),
    )
    version = models.PositiveIntegerField(default=1)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consolidation", "key"], name="decision_unique_clause")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.choice}"
