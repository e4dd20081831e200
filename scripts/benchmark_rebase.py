#!/usr/bin/env python3
"""How long carrying a proposal onto a newer edition takes, for a resolution of about 100 clauses.

    .venv/bin/python scripts/benchmark_rebase.py

A 100-clause resolution is made of real clauses (WTSA Res. 75, Rev. Hammamet, 2016, and WTDC Res. 30
rebuilt from the RCC seed, under their own parts), a next edition of it is made the ways assemblies
edit (``drafting/demo/editions.py``: moves between parts, splits, rewordings, insertions, removals)
and keyed as importing it does (``match.carry_keys``), and a proposal of 30 changes on the older
edition (rewordings, additions, suppressions, some of which the newer edition makes too) is carried
onto it with ``engine.rebase.rebase``: the engine's whole work behind ``GET``/``POST
/api/proposals/{id}/rebase`` and the proposal page's preview (the service adds reading the two
editions' trees, which the process keeps per edition). Prints the median and the slowest of 30 runs,
and the CITEL proposal on Dubai 2012 carried onto Hammamet 2016. The goal is 200 ms. No database.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafting.demo import citel, editions, pairs, rcc  # noqa: E402
from drafting.engine import match  # noqa: E402
from drafting.engine import rebase as carry  # noqa: E402
from drafting.engine.amend import ADD, AFTER, MODIFY, SUPPRESS, Amendment  # noqa: E402
from drafting.engine.anchors import assign_anchors  # noqa: E402
from drafting.engine.derive import derive_amendments  # noqa: E402
from drafting.engine.match import carry_keys  # noqa: E402
from drafting.engine.parse import parse_resolution  # noqa: E402
from drafting.engine.tree import ITEM, ResolutionText  # noqa: E402

SEEDS = ROOT / "drafting" / "demo" / "seeds"
RUNS = 30
CLAUSES = 100
CHANGES = 30


def hundred_clauses() -> ResolutionText:
    res75 = parse_resolution((SEEDS / "wtsa-res75-rev-hammamet-2016.txt").read_text(encoding="utf-8"))
    res30 = parse_resolution(rcc.base_text())
    text = ResolutionText(number="75", revision="Rev. Hammamet, 2016", clauses=[])
    for part in res75.parts + res30.parts:
        if sum(1 for _ in text.walk()) + sum(1 for _ in part.walk(0)) > CLAUSES:
            break
        text.clauses.append(part)
    return editions.keyed(text)


def keyed_next(old: ResolutionText, rng: random.Random) -> ResolutionText:
    edits = {editions.MOVE: 3, editions.SPLIT: 1, editions.REWORD: 6, editions.INSERT: 4, editions.REMOVE: 2}
    new = editions.next_edition(old, rng, edits).text
    carry_keys(old, new)
    anchors = assign_anchors(new)
    for clause, _ in new.walk():
        clause.key = clause.key or "new:" + anchors[id(clause)]
    return new


def proposal(old: ResolutionText, new: ResolutionText, rng: random.Random) -> list[Amendment]:
    """30 changes; a few the newer edition makes too (its rewording, the same clause added)."""
    leaves = [c for c, _ in old.walk() if c.kind == ITEM and not c.children and len(c.text.split()) >= 6]
    newer = {c.key: c for c, _ in new.walk()}
    out = []
    for n, clause in enumerate(rng.sample(leaves, CHANGES)):
        if n % 3 == 0:
            text = newer[clause.key].text if n % 9 == 0 and clause.key in newer else None
            out.append(Amendment(MODIFY, clause.key, text=text or editions._reword(clause.text, rng, 0.25)))
        elif n % 3 == 1:
            out.append(
                Amendment(ADD, clause.key, AFTER, key=f"added-{n}", text=rng.choice(editions.NEW_ITEMS))
            )
        else:
            out.append(Amendment(SUPPRESS, clause.key))
    return out


def measure(old, new, amendments) -> list[float]:
    """Run times in ms; the first with the identity's memo of clause texts emptied (a fresh process)."""
    match._read.cache_clear()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        carry.rebase(old, new, amendments)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _figures(times: list[float]) -> str:
    return (
        f"  rebase: first {times[0]:.1f} ms, then median {statistics.median(times[1:]):.1f} ms, "
        f"slowest {max(times[1:]):.1f} ms ({RUNS} runs)"
    )


def main() -> None:
    rng = random.Random(18)
    old = hundred_clauses()
    new = keyed_next(old, rng)
    amendments = proposal(old, new, rng)
    result = carry.rebase(old, new, amendments)
    times = measure(old, new, amendments)
    states = {s: result.count(s) for s in carry.STATES if result.count(s)}
    print(f"{sum(1 for _ in old.walk())} clauses, {len(amendments)} changes: {states}")
    print(_figures(times))

    dubai = editions.keyed(parse_resolution(citel.base_text()))
    hammamet = parse_resolution((SEEDS / "wtsa-res75-rev-hammamet-2016.txt").read_text(encoding="utf-8"))
    carry_keys(dubai, hammamet)
    anchors = assign_anchors(hammamet)
    for clause, _ in hammamet.walk():
        clause.key = clause.key or "H:" + anchors[id(clause)]
    amendments = derive_amendments(dubai, parse_resolution(citel.proposed_text()))
    result = carry.rebase(dubai, hammamet, amendments)
    times = measure(dubai, hammamet, amendments)
    states = {s: result.count(s) for s in carry.STATES if result.count(s)}
    print(f"CITEL on Dubai 2012 onto Hammamet 2016, {len(amendments)} changes: {states}")
    print(_figures(times))

    # Other real pairs with a group's proposal each (drafting/demo/pairs.py), then the three joined
    # into one text of over 100 clauses (their parts one after another, keys kept apart), with the
    # three proposals' changes together.
    joined_old, joined_new, joined_changes = [], [], []
    for pair in pairs.PAIRS:
        old, new = real_pair(pair)
        amendments = pair.amendments()
        result = carry.rebase(old, new, amendments)
        right = sum(
            1
            for change, carried in zip(pair.proposal, result.changes, strict=True)
            if carried.state in (change.expect if isinstance(change.expect, tuple) else (change.expect,))
        )
        times = measure(old, new, amendments)
        states = {s: result.count(s) for s in carry.STATES if result.count(s)}
        print(
            f"{pair.group} on {pair.name} ({sum(1 for _ in old.walk())} clauses), {len(amendments)} changes: "
            f"{states}; as the reader's key says: {right}/{len(amendments)}"
        )
        print(_figures(times))
        tag = f"{pair.number}:"
        for text, out in ((old, joined_old), (new, joined_new)):
            for clause, _ in text.walk():
                clause.key = tag + clause.key
            out.extend(text.clauses)
        for a in amendments:
            a.target = tag + a.target
            a.key = tag + a.key if a.key else ""
        joined_changes.extend(amendments)
    old = ResolutionText(number="0", clauses=joined_old)
    new = ResolutionText(number="0", clauses=joined_new)
    result = carry.rebase(old, new, joined_changes)
    times = measure(old, new, joined_changes)
    states = {s: result.count(s) for s in carry.STATES if result.count(s)}
    print(f"the three joined ({sum(1 for _ in old.walk())} clauses), {len(joined_changes)} changes: {states}")
    print(_figures(times))
    print("goal: 200 ms (a shared, busy machine: compare within one run)")


def real_pair(pair: pairs.RealPair) -> tuple[ResolutionText, ResolutionText]:
    """The older edition keyed by its anchors, the newer keyed as importing it after the older does."""
    old = editions.keyed(parse_resolution(pair.old_text()))
    new = parse_resolution(pair.new_text())
    carry_keys(old, new)
    anchors = assign_anchors(new)
    for clause, _ in new.walk():
        clause.key = clause.key or "new:" + anchors[id(clause)]
    return old, new


if __name__ == "__main__":
    main()
