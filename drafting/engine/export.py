"""An edition as JSON-ready data: the clause tree with each node's kind, label, text and children."""

from __future__ import annotations

from .tree import Clause, Footnote, ResolutionText


def _footnote(note: Footnote) -> dict:
    data = {"number": note.number, "text": note.text}
    if note.mark:
        data["mark"] = note.mark
    return data


def clause_data(clause: Clause) -> dict:
    data: dict = {"kind": clause.kind}
    if clause.kind == "part":
        data["role"] = clause.role
        data["heading"] = clause.heading
    elif clause.kind == "annex":
        data["heading"] = clause.heading
        data["title"] = clause.text
    else:
        data["label"] = clause.label
        data["text"] = clause.text
    if clause.key:
        data["key"] = clause.key
    data["footnotes"] = [_footnote(f) for f in clause.footnotes]
    data["children"] = [clause_data(c) for c in clause.children]
    return data


def resolution_data(resolution: ResolutionText) -> dict:
    return {
        "number": resolution.number,
        "revision": resolution.revision,
        "title": resolution.title,
        "history": resolution.history,
        "enacting_formula": resolution.enacting_formula,
        "footnotes": [_footnote(f) for f in resolution.footnotes],
        "clauses": [clause_data(c) for c in resolution.clauses],
    }
