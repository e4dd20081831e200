#!/usr/bin/env python3
"""Clause identity measured against keys written by reading: pairs right, wrong and missing.

    .venv/bin/python scripts/benchmark_identity.py
    .venv/bin/python scripts/benchmark_identity.py --match /tmp/old_match.py    # another version of match.py

For every pair of editions the seeds and the demo give (Res. 75 Dubai 2012 -> Hammamet 2016 from the
CITEL seed, Res. 30 Dubai 2014 -> RCC's text, Res. 75 Hammamet 2016 -> ATU's text), the older
edition's clauses are keyed by their anchors, the newer edition is paired with it
(``match.carry_keys``, what importing an edition does) and the pairs are checked against the key in
``scripts/identity/`` (one line per older clause: "old -> new" or "old -> -"). Then synthetic next
editions of four real texts (``drafting/demo/editions.py``: moves between parts, splits, rewordings,
insertions with renumbering, removals, renamed parts, reworded lone paragraphs), whose key is known by
construction.

right: paired as the key says; wrong: paired with another clause, or paired where the key pairs it
with none; missing: the key pairs it, the tool left it without partner. No database.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafting.demo import atu, citel, editions, rcc  # noqa: E402
from drafting.engine.anchors import assign_anchors  # noqa: E402
from drafting.engine.parse import parse_resolution  # noqa: E402
from drafting.engine.tree import ResolutionText  # noqa: E402

SEEDS = ROOT / "drafting" / "demo" / "seeds"
EDITIONS = SEEDS / "editions"
KEYS = Path(__file__).resolve().parent / "identity"


def _hammamet() -> str:
    return (SEEDS / "wtsa-res75-rev-hammamet-2016.txt").read_text(encoding="utf-8")


def _council() -> str:
    return (SEEDS / "council-res1332.txt").read_text(encoding="utf-8")


def _edition(name: str):
    return lambda: (EDITIONS / name).read_text(encoding="utf-8")


PAIRS = [
    (
        "Res. 75 Dubai 2012 -> Hammamet 2016",
        citel.base_text,
        _hammamet,
        "res75-dubai-2012--hammamet-2016.txt",
    ),
    ("Res. 30 Dubai 2014 -> RCC 2017", rcc.base_text, rcc.proposed_text, "res30-dubai-2014--rcc-2017.txt"),
    ("Res. 75 Hammamet 2016 -> ATU 2024", _hammamet, atu.proposed_text, "res75-hammamet-2016--atu-2024.txt"),
    (
        "PP Res. 179 Busan 2014 -> Dubai 2018",
        _edition("pp-res179-rev-busan-2014.txt"),
        _edition("pp-res179-rev-dubai-2018.txt"),
        "res179-busan-2014--dubai-2018.txt",
    ),
    (
        "WTSA Res. 76 Hammamet 2016 -> Geneva 2022",
        _edition("wtsa-res76-rev-hammamet-2016.txt"),
        _edition("wtsa-res76-rev-geneva-2022.txt"),
        "res76-hammamet-2016--geneva-2022.txt",
    ),
    (
        "WTSA Res. 35 Hammamet 2016 -> Geneva 2022",
        _edition("wtsa-res35-rev-hammamet-2016.txt"),
        _edition("wtsa-res35-rev-geneva-2022.txt"),
        "res35-hammamet-2016--geneva-2022.txt",
    ),
]
SYNTHETIC_BASES = [
    ("Res. 75 Hammamet", _hammamet),
    ("Res. 75 Dubai", citel.base_text),
    ("Res. 30 Dubai", rcc.base_text),
    ("Council Res. 1332", _council),
]
SYNTHETIC = [
    ("moves between parts", {editions.MOVE: 3}),
    ("splits", {editions.SPLIT: 2}),
    ("rewordings", {editions.REWORD: 4}),
    ("insertions, renumbered", {editions.INSERT: 3}),
    ("renamed parts, lone paragraphs", {editions.RENAME: 1, editions.LONE: 1}),
    ("moves and rewordings", {editions.MOVE: 3, editions.REWORD: 6}),
    (
        "all of these, and removals",
        {
            editions.MOVE: 2,
            editions.SPLIT: 1,
            editions.REWORD: 3,
            editions.INSERT: 2,
            editions.REMOVE: 1,
            editions.RENAME: 1,
            editions.LONE: 1,
        },
    ),
]
EDITIONS_PER_CASE = 5


def _load_match(path: str | None):
    if path is None:
        from drafting.engine import match

        return match
    spec = importlib.util.spec_from_file_location("drafting.engine._measured_match", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_key(name: str) -> dict[str, str | None]:
    key: dict[str, str | None] = {}
    for line in (KEYS / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        old, new = (s.strip() for s in line.split("->"))
        key[old] = None if new == "-" else new
    return key


def score(found: dict[str, str], key: dict[str, str | None]) -> tuple[int, int, int, list[str]]:
    right = wrong = missing = 0
    notes = []
    for old, new in key.items():
        got = found.get(old)
        if got == new:
            right += new is not None
        elif got is None:
            missing += 1
            notes.append(f"  missing  {old} -> {new}")
        else:
            wrong += 1
            notes.append(f"  wrong    {old} -> {got} (key: {new or 'none'})")
    return right, wrong, missing, notes


def pair_editions(match, old_text: str, new_text: str) -> dict[str, str]:
    """Old anchor -> new anchor, as importing the newer edition after the older one pairs them."""
    old, new = editions.keyed(parse_resolution(old_text)), parse_resolution(new_text)
    anchors = assign_anchors(new)
    match.carry_keys(old, new)
    return {c.key: anchors[id(c)] for c, _ in new.walk() if c.key}


def synthetic(match, base: ResolutionText, edits: dict[str, int], seed: int):
    rng = random.Random(seed)
    edited = editions.next_edition(editions.keyed(base), rng, edits)
    new_index = {id(c): f"n:{i}" for i, (c, _) in enumerate(edited.text.walk())}
    key: dict[str, str | None] = {c.key: None for c, _ in base.walk()}
    for clause, _ in edited.text.walk():
        if id(clause) in edited.continues:
            key[edited.continues[id(clause)]] = new_index[id(clause)]
    match.carry_keys(editions.keyed(base), edited.text)
    found = {c.key: new_index[id(c)] for c, _ in edited.text.walk() if c.key}
    return key, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--match", help="measure another version of drafting/engine/match.py (a file path)")
    parser.add_argument("--verbose", action="store_true", help="list every wrong and missing pair")
    args = parser.parse_args()
    match = _load_match(args.match)

    print(f"{'editions':<42} {'pairs':>5} {'right':>5} {'wrong':>5} {'missing':>7} {'ms':>6}")
    totals = [0, 0, 0, 0]
    for name, old, new, key_file in PAIRS:
        key = read_key(key_file)
        started = time.perf_counter()
        found = pair_editions(match, old(), new())
        took = (time.perf_counter() - started) * 1000
        right, wrong, missing, notes = score(found, key)
        pairs = sum(1 for v in key.values() if v is not None)
        print(f"{name:<42} {pairs:>5} {right:>5} {wrong:>5} {missing:>7} {took:>6.0f}")
        if args.verbose and notes:
            print("\n".join(notes))
        for i, n in enumerate((pairs, right, wrong, missing)):
            totals[i] += n
    print(f"{'  real editions, all':<42} {totals[0]:>5} {totals[1]:>5} {totals[2]:>5} {totals[3]:>7}")

    bases = [(name, parse_resolution(text())) for name, text in SYNTHETIC_BASES]
    print(f"\nsynthetic next editions ({EDITIONS_PER_CASE} of each of {len(bases)} real texts per line)")
    totals = [0, 0, 0, 0]
    for name, edits in SYNTHETIC:
        counts = [0, 0, 0, 0]
        started = time.perf_counter()
        for base_name, base in bases:
            for seed in range(EDITIONS_PER_CASE):
                key, found = synthetic(match, base, edits, seed)
                right, wrong, missing, notes = score(found, key)
                counts[0] += sum(1 for v in key.values() if v is not None)
                counts[1] += right
                counts[2] += wrong
                counts[3] += missing
                if args.verbose and notes:
                    print(f"  {base_name}, seed {seed}:")
                    print("\n".join(notes))
        took = (time.perf_counter() - started) * 1000 / (EDITIONS_PER_CASE * len(bases))
        print(f"{name:<42} {counts[0]:>5} {counts[1]:>5} {counts[2]:>5} {counts[3]:>7} {took:>6.0f}")
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    print(f"{'  synthetic, all':<42} {totals[0]:>5} {totals[1]:>5} {totals[2]:>5} {totals[3]:>7}")
    print("\nms: time to pair one pair of editions (medians are not taken: a busy shared machine)")


if __name__ == "__main__":
    main()
