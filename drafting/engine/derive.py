"""The amendments that turn a base text into a proposed text, matched clause by clause.

Used to rebuild proposals from documents that hold the whole proposed text (a
proposal whose marks were lost, a .docx): clauses are matched as editions are
(``match.carry_keys``); a matched clause whose words differ is modified, a
clause only the proposal has is added after its previous sibling (or as the
first child of its parent), and a base clause the proposal lacks is suppressed.
Labels are not compared: the tool renumbers by itself.
"""

from __future__ import annotations

import uuid

from .amend import ADD, AFTER, BEFORE, FIRST_CHILD, MODIFY, SUPPRESS, Amendment
from .match import carry_keys
from .tree import PART, Clause, ResolutionText


def derive_amendments(base: ResolutionText, proposed: ResolutionText) -> list[Amendment]:
    """Amendments, in an order the engine can apply, from ``base`` (with keys) to ``proposed``."""
    for clause, _ in proposed.walk():
        clause.key = ""
    carry_keys(base, proposed)
    amendments: list[Amendment] = []
    _siblings(base.clauses, proposed.clauses, None, amendments)
    return amendments


def _value(clause: Clause) -> str:
    return clause.heading if clause.kind == PART else clause.text


def _siblings(old: list[Clause], new: list[Clause], parent_key: str | None, out: list[Amendment]) -> None:
    kept = {c.key for c in new if c.key}
    by_key = {c.key: c for c in old}
    previous: str | None = None
    for clause in new:
        if clause.key and clause.key in by_key:
            base = by_key[clause.key]
            if _value(base) != _value(clause):
                out.append(
                    Amendment(
                        MODIFY,
                        clause.key,
                        text=clause.text,
                        heading=clause.heading if clause.kind == PART else "",
                    )
                )
            _siblings(base.children, clause.children, clause.key, out)
        else:
            clause.key = str(uuid.uuid4())
            if previous is not None:
                target, position = previous, AFTER
            elif parent_key is not None:
                target, position = parent_key, FIRST_CHILD
            else:
                target, position = old[0].key, BEFORE
            out.append(
                Amendment(
                    ADD,
                    target,
                    position,
                    key=clause.key,
                    kind=clause.kind,
                    label="" if clause.label else "¶",
                    heading=clause.heading,
                    text=clause.text,
                    role=clause.role,
                )
            )
            # Children of an added clause are added inside it, in order.
            _siblings([], clause.children, clause.key, out)
        previous = clause.key
    for base in old:
        if base.key not in kept:
            out.append(Amendment(SUPPRESS, base.key))
