"""The JSON API for drafting: the same operations, permissions and version checks as the editor.

Authentication is the browser session (with its CSRF token), or for scripts a personal
API token (``Authorization: Bearer dft_…``, made on the API tokens page), or HTTP Basic
with a user's own login (the slow path: the password is hashed on every request).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import HttpBasicAuth, HttpBearer, django_auth
from pydantic import ConfigDict

from drafting.api.problems import described
from drafting.engine.amend import BIS, RENUMBER
from drafting.models import Contribution, Proposal
from drafting.permissions import can_view_contribution
from drafting.services import DomainError
from drafting.services.amendments import (
    add_clause,
    clause_versions,
    draft_of,
    modify_clause,
    proposal_amendments,
    restore_clause,
    suppress_clause,
)
from drafting.services.contributions import StaleEdit, submit_contribution
from drafting.translation import say
from drafting.validation import ApiText, ApiVersion


class TokenAuth(HttpBearer):
    """A personal API token: one indexed lookup of its SHA-256, no password hashing."""

    def authenticate(self, request, token):
        from drafting.services.tokens import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
            request.by_token = True
        return user


def request_by_token(request) -> bool:
    """Whether the request was authenticated with an API token (rather than a password or a session)."""
    return getattr(request, "by_token", False)


class BasicAuth(HttpBasicAuth):
    """A login and password on every request (slow by design: tokens are the fast path), throttled as the
    login page is (drafting.throttling); a username no one can have never reaches the database."""

    def authenticate(self, request, username, password):
        from drafting.throttling import acceptable_username, login_succeeded

        if not acceptable_username(username):
            return None
        user = authenticate(request, username=username, password=password)
        if user is not None:
            login_succeeded(request, username)
            request.user = user
        return user


# Token and Basic first: a script's request carries no CSRF token, and the session check
# refuses any POST without one before the next method is tried.
AUTH = [TokenAuth(), BasicAuth(), django_auth]
router = Router(auth=AUTH, tags=["drafting"])


class Problem(Schema):
    detail: str


class Conflict(Schema):
    detail: str
    current_text: str
    current_version: int
    updated_by: str


class ProposalSummary(Schema):
    id: int
    label: str
    action: str
    resolution: str | None
    base_edition: str | None
    reasons: str


class ContributionOut(Schema):
    id: int
    conference: str
    group: str
    document: str
    code: str
    title: str
    status: str
    version: int
    proposals: list[ProposalSummary]


class DraftClauseOut(Schema):
    key: str
    kind: str
    depth: int
    status: str
    base_label: str
    label: str
    label_set_by_hand: bool = False
    heading: str
    text: str
    version: int


class ProposalOut(Schema):
    id: int
    label: str
    version: int
    clauses: list[DraftClauseOut]
    problems: list[str]


class ClauseText(Schema):
    # Its description, in the reader's language when the schema is made.
    model_config = ConfigDict(
        json_schema_extra=described(
            gettext_lazy(
                'A clause\'s new text and/or label, saved from the version read.\n\n``label``: leave it out to keep the label; "" gives the item back to the tool\'s numbering; "¶" makes it an unlabelled paragraph; anything else ("c)", "3bis") is set by hand and shown with its mark. A label ITU does not write is refused (400) and nothing is saved.'
            )
        )
    )

    text: ApiText | None = None
    label: ApiText | None = None
    version: ApiVersion


class Addition(Schema):
    # Its description, in the reader's language when the schema is made.
    model_config = ConfigDict(
        json_schema_extra=described(
            gettext_lazy(
                'A new item or part. ``label`` "" lets the tool number it, "¶" is an unlabelled paragraph, anything else is kept as written (a label ITU does not write is refused with 400). ``numbering``: "renumber" (the items after it are renumbered) or "bis" (it is labelled after the item before it, 3bis, and nothing is renumbered).'
            )
        )
    )

    position: str = "after"
    text: ApiText = ""
    heading: ApiText = ""
    kind: str = "item"
    label: ApiText = ""
    numbering: str = "renumber"


def _conflict(stale: StaleEdit) -> dict:
    return {
        "detail": stale.message,
        "current_text": stale.current_text,
        "current_version": stale.current_version,
        "updated_by": stale.updated_by,
    }


def _fail(problem: DomainError):
    raise HttpError(problem.status, problem.message)


def _contribution(request, pk: int) -> Contribution:
    contribution = get_object_or_404(Contribution.objects.select_related("conference", "group"), pk=pk)
    if not can_view_contribution(request.user, contribution):
        raise HttpError(404, gettext("No such contribution."))
    return contribution


def _proposal(request, pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "contribution__group", "contribution__conference", "resolution__body", "base_edition"
        ),
        pk=pk,
    )
    if not can_view_contribution(request.user, proposal.contribution):
        raise HttpError(404, gettext("No such proposal."))
    return proposal


def _summary(p: Proposal) -> dict:
    return {
        "id": p.pk,
        "label": p.label,
        "action": p.action,
        "resolution": str(p.resolution) if p.resolution_id else None,
        "base_edition": p.base_edition.name if p.base_edition_id else None,
        "reasons": p.reasons,
    }


def _contribution_out(c: Contribution) -> dict:
    return {
        "id": c.pk,
        "conference": c.conference.code,
        "group": c.group.code,
        "document": c.document_label,
        "code": c.code,
        "title": c.title,
        "status": c.status,
        "version": c.version,
        "proposals": [
            _summary(p)
            for p in c.proposals.select_related("contribution__group", "resolution__body", "base_edition")
        ],
    }


def _proposal_out(proposal: Proposal) -> dict:
    amendments = proposal_amendments(proposal)
    versions = clause_versions(proposal)
    draft = draft_of(proposal, amendments)
    clauses = []
    for c, depth in draft.walk_all():  # the title (kind "front") first
        status = (
            "added" if c.added else "suppressed" if c.suppressed else "modified" if c.changed else "unchanged"
        )
        clauses.append(
            {
                "key": c.key,
                "kind": c.kind,
                "depth": depth,
                "status": status,
                "base_label": c.base_label,
                "label": c.label,
                "label_set_by_hand": c.label_fixed,
                "heading": c.heading,
                "text": c.text,
                "version": versions.get(c.key, 0),
            }
        )
    proposal.refresh_from_db(fields=["version"])
    return {
        "id": proposal.pk,
        "label": proposal.label,
        "version": proposal.version,
        "clauses": clauses,
        "problems": [say(p) for p in draft.problems],
    }


@router.get(
    "/contributions",
    response=list[ContributionOut],
    summary=gettext_lazy("List contributions"),
    description=gettext_lazy(
        "Contributions the caller can read: their group's drafts and everything submitted."
    ),
)
def list_contributions(request):
    visible = [
        c
        for c in Contribution.objects.select_related("conference", "group")
        if can_view_contribution(request.user, c)
    ]
    return [_contribution_out(c) for c in visible]


@router.get(
    "/contributions/{pk}",
    response={200: ContributionOut, 404: Problem},
    summary=gettext_lazy("Get contribution"),
)
def get_contribution(request, pk: int):
    return _contribution_out(_contribution(request, pk))


@router.post(
    "/contributions/{pk}/submit",
    response={200: ContributionOut, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Submit"),
    description=gettext_lazy("Submit a draft (the group's coordinator only)."),
)
def submit(request, pk: int):
    try:
        return _contribution_out(submit_contribution(request.user, _contribution(request, pk)))
    except DomainError as problem:
        _fail(problem)


@router.get(
    "/proposals/{pk}",
    response={200: ProposalOut, 404: Problem},
    summary=gettext_lazy("Get proposal"),
    description=gettext_lazy(
        "The proposal's text clause by clause: base and proposed labels, status, and the version to save against."
    ),
)
def get_proposal(request, pk: int):
    try:
        return _proposal_out(_proposal(request, pk))
    except DomainError as problem:  # an ADD, SUP or NOC proposal has no clauses to list
        _fail(problem)


@router.put(
    "/proposals/{pk}/clauses/{key}",
    response={200: ProposalOut, 400: Problem, 403: Problem, 404: Problem, 409: Conflict},
    summary=gettext_lazy("Save clause"),
    description=gettext_lazy(
        "Save a clause's text (a part's heading) and/or its label from the version you read; 409 with the current text if it moved."
    ),
)
def save_clause(request, pk: int, key: str, body: ClauseText):
    proposal = _proposal(request, pk)
    if body.text is None and body.label is None:
        raise HttpError(400, gettext("Give the clause's new text, its new label, or both."))
    try:
        modify_clause(request.user, proposal, key, body.text, expected_version=body.version, label=body.label)
    except StaleEdit as stale:
        return Status(409, _conflict(stale))
    except DomainError as problem:
        _fail(problem)
    return _proposal_out(proposal)


@router.post(
    "/proposals/{pk}/clauses/{key}/additions",
    response={201: ProposalOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Add"),
    description=gettext_lazy(
        "Add an item or part before or after the clause, or inside it (first_child), renumbering what follows or inserted as bis (3bis after 3)."
    ),
)
def add(request, pk: int, key: str, body: Addition):
    proposal = _proposal(request, pk)
    numbering = {"renumber": RENUMBER, "": RENUMBER, "bis": BIS}.get(body.numbering)
    if numbering is None:
        raise HttpError(
            400,
            gettext('Unknown numbering %(numbering)s: use "renumber" or "bis".')
            % {"numbering": repr(body.numbering)},
        )
    try:
        add_clause(
            request.user,
            proposal,
            key,
            body.position,
            text=body.text,
            heading=body.heading,
            kind=body.kind,
            label=body.label,
            numbering=numbering,
        )
    except DomainError as problem:
        _fail(problem)
    return Status(201, _proposal_out(proposal))


@router.post(
    "/proposals/{pk}/clauses/{key}/suppression",
    response={200: ProposalOut, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Suppress"),
)
def suppress(request, pk: int, key: str):
    proposal = _proposal(request, pk)
    try:
        suppress_clause(request.user, proposal, key)
    except DomainError as problem:
        _fail(problem)
    return _proposal_out(proposal)


@router.delete(
    "/proposals/{pk}/clauses/{key}/suppression",
    response={200: ProposalOut, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Restore"),
)
def restore(request, pk: int, key: str):
    proposal = _proposal(request, pk)
    try:
        restore_clause(request.user, proposal, key)
    except DomainError as problem:
        _fail(problem)
    return _proposal_out(proposal)


__all__ = ["router"]


class ContributionIn(Schema):
    conference: ApiText
    group: ApiText
    document_number: ApiText
    addendum: int | None = None
    title: ApiText
    abstract: ApiText = ""
    introduction: ApiText = ""


class ProposalIn(Schema):
    action: str
    body: ApiText = ""
    number: ApiText = ""
    edition: ApiText = ""
    reasons: ApiText = ""
    new_number: ApiText = ""
    new_title: ApiText = ""


class ReplaceIn(Schema):
    # Its description, in the reader's language when the schema is made.
    model_config = ConfigDict(
        json_schema_extra=described(
            gettext_lazy(
                "``versions``: the clause versions you read (key: version), e.g. with a preview; if any of those clauses changed since, nothing is replaced (409)."
            )
        )
    )

    find: ApiText
    replace: ApiText
    versions: dict[str, ApiVersion] | None = None


class ReplaceOut(Schema):
    clauses_changed: int
    proposal: ProposalOut


@router.post(
    "/contributions",
    response={201: ContributionOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Create a contribution"),
    description=gettext_lazy("Start a draft contribution of one of the caller's groups."),
)
def create(request, body: ContributionIn):
    from drafting.models import Conference, RegionalGroup
    from drafting.services.contributions import create_contribution

    conference = Conference.objects.filter(code__iexact=body.conference).first()
    group = RegionalGroup.objects.filter(code__iexact=body.group).first()
    if conference is None or group is None:
        raise HttpError(
            404, gettext("Unknown conference.") if conference is None else gettext("Unknown group.")
        )
    try:
        contribution = create_contribution(
            request.user,
            conference=conference,
            group=group,
            document_number=body.document_number,
            addendum=body.addendum,
            title=body.title,
            abstract=body.abstract,
            introduction=body.introduction,
        )
    except DomainError as problem:
        _fail(problem)
    return Status(201, _contribution_out(contribution))


@router.post(
    "/contributions/{pk}/proposals",
    response={201: ProposalSummary, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Create proposal"),
    description=gettext_lazy("Add a MOD (against ``edition``, or the latest), ADD, SUP or NOC proposal."),
)
def create_proposal(request, pk: int, body: ProposalIn):
    from drafting.models import Edition, Resolution
    from drafting.services.contributions import add_proposal

    contribution = _contribution(request, pk)
    resolution = edition = None
    if body.action != "ADD":
        resolution = Resolution.objects.filter(
            body__code__iexact=body.body, number__iexact=body.number
        ).first()
        if resolution is None:
            raise HttpError(
                404,
                gettext("There is no %(body)s Resolution %(number)s.")
                % {"body": body.body, "number": body.number},
            )
        if body.edition:
            edition = Edition.objects.filter(resolution=resolution, slug=body.edition).first()
            if edition is None:
                raise HttpError(
                    404,
                    gettext("%(resolution)s has no edition %(edition)s.")
                    % {"resolution": resolution, "edition": repr(body.edition)},
                )
    try:
        proposal = add_proposal(
            request.user,
            contribution,
            action=body.action,
            resolution=resolution,
            base_edition=edition,
            reasons=body.reasons,
            new_number=body.new_number,
            new_title=body.new_title,
        )
    except DomainError as problem:
        _fail(problem)
    return Status(201, _summary(proposal))


@router.post(
    "/proposals/{pk}/replace",
    response={200: ReplaceOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Replace"),
    description=gettext_lazy(
        "Find and replace across the resolution: one amendment per clause touched, all or nothing."
    ),
)
def replace(request, pk: int, body: ReplaceIn):
    from drafting.services.amendments import apply_replace

    proposal = _proposal(request, pk)
    try:
        if body.versions is not None and len(body.versions) > 5000:
            raise HttpError(400, gettext("At most 5,000 clause versions."))
        count = apply_replace(request.user, proposal, body.find, body.replace, seen=body.versions or None)
    except DomainError as problem:
        _fail(problem)
    return {"clauses_changed": count, "proposal": _proposal_out(proposal)}


# --- a clause's history and comments; withdrawing and revising a contribution ---------------------


class HistoryEntry(Schema):
    what: str  # base text, added, edited, suppressed, restored, back to the base text, removed, label ...
    text: str
    label: str
    who: str
    when: datetime | None
    version: int


class CommentOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime


class ClauseHistoryOut(Schema):
    key: str
    version: int  # the clause's version now: what a restore (or any save) must carry
    entries: list[HistoryEntry]  # oldest first; an entry's index is what POST …/history/{index}/restore takes
    comments: list[CommentOut]


class RestoreIn(Schema):
    version: ApiVersion  # the clause's version you read with the history


class CommentIn(Schema):
    text: ApiText


def _require_member(request, proposal: Proposal) -> None:
    from drafting.permissions import is_group_member

    if not is_group_member(request.user, proposal.contribution.group_id):
        raise HttpError(403, gettext("A clause's history and comments are for the group's members."))


def _history_out(proposal: Proposal, key: str) -> dict:
    from drafting.models import ClauseComment
    from drafting.services.amendments import clause_history, clause_version

    comments = ClauseComment.objects.filter(proposal=proposal, provision__key=key).select_related("author")
    return {
        "key": key,
        "version": clause_version(proposal, key),
        "entries": [
            {
                "what": v["what"],
                "text": v["text"],
                "label": v["label"],
                "who": v["who"],
                "when": v["when"],
                "version": v["version"],
            }
            for v in clause_history(proposal, key)
        ],
        "comments": [
            {
                "id": c.pk,
                "author": c.author.get_full_name() or c.author.username,
                "text": c.text,
                "created_at": c.created_at,
            }
            for c in comments
        ],
    }


@router.get(
    "/proposals/{pk}/clauses/{key}/history",
    response={200: ClauseHistoryOut, 400: Problem, 403: Problem, 404: Problem},
    summary=gettext_lazy("Clause history"),
    description=gettext_lazy(
        "A clause's versions in this proposal (its own only) and its comment thread; the group's members read them, also once the contribution is submitted, withdrawn or adopted."
    ),
)
def clause_history_read(request, pk: int, key: str):
    proposal = _proposal(request, pk)
    _require_member(request, proposal)
    try:
        return _history_out(proposal, key)
    except DomainError as problem:
        _fail(problem)


@router.post(
    "/proposals/{pk}/clauses/{key}/history/{index}/restore",
    response={200: ProposalOut, 400: Problem, 403: Problem, 404: Problem, 409: Conflict},
    summary=gettext_lazy("Restore a version of a clause"),
    description=gettext_lazy(
        "Bring back entry ``index`` of the clause's history as a new version, from the clause's version you read (409 with the text now if the clause changed since)."
    ),
)
def clause_history_restore(request, pk: int, key: str, index: int, body: RestoreIn):
    from drafting.services.amendments import restore_version

    proposal = _proposal(request, pk)
    if not 0 <= index <= 100_000:
        raise HttpError(400, gettext("That version does not exist."))
    try:
        restore_version(request.user, proposal, key, index, body.version)
    except StaleEdit as stale:
        return Status(409, _conflict(stale))
    except DomainError as problem:
        _fail(problem)
    return _proposal_out(proposal)


@router.post(
    "/proposals/{pk}/clauses/{key}/comments",
    response={201: ClauseHistoryOut, 400: Problem, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Comment on a clause"),
    description=gettext_lazy("A remark on a clause for the group (409 once the contribution is frozen)."),
)
def clause_comment(request, pk: int, key: str, body: CommentIn):
    from drafting.services.amendments import add_comment

    proposal = _proposal(request, pk)
    try:
        add_comment(request.user, proposal, key, body.text)
    except DomainError as problem:
        _fail(problem)
    return Status(201, _history_out(proposal, key))


@router.post(
    "/contributions/{pk}/withdraw",
    response={200: ContributionOut, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Withdraw"),
    description=gettext_lazy(
        "Withdraw a submitted contribution (the group's coordinator only); it stays readable."
    ),
)
def withdraw(request, pk: int):
    from drafting.services.contributions import withdraw_contribution

    try:
        return _contribution_out(withdraw_contribution(request.user, _contribution(request, pk)))
    except DomainError as problem:
        _fail(problem)


@router.post(
    "/contributions/{pk}/revisions",
    response={201: ContributionOut, 403: Problem, 404: Problem, 409: Problem},
    summary=gettext_lazy("Revise"),
    description=gettext_lazy(
        'A new draft revising a submitted contribution ("Revision 1 to …"), every proposal and change copied.'
    ),
)
def revise(request, pk: int):
    from drafting.services.contributions import revise_contribution

    try:
        return Status(201, _contribution_out(revise_contribution(request.user, _contribution(request, pk))))
    except DomainError as problem:
        _fail(problem)
