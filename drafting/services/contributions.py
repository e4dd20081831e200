"""A group's contributions and their proposals: creating, submitting, withdrawing, revising.

Each function is one transaction and raises a DomainError a person can read.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from drafting import live
from drafting.models import ClauseVersion, Consolidation, Contribution, Proposal
from drafting.models.drafting import document_name
from drafting.permissions import can_edit_contribution, can_submit_contribution
from drafting.translation import say
from drafting.validation import clean_values

from . import DomainError, notifications


class DraftingProblem(DomainError):
    """A drafting action that cannot be done; nothing was saved."""


class StaleEdit(DomainError):
    """Someone saved this clause since you opened it; your text was not saved."""

    status = 409

    def __init__(self, message: str, *, current_text: str, current_version: int, updated_by: str = ""):
        super().__init__(message)
        self.current_text = current_text
        self.current_version = current_version
        self.updated_by = updated_by


def require_edit(user, contribution: Contribution) -> None:
    """Refuses an edit of the contribution's drafts, for every service that makes one: 403 for anyone who is not a delegate of the group; 409 for a contribution that is no longer a draft."""
    from drafting.models.people import COORDINATORS, DELEGATES
    from drafting.permissions import is_group_member, roles_of

    if not (is_group_member(user, contribution.group_id) and roles_of(user) & {DELEGATES, COORDINATORS}):
        raise DraftingProblem(gettext("Only delegates of the group can edit its contribution."), status=403)
    if not can_edit_contribution(user, contribution):
        raise DraftingProblem(
            gettext(
                "%(contribution)s has been %(status)s: it can no longer be edited. Make a revision of it instead."
            )
            % {"contribution": contribution, "status": contribution.get_status_display()},
            status=409,
        )


def bump_version(proposal: Proposal) -> None:
    """Every change moves the proposal's version, which is what the editor polls."""
    Proposal.objects.filter(pk=proposal.pk).update(version=F("version") + 1)
    live.announce_change(live.proposal_channel(proposal.pk))


def closed_consolidations(contribution: Contribution) -> list[Consolidation]:
    """Adopted consolidations of the contribution's conference on resolutions it proposes changes to.

    Once a resolution is adopted, what was proposed on it is history: those
    proposals can no longer be revised, withdrawn or submitted.
    """
    return list(
        Consolidation.objects.filter(
            conference_id=contribution.conference_id,
            status=Consolidation.ADOPTED,
            resolution__in=Proposal.objects.filter(contribution=contribution).values("resolution"),
        ).select_related("resolution__body", "conference", "adopted_edition")
    )


def revisions_closed_message(contribution: Contribution) -> str:
    """Why the contribution can no longer be revised, withdrawn or submitted; "" if it still can."""
    closed = closed_consolidations(contribution)
    if not closed:
        return ""
    names = ", ".join(str(c.resolution) for c in closed)
    return ngettext(
        "%(names)s has been adopted at %(conference)s: proposals on it are closed. See the outcome of each"
        " change on the consolidation.",
        "%(names)s have been adopted at %(conference)s: proposals on it are closed. See the outcome of each"
        " change on the consolidation.",
        len(closed),
    ) % {"names": names, "conference": contribution.conference.code}


def _require_open_for_revision(contribution: Contribution, doing: str) -> None:
    """409 once a resolution the contribution proposes changes to has been adopted at its conference."""
    closed = revisions_closed_message(contribution)
    if closed:
        cannot = {
            "submitted": gettext("This contribution can no longer be submitted."),
            "withdrawn": gettext("This contribution can no longer be withdrawn."),
            "revised": gettext("This contribution can no longer be revised."),
        }[doing]
        raise DraftingProblem(f"{cannot} {closed}", status=409)


@transaction.atomic
def submit_contribution(user, contribution: Contribution) -> Contribution:
    """Freeze a draft and make it visible to everyone."""
    from drafting.models.people import COORDINATORS
    from drafting.permissions import is_group_member, roles_of

    if not (is_group_member(user, contribution.group_id) and COORDINATORS in roles_of(user)):
        raise DraftingProblem(
            gettext("Only the group's coordinator can submit its contribution."), status=403
        )
    if not can_submit_contribution(user, contribution):
        # The coordinator, on a contribution no longer a draft: said so, not "only the coordinator".
        raise DraftingProblem(
            gettext("%(contribution)s has already been %(status)s: it cannot be submitted again.")
            % {"contribution": contribution, "status": contribution.get_status_display()},
            status=409,
        )
    _require_open_for_revision(contribution, "submitted")
    updated = Contribution.objects.filter(pk=contribution.pk, status=Contribution.DRAFT).update(
        status=Contribution.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=user,
        version=F("version") + 1,
    )
    if not updated:
        raise DraftingProblem(
            gettext("This contribution has already been submitted or withdrawn."), status=409
        )
    contribution.refresh_from_db()
    contribution.save(update_fields=["updated_at"])  # a history record of the submission
    live.announce_contribution(contribution)
    notifications.announce({"kind": "submitted", "contribution": contribution.pk, "actor": user.pk})
    return contribution


def _require_member(user, group) -> None:
    from drafting.models.people import COORDINATORS, DELEGATES
    from drafting.permissions import is_group_member, roles_of

    if not (is_group_member(user, group.pk) and roles_of(user) & {DELEGATES, COORDINATORS}):
        raise DraftingProblem(
            gettext("Only delegates of %(code)s can draft its contributions.") % {"code": group.code},
            status=403,
        )


@transaction.atomic
def create_contribution(
    user,
    *,
    conference,
    group,
    document_number: str,
    addendum: int | None,
    title: str,
    abstract: str = "",
    introduction: str = "",
) -> Contribution:
    """A new draft contribution of a group to a conference."""
    _require_member(user, group)
    document_number = (document_number or "").strip()
    if not document_number.isdigit():
        raise DraftingProblem(gettext("The document number is a number, such as 35."))
    if not (title or "").strip():
        raise DraftingProblem(gettext("Give the contribution a title."))
    if Contribution.objects.filter(
        conference=conference, document_number=document_number, addendum=addendum, revision=0
    ).exists():
        label = document_name(document_number, addendum)
        raise DraftingProblem(
            gettext("%(label)s already exists at %(code)s.") % {"label": label, "code": conference.code},
            status=409,
        )
    return Contribution.objects.create(
        conference=conference,
        group=group,
        document_number=document_number,
        addendum=addendum,
        title=title.strip(),
        abstract=abstract.strip(),
        introduction=introduction.strip(),
    )


@transaction.atomic
def update_contribution(user, contribution: Contribution, expected_version: int, **fields) -> Contribution:
    """Change a draft's title, abstract or introduction, from the version the delegate opened."""
    require_edit(user, contribution)
    allowed = {k: (v or "").strip() for k, v in fields.items() if k in ("title", "abstract", "introduction")}
    allowed = clean_values(Contribution, allowed)  # update() skips the check every save gets
    if "title" in allowed and not allowed["title"]:
        raise DraftingProblem(gettext("Give the contribution a title."))
    updated = Contribution.objects.filter(pk=contribution.pk, version=expected_version).update(
        **allowed, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise DraftingProblem(
            gettext(
                "Someone changed this contribution after you opened it. Reload to see their changes; yours were not saved."
            ),
            status=409,
        )
    contribution.refresh_from_db()
    contribution.save(update_fields=["updated_at"])
    return contribution


@transaction.atomic
def add_proposal(
    user,
    contribution: Contribution,
    *,
    action: str,
    resolution=None,
    base_edition=None,
    reasons: str = "",
    new_number: str = "",
    new_title: str = "",
) -> Proposal:
    """The next proposal of a draft: MOD against a base edition, ADD a new resolution, SUP or NOC."""
    require_edit(user, contribution)
    if action not in (Proposal.MOD, Proposal.ADD, Proposal.SUP, Proposal.NOC):
        raise DraftingProblem(gettext("Choose MOD, ADD, SUP or NOC."))
    if action == Proposal.ADD:
        if not new_title.strip():
            raise DraftingProblem(gettext("A new resolution (ADD) needs a title."))
        resolution = base_edition = None
    else:
        if resolution is None:
            raise DraftingProblem(gettext("Choose the resolution this proposal is about."))
        if action == Proposal.MOD:
            if base_edition is None:
                from drafting.reading import latest_edition

                base_edition = latest_edition(resolution)
            if base_edition is None or base_edition.resolution_id != resolution.pk:
                raise DraftingProblem(gettext("Choose an edition of that resolution to amend."))
        else:
            base_edition = None
    if resolution is not None and contribution.proposals.filter(resolution=resolution).exists():
        raise DraftingProblem(
            gettext("This contribution already has a proposal on %(resolution)s.")
            % {"resolution": resolution},
            status=409,
        )
    number = (contribution.proposals.aggregate(m=Max("number"))["m"] or 0) + 1
    return Proposal.objects.create(
        contribution=contribution,
        number=number,
        action=action,
        resolution=resolution,
        base_edition=base_edition,
        reasons=reasons.strip(),
        new_number=new_number.strip(),
        new_title=new_title.strip(),
    )


@transaction.atomic
def update_reasons(user, proposal: Proposal, reasons: str) -> Proposal:
    require_edit(user, proposal.contribution)
    proposal.reasons = (reasons or "").strip()
    proposal.save(update_fields=["reasons"])
    bump_version(proposal)
    return proposal


@transaction.atomic
def withdraw_contribution(user, contribution: Contribution) -> Contribution:
    """A submitted contribution withdrawn by its group's coordinator; it stays readable."""
    from drafting.models.people import COORDINATORS
    from drafting.permissions import is_group_member, roles_of

    if not (is_group_member(user, contribution.group_id) and COORDINATORS in roles_of(user)):
        raise DraftingProblem(
            gettext("Only the group's coordinator can withdraw its contribution."), status=403
        )
    _require_open_for_revision(contribution, "withdrawn")
    updated = Contribution.objects.filter(pk=contribution.pk, status=Contribution.SUBMITTED).update(
        status=Contribution.WITHDRAWN, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise DraftingProblem(gettext("Only a submitted contribution can be withdrawn."), status=409)
    contribution.refresh_from_db()
    contribution.save(update_fields=["updated_at"])
    live.announce_contribution(contribution)
    notifications.announce({"kind": "withdrawn", "contribution": contribution.pk, "actor": user.pk})
    return contribution


@transaction.atomic
def revise_contribution(user, contribution: Contribution) -> Contribution:
    """A new draft, "Revision 1 to ...", copying every proposal and amendment; the submitted one stays as it was."""
    _require_member(user, contribution.group)
    if contribution.status != Contribution.SUBMITTED:
        raise DraftingProblem(
            gettext("Only a submitted contribution is revised; a draft is simply edited."), status=409
        )
    if contribution.revisions.exists():
        raise DraftingProblem(
            gettext("This contribution already has a revision: revise the latest one."), status=409
        )
    _require_open_for_revision(contribution, "revised")
    revision = Contribution.objects.create(
        conference=contribution.conference,
        group=contribution.group,
        document_number=contribution.document_number,
        addendum=contribution.addendum,
        revision=contribution.revision + 1,
        revises=contribution,
        title=contribution.title,
        abstract=contribution.abstract,
        introduction=contribution.introduction,
    )
    for proposal in contribution.proposals.all():
        amendments = list(proposal.amendments.order_by("order", "id"))
        proposal.pk = None
        proposal.contribution = revision
        proposal.version = 1
        proposal.save()
        # Every clause keeps its identity in the revision, the clauses the proposal adds included: the
        # revised addition is the same clause, so what the secretariat decided on it follows it.
        changed = set()
        for amendment in amendments:
            amendment.pk = None
            amendment.proposal = proposal
            amendment.version = 1
            amendment.save()
            changed.add(amendment.added_id or amendment.target_id)
        ClauseVersion.objects.bulk_create(
            ClauseVersion(proposal=proposal, provision_id=p, version=1, change=ClauseVersion.EDITED)
            for p in changed
        )
    return revision


def parse_new_resolution(text: str):
    """A new resolution (ADD) as typed, read by the importer's rules; DraftingProblem if it is not one."""
    from drafting.engine.parse import ParseError, parse_resolution

    try:
        parsed = parse_resolution(text)
    except ParseError as e:
        raise DraftingProblem(say(e)) from None
    if not parsed.parts:
        raise DraftingProblem(
            gettext("The text has no parts: start them with headings such as “considering” and “resolves”.")
        )
    return parsed


@transaction.atomic
def save_new_resolution(user, proposal: Proposal, text: str, expected_version: int) -> Proposal:
    """Save the whole text of an ADD proposal, from the version the delegate opened."""
    require_edit(user, proposal.contribution)
    if proposal.action != Proposal.ADD:
        raise DraftingProblem(gettext("Only an ADD proposal holds a whole new resolution."))
    parsed = parse_new_resolution(text)
    values = {"new_text": text.strip() + "\n", "version": F("version") + 1}
    if parsed.title:
        values["new_title"] = parsed.title
    values = clean_values(Proposal, values)  # update() skips the check every save gets
    updated = Proposal.objects.filter(pk=proposal.pk, version=expected_version).update(**values)
    if not updated:
        current = Proposal.objects.get(pk=proposal.pk)
        raise StaleEdit(
            gettext(
                "Someone saved this resolution after you opened it. Your text was not saved: compare the two"
                " and save again."
            ),
            current_text=current.new_text,
            current_version=current.version,
        )
    proposal.refresh_from_db()
    proposal.save(update_fields=["new_text"])  # a history record of this version
    return proposal
