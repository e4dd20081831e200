"""The resolution library: bodies, resolutions, their editions and clause trees."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords

from drafting.engine.tree import ANNEX, FRONT_LINES, ITEM, OPERATIVE, PART, PREAMBLE


class Body(models.Model):
    """An ITU body that adopts resolutions: WTSA, WTDC, PP, RA, Council."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.code


def resolution_name(body: str, number: str) -> str:
    """ "WTSA Resolution 75" in the active language (as its words are ordered there)."""
    return gettext("%(body)s Resolution %(number)s") % {"body": body, "number": number}


def resolution_slug(number: str) -> str:
    """URL form of a resolution number: "ITU-R 61-3" -> "itu-r-61-3"."""
    return re.sub(r"[^a-z0-9]+", "-", number.lower()).strip("-")


def resolution_sort_key(number: str) -> str:
    # "9" sorts before "75" before "140": pad every run of digits.
    return re.sub(r"\d+", lambda m: m.group(0).zfill(6), number.lower())


class Resolution(models.Model):
    """A resolution of a body, across all its editions: "WTSA Resolution 75"."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="resolutions")
    number = models.CharField(max_length=40)
    slug = models.SlugField(max_length=60)
    sort_key = models.CharField(max_length=80, editable=False)
    title = models.TextField(help_text=gettext_lazy("Title of the latest edition."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["body__sort_order", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="resolution_unique_number"),
            models.UniqueConstraint(fields=["body", "slug"], name="resolution_unique_slug"),
        ]

    def __str__(self) -> str:
        return resolution_name(self.body.code, self.number)

    def save(self, *args, **kwargs):
        self.slug = resolution_slug(self.number)
        self.sort_key = resolution_sort_key(self.number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resolution_detail", args=[self.body.code.lower(), self.slug])


class Edition(models.Model):
    """One adopted text of a resolution: "Rev. Hammamet, 2016"."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="editions")
    revision = models.CharField(
        max_length=200, blank=True, help_text=gettext_lazy('As printed: "Rev. Hammamet, 2016".')
    )
    place = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    slug = models.SlugField(max_length=120)
    title = models.TextField()
    history_line = models.TextField(blank=True)
    enacting_formula = models.TextField(blank=True)
    # Footnotes called ([^n]) from the title, the history line or the enacting formula:
    # [{"number": 1, "text": "...", "mark": "1bis"}], in calling order. They belong to no clause.
    front_footnotes = models.JSONField(default=list, blank=True)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_name = models.CharField(max_length=255, blank=True)
    # The language the text was imported in: pages mark it (lang, dir) and never translate it.
    language = models.CharField(max_length=10, default="en")
    source_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    clause_count = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resolution", "year", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "slug"], name="edition_unique_slug"),
        ]

    def __str__(self) -> str:
        # Outside the f-string: makemessages reads no call inside one.
        revision = self.revision or gettext("no revision line")
        return f"{self.resolution} ({revision})"

    def get_absolute_url(self) -> str:
        r = self.resolution
        return reverse("edition_detail", args=[r.body.code.lower(), r.slug, self.slug])

    @property
    def name(self) -> str:
        if self.revision:
            return self.revision
        if self.year:
            return f"{self.place}, {self.year}"
        numbered = re.fullmatch(r"edition-(\d+)", self.slug)
        if numbered:  # an edition with no revision line nor year, named by the tool: "Edition 1"
            return gettext("Edition %(number)s") % {"number": numbered.group(1)}
        return self.slug.replace("-", " ").capitalize()


class Provision(models.Model):
    """The identity of one provision across editions, whatever its label becomes.

    "considering b) of 2016" and the same provision relabelled "considering c)"
    in 2022 are two clauses of one provision.
    """

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="provisions")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    def __str__(self) -> str:
        return str(self.key)


# The identities of a resolution's amendable front lines (its title): derived from the resolution, so
# every edition's title is the same provision and a proposal's change of it follows the title through
# rebases and adoption. Its Provision row is made when a proposal first changes the line.
FRONT_NAMESPACE = uuid.UUID("6b2f1d0e-1c0a-4e3e-9a57-2d4c1f0b7a24")


def front_key(resolution_id: int, line: str) -> str:
    """The provision key of a front line ("title") of a resolution."""
    return str(uuid.uuid5(FRONT_NAMESPACE, f"resolution:{resolution_id}:{line}"))


def front_keys(resolution_id: int) -> dict[str, str]:
    return {line: front_key(resolution_id, line) for line in FRONT_LINES}


class Clause(models.Model):
    """One node of an edition's clause tree: a part, an item or an annex.

    ``position`` is the depth-first order in the whole edition, so one query
    ordered by it reads the tree as it is printed.
    """

    KIND_CHOICES = [
        (PART, gettext_lazy("part")),
        (ITEM, gettext_lazy("item")),
        (ANNEX, gettext_lazy("annex")),
    ]
    ROLE_CHOICES = [(PREAMBLE, gettext_lazy("preamble")), (OPERATIVE, gettext_lazy("operative"))]

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="clauses")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="clauses")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField()
    depth = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    role = models.CharField(max_length=10, choices=ROLE_CHOICES, blank=True)
    label = models.CharField(max_length=20, blank=True)
    heading = models.TextField(blank=True)
    text = models.TextField(blank=True)
    anchor = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "position"], name="clause_unique_position"),
            models.UniqueConstraint(fields=["edition", "provision"], name="clause_unique_provision"),
            models.UniqueConstraint(fields=["edition", "anchor"], name="clause_unique_anchor"),
        ]

    def __str__(self) -> str:
        return self.heading or f"{self.label} {self.text[:60]}".strip()


class Footnote(models.Model):
    """A footnote of a clause, referenced in its text as ``[^number]``."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="footnotes")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    mark = models.CharField(
        max_length=20,
        blank=True,
        help_text=gettext_lazy('A custom mark shown at the call instead of the number ("1bis").'),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["clause", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:60]}"
