"""Precision and recall of the citation parser against a careful reader's reading of the seed texts, per kind.

    .venv/bin/python scripts/benchmark_citation_reading.py            # the tool as it is
    .venv/bin/python scripts/benchmark_citation_reading.py --parser OLD/citations.py --misses
                                                                      # an older parser, same reading

The reading is ``drafting/demo/seeds/citations.tsv`` (one line per cited document per occurrence); the
seeds are read as the importer reads them. For references inside the text, how many resolve to the
clause the reader names is printed too; for paragraphs and parts pinned, how many are right.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drafting.demo.citation_reading import KINDS, compare, load, seed_texts, tool_reading  # noqa: E402


def _load_parser(path: str | None):
    if path is None:
        from drafting.engine import citations

        return citations
    spec = importlib.util.spec_from_file_location("older_citations", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["older_citations"] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--parser", help="a citations.py of another version of the tool (the engine's, stand-alone)"
    )
    ap.add_argument(
        "--misses", action="store_true", help="list what the reader has and the tool not, and back"
    )
    args = ap.parse_args()
    parser = _load_parser(args.parser)
    expected = load()
    found = [e for name, text in seed_texts().items() for e in tool_reading(name, text, parser)]
    scores, missed, extra = compare(expected, found)
    print(
        f"{'kind':<15}{'reader':>8}{'tool':>8}{'both':>8}{'precision':>11}{'recall':>9}   pinpoints / targets"
    )
    total = [0, 0, 0]
    for kind in KINDS:
        s = scores[kind]
        if not (s.expected or s.found):
            continue
        total = [total[0] + s.expected, total[1] + s.found, total[2] + s.matched]
        notes = []
        if s.pinpoints:
            notes.append(f"pinpoints {s.pinpoints_right}/{s.pinpoints}")
        if kind == "internal":
            notes.append(f"resolved to the right clause {s.targets_right}/{s.targets}")
        print(
            f"{kind:<15}{s.expected:>8}{s.found:>8}{s.matched:>8}{s.precision:>10.1%}{s.recall:>9.1%}   "
            + ", ".join(notes)
        )
    p = total[2] / total[1] if total[1] else 1.0
    r = total[2] / total[0] if total[0] else 1.0
    print(f"{'all':<15}{total[0]:>8}{total[1]:>8}{total[2]:>8}{p:>10.1%}{r:>9.1%}")
    if args.misses:
        for title, rows in (("reader only (missed)", missed), ("tool only (wrong)", extra)):
            print(f"\n{title}: {len(rows)}")
            for e in rows:
                print("  " + e.line().replace("\t", " | "))


if __name__ == "__main__":
    main()
