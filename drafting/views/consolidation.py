"""The secretariat's consolidation pages: the synoptic view, settling clauses, the draft, adoption."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from drafting.engine.consolidate import counts
from drafting.models import Conference, Consolidation, Proposal, Resolution
from drafting.permissions import is_secretariat
from drafting.services import DomainError
from drafting.services.consolidation import (
    adopt,
    compile_consolidation,
    consolidated_draft,
    open_consolidation,
    outcomes,
    resolved_text,
    settle_clause,
)

FILTERS = {
    "all": "All clauses",
    "changed": "Changed only",
    "conflicts": "Conflicts only",
    "open": "Not yet settled",
}


@login_required
def consolidation_list(request: HttpRequest) -> HttpResponse:
    """Resolutions with submitted proposals, per conference, and their consolidations."""
    pairs = (
        Proposal.objects.filter(contribution__status="submitted", action=Proposal.MOD)
        .values_list("contribution__conference_id", "resolution_id")
        .distinct()
    )
    conferences = {c.pk: c for c in Conference.objects.all()}
    resolutions = {r.pk: r for r in Resolution.objects.select_related("body")}
    existing = {(c.conference_id, c.resolution_id): c for c in Consolidation.objects.all()}
    items = [
        {"conference": conferences[c], "resolution": resolutions[r], "consolidation": existing.get((c, r))}
        for c, r in sorted(set(pairs))
    ]
    return render(
        request,
        "drafting/consolidation_list.html",
        {"items": items, "is_secretariat": is_secretariat(request.user)},
    )


@require_POST
@login_required
def consolidation_open(request: HttpRequest, conference: int, resolution: int) -> HttpResponse:
    try:
        consolidation = open_consolidation(
            request.user,
            get_object_or_404(Conference, pk=conference),
            get_object_or_404(Resolution, pk=resolution),
        )
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect("consolidation_list")
    return redirect(consolidation)


def _context(request: HttpRequest, consolidation: Consolidation) -> dict:
    compilation = compile_consolidation(consolidation)
    view = request.GET.get("filter", "all")
    layout = "stacked" if request.GET.get("layout") == "stacked" else "columns"
    rows = []
    for row in compilation.rows:
        decision = compilation.decisions.get(row.key)
        settled = decision is not None and decision.choice != "open"
        if view == "changed" and row.status == "unchanged":
            continue
        if view == "conflicts" and row.status != "conflict":
            continue
        if view == "open" and (row.status == "unchanged" or settled):
            continue
        text, is_open = resolved_text(row, decision)
        rows.append(
            {"row": row, "decision": decision, "settled": settled, "result": text, "is_open": is_open}
        )
    total = len(compilation.rows)
    return {
        "consolidation": consolidation,
        "compilation": compilation,
        "rows": rows,
        "counts": counts(compilation.rows),
        "settled": compilation.settled(),
        "total": total,
        "open": len(compilation.open_rows()),
        "filter": view,
        "filters": FILTERS,
        "layout": layout,
        "outcomes": outcomes(compilation),
        "can_settle": is_secretariat(request.user) and consolidation.status == Consolidation.OPEN,
    }


@login_required
def consolidation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The synoptic view: per clause the base, each group's text with marks, the merge, and the decision."""
    consolidation = get_object_or_404(
        Consolidation.objects.select_related(
            "conference", "resolution__body", "base_edition", "adopted_edition"
        ),
        pk=pk,
    )
    return render(request, "drafting/consolidation_detail.html", _context(request, consolidation))


@require_POST
@login_required
def consolidation_settle(request: HttpRequest, pk: int) -> HttpResponse:
    consolidation = get_object_or_404(Consolidation, pk=pk)
    key = request.POST.get("key", "")
    choice, _, group = request.POST.get("choice", "").partition(":")
    try:
        settle_clause(
            request.user,
            consolidation,
            key,
            choice,
            group=group or request.POST.get("group", ""),
            text=request.POST.get("text", ""),
            note=request.POST.get("note", ""),
            expected_version=int(request.POST.get("version", "0") or 0),
            expected_base=int(request.POST.get("base", "0") or 0) or None,
        )
    except DomainError as problem:
        if request.htmx:
            response = HttpResponse(problem.message, status=problem.status, content_type="text/plain")
            return response
        messages.error(request, problem.message)
        return redirect(f"{consolidation.get_absolute_url()}#k-{key}")
    messages.success(request, "Settled.")
    return redirect(f"{consolidation.get_absolute_url()}?{request.GET.urlencode()}#k-{key}")


@login_required
def consolidation_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The consolidated draft: the base with the decisions, marks against the base, open text in brackets."""
    consolidation = get_object_or_404(
        Consolidation.objects.select_related("conference", "resolution__body", "base_edition"), pk=pk
    )
    compilation = compile_consolidation(consolidation)
    draft = consolidated_draft(compilation)
    return render(
        request,
        "drafting/consolidation_draft.html",
        {
            "consolidation": consolidation,
            "rows": [{"clause": c, "depth": d} for c, d in draft.walk()],
            "open": len(compilation.open_rows()),
            "can_settle": is_secretariat(request.user) and consolidation.status == Consolidation.OPEN,
        },
    )


@require_POST
@login_required
def consolidation_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    consolidation = get_object_or_404(Consolidation, pk=pk)
    try:
        edition = adopt(
            request.user,
            consolidation,
            leave_open_as_base=request.POST.get("leave_open") == "1",
            expected_version=int(request.POST.get("version", "0") or 0) or None,
        )
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect("consolidation_draft", consolidation.pk)
    messages.success(request, f"Adopted: {edition.resolution} ({edition.name}) is the new edition.")
    return redirect(edition)
