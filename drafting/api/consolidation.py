"""The JSON API for consolidation: every action of the consolidation pages (writes for the secretariat only).

List and open consolidations, read one clause by clause (with the merge flags and
the rebase state of proposals carried from another edition), move it to a newer
edition, settle, read the draft, preview and confirm adoption, and read what
became of every proposal and change. A group reads its proposal's outcome and
carries its draft onto the newest edition.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import ConfigDict

from drafting.api.drafting import AUTH, Problem, _proposal
from drafting.api.editions import EditionRef, edition_by_reference, edition_ref
from drafting.api.problems import described
from drafting.engine import rebase as carry
from drafting.models import Conference, Consolidation, Proposal, Resolution
from drafting.permissions import is_secretariat
from drafting.services import DomainError
from drafting.services.consolidation import (
    adopt,
    adoption_preview,
    compile_consolidation,
    consolidated_draft,
    current_proposals,
    fates,
    move_consolidation,
    open_consolidation,
    outcome_of,
    outcomes,
    resolved_text,
    settle_clause,
    withdrawn_groups,
)
from drafting.services.outcomes import withdrawn
from drafting.translation import say
from drafting.validation import ApiText, ApiVersion

router = Router(auth=AUTH, tags=["consolidation"])


class Alternative(Schema):
    text: str
    groups: list[str]


class Hunk(Schema):
    base: str
    alternatives: list[Alternative]


class GroupText(Schema):
    group: str
    proposal: str
    label: str
    text: str
    suppressed: bool


class Row(Schema):
    key: str
    kind: str
    depth: int
    status: str
    base_label: str | None
    base_text: str | None
    groups: list[GroupText]
    merged: str | None
    conflicts: list[Hunk]
    added_by: list[str]
    added_at_same_place: bool  # an addition where another group also adds
    agreeing: list[str]  # groups whose changes to this clause are the same words
    aliases: list[str]  # every group's key of an addition agreed by several (settle under any of them)
    rebased: list[str]  # groups whose change here was carried from another edition
    rebase_conflicts: list[str]  # ... over words the newer edition changed too
    decision: str | None
    decision_group: str | None
    decision_version: int
    note: str  # why it was settled so, read by every reader
    internal_note: str | None  # the secretariat's own note; null for everyone else
    result: str | None
    open: bool


class Overlap(Schema):
    base: str
    mine: str
    theirs: str


class CarriedChangeOut(Schema):
    key: str  # the clause the change is about, as it stands on the newer edition
    action: str  # the change as the proposal wrote it: modify, add, suppress
    carried_as: str | None  # the change as it applies to the newer edition; None when nothing is left to do
    state: str  # clean, rebased, conflict, already
    note: str
    overlaps: list[Overlap]
    # The clause's three wordings (a part's heading), whole: in the edition the proposal was written
    # against, in the newer edition ("" where it has no such clause) and in the proposal ("" when it
    # suppresses the clause).
    base: str
    edition: str
    proposal: str


class CarriedOut(Schema):
    group: str
    proposal: str
    proposal_id: int
    edition: EditionRef  # the edition the proposal was written against
    counts: dict[str, int]
    changes: list[CarriedChangeOut]


class FateOut(Schema):
    key: str
    kind: str
    label: str
    change: str  # modified, added, suppressed
    proposed: str | None
    result: str | None
    fate: str  # taken, taken as modified, not taken, pending
    note: str
    decision: str
    carried: str


class GroupOutcome(Schema):
    group: str
    proposal: str | None
    proposal_id: int | None
    # adopted, adopted with modifications, partly adopted, not adopted, withdrawn, pending, no change proposed
    outcome: str
    outcome_text: str  # the outcome in words, as every page shows it: "partly adopted: 2 of 18 changes taken"
    changes_proposed: int
    changes_taken: int
    fates: list[FateOut]


class ConsolidationOut(Schema):
    id: int
    conference: str
    resolution: str
    base_edition: str
    base_edition_ref: EditionRef
    adopted_edition: EditionRef | None
    status: str
    version: int
    settled: int
    total: int
    open: int
    outcomes: dict[str, str]  # each group's outcome (its kind)
    outcome_texts: dict[str, str]  # ... in words, as every page shows it
    groups: list[GroupOutcome]
    carried: list[CarriedOut]
    rows: list[Row]


class ConsolidationSummary(Schema):
    id: int | None  # None: not opened yet (POST /api/consolidations opens it)
    conference: str
    body: str
    number: str
    resolution: str
    status: str  # not started, open, adopted
    base_edition: EditionRef | None
    adopted_edition: EditionRef | None
    url: str | None


class OpenIn(Schema):
    conference: str  # "WTSA-24"
    body: str  # "WTSA"
    number: str  # "75"
    edition: int | str | None = None  # id, slug or BODY/number/slug; by default the newest edition


class MoveIn(Schema):
    edition: int | str  # id, slug or BODY/number/slug of a newer edition
    version: int | None = None  # the consolidation's version you saw


class MoveOut(Schema):
    kept: int  # decisions whose clause is in the new edition's consolidation
    dropped: int  # decisions on clauses it no longer has (kept on record, not applied)
    consolidation: ConsolidationOut


class DraftClauseOut(Schema):
    key: str
    kind: str
    depth: int
    base_label: str
    label: str
    heading: str
    text: str
    status: str  # unchanged, modified, added, suppressed
    open: bool  # text left in [square brackets]


class DraftOut(Schema):
    id: int
    status: str
    adopted: bool  # once adopted, the clauses are what was adopted
    open: int
    clauses: list[DraftClauseOut]
    problems: list[str]


class AdoptionPreviewOut(Schema):
    revision: str
    open: int
    open_keys: list[str]
    outcomes: dict[str, str]
    outcome_texts: dict[str, str]
    already_adopted_under_that_name: bool
    version: int  # send it back to adopt exactly this
    clauses: list[DraftClauseOut]


class ProposalOutcomeOut(Schema):
    proposal: str
    consolidation: int | None
    consolidation_status: str | None
    adopted_edition: EditionRef | None
    outcome: str | None  # None: no consolidation yet, or the proposal is not the one compiled
    outcome_text: str | None
    changes_proposed: int = 0
    changes_taken: int = 0
    fates: list[FateOut]
    carried: CarriedOut | None


class RebaseIn(Schema):
    edition: int | str | None = None  # by default the newest edition of the resolution
    version: int | None = None  # the proposal's version you saw


class RebaseConflictOut(Schema):
    # Its description, in the reader's language when the schema is made.
    model_config = ConfigDict(
        json_schema_extra=described(
            gettext_lazy(
                "A change a rebase left to settle: the group's wording is in the draft until it is settled."
            )
        )
    )

    id: int
    key: str  # the clause, as it stands now
    action: str  # the change as the group wrote it
    note: str
    from_edition: EditionRef
    onto_edition: EditionRef
    base: str
    edition: str
    proposal: str


class RebaseOut(Schema):
    proposal: str
    base_edition: EditionRef  # what it amends now
    onto: EditionRef | None  # the edition it would be (or was) carried onto; None when already the newest
    counts: dict[str, int]
    changes: list[CarriedChangeOut]
    applied: bool
    to_settle: list[RebaseConflictOut]  # what earlier rebases left to settle, still open


class SettleIn(Schema):
    key: ApiText
    choice: str
    group: str = ""
    text: ApiText = ""
    note: ApiText = ""
    internal_note: ApiText = ""
    version: ApiVersion = 0


class AdoptIn(Schema):
    leave_open_as_base: bool = False
    version: ApiVersion | None = None  # the consolidation's version you reviewed (from the adoption preview)


class EditionOut(Schema):
    id: int
    body: str
    number: str
    slug: str
    revision: str
    url: str


def _out(consolidation: Consolidation, user) -> dict:
    compilation = compile_consolidation(consolidation)
    officer = is_secretariat(user)
    rows = []
    for row in compilation.rows:
        decision = compilation.decisions.get(row.key)
        result, is_open = resolved_text(row, decision)
        groups = []
        for g, v in row.versions.items():
            if v.clause is not None and (v.changed or g in row.added_by):
                groups.append(
                    {
                        "group": g,
                        "proposal": compilation.proposals[g].label,
                        "label": v.clause.label,
                        "text": v.clause.heading if v.clause.kind == "part" else v.clause.text,
                        "suppressed": v.clause.suppressed,
                    }
                )
        rows.append(
            {
                "key": row.key,
                "kind": row.kind,
                "depth": row.depth,
                "status": row.status,
                "base_label": row.base.label if row.base else None,
                "base_text": (row.base.heading if row.kind == "part" else row.base.text)
                if row.base
                else None,
                "groups": groups,
                "merged": row.merge.text,
                "conflicts": [
                    {
                        "base": h.base,
                        "alternatives": [{"text": a.text, "groups": a.groups} for a in h.alternatives],
                    }
                    for h in row.merge.conflicts
                ],
                "added_by": row.added_by,
                "added_at_same_place": row.same_place_as_others,
                "agreeing": row.merge.agreeing,
                "aliases": row.aliases,
                "rebased": row.rebased,
                "rebase_conflicts": row.rebase_conflicts,
                "decision": decision.choice if decision else None,
                "decision_group": decision.group if decision else None,
                "decision_version": decision.version if decision else 0,
                "note": decision.note if decision else "",
                "internal_note": (decision.internal_note if decision else "") if officer else None,
                "result": result,
                "open": is_open,
            }
        )
    return {
        "id": consolidation.pk,
        "conference": consolidation.conference.code,
        "resolution": str(consolidation.resolution),
        "base_edition": consolidation.base_edition.name,
        "base_edition_ref": edition_ref(consolidation.base_edition),
        "adopted_edition": edition_ref(consolidation.adopted_edition)
        if consolidation.adopted_edition_id
        else None,
        "status": consolidation.status,
        "version": consolidation.version,
        "settled": compilation.settled(),
        "total": compilation.to_settle(),
        "open": len(compilation.open_rows()),
        **_outcome_maps(outcomes(compilation)),
        "groups": _groups_out(compilation),
        "carried": [_carried_out(g, c) for g, c in sorted(compilation.carried.items())],
        "rows": rows,
    }


def _outcome_maps(found: dict) -> dict:
    """Each group's outcome, as its kind and in words (the words every page shows)."""
    return {
        "outcomes": {g: o.kind for g, o in found.items()},
        "outcome_texts": {g: o.text for g, o in found.items()},
    }


def _fate_out(f) -> dict:
    return {
        "key": f.key,
        "kind": f.kind,
        "label": f.label,
        "change": f.change,
        "proposed": f.proposed,
        "result": f.result,
        "fate": f.fate,
        "note": f.note,
        "decision": f.decision,
        "carried": f.carried,
    }


def _groups_out(compilation) -> list[dict]:
    result = []
    for group, group_fates in fates(compilation).items():
        p = compilation.proposals[group]
        result.append(
            {
                "group": group,
                "proposal": p.label,
                "proposal_id": p.pk,
                **outcome_of(group_fates).as_dict(),
                "fates": [_fate_out(f) for f in group_fates],
            }
        )
    for group in withdrawn_groups(compilation.consolidation):
        if group not in compilation.proposals:
            result.append(
                {"group": group, "proposal": None, "proposal_id": None, **withdrawn().as_dict(), "fates": []}
            )
    return result


def _changes_out(rebase: carry.Rebase) -> list[dict]:
    return [
        {
            "key": c.key,
            "action": c.original.action,
            "carried_as": c.amendment.action if c.amendment is not None else None,
            "state": c.state,
            "note": say(c.note),
            "overlaps": [{"base": o.base, "mine": o.mine, "theirs": o.theirs} for o in c.overlaps],
            "base": c.base,
            "edition": c.edition,
            "proposal": c.proposal,
        }
        for c in rebase.changes
    ]


def _counts(rebase: carry.Rebase) -> dict[str, int]:
    return {s: rebase.count(s) for s in carry.STATES if rebase.count(s)}


def _carried_out(group: str, carried) -> dict:
    return {
        "group": group,
        "proposal": carried.proposal.label,
        "proposal_id": carried.proposal.pk,
        "edition": edition_ref(carried.edition),
        "counts": _counts(carried.rebase),
        "changes": _changes_out(carried.rebase),
    }


def _get(pk: int) -> Consolidation:
    return get_object_or_404(
        Consolidation.objects.select_related(
            "conference",
            "resolution__body",
            "base_edition__resolution__body",
            "adopted_edition__resolution__body",
        ),
        pk=pk,
    )


def _fail(problem: DomainError):
    raise HttpError(problem.status, problem.message) from None


def _summary(conference, resolution, consolidation) -> dict:
    return {
        "id": consolidation.pk if consolidation else None,
        "conference": conference.code,
        "body": resolution.body.code,
        "number": resolution.number,
        "resolution": str(resolution),
        "status": consolidation.status if consolidation else "not started",
        "base_edition": edition_ref(consolidation.base_edition) if consolidation else None,
        "adopted_edition": edition_ref(consolidation.adopted_edition)
        if consolidation and consolidation.adopted_edition_id
        else None,
        "url": f"/api/consolidations/{consolidation.pk}" if consolidation else None,
    }


@router.get(
    "/consolidations",
    response=list[ConsolidationSummary],
    summary=gettext_lazy("List consolidations"),
    description=gettext_lazy(
        "Every resolution with submitted proposals, per conference, and its consolidation if opened (as the page lists them)."
    ),
)
def list_consolidations(request, conference: str = ""):
    pairs = Proposal.objects.filter(contribution__status="submitted", action=Proposal.MOD).values_list(
        "contribution__conference_id", "resolution_id"
    )
    existing = {
        (c.conference_id, c.resolution_id): c
        for c in Consolidation.objects.select_related(
            "base_edition__resolution__body", "adopted_edition__resolution__body"
        )
    }
    keys = sorted(set(pairs) | set(existing))
    conferences = {c.pk: c for c in Conference.objects.filter(pk__in={c for c, _ in keys})}
    resolutions = {
        r.pk: r for r in Resolution.objects.select_related("body").filter(pk__in={r for _, r in keys})
    }
    return [
        _summary(conferences[c], resolutions[r], existing.get((c, r)))
        for c, r in keys
        if not conference or conferences[c].code.lower() == conference.lower()
    ]


@router.post(
    "/consolidations",
    response={200: ConsolidationOut, 201: ConsolidationOut, 400: Problem, 403: Problem, 404: Problem},
    summary=gettext_lazy("Open a consolidation"),
    description=gettext_lazy(
        "Open the consolidation of a resolution for a conference (200 with it if it is open already).\n\nIt is compiled against ``edition`` (id, slug or BODY/number/slug), by default the newest edition; proposals written against other editions are carried onto it."
    ),
)
def open_one(request, body: OpenIn):
    conference = Conference.objects.filter(code__iexact=body.conference).first()
    if conference is None:
        raise HttpError(
            404, gettext("There is no conference %(conference)s.") % {"conference": repr(body.conference)}
        )
    resolution = Resolution.objects.filter(body__code__iexact=body.body, number__iexact=body.number).first()
    if resolution is None:
        raise HttpError(
            404,
            gettext("There is no %(body)s Resolution %(number)s.")
            % {"body": body.body, "number": body.number},
        )
    edition = (
        edition_by_reference(body.edition, resolution=resolution) if body.edition not in (None, "") else None
    )
    existed = Consolidation.objects.filter(conference=conference, resolution=resolution).exists()
    try:
        consolidation = open_consolidation(request.user, conference, resolution, edition)
    except DomainError as problem:
        _fail(problem)
    return Status(200 if existed else 201, _out(_get(consolidation.pk), request.user))


@router.post(
    "/consolidations/{pk}/edition",
    response={200: MoveOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Move to a newer edition"),
    description=gettext_lazy(
        "Consolidate against a newer edition: proposals are carried onto it, decisions kept where their clause is."
    ),
)
def move(request, pk: int, body: MoveIn):
    consolidation = _get(pk)
    edition = edition_by_reference(body.edition, resolution=consolidation.resolution)
    try:
        moved = move_consolidation(request.user, consolidation, edition, expected_version=body.version)
    except DomainError as problem:
        _fail(problem)
    return {"kept": moved.kept, "dropped": moved.dropped, "consolidation": _out(_get(pk), request.user)}


def _draft_clauses(draft, compilation) -> list[dict]:
    open_keys = {r.key for r in compilation.open_rows()} if compilation is not None else set()
    return [
        {
            "key": c.key,
            "kind": c.kind,
            "depth": depth,
            "base_label": c.base_label,
            "label": c.label,
            "heading": c.heading,
            "text": c.text,
            "status": "added"
            if c.added
            else "suppressed"
            if c.suppressed
            else "modified"
            if c.changed
            else "unchanged",
            "open": c.key in open_keys and not compilation.adopted,
        }
        for c, depth in draft.walk()
    ]


@router.get(
    "/consolidations/{pk}/draft",
    response={200: DraftOut, 404: Problem},
    summary=gettext_lazy("Get draft"),
    description=gettext_lazy(
        "The consolidated draft: the base with every decision; open text in [brackets]. Once adopted: what was adopted."
    ),
)
def get_draft(request, pk: int):
    compilation = compile_consolidation(_get(pk))
    draft = consolidated_draft(compilation)
    return {
        "id": pk,
        "status": compilation.consolidation.status,
        "adopted": compilation.adopted,
        "open": len(compilation.open_rows()),
        "clauses": _draft_clauses(draft, compilation),
        "problems": [say(p) for p in draft.problems],
    }


@router.get(
    "/consolidations/{pk}/adoption",
    response={200: AdoptionPreviewOut, 404: Problem, 409: Problem},
    summary=gettext_lazy("Preview adoption"),
    description=gettext_lazy(
        "What adopting would do (the confirmation step): the text, the clauses still open, each group's outcome."
    ),
)
def preview_adoption(request, pk: int):
    consolidation = _get(pk)
    if consolidation.status != Consolidation.OPEN:
        raise HttpError(409, gettext("This consolidation has already been adopted."))
    preview = adoption_preview(consolidation)
    return {
        "revision": preview.revision,
        "open": preview.open,
        "open_keys": [r.key for r in preview.open_rows],
        **_outcome_maps(preview.outcomes),
        "already_adopted_under_that_name": preview.already,
        "version": consolidation.version,
        "clauses": _draft_clauses(preview.draft, None),
    }


@router.get(
    "/consolidations/{pk}/outcomes",
    response={200: list[GroupOutcome], 404: Problem},
    summary=gettext_lazy("Get outcomes"),
    description=gettext_lazy(
        "What became of each group's proposal and of each of its changes (pending until settled)."
    ),
)
def get_outcomes(request, pk: int):
    return _groups_out(compile_consolidation(_get(pk)))


@router.get(
    "/consolidations/{pk}",
    response={200: ConsolidationOut, 404: Problem},
    summary=gettext_lazy("Get consolidation"),
    description=gettext_lazy(
        "Every clause: base text, each group's text, the merge, conflicts, and the decision."
    ),
)
def get_consolidation(request, pk: int):
    return _out(_get(pk), request.user)


@router.post(
    "/consolidations/{pk}/settle",
    response={200: ConsolidationOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Settle"),
)
def settle(request, pk: int, body: SettleIn):
    consolidation = _get(pk)
    try:
        settle_clause(
            request.user,
            consolidation,
            body.key,
            body.choice,
            group=body.group,
            text=body.text,
            note=body.note,
            internal_note=body.internal_note,
            expected_version=body.version,
        )
    except DomainError as problem:
        raise HttpError(problem.status, problem.message) from None
    return _out(_get(pk), request.user)


@router.post(
    "/consolidations/{pk}/adopt",
    response={200: EditionOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Adopt edition"),
    description=gettext_lazy(
        "Make the settled draft the next edition; open clauses refuse unless ``leave_open_as_base``."
    ),
)
def adopt_edition(request, pk: int, body: AdoptIn):
    try:
        edition = adopt(
            request.user, _get(pk), leave_open_as_base=body.leave_open_as_base, expected_version=body.version
        )
    except DomainError as problem:
        raise HttpError(problem.status, problem.message) from None
    r = edition.resolution
    return {
        "id": edition.pk,
        "body": r.body.code,
        "number": r.number,
        "slug": edition.slug,
        "revision": edition.revision,
        "url": edition.get_absolute_url(),
    }


@router.get(
    "/proposals/{pk}/outcome",
    response={200: ProposalOutcomeOut, 404: Problem},
    tags=["drafting"],
    summary=gettext_lazy("Proposal outcome"),
    description=gettext_lazy(
        "What the consolidation made of this proposal, change by change (as its page shows)."
    ),
)
def proposal_outcome(request, pk: int):
    proposal = _proposal(request, pk)
    out = {
        "proposal": proposal.label,
        "consolidation": None,
        "consolidation_status": None,
        "adopted_edition": None,
        "outcome": None,
        "outcome_text": None,
        "fates": [],
        "carried": None,
    }
    if proposal.resolution_id is None:
        return out
    consolidation = (
        Consolidation.objects.filter(
            conference=proposal.contribution.conference, resolution=proposal.resolution
        )
        .select_related("conference", "resolution__body", "base_edition", "adopted_edition__resolution__body")
        .first()
    )
    if consolidation is None:
        return out
    out.update(
        consolidation=consolidation.pk,
        consolidation_status=consolidation.status,
        adopted_edition=edition_ref(consolidation.adopted_edition)
        if consolidation.adopted_edition_id
        else None,
    )
    group = proposal.contribution.group.code
    if proposal.contribution.status == "withdrawn":
        out.update(withdrawn().as_dict())
        return out
    if proposal.contribution.status != "submitted" or proposal not in current_proposals(
        consolidation.conference, consolidation.resolution
    ):
        return out
    compilation = compile_consolidation(consolidation)
    group_fates = fates(compilation).get(group, [])
    out.update(outcome_of(group_fates).as_dict(), fates=[_fate_out(f) for f in group_fates])
    if group in compilation.carried:
        out["carried"] = _carried_out(group, compilation.carried[group])
    return out


def _rebase_target(proposal, reference):
    from drafting.services.rebase import newest_edition

    if reference not in (None, ""):
        return edition_by_reference(reference, resolution=proposal.resolution)
    return newest_edition(proposal)


def _rebase_out(proposal, edition, result, applied: bool) -> dict:
    from drafting.services.rebase import open_rebase_conflicts

    proposal.refresh_from_db(fields=["base_edition"])
    return {
        "proposal": proposal.label,
        "base_edition": edition_ref(proposal.base_edition),
        "onto": edition_ref(edition) if edition is not None else None,
        "counts": _counts(result) if result is not None else {},
        "changes": _changes_out(result) if result is not None else [],
        "applied": applied,
        "to_settle": [
            {
                "id": c.pk,
                "key": str(c.provision.key),
                "action": c.action,
                "note": c.said_note,
                "from_edition": edition_ref(c.from_edition),
                "onto_edition": edition_ref(c.onto_edition),
                "base": c.base_text,
                "edition": c.edition_text,
                "proposal": c.proposal_text,
            }
            for c in open_rebase_conflicts(proposal)
        ],
    }


@router.get(
    "/proposals/{pk}/rebase",
    response={200: RebaseOut, 400: Problem, 404: Problem},
    tags=["drafting"],
    summary=gettext_lazy("Preview rebase"),
    description=gettext_lazy(
        "What carrying the proposal onto ``edition`` (by default the newest) would do, change by change."
    ),
)
def preview_rebase(request, pk: int, edition: str = ""):
    from drafting.services.rebase import rebase_preview

    proposal = _proposal(request, pk)
    if proposal.base_edition_id is None:
        raise HttpError(400, gettext("This proposal amends no edition."))
    target = _rebase_target(proposal, edition)
    if target is None or target.pk == proposal.base_edition_id:
        return _rebase_out(proposal, None, None, False)
    try:
        result = rebase_preview(proposal, target)
    except DomainError as problem:
        _fail(problem)
    return _rebase_out(proposal, target, result, False)


@router.post(
    "/proposals/{pk}/rebase",
    response={200: RebaseOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
    tags=["drafting"],
    summary=gettext_lazy("Rebase"),
    description=gettext_lazy(
        "Carry the draft proposal onto a newer edition; overlapping words keep the group's (listed as conflicts)."
    ),
)
def rebase(request, pk: int, body: RebaseIn):
    from drafting.services.rebase import rebase_proposal

    proposal = _proposal(request, pk)
    if proposal.base_edition_id is None:
        raise HttpError(400, gettext("This proposal amends no edition."))
    target = _rebase_target(proposal, body.edition)
    if target is None:
        raise HttpError(409, gettext("This proposal already amends the newest edition."))
    try:
        result = rebase_proposal(request.user, proposal, target, expected_version=body.version)
    except DomainError as problem:
        _fail(problem)
    return _rebase_out(proposal, target, result, True)


@router.post(
    "/proposals/{pk}/rebase/conflicts/{conflict}/settle",
    response={200: RebaseOut, 403: Problem, 404: Problem, 409: Problem},
    tags=["drafting"],
    summary=gettext_lazy("Settle rebase conflict"),
    description=gettext_lazy(
        "Mark a change an earlier rebase left to settle as settled; the answer lists those still open."
    ),
)
def settle_rebase_conflict(request, pk: int, conflict: int):
    from drafting.services.rebase import settle_rebase_conflict as settle

    proposal = _proposal(request, pk)
    try:
        settle(request.user, proposal, conflict)
    except DomainError as problem:
        _fail(problem)
    return _rebase_out(proposal, None, None, False)
