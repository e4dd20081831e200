"""The JSON API for citations: what an edition cites and is cited by, stale and wrong citations, and updates."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from drafting.api.drafting import AUTH
from drafting.engine.citations import un_document
from drafting.models import Contribution, Edition, Resolution, UnSupersession
from drafting.permissions import can_view_contribution
from drafting.services import DomainError
from drafting.services.citations.graph import citation_url, edition_citations, is_outdated
from drafting.services.citations.stale import dangling_references, stale_citations, wrong_citations
from drafting.services.citations.un_successors import superseded_citations
from drafting.services.citations.updates import draft_update, plan_update

router = Router(tags=["citations"])


class CitationOut(Schema):
    text: str
    kind: str
    body: str
    number: str
    edition: str
    problem: str
    message: str
    outdated: bool
    clause: str  # the citing clause's anchor
    clause_url: str
    cited_url: str
    pinpoint: str = ""  # the paragraph or part cited: "§§ 69-71", "resolves 2"
    source: str = ""  # where in the clause or edition, when not its text: "footnote 1", "title"
    target: str = ""  # a reference inside the text: the anchor of the clause it names


class EditionCitationsOut(Schema):
    cites: list[CitationOut]
    cited_by: list[CitationOut]


class CitingResolutionOut(Schema):
    resolution: str
    resolution_id: int
    edition: str
    url: str
    citations: list[CitationOut]


class StaleGroupOut(Schema):
    cited: str
    cited_id: int
    current_edition: str
    current_url: str
    citing: list[CitingResolutionOut]


class UpdateIn(Schema):
    contribution: int
    cited: int | None = None  # the resolution whose current edition to cite; none: correct wrong venues
    citing: list[int] = []  # only these citing resolutions; all when empty
    un: str | None = None  # or a UN document recorded as replaced: cite its successor instead


class SupersededOut(Schema):
    document: str
    successor: str
    note: str
    citing: list[CitingResolutionOut]


class ChangeOut(Schema):
    clause: str
    before: str
    after: str
    also: list[str] = []  # other resolutions of a shared list brought to their current editions with it


class PlanOut(Schema):
    resolution: str
    proposal: str | None  # the existing proposal it goes into, if any
    changes: list[ChangeOut]
    skipped: list[str]


class DraftedOut(Schema):
    proposals: list[str]
    contribution_url: str


def get_object_or_404(queryset, **lookup):
    """The object, or a JSON 404 that says what was not found (not Django's HTML page)."""
    model = getattr(queryset, "model", queryset)
    found = (queryset if hasattr(queryset, "filter") else model.objects).filter(**lookup).first()
    if found is None:
        raise HttpError(
            404, gettext("No such %(verbose_name)s.") % {"verbose_name": model._meta.verbose_name}
        )
    return found


def _out(c, edition=None) -> CitationOut:
    edition = edition or c.edition
    return CitationOut(
        text=c.text,
        kind=c.kind,
        body=c.body,
        number=c.number,
        edition=c.edition_name,
        problem=c.problem,
        message=c.said_message,
        outdated=is_outdated(c),
        clause=c.clause.anchor if c.clause_id else "",
        clause_url=f"{edition.get_absolute_url()}#{c.clause.anchor}" if c.clause_id else "",
        cited_url=citation_url(c),
        pinpoint=c.pinpoint,
        source=c.source,
        target=c.cited_clause.anchor if c.cited_clause_id else "",
    )


def _citing(groups) -> list[CitingResolutionOut]:
    return [
        CitingResolutionOut(
            resolution=str(r.resolution),
            resolution_id=r.resolution.pk,
            edition=r.edition.name,
            url=r.edition.get_absolute_url(),
            citations=[_out(c, r.edition) for cc in r.clauses for c in cc.citations],
        )
        for r in groups
    ]


@router.get(
    "/resolutions/{body}/{slug}/editions/{edition}/citations",
    response=EditionCitationsOut,
    summary=gettext_lazy("Citations of an edition"),
    description=gettext_lazy(
        "What an edition cites, and which current texts of the library cite its resolution, clause by clause."
    ),
)
def edition_graph(request, body: str, slug: str, edition: str):
    current = get_object_or_404(
        Edition.objects.select_related("resolution__body"),
        resolution__body__code__iexact=body,
        resolution__slug=slug,
        slug=edition,
    )
    graph = edition_citations(current)
    return EditionCitationsOut(
        cites=[_out(c, current) for c in graph.cites], cited_by=[_out(c) for c in graph.cited_by]
    )


@router.get(
    "/citations/stale",
    response=list[StaleGroupOut],
    summary=gettext_lazy("Citations of older editions"),
    description=gettext_lazy(
        "Clauses of current texts citing an older edition than the library's newest, by cited and citing resolution."
    ),
)
def stale(request, resolution: int | None = None):
    cited = get_object_or_404(Resolution, pk=resolution) if resolution is not None else None
    return [
        StaleGroupOut(
            cited=str(g.cited),
            cited_id=g.cited.pk,
            current_edition=g.current.name,
            current_url=g.current.get_absolute_url(),
            citing=_citing(g.citing),
        )
        for g in stale_citations(cited)
    ]


@router.get(
    "/citations/wrong",
    response=list[CitingResolutionOut],
    summary=gettext_lazy("Wrong citations"),
    description=gettext_lazy("Clauses of current texts citing a misspelt venue or a meeting that never was."),
)
def wrong(request):
    return _citing(wrong_citations())


@router.get(
    "/citations/dangling",
    response=list[CitingResolutionOut],
    summary=gettext_lazy("Dangling references"),
    description=gettext_lazy(
        'References inside current texts naming an item the text does not have ("resolves 5 above").'
    ),
)
def dangling(request):
    return _citing(dangling_references())


@router.get(
    "/citations/superseded",
    response=list[SupersededOut],
    summary=gettext_lazy("Citations of superseded UN documents"),
    description=gettext_lazy(
        "Clauses of current texts citing a UN General Assembly document recorded as replaced by a later one."
    ),
)
def superseded(request):
    return [
        SupersededOut(document=g.document, successor=g.successor, note=g.note, citing=_citing(g.citing))
        for g in superseded_citations()
    ]


def _target(request, payload: UpdateIn) -> tuple[Contribution, dict]:
    """The contribution to draft into, and what to update in it (the keywords of the services)."""
    contribution = get_object_or_404(
        Contribution.objects.select_related("conference", "group"), pk=payload.contribution
    )
    if not can_view_contribution(request.user, contribution):
        raise HttpError(404, gettext("No such contribution."))
    cited = get_object_or_404(Resolution, pk=payload.cited) if payload.cited is not None else None
    un = None
    if payload.un is not None:
        un = un_document(payload.un)
        if un is None or not UnSupersession.objects.filter(document=un).exists():
            raise HttpError(404, gettext("No such replaced UN document."))
        if cited is not None:
            raise HttpError(400, gettext("Give the cited resolution or the replaced UN document, not both."))
    return contribution, {"cited": cited, "citing_ids": payload.citing, "un_document": un}


@router.post(
    "/citations/update/preview",
    response=list[PlanOut],
    auth=AUTH,
    summary=gettext_lazy("Preview the citation update"),
    description=gettext_lazy("What drafting the update would add to the contribution; nothing is saved."),
)
def update_preview(request, payload: UpdateIn):
    contribution, options = _target(request, payload)
    plans = plan_update(contribution, **options)
    return [
        PlanOut(
            resolution=str(p.resolution),
            proposal=p.existing.label if p.existing else None,
            changes=[
                ChangeOut(clause=ch.clause.anchor, before=ch.before, after=ch.after, also=ch.also)
                for ch in p.changes
            ],
            skipped=[
                f"{clause.anchor if clause else c.source}: {c.text}: {why}" for clause, c, why in p.skipped
            ],
        )
        for p in plans
    ]


@router.post(
    "/citations/update",
    response={201: DraftedOut},
    auth=AUTH,
    summary=gettext_lazy("Draft the citation update"),
    description=gettext_lazy(
        "Draft the update: a MOD proposal per affected resolution, an amendment per clause, in one transaction."
    ),
)
def update(request, payload: UpdateIn):
    contribution, options = _target(request, payload)
    try:
        proposals = draft_update(request.user, contribution, **options)
    except DomainError as problem:
        raise HttpError(problem.status, problem.message) from None
    return Status(
        201,
        DraftedOut(proposals=[p.label for p in proposals], contribution_url=contribution.get_absolute_url()),
    )
