"""Finding editions with their ids: the exports and the proposal import name an edition by id.

A person may type a slug instead ("hammamet-2016"), or the resolution and the
slug ("WTSA/75/hammamet-2016"); ``edition_by_reference`` accepts all three.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy
from ninja import Router, Schema
from ninja.errors import HttpError

from drafting.api.drafting import AUTH, Problem
from drafting.models import Edition

router = Router(auth=AUTH, tags=["library"])


class EditionRef(Schema):
    id: int
    body: str
    number: str
    slug: str
    name: str
    revision: str
    year: int | None
    clause_count: int
    url: str
    reference: str  # "WTSA/75/hammamet-2016", accepted wherever an edition is asked for


def edition_ref(e: Edition) -> dict:
    r = e.resolution
    return {
        "id": e.pk,
        "body": r.body.code,
        "number": r.number,
        "slug": e.slug,
        "name": e.name,
        "revision": e.revision,
        "year": e.year,
        "clause_count": e.clause_count,
        "url": e.get_absolute_url(),
        "reference": f"{r.body.code}/{r.slug}/{e.slug}",
    }


def edition_by_reference(reference: int | str, *, resolution=None) -> Edition:
    """The edition an id, a "BODY/number/slug" reference or a slug names; 404 or 400 with the reason.

    A bare slug is looked up in ``resolution`` when given, else across the library,
    and must then name one edition only.
    """
    editions = Edition.objects.select_related("resolution__body")
    text = str(reference).strip()
    if not text:
        raise HttpError(
            400, gettext("Name the edition: its id, or a reference such as WTSA/75/hammamet-2016.")
        )
    if text.isdigit():
        found = editions.filter(pk=int(text)).first()
        if found is None:
            raise HttpError(
                404,
                gettext("There is no edition %(text)s. GET /api/editions lists them with their ids.")
                % {"text": text},
            )
        return found
    parts = [p for p in text.split("/") if p]
    if len(parts) == 3:
        body, number, slug = parts
        found = editions.filter(
            resolution__body__code__iexact=body, resolution__slug=number.lower(), slug=slug.lower()
        ).first()
        if found is None:
            found = editions.filter(
                resolution__body__code__iexact=body, resolution__number__iexact=number, slug=slug.lower()
            ).first()
        if found is None:
            raise HttpError(
                404, gettext("There is no edition %(text)s. GET /api/editions lists them.") % {"text": text}
            )
        return found
    if len(parts) != 1:
        raise HttpError(
            400,
            gettext("%(text)s is not an edition reference: use an id, or BODY/number/slug.")
            % {"text": repr(text)},
        )
    matches = editions.filter(slug=parts[0].lower())
    if resolution is not None:
        matches = matches.filter(resolution=resolution)
    found = list(matches[:2])
    if not found:
        raise HttpError(
            404, gettext("There is no edition %(text)s. GET /api/editions lists them.") % {"text": repr(text)}
        )
    if len(found) > 1:
        raise HttpError(
            400,
            gettext(
                "Several resolutions have an edition %(quoted)s: give its id, or BODY/number/%(text)s (GET /api/editions?slug=%(text)s lists them)."
            )
            % {"quoted": repr(text), "text": text},
        )
    return found[0]


@router.get(
    "/editions",
    response=list[EditionRef],
    summary=gettext_lazy("List editions"),
    description=gettext_lazy(
        "Editions with their ids, newest first; narrow them by body, resolution number and slug."
    ),
)
def list_editions(request, body: str = "", number: str = "", slug: str = ""):
    editions = Edition.objects.select_related("resolution__body").order_by(
        "resolution__body__sort_order", "resolution__sort_key", "-year", "-created_at"
    )
    if body:
        editions = editions.filter(resolution__body__code__iexact=body)
    if number:
        editions = editions.filter(resolution__number__iexact=number)
    if slug:
        editions = editions.filter(slug=slug.lower())
    return [edition_ref(e) for e in editions]


@router.get(
    "/editions/{path:reference}",
    response={200: EditionRef, 400: Problem, 404: Problem},
    summary=gettext_lazy("Get an edition by reference"),
    description=gettext_lazy("One edition by id, BODY/number/slug or slug."),
)
def get_edition_ref(request, reference: str):
    return edition_ref(edition_by_reference(reference))
