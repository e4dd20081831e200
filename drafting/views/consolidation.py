"""The secretariat's consolidation pages: the synoptic view, settling clauses, the draft, adoption."""

from __future__ import annotations

from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from drafting import live
from drafting.engine.anchors import find_labels
from drafting.engine.consolidate import counts
from drafting.engine.diff import diff_words
from drafting.engine.docx_write import revised_front
from drafting.engine.rebase import ALREADY, CLEAN, CONFLICT, REBASED
from drafting.models import Conference, Consolidation, Edition, Proposal, Resolution
from drafting.permissions import can_settle, is_secretariat
from drafting.services import DomainError, naming
from drafting.services.consolidation import (
    BULK_ONE_GROUP,
    adopt,
    adoption_preview,
    bulk_preview,
    changers,
    compile_consolidation,
    consolidated_draft,
    fates,
    move_consolidation,
    open_consolidation,
    outcome_of,
    outcomes,
    resolved_text,
    settle_clause,
    settle_many,
    withdrawn_groups,
)
from drafting.services.contributions import revisions_closed_message
from drafting.services.exports import revision_change
from drafting.services.outcomes import withdrawn
from drafting.translation import say
from drafting.validation import whole_number
from drafting.views import page_state
from drafting.views.undo import undo_tag

FILTERS = {
    "all": gettext_lazy("All clauses"),
    "changed": gettext_lazy("Changed only"),
    "conflicts": gettext_lazy("Conflicts only"),
    "open": gettext_lazy("Not yet settled"),
    "combinable": gettext_lazy("Combinable only"),
    "agreement": gettext_lazy("Agreements only"),
    "one-group": gettext_lazy("Changed by one group only"),
    "unchanged": gettext_lazy("Unchanged only"),
}
# The filters that show the clauses of one status: each count badge links to its own.
STATUS_FILTERS = {
    "combinable": "combinable",
    "agreement": "agreement",
    "one-group": "one group",
    "unchanged": "unchanged",
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
    existing = {
        (c.conference_id, c.resolution_id): c for c in Consolidation.objects.select_related("base_edition")
    }
    editions: dict[int, list[Edition]] = {}
    for e in Edition.objects.filter(resolution_id__in={r for _, r in pairs}).order_by("-year", "-created_at"):
        editions.setdefault(e.resolution_id, []).append(e)
    items = [
        {
            "conference": conferences[c],
            "resolution": resolutions[r],
            "consolidation": existing.get((c, r)),
            "editions": editions.get(r, []),
        }
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
    edition = None
    if request.POST.get("edition"):
        edition = Edition.objects.filter(pk=_int(request.POST["edition"]), resolution_id=resolution).first()
        if edition is None:
            messages.error(request, gettext("Choose one of the resolution's editions."))
            return redirect("consolidation_list")
    try:
        consolidation = open_consolidation(
            request.user,
            get_object_or_404(Conference, pk=conference),
            get_object_or_404(Resolution, pk=resolution),
            edition,
        )
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect("consolidation_list")
    return redirect(consolidation)


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


REBASE_STATES = {
    CLEAN: gettext_lazy("applied as written"),
    REBASED: gettext_lazy("applied over the newer text"),
    ALREADY: gettext_lazy("already in the newer edition"),
    CONFLICT: gettext_lazy("to settle: the newer edition changed the same thing"),
}


def _wording_marks(base: str, other: str) -> list:
    """A wording marked against another: the whole of it inserted when the other is empty.

    A non-breaking hyphen and a hyphen look the same on the page ("ITU‑T", "ITU-T"): not marked.
    """
    if not base:
        return [("insert", other)] if other else []
    if not other:
        return [("delete", base)]
    return diff_words(base.replace("\u2011", "-"), other.replace("\u2011", "-"))


def rebase_changes(preview) -> dict:
    """What a rebase would do, for the pages: the conflicts with their three wordings marked against
    the older edition's, and the other changes that moved or were already made, with their notes."""
    conflicts, notes = [], []
    for change in preview.changes:
        original = change.original
        entry = {
            "state": change.state,
            "label": REBASE_STATES[change.state],
            "note": say(change.note),
            "anchor": original.key if original.action == "add" else original.target,
            "base": change.base,
            "edition": _wording_marks(change.base, change.edition),
            "edition_text": change.edition,
            # Where both sides added it, the two wordings are compared with each other.
            "proposal": _wording_marks(change.base or change.edition, change.proposal),
            "against_edition": not change.base and bool(change.edition and change.proposal),
            "proposal_text": change.proposal,
            "suppresses": original.action == "suppress",
        }
        if change.state == CONFLICT:
            conflicts.append(entry)
        elif change.note:
            notes.append(entry)
    return {"conflicts": conflicts, "notes": notes}


def carried_summary(carried) -> list[dict]:
    """Per carried proposal, how its changes came across, for the pages."""
    return [
        {
            "group": group,
            "proposal": c.proposal,
            "edition": c.edition,
            "counts": [(REBASE_STATES[s], c.count(s)) for s in REBASE_STATES if c.count(s)],
            "conflicts": c.conflicts,
        }
        for group, c in sorted(carried.items())
    ]


def _newer_editions(consolidation: Consolidation) -> list[Edition]:
    base = consolidation.base_edition
    return [
        e
        for e in consolidation.resolution.editions.order_by("-year", "-created_at")
        if (e.year or 0, e.created_at) > (base.year or 0, base.created_at)
    ]


def synoptic_context(request: HttpRequest, consolidation: Consolidation) -> dict:
    """The synoptic view's context, built once per state of the consolidation (see drafting.views.page_state)."""
    can_settle = is_secretariat(request.user) and consolidation.status == Consolidation.OPEN
    variant = (request.GET.get("filter", "all"), request.GET.get("layout") == "stacked", can_settle)
    context = page_state.consolidation_context(
        request, consolidation, variant, lambda: _build_context(request, consolidation)
    )
    context["query"] = _query(request)
    return context


def _query(request: HttpRequest) -> str:
    """The page's query (filter, layout) for the settle forms to come back to, without the clause."""
    query = request.GET.copy()
    query.pop("key", None)
    return query.urlencode()


def _build_context(request: HttpRequest, consolidation: Consolidation) -> dict:
    compilation = compile_consolidation(consolidation)
    view = request.GET.get("filter", "all")
    layout = "stacked" if request.GET.get("layout") == "stacked" else "columns"
    rows = [
        _row_item(row, compilation.decisions.get(row.key), compilation)
        for row in compilation.rows
        if _shown(row, compilation.decisions.get(row.key), view)
    ]
    group_fates = fates(compilation)
    can_settle = is_secretariat(request.user) and consolidation.status == Consolidation.OPEN
    return {
        "consolidation": consolidation,
        "compilation": compilation,
        "rows": rows,
        **_bar(compilation),
        "filter": view,
        "filters": FILTERS,
        "layout": layout,
        "outcomes": outcomes(compilation),
        "fates": group_fates,
        "withdrawn": withdrawn_groups(consolidation),
        "carried": carried_summary(compilation.carried),
        "newer_editions": _newer_editions(consolidation) if can_settle else [],
        "can_settle": can_settle,
        "bulk_options": _bulk_options(compilation) if can_settle else [],
    }


def _bulk_options(compilation) -> list[tuple[str, str, int]]:
    """The bulk settlements the page offers, with how many rows each would settle now:
    (value of the form's ``rule``, what it says, rows)."""
    agreement = combinable = 0
    one: dict[str, int] = dict.fromkeys(compilation.groups, 0)
    for row in compilation.rows:
        decision = compilation.decisions.get(row.key)
        if decision is not None and decision.choice != "open":
            continue
        if row.status == "agreement" and row.merge.text is not None:
            agreement += 1
        elif row.status == "combinable" and row.merge.text is not None:
            combinable += 1
        elif row.status == "one group":
            group = changers(row)
            if len(group) == 1 and group[0] in one:
                one[group[0]] += 1
    options = [
        ("agreement", gettext("every agreement row: the agreed text"), agreement),
        ("combinable", gettext("every combinable row: the merged text"), combinable),
    ]
    options += [
        (f"{BULK_ONE_GROUP}:{g}", gettext("every one-group row of %(group)s: its text") % {"group": g}, n)
        for g, n in one.items()
    ]
    return options


def _shown(row, decision, view: str) -> bool:
    """Whether the page's filter shows this row."""
    settled = decision is not None and decision.choice != "open"
    if view == "changed":
        return row.status != "unchanged"
    if view == "conflicts":
        return row.status == "conflict"
    if view in STATUS_FILTERS:
        return row.status == STATUS_FILTERS[view]
    if view == "open":
        return row.status != "unchanged" and not settled
    return True


def _row_find_labels(compilation) -> dict[str, tuple[str, str]]:
    """Per row key, how a reader names the row when finding it by label ("resolves 3"), worked out
    once per compilation."""
    kept = compilation.__dict__.get("_find_labels")
    if kept is not None:
        return kept
    rows = compilation.rows
    names = []
    for row in rows:
        if row.kind in ("part", "annex"):
            clause = row.base or next((v.clause for v in row.versions.values() if v.clause is not None), None)
            names.append((row.depth, row.kind, clause.heading if clause is not None else ""))
        else:
            names.append((row.depth, row.kind, row.label))
    kept = {row.key: found for row, found in zip(rows, find_labels(names), strict=True)}
    compilation.__dict__["_find_labels"] = kept
    return kept


def _row_parts(compilation) -> dict[str, str]:
    """Per row key, the heading of the part the row is in (a part's own heading for a part row),
    worked out once per compilation: what names a clause whole ("recognizing e)")."""
    kept = compilation.__dict__.get("_row_parts")
    if kept is not None:
        return kept
    kept, part = {}, ""
    for row in compilation.rows:
        if row.depth == 0:
            clauses = (row.base, *(v.clause for v in row.versions.values()))
            part = next((c.heading for c in clauses if c is not None and c.heading), "")
        kept[row.key] = part
    compilation.__dict__["_row_parts"] = kept
    return kept


def _result_name(row, decision, part: str) -> str:
    """The clause as the decision leaves it, named whole: a group's text taken carries its label."""
    label = row.label
    if decision is not None and decision.choice == "group" and decision.group in row.versions:
        chosen = row.versions[decision.group].clause
        if chosen is not None:
            label = chosen.label
    return naming.clause_name(part, row.kind, part if row.kind in ("part", "annex") else "", label)


def _row_item(row, decision, compilation=None) -> dict:
    """What the synoptic view shows of one row: the decision, and its text marked against the base."""
    text, is_open = resolved_text(row, decision)
    found = _row_find_labels(compilation).get(row.key) if compilation is not None else None
    part = _row_parts(compilation).get(row.key, "") if compilation is not None else ""
    return {
        "name": _result_name(row, decision, part),
        "find": found,
        "row": row,
        "decision": decision,
        "settled": decision is not None and decision.choice != "open",
        "result": text,
        "is_open": is_open,
        "result_marks": _against_base(row, text),
    }


def _against_base(row, text: str | None) -> list:
    """The decision's text marked against the base text, as the draft will show it."""
    if text is None:
        return []
    if row.base is None:
        return [("insert", text)] if text else []
    return list(_marked(row.base.heading if row.kind == "part" else row.base.text, text))


@lru_cache(maxsize=8192)
def _marked(base: str, text: str) -> tuple:
    # The same pair is marked again on every state of the consolidation: diff it once per process.
    return tuple(diff_words(base, text))


@login_required
def consolidation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The synoptic view: per clause the base, each group's text with marks, the merge, and the decision."""
    consolidation = get_object_or_404(
        Consolidation.objects.select_related(
            "conference", "resolution__body", "base_edition", "adopted_edition"
        ),
        pk=pk,
    )
    context = synoptic_context(request, consolidation)
    channel = live.consolidation_channel(consolidation.pk)
    context.update(
        live.page_context(
            channel,
            can_edit=context["can_settle"],
            holder=request.user.pk,
            session=request.session.session_key,
        )
    )
    context["reading"] = f"consolidation:{consolidation.pk}"  # the bell records the visit
    return render(request, "drafting/consolidation_detail.html", context)


def _settled_row(
    request: HttpRequest,
    consolidation: Consolidation,
    key: str,
    done: str = "",
    since: int | None = None,
    undo=None,
) -> HttpResponse:
    """The row just settled and the progress bar (out of band), for the settle form sent by htmx.

    Only this row is built: the merge is shared (``compile_consolidation``), the decisions are read
    anew. ``since`` is the consolidation's version this settle moved on from, when nobody else's
    change came between: the page then knows it is current and skips the live refresh of its own
    settle (``consolidation.js``)."""
    consolidation.refresh_from_db()
    compilation = compile_consolidation(consolidation)
    row = compilation.row(key)
    decision = compilation.decisions.get(row.key) if row is not None else None
    view = request.GET.get("filter", "all")
    # A row the page's filter no longer shows ("not yet settled") leaves the page.
    item = _row_item(row, decision, compilation) if row is not None and _shown(row, decision, view) else None
    return render(
        request,
        "drafting/_settled_row.html",
        {
            **_bar(compilation),
            "consolidation": consolidation,
            "compilation": compilation,
            "layout": "stacked" if request.GET.get("layout") == "stacked" else "columns",
            "can_settle": is_secretariat(request.user) and consolidation.status == Consolidation.OPEN,
            "item": item,
            "key": row.key if row is not None else key,
            "oob": True,
            "query": _query(request),
            "done": done,
            "undo": undo,
            "since": since if since is not None and since + 1 == consolidation.version else None,
        },
    )


def _bar(compilation) -> dict:
    """The progress bar's figures."""
    return {
        "counts": counts(compilation.rows),
        "settled": compilation.settled(),
        "total": compilation.to_settle(),
        "open": len(compilation.open_rows()),
    }


@login_required
def consolidation_settle(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: settle a clause. GET: the settle form of one clause (``?key=``), which the synoptic view
    loads when the officer opens it (htmx), or a page of its own (without JavaScript)."""
    if request.method == "GET":
        return _settle_form(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    consolidation = get_object_or_404(Consolidation, pk=pk)
    since = consolidation.version
    key = request.POST.get("key", "")
    choice, _, group = request.POST.get("choice", "").partition(":")
    try:
        decision = settle_clause(
            request.user,
            consolidation,
            key,
            choice,
            group=group or request.POST.get("group", ""),
            text=request.POST.get("text", ""),
            note=request.POST.get("note", ""),
            internal_note=request.POST.get("internal_note", ""),
            expected_version=whole_number(
                request.POST.get("version"), gettext("decision's version"), default=0
            ),
            expected_base=whole_number(request.POST.get("base"), gettext("base edition"), default=0) or None,
        )
    except DomainError as problem:
        if request.htmx:
            # The row stays as the officer sees it; the reason goes where messages go.
            response = HttpResponse(
                format_html('<p class="message error" role="alert">{}</p>', problem.message),
                status=problem.status,
            )
            return reswap(retarget(response, "#messages"), "innerHTML")
        messages.error(request, problem.message)
        return redirect(f"{consolidation.get_absolute_url()}#k-{key}")
    # "Leave open" is no settlement: say what it did.
    done = (
        gettext("Left open: the text stays in [square brackets] in the draft until it is settled.")
        if choice == "open"
        else gettext("Settled.")
    )
    if request.htmx:
        return _settled_row(request, consolidation, key, done, since, undo=decision.undo)
    messages.success(request, done, extra_tags=undo_tag(decision.undo))
    query = _query(request)
    return redirect(f"{consolidation.get_absolute_url()}{'?' + query if query else ''}#k-{key}")


def _settle_form(request: HttpRequest, pk: int) -> HttpResponse:
    consolidation = get_object_or_404(
        Consolidation.objects.select_related("conference", "resolution__body", "base_edition"), pk=pk
    )
    if not is_secretariat(request.user):
        raise PermissionDenied(gettext("Only the secretariat settles clauses."))
    if consolidation.status != Consolidation.OPEN:
        messages.error(request, gettext("This consolidation has been adopted: it can no longer be settled."))
        return redirect(consolidation.get_absolute_url())
    compilation = compile_consolidation(consolidation)
    row = compilation.row(request.GET.get("key", ""))
    if row is None:
        raise Http404(gettext("This clause is not in the consolidation any more."))
    context = {
        "consolidation": consolidation,
        "compilation": compilation,
        "row": row,
        "item": _row_item(row, compilation.decisions.get(row.key), compilation),
        "query": _query(request),
        "layout": "stacked",
        "can_settle": True,
    }
    if request.htmx:
        return render(request, "drafting/consolidation_detail.html#settle_form", context)
    return render(request, "drafting/consolidation_settle.html", context)


@login_required
def consolidation_fates(request: HttpRequest, pk: int) -> HttpResponse:
    """Each group's changes and what became of them: loaded when the synoptic view's list is opened,
    or a page of its own."""
    consolidation = get_object_or_404(
        Consolidation.objects.select_related("conference", "resolution__body", "base_edition"), pk=pk
    )
    compilation = compile_consolidation(consolidation)
    context = {"consolidation": consolidation, "fates": fates(compilation), "outcomes": outcomes(compilation)}
    if request.htmx:
        return render(request, "drafting/consolidation_detail.html#fates_list", context)
    return render(request, "drafting/consolidation_fates.html", context)


def consolidated_draft_context(consolidation: Consolidation) -> dict:
    """The consolidated draft's rows and front matter, as the draft page and the projector show them."""
    compilation = compile_consolidation(consolidation)
    draft = consolidated_draft(compilation)  # once adopted: what was adopted
    # The heading line and the history line as the .docx has them: the new revision marked against the base.
    front = revised_front(
        draft.base,
        revision_change(consolidation.base_edition, consolidation.conference),
        title=draft.front_text("title"),
    )
    walked = [(c, d) for c, d in draft.walk() if not (c.added and c.suppressed)]
    labels = find_labels(
        [(d, c.kind, c.heading if c.kind in ("part", "annex") else c.label) for c, d in walked]
    )
    return {
        "consolidation": consolidation,
        "rows": [{"clause": c, "depth": d, "find": f} for (c, d), f in zip(walked, labels, strict=True)],
        "open": len(compilation.open_rows()),
        "front": {name: diff_words(old, new) for name, (old, new) in front.items()},
        "adopted": compilation.adopted,
    }


@login_required
def consolidation_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The consolidated draft: the base with the decisions, marks against the base, open text in brackets."""
    consolidation = get_object_or_404(
        Consolidation.objects.select_related("conference", "resolution__body", "base_edition"), pk=pk
    )
    context = consolidated_draft_context(consolidation)
    context.update(
        reading=f"consolidation:{consolidation.pk}",
        can_settle=is_secretariat(request.user) and consolidation.status == Consolidation.OPEN,
    )
    return render(request, "drafting/consolidation_draft.html", context)


@login_required
def consolidation_adopt_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation step before adoption: the text that would be adopted, what is still open, the outcomes."""
    consolidation = get_object_or_404(
        Consolidation.objects.select_related(
            "conference", "resolution__body", "base_edition", "adopted_edition"
        ),
        pk=pk,
    )
    if consolidation.status != Consolidation.OPEN:
        messages.info(
            request, gettext("Already adopted as %(name)s.") % {"name": consolidation.adopted_edition.name}
        )
        return redirect(consolidation)
    if not is_secretariat(request.user):
        raise PermissionDenied(gettext("Only the secretariat adopts consolidated texts."))
    preview = adoption_preview(consolidation)
    return render(
        request,
        "drafting/consolidation_adopt.html",
        {
            "consolidation": consolidation,
            "preview": preview,
            "rows": [
                {"clause": c, "depth": d} for c, d in preview.draft.walk() if not (c.added and c.suppressed)
            ],
        },
    )


@require_POST
@login_required
def consolidation_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Consolidate against a newer edition; decisions are kept where their clause still is."""
    consolidation = get_object_or_404(Consolidation, pk=pk)
    edition = Edition.objects.filter(
        pk=_int(request.POST.get("edition", "")), resolution_id=consolidation.resolution_id
    ).first()
    if edition is None:
        messages.error(request, gettext("Choose one of the resolution's editions."))
        return redirect(consolidation)
    try:
        moved = move_consolidation(
            request.user,
            consolidation,
            edition,
            expected_version=_int(request.POST.get("version", "")) or None,
        )
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect(consolidation)
    messages.success(
        request,
        ngettext(
            "Now against %(edition)s: %(kept)s decision kept.",
            "Now against %(edition)s: %(kept)s decisions kept.",
            moved.kept,
        )
        % {"edition": edition.name, "kept": moved.kept}
        + (
            " "
            + ngettext(
                "%(dropped)s no longer applies (its clause is not in it).",
                "%(dropped)s no longer apply (their clause is not in it).",
                moved.dropped,
            )
            % {"dropped": moved.dropped}
            if moved.dropped
            else ""
        ),
    )
    return redirect(consolidation)


@require_POST
@login_required
def consolidation_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    consolidation = get_object_or_404(Consolidation, pk=pk)
    try:
        edition = adopt(
            request.user,
            consolidation,
            leave_open_as_base=request.POST.get("leave_open") == "1",
            expected_version=whole_number(
                request.POST.get("version"), gettext("consolidation's version"), default=0
            )
            or None,
        )
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect("consolidation_draft", consolidation.pk)
    messages.success(
        request,
        gettext("Adopted: %(resolution)s (%(name)s) is the new edition.")
        % {"resolution": edition.resolution, "name": edition.name},
    )
    return redirect(edition)


def proposal_consolidation_context(request: HttpRequest, proposal: Proposal, can_edit: bool) -> dict:
    """For the proposal page: what became of its changes, and whether a newer edition calls for a rebase."""
    from drafting.services.rebase import open_rebase_conflicts, rebase_preview, rebase_state

    context: dict = {"outcome": None, "rebase": None}
    contribution = proposal.contribution
    consolidation = (
        Consolidation.objects.filter(
            conference_id=contribution.conference_id, resolution_id=proposal.resolution_id
        )
        .select_related("conference", "resolution__body", "base_edition", "adopted_edition")
        .first()
        if proposal.resolution_id
        else None
    )
    if consolidation is not None and contribution.status != "draft":
        compilation = compile_consolidation(consolidation)
        group = contribution.group.code
        current = compilation.proposals.get(group)
        if current is not None and current.pk == proposal.pk:
            group_fates = fates(compilation).get(group, [])
            context["outcome"] = {
                "consolidation": consolidation,
                "outcome": outcome_of(group_fates),
                "fates": group_fates,
                "carried": carried_summary({group: compilation.carried[group]})
                if group in compilation.carried
                else [],
            }
        elif contribution.status == "withdrawn":
            context["outcome"] = {
                "consolidation": consolidation,
                "outcome": withdrawn(),
                "fates": [],
                "carried": [],
            }
    context["revisions_closed"] = (
        revisions_closed_message(contribution) if contribution.status != "draft" else ""
    )
    # Once the resolution is adopted the proposal is history: no newer edition to carry it onto.
    newest, unsettled = rebase_state(proposal)
    context["to_settle"] = [
        {
            "conflict": c,
            "anchor": c.provision.key,
            "base": c.base_text,
            "edition": _wording_marks(c.base_text, c.edition_text),
            "edition_text": c.edition_text,
            "proposal": _wording_marks(c.base_text or c.edition_text, c.proposal_text),
            "against_edition": not c.base_text and bool(c.edition_text and c.proposal_text),
            "suppresses": c.action == "suppress",
        }
        for c in (open_rebase_conflicts(proposal) if unsettled else [])
    ]
    context["can_settle"] = can_edit
    newer = None if context["revisions_closed"] else newest
    if newer is not None:
        preview = rebase_preview(proposal, newer)
        context["rebase"] = {
            "edition": newer,
            "counts": [(REBASE_STATES[s], preview.count(s)) for s in REBASE_STATES if preview.count(s)],
            "total": len(preview.changes),
            **rebase_changes(preview),
            "can_rebase": can_edit,
        }
    return context


@require_POST
@login_required
def proposal_rebase(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry the group's draft proposal onto the newest edition of its resolution."""
    from drafting.services.rebase import newest_edition, rebase_proposal
    from drafting.views.contributions import _get_proposal_for_user

    proposal, _ = _get_proposal_for_user(request, pk)
    edition = Edition.objects.filter(
        pk=_int(request.POST.get("edition", "")), resolution_id=proposal.resolution_id
    ).first() or newest_edition(proposal)
    if edition is None:
        messages.info(request, gettext("This proposal already amends the newest edition."))
        return redirect(proposal)
    try:
        result = rebase_proposal(
            request.user, proposal, edition, expected_version=_int(request.POST.get("version", "")) or None
        )
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect(proposal)
    applied = result.count(CLEAN) + result.count(REBASED)
    message = ngettext(
        "Now against %(edition)s: %(applied)d change applied, %(already)d already in it",
        "Now against %(edition)s: %(applied)d changes applied, %(already)d already in it",
        applied,
    ) % {"edition": edition.name, "applied": applied, "already": result.count(ALREADY)}
    conflicts = len(result.conflicts)
    if conflicts:
        message += ngettext(
            "; %(n)d to settle, listed below with its three wordings (your group's wording is kept until then).",
            "; %(n)d to settle, listed below with their three wordings (your group's wording is kept until then).",
            conflicts,
        ) % {"n": conflicts}
    else:
        message += "."
    messages.success(request, message)
    return redirect(proposal)


@require_POST
@login_required
def proposal_rebase_settle(request: HttpRequest, pk: int, conflict: int) -> HttpResponse:
    """Mark a change the rebase left to settle as settled (the draft keeps what the group made of it)."""
    from drafting.services.rebase import settle_rebase_conflict
    from drafting.views.contributions import _get_proposal_for_user

    proposal, _ = _get_proposal_for_user(request, pk)
    try:
        settle_rebase_conflict(request.user, proposal, conflict)
    except DomainError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, gettext("Settled: that change is no longer listed."))
    return redirect(f"{proposal.get_absolute_url()}#to-settle")


def _bulk_rule(value: str) -> tuple[str, str]:
    """The form's ``rule`` ("agreement", "combinable", "one-group:ATU") as (rule, group)."""
    rule, _, group = (value or "").partition(":")
    return rule[:20], group[:16]


@login_required
def consolidation_settle_many(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what a bulk settlement would do, row by row, each row to untick. POST: do it (one
    transaction, from the version the preview showed), with one undo in the message that confirms it."""
    consolidation = get_object_or_404(
        Consolidation.objects.select_related("conference", "resolution__body", "base_edition"), pk=pk
    )
    if not is_secretariat(request.user):
        raise PermissionDenied(gettext("Only the secretariat settles clauses."))
    if request.method == "GET" and not can_settle(request.user, consolidation):
        messages.error(request, gettext("This consolidation has been adopted: it can no longer be settled."))
        return redirect(consolidation)
    source = request.POST if request.method == "POST" else request.GET
    rule, group = _bulk_rule(source.get("rule", ""))
    if request.method == "POST":
        try:
            count, action = settle_many(
                request.user,
                consolidation,
                rule,
                group,
                keys=request.POST.getlist("key") if request.POST.get("previewed") else None,
                note=request.POST.get("note", ""),
                expected_version=whole_number(
                    request.POST.get("version"), gettext("consolidation's version"), default=0
                ),
            )
        except DomainError as problem:
            messages.error(request, problem.message)
            if problem.status == 409 and consolidation.status == Consolidation.OPEN:
                return redirect(f"{request.path}?rule={source.get('rule', '')}")
            return redirect(consolidation)
        messages.success(request, action.summary, extra_tags=undo_tag(action))
        return redirect(consolidation)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        preview = bulk_preview(consolidation, rule, group)
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect(consolidation)
    rows = [
        {
            "row": b.row,
            "decision": b.decision,
            "result": b.result,
            "result_marks": _against_base(b.row, b.result),
        }
        for b in preview.rows
    ]
    return render(
        request,
        "drafting/consolidation_settle_many.html",
        {
            "consolidation": consolidation,
            "preview": preview,
            "rows": rows,
            "rule_value": source.get("rule", ""),
            "summary": ngettext(
                "%(count)d row would be settled", "%(count)d rows would be settled", len(rows)
            )
            % {"count": len(rows)},
        },
    )
