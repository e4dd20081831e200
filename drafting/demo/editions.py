"""Synthetic next editions of a real resolution, and which clause each one continues.

For measuring and testing clause identity: a real edition is edited the ways
assemblies edit resolutions (items moved to another part, split in two,
reworded, new items inserted and the lists renumbered, items dropped, a part
renamed, a part's only paragraph rewritten), and every clause of the result
knows which clause of the original it continues, by construction. Plain Python
on the engine's trees; ``random.Random`` makes each edition reproducible.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field

from drafting.engine import labels as lb
from drafting.engine.anchors import assign_anchors
from drafting.engine.tree import ITEM, PREAMBLE, Clause, ResolutionText

MOVE = "move"
SPLIT = "split"
REWORD = "reword"
INSERT = "insert"
REMOVE = "remove"
RENAME = "rename"
LONE = "lone"  # a part's only paragraph rewritten
EDITS = (MOVE, SPLIT, REWORD, INSERT, REMOVE, RENAME, LONE)

# Items an assembly might add: real sentences from the seed proposals.
NEW_ITEMS = [
    "the Geneva Declaration of Principles and Plan of Action and Tunis Commitment and Tunis Agenda for the "
    "Information Society as inter-governmentally agreed global documents on information and communication "
    "technologies;",
    "the outputs of the relevant ITU-T study groups, particularly ITU-T SG15 and its follow-up on WSIS resolutions;",
    "that Resolution 140 (Rev. Bucharest, 2022) called for the ITU to allocate adequate resources to its "
    "activities, including WSIS staff and financial resources;",
    "the input submitted by the ITU on the Global Digital Compact, reflecting the ITU's mandate;",
    "to actively contribute to the WSIS+20 High-Level Event 2025 in Geneva;",
    "Resolution 214 (Bucharest, 2022) of the Plenipotentiary Conference, on artificial intelligence technologies "
    "and telecommunications/information and communication technologies;",
    "the successful coordination between the WSIS+20 Forum High-Level Event and the AI for Good Global Summit;",
    "that WSIS is an integral and dynamic process which has evolved over the years to be in keeping with "
    "technology changes;",
]
_RENAMES = {
    "considering": "recalling",
    "recalling": "considering",
    "noting": "noting further",
    "recognizing": "recognizing also",
    "taking into account": "bearing in mind",
}
_FILLER = "relevant further all its continued overall effective appropriate inclusive global regional".split()


def keyed(text: ResolutionText, prefix: str = "") -> ResolutionText:
    """The text with every clause keyed by its anchor (``considering-e-viii``), for reading the pairs back."""
    anchors = assign_anchors(text)
    for clause, _ in text.walk():
        clause.key = prefix + anchors[id(clause)]
    return text


@dataclass
class Edited:
    """A next edition: its clauses (keys cleared) and, for each, the key of the clause it continues."""

    text: ResolutionText
    continues: dict[int, str]  # id(new clause) -> old key; new clauses are not in it
    touched: set[str] = field(default_factory=set)  # old keys the edits moved, split, reworded or dropped
    edits: list[str] = field(default_factory=list)


def _items(text: ResolutionText, *, depth: int | None = None) -> list[tuple[Clause, Clause]]:
    """(item, parent) pairs; at one depth below the parts when ``depth`` is 1."""
    found = []

    def walk(parent: Clause, level: int) -> None:
        for child in parent.children:
            if child.kind == ITEM and (depth is None or level == depth):
                found.append((child, parent))
            walk(child, level + 1)

    for clause in text.clauses:
        walk(clause, 1)
    return found


def _words(text: str) -> list[str]:
    return text.split(" ")


def _reword(text: str, rng: random.Random, share: float) -> str:
    """About ``share`` of the words changed (numbers and citations kept: they are what the text is about)."""
    words = _words(text)
    changeable = [i for i, w in enumerate(words) if w.isalpha() and w.islower() and len(w) > 2]
    for i in rng.sample(changeable, k=min(len(changeable), max(1, round(len(words) * share)))):
        if rng.random() < 0.5:
            words[i] = rng.choice(_FILLER)
        else:
            words[i] = words[i] + " " + rng.choice(_FILLER)
    return " ".join(words)


def _renumber(text: ResolutionText) -> None:
    """Every list labelled again in order, as an edition is printed."""
    for clause, _ in list(text.walk()):
        labelled = [c for c in clause.children if c.kind == ITEM and c.label]
        if len(labelled) < 2:
            continue
        kinds = lb.kinds_of(labelled[0].label) - {lb.NONE}
        kind = (
            lb.ROMAN
            if labelled[0].label == "i)"
            and lb.ROMAN in kinds
            and len(labelled) > 1
            and (labelled[1].label == "ii)")
            else next(iter(sorted(kinds)), lb.NUMBER)
        )
        if kind in (lb.DASH, lb.BULLET):
            continue
        for n, child in enumerate(labelled, start=1):
            child.label = lb.make_label(kind, n)


def next_edition(previous: ResolutionText, rng: random.Random, edits: dict[str, int]) -> Edited:
    """``previous`` (keyed) edited ``edits[kind]`` times of each kind, lists renumbered; keys cleared."""
    text = copy.deepcopy(previous)
    touched: set[str] = set()
    done: list[str] = []
    for kind in EDITS:
        for _ in range(edits.get(kind, 0)):
            if _edit(text, rng, kind, touched):
                done.append(kind)
    _renumber(text)
    continues = {id(c): c.key for c, _ in text.walk() if c.key}
    for clause, _ in text.walk():
        clause.key = ""
    return Edited(text, continues, touched, done)


def _edit(text: ResolutionText, rng: random.Random, kind: str, touched: set[str]) -> bool:
    parts = [p for p in text.parts]
    top = [(c, p) for c, p in _items(text, depth=1) if c.key not in touched and not c.children]
    if kind == MOVE:
        if not top:
            return False
        item, parent = rng.choice(top)
        others = [p for p in parts if p is not parent and p.role == parent.role and p.children]
        if not others or len(parent.children) < 2:
            return False
        parent.children.remove(item)
        destination = rng.choice(others)
        destination.children.insert(rng.randrange(len(destination.children) + 1), item)
        if not item.label and any(c.label for c in destination.children):
            item.label = "a)"  # labelled again below
        touched.add(item.key)
        return True
    if kind == SPLIT:
        long = [(c, p) for c, p in top if len(_words(c.text)) >= 20 and c.label]
        if not long:
            return False
        item, parent = rng.choice(long)
        words = _words(item.text)
        cut = round(len(words) * rng.uniform(0.55, 0.7))
        second = Clause(ITEM, label=item.label, text=" ".join(words[cut:]))
        item.text = " ".join(words[:cut]).rstrip(",;") + ";"
        parent.children.insert(parent.children.index(item) + 1, second)
        touched.add(item.key)
        return True
    if kind == REWORD:
        candidates = [(c, p) for c, p in _items(text) if c.key not in touched and len(_words(c.text)) >= 8]
        if not candidates:
            return False
        item, _ = rng.choice(candidates)
        item.text = _reword(item.text, rng, rng.uniform(0.2, 0.4))
        touched.add(item.key)
        return True
    if kind == INSERT:
        lists = [p for p in parts if any(c.label for c in p.children)]
        if not lists:
            return False
        parent = rng.choice(lists)
        label = parent.children[0].label or "a)"
        at = rng.randrange(len(parent.children) + 1)
        parent.children.insert(at, Clause(ITEM, label=label, text=rng.choice(NEW_ITEMS)))
        return True
    if kind == REMOVE:
        if not top:
            return False
        item, parent = rng.choice(top)
        if len(parent.children) < 3:
            return False
        parent.children.remove(item)
        touched.add(item.key)
        return True
    if kind == RENAME:
        candidates = [
            p for p in parts if p.heading in _RENAMES and p.role == PREAMBLE and p.key not in touched
        ]
        taken = {p.heading for p in parts}
        candidates = [p for p in candidates if _RENAMES[p.heading] not in taken]
        if not candidates:
            return False
        part = rng.choice(candidates)
        part.heading = _RENAMES[part.heading]
        touched.add(part.key)
        return True
    if kind == LONE:
        lone = [p for p in parts if len(p.children) == 1 and p.children[0].key not in touched]
        if not lone:
            return False
        item = rng.choice(lone).children[0]
        item.text = _reword(item.text, rng, 0.7)
        touched.add(item.key)
        return True
    raise ValueError(kind)
