"""Knowing one provision across editions, as a careful reader pairs them.

When a new edition is imported as text, its clauses carry no identity; this
pairs them with the previous edition's clauses, so that "considering b)" of
2012 and the same provision relabelled "considering e)" in 2016 share one key.

A reader pairs clauses by what identifies an ITU provision: its words, the
resolutions it cites (Resolution 140 stays Resolution 140 whatever its edition
year; a clause about Resolution 172 is not the one about Resolution 140), its
label and place, and the part it stands in. The pairs are one global
assignment over the whole tree, not a walk down matched parents, so an item
moved from "recognizing" to "recognizing further" keeps its identity; and it
is a maximum-weight matching whose weight grows faster than the score above a
floor, so one strong pair beats two that barely clear the floor (which a sum
of similarities would prefer). A part's only paragraph continues in the
paired part's only paragraph, however it was reworded.

The matching is the Hungarian algorithm on each connected group of candidate
pairs (a few clauses each, in practice), on scores computed once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from .diff import tokens
from .tree import ANNEX, ITEM, PART, Clause, ResolutionText

# Below this score two clauses are not the same provision, however the rest of the tree pairs.
THRESHOLD = 0.5
# The weight of a pair is its score's excess over the floor (plus this), to the power 1.5: convex,
# so a pair at 0.76 outweighs two at 0.53 and 0.58, while two pairs at 0.8 still outweigh one at 0.95.
_EXCESS = 0.05
_POWER = 1.5

# Context, added to the words' score: the parents are the same provision, the label is the same,
# the place in the list is the same.
_SAME_PARENT = 0.08
_SAME_LABEL = 0.04
_SAME_PLACE = 0.04
# The resolutions a clause cites: the same first one, or none in common.
_SAME_SUBJECT = 0.15
_SAME_PARAGRAPH = 0.05
_OTHER_SUBJECT = 0.6  # a factor
# A part's only paragraph and the paired part's only paragraph.
_LONE = 0.9

_NON_WORD = re.compile(r"^\W+$")
# Characters a reader does not tell apart here (replaced one by one: faster than str.translate).
_FOLD = (("\u2011", "-"), ("\u2010", "-"), ("\u2013", "-"), ("\u2019", "'"), ("\u00a0", " "))
_FOOTNOTE = re.compile(r"\[\^\d+\]")

# What a clause cites: "Resolution 140", "Resolutions 101, 102 and 133", "Resolution ITU-R 61-3",
# "Resolution A/70/125", "Decision 562", "Recommendation ITU-T X.1205", "§ 68", "§§ 69-71".
_CITED = re.compile(
    r"\b(?P<kind>Resolution|Decision|Recommendation|Opinion)s?\s+"
    r"(?P<first>(?:ITU-[RTD]\s+)?(?:A/(?:RES/)?)?[A-Z]?\d+(?:[./]\d+)*(?:-\d+)?)"
    r"(?P<more>(?:\s*(?:,|and)\s*\d+(?![\d/]))*)",
    re.IGNORECASE,
)
_PARAGRAPHS = re.compile(r"§§?\s*(\d+)(?:\s*(?:-|to)\s*(\d+))?")


def _fold(text: str) -> str:
    text = _FOOTNOTE.sub("", text) if "[^" in text else text
    for char, plain in _FOLD:
        if char in text:
            text = text.replace(char, plain)
    return text


def _words(text: str) -> list[str]:
    return [t.lower() for t in tokens(_fold(text)) if not t.isspace() and not _NON_WORD.match(t)]


def cited(text: str) -> list[str]:
    """What the text cites, in order: ``res:140``, ``res:itu-r 61``, ``dec:562``, ``§:68`` (no editions, no years)."""
    text = _fold(text)
    found: list[tuple[int, str]] = []
    for m in _CITED.finditer(text):
        kind = m.group("kind").lower()[:3]
        first = re.sub(r"^A/(?:RES/)?", "", m.group("first"), flags=re.IGNORECASE)
        found.append((m.start(), f"{kind}:{first.lower()}"))
        found.extend((m.start(), f"{kind}:{n}") for n in re.findall(r"\d+", m.group("more")))
    for m in _PARAGRAPHS.finditer(text):
        low, high = int(m.group(1)), int(m.group(2) or m.group(1))
        found.extend((m.start(), f"§:{n}") for n in range(low, min(high, low + 20) + 1))
    seen: dict[str, None] = {}
    for _, name in sorted(found, key=lambda f: f[0]):
        seen.setdefault(name, None)
    return list(seen)


_OPENING = re.compile(
    r"^(?:the\s+|(?:UNGA|PP|Council|WTDC|WTSA|ITU|RA|Plenipotentiary)\s+(?:\d{4}\s+)?)*(?=(?:Resolution|Decision|Recommendation|Opinion)s?\s)",
    re.IGNORECASE,
)


def _lead(text: str) -> str:
    """The text the clause is about when it opens by citing it: "Resolution 71 (Rev. Busan, 2014) ..."."""
    folded = _fold(text).strip()
    m = _OPENING.match(folded)
    if m is None:
        return ""
    found = cited(folded[m.end() :])
    return found[0] if found else ""


@dataclass(eq=False)
class _Node:
    clause: Clause
    parent: _Node | None
    place: int  # among its parent's children
    places: int  # how many children its parent has
    words: list[str] = field(default_factory=list)
    bag: dict[str, int] = field(default_factory=dict)
    cites: list[str] = field(default_factory=list)
    lead: str = ""  # what the clause opens with citing, when it is about that text
    items: list[_Node] = field(default_factory=list)  # every item below it, for parts and annexes

    @property
    def kind(self) -> str:
        return self.clause.kind


@lru_cache(maxsize=8192)
def _read(kind: str, heading: str, text: str) -> tuple[list[str], dict[str, int], list[str], str]:
    """A clause's words, their counts, what it cites and what it opens by citing: once per text
    (an edition's texts come back at every import, comparison and rebase preview)."""
    if kind == PART:
        words = _words(heading)
    elif kind == ANNEX:
        words = _words(heading + " " + text)
    else:
        words = _words(text)
    cites, lead = (cited(text), _lead(text)) if kind == ITEM else ([], "")
    return words, dict(Counter(words)), cites, lead


def _nodes(roots: list[Clause]) -> list[_Node]:
    """The tree's clauses with their places; their words are read only for those that may pair."""
    out: list[_Node] = []

    def walk(children: list[Clause], parent: _Node | None) -> None:
        for place, clause in enumerate(children):
            node = _Node(clause, parent, place, len(children))
            out.append(node)
            walk(clause.children, node)

    walk(roots, None)
    for node in out:
        if node.kind == ITEM:
            up = node.parent
            while up is not None:
                up.items.append(node)
                up = up.parent
    return out


def _read_node(node: _Node) -> None:
    node.words, node.bag, node.cites, node.lead = _read(node.kind, node.clause.heading, node.clause.text)


def _ratio(a: _Node, b: _Node, matcher: SequenceMatcher) -> float:
    if a.words == b.words:
        return 1.0 if a.words else 0.0
    total = len(a.words) + len(b.words)
    if not total:
        return 0.0
    # The words both have, order aside, bound the ratio from above (difflib's quick_ratio).
    if 2 * min(len(a.words), len(b.words)) < 0.3 * total:
        return 0.0
    shared = a.bag.keys() & b.bag.keys()
    if 2 * sum(min(a.bag[w], b.bag[w]) for w in shared) < 0.3 * total:
        return 0.0
    matcher.set_seq1(a.words)
    return matcher.ratio()


def _anchored(score: float, a: _Node, b: _Node) -> float:
    """The words' score, moved by what the two clauses cite.

    The same first citation confirms the pair (a paragraph of the Tunis Agenda less than a
    resolution: many clauses cite it); nothing cited in common, or a clause that opens with what it
    cites ("Decision 562 of the 2011 session ...", "Resolution 172 (Guadalajara, 2010) ...") beside
    one that does not cite it at all, are two provisions about different texts.
    """
    if a.lead and a.lead not in b.cites or b.lead and b.lead not in a.cites:
        return score * _OTHER_SUBJECT
    if not a.cites or not b.cites:
        return score
    if a.cites[0] == b.cites[0]:
        return min(1.0, score + (_SAME_PARAGRAPH if a.cites[0].startswith("§") else _SAME_SUBJECT))
    if not set(a.cites) & set(b.cites):
        return score * _OTHER_SUBJECT
    return score


def similarity(a: Clause, b: Clause) -> float:
    """How alike two clauses' words are, moved by what they cite (0 to 1; parts by their headings)."""
    if a.kind != b.kind:
        return 0.0
    x, y = _Node(a, None, 0, 1), _Node(b, None, 0, 1)
    _read_node(x)
    _read_node(y)
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(y.words)
    score = _ratio(x, y, matcher)
    return _anchored(score, x, y) if a.kind == ITEM else score


def pair_weight(score: float) -> float:
    """What a pair of this score weighs in the assignment: nothing below the floor, convex above it."""
    return (score - THRESHOLD + _EXCESS) ** _POWER if score >= THRESHOLD else 0.0


def assign(weights: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """The pairs (row, column) of greatest total weight, each row and column at most once.

    ``weights`` holds the candidate pairs only (weight > 0); each connected group of them is
    solved apart by the Hungarian algorithm, so the cost follows the groups, not the whole tree.
    """
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in weights:
        parent[find(("r", i))] = find(("c", j))
    groups: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for i, j in weights:
        groups.setdefault(find(("r", i)), []).append((i, j))
    pairs: list[tuple[int, int]] = []
    for edges in groups.values():
        if len(edges) == 1:
            pairs.extend(edges)
            continue
        rows = sorted({i for i, _ in edges})
        cols = sorted({j for _, j in edges})
        matrix = [[weights.get((i, j), 0.0) for j in cols] for i in rows]
        for r, c in _hungarian(matrix):
            if matrix[r][c] > 0:
                pairs.append((rows[r], cols[c]))
    return sorted(pairs)


def _hungarian(weights: list[list[float]]) -> list[tuple[int, int]]:
    """Maximum-weight assignment of a dense matrix (rows to columns), with potentials: O(n² m)."""
    flipped = len(weights) > len(weights[0])
    if flipped:
        weights = [list(col) for col in zip(*weights, strict=True)]
    n, m = len(weights), len(weights[0])
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    owner, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0], j0 = i, 0
        least, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            row = weights[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -row[j - 1] - u[i0] - v[j]
                    if cur < least[j]:
                        least[j], way[j] = cur, j0
                    if least[j] < delta:
                        delta, j1 = least[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs = [(owner[j] - 1, j - 1) for j in range(1, m + 1) if owner[j]]
    return [(c, r) for r, c in pairs] if flipped else pairs


class _Identity:
    """Scores between the clauses of two trees, and the pairs they make."""

    def __init__(
        self,
        old: list[_Node],
        new: list[_Node],
        known: dict[int, int],
        old_free: set[str] | None = None,
        new_free: set[str] | None = None,
    ) -> None:
        self.old, self.new = old, new
        self.known = dict(known)  # old node index -> new node index, given
        taken = set(self.known.values())
        # Only these may be paired (the others are context): all those not known, by default.
        free_old = [i for i in range(len(old)) if i not in self.known and _free(old[i], old_free)]
        free_new = [j for j in range(len(new)) if j not in taken and _free(new[j], new_free)]
        for i in free_old:
            _read_node(old[i])
        for j in free_new:
            _read_node(new[j])
        self.identical = self._identical(old, new, free_old, free_new)
        self.known.update(self.identical)
        self.free_old = [i for i in free_old if i not in self.identical]
        matched = set(self.identical.values())
        self.free_new = [j for j in free_new if j not in matched]
        self.index_old = {id(n): i for i, n in enumerate(old)}
        self.index_new = {id(n): j for j, n in enumerate(new)}
        self.words: dict[tuple[int, int], float] = {}

    @staticmethod
    def _identical(
        old: list[_Node], new: list[_Node], free_old: list[int], free_new: list[int]
    ) -> dict[int, int]:
        """Clauses whose words are found once on each side, the same: paired before anything is scored."""

        def unique(nodes: list[_Node], free: list[int]) -> dict[tuple, int]:
            seen: dict[tuple, int] = {}
            for i in free:
                n = nodes[i]
                if not n.words:
                    continue
                sign = (n.kind, n.clause.role, tuple(n.words))
                seen[sign] = -1 if sign in seen else i
            return {sign: i for sign, i in seen.items() if i >= 0}

        olds, news = unique(old, free_old), unique(new, free_new)
        return {i: news[sign] for sign, i in olds.items() if sign in news}

    def item_words(self) -> None:
        """The words' score of every candidate pair of items, anchored by what they cite."""
        olds = [i for i in self.free_old if self.old[i].kind == ITEM]
        news = [j for j in self.free_new if self.new[j].kind == ITEM]
        matcher = SequenceMatcher(None, autojunk=False)
        for j in news:
            b = self.new[j]
            matcher.set_seq2(b.words)
            for i in olds:
                score = _anchored(_ratio(self.old[i], b, matcher), self.old[i], b)
                if score > 0:
                    self.words[i, j] = score

    def pairs_of(self, weights: dict[tuple[int, int], float]) -> dict[int, int]:
        return dict(assign(weights))

    def same_parent(self, a: _Node, b: _Node, paired: dict[int, int]) -> bool:
        if a.parent is None or b.parent is None:
            return a.parent is None and b.parent is None
        i = self.index_old[id(a.parent)]
        return paired.get(i) == self.index_new[id(b.parent)]

    def item_scores(self, paired: dict[int, int]) -> dict[tuple[int, int], float]:
        """Items' scores in their context: the words, then the parents, labels and places."""
        scores: dict[tuple[int, int], float] = {}
        for (i, j), words in self.words.items():
            a, b = self.old[i], self.new[j]
            score = words
            if self.same_parent(a, b, paired):
                score += _SAME_PARENT
                if a.places == 1 and b.places == 1:
                    score = max(score, _LONE)  # the part's only paragraph, however reworded
                if a.place == b.place or a.places - a.place == b.places - b.place:
                    score += _SAME_PLACE
            if a.clause.label and a.clause.label == b.clause.label:
                score += _SAME_LABEL
            scores[i, j] = score
        # Lone paragraphs of paired parents pair even when their words have nothing in common.
        for i in self.free_old:
            a = self.old[i]
            if a.kind != ITEM or a.places != 1 or a.parent is None:
                continue
            j = paired.get(self.index_old[id(a.parent)])
            if j is None:
                continue
            lone = [c for c in self.new[j].clause.children]
            if len(lone) == 1 and lone[0].kind == ITEM:
                k = next((k for k in self.free_new if self.new[k].clause is lone[0]), None)
                if k is not None:
                    scores[i, k] = max(scores.get((i, k), 0.0), _LONE)
        return scores

    def container_scores(self, items: dict[int, int]) -> dict[tuple[int, int], float]:
        """Parts and annexes: known by their heading, else by the items they hold."""
        scores: dict[tuple[int, int], float] = {}
        olds = [i for i in self.free_old if self.old[i].kind in (PART, ANNEX)]
        news = [j for j in self.free_new if self.new[j].kind in (PART, ANNEX)]
        pairs = {**self.known, **items}
        matcher = SequenceMatcher(None, autojunk=False)
        for j in news:
            b = self.new[j]
            matcher.set_seq2(b.words)
            held_b = {self.index_new[id(n)] for n in b.items}
            for i in olds:
                a = self.old[i]
                if a.kind != b.kind:
                    continue
                heading = _ratio(a, b, matcher)
                # A preamble part is not an operative one, unless it is the same heading said again.
                if a.kind == PART and a.clause.role != b.clause.role and heading < 1.0:
                    continue
                shared = sum(1 for n in a.items if pairs.get(self.index_old[id(n)]) in held_b)
                content = 2 * shared / (len(a.items) + len(b.items)) if a.items or b.items else 0.0
                if heading == 1.0:
                    score = 0.9 + 0.1 * content
                else:
                    score = max(0.6 * heading + 0.4 * content, 0.8 * content)
                if score > 0:
                    scores[i, j] = score
        return scores

    def solve(self) -> dict[int, int]:
        self.item_words()
        # Items first on their words alone, to know which parts hold the same items; then the
        # parts; then the items again in their context, twice so nested items see their parents.
        items = self.pairs_of({k: pair_weight(s) for k, s in self.words.items() if pair_weight(s) > 0})
        containers = self.pairs_of(
            {k: pair_weight(s) for k, s in self.container_scores(items).items() if pair_weight(s) > 0}
        )
        for _ in range(2):
            paired = {**self.known, **containers, **items}
            scores = self.item_scores(paired)
            items = self.pairs_of({k: pair_weight(s) for k, s in scores.items() if pair_weight(s) > 0})
        return {**self.identical, **containers, **items}


def _free(node: _Node, allowed: set[str] | None) -> bool:
    return allowed is None or node.clause.key in allowed


def pair_clauses(
    old: Iterable[Clause],
    new: Iterable[Clause],
    *,
    known: dict[str, str] | None = None,
    old_free: set[str] | None = None,
    new_free: set[str] | None = None,
) -> list[tuple[Clause, Clause]]:
    """The clauses of two trees a careful reader takes for the same provisions, as (old, new) pairs.

    ``known`` maps old keys to new keys already known to be the same provision: they are left out
    of the assignment but count as context (the parents of what is paired). ``old_free`` and
    ``new_free``, when given, are the keys that may be paired at all.
    """
    old_nodes, new_nodes = _nodes(list(old)), _nodes(list(new))
    known_index: dict[int, int] = {}
    if known:
        new_by_key = {n.clause.key: j for j, n in enumerate(new_nodes) if n.clause.key}
        for i, n in enumerate(old_nodes):
            j = new_by_key.get(known.get(n.clause.key, "")) if n.clause.key else None
            if j is not None:
                known_index[i] = j
    found = _Identity(old_nodes, new_nodes, known_index, old_free, new_free).solve()
    return [(old_nodes[i].clause, new_nodes[j].clause) for i, j in sorted(found.items())]


def carry_keys(previous: ResolutionText, current: ResolutionText) -> None:
    """Give the clauses of ``current`` the keys of the clauses they continue in ``previous``."""
    for old, new in pair_clauses(previous.clauses, current.clauses):
        new.key = old.key
