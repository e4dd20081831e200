"""UN General Assembly documents replaced by a later one: recorded by an administrator, and the current
texts citing them listed for an update (the library holds no UN texts, only these records)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from drafting.engine import citations as parser
from drafting.engine.citation_updates import latest_successor
from drafting.models import Citation, UnSupersession

from . import CitationProblem
from .stale import CitingResolution, current_texts, group_by_citing


def un_successors() -> dict[str, str]:
    """Every recorded replacement of a UN document, replaced -> successor (1 query)."""
    return dict(UnSupersession.objects.values_list("document", "successor"))


def _symbol(value: str, what: str) -> str:
    symbol = parser.un_document(value or "")
    if symbol is None:
        raise CitationProblem(
            gettext("%(what)s %(value)s is not a UN General Assembly document symbol such as A/RES/70/125.")
            % {"what": what, "value": repr(value)},
            status=400,
        )
    return symbol


@transaction.atomic
def record_supersession(
    user, document: str, successor: str, *, note: str = "", replace: bool = False
) -> UnSupersession:
    """Record that a UN document is replaced by another: citations of it become citations to update."""
    old, new = (
        _symbol(document, gettext("The replaced document")),
        _symbol(successor, gettext("The successor")),
    )
    if old == new:
        raise CitationProblem(gettext("%(old)s cannot replace itself.") % {"old": old}, status=400)
    successors = {
        d: s
        for d, s in UnSupersession.objects.select_for_update().values_list("document", "successor")
        if d != old
    }
    # A successor replaced, in turn, by the document it replaces would send updates round in circles.
    seen, step = {new}, new
    while step in successors:
        step = successors[step]
        if step == old:
            raise CitationProblem(
                gettext(
                    "%(new)s is itself recorded as replaced, in the end, by %(old)s: the two would replace each other. Nothing was recorded."
                )
                % {"new": new, "old": old},
                status=409,
            )
        if step in seen:
            break
        seen.add(step)
    existing = UnSupersession.objects.filter(document=old).first()
    if existing is not None and existing.successor != new and not replace:
        raise CitationProblem(
            gettext(
                "%(old)s is already recorded as replaced by %(successor)s; replace that record to change it."
            )
            % {"old": old, "successor": existing.successor},
            status=409,
        )
    record = existing or UnSupersession(document=old)
    record.successor, record.note, record.recorded_by = new, note[:300], user
    record.save()
    return record


@transaction.atomic
def withdraw_supersession(user, document: str) -> None:
    """Forget that a UN document is replaced (recorded by mistake)."""
    symbol = _symbol(document, gettext("The document"))
    deleted, _ = UnSupersession.objects.filter(document=symbol).delete()
    if not deleted:
        raise CitationProblem(
            gettext("%(symbol)s is not recorded as replaced.") % {"symbol": symbol}, status=404
        )


@dataclass
class SupersededGroup:
    """Every current text citing one replaced UN document."""

    document: str
    successor: str  # the latest one, when the successor is itself replaced
    note: str
    citing: list[CitingResolution]

    @property
    def citation_count(self) -> int:
        return sum(r.citation_count for r in self.citing)


def superseded_citations(document: str | None = None) -> list[SupersededGroup]:
    """Clauses of current editions citing a UN document that a later one replaces (3 queries)."""
    every = {r.document: r for r in UnSupersession.objects.all()}
    successors = {d: r.successor for d, r in every.items()}
    records = every if document is None else {d: r for d, r in every.items() if d == document}
    if not records:
        return []
    latest, _ = current_texts()
    rows = list(
        Citation.objects.filter(
            body=parser.UNGA,  # by the (body, number_key) index: the key is the symbol in lower case
            number_key__in=[parser.resolution_key(parser.UNGA, d)[1] for d in records],
            kind=parser.UN_RESOLUTION,
            clause__isnull=False,
            edition_id__in=list(latest.values()),
        )
        .select_related("clause__provision", "edition__resolution__body")
        .order_by("number", "resolution_id", "clause__position", "order")
    )
    by_document: dict[str, list[Citation]] = defaultdict(list)
    for c in rows:
        by_document[c.number].append(c)
    return [
        SupersededGroup(
            d,
            latest_successor(d, successors) or records[d].successor,
            records[d].note,
            group_by_citing(found),
        )
        for d, found in sorted(by_document.items())
    ]
