"""Pages that cost what changed: the stores and stamps that built pages and rendered fragments are kept by.

Two layers:

- ``Memo``: an in-process, least-recently-used store of what a page is built from (the
  proposal's draft with its marks, a consolidation's compilation), keyed by the versions
  that every change moves. A save moves the version, so the next request builds once and
  every delegate after it shares that build. Kept in the process (no pickling: these are
  object graphs), bounded, thread-safe.
- Rendered fragments through Django's cache framework (``{% cache %}`` in the templates),
  keyed by a *stamp* (``stamp``): a digest of everything a clause's fragment shows. A change
  to one clause changes its stamp and only its stamp; relabelling or punctuation moved by an
  addition changes the stamps of exactly the clauses whose label or text moved. The stamp
  is computed on every request (microseconds a clause), so time-relative words such as
  "5 minutes ago" are part of it and never go stale.

Also here, below the services that read them: ``library_state`` (what every cached text that
links citations depends on) and ``one_state`` (a build read in one snapshot). The pages' states
built from these (the editor's, the synoptic view's) are ``drafting.views.page_state``.
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
consolidation_contexts = Memo(12)


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


def library_state() -> str:
    """A short token that changes whenever the library's editions or the known meetings change (1 query).

    What a citation links to and whether it says "not the current edition" depend on
    the editions in the library (and the meetings, for "no such meeting"): pages that
    cache typeset text put this token in their stamps. Counts and highest ids catch an
    import, an adoption and a deletion; the newest creation time catches a deletion
    followed by an import.
    """
    from drafting.models import Conference, Edition

    editions = connection.ops.quote_name(Edition._meta.db_table)
    meetings = connection.ops.quote_name(Conference._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(id), MAX(created_at), (SELECT COUNT(*) FROM {meetings}),"
            f" (SELECT MAX(id) FROM {meetings}) FROM {editions}"
        )
        row = cursor.fetchone()
    return "lib:" + ":".join(str(v) for v in row)
