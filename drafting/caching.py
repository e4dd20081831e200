"""Pages that cost what changed: built contexts kept per version, rendered fragments per content.

Two layers:

- ``Memo``: an in-process, least-recently-used store of what a page is built from (the
  proposal's draft with its marks, a consolidation's compilation), keyed by the versions
  that every change moves. A save moves the version, so the next request builds once and
  every delegate after it shares that build. Kept in the process (no pickling: these are
  object graphs), bounded, thread-safe.
- Rendered fragments through Django's cache framework (``{% cache %}`` in the templates),
  keyed by a *stamp*: a digest of everything a clause's fragment shows. A change to one
  clause changes its stamp and only its stamp; relabelling or punctuation moved by an
  addition changes the stamps of exactly the clauses whose label or text moved. The stamp
  is computed on every request (microseconds a clause), so time-relative words such as
  "5 minutes ago" are part of it and never go stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

# Rendered fragments live this long; a stamp never names two different renderings.
FRAGMENT_TTL = 600


# Every Memo of the process, so that tests and benchmarks can start cold (``clear_all``).
_MEMOS: list[Memo] = []


class Memo:
    """A bounded least-recently-used map, safe to share between a worker's threads."""

    def __init__(self, size: int):
        _MEMOS.append(self)
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_build(self, key, build: Callable[[], Any]):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = build()  # outside the lock: two threads may build the same version once each
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def clear_all() -> None:
    """Empties every Memo of the process: what a fresh worker has (a test's ids come back after its
    rollback, so nothing built under them may be served to the next)."""
    for memo in _MEMOS:
        memo.clear()


# Sizes: the versions in use (each save makes the one before it useless), not a history. What
# these hold is scanned by every full garbage collection, which holds every thread of the worker.
editor_contexts = Memo(32)
compilations = Memo(8)
edition_trees = Memo(16)


# Per type: the fields a stamp reads (a dataclass's, less its subtree), or None for any other type.
_STAMPED_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _stamped_fields(kind: type) -> tuple[str, ...] | None:
    names = _STAMPED_FIELDS.get(kind, ())
    if names == ():
        names = (
            tuple(f.name for f in dataclasses.fields(kind) if f.name not in ("children", "parent"))
            if dataclasses.is_dataclass(kind)
            else None
        )
        _STAMPED_FIELDS[kind] = names
    return names


def _own(value: Any, out: list[str]) -> None:
    """Writes a description of a value's own content into ``out``: dataclasses without their subtree.
    Leaves are their repr, which escapes the separator, so two different values never write the same."""
    names = _stamped_fields(type(value))
    if names is not None:
        out.append(type(value).__name__ + "(")
        for name in names:
            out.append(name)
            _own(getattr(value, name), out)
        out.append(")")
    elif isinstance(value, list | tuple):
        out.append("[")
        for item in value:
            _own(item, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for k, v in sorted(value.items(), key=lambda item: str(item[0])):
            out.append(repr(str(k)))
            _own(v, out)
        out.append("}")
    else:
        out.append(repr(value))


def stamp(*parts: Any) -> str:
    """A short digest of what a fragment shows (rows of a page are stamped on every build: kept fast)."""
    out: list[str] = []
    for part in parts:
        _own(part, out)
    return hashlib.blake2b("\x1f".join(out).encode(), digest_size=12).hexdigest()


def _change_identity(change) -> Any:
    if change is None:
        return None
    by = change.updated_by
    who = (by.get_full_name() or by.username) if by is not None else ""
    return (change.pk, change.version, change.action, who, change.updated_at)


def clause_content_stamp(row: dict, *, proposal_pk: int, can_edit: bool) -> str:
    """The stamp of what one clause's fragment in the editor shows, but for the time-relative words."""
    others = {k: v for k, v in row.items() if k not in ("clause", "change", "stamp")}
    return stamp(proposal_pk, can_edit, row["clause"], _change_identity(row.get("change")), others)


@contextmanager
def one_state() -> Iterator[None]:
    """Reads that all see the database as it was at the first of them (a snapshot), so that what is
    built from several queries is one version's, whatever commits meanwhile. Inside a transaction
    already open, the reads are that transaction's."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        # Django opens SQLite transactions IMMEDIATE (a write lock, for writers); a deferred one
        # reads one snapshot from its first read (WAL) and holds no writer back.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        except BaseException:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
            raise
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Read committed (the default) would see each commit from the next query on.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _with_stamps(
    build: Callable[[], dict], proposal, can_edit: bool, library: str = ""
) -> tuple[dict, list[str]]:
    from drafting import livedraft
    from drafting.models import Proposal

    # Under load another delegate's save commits while a build reads, every few seconds: the
    # version is read in the same snapshot as the rest, so the state is that version's, all of it.
    # A page whose proposal was read before a save gets the newer version, labelled so.
    with one_state():
        current = Proposal.objects.filter(pk=proposal.pk).values_list("version", flat=True).first()
        if current is not None:
            proposal.version = current
        context = build()
    stamps = [clause_content_stamp(r, proposal_pk=proposal.pk, can_edit=can_edit) for r in context["rows"]]
    # Kept for the live copies that send an editor only the clauses a newer version changed (the
    # library's state with each: an import or adoption changes the links of any clause).
    livedraft.remember(
        proposal.pk, context["version"], can_edit, context["rows"], [s + library for s in stamps]
    )
    return context, stamps


def editor_context(proposal, can_edit: bool, build: Callable[[], dict]) -> dict:
    """The editor's context for this proposal's version, built once; each request gets its own copy
    with the fragment stamps ("changed 5 minutes ago" moves on with the clock, nothing else does)."""
    from drafting.services.citations import library_state
    from drafting.templatetags.drafting import ago

    library = library_state()  # the draft's citations link to editions: an import or adoption moves it
    contribution = proposal.contribution
    key = (
        proposal.pk,
        proposal.version,
        proposal.base_edition_id,
        contribution.pk,
        contribution.version,
        contribution.status,
        can_edit,
        library,
    )
    shared, stamps = editor_contexts.get_or_build(
        key, lambda: _with_stamps(build, proposal, can_edit, library)
    )
    # The state may be of a newer version than the caller read (a save committed in between): the
    # caller's proposal says the version its state shows, whoever built it.
    proposal.version = shared["version"]
    context = dict(shared)
    rows = []
    for row, content in zip(shared["rows"], stamps, strict=True):
        mine = dict(row)
        change = row.get("change")
        mine["stamp"] = content + library + (ago(change.updated_at) if change is not None else "")
        rows.append(mine)
    context["rows"] = rows
    context["library_state"] = library  # the page's citations read the library as of this state
    context["clause_stamps"] = [s + library for s in stamps]
    context["draft_stamp"] = stamp(proposal.pk, can_edit, [r["stamp"] for r in rows])
    return context


consolidation_contexts = Memo(12)


def consolidation_key(consolidation) -> tuple:
    """What a consolidation's pages are built from, as versions: its own (decisions, moves, adoption),
    the proposals compiled (a submission, a withdrawal or a revision moves their sums) and the
    resolution's editions (a newer one may be offered), and, last, the library's state (the citations
    shown link to editions). Three small aggregate queries."""
    from django.db.models import Count, Q, Sum

    from drafting.models import Contribution, Edition, Proposal
    from drafting.services.citations import library_state

    # Drafts are not compiled: the groups saving clauses of their next proposals all morning must not
    # make every reader build the view again. A submission, a withdrawal or a revision moves these.
    proposals = (
        Proposal.objects.filter(
            contribution__conference_id=consolidation.conference_id, resolution_id=consolidation.resolution_id
        )
        .exclude(contribution__status=Contribution.DRAFT)
        .aggregate(
            n=Count("id"),
            s=Count("id", filter=Q(contribution__status=Contribution.SUBMITTED)),
            p=Sum("version"),
            c=Sum("contribution__version"),
        )
    )
    editions = Edition.objects.filter(resolution_id=consolidation.resolution_id).count()
    return (
        consolidation.pk,
        consolidation.version,
        consolidation.status,
        consolidation.base_edition_id,
        proposals["n"],
        proposals["s"],
        proposals["p"],
        proposals["c"],
        editions,
        library_state(),
    )


def _decision_identity(decision) -> Any:
    if decision is None:
        return None
    return (
        decision.pk,
        decision.version,
        decision.choice,
        decision.group,
        decision.text,
        decision.note,
        decision.internal_note,
        decision.decided_by_id,
        decision.decided_at,
    )


def _row_stamps(context: dict, variant: tuple) -> list[str]:
    """Per row of the synoptic view, a stamp of what its fragment shows but the time-relative words."""
    compilation = context["compilation"]
    # The same for every row: digested once.
    frame = stamp(
        context["consolidation"].pk,
        variant,
        list(compilation.groups),
        [(g, p.pk, p.label) for g, p in compilation.proposals.items()],
    )
    stamps = []
    for item in context["rows"]:
        others = {k: v for k, v in item.items() if k not in ("decision", "stamp", "row")}
        row = _merged_row_stamp(item["row"])
        stamps.append(stamp(frame, _decision_identity(item.get("decision")), row, others))
    return stamps


# The merged rows are shared and never change (``compilations``): each is stamped once, not again
# after every settlement (a row of six groups' versions was most of the time a reload took). The
# stamp is kept on the row itself, so that it goes with it.
def _merged_row_stamp(row) -> str:
    kept = row.__dict__.get("_content_stamp")
    if kept is None:
        kept = row.__dict__["_content_stamp"] = stamp(row)
    return kept


def consolidation_context(request, consolidation, variant: tuple, build: Callable[[], dict]) -> dict:
    """The synoptic view's context for this state of the consolidation and this way of showing it
    (filter, layout, whether the viewer settles), built once and shared; each request gets a copy
    with its rows' fragment stamps. No row carries a CSRF token (a row's settle form is fetched
    when it is opened), so the officers share their rows too; theirs link their settle forms
    back to the page's query, which is part of their stamp."""
    from drafting.templatetags.drafting import ago

    def built():
        context = build()
        return context, _row_stamps(context, variant)

    key = consolidation_key(consolidation)
    shared, stamps = consolidation_contexts.get_or_build((*key, *variant), built)
    context = dict(shared)
    viewer = request.GET.urlencode() if context.get("can_settle") else ""
    rows = []
    for item, content in zip(shared["rows"], stamps, strict=True):
        mine = dict(item)
        decision = item.get("decision")
        mine["stamp"] = (
            content + key[-1] + viewer + (ago(decision.decided_at) if decision is not None else "")
        )
        rows.append(mine)
    context["rows"] = rows
    context["library_state"] = key[-1]  # the page's citations read the library as of this state
    # The rows together, with the frame they are shown in: the whole synoptic view is one cache
    # read while nothing in it changed (each row's own fragment is used when one did).
    context["synoptic_stamp"] = hashlib.blake2b(
        repr((variant, viewer, [r["stamp"] for r in rows])).encode(), digest_size=12
    ).hexdigest()
    return context
