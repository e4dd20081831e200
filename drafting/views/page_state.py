"""The editor's and the synoptic view's states, built once per version and shared by every request.

What a page is built from is kept in ``drafting.caching``'s memos, keyed by the versions every change
moves (a save, a settlement, an import of the library); each request gets its own copy of the shared
state with its rows' fragment stamps, which carry the time-relative words ("changed 5 minutes ago")
the fragments show, so a cached fragment never shows a stale one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import get_language

from drafting.caching import (
    consolidation_contexts,
    editor_contexts,
    library_state,
    one_state,
    stamp,
)
from drafting.live import draft_delta
from drafting.models import Contribution, Edition, Proposal
from drafting.templatetags.drafting import ago


def _change_identity(change) -> Any:
    if change is None:
        return None
    by = change.updated_by
    who = (by.get_full_name() or by.username) if by is not None else ""
    return (change.pk, change.version, change.action, who, change.updated_at)


def clause_content_stamp(row: dict, *, proposal_pk: int, can_edit: bool) -> str:
    """The stamp of what one clause's fragment in the editor shows, but for the time-relative words."""
    others = {k: v for k, v in row.items() if k not in ("clause", "change", "stamp")}
    return stamp(proposal_pk, can_edit, row["clause"], _change_identity(row.get("change")), others)


def _with_stamps(
    build: Callable[[], dict], proposal, can_edit: bool, library: str = ""
) -> tuple[dict, list[str]]:
    # Under load another delegate's save commits while a build reads, every few seconds: the
    # version is read in the same snapshot as the rest, so the state is that version's, all of it.
    # A page whose proposal was read before a save gets the newer version, labelled so.
    with one_state():
        current = Proposal.objects.filter(pk=proposal.pk).values_list("version", flat=True).first()
        if current is not None:
            proposal.version = current
        context = build()
    stamps = [clause_content_stamp(r, proposal_pk=proposal.pk, can_edit=can_edit) for r in context["rows"]]
    # Kept for the live copies that send an editor only the clauses a newer version changed (the
    # library's state with each: an import or adoption changes the links of any clause).
    draft_delta.remember(
        proposal.pk, context["version"], can_edit, context["rows"], [s + library for s in stamps]
    )
    return context, stamps


def editor_context(proposal, can_edit: bool, build: Callable[[], dict]) -> dict:
    """The editor's context for this proposal's version, built once; each request gets its own copy
    with the fragment stamps ("changed 5 minutes ago" moves on with the clock, nothing else does)."""
    library = library_state()  # the draft's citations link to editions: an import or adoption moves it
    contribution = proposal.contribution
    key = (
        proposal.pk,
        proposal.version,
        proposal.base_edition_id,
        contribution.pk,
        contribution.version,
        contribution.status,
        can_edit,
        library,
        get_language(),  # the context holds words (problems, outcomes, notes) in the reader's language
    )
    shared, stamps = editor_contexts.get_or_build(
        key, lambda: _with_stamps(build, proposal, can_edit, library)
    )
    # The state may be of a newer version than the caller read (a save committed in between): the
    # caller's proposal says the version its state shows, whoever built it.
    proposal.version = shared["version"]
    context = dict(shared)
    rows = []
    for row, content in zip(shared["rows"], stamps, strict=True):
        mine = dict(row)
        change = row.get("change")
        mine["stamp"] = content + library + (ago(change.updated_at) if change is not None else "")
        rows.append(mine)
    context["rows"] = rows
    context["library_state"] = library  # the page's citations read the library as of this state
    context["clause_stamps"] = [s + library for s in stamps]
    context["draft_stamp"] = stamp(proposal.pk, can_edit, [r["stamp"] for r in rows])
    return context


def consolidation_key(consolidation) -> tuple:
    """What a consolidation's pages are built from, as versions: its own (decisions, moves, adoption),
    the proposals compiled (a submission, a withdrawal or a revision moves their sums) and the
    resolution's editions (a newer one may be offered), and, last, the library's state (the citations
    shown link to editions). Three small aggregate queries."""
    # Drafts are not compiled: the groups saving clauses of their next proposals all morning must not
    # make every reader build the view again. A submission, a withdrawal or a revision moves these.
    proposals = (
        Proposal.objects.filter(
            contribution__conference_id=consolidation.conference_id, resolution_id=consolidation.resolution_id
        )
        .exclude(contribution__status=Contribution.DRAFT)
        .aggregate(
            n=Count("id"),
            s=Count("id", filter=Q(contribution__status=Contribution.SUBMITTED)),
            p=Sum("version"),
            c=Sum("contribution__version"),
        )
    )
    editions = Edition.objects.filter(resolution_id=consolidation.resolution_id).count()
    return (
        consolidation.pk,
        consolidation.version,
        consolidation.status,
        consolidation.base_edition_id,
        proposals["n"],
        proposals["s"],
        proposals["p"],
        proposals["c"],
        editions,
        library_state(),
    )


def _decision_identity(decision) -> Any:
    if decision is None:
        return None
    return (
        decision.pk,
        decision.version,
        decision.choice,
        decision.group,
        decision.text,
        decision.note,
        decision.internal_note,
        decision.decided_by_id,
        decision.decided_at,
    )


def _row_stamps(context: dict, variant: tuple) -> list[str]:
    """Per row of the synoptic view, a stamp of what its fragment shows but the time-relative words."""
    compilation = context["compilation"]
    # The same for every row: digested once.
    frame = stamp(
        context["consolidation"].pk,
        variant,
        list(compilation.groups),
        [(g, p.pk, p.label) for g, p in compilation.proposals.items()],
    )
    stamps = []
    for item in context["rows"]:
        others = {k: v for k, v in item.items() if k not in ("decision", "stamp", "row")}
        row = _merged_row_stamp(item["row"])
        stamps.append(stamp(frame, _decision_identity(item.get("decision")), row, others))
    return stamps


# The merged rows are shared and never change (``compilations``): each is stamped once, not again
# after every settlement (a row of six groups' versions was most of the time a reload took). The
# stamp is kept on the row itself, so that it goes with it.
def _merged_row_stamp(row) -> str:
    kept = row.__dict__.get("_content_stamp")
    if kept is None:
        kept = row.__dict__["_content_stamp"] = stamp(row)
    return kept


def consolidation_context(request, consolidation, variant: tuple, build: Callable[[], dict]) -> dict:
    """The synoptic view's context for this state of the consolidation and this way of showing it
    (filter, layout, whether the viewer settles), built once and shared; each request gets a copy
    with its rows' fragment stamps. No row carries a CSRF token (a row's settle form is fetched
    when it is opened), so the officers share their rows too; theirs link their settle forms
    back to the page's query, which is part of their stamp."""

    def built():
        context = build()
        return context, _row_stamps(context, variant)

    key = consolidation_key(consolidation)
    # The context holds words (the bulk settlements offered, outcomes, notes) in the reader's language.
    shared, stamps = consolidation_contexts.get_or_build((*key, *variant, get_language()), built)
    context = dict(shared)
    viewer = request.GET.urlencode() if context.get("can_settle") else ""
    rows = []
    for item, content in zip(shared["rows"], stamps, strict=True):
        mine = dict(item)
        decision = item.get("decision")
        mine["stamp"] = (
            content + key[-1] + viewer + (ago(decision.decided_at) if decision is not None else "")
        )
        rows.append(mine)
    context["rows"] = rows
    context["library_state"] = key[-1]  # the page's citations read the library as of this state
    # The rows together, with the frame they are shown in: the whole synoptic view is one cache
    # read while nothing in it changed (each row's own fragment is used when one did).
    context["synoptic_stamp"] = hashlib.blake2b(
        repr((variant, viewer, [r["stamp"] for r in rows])).encode(), digest_size=12
    ).hexdigest()
    return context
