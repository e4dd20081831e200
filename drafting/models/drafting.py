"""Drafting proposals: conferences, contributions, proposals and their amendments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords

from drafting.engine.amend import ADD, AFTER, BEFORE, BIS, FIRST_CHILD, LAST_CHILD, MODIFY, RENUMBER, SUPPRESS
from drafting.engine.tree import FRONT, ITEM, PART

from .library import Body, Clause, Edition, Provision, Resolution
from .people import RegionalGroup


class Conference(models.Model):
    """A meeting that revises resolutions: "WTSA-24, New Delhi, 2024"."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="conferences")
    code = models.CharField(max_length=20, unique=True)
    place = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField()
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    proposal_deadline = models.DateField(null=True, blank=True)
    accounts_closed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("When the accounts registered for it alone were closed."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.place}, {self.year})"

    @property
    def revision(self) -> str:
        """How the editions this conference adopts are named: "Rev. New Delhi, 2024"."""
        return f"Rev. {self.place}, {self.year}"


def document_name(number: str, addendum: int | None = None, revision: int = 0) -> str:
    """ "Revision 1 to Addendum 18 to Document 35", in the reader's language.

    One whole sentence for each shape, never pieces put into one another: each language orders and
    inflects it as its own ITU documents do ("Дополнительный документ 18 к Документу 35", with the
    document in the dative; "第35号文件的第18号补遗", the document first). ``number`` is the number as
    printed, with its language mark if any ("35-E")."""
    values = {"document": number, "addendum": addendum, "revision": revision}
    if addendum and revision:
        return gettext("Revision %(revision)s to Addendum %(addendum)s to Document %(document)s") % values
    if addendum:
        return gettext("Addendum %(addendum)s to Document %(document)s") % values
    if revision:
        return gettext("Revision %(revision)s to Document %(document)s") % values
    return gettext("Document %(document)s") % values


class Contribution(models.Model):
    """A document a group submits to a conference: "Addendum 18 to Document 35"."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    STATUS_CHOICES = [
        (DRAFT, gettext_lazy("draft")),
        (SUBMITTED, gettext_lazy("submitted")),
        (WITHDRAWN, gettext_lazy("withdrawn")),
    ]

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="contributions")
    group = models.ForeignKey(RegionalGroup, on_delete=models.PROTECT, related_name="contributions")
    document_number = models.CharField(max_length=10)
    addendum = models.PositiveSmallIntegerField(null=True, blank=True)
    revision = models.PositiveSmallIntegerField(default=0)
    revises = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )
    title = models.TextField()
    abstract = models.TextField(blank=True)
    introduction = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=DRAFT)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "document_number", "addendum", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "document_number", "addendum", "revision"],
                name="contribution_unique_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group.code} {self.document_label}"

    def get_absolute_url(self) -> str:
        return reverse("contribution_detail", args=[self.pk])

    @property
    def code(self) -> str:
        """The short form used in proposal numbers: "35A18", "35A18R1"."""
        code = self.document_number + (f"A{self.addendum}" if self.addendum else "")
        return code + (f"R{self.revision}" if self.revision else "")

    @property
    def document_label(self) -> str:
        """ "Addendum 18 to Document 35", in the reader's language (the exports are made in the
        document's: drafting.services.exports.render)."""
        return document_name(self.document_number, self.addendum, self.revision)

    @property
    def editable(self) -> bool:
        return self.status == self.DRAFT


class Proposal(models.Model):
    """One proposal of a contribution: MOD, ADD, SUP or NOC of a resolution, with its reasons."""

    MOD = "MOD"
    ADD = "ADD"
    SUP = "SUP"
    NOC = "NOC"
    ACTION_CHOICES = [
        (MOD, gettext_lazy("MOD: modify a resolution")),
        (ADD, gettext_lazy("ADD: a new resolution")),
        (SUP, gettext_lazy("SUP: suppress a resolution")),
        (NOC, gettext_lazy("NOC: no change")),
    ]

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=3, choices=ACTION_CHOICES)
    resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    base_edition = models.ForeignKey(
        Edition, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    new_number = models.CharField(
        max_length=40, blank=True, help_text=gettext_lazy("For ADD: the new resolution's number.")
    )
    new_title = models.TextField(blank=True, help_text=gettext_lazy("For ADD: the new resolution's title."))
    new_text = models.TextField(
        blank=True, help_text=gettext_lazy("For ADD: the whole new resolution, in the printed layout.")
    )
    reasons = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contribution", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contribution", "number"], name="proposal_unique_number"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("proposal_editor", args=[self.pk])

    @property
    def label(self) -> str:
        """ "MOD ATU/35A18/1"."""
        c = self.contribution
        return f"{self.action} {c.group.proposal_prefix}/{c.code}/{self.number}"


class Amendment(models.Model):
    """One change inside a MOD proposal, written against one version of a base clause."""

    ACTION_CHOICES = [
        (MODIFY, gettext_lazy("modify")),
        (ADD, gettext_lazy("add")),
        (SUPPRESS, gettext_lazy("suppress")),
    ]
    POSITION_CHOICES = [
        (BEFORE, gettext_lazy("before")),
        (AFTER, gettext_lazy("after")),
        (FIRST_CHILD, gettext_lazy("as first child")),
        (LAST_CHILD, gettext_lazy("as last child")),
    ]
    KIND_CHOICES = [
        (ITEM, gettext_lazy("item")),
        (PART, gettext_lazy("part")),
        (FRONT, gettext_lazy("front line (the title)")),
    ]

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    action = models.CharField(max_length=10, choices=ACTION_CHOICES)
    target = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="amendments")
    base_clause = models.ForeignKey(
        Clause,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=gettext_lazy("The base clause the amendment was written against."),
    )
    position = models.CharField(max_length=12, choices=POSITION_CHOICES, blank=True)
    # The identity of an added clause. A revision of the contribution keeps it (the revision's
    # addition is the same clause, revised), so the secretariat's decisions on it follow; within
    # one proposal it is one addition's.
    added = models.ForeignKey(
        Provision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="additions",
        help_text=gettext_lazy("For additions: the identity of the new clause."),
    )
    NUMBERING_CHOICES = [
        (RENUMBER, gettext_lazy("renumber what follows")),
        (BIS, gettext_lazy("insert as bis, no renumbering")),
    ]

    kind = models.CharField(max_length=10, choices=KIND_CHOICES, default=ITEM)
    # For additions and modifications of items: "" lets the tool number the item, "¶" makes it an
    # unlabelled paragraph, anything else is a label set by hand (a modification that sets one is
    # the label's amendment, shown with its mark: ~~b)~~ c)).
    label = models.CharField(max_length=20, blank=True)
    numbering = models.CharField(
        max_length=10,
        choices=NUMBERING_CHOICES,
        blank=True,
        default=RENUMBER,
        help_text=gettext_lazy(
            "For additions: renumber the items after it, or label it after its predecessor (3bis)."
        ),
    )
    heading = models.TextField(blank=True)
    text = models.TextField(blank=True)
    role = models.CharField(max_length=10, blank=True)
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "order", "id"]
        constraints = [
            # One text change and at most one suppression per clause and proposal.
            models.UniqueConstraint(
                fields=["proposal", "target", "action"],
                condition=models.Q(action__in=[MODIFY, SUPPRESS]),
                name="amendment_one_change_per_clause",
            ),
            models.UniqueConstraint(
                fields=["proposal", "added"],
                condition=models.Q(added__isnull=False),
                name="amendment_one_addition_per_clause",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_id}"


class ClauseComment(models.Model):
    """A short remark by a delegate on one clause of a proposal, visible to the group.

    A comment opens a thread; replies hang from it (``parent``, one level: a reply to a reply joins
    the thread). A thread is resolved (and reopened) as a whole, on its first comment. The members of
    the group a comment names as ``@username`` are its ``mentions``, and are told.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in")
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ClauseVersion(models.Model):
    """How many times one clause of a proposal has changed, and how it last changed.

    A save carries the version of the clause it was opened at. Every change to the clause moves it:
    its text, its label, its suppression and restoration, its addition and removal, a rebase that
    rewrites it. So a save from an edit box opened before any of them is refused (compare-and-swap on
    this row), and the refusal says what happened. The version outlives the amendments (a clause
    brought back to its base text has none left), so a box opened before that is refused too.
    """

    EDITED = "edited"
    LABEL = "label"
    BASE = "base"
    SUPPRESSED = "suppressed"
    RESTORED = "restored"
    ADDED = "added"
    REMOVED = "removed"
    REBASED = "rebased"
    CHANGE_CHOICES = [
        (EDITED, gettext_lazy("changed its text")),
        (LABEL, gettext_lazy("changed its label")),
        (BASE, gettext_lazy("changed it back to the base text")),
        (SUPPRESSED, gettext_lazy("suppressed it")),
        (RESTORED, gettext_lazy("restored it")),
        (ADDED, gettext_lazy("added it")),
        (REMOVED, gettext_lazy("removed it")),
        (REBASED, gettext_lazy("carried it onto a newer edition")),
    ]

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="clause_versions")
    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=0)
    change = models.CharField(max_length=12, choices=CHANGE_CHOICES, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "provision"], name="clause_version_unique_clause"),
        ]

    def __str__(self) -> str:
        return f"{self.provision_id} v{self.version}"


class Visit(models.Model):
    """When a person last read a proposal's draft or a consolidation, and the visit before: what
    "what changed since my last visit" compares with. A visit is a reading with less than
    ``drafting.services.since.VISIT_GAP`` between its pages."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    consolidation = models.ForeignKey(
        "drafting.Consolidation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    seen_at = models.DateTimeField()
    previous_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "proposal"], name="visit_unique_proposal"),
            models.UniqueConstraint(fields=["user", "consolidation"], name="visit_unique_consolidation"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.seen_at:%Y-%m-%d %H:%M}"
