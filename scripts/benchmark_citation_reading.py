"""Precision and recall of the citation parser against a careful reader's two readings, per kind.

    .venv/bin/python scripts/benchmark_citation_reading.py            # the tool as it is
    .venv/bin/python scripts/benchmark_citation_reading.py --parser OLD/citations.py --misses
                                                                      # an older parser, same readings

The first reading is ``drafting/demo/seeds/citations.tsv`` (one line per cited document per occurrence in
the five seeds, read as the importer reads them); the second, ``drafting/demo/seeds/citations-itu-sentences.txt``,
is of sentences of other real ITU texts (PP, WTSA, WTDC, RA and Council resolutions), sentences citing
nothing included. For references inside the seeds, how many resolve to the clause the reader names is
printed too; for paragraphs and parts pinned, how many are right.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drafting.demo.citation_reading import (  # noqa: E402
    KINDS,
    compare,
    load,
    load_sentences,
    seed_texts,
    sentences_reading,
    tool_reading,
)


def _load_parser(path: str | None):
    if path is None:
        from drafting.engine import citations

        return citations
    spec = importlib.util.spec_from_file_location("older_citations", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["older_citations"] = module
    spec.loader.exec_module(module)
    return module


def _table(title: str, expected, found, misses: bool) -> None:
    scores, missed, extra = compare(expected, found)
    print(f"\n{title}")
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
        if s.targets:
            notes.append(f"resolved to the right clause {s.targets_right}/{s.targets}")
        print(
            f"{kind:<15}{s.expected:>8}{s.found:>8}{s.matched:>8}{s.precision:>10.1%}{s.recall:>9.1%}   "
            + ", ".join(notes)
        )
    p = total[2] / total[1] if total[1] else 1.0
    r = total[2] / total[0] if total[0] else 1.0
    print(f"{'all':<15}{total[0]:>8}{total[1]:>8}{total[2]:>8}{p:>10.1%}{r:>9.1%}")
    if misses:
        for heading, rows in (("reader only (missed)", missed), ("tool only (wrong)", extra)):
            print(f"\n{heading}: {len(rows)}")
            for e in rows:
                print("  " + e.line().replace("\t", " | "))


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
    _table("The five seeds (drafting/demo/seeds/citations.tsv)", expected, found, args.misses)
    sentences, reader = load_sentences()
    _table(
        f"Sentences of other ITU texts ({len(sentences)} sentences, "
        f"{sum(1 for s in sentences if not any(e.where == s.source for e in reader))} citing nothing; "
        "drafting/demo/seeds/citations-itu-sentences.txt)",
        reader,
        sentences_reading(sentences, parser),
        args.misses,
    )


if __name__ == "__main__":
    main()
