"""Reading editions out of the database as clause trees, in a constant number of queries."""

from __future__ import annotations

from django.db.models import Prefetch

from drafting.engine.tree import Clause as ClauseNode
from drafting.engine.tree import Footnote as FootnoteNode
from drafting.engine.tree import ResolutionText
from drafting.models import Clause, Edition, Footnote
from drafting.models.library import front_keys


def clause_rows(edition: Edition) -> list[Clause]:
    """The edition's clauses in reading order, with their footnotes and provision keys (2 queries)."""
    return list(
        Clause.objects.filter(edition=edition)
        .select_related("provision")
        .prefetch_related(Prefetch("footnotes", queryset=Footnote.objects.order_by("number")))
        .order_by("position")
    )


def tree_from_rows(edition: Edition, rows: list[Clause]) -> ResolutionText:
    """Build the engine's tree from the rows of :func:`clause_rows`."""
    resolution = ResolutionText(
        number=edition.resolution.number,
        revision=edition.revision,
        title=edition.title,
        history=edition.history_line,
        enacting_formula=edition.enacting_formula,
        front_keys=front_keys(edition.resolution_id),
        footnotes=[
            FootnoteNode(int(f["number"]), f.get("text", ""), f.get("mark", ""))
            for f in edition.front_footnotes or []
        ],
    )
    nodes: dict[int, ClauseNode] = {}
    for row in rows:
        node = ClauseNode(
            kind=row.kind,
            label=row.label,
            heading=row.heading,
            text=row.text,
            role=row.role,
            footnotes=[FootnoteNode(f.number, f.text, f.mark) for f in row.footnotes.all()],
            key=str(row.provision.key),
        )
        nodes[row.pk] = node
        if row.parent_id is None:
            resolution.clauses.append(node)
        else:
            nodes[row.parent_id].children.append(node)
    return resolution


def edition_tree(edition: Edition) -> ResolutionText:
    return tree_from_rows(edition, clause_rows(edition))


def shared_edition_tree(edition: Edition) -> ResolutionText:
    """The edition's tree, read once per process and shared by every draft built on it: an edition's
    text never changes once imported (a correction is a new edition). Read only: a draft copies
    each clause it amends (``engine.apply_amendments``), nothing changes this tree."""
    from drafting import caching

    key = (edition.pk, edition.created_at, edition.clause_count, edition.source_hash)
    return caching.edition_trees.get_or_build(key, lambda: edition_tree(edition))


def latest_edition(resolution) -> Edition | None:
    return resolution.editions.order_by("-year", "-created_at").first()
