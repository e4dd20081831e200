"""Word documents going out (exports, built in the background) and coming in (uploads awaiting confirmation)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

from drafting.translation import said_kept

from .consolidation import Consolidation
from .drafting import Contribution
from .library import Edition


class Export(models.Model):
    """One export asked for: what, by whom, how far it has got, and when done, the file."""

    CONTRIBUTION = "contribution"
    COMPILATION = "compilation"
    CONSOLIDATED = "consolidated"
    EDITION = "edition"
    KINDS = [
        (CONTRIBUTION, gettext_lazy("contribution")),
        (COMPILATION, gettext_lazy("compilation table")),
        (CONSOLIDATED, gettext_lazy("consolidated draft")),
        (EDITION, gettext_lazy("edition")),
    ]
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [
        (QUEUED, gettext_lazy("queued")),
        (RUNNING, gettext_lazy("running")),
        (DONE, gettext_lazy("done")),
        (FAILED, gettext_lazy("failed")),
    ]
    DOCX, TEXT, PDF = "docx", "txt", "pdf"

    kind = models.CharField(max_length=16, choices=KINDS)
    file_format = models.CharField(
        max_length=4,
        choices=[
            (DOCX, gettext_lazy("Word (.docx)")),
            (TEXT, gettext_lazy("plain text")),
            (PDF, gettext_lazy("PDF")),
        ],
        default=DOCX,
    )
    tracked = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Marks as Word tracked changes; off: underline and strikethrough."),
    )
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    consolidation = models.ForeignKey(
        Consolidation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    edition = models.ForeignKey(Edition, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=STATUSES, default=QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # What ``error`` says, kept as its template and values (drafting.translation.kept): each reader
    # reads it in their language; ``error`` is its words as made (rows made before have only that).
    error_said = models.JSONField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    data = models.BinaryField(null=True, blank=True, editable=False)
    seconds = models.FloatField(
        null=True, blank=True, help_text=gettext_lazy("How long building the file took.")
    )

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return self.filename or f"{self.get_kind_display()} export {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("export_detail", args=[self.pk])

    @property
    def said_error(self) -> str:
        """Why the export failed, in the reader's language."""
        return said_kept(self.error_said, self.error)

    @property
    def finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def content_type(self) -> str:
        if self.file_format == self.TEXT:
            return "text/plain; charset=utf-8"
        if self.file_format == self.PDF:
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ProposalUpload(models.Model):
    """A .docx proposal read and previewed, kept until its delegate confirms the import or drops it."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="+")
    base_edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    data = models.BinaryField(editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.filename} for {self.contribution}"
