"""Where the suite's time goes, by test file, on each database: the figures of
``SUITE_TIMINGS=/tmp/timings ./dev test`` (tests/conftest.py writes one JSON file per database).

    python scripts/suite_timings.py /tmp/timings [how many files, 40 by default]
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path


def main(folder: str, top: int = 40) -> None:
    runs = {path.stem: json.loads(path.read_text()) for path in sorted(Path(folder).glob("*.json"))}
    by_file: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for database, tests in runs.items():
        for nodeid, seconds in tests.items():
            name = nodeid.split("::", 1)[0]
            by_file[name][database] += seconds
            counts[name][database] += 1
    names = list(runs)
    print(f"{'file':58} " + " ".join(f"{n:>16}" for n in names) + f" {'sum':>8}")
    for database in names:
        total = sum(runs[database].values())
        print(f"  {database}: {len(runs[database])} tests, {total:.0f} s")
    ranked = sorted(by_file.items(), key=lambda item: -sum(item[1].values()))
    for name, seconds in ranked[:top]:
        cells = " ".join(f"{seconds.get(n, 0):9.1f}s {counts[name].get(n, 0):4}" for n in names)
        print(f"{name[:58]:58} {cells} {sum(seconds.values()):8.1f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40)
