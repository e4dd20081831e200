"""The JSON API for reading the library, with its OpenAPI schema at /api/openapi.json."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from drafting.engine.export import resolution_data
from drafting.models import Body, Edition, Resolution
from drafting.reading import edition_tree


def _said(value):
    """The schema with its lazy words said in the active language: plain JSON for every reader of it."""
    if isinstance(value, dict):
        return {key: _said(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_said(item) for item in value]
    return str(value) if isinstance(value, Promise) else value


class DraftingAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs) -> dict:
        return _said(super().get_openapi_schema(*args, **kwargs))


# The schema's words (the title, each operation's summary and description) are lazy: /api/openapi.json
# is made at each request, in the reader's language (Accept-Language, the language cookie).
api = DraftingAPI(
    title=gettext_lazy("Drafting tool API"),
    version="1",
    description=gettext_lazy(
        "Read ITU resolutions, their editions and clause trees; draft proposals clause by clause; consolidate and adopt."
    ),
    urls_namespace="api",
)


def _add_problems() -> None:
    from django.http import Http404
    from ninja.errors import HttpError as NinjaHttpError
    from ninja.errors import ValidationError

    from drafting.api.problems import http_error, not_found, validation_error

    api.add_exception_handler(ValidationError, lambda request, exc: validation_error(request, exc, api))
    api.add_exception_handler(NinjaHttpError, lambda request, exc: http_error(request, exc, api))
    api.add_exception_handler(Http404, lambda request, exc: not_found(request, exc, api))


def _add_routers() -> None:
    from drafting.api.citations import router as citations_router
    from drafting.api.consolidation import router as consolidation_router
    from drafting.api.drafting import router as drafting_router
    from drafting.api.editions import router as editions_router
    from drafting.api.tokens import router as tokens_router
    from drafting.api.word import router as word_router

    api.add_router("/", drafting_router)
    api.add_router("/", consolidation_router)
    api.add_router("/", citations_router)
    api.add_router("/", editions_router)
    api.add_router("/", word_router)
    api.add_router("/", tokens_router)


class BodyOut(Schema):
    code: str
    name: str


class EditionSummary(Schema):
    id: int
    slug: str
    revision: str
    place: str
    year: int | None
    title: str
    clause_count: int
    url: str


class ResolutionOut(Schema):
    body: str
    number: str
    slug: str
    title: str
    url: str


class ResolutionDetail(ResolutionOut):
    editions: list[EditionSummary]


class FootnoteOut(Schema):
    number: int
    text: str


class ClauseOut(Schema):
    kind: str
    key: str | None = None
    role: str | None = None
    heading: str | None = None
    title: str | None = None
    label: str | None = None
    text: str | None = None
    footnotes: list[FootnoteOut]
    children: list[ClauseOut]


ClauseOut.model_rebuild()


class EditionOut(Schema):
    id: int
    body: str
    number: str
    slug: str
    revision: str
    title: str
    history: str
    enacting_formula: str
    clauses: list[ClauseOut]


def _resolution_out(r: Resolution) -> dict:
    return {
        "body": r.body.code,
        "number": r.number,
        "slug": r.slug,
        "title": r.title,
        "url": r.get_absolute_url(),
    }


def _edition_summary(e: Edition) -> dict:
    return {
        "id": e.pk,
        "slug": e.slug,
        "revision": e.revision,
        "place": e.place,
        "year": e.year,
        "title": e.title,
        "clause_count": e.clause_count,
        "url": e.get_absolute_url(),
    }


@api.get("/bodies", response=list[BodyOut], tags=["library"], summary=gettext_lazy("List bodies"))
def list_bodies(request):
    return list(Body.objects.all())


@api.get(
    "/resolutions",
    response=list[ResolutionOut],
    tags=["library"],
    summary=gettext_lazy("List resolutions"),
    description=gettext_lazy("Resolutions, optionally of one body, whose number or title matches ``q``."),
)
def list_resolutions(request, q: str = "", body: str = ""):
    resolutions = Resolution.objects.select_related("body")
    if body:
        resolutions = resolutions.filter(body__code__iexact=body)
    if q:
        resolutions = resolutions.filter(Q(number__iexact=q) | Q(title__icontains=q))
    return [_resolution_out(r) for r in resolutions]


def _get_resolution(body: str, slug: str) -> Resolution:
    return get_object_or_404(Resolution.objects.select_related("body"), body__code__iexact=body, slug=slug)


@api.get(
    "/resolutions/{body}/{slug}",
    response=ResolutionDetail,
    tags=["library"],
    summary=gettext_lazy("Get resolution"),
)
def get_resolution(request, body: str, slug: str):
    resolution = _get_resolution(body, slug)
    data = _resolution_out(resolution)
    data["editions"] = [_edition_summary(e) for e in resolution.editions.order_by("year", "created_at")]
    return data


@api.get(
    "/resolutions/{body}/{slug}/editions/{edition}",
    response=EditionOut,
    tags=["library"],
    summary=gettext_lazy("Get edition"),
    description=gettext_lazy("One edition with its whole clause tree; ``latest`` names the newest edition."),
)
def get_edition(request, body: str, slug: str, edition: str):
    resolution = _get_resolution(body, slug)
    editions = resolution.editions.select_related("resolution__body")
    if edition == "latest":
        found = editions.order_by("-year", "-created_at").first()
        if found is None:
            raise HttpError(404, gettext("This resolution has no edition yet."))
    else:
        found = get_object_or_404(editions, slug=edition)
    data = resolution_data(edition_tree(found))
    data.update(id=found.pk, body=resolution.body.code, number=resolution.number, slug=found.slug)
    return data


_add_routers()
_add_problems()
