"""A group's proposal carried onto a newer edition of its resolution (the group's own rebase)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext

from drafting.engine import rebase as carry
from drafting.engine.amend import ADD
from drafting.engine.front import rebase_with_front
from drafting.models import Amendment, Clause, ClauseVersion, Edition, Proposal, Provision, RebaseConflict
from drafting.reading import edition_tree
from drafting.translation import kept

from .amendments import advance_clause, engine_amendments, proposal_amendments
from .contributions import DraftingProblem, bump_version, require_edit


def newest_edition(proposal: Proposal) -> Edition | None:
    """The newest edition of the proposal's resolution, if it is not the one the proposal amends."""
    return rebase_state(proposal)[0]


def rebase_state(proposal: Proposal) -> tuple[Edition | None, bool]:
    """A newer edition to carry the proposal onto (or None), and whether an earlier rebase left
    changes to settle: one query, for the proposal page that shows both."""
    if proposal.resolution_id is None or proposal.base_edition_id is None:
        return None, False
    open_conflicts = RebaseConflict.objects.filter(proposal_id=proposal.pk, settled_at__isnull=True)
    newest = (
        Edition.objects.filter(resolution_id=proposal.resolution_id)
        .annotate(open_conflicts=Exists(open_conflicts))
        .order_by("-year", "-created_at")
        .first()
    )
    if newest is None:
        return None, False
    if newest.pk == proposal.base_edition_id or (newest.year or 0, newest.created_at) <= (
        proposal.base_edition.year or 0,
        proposal.base_edition.created_at,
    ):
        return None, newest.open_conflicts
    return newest, newest.open_conflicts


def rebase_preview(proposal: Proposal, edition: Edition, amendments=None) -> carry.Rebase:
    """What carrying the proposal onto ``edition`` would do, change by change (nothing saved)."""
    if proposal.base_edition_id is None:
        raise DraftingProblem(gettext("This proposal has no base edition to carry over."))
    if edition.resolution_id != proposal.base_edition.resolution_id:
        raise DraftingProblem(
            gettext("%(edition)s is not an edition of %(resolution)s.")
            % {"edition": edition, "resolution": proposal.resolution}
        )
    if amendments is None:
        amendments = proposal_amendments(proposal)
    # The title's change is carried by its identity, beside the tree's (engine/front.py).
    return rebase_with_front(
        edition_tree(proposal.base_edition), edition_tree(edition), engine_amendments(amendments)
    )


@transaction.atomic
def rebase_proposal(
    user, proposal: Proposal, edition: Edition, *, expected_version: int | None = None
) -> carry.Rebase:
    """Carry the draft proposal onto ``edition``: its changes rewritten against that text.

    Each change ends applied (over the newer words where they differ), already there (dropped:
    the newer edition says it), or a conflict that keeps the group's wording until someone
    settles it: an addition the newer edition made in other words becomes a change of that
    clause, a change to a clause the newer edition removed puts the clause back. One
    transaction: all or nothing.
    """
    require_edit(user, proposal.contribution)
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("base_edition", "resolution")
        .get(pk=proposal.pk)
    )
    if expected_version is not None and expected_version != locked.version:
        raise DraftingProblem(
            gettext("The proposal changed since you looked at it. Review the rebase again."), status=409
        )
    if edition.pk == locked.base_edition_id:
        raise DraftingProblem(
            gettext("This proposal already amends %(name)s.") % {"name": edition.name}, status=409
        )
    amendments = proposal_amendments(locked)
    result = rebase_preview(locked, edition, amendments)
    wanted = {c.amendment.target for c in result.changes if c.amendment is not None}
    wanted |= {c.amendment.key for c in result.changes if c.amendment is not None and c.amendment.key}
    provisions = {str(p.key): p for p in Provision.objects.filter(key__in=wanted)}
    clauses = {
        str(c.provision.key): c for c in Clause.objects.filter(edition=edition).select_related("provision")
    }
    # Every clause the rebase rewrites moves on a version: its own change carried, or its base text
    # changed under it. An edit box opened on it before is then refused, saying so.
    moved: set[str] = set()
    old_tree, new_tree = edition_tree(locked.base_edition), edition_tree(edition)
    old_values = {c.key: (c.label, c.heading, c.text) for c, _ in old_tree.walk()}
    for c, _ in new_tree.walk():
        if old_values.get(c.key) != (c.label, c.heading, c.text):
            moved.add(c.key)
    for line, key in new_tree.front_keys.items():  # the title, a clause of the draft too
        if getattr(old_tree, line) != getattr(new_tree, line):
            moved.add(key)
            Provision.objects.get_or_create(key=key, defaults={"resolution_id": edition.resolution_id})
    # Rows whose change is gone first: a change carried onto another clause may take a constraint's
    # place (one change per clause) that a dropped row still holds.
    for stored, change in zip(amendments, result.changes, strict=True):
        moved.add(str(stored.added.key) if stored.added_id else str(stored.target.key))
        if change.amendment is None:
            stored.delete()
    for stored, change in zip(amendments, result.changes, strict=True):
        carried = change.amendment
        if carried is None:
            continue
        is_addition = carried.action == ADD
        moved.add(carried.key if is_addition else carried.target)  # the clause it now changes
        Amendment.objects.filter(pk=stored.pk).update(
            action=carried.action,
            target=provisions.get(carried.target, stored.target),
            added=provisions.get(carried.key) if is_addition else None,
            base_clause=clauses.get(carried.target),
            position=carried.position if is_addition else "",
            kind=carried.kind,
            role=carried.role,
            label=carried.label,
            numbering=carried.numbering if is_addition else stored.numbering,
            text=carried.text,
            heading=carried.heading,
            updated_by=user,
        )
        Amendment.objects.get(pk=stored.pk).save(update_fields=["updated_at"])  # a history record
    for provision in Provision.objects.filter(key__in=moved):
        advance_clause(user, locked, provision, ClauseVersion.REBASED)
    # What is left to settle, with its three wordings, until the group marks it settled.
    from_edition = locked.base_edition
    RebaseConflict.objects.bulk_create(
        [
            RebaseConflict(
                proposal=locked,
                provision=provisions.get(change.key) or _provision(change.key),
                from_edition=from_edition,
                onto_edition=edition,
                action=change.original.action,
                note=change.note,
                note_said=kept(change.note),  # said later in each reader's language
                base_text=change.base,
                edition_text=change.edition,
                proposal_text=change.proposal,
                created_by=user,
            )
            for change in result.conflicts
        ]
    )
    locked.base_edition = edition
    locked.save(update_fields=["base_edition"])
    bump_version(locked)
    return result


def _provision(key: str) -> Provision:
    return Provision.objects.get(key=key)


def open_rebase_conflicts(proposal: Proposal) -> list[RebaseConflict]:
    """The changes a rebase left for the group to settle, in the draft's order of changes."""
    return list(
        proposal.rebase_conflicts.filter(settled_at__isnull=True).select_related(
            "provision", "from_edition", "onto_edition"
        )
    )


@transaction.atomic
def settle_rebase_conflict(user, proposal: Proposal, conflict_id: int) -> RebaseConflict:
    """The group has looked at a change the rebase left to settle: it is no longer listed as open.

    The draft's wording is whatever the group made of it (kept, or edited since); settling records
    who decided and when, in the conflict's history.
    """
    require_edit(user, proposal.contribution)
    conflict = RebaseConflict.objects.select_for_update().filter(proposal=proposal, pk=conflict_id).first()
    if conflict is None:
        raise DraftingProblem(gettext("There is no such change to settle on this proposal."), status=404)
    if conflict.settled_at is not None:
        raise DraftingProblem(gettext("This change was settled already."), status=409)
    conflict.settled_at = timezone.now()
    conflict.settled_by = user
    conflict.save(update_fields=["settled_at", "settled_by"])
    bump_version(proposal)
    return conflict
