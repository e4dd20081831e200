"""Synthetic resolutions for benchmarks and size tests: real clauses, repeated."""

from __future__ import annotations

import copy
from pathlib import Path

from drafting.engine.parse import parse_resolution
from drafting.engine.printer import print_resolution

SEEDS = Path(__file__).resolve().parent / "seeds"


def synthetic_resolution_text(scale: int, seed: str = "wtsa-res75-rev-hammamet-2016.txt") -> str:
    """The seed resolution with its parts repeated ``scale`` times (scale=10: ten times its size)."""
    base = parse_resolution((SEEDS / seed).read_text(encoding="utf-8"))
    parts = base.clauses
    base.clauses = [copy.deepcopy(clause) for _ in range(scale) for clause in parts]
    base.number = f"9{scale:02d}"
    base.revision = f"Rev. Synthetic, {2000 + scale}"
    return print_resolution(base)
