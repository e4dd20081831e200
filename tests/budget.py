"""How many examples a property test draws: the suite's budget as written, ten times as many to hunt.

The suite runs on a loaded 2-core machine, twice (SQLite and PostgreSQL, or once for the tests that
use no database): a budget is what a test finds per second spent. Write ``max_examples=examples(n)``
with ``n`` what the suite can afford (a few seconds a test); ``HYPOTHESIS_PROFILE=explore`` draws
fresh examples, ten times as many, when hunting.
"""

from __future__ import annotations

import os

HUNTING = os.environ.get("HYPOTHESIS_PROFILE") == "explore"


def examples(n: int) -> int:
    """The budget of a property test: ``n`` in the suite, ``10 * n`` when exploring."""
    return n * 10 if HUNTING else n
