"""References inside a resolution's text: which clause "resolves 1 and 2 above" names, and keeping them right.

The parser reads them (kind ``INTERNAL`` of :mod:`drafting.engine.citations`); this module finds the
clause each names in the same text, and, when a proposal relabels items (an item added before
``resolves 1`` turns ``1`` into ``2``) or renumbers annexes, rewrites every reference to them in the
draft, as ITU drafters do by hand: "resolves ~~1 and 2~~ 2 and 3 above", "Annex ~~2~~ 1 to this
resolution", "§ ~~1~~ 2 above". A range is read and rewritten as a range: "resolves 1 to 3" names the
items from 1 to 3, those added between them included, and its ends follow the items at its ends (the
items left, when an end is suppressed). A reference to a suppressed item, or to an item the text does
not have, cannot be rewritten; it is returned for the drafter to settle (:func:`dangling` finds those of
an edition).

It works on any clause tree whose nodes have ``kind``, ``heading``, ``label`` and ``children``: an
edition's (:class:`drafting.engine.tree.Clause`) or a draft's (:class:`drafting.engine.amend.DraftClause`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from . import labels as lb
from .citations import _LABEL, INTERNAL, Citation, normalise, parse_citations
from .tree import ANNEX, ITEM, PART

ANNEXES = ("Annex", "Appendix", "Attachment")

SUPPRESSED = "suppressed"  # the item named is suppressed by the draft
MISSING = "missing"  # the text has no item of that name
UNLABELLED = "unlabelled"  # the item lost its label: the only paragraph left of its part has none

# "ANNEX 2", "Annex A (to Resolution 9)", "APPENDIX": the word, the number, and what follows.
_ANNEX_HEADING = re.compile(
    r"^(?P<word>\s*[A-Za-z]+)(?:(?P<space>\s+)(?P<n>\d{1,2}|[A-Z])\b)?(?P<rest>.*)$", re.S
)
_RANGE_AT_END = re.compile(rf"(?<![\w)])(?P<first>{_LABEL})(?P<sep>\s+to\s+|\s*[-–]\s*)(?P<last>{_LABEL})$")

_LABEL_AT_END = re.compile(rf"(?<![\w)])(?:{_LABEL})$")


def annex_number(heading: str) -> str:
    """ "ANNEX 2" -> "2", "Annex A" -> "A", "ANNEX" -> ""."""
    m = _ANNEX_HEADING.match(normalise(heading or ""))
    return (m.group("n") or "") if m else ""


def numbered_annex(heading: str, number: str) -> str:
    """The annex heading with its number set: "ANNEX 2" -> "ANNEX 1", "ANNEX" -> "ANNEX 1"."""
    m = _ANNEX_HEADING.match(heading or "")
    if m is None:
        return heading
    return f"{m.group('word')}{m.group('space') or ' '}{number}{m.group('rest')}"


def range_ends(number: str) -> tuple[str, str] | None:
    """ "1 to 3" -> ("1", "3"), "a)-c)" -> ("a)", "c)"); None for a single item."""
    m = _RANGE_AT_END.search(number)
    return (m.group("first"), m.group("last")) if m and m.start() == 0 else None


WHOLE = "resolution"  # what "this resolution" names: the whole text, no one clause

Node = Any  # a tree.Clause or an amend.DraftClause


# The Bureaux as references may abbreviate them ("instructs the Director of TSB 2 above").
_BUREAUX = [
    (re.compile(r"\bthe (?:itu )?telecommunication standardization bureau\b"), "tsb"),
    (re.compile(r"\bthe (?:itu )?telecommunication development bureau\b"), "bdt"),
    (re.compile(r"\bthe (?:itu )?radiocommunication bureau\b"), "br"),
]


def _heading(text: str) -> str:
    heading = re.sub(r"\s+", " ", normalise(text)).strip().rstrip(",:;").strip().lower()
    for full, short in _BUREAUX:
        heading = full.sub(short, heading)
    return heading


def find_part(
    named: str, clauses: Sequence[Node], heading: Callable[[Node], str] | None = None
) -> Node | None:
    """The part a reference names: by its heading as written, else the one heading it begins
    ("instructs the Director" for "instructs the Director of the Telecommunication Standardization Bureau")."""
    heading = heading or (lambda c: c.heading)
    parts = [c for c in clauses if c.kind == PART]
    wanted = _heading(named)
    exact = [p for p in parts if _heading(heading(p)) == wanted]
    if exact:
        return exact[0]
    # "further resolves" for "resolves further", "recognising" for "recognizing".
    swapped = [p for p in parts if _heading(heading(p)) in _variants(wanted)]
    if swapped:
        return swapped[0]
    # "instructs the Director of the Telecommunication Standardization Bureau, in collaboration with ...": the
    # part a reference names by the words its heading begins with.
    starting = [p for p in parts if re.match(rf"{re.escape(wanted)}[ ,]", _heading(heading(p)))]
    return starting[0] if len(starting) == 1 else None


def _variants(heading: str) -> set[str]:
    words = heading.split()
    out = {heading.replace("recognizing", "recognising"), heading.replace("recognising", "recognizing")}
    if len(words) >= 2 and words[0] in ("further", "also"):
        out.add(" ".join([*words[1:], words[0]]))
    if len(words) >= 2 and words[-1] in ("further", "also"):
        out.add(" ".join([words[-1], *words[:-1]]))
    return out


def _tokens(number: str) -> list[str]:
    """ "3 a)" -> ["3", "a)"]; "1.2" -> ["1.2"]; "b)bis" -> ["b)bis"]."""
    return re.findall(r"\d+[a-z]*(?:\.\d+[a-z]*)*|[a-z]+\s?[a-z]*\)[a-z]*", number)


def _child(children: Sequence[Node], token: str, label: Callable[[Node], str]) -> Node | None:
    wanted = lb.citation_form(token)
    for c in children:
        if c.kind == ITEM and label(c) and lb.citation_form(label(c)) == wanted:
            return c
    # "1.2" names the second item under 1 when the list is numbered so.
    return None


def resolve(
    ref: Citation,
    clauses: Sequence[Node],
    *,
    label: Callable[[Node], str] | None = None,
    heading: Callable[[Node], str] | None = None,
) -> Node | str | None:
    """The clause a reference inside the text names, :data:`WHOLE` for "this resolution", None if none.

    ``label``/``heading`` read a node's label and heading (a draft resolves against its base's).
    """
    if ref.kind != INTERNAL:
        return None
    label = label or (lambda c: c.label)
    heading = heading or (lambda c: c.heading)
    if ref.part == "this resolution":
        return WHOLE
    if ref.part in ANNEXES:
        annexes = [c for c in clauses if c.kind == ANNEX and heading(c)]
        if not ref.number:
            return annexes[0] if len(annexes) == 1 else None
        ends = range_ends(ref.number)
        wanted = ends or (ref.number, ref.number)
        found = [_annex(annexes, n, heading) for n in wanted]
        return found[0] if all(f is not None for f in found) else None
    ends = range_ends(ref.number)
    if ends is not None:
        # "resolves 1 to 3": the range's first item, when the text has both its ends.
        first, last = (replace(ref, number=end) for end in ends)
        named = [resolve(end, clauses, label=label, heading=heading) for end in (first, last)]
        return named[0] if all(n is not None for n in named) else None
    tokens = _tokens(ref.number)
    if not tokens:
        return None
    if ref.part == "§":
        # "§ 1": the numbered item of that label, the operative part's first.
        parts = [c for c in clauses if c.kind == PART]
        ordered = sorted(parts, key=lambda p: 0 if _heading(heading(p)).startswith("resolves") else 1)
        for p in ordered:
            found = _child(p.children, tokens[0], label)
            if found is not None:
                return found
        return None
    node = find_part(ref.part, clauses, heading)
    for token in tokens:
        if node is None:
            return None
        node = _child(node.children, token, label)
    return node


def _annex(annexes: Sequence[Node], number: str, heading: Callable[[Node], str]) -> Node | None:
    for i, a in enumerate(annexes, 1):
        written = annex_number(heading(a))
        if written == number or (not written and len(annexes) > 1 and str(i) == number):
            return a
    return None


def path_of(node: Node, parents: dict[int, Node], label: Callable[[Node], str] | None = None) -> str:
    """ "resolves 3 a)", "ANNEX 2", "resolution": how a reader names a resolved clause."""
    label = label or (lambda c: c.label)
    if isinstance(node, str):
        return node
    names = []
    while node is not None:
        names.append(node.heading if node.kind in (PART, ANNEX) else label(node))
        node = parents.get(id(node))
    return re.sub(r"\s+", " ", " ".join(reversed([n for n in names if n]))).strip().rstrip(",")


def parents_of(clauses: Sequence[Node]) -> dict[int, Node]:
    parents: dict[int, Node] = {}

    def visit(node: Node) -> None:
        for child in node.children:
            parents[id(child)] = node
            visit(child)

    for c in clauses:
        visit(c)
    return parents


def references_in(text: str) -> list[Citation]:
    """The references inside the text that name a part's item: what renumbering can change."""
    return [c for c in parse_citations(text) if c.kind == INTERNAL and c.part not in ("this resolution",)]


@dataclass
class Broken:
    """A reference the draft leaves pointing at nothing: the item it names is suppressed, or was never there."""

    clause: Node
    reference: Citation
    reason: str = SUPPRESSED  # SUPPRESSED or MISSING


def _label_span(text: str, ref: Citation) -> tuple[int, int]:
    """Where the label of a reference is written: the end of its text ("resolves 1" -> "1", "1 to 3")."""
    tail = normalise(text)[ref.start : ref.end]
    m = _RANGE_AT_END.search(tail) or _LABEL_AT_END.search(tail)
    if m is None:
        return ref.end, ref.end
    return ref.start + m.start(), ref.end


def _written_label(old_written: str, node: Node, parents: dict[int, Node]) -> str:
    """The new label of ``node`` in the form the reference wrote the old one ("3 a)", "b)", "2")."""
    parts = old_written.split()
    labels = []
    current = node
    for _ in parts:
        labels.append(current.label)
        current = parents.get(id(current))
        if current is None or current.kind != ITEM:
            break
    labels.reverse()
    if len(labels) != len(parts):
        return ""
    out = []
    for written, new in zip(parts, labels, strict=True):
        if not new:
            return ""
        out.append(new if written.endswith(")") or ")" in written else lb.citation_form(new))
    return " ".join(out)


def _same(a: str, b: str) -> bool:
    return lb.citation_form(a.replace(" ", "")) == lb.citation_form(b.replace(" ", ""))


def _new_range(
    ref: Citation, written: str, draft_clauses: Sequence[Node], parents: dict[int, Node], label, heading
) -> tuple[str, str | None]:
    """A range's new wording (its ends follow their items; an end suppressed closes on the items left), or why
    it names nothing now: ("1 to 4", None), ("", SUPPRESSED), ("", MISSING)."""
    m = _RANGE_AT_END.search(written)
    ends = range_ends(ref.number)
    if m is None or ends is None:
        return "", None
    first, last = (resolve(replace(ref, number=e), draft_clauses, label=label, heading=heading) for e in ends)
    if first is None or last is None or isinstance(first, str) or isinstance(last, str):
        return "", MISSING
    siblings = parents[id(first)].children if id(first) in parents else list(draft_clauses)
    if parents.get(id(first)) is not parents.get(id(last)) or first not in siblings or last not in siblings:
        return "", None  # ends in different lists: not a range the tool can follow
    i, j = siblings.index(first), siblings.index(last)
    left = [c for c in siblings[min(i, j) : max(i, j) + 1] if not _suppressed(c, parents)]
    inside = [c for c in left if c.label]
    if not inside:
        return "", UNLABELLED if left else SUPPRESSED
    low = _written_label(m.group("first"), inside[0], parents)
    high = _written_label(m.group("last"), inside[-1], parents)
    if not low or not high:
        return "", None
    if len(inside) == 1:
        return low, None
    sep = " to " if m.group("sep").strip() == "to" else "-"
    return f"{low}{sep}{high}", None


def follow_relabelling(draft) -> list[Broken]:
    """Rewrite, in every clause of a draft, the references to items the draft relabelled; return the broken ones.

    A reference is rewritten only where the clause still reads as the base did (the drafter did not
    write it anew): it names the base's item, by the base's labels. The part's name follows when the
    draft renamed the part ("considering a) above" -> "recalling a) above"); an annex's number follows the
    annex ("Annex 2" -> "Annex 1" when the first annex is suppressed). A reference the drafter wrote names the
    draft's own items: it is flagged when the draft has no such item.
    """
    moved = any(
        c.base is not None and (c.suppressed or c.label != c.base.label or c.heading != c.base.heading)
        for c, _ in draft.walk()
    ) or any(c.base is None for c, _ in draft.walk())
    base_label = lambda c: c.base.label if c.base is not None else ""  # noqa: E731
    base_heading = lambda c: c.base.heading if c.base is not None else ""  # noqa: E731
    # What the drafter's own references name: the draft's items as they now stand.
    parents = parents_of(draft.clauses)
    own_label = lambda c: "" if _suppressed(c, parents) else c.label  # noqa: E731
    own_heading = lambda c: "" if _suppressed(c, parents) else c.heading  # noqa: E731
    broken: list[Broken] = []
    for clause, _ in draft.walk():
        if clause.suppressed or not clause.text:
            continue
        if not moved and clause.base is not None and clause.text == clause.base.text:
            continue  # nothing moved and the clause reads as the base: every reference names what it named
        base_refs = (
            {(r.text, r.part, r.number) for r in references_in(clause.base.text)}
            if clause.base is not None
            else set()
        )
        text = clause.text
        edits: list[tuple[int, int, str]] = []
        for ref in references_in(text):
            if (ref.text, ref.part, ref.number) not in base_refs:
                # Written by the drafter, against the draft's own labels.
                if ref.pinpoint and resolve(ref, draft.clauses, label=own_label, heading=own_heading) is None:
                    broken.append(Broken(clause, ref, MISSING))
                continue
            target = resolve(ref, draft.clauses, label=base_label, heading=base_heading)
            if target is None or isinstance(target, str) or target.base is None:
                if target is None and ref.pinpoint:
                    broken.append(Broken(clause, ref, MISSING))
                continue
            start, end = _label_span(text, ref)
            old = normalise(text[start:end])
            if ref.part in ANNEXES:
                new, why = _new_annex(ref, draft.clauses, base_heading, parents)
            elif range_ends(ref.number) is not None:
                new, why = _new_range(ref, old, draft.clauses, parents, base_label, base_heading)
            elif _suppressed(target, parents):
                new, why = "", SUPPRESSED
            elif not target.label:
                new, why = "", UNLABELLED
            else:
                new, why = _written_label(old, target, parents), None
            if why is not None:
                broken.append(Broken(clause, ref, why))
                continue
            if new and not _same(new, old):
                edits.append((start, end, new))
            part = _part_of(target, parents)
            if (
                ref.part not in ANNEXES + ("§",)
                and part is not None
                and part.base is not None
                and _heading(part.heading) != _heading(part.base.heading)
                and _heading(text[ref.start : ref.start + len(ref.part)]) == _heading(part.base.heading)
            ):
                edits.append((ref.start, ref.start + len(ref.part), part.heading.strip().rstrip(",")))
        for start, end, new in sorted(set(edits), reverse=True):
            text = text[:start] + new + text[end:]
        clause.text = text
    return broken


def _new_annex(ref: Citation, clauses: Sequence[Node], base_heading, parents) -> tuple[str, str | None]:
    """An annex reference's new number(s), or why it names nothing now."""
    if not ref.number:
        return "", None
    annexes = [c for c in clauses if c.kind == ANNEX]
    ends = range_ends(ref.number) or (ref.number, ref.number)
    named = [_annex([a for a in annexes if base_heading(a)], n, base_heading) for n in ends]
    if any(n is None for n in named):
        return "", MISSING
    if ends[0] != ends[1]:
        i, j = annexes.index(named[0]), annexes.index(named[1])
        inside = [a for a in annexes[i : j + 1] if not a.suppressed]
        if not inside:
            return "", SUPPRESSED
        numbers = [annex_number(a.heading) for a in (inside[0], inside[-1])]
        if not all(numbers):
            return "", None
        sep = " to " if " to " in ref.number else "-"
        return (numbers[0] if len(inside) == 1 else f"{numbers[0]}{sep}{numbers[1]}"), None
    if named[0].suppressed:
        return "", SUPPRESSED
    return annex_number(named[0].heading), None


def dangling(clauses: Sequence[Node]) -> list[tuple[Node, Citation]]:
    """The references of a text that say they are its own ("above", "of this resolution") and name nothing in it.

    "resolves 5 above" where the text has no resolves 5: a slip an adopted edition can carry, flagged for
    the next revision. A reference with no such words ("resolves 5") may be another text's and is not listed.
    """
    out = []
    for clause in _walk(clauses):
        value = clause.heading if clause.kind == PART else clause.text
        for ref in references_in(value or ""):
            if ref.pinpoint and resolve(ref, clauses) is None:
                out.append((clause, ref))
    return out


def _walk(clauses: Sequence[Node]) -> Iterator[Node]:
    for c in clauses:
        yield c
        yield from _walk(c.children)


def _suppressed(node: Node, parents: dict[int, Node]) -> bool:
    while node is not None:
        if getattr(node, "suppressed", False):
            return True
        node = parents.get(id(node))
    return False


def _part_of(node: Node, parents: dict[int, Node]) -> Node | None:
    while node is not None and node.kind != PART:
        node = parents.get(id(node))
    return node
