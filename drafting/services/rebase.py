"""A group's proposal carried onto a newer edition of its resolution (the group's own rebase)."""

from __future__ import annotations

from django.db import transaction

from drafting.engine import rebase as carry
from drafting.engine.amend import ADD
from drafting.models import Amendment, Clause, ClauseVersion, Edition, Proposal, Provision
from drafting.reading import edition_tree, latest_edition

from .amendments import advance_clause, engine_amendments, proposal_amendments
from .contributions import DraftingProblem, bump_version, require_edit


def newest_edition(proposal: Proposal) -> Edition | None:
    """The newest edition of the proposal's resolution, if it is not the one the proposal amends."""
    if proposal.resolution_id is None or proposal.base_edition_id is None:
        return None
    newest = latest_edition(proposal.resolution)
    if newest is None or newest.pk == proposal.base_edition_id:
        return None
    if (newest.year or 0, newest.created_at) <= (
        proposal.base_edition.year or 0,
        proposal.base_edition.created_at,
    ):
        return None
    return newest


def rebase_preview(proposal: Proposal, edition: Edition, amendments=None) -> carry.Rebase:
    """What carrying the proposal onto ``edition`` would do, change by change (nothing saved)."""
    if proposal.base_edition_id is None:
        raise DraftingProblem("This proposal has no base edition to carry over.")
    if edition.resolution_id != proposal.base_edition.resolution_id:
        raise DraftingProblem(f"{edition} is not an edition of {proposal.resolution}.")
    if amendments is None:
        amendments = proposal_amendments(proposal)
    return carry.rebase(
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
            "The proposal changed since you looked at it. Review the rebase again.", status=409
        )
    if edition.pk == locked.base_edition_id:
        raise DraftingProblem(f"This proposal already amends {edition.name}.", status=409)
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
    locked.base_edition = edition
    locked.save(update_fields=["base_edition"])
    bump_version(locked)
    return result
