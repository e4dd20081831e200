"""The JSON API for consolidation: read it, settle a clause, adopt (writes for the secretariat only)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from drafting.api.drafting import AUTH, Problem
from drafting.models import Consolidation
from drafting.services import DomainError
from drafting.services.consolidation import (
    adopt,
    compile_consolidation,
    outcomes,
    resolved_text,
    settle_clause,
)

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
    decision: str | None
    decision_group: str | None
    decision_version: int
    result: str | None
    open: bool


class ConsolidationOut(Schema):
    id: int
    conference: str
    resolution: str
    base_edition: str
    status: str
    version: int
    settled: int
    total: int
    outcomes: dict[str, str]
    rows: list[Row]


class SettleIn(Schema):
    key: str
    choice: str
    group: str = ""
    text: str = ""
    note: str = ""
    version: int = 0


class AdoptIn(Schema):
    leave_open_as_base: bool = False


class EditionOut(Schema):
    body: str
    number: str
    slug: str
    revision: str
    url: str


def _out(consolidation: Consolidation) -> dict:
    compilation = compile_consolidation(consolidation)
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
                "decision": decision.choice if decision else None,
                "decision_group": decision.group if decision else None,
                "decision_version": decision.version if decision else 0,
                "result": result,
                "open": is_open,
            }
        )
    return {
        "id": consolidation.pk,
        "conference": consolidation.conference.code,
        "resolution": str(consolidation.resolution),
        "base_edition": consolidation.base_edition.name,
        "status": consolidation.status,
        "version": consolidation.version,
        "settled": compilation.settled(),
        "total": len(compilation.rows),
        "outcomes": outcomes(compilation),
        "rows": rows,
    }


def _get(pk: int) -> Consolidation:
    return get_object_or_404(
        Consolidation.objects.select_related("conference", "resolution__body", "base_edition"), pk=pk
    )


@router.get("/consolidations/{pk}", response={200: ConsolidationOut, 404: Problem})
def get_consolidation(request, pk: int):
    """Every clause: base text, each group's text, the merge, conflicts, and the decision."""
    return _out(_get(pk))


@router.post(
    "/consolidations/{pk}/settle",
    response={200: ConsolidationOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
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
            expected_version=body.version,
        )
    except DomainError as problem:
        raise HttpError(problem.status, problem.message) from None
    return _out(_get(pk))


@router.post(
    "/consolidations/{pk}/adopt",
    response={200: EditionOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
)
def adopt_edition(request, pk: int, body: AdoptIn):
    """Make the settled draft the next edition; open clauses refuse unless ``leave_open_as_base``."""
    try:
        edition = adopt(request.user, _get(pk), leave_open_as_base=body.leave_open_as_base)
    except DomainError as problem:
        raise HttpError(problem.status, problem.message) from None
    r = edition.resolution
    return {
        "body": r.body.code,
        "number": r.number,
        "slug": edition.slug,
        "revision": edition.revision,
        "url": edition.get_absolute_url(),
    }
