"""Applying a group's amendments to a base edition: the proposed text, with marks.

An amendment modifies a clause's text or a part's heading, adds a clause at a
position (before or after a clause, or as its first child), or suppresses a
clause. Applying them gives a *draft tree*: every clause of the base and every
added clause, each knowing its base and proposed label, heading and text.
The tool then relabels the lists that changed (an item added after ``b)``
turns the old ``c)`` into ``d)``) and moves the closing punctuation (``;``
between items, ``,`` at the end of a part, ``.`` at the end of the resolution)
to follow the new structure, both shown as marks the way ITU documents show
them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import labels as lb
from .diff import Segment, diff_words
from .references import annex_number, follow_relabelling, numbered_annex
from .said import gettext_noop
from .tree import ANNEX, FRONT, ITEM, PART, Clause, Footnote, ResolutionText

MODIFY = "modify"
ADD = "add"
SUPPRESS = "suppress"

BEFORE = "before"
AFTER = "after"
FIRST_CHILD = "first_child"
LAST_CHILD = "last_child"

# How an addition is numbered: the items after it are renumbered (what resolutions do), or it
# takes its predecessor's label with a Latin suffix and nothing is renumbered (``3bis`` after ``3``,
# what the Rules of procedure and the Radio Regulations do).
RENUMBER = ""
BIS = "bis"

# A label typed as this means "an unlabelled paragraph", as opposed to "" which lets the tool number it.
UNLABELLED = "¶"


class AmendmentError(ValueError):
    """An amendment that cannot apply to this base text."""


@dataclass
class Amendment:
    """One change to the base text, addressed by provision keys."""

    action: str
    target: str  # key of the clause changed, or of the clause an addition is placed against
    position: str = ""  # for additions: before, after, first_child, last_child
    key: str = ""  # for additions: the key of the new clause, so later amendments can address it
    kind: str = ITEM  # for additions: item or part
    # For additions and modifications of items: "" to let the tool number it, "¶" for an unlabelled
    # paragraph, anything else is a label set by hand and kept as written.
    label: str = ""
    heading: str = ""
    text: str = ""
    role: str = ""
    numbering: str = RENUMBER  # for additions: RENUMBER or BIS


@dataclass
class DraftClause:
    """A clause of the proposed text, beside what the base edition had."""

    kind: str
    key: str
    base: Clause | None  # None for an added clause
    label: str = ""
    heading: str = ""
    text: str = ""
    role: str = ""
    footnotes: list[Footnote] = field(default_factory=list)
    suppressed: bool = False
    children: list[DraftClause] = field(default_factory=list)
    parent: DraftClause | None = field(default=None, repr=False)
    label_fixed: bool = False  # a label set by hand: kept as written, the others number around it
    insert_bis: bool = (
        False  # an addition labelled after its predecessor with a suffix (3bis), no renumbering
    )

    @property
    def added(self) -> bool:
        return self.base is None

    @property
    def base_label(self) -> str:
        return self.base.label if self.base else ""

    @property
    def changed(self) -> bool:
        if self.added or self.suppressed:
            return True
        return (self.label, self.heading, self.text) != (self.base.label, self.base.heading, self.base.text)

    def label_marks(self) -> list[Segment]:
        old = "" if self.added else self.base.label
        new = "" if self.suppressed else self.label
        if old == new:
            return [("equal", new)] if new else []
        return [s for s in (("delete", old), ("insert", new)) if s[1]]

    def heading_marks(self) -> list[Segment]:
        return self._marks(self.base.heading if self.base else "", self.heading)

    def text_marks(self) -> list[Segment]:
        return self._marks(self.base.text if self.base else "", self.text)

    def _marks(self, old: str, new: str) -> list[Segment]:
        if self.added:
            return [("insert", new)] if new else []
        if self.suppressed:
            return [("delete", old)] if old else []
        return diff_words(old, new)

    def walk(self, depth: int = 0):
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass
class DraftResolution:
    base: ResolutionText
    clauses: list[DraftClause]
    problems: list[str] = field(default_factory=list)  # amendments that no longer apply
    # References inside the text left naming a suppressed item ("resolves 3 above"), for the drafter.
    broken_references: list = field(default_factory=list)
    # The front lines a proposal can change (the title), as clauses of the draft: amended, marked,
    # consolidated and adopted like any other, by their own identity. Not in ``walk()``, which is the
    # body of the resolution (its parts, items and annexes); ``walk_all()`` gives both.
    front: list[DraftClause] = field(default_factory=list)

    def walk(self):
        for clause in self.clauses:
            yield from clause.walk(0)

    def walk_all(self):
        """The front lines, then the body: every clause of the draft, in reading order."""
        for clause in self.front:
            yield clause, 0
        yield from self.walk()

    def find(self, key: str) -> DraftClause | None:
        return next((c for c, _ in self.walk_all() if c.key == key), None)

    def front_text(self, line: str) -> str | None:
        """A front line as proposed ("title"), or None when the draft does not carry it."""
        return next((c.text for c in self.front if c.role == line), None)

    def proposed_text(self) -> ResolutionText:
        """The proposed resolution as a plain tree, without suppressed clauses."""

        def plain(clause: DraftClause) -> Clause:
            return Clause(
                kind=clause.kind,
                label=clause.label,
                heading=clause.heading,
                text=clause.text,
                role=clause.role,
                footnotes=list(clause.footnotes),
                children=[plain(c) for c in clause.children if not c.suppressed],
                key=clause.key,
            )

        b = self.base
        title = self.front_text("title")
        return ResolutionText(
            number=b.number,
            revision=b.revision,
            title=b.title if title is None else title,
            history=b.history,
            enacting_formula=b.enacting_formula,
            footnotes=list(b.footnotes),
            clauses=[plain(c) for c in self.clauses if not c.suppressed],
            front_keys=dict(b.front_keys),
        )


def front_clauses(base: ResolutionText) -> list[DraftClause]:
    """The base's amendable front lines as draft clauses (kind FRONT, the line's name as role)."""
    found = []
    for line, key in base.front_keys.items():
        text = getattr(base, line)
        found.append(
            DraftClause(
                kind=FRONT,
                key=key,
                base=Clause(kind=FRONT, text=text, role=line, key=key),
                text=text,
                role=line,
            )
        )
    return found


def _draft(clause: Clause, parent: DraftClause | None) -> DraftClause:
    node = DraftClause(
        kind=clause.kind,
        key=clause.key,
        base=clause,
        label=clause.label,
        heading=clause.heading,
        text=clause.text,
        role=clause.role,
        footnotes=list(clause.footnotes),
        parent=parent,
    )
    node.children = [_draft(child, node) for child in clause.children]
    return node


def apply_amendments(base: ResolutionText, amendments: list[Amendment]) -> DraftResolution:
    """The proposed text: amendments applied in order, lists relabelled, punctuation fixed.

    An amendment whose target no longer exists is reported in ``problems``
    and left out, so one stale amendment never hides the others.
    """
    draft = DraftResolution(
        base=base, clauses=[_draft(c, None) for c in base.clauses], front=front_clauses(base)
    )
    index = {c.key: c for c, _ in draft.walk_all()}
    touched_lists: list[list[DraftClause]] = []
    for amendment in amendments:
        try:
            touched = _apply(draft, index, amendment)
        except AmendmentError as e:
            draft.problems.append(
                e.args[0] if e.args else str(e)
            )  # a Message: said in the reader's language above
            continue
        if touched is not None:
            touched_lists.append(touched)
    _renumber(draft, touched_lists)
    _fix_punctuation(draft)
    # "resolves 1 and 2 above" follows the items it names to their new labels, marked as any change.
    draft.broken_references = follow_relabelling(draft)
    return draft


def _siblings(draft: DraftResolution, clause: DraftClause) -> list[DraftClause]:
    return clause.parent.children if clause.parent is not None else draft.clauses


def _apply(draft: DraftResolution, index: dict[str, DraftClause], a: Amendment) -> list[DraftClause] | None:
    target = index.get(a.target)
    if target is None:
        raise AmendmentError(
            gettext_noop("An amendment refers to a clause that is not in the base text any more.")
        )
    if target.kind == FRONT:
        if a.action != MODIFY:
            raise AmendmentError(
                gettext_noop(
                    "A front line of the resolution (its title) is changed, never suppressed or added to."
                )
            )
        if a.label:
            raise AmendmentError(gettext_noop("The title has no label."))
        if not a.text.strip():
            raise AmendmentError(gettext_noop("The title cannot be empty."))
        target.text = a.text.strip()
        return None
    if a.action == MODIFY:
        if target.suppressed:
            raise AmendmentError(gettext_noop("An amendment modifies a clause that is suppressed."))
        relabelled = bool(a.label) and target.kind == ITEM
        if a.label and target.kind != ITEM:
            raise AmendmentError(
                gettext_noop("Only items have labels: a part or an annex cannot be relabelled.")
            )
        if relabelled:
            _check_label(a.label)
        if target.kind == PART:
            if not a.heading.strip():
                raise AmendmentError(gettext_noop("A part heading cannot be empty."))
            target.heading = a.heading.strip()
        else:
            if not a.text.strip() and not relabelled:
                raise AmendmentError(
                    gettext_noop("A clause's text cannot be empty: suppress the clause instead.")
                )
            if a.text.strip():
                target.text = a.text.strip()
            if a.heading and target.kind != ITEM:
                target.heading = a.heading.strip()
                # An annex heading written by hand keeps the number written ("ANNEX 3"); the others number around it.
                target.label_fixed = target.kind == ANNEX and bool(annex_number(target.heading))
        if relabelled:
            target.label = "" if a.label == UNLABELLED else a.label.strip()
            target.label_fixed = True
            # The list is renumbered around the label set by hand.
            return _siblings(draft, target)
        return None
    if a.action == SUPPRESS:
        target.suppressed = True
        return _siblings(draft, target)
    if a.action == ADD:
        if not a.key:
            raise AmendmentError(gettext_noop("An added clause needs its own key."))
        if a.key in index:
            raise AmendmentError(gettext_noop("An added clause is already in the text."))
        if a.kind == PART and not a.heading.strip():
            raise AmendmentError(gettext_noop("A new part needs a heading."))
        if a.kind != PART and not a.text.strip():
            raise AmendmentError(gettext_noop("A new item needs text."))
        if a.label and a.kind == PART:
            raise AmendmentError(gettext_noop("A part has no label: give it a heading."))
        if a.label and a.numbering == BIS:
            raise AmendmentError(
                gettext_noop(
                    "An item inserted as bis takes its label from the item before it: leave the label empty."
                )
            )
        if a.numbering not in (RENUMBER, BIS):
            raise AmendmentError(
                gettext_noop(
                    "Unknown numbering %(numbering)s for an added item.", numbering=repr(a.numbering)
                )
            )
        if a.label:
            _check_label(a.label)
        label = "" if a.label == UNLABELLED else a.label.strip()
        node = DraftClause(
            kind=a.kind,
            key=a.key,
            base=None,
            label=label,
            heading=a.heading.strip(),
            text=a.text.strip(),
            role=a.role or (target.role if a.kind == PART else ""),
            label_fixed=bool(a.label),
            insert_bis=a.numbering == BIS and a.kind != PART,
        )
        if a.position in (BEFORE, AFTER):
            siblings = _siblings(draft, target)
            # By identity: a dataclass's == compares whole subtrees (3,000 additions took 24 s that way).
            at = next(i for i, sibling in enumerate(siblings) if sibling is target) + (a.position == AFTER)
            node.parent = target.parent
            siblings.insert(at, node)
        elif a.position in (FIRST_CHILD, LAST_CHILD):
            node.parent = target
            if a.position == FIRST_CHILD:
                target.children.insert(0, node)
            else:
                target.children.append(node)
            siblings = target.children
        else:
            raise AmendmentError(
                gettext_noop("Unknown position %(position)s for an added clause.", position=repr(a.position))
            )
        index[node.key] = node
        return siblings
    raise AmendmentError(gettext_noop("Unknown amendment action %(action)s.", action=repr(a.action)))


def _check_label(label: str) -> None:
    if label != UNLABELLED and not lb.is_valid(label):
        raise AmendmentError(
            gettext_noop(
                "“%(strip)s” is not a label ITU writes: use a letter, roman or number label such as b), iv), 3, 1.2, 3bis or b)bis, a dash, or ¶ for an unlabelled paragraph.",
                strip=label.strip(),
            )
        )


def _list_kind(siblings: list[DraftClause], parent: DraftClause | None) -> str:
    """The label kind of a list of siblings, from the labels the base gave it."""
    base_labels = [c.base.label for c in siblings if c.base is not None and c.base.label]
    if base_labels:
        kinds = set.intersection(*(lb.kinds_of(label) for label in base_labels))
        if len(kinds) == 1:
            return next(iter(kinds))
        # Only "i)", "v)" or "x)": a list that starts at "i)" is roman, one that reaches it from "h)" is not.
        if kinds:
            return lb.ROMAN if lb.is_first(base_labels[0], lb.ROMAN) else lb.ALPHA
        return next(iter(lb.kinds_of(base_labels[-1])))
    # A new list: a kind none of its ancestors uses.
    used = set()
    node = parent
    while node is not None:
        used |= lb.kinds_of(node.label) if node.label else set()
        node = node.parent
    if parent is None or parent.kind == PART:
        role = parent.role if parent is not None else ""
        return lb.NUMBER if role == "operative" else lb.ALPHA
    for kind in (lb.ALPHA, lb.ROMAN, lb.DASH):
        if kind not in used:
            return kind
    return lb.BULLET


# How an item takes part in its list's numbering.
_PROSE = "prose"  # an unlabelled paragraph among labelled items, or in a run of paragraphs: never labelled
_COUNTED = "counted"  # takes the next number
_SUFFIXED = "suffixed"  # keeps its predecessor's number with a suffix (3bis)
_FIXED = "fixed"  # a label set by hand


def _roles(items: list[DraftClause]) -> dict[int, str]:
    base_items = [c for c in items if c.base is not None]
    base_labelled = any(c.base.label for c in base_items)
    # Several unlabelled paragraphs side by side are prose (an annex's text), not a list to number.
    prose = len(base_items) >= 2 and not base_labelled
    roles = {}
    for c in items:
        if c.label_fixed:
            role = _FIXED
        elif c.added:
            role = _SUFFIXED if c.insert_bis else _PROSE if prose else _COUNTED
        elif c.base.label:
            role = _SUFFIXED if lb.suffix_of(c.base.label) else _COUNTED
        else:
            # The one unlabelled paragraph of a part or item is the first of a list once another joins it.
            role = _PROSE if base_labelled or prose else _COUNTED
        roles[id(c)] = role
    return roles


def _number_list(items: list[DraftClause], parent: DraftClause | None, base_parent_label: str) -> None:
    """Label a list as ITU does: one item alone is unlabelled; two or more are all labelled, in sequence.

    Labels set by hand stay as written and the count goes on from them; an item
    labelled with a suffix (``3bis``) keeps its predecessor's number, and takes
    a number of its own only when its predecessor is gone.
    """
    roles = _roles(items)
    live = [c for c in items if not c.suppressed]
    numbered = [c for c in live if roles[id(c)] != _PROSE and not (roles[id(c)] == _FIXED and not c.label)]
    if len(numbered) <= 1:
        for c in numbered:
            if roles[id(c)] != _FIXED:
                c.label = ""
        return
    kind = _list_kind(items, parent)
    like = next((c.base.label for c in items if c.base is not None and c.base.label), "")
    if not like and parent is not None and parent.kind == ITEM and lb.prefix_of(parent.label):
        # A new list inside a hierarchical number goes one level down: 1.2.1, 1.2.2 inside 1.2.
        kind, like = lb.NUMBER, lb.citation_form(parent.label) + ".1"
    like_suffixed = next(
        (c.base.label for c in items if c.base is not None and lb.suffix_of(c.base.label)), ""
    )
    if kind == lb.NUMBER and parent is not None and lb.prefix_of(like):
        # Hierarchical numbers follow the number of the provision they sit in: 1.2.1 in 1.2.
        old_prefix = lb.prefix_of(like)
        if base_parent_label and old_prefix == lb.citation_form(base_parent_label) + ".":
            new_prefix = lb.citation_form(parent.label) + "." if parent.label else old_prefix
            like = like.replace(old_prefix, new_prefix, 1) if like.startswith(old_prefix) else like
    if kind in (lb.DASH, lb.BULLET):
        for c in numbered:
            if roles[id(c)] != _FIXED and (c.added or not c.label):
                c.label = lb.make_label(kind, 1, like)
        return
    # Suffixes already used after each host, so that a new insertion takes the next one.
    used_ranks: dict[int, int] = {}
    host = None
    for c in items:
        role = roles[id(c)]
        if role in (_COUNTED, _FIXED) and not (role == _FIXED and lb.suffix_of(c.label)):
            host = c
        elif role == _SUFFIXED and c.base is not None and host is not None:
            used_ranks[id(host)] = max(used_ranks.get(id(host), 0), lb.rank_of(c.base.label))
    n = 0
    host = None
    for c in items:
        role = roles[id(c)]
        if role == _PROSE:
            continue
        if c.suppressed:
            if role == _COUNTED:
                host = c  # what follows it with a suffix has lost its predecessor
            continue
        if role == _FIXED:
            if c.label and not lb.suffix_of(c.label):
                index = lb.index_of(c.label, kind)
                n = index if index is not None else n + 1
                host = c
            continue
        if role == _SUFFIXED and host is not None and not host.suppressed and n > 0:
            if c.base is not None:
                suffix, written = lb.suffix_of(c.base.label), c.base.label
            else:
                rank = used_ranks.get(id(host), 0)
                used_ranks[id(host)] = rank + 1
                suffix, written = lb.next_suffix(rank), like_suffixed
            c.label = lb.with_suffix(lb.make_label(kind, n, like), suffix, written)
            continue
        n += 1
        c.label = lb.make_label(kind, n, like)
        host = c


def _renumber(draft: DraftResolution, touched_lists: list[list[DraftClause]]) -> None:
    """Renumber every list an amendment touched, top down, and carry a renumbered
    item's number into the hierarchical numbers inside it (1.2.1 becomes 1.3.1 when 1.2 becomes 1.3)."""
    touched = {id(siblings) for siblings in touched_lists}

    def visit(siblings: list[DraftClause], parent: DraftClause | None) -> None:
        items = [c for c in siblings if c.kind == ITEM]
        if items and id(siblings) in touched:
            _number_list(items, parent, parent.base_label if parent is not None else "")
        elif items and parent is not None and parent.base is not None and parent.label != parent.base.label:
            _carry_prefix(items, parent)
        for c in siblings:
            visit(c.children, c)

    visit(draft.clauses, None)
    if id(draft.clauses) in touched:
        _number_annexes(draft.clauses)


def _number_annexes(clauses: list[DraftClause]) -> None:
    """Annexes numbered again after one is suppressed or added: "ANNEX 1", "ANNEX 2", ... in order.

    Only numbered annexes are renumbered (a resolution with one "ANNEX" keeps it as it is); a number set
    by hand stays, and letters stay letters ("ANNEX A", "ANNEX B").
    """
    annexes = [c for c in clauses if c.kind == ANNEX and not c.suppressed]
    # How the base numbered its annexes (those suppressed too): that is how the draft numbers them.
    numbers = [annex_number(c.base.heading) for c in clauses if c.kind == ANNEX and c.base is not None]
    if not any(numbers) and len(annexes) < 2:
        return
    letters = any(n.isalpha() for n in numbers)
    for i, c in enumerate(annexes, 1):
        if c.label_fixed:
            continue
        written = chr(ord("A") + i - 1) if letters else str(i)
        if annex_number(c.heading) != written:
            c.heading = numbered_annex(c.heading, written)


def _carry_prefix(items: list[DraftClause], parent: DraftClause) -> None:
    if not parent.base.label or not parent.label:
        return
    old = lb.citation_form(parent.base.label) + "."
    new = lb.citation_form(parent.label) + "."
    for c in items:
        if c.base is None or c.label_fixed or c.suppressed:
            continue
        parsed = lb.parse_label(c.label)
        if parsed is not None and parsed.prefix.startswith(old):
            c.label = parsed.write(prefix=new + parsed.prefix[len(old) :])


_CLOSING = re.compile(r"(?P<mark>\s*(?:[;,.]|,;|;,)\s*(?:and|or)?)\s*$")
# The closing mark is looked for in the text's last characters only: searched over a whole clause, the
# pattern's leading spaces made a clause of 20,000 spaces cost seconds (each start retried the run).
_TAIL = 64


def _closing(stripped: str) -> int | None:
    """Where the closing mark of an rstripped text starts, or None."""
    tail = stripped[-_TAIL:]
    m = _CLOSING.search(tail)
    return None if m is None else len(stripped) - len(tail) + m.start()


def closing_mark(text: str) -> str:
    stripped = text.rstrip()
    if stripped.endswith("]"):  # text left open in [brackets]: its mark is inside them
        stripped = stripped[:-1]
    at = _closing(stripped)
    return stripped[at:].strip() if at is not None else ""


def split_closing(text: str) -> tuple[str, str]:
    """A clause's words and its closing punctuation (";", ",", ".", "; and"), apart: ("the text", ";")."""
    stripped = text.rstrip()
    if stripped.endswith("]"):
        return stripped, ""
    # The mark is in the last few characters: searching only those keeps a long clause cheap.
    start = max(0, len(stripped) - 24)
    m = _CLOSING.search(stripped, start)
    if m is None:
        return stripped, ""
    return stripped[: m.start()], stripped[m.start() :]


def with_closing(text: str, mark: str) -> str:
    """The text ending with ``mark`` in place of its closing punctuation (``:`` is kept).

    Text left open in [square brackets] keeps its mark inside them: "[…;]", not "[…;];".
    """
    stripped = text.rstrip()
    if stripped.endswith("]") and "[" in stripped:
        return with_closing(stripped[:-1], mark) + "]"
    if stripped.endswith(":"):
        return stripped
    at = _closing(stripped)
    body = stripped[:at] if at is not None else stripped
    return body.rstrip() + mark


def _leaves(clause: DraftClause) -> list[DraftClause]:
    live = [c for c in clause.children if not c.suppressed]
    if clause.kind == ITEM and not live:
        return [clause]
    return [leaf for child in live for leaf in _leaves(child)]


_MIDDLE, _PART_END, _END = ";", ",", "."  # where a leaf stands, by the mark ITU gives it there


def _fix_punctuation(draft: DraftResolution) -> None:
    """Closing punctuation follows the structure wherever the structure changed.

    Only the items whose place changed (added items, and those that became or
    stopped being the last of their part or of the resolution) are touched: the
    base text's own punctuation, right or wrong, is not the drafter's change. A
    part added after the last one takes the resolution's "." with it: the old
    last item ends its part with ",".
    """
    base_parts = [c for c in draft.base.clauses if c.kind == PART]
    was: dict[str, str] = {}
    for p, part in enumerate(base_parts):
        base_leaves = _base_leaves(part)
        for leaf in base_leaves:
            was[leaf.key] = _MIDDLE
        if base_leaves:
            was[base_leaves[-1].key] = _END if p == len(base_parts) - 1 else _PART_END
    parts = [c for c in draft.clauses if c.kind == PART and not c.suppressed]
    for p, part in enumerate(parts):
        if part.base is not None and _sentences(part.base):
            continue
        leaves = _leaves(part)
        for i, leaf in enumerate(leaves):
            if i < len(leaves) - 1:
                mark = _MIDDLE
            else:
                mark = _END if p == len(parts) - 1 else _PART_END
            if not leaf.added and was.get(leaf.key) == mark:
                continue
            if leaf.added and leaf.text.rstrip().endswith(":"):
                continue
            leaf.text = with_closing(leaf.text, mark)


def _sentences(part: Clause) -> bool:
    """Whether a part's items are whole sentences (the sections of rules of procedure), each ending
    with its own full stop, rather than one sentence whose items end with ";" and ","."""
    marks = [closing_mark(leaf.text) for leaf in _base_leaves(part)[:-1]]
    stops = sum(1 for m in marks if m == ".")
    return stops > 0 and stops >= sum(1 for m in marks if m in (";", ",", ",;", ";,"))


def _base_leaves(clause: Clause) -> list[Clause]:
    if clause.kind == ITEM and not clause.children:
        return [clause]
    return [leaf for child in clause.children for leaf in _base_leaves(child)]


def relabelled_references(draft: DraftResolution) -> list[tuple[DraftClause, str]]:
    """Clauses whose text cites an item the draft suppressed ("resolves 3 above"): (clause, as written).

    References to relabelled items are rewritten when the draft is built (:func:`follow_relabelling`);
    only those naming nothing any more are left for the drafter to check.
    """
    return [
        (b.clause, f"{b.reference.describe()} {b.reference.pinpoint}".strip())
        for b in draft.broken_references
    ]
