"""What changed since a moment: a whole draft (a group's proposal, or a consolidation's draft) as it
was then, from the history records, against what it is now.

The moments a reader asks for: since their last visit (``Visit``, kept as they read), since
yesterday, since the submission (of the contribution, or of the one a revision revises: what the
revision changes), or any date and time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext

from drafting.engine import amend as engine
from drafting.engine.changes import SinceEntry, between
from drafting.models import Amendment, Consolidation, Proposal, Provision, Visit
from drafting.reading import shared_edition_tree

from . import DomainError
from .amendments import draft_of
from .consolidation import compilation_as_of, compile_consolidation, consolidated_draft

# Pages read with less than this between them are one visit; "since my last visit" is the one before.
VISIT_GAP = timedelta(minutes=30)
# A visit is written at most once a minute per person and page (a cache read otherwise).
VISIT_EVERY_S = 60
VISIT, YESTERDAY, SUBMISSION = "visit", "yesterday", "submission"
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


class SinceProblem(DomainError):
    """A moment that cannot be compared with; nothing was read."""


def note_visit(user, *, proposal: Proposal | None = None, consolidation: Consolidation | None = None) -> None:
    """The person is reading the draft or the consolidation now: a new visit if the last page was long ago."""
    if not user.is_authenticated:
        return
    target = {"proposal": proposal} if proposal is not None else {"consolidation": consolidation}
    key = (
        f"drafting:reading:{user.pk}:{'p' if proposal is not None else 'c'}:{(proposal or consolidation).pk}"
    )
    if cache.get(key):
        return
    cache.set(key, True, VISIT_EVERY_S)
    now = timezone.now()
    with transaction.atomic():
        visit = Visit.objects.select_for_update().filter(user=user, **target).first()
        if visit is None:
            Visit.objects.get_or_create(user=user, **target, defaults={"seen_at": now})
            return
        if now - visit.seen_at > VISIT_GAP:
            visit.previous_at = visit.seen_at
        visit.seen_at = now
        visit.save(update_fields=["seen_at", "previous_at"])


def last_visit(user, **target) -> datetime | None:
    """The last page the person read in their visit before this one: what "since my last visit" means
    (None during their first visit)."""
    visit = Visit.objects.filter(user=user, **target).first() if user.is_authenticated else None
    if visit is None:
        return None
    return visit.previous_at


@dataclass
class Since:
    moment: datetime
    said: str  # the moment in words: "since your last visit", "since yesterday", ...
    entries: list[SinceEntry]
    then_label: str = ""  # what is compared with, when it is another document (a revision's original)

    def count(self, what: str) -> int:
        return sum(1 for e in self.entries if e.what == what)


def moment_of(
    user, asked: str, *, proposal: Proposal | None = None, consolidation=None
) -> tuple[datetime, str]:
    """(moment, words) for what the reader asked: visit, yesterday, submission or a date and time."""
    now = timezone.now()
    if asked == VISIT:
        target = {"proposal": proposal} if proposal is not None else {"consolidation": consolidation}
        moment = last_visit(user, **target)
        if moment is None:
            raise SinceProblem(
                gettext("This is your first visit here: there is no earlier visit to compare with.")
            )
        return moment, gettext("since your last visit")
    if asked == YESTERDAY:
        return now - timedelta(days=1), gettext("since yesterday at this time")
    if asked == SUBMISSION:
        if proposal is None:
            raise SinceProblem(
                gettext("A consolidation has no submission of its own: choose another moment.")
            )
        contribution = proposal.contribution
        if contribution.submitted_at is not None:
            return contribution.submitted_at, gettext("since the submission")
        if contribution.revises_id is not None and contribution.revises.submitted_at is not None:
            return contribution.revises.submitted_at, gettext(
                "since the submission of the document it revises"
            )
        raise SinceProblem(gettext("This contribution has not been submitted yet."))
    moment = parse_datetime(asked[:40]) if asked else None
    if moment is None:
        raise SinceProblem(
            gettext("Choose a moment: your last visit, yesterday, the submission, or a date and time.")
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment < EARLIEST or moment > now:
        raise SinceProblem(gettext("Choose a moment between the year 2000 and now."))
    return moment, gettext("since %(when)s") % {
        "when": date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    }


def proposal_at(proposal: Proposal, moment: datetime) -> engine.DraftResolution:
    """The proposal's text as it stood at ``moment``: its amendments then (history records), on its base."""
    records = Amendment.history.filter(proposal_id=proposal.pk, history_date__lte=moment).order_by(
        "id", "-history_date", "-history_id"
    )
    latest: dict[int, object] = {}
    for record in records:
        latest.setdefault(record.id, record)
    standing = sorted((r for r in latest.values() if r.history_type != "-"), key=lambda r: (r.order, r.id))
    keys = dict(
        Provision.objects.filter(
            pk__in={r.target_id for r in standing} | {r.added_id for r in standing if r.added_id}
        ).values_list("pk", "key")
    )
    amendments = [
        engine.Amendment(
            action=r.action,
            target=str(keys[r.target_id]),
            position=r.position,
            key=str(keys[r.added_id]) if r.added_id else "",
            kind=r.kind,
            label=r.label,
            heading=r.heading,
            text=r.text,
            role=r.role,
            numbering=r.numbering,
        )
        for r in standing
    ]
    return engine.apply_amendments(shared_edition_tree(proposal.base_edition), amendments)


def proposal_since(user, proposal: Proposal, asked: str) -> Since:
    """What changed in the proposal's text since the moment asked for."""
    moment, said = moment_of(user, asked, proposal=proposal)
    then_label = ""
    source = proposal
    if (
        asked == SUBMISSION
        and proposal.contribution.submitted_at is None
        and proposal.contribution.revises_id
    ):
        # A revision: against the text submitted in the document it revises (the same proposal number).
        original = Proposal.objects.filter(
            contribution_id=proposal.contribution.revises_id, number=proposal.number
        ).first()
        if original is not None and original.base_edition_id is not None:
            source, then_label = original, original.label
    return Since(moment, said, between(proposal_at(source, moment), draft_of(proposal)), then_label)


def consolidation_since(user, consolidation: Consolidation, asked: str) -> Since:
    """What changed in the consolidated draft since the moment asked for: the decisions then and now,
    on the proposals as they are (submitted proposals no longer change)."""
    moment, said = moment_of(user, asked, consolidation=consolidation)
    now = compile_consolidation(consolidation)
    then = compilation_as_of(now, moment)
    return Since(moment, said, between(consolidated_draft(then), consolidated_draft(now)))
