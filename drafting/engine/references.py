"""References inside a resolution's text: which clause "resolves 1 and 2 above" names, and keeping them right.

The parser reads them (kind ``INTERNAL`` of :mod:`drafting.engine.citations`); this module finds the
clause each names in the same text, and, when a proposal relabels items (an item added before
``resolves 1`` turns ``1`` into ``2``), rewrites every reference to them in the draft, as ITU
drafters do by hand: "resolves ~~1 and 2~~ 2 and 3 above". A reference to a suppressed item cannot be
rewritten; it is returned for the drafter to settle.

It works on any clause tree whose nodes have ``kind``, ``heading``, ``label`` and ``children``: an
edition's (:class:`drafting.engine.tree.Clause`) or a draft's (:class:`drafting.engine.amend.DraftClause`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import labels as lb
from .citations import _LABEL, INTERNAL, Citation, normalise, parse_citations
from .tree import ANNEX, ITEM, PART

_LABEL_AT_END = re.compile(rf"(?<![\w)])(?:{_LABEL})$")

WHOLE = "resolution"  # what "this resolution" names: the whole text, no one clause

Node = Any  # a tree.Clause or an amend.DraftClause


def _heading(text: str) -> str:
    return re.sub(r"\s+", " ", normalise(text)).strip().rstrip(",:;").strip().lower()


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
    starting = [p for p in parts if _heading(heading(p)).startswith(wanted + " ")]
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
    if ref.part in ("Annex", "Appendix", "Attachment"):
        annexes = [c for c in clauses if c.kind == ANNEX]
        if not ref.number:
            return annexes[0] if len(annexes) == 1 else None
        for i, a in enumerate(annexes, 1):
            written = re.sub(r"\s+", " ", heading(a)).strip().split(" ")
            if written[-1:] == [ref.number] or (len(written) == 1 and str(i) == ref.number):
                return a
        return None
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
    """A reference the draft leaves pointing at nothing: the item it names is suppressed."""

    clause: Node
    reference: Citation


def _label_span(text: str, ref: Citation) -> tuple[int, int]:
    """Where the label of a reference is written: the end of its text ("resolves 1" -> "1")."""
    tail = normalise(text)[ref.start : ref.end]
    m = _LABEL_AT_END.search(tail)
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


def follow_relabelling(draft) -> list[Broken]:
    """Rewrite, in every clause of a draft, the references to items the draft relabelled; return the broken ones.

    A reference is rewritten only where the clause still reads as the base did (the drafter did not
    write it anew): it names the base's item, by the base's labels. The part's name follows when the
    draft renamed the part ("considering a) above" -> "recalling a) above").
    """
    moved = any(
        c.base is not None and (c.suppressed or c.label != c.base.label or c.heading != c.base.heading)
        for c, _ in draft.walk()
    )
    if not moved:
        return []  # no label, part name or item changed: every reference still names what it named
    base_label = lambda c: c.base.label if c.base is not None else ""  # noqa: E731
    base_heading = lambda c: c.base.heading if c.base is not None else ""  # noqa: E731
    parents = parents_of(draft.clauses)
    broken: list[Broken] = []
    for clause, _ in draft.walk():
        if clause.suppressed or clause.base is None or not clause.text:
            continue
        base_refs = {(r.text, r.part, r.number) for r in references_in(clause.base.text)}
        if not base_refs:
            continue
        text = clause.text
        edits: list[tuple[int, int, str]] = []
        for ref in references_in(text):
            if (ref.text, ref.part, ref.number) not in base_refs:
                continue  # written by the drafter, against the draft's own labels
            target = resolve(ref, draft.clauses, label=base_label, heading=base_heading)
            if target is None or isinstance(target, str) or target.base is None:
                continue
            if _suppressed(target, parents):
                broken.append(Broken(clause, ref))
                continue
            if ref.part in ("Annex", "Appendix", "Attachment", "§"):
                continue
            start, end = _label_span(text, ref)
            old = normalise(text[start:end])
            new = _written_label(old, target, parents)
            if new and lb.citation_form(new.replace(" ", "")) != lb.citation_form(old.replace(" ", "")):
                edits.append((start, end, new))
            part = _part_of(target, parents)
            if (
                part is not None
                and part.base is not None
                and _heading(part.heading) != _heading(part.base.heading)
                and normalise(text[ref.start : ref.start + len(ref.part)]).lower()
                == _heading(part.base.heading)
            ):
                edits.append((ref.start, ref.start + len(ref.part), part.heading.strip().rstrip(",")))
        for start, end, new in sorted(set(edits), reverse=True):
            text = text[:start] + new + text[end:]
        clause.text = text
    return broken


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
