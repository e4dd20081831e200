"""The proposal editor: a resolution with the group's changes, edited clause by clause (htmx)."""

from __future__ import annotations

import dataclasses
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from drafting import live
from drafting.engine import amend as engine
from drafting.engine.anchors import find_labels
from drafting.engine.changes import change_entries
from drafting.engine.diff import diff_words
from drafting.engine.rebase import merge3
from drafting.engine.tree import FRONT
from drafting.live import presence
from drafting.models import ClauseComment, Proposal
from drafting.permissions import can_comment, is_group_member
from drafting.services import DomainError, naming
from drafting.services.amendments import (
    add_clause,
    add_comment,
    apply_replace,
    citation_warnings,
    clause_history,
    clause_version,
    clause_versions,
    comment_threads,
    draft_of,
    modify_clause,
    preview_matches,
    proposal_amendments,
    resolve_comment,
    restore_clause,
    restore_version,
    suppress_clause,
)
from drafting.services.contributions import (
    StaleEdit,
)
from drafting.services.projector import proposal_room
from drafting.translation import say
from drafting.validation import InvalidInput, whole_number
from drafting.views import page_state
from drafting.views.contributions import _get_proposal_for_user
from drafting.views.undo import undo_tag


def proposal_editor_context(proposal: Proposal, can_edit: bool) -> dict:
    """The editor's context, built once per version of the proposal (see drafting.views.page_state)."""
    return page_state.editor_context(proposal, can_edit, lambda: _build_editor_context(proposal, can_edit))


def _build_editor_context(proposal: Proposal, can_edit: bool) -> dict:
    amendments = proposal_amendments(proposal)
    draft = draft_of(proposal, amendments)
    last_change = {}
    for a in amendments:
        key = str(a.added.key) if a.added_id else str(a.target.key)
        last_change[key] = a

    comment_counts = dict(
        ClauseComment.objects.filter(proposal=proposal)
        .values_list("provision__key")
        .annotate(n=Count("id"))
        .values_list("provision__key", "n")
    )
    versions = clause_versions(proposal)
    rows = []
    part = ""
    # The title first, a clause of the draft like any other (FRONT), then the body.
    for clause, depth in draft.walk_all():
        if depth == 0:
            part = (
                clause.heading
                if clause.kind == "part"
                else ""
                if clause.kind == FRONT
                else clause.heading or "annex"
            )
        rows.append(
            {
                "clause": clause,
                "depth": depth,
                "change": last_change.get(clause.key),
                "part": part,
                "name": clause_name(part, clause),
                "comments": comment_counts.get(uuid.UUID(clause.key), 0) if clause.key else 0,
                # What a save of the clause must carry: it moves with every change to the clause.
                "version": versions.get(clause.key, 0),
            }
        )
    flagged = {
        id(b.clause): {
            "reference": f"{b.reference.describe()} {b.reference.pinpoint}".strip(),
            "reason": b.reason,
        }
        for b in draft.broken_references
    }
    labels = find_labels([(r["depth"], r["clause"].kind, _find_name(r["clause"])) for r in rows])
    for row, found in zip(rows, labels, strict=True):
        row["flag"] = flagged.get(id(row["clause"]))
        row["find"] = found
    changes = change_entries(
        [
            (
                row["clause"],
                row["part"],
                row["clause"].base.text if row["clause"].base else "",
                row["clause"].base.heading if row["clause"].base else "",
            )
            for row in rows
            if row["clause"].changed
        ]
    )
    labels = {row["clause"].key: row["clause"] for row in rows}
    # What the engine said of each, in the reader's language.
    warnings = [
        (dataclasses.replace(w, suggestion=say(w.suggestion)), labels.get(w.key))
        for w in citation_warnings(draft, proposal)
    ]
    return {
        "warnings": warnings,
        "proposal": proposal,
        "contribution": proposal.contribution,
        "rows": rows,
        "changes": changes,
        "problems": [say(p) for p in draft.problems],
        # The text's own language (it is never translated): lang on it, for screen readers and spelling.
        "text_language": proposal.base_edition.language if proposal.base_edition_id else "en",
        "can_edit": can_edit,
        "version": proposal.version,
    }


def clause_name(part: str, clause) -> str:
    """What the page calls a clause, whole (never cut short): "recognizing e)"."""
    heading = clause.heading or (clause.base.heading if clause.base else "")
    return naming.clause_name(part, clause.kind, heading, clause.label or clause.base_label)


def _find_name(clause) -> str:
    """What a reader calls a clause when finding it by label: a part's heading, an item's label."""
    return clause.heading if clause.kind in ("part", "annex") else clause.label


@login_required
def proposal_editor(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole resolution with the group's changes as revision marks; click a clause to edit it."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    if proposal.action == Proposal.ADD:
        return redirect("proposal_new_text", proposal.pk)
    if proposal.action != Proposal.MOD or proposal.base_edition_id is None:
        return render(request, "drafting/proposal_simple.html", {"proposal": proposal, "can_edit": can_edit})
    context = proposal_editor_context(proposal, can_edit)
    context.update(
        live.page_context(
            live.proposal_channel(proposal.pk),
            can_edit=can_edit,
            holder=request.user.pk,
            session=request.session.session_key,
        )
    )
    # The group's members read every clause's history and comments, also once the proposal is frozen.
    context["group_member"] = is_group_member(request.user, proposal.contribution.group_id)
    if can_edit:
        # Who else has which clause open, and this delegate's pass to say it (drafting.live.presence).
        context.update(
            presence_pass=presence.pass_for(proposal.pk, request.user, request.session.session_key),
            presence_now=presence.current(proposal.pk),
        )
    # What the consolidation made of the proposal, and a newer edition to rebase onto.
    from drafting.views.consolidation import proposal_consolidation_context

    context.update(proposal_consolidation_context(request, proposal, can_edit))
    # The bell, loaded after the page, records that the delegate opened the group's draft.
    context["seen_draft"] = proposal.contribution_id if can_edit else None
    if context["group_member"]:
        # The draft's open threads, for its group only (the shared context above holds no comment).
        has_comments = any(row["comments"] for row in context["rows"])
        context["open_threads"] = (
            [t for t in comment_threads(proposal, mentions=False) if t.resolved_at is None]
            if has_comments
            else []
        )
    context["reading"] = f"proposal:{proposal.pk}"  # the bell records the visit (since.note_visit)
    context["can_drive_projector"] = proposal_room(request.user, proposal).can_drive
    return render(request, "drafting/proposal_editor.html", context)


@login_required
def proposal_comments(request: HttpRequest, pk: int) -> HttpResponse:
    """Every comment thread of a draft, the open ones first, each under its clause: for the group."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    if not is_group_member(request.user, proposal.contribution.group_id):
        raise PermissionDenied(gettext("The comments of a draft are for the group's delegates."))
    threads = comment_threads(proposal)
    names = {}
    if proposal.action == Proposal.MOD and proposal.base_edition_id is not None:
        for row in proposal_editor_context(proposal, can_edit)["rows"]:
            c = row["clause"]
            names[c.key] = c.heading if c.kind == "part" else f"{row['part']} {c.label or '¶'}"
    for t in threads:
        t.clause_name = names.get(str(t.provision.key), "")
    return render(
        request,
        "drafting/proposal_comments.html",
        {
            "proposal": proposal,
            "open": [t for t in threads if t.resolved_at is None],
            "resolved": [t for t in threads if t.resolved_at is not None],
        },
    )


@require_GET
@login_required
def proposal_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """What the editor polls: 204 when nothing changed since the version it shows, else the fresh draft."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    try:
        since = int(request.GET.get("since", "0"))
    except ValueError:
        since = 0
    if since == proposal.version:
        return HttpResponse(status=204)
    return render(request, "drafting/proposal_editor.html#draft", proposal_editor_context(proposal, can_edit))


class ClauseForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), strip=True, required=False)
    version = forms.IntegerField(min_value=0)
    # An item's label as the form showed it and as the delegate left it; the service checks the label.
    label = forms.CharField(strip=True, required=False)
    label_was = forms.CharField(strip=True, required=False)


def _clause_response(
    request: HttpRequest, proposal: Proposal, can_edit: bool, key: str, status: int = 200, **extra
):
    context = proposal_editor_context(proposal, can_edit)
    row = next((r for r in context["rows"] if r["clause"].key == key), None)
    if row is None:
        # The clause is gone (a removed addition): the whole draft instead, in place of the draft (in
        # place of the clause, a draft would have gone inside the draft).
        response = render(request, "drafting/proposal_editor.html#draft", context, status=status)
        return reswap(retarget(response, "#draft"), "outerHTML")
    context.update(row=row, oob_changes=True, **extra)
    response = render(request, "drafting/proposal_editor.html#clause", context, status=status)
    return trigger_client_event(response, "draft-saved", {"version": context["version"]})


def _edit_gate(request: HttpRequest, proposal: Proposal) -> HttpResponse | None:
    """None if the user may edit the proposal now; else 403 (no right) or 409 (no longer a draft)."""
    from drafting.services.contributions import require_edit

    try:
        require_edit(request.user, proposal.contribution)
    except DomainError as problem:
        if problem.status == 403:
            raise PermissionDenied(problem.message) from None
        return render(request, "403.html", {"exception": problem.message}, status=problem.status)
    return None


def _open_clause(request: HttpRequest, pk: int, key: str):
    """(None, proposal, editor context, the clause's row) for someone who may edit it now, else (response, ...)."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    gate = _edit_gate(request, proposal)
    if gate is not None:
        return gate, None, None, None
    context = proposal_editor_context(proposal, can_edit)
    row = next((r for r in context["rows"] if r["clause"].key == key), None)
    if row is None:
        raise Http404(gettext("This clause is not in the text."))
    return None, proposal, context, row


def _require_htmx_or_redirect(request: HttpRequest, proposal: Proposal, key: str):
    if not request.htmx:
        return redirect(f"{proposal.get_absolute_url()}#c-{key}")
    return None


def _typed_label(form: ClauseForm, request: HttpRequest) -> str | None:
    """The label change the delegate asked for: None (none), "" (the tool numbers it), "¶" or a label."""
    if "label" not in request.POST:
        return None
    typed, shown = form.cleaned_data["label"], form.cleaned_data["label_was"]
    if typed == shown:
        return None
    if typed.lower() == "auto":
        return ""
    return typed or engine.UNLABELLED


@login_required
def clause_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """GET: the clause's edit form in place. POST: save it with the version it was opened at."""
    key = str(key)
    if request.method == "GET":
        gate, proposal, context, row = _open_clause(request, pk, key)
        if gate is not None:
            return gate
        clause = row["clause"]
        value = clause.heading if clause.kind == "part" else clause.text
        context.update(row=row, editing=True, value=value, edit_version=row["version"], opened=value)
        return render(request, "drafting/proposal_editor.html#clause", context)

    # A save builds the editor's state once, after saving (the answer is the new version); the
    # state before the save is built only to answer a save that failed.
    proposal, can_edit = _get_proposal_for_user(request, pk)
    gate = _edit_gate(request, proposal)
    if gate is not None:
        return gate

    def edit_box(status: int, **extra) -> HttpResponse:
        context = proposal_editor_context(proposal, can_edit)
        row = next((r for r in context["rows"] if r["clause"].key == key), None)
        if row is None:
            # The clause is gone (another delegate removed it): the delegate's words stay in a box of
            # their own, to copy where they belong; nothing else is lost.
            context.update(key=key, **extra)
            return render(request, "drafting/proposal_editor.html#gone", context, status=status)
        context.update(row=row, editing=True, label_value=request.POST.get("label"), **extra)
        return render(request, "drafting/proposal_editor.html#clause", context, status=status)

    form = ClauseForm(request.POST)
    if not form.is_valid():
        return edit_box(
            400,
            value=request.POST.get("text", ""),
            edit_version=0,
            error=gettext("The form was incomplete: reload the page and try again."),
        )
    text, version = form.cleaned_data["text"], form.cleaned_data["version"]
    try:
        modify_clause(
            request.user, proposal, key, text, expected_version=version, label=_typed_label(form, request)
        )
    except StaleEdit as stale:
        proposal.refresh_from_db(fields=["version"])
        return edit_box(
            409,
            value=text,
            edit_version=stale.current_version,
            error=stale.message,
            theirs=stale.current_text,
            # Saving from here saves over their version: it is the one the form now starts from.
            opened=stale.current_text,
            **_stale_choices(request.POST.get("opened"), text, stale.current_text),
        )
    except DomainError as problem:
        proposal.refresh_from_db(fields=["version"])
        return edit_box(problem.status, value=text, edit_version=version, error=problem.message)
    proposal.refresh_from_db(fields=["version"])
    return _require_htmx_or_redirect(request, proposal, key) or _clause_response(
        request, proposal, can_edit, key
    )


def _stale_choices(opened: str | None, mine: str, theirs: str) -> dict:
    """After a stale save: their text with what yours changes in it marked, and, when your changes and
    theirs touch different words, the two combined (their text with your changes), so nothing is retyped."""
    choices = {"theirs_vs_mine": diff_words(theirs, mine), "combined": None}
    if opened is not None:
        merged = merge3(opened, mine, theirs)
        if merged.clean and merged.text not in (mine, theirs):
            choices["combined"] = merged.text
    return choices


@login_required
def clause_add(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """GET: a form for a new item after (or before, or inside) the clause. POST: add it."""
    key = str(key)
    gate, proposal, context, row = _open_clause(request, pk, key)
    if gate is not None:
        return gate
    can_edit = context["can_edit"]
    if request.method == "GET":
        context.update(row=row, adding=True, position=request.GET.get("position", engine.AFTER))
        return render(request, "drafting/proposal_editor.html#clause", context)
    position = request.POST.get("position", engine.AFTER)
    kind = "part" if request.POST.get("kind") == "part" else "item"
    text = request.POST.get("text", "")
    numbering = request.POST.get("numbering", "renumber")
    numbering = {"renumber": engine.RENUMBER, "bis": engine.BIS}.get(numbering, numbering)
    context.update(numbering=numbering, label_value=request.POST.get("label", ""))
    try:
        add_clause(
            request.user,
            proposal,
            key,
            position,
            text=text if kind == "item" else "",
            heading=text if kind == "part" else "",
            kind=kind,
            label=request.POST.get("label", ""),
            numbering=numbering,
        )
    except DomainError as problem:
        context.update(row=row, adding=True, position=position, value=text, error=problem.message)
        return render(request, "drafting/proposal_editor.html#clause", context, status=problem.status)
    if not request.htmx:
        return redirect(f"{proposal.get_absolute_url()}#c-{key}")
    proposal.refresh_from_db(fields=["version"])
    response = render(
        request, "drafting/proposal_editor.html#draft", proposal_editor_context(proposal, can_edit)
    )
    return trigger_client_event(response, "draft-saved", {"version": proposal.version})


@require_POST
@login_required
def clause_suppress(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    key = str(key)
    return _structure_change(request, pk, key, suppress_clause)


@require_POST
@login_required
def clause_restore(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    key = str(key)
    return _structure_change(request, pk, key, restore_clause)


def _structure_change(request: HttpRequest, pk: int, key: str, service) -> HttpResponse:
    """Suppressing and restoring relabel the clauses around: the whole draft is re-rendered."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    try:
        service(request.user, proposal, key)
    except DomainError as problem:
        if not request.htmx:
            messages.error(request, problem.message)
            return redirect(proposal)
        # Nothing is swapped (the draft stays as it is, not replaced by the message): the message is
        # said in the page's live region (draft-error, editor.js).
        response = reswap(
            HttpResponse(problem.message, status=problem.status, content_type="text/plain"), "none"
        )
        return trigger_client_event(response, "draft-error", {"message": problem.message})
    if not request.htmx:
        undo = getattr(proposal, "undo", None)
        if undo is not None:
            messages.success(request, undo.summary, extra_tags=undo_tag(undo))
        return redirect(f"{proposal.get_absolute_url()}#c-{key}")
    return _draft_response(request, proposal, "", undo=getattr(proposal, "undo", None), can_edit=can_edit)


def _draft_response(
    request: HttpRequest, proposal: Proposal, done: str, undo=None, can_edit: bool | None = None
) -> HttpResponse:
    """The whole draft re-rendered after a change to its structure, with the message that says what
    was done (and its Undo) swapped into the page's messages."""
    proposal.refresh_from_db(fields=["version"])
    if can_edit is None:
        can_edit = _get_proposal_for_user(request, proposal.pk)[1]
    draft = render_to_string(
        "drafting/proposal_editor.html#draft", proposal_editor_context(proposal, can_edit), request
    )
    message = render_to_string(
        "drafting/_undo_message.html",
        {"text": undo.summary if undo else done, "undo": undo, "oob": True},
        request,
    )
    response = HttpResponse(draft + message)
    return trigger_client_event(response, "draft-saved", {"version": proposal.version})


@login_required
def clause_cancel(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    key = str(key)
    proposal, can_edit = _get_proposal_for_user(request, pk)
    return _require_htmx_or_redirect(request, proposal, key) or _clause_response(
        request, proposal, can_edit, key
    )


@require_POST
@login_required
def proposal_replace(request: HttpRequest, pk: int) -> HttpResponse:
    """Find and replace across the resolution: a preview first, then one amendment per clause touched."""
    proposal, can_edit = _get_proposal_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied(gettext("Only delegates of the group can edit its draft contribution."))
    find, replace = request.POST.get("find", ""), request.POST.get("replace", "")
    context = {"proposal": proposal, "find": find, "replace": replace}
    try:
        if request.POST.get("apply"):
            # From the preview, only the matches left ticked; from elsewhere, every one.
            chosen = set(request.POST.getlist("match")) if request.POST.get("previewed") else None
            count = apply_replace(request.user, proposal, find, replace, chosen, seen=_seen_versions(request))
            done = f"Replaced “{find}” in {count} clause{'s' if count != 1 else ''}."
            undo = getattr(proposal, "undo", None)
            if request.htmx:
                return _replaced_in_place(
                    request, proposal, can_edit, {**context, "done": done, "undo": undo}
                )
            messages.success(request, done, extra_tags=undo_tag(undo))
            return redirect(proposal)
        context["matches"] = preview_matches(proposal, find, replace)
        context["clause_count"] = len({m.key for m in context["matches"]})
        # The versions of the clauses shown: replacing after one of them changed is refused.
        versions = clause_versions(proposal)
        context["seen"] = {m.key: versions.get(m.key, 0) for m in context["matches"]}
    except DomainError as problem:
        context["error"] = problem.message
        return render(request, "drafting/_replace.html", context, status=problem.status)
    return render(request, "drafting/_replace.html", context)


def _seen_versions(request: HttpRequest) -> dict[str, int] | None:
    """The clause versions a find-and-replace preview showed ("key:version" each), if it sent them."""
    seen = {}
    for pair in request.POST.getlist("seen")[:2000]:
        key, _sep, version = pair.partition(":")
        try:
            seen[str(uuid.UUID(key))] = whole_number(version, gettext("version"))
        except (ValueError, InvalidInput):
            continue
    return seen or None


def _replaced_in_place(
    request: HttpRequest, proposal: Proposal, can_edit: bool, context: dict
) -> HttpResponse:
    """The draft with the replacements swapped in, and the find-and-replace box saying what was done."""
    proposal.refresh_from_db(fields=["version"])
    draft = render_to_string(
        "drafting/proposal_editor.html#draft", proposal_editor_context(proposal, can_edit), request
    )
    result = render_to_string("drafting/_replace.html", {**context, "oob": True}, request)
    response = reswap(retarget(HttpResponse(draft + result), "#draft"), "outerHTML")
    return trigger_client_event(response, "draft-saved", {"version": proposal.version})


def _panel(
    request: HttpRequest, proposal: Proposal, can_edit: bool, key: str, status: int = 200, **extra
) -> HttpResponse:

    context = {
        "proposal": proposal,
        "key": key,
        "can_edit": can_edit,
        "history": clause_history(proposal, key),
        "threads": comment_threads(proposal, key),
        "members": _mentionable(proposal),
        "clause_version": clause_version(proposal, key),
        "can_comment": can_comment(request.user, proposal.contribution),
        **extra,
    }
    return render(request, "drafting/_clause_panel.html", context, status=status)


def _mentionable(proposal: Proposal) -> list[str]:
    """The usernames a comment can name (the group's members), for the hint under the box."""
    return list(
        proposal.contribution.group.members.filter(is_active=True)
        .order_by("username")
        .values_list("username", flat=True)[:30]
    )


@login_required
def clause_panel(request: HttpRequest, pk: int, key) -> HttpResponse:
    """A clause's history (each version restorable) and its comment thread, for the group."""
    key = str(key)
    proposal, can_edit = _get_proposal_for_user(request, pk)
    if not is_group_member(request.user, proposal.contribution.group_id):
        raise PermissionDenied(gettext("History and comments of a draft are for the group's delegates."))
    try:
        done = ""
        if request.method == "POST":
            action = request.POST.get("action", "comment")
            if action in ("resolve", "reopen"):
                resolve_comment(
                    request.user,
                    proposal,
                    whole_number(request.POST.get("comment"), gettext("comment")),
                    resolved=action == "resolve",
                )
                done = (
                    gettext("The thread is resolved.")
                    if action == "resolve"
                    else gettext("The thread is open again.")
                )
            else:
                reply_to = request.POST.get("reply_to")
                add_comment(
                    request.user,
                    proposal,
                    key,
                    request.POST.get("text", ""),
                    reply_to=whole_number(reply_to, gettext("comment")) if reply_to else None,
                )
                done = gettext("Your reply is posted.") if reply_to else gettext("Your comment is posted.")
        response = _panel(request, proposal, can_edit, key)
        # Said in the page's live region (editor.js), where screen readers hear it.
        return trigger_client_event(response, "draft-message", {"message": done}) if done else response
    except DomainError as problem:
        return _panel(request, proposal, can_edit, key, status=problem.status, error=problem.message)


@require_POST
@login_required
def clause_restore_version(request: HttpRequest, pk: int, key) -> HttpResponse:
    """Bring back an earlier version of a clause's text: saved as a new version, nothing is erased."""
    key = str(key)
    proposal, can_edit = _get_proposal_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied(gettext("Only delegates of the group can edit its draft contribution."))
    try:
        index = whole_number(request.POST.get("index"), gettext("version"), maximum=10_000)
        # The clause as the panel showed it: restoring over a change made since is a conflict.
        seen = request.POST.get("version")
        expected = clause_version(proposal, key) if seen is None else whole_number(seen, gettext("version"))
    except InvalidInput:
        return _panel(
            request,
            proposal,
            can_edit,
            key,
            status=400,
            error=gettext("That version does not exist any more."),
        )
    try:
        restore_version(request.user, proposal, key, index, expected)
    except DomainError as problem:
        return _panel(request, proposal, can_edit, key, status=problem.status, error=problem.message)
    restored = gettext("The earlier version is back; the one it replaced stays in the history.")
    if not request.htmx:
        messages.success(request, restored)
        return redirect(f"{proposal.get_absolute_url()}#c-{key}")
    # In place: the clause with its new text and its history panel still open, listing the restored version.
    proposal.refresh_from_db(fields=["version"])
    response = _clause_response(
        request,
        proposal,
        can_edit,
        key,
        panel_open=True,
        history=clause_history(proposal, key),
        clause_version=clause_version(proposal, key),
        can_comment=can_comment(request.user, proposal.contribution),
        threads=comment_threads(proposal, key),
        members=_mentionable(proposal),
    )
    response = reswap(retarget(response, f"#c-{key}"), "outerHTML")
    return trigger_client_event(response, "draft-message", {"message": restored})
