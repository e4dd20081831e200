"""What a new version of a draft changed, for the editors open on an older one.

Every save moves the proposal's version and tells the open editors; each then asks for the
draft at the new version. The whole draft of Res. 75 is about 140 KB, and a save changes one
clause, or a few when an addition or a suppression relabels or repunctuates the items after it.
So an editor says which version it has (``from``), and is sent the clauses whose fragment is
not the same, with where each new one goes, the clauses gone, and the changes list and the
citation panel.

Which fragments differ is read from their content stamps (``drafting.views.page_state``): the digest of
everything a clause's fragment shows. Each build of a version's editor (once per version and
process) leaves its stamps in the cache; the answer compares the stamps of the editor's version
with those of the current one. Nothing depends on which events the editor saw, so an editor that
missed a version still gets only what changed since the one it has. When the stamps of its
version are gone (evicted, another process with a per-process cache) or too much changed, the
whole draft is sent, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

# The stamps of a version are needed while editors have it: an open page moves on with every update,
# so only a page hidden longer than this (or asleep) gets the whole draft. As long as the rendered
# copies are kept: every version adds entries to a cache it shares with the pages and sessions.
STAMPS_TTL = 600
# Past this many clauses the whole draft costs about the same to render and to merge.
MAX_CHANGED = 40


def _stamps_key(proposal_pk: int, version: int, can_edit: bool) -> str:
    return f"live:stamps:{proposal_pk}:{version}:{int(can_edit)}"


def remember(proposal_pk: int, version: int, can_edit: bool, rows: list[dict], stamps: list[str]) -> None:
    """Keep the content stamps of a version's clauses, in reading order, for later deltas. The rows
    are that version's text: the build read them in one snapshot with the version
    (``caching.one_state``)."""
    # The first build of a version keeps its stamps: a later one (after an import, say) must not
    # make them those of a page the editors who have this version were not shown.
    cache.add(
        _stamps_key(proposal_pk, version, can_edit),
        [(row["clause"].key, stamp) for row, stamp in zip(rows, stamps, strict=True)],
        STAMPS_TTL,
    )


def known(proposal_pk: int, since: int, version: int, can_edit: bool) -> bool:
    """Whether ``since`` is an earlier version of the draft whose stamps are kept here: a delta from it
    can be answered (and cached); from any other number, only the whole draft."""
    return 0 <= since < version and cache.get(_stamps_key(proposal_pk, since, can_edit)) is not None


@dataclass
class Delta:
    """The clauses of a draft that differ from version ``since``: each with the key of the clause
    before it ("" for the first), in reading order; the keys of clauses no longer in the draft;
    and how many clauses the draft has now (the editor checks it has as many after merging)."""

    since: int
    rows: list[tuple[str, dict]]
    removed: list[str]
    count: int


def delta(
    proposal_pk: int, since: int, version: int, can_edit: bool, rows: list[dict], stamps: list[str]
) -> Delta | None:
    """What changed from version ``since`` to these rows (of ``version``), or None: send the whole draft."""
    if since >= version:
        return None
    before = cache.get(_stamps_key(proposal_pk, since, can_edit))
    if before is None:
        return None
    old = dict(before)
    keys = [row["clause"].key for row in rows]
    if not all(keys) or len(set(keys)) != len(keys):
        return None  # a clause the editor cannot address by its key
    now = set(keys)
    # Clauses are added and taken out, never moved: the ones in both versions keep their order.
    # Anything else is not a case this answers, and the whole draft is always right.
    if [k for k, _ in before if k in now] != [k for k in keys if k in old]:
        return None
    changed = []
    previous = ""
    for key, row, stamp in zip(keys, rows, stamps, strict=True):
        if old.get(key) != stamp:
            changed.append((previous, row))
        previous = key
    if len(changed) > min(MAX_CHANGED, max(len(rows) // 3, 1)):
        return None
    removed = [k for k, _ in before if k not in now]
    return Delta(since=since, rows=changed, removed=removed, count=len(rows))
