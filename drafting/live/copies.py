"""The copies a change sends to the pages following it: a draft's changed clauses, a synoptic view's rows.

Rendered for everyone holding the same pass, not for a person: the HTTP views (``drafting.views.live``)
serve them to pages that fetch them, and the stream server (``drafting.live.stream``) pushes them with
the event itself. Both render them here, from the same contexts as the pages (the editor's and the
synoptic view's), so a copy is always what the page would show.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string

from drafting.live import draft_delta
from drafting.models import Consolidation, Proposal


def synthetic_request(query: dict[str, str] | None = None) -> HttpRequest:
    """The request a page's fetch of a live copy would be, less the person: the copies are the
    same for everyone with the same pass (they are cached and shared the same way)."""
    from django.contrib.auth.models import AnonymousUser
    from django_htmx.middleware import HtmxDetails

    request = HttpRequest()
    request.method = "GET"
    request.META = {"HTTP_HX_REQUEST": "true", "SERVER_NAME": "live", "SERVER_PORT": "80"}
    request.GET = QueryDict(mutable=True)
    request.GET.update(query or {})
    request.user = AnonymousUser()
    request.htmx = HtmxDetails(request)
    return request


def consolidations():
    """What the synoptic view's copies read of a consolidation, in the one query."""
    return Consolidation.objects.select_related(
        "conference", "resolution__body", "base_edition", "adopted_edition"
    )


def pushed_consolidation(
    pk: int, view: str, layout: str, since: dict[str, str] | None
) -> tuple[dict[str, str], str | None]:
    """For the stream server (drafting.live.stream): what a change did to the synoptic view as its
    readers see it in this filter and layout. Returns the view's state (each row's content stamp,
    the head and the version) and, given the state the readers' pages have (``since``), the bar,
    the rows whose stamp changed and the order of all rows: a settlement is one row and the bar,
    not the 190 KB of the whole view for every reader. None when nothing can be sent that way
    (a new column of a group, or no state to compare with): the pages fetch their copy."""
    from drafting.views.consolidation import FILTERS, synoptic_context

    if view not in FILTERS or layout not in ("columns", "stacked"):
        return {}, None
    consolidation = consolidations().filter(pk=pk).first()
    if consolidation is None:
        return {}, None
    request = synthetic_request({"filter": view, "layout": layout})
    context = synoptic_context(request, consolidation)
    state = {f"k-{item['row'].key}": item["stamp"] for item in context["rows"]}
    state[":head"] = " ".join(context["compilation"].groups)
    state[":version"] = str(consolidation.version)
    if not since or since.get(":head") != state[":head"]:
        return state, None
    changed = [item for item in context["rows"] if since.get(f"k-{item['row'].key}") != item["stamp"]]
    html = render_to_string(
        "drafting/_consolidation_delta.html",
        {**context, "changed": changed, "delta_since": since[":version"]},
        request,
    )
    return state, html


def draft_proposal(pk: int) -> Proposal | None:
    """The proposal whose draft the live copies show, or None when it has no clause-by-clause draft."""
    proposal = (
        Proposal.objects.select_related(
            "contribution__group", "contribution__conference", "base_edition__resolution__body"
        )
        .filter(pk=pk)
        .first()
    )
    if proposal is None or proposal.action != Proposal.MOD or proposal.base_edition_id is None:
        return None
    return proposal


def draft_copy(
    request: HttpRequest, proposal: Proposal, may_edit: bool, since: int | None
) -> tuple[HttpResponse, bool]:
    """The live copy of the draft at its current version, and whether it is only what changed since
    ``since`` (when that version's stamps are known here) rather than the whole draft."""
    from drafting.views.amendments import proposal_editor_context

    can_edit = may_edit and proposal.contribution.editable
    context = proposal_editor_context(proposal, can_edit)
    # An editor that says which version it has gets only the clauses changed since, when they are known.
    changed = (
        None
        if since is None
        else draft_delta.delta(
            proposal.pk, since, proposal.version, can_edit, context["rows"], context["clause_stamps"]
        )
    )
    if changed is not None:
        return render(request, "drafting/_draft_delta.html", {**context, "delta": changed}), True
    return render(request, "drafting/proposal_editor.html#draft", context), False


def pushed_delta(pk: int, may_edit: bool, since: int | None) -> tuple[int, str | None]:
    """For the stream server (drafting.live.stream), which sends a new version's changed clauses in the
    event itself: the draft's current version, and the clauses changed since ``since`` as the live
    copy renders them (None when they are not known here: the editors fetch their copy). Without
    ``since`` it only builds the version, which leaves its stamps for the next delta."""
    from drafting.views.amendments import proposal_editor_context

    proposal = draft_proposal(pk)
    if proposal is None:
        return 0, None
    if since is None:
        proposal_editor_context(proposal, may_edit and proposal.contribution.editable)
        return proposal.version, None
    response, is_delta = draft_copy(synthetic_request(), proposal, may_edit, since)
    return proposal.version, response.content.decode() if is_delta else None
