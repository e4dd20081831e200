"""Carrying a proposal written against one edition onto another, clause by clause.

Clauses keep their identity (the provision key) from edition to edition, so a
change to "considering b)" of Rev. Dubai, 2012 is a change to the same
provision in Rev. Hammamet, 2016, whatever its label or part has become. Each
change of the proposal ends in one of three ways, and nothing is invented,
dropped or doubled:

- applied exactly: its clause did not change (``clean``), or the newer edition
  changed other words of it, and the change is applied over them (``rebased``,
  a word-level three-way merge);
- already there: the newer edition says what the change said (``already``):
  the same words, the clause suppressed too, or the clause the proposal adds
  added too (clauses both sides added are paired by content, with the identity
  of ``match``; an item the proposal moves, as a suppression and an addition,
  that the newer edition moved to the same part is one of them);
- a conflict (``conflict``): the newer edition changed the same words, added
  the same clause in other words, removed the clause the change modifies, or
  rewrote the clause it suppresses. The proposal's wording is kept whole in the
  draft (never blended with the edition's neighbouring changes) until someone
  settles it, and the change carries the three wordings: the older edition's,
  the newer edition's and the proposal's.

The three-way merge is a diff3 over difflib's matching blocks on the diff's
word tokens (``diff.tokens``), ``autojunk=False`` as everywhere else; a
clause's closing punctuation is left out of it and follows the structure, as
the tool's own rules write it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from .amend import (
    ADD,
    AFTER,
    BEFORE,
    FIRST_CHILD,
    LAST_CHILD,
    MODIFY,
    SUPPRESS,
    Amendment,
    apply_amendments,
    split_closing,
)
from .diff import tokens
from .match import pair_clauses, similarity
from .said import gettext_noop
from .tree import PART, Clause, ResolutionText

# What became of one change carried onto another edition.
CLEAN = "clean"  # its clause did not change between the editions: applied as it was
REBASED = "rebased"  # its clause changed in other words, or moved: applied over the newer text
CONFLICT = (
    "conflict"  # the newer edition changed the same thing otherwise: the proposal's wording kept, to settle
)
ALREADY = "already"  # the newer edition already says what the change said: nothing left to do

STATES = (CLEAN, REBASED, CONFLICT, ALREADY)
# Which state a clause shows when several changes are about it: the one that needs a look.
_SEVERITY = {CLEAN: 0, ALREADY: 1, REBASED: 2, CONFLICT: 3}

# Characters a reader does not tell apart, each folded into one the word tokens treat alike.
# How alike a clause both sides added must be, when the edition has it in another part or list.
_ELSEWHERE = 0.6

_FOLD = (("\u2011", "-"), ("\u2019", "'"), ("\u00a0", " "))


@dataclass
class Overlap:
    """Words both sides changed differently: what the older edition, the proposal and the newer edition say."""

    base: str
    mine: str
    theirs: str


@dataclass
class Merged3:
    text: str  # the merge; at each overlap, the proposal's words
    overlaps: list[Overlap] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.overlaps


def _units(text: str) -> list[str]:
    """The diff's word tokens, each with the spaces after it: spacing is never a difference to merge."""
    units: list[str] = []
    for token in tokens(text):
        if token.isspace() and units:
            units[-1] += token
        else:
            units.append(token)
    return units


def _fold(text: str) -> str:
    for char, plain in _FOLD:
        if char in text:
            text = text.replace(char, plain)
    return text


def _keys(text: str) -> list[str]:
    """The text's units as a reader compares them: spaces aside, a non-breaking hyphen a hyphen.
    (Folding keeps the token boundaries: both hyphens join a word, both spaces are spaces.)"""
    return [unit.strip() or " " for unit in _units(_fold(text))]


def _sync_regions(base: list[str], mine: list[str], theirs: list[str]) -> list[tuple[int, ...]]:
    """Runs of base words that both sides kept, as (base, base end, mine, mine end, theirs, theirs end)."""
    mine_blocks = SequenceMatcher(None, base, mine, autojunk=False).get_matching_blocks()
    their_blocks = SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    regions = []
    i = j = 0
    while i < len(mine_blocks) and j < len(their_blocks):
        b1, m1, n1 = mine_blocks[i]
        b2, t2, n2 = their_blocks[j]
        start, end = max(b1, b2), min(b1 + n1, b2 + n2)
        if start < end:
            regions.append((start, end, m1 + start - b1, m1 + end - b1, t2 + start - b2, t2 + end - b2))
        # Move on from whichever block ends first; the other may still overlap the next one.
        if b1 + n1 < b2 + n2:
            i += 1
        else:
            j += 1
    regions.append((len(base), len(base), len(mine), len(mine), len(theirs), len(theirs)))
    return regions


def _phrases(words: list[str], n: int = 3) -> set[tuple[str, ...]]:
    words = [w.lower() for w in words if w[0].isalnum()]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def merge3(base_text: str, mine_text: str, their_text: str) -> Merged3:
    """The proposal's changes (base to mine) applied to the newer text (base to theirs), word by word.

    Words both sides changed differently are an overlap (the proposal's words are kept there, and
    reported); so are the same words added by each side at different places, which a word-level
    merge would otherwise write twice.
    """
    base, mine, theirs = _units(base_text), _units(mine_text), _units(their_text)
    nb, nm, nt = _keys(base_text), _keys(mine_text), _keys(their_text)
    out: list[tuple[list[str], int]] = []  # (the side's units, the index of the one taken)
    overlaps: list[Overlap] = []
    mine_only: list[tuple[int, int, int, int]] = []  # changes only the proposal made: base and mine spans
    theirs_only: list[tuple[int, int, int, int]] = []
    b = m = t = 0
    for b_end, b_next, m_end, m_next, t_end, t_next in _sync_regions(nb, nm, nt):
        # Between two stable runs: what each side made of base[b:b_end].
        mine_same = nm[m:m_end] == nb[b:b_end]
        theirs_same = nt[t:t_end] == nb[b:b_end]
        if mine_same:
            out.extend((theirs, k) for k in range(t, t_end))
            if not theirs_same:
                theirs_only.append((b, b_end, t, t_end))
        elif theirs_same or nm[m:m_end] == nt[t:t_end]:
            out.extend((mine, k) for k in range(m, m_end))
            if theirs_same:
                mine_only.append((b, b_end, m, m_end))
        else:
            overlaps.append(Overlap("".join(base[b:b_end]), "".join(mine[m:m_end]), "".join(theirs[t:t_end])))
            out.extend((mine, k) for k in range(m, m_end))
        out.extend((theirs, k) for k in range(t_end, t_next))
        b, m, t = b_next, m_next, t_next
    # The same words added on both sides, in different places: "taking into account the 2030 Agenda"
    # once after "outcomes" and once after "mandate" is no merge a reader would accept.
    for b1, b2, m1, m2 in mine_only:
        added = _phrases(nm[m1:m2])
        for _, _, t1, t2 in theirs_only:
            if added & _phrases(nt[t1:t2]):
                overlaps.append(Overlap("".join(base[b1:b2]), "".join(mine[m1:m2]), "".join(theirs[t1:t2])))
    return Merged3(_join(out, mine_text, their_text), overlaps)


def _join(out: list[tuple[list[str], int]], mine_text: str, their_text: str) -> str:
    """The merged units as text. Each unit brings the spaces that followed it in its own text; where
    two units from different places meet, the spacing is a reader's: a space between words, none
    before a comma or after an opening bracket; the text ends as both sides end it."""
    parts: list[str] = []
    for n, (side, k) in enumerate(out):
        unit = side[k]
        following = out[n + 1] if n + 1 < len(out) else None
        if following is not None and not (following[0] is side and following[1] == k + 1):
            core, after = unit.rstrip(), following[0][following[1]].lstrip()
            gap = unit[len(core) :]
            if (
                not gap
                and core
                and after
                and (core[-1].isalnum() or core[-1] in ",;:)")
                and (after[0].isalnum() or after[0] == "(")
            ):
                gap = " "
            elif gap and after and after[0] in ",;:.)":
                gap = ""
            unit = core + gap
        parts.append(unit)
    text = "".join(parts)
    if not (mine_text[-1:].isspace() and their_text[-1:].isspace()):
        text = text.rstrip()
    return text


def merge_clause(base: str, mine: str, theirs: str) -> Merged3:
    """``merge3`` of a clause's words; its closing punctuation follows the structure, not the merge.

    A closing mark only the proposal changed is kept; otherwise the newer edition's stands (the
    tool moves "," ";" "." as the structure changes, so a mark alone is never a conflict).
    """
    (base_body, base_mark), (mine_body, mine_mark), (their_body, their_mark) = (
        split_closing(base),
        split_closing(mine),
        split_closing(theirs),
    )
    merged = merge3(base_body, mine_body, their_body)
    mark = mine_mark if their_mark.strip() == base_mark.strip() else their_mark
    return Merged3(merged.text + mark, merged.overlaps)


def same_words(a: str, b: str) -> bool:
    """Whether two wordings read the same: spaces, non-breaking hyphens and closing marks aside."""
    return _keys(split_closing(a)[0]) == _keys(split_closing(b)[0])


def keep_mine(base: str, mine: str, theirs: str) -> str:
    """The proposal's wording whole, with the closing mark the structure gives it where the edition has it."""
    body, mark = split_closing(mine)
    if not body:
        return mine
    base_mark, their_mark = split_closing(base)[1], split_closing(theirs)[1]
    if their_mark and their_mark.strip() != base_mark.strip():
        mark = their_mark
    return body + mark


@dataclass
class CarriedChange:
    """One amendment of the proposal and what became of it on the newer edition.

    ``base``, ``edition`` and ``proposal`` are the clause's three wordings (heading for a part):
    in the edition the proposal was written against, in the newer edition ("" where the clause is
    not), and as the proposal has it ("" when it suppresses the clause).
    """

    original: Amendment
    amendment: Amendment | None  # as it applies to the newer edition; None when nothing is left to do
    state: str
    overlaps: list[Overlap] = field(default_factory=list)
    note: str = ""
    base: str = ""
    edition: str = ""
    proposal: str = ""

    @property
    def key(self) -> str:
        """The clause the change is about, as it stands after the rebase."""
        a = self.amendment or self.original
        return a.key if a.action == ADD else a.target


@dataclass
class Rebase:
    changes: list[CarriedChange]

    @property
    def amendments(self) -> list[Amendment]:
        return [c.amendment for c in self.changes if c.amendment is not None]

    @property
    def states(self) -> dict[str, str]:
        """Per clause key, the state of the change about it (the one that needs a look, if several)."""
        result: dict[str, str] = {}
        for change in self.changes:
            current = result.get(change.key)
            if current is None or _SEVERITY[change.state] > _SEVERITY[current]:
                result[change.key] = change.state
        return result

    def count(self, state: str) -> int:
        return sum(1 for c in self.changes if c.state == state)

    @property
    def conflicts(self) -> list[CarriedChange]:
        return [c for c in self.changes if c.state == CONFLICT]


def _value(clause: Clause) -> str:
    return clause.heading if clause.kind == PART else clause.text


def _index(roots: list[Clause]) -> tuple[dict[str, Clause], dict[str, Clause | None]]:
    clauses: dict[str, Clause] = {}
    parents: dict[str, Clause | None] = {}

    def walk(children: list[Clause], parent: Clause | None) -> None:
        for child in children:
            clauses[child.key] = child
            parents[child.key] = parent
            walk(child.children, child)

    walk(roots, None)
    return clauses, parents


def _plain(clause) -> Clause:
    """A draft clause as a plain one, its proposed words, suppressed or not."""
    return Clause(
        kind=clause.kind,
        label=clause.label,
        heading=clause.heading,
        text=clause.text,
        role=clause.role,
        children=[_plain(c) for c in clause.children],
        key=clause.key,
    )


def _under_suppressed(clause) -> bool:
    node = clause.parent
    while node is not None:
        if node.suppressed:
            return True
        node = node.parent
    return False


def _parent_key(parents: dict[str, Clause | None], key: str) -> str:
    parent = parents.get(key)
    return parent.key if parent is not None else ""


class _Carrier:
    """The state of one rebase: the three trees, and what the proposal's additions became."""

    def __init__(self, old: ResolutionText, new: ResolutionText, amendments: list[Amendment]) -> None:
        self.old_clauses, self.old_parents = _index(old.clauses)
        self.new_clauses, self.new_parents = _index(new.clauses)
        self.old, self.new = old, new
        self.added = {a.key for a in amendments if a.action == ADD}
        self.suppressed = {a.target for a in amendments if a.action == SUPPRESS}
        # The proposal's text with what it suppresses still in place (marked): an addition inside
        # a clause the proposal suppresses is still one of its additions, to pair.
        draft = apply_amendments(old, amendments)
        proposed = ResolutionText(clauses=[_plain(c) for c in draft.clauses])
        self.gone = {c.key for c, _ in draft.walk() if c.suppressed or _under_suppressed(c)}
        self.proposed_clauses, self.proposed_parents = _index(proposed.clauses)
        candidates = self._pair_additions(proposed)
        # The proposal's additions the newer edition has too (``partners``), and those of them it
        # has at the same place, under the edition's key (``renamed``): what the proposal places
        # against or inside them goes against or inside the edition's.
        self.partners: dict[str, str] = {}
        self.renamed: dict[str, str] = {}
        for clause, _ in proposed.walk():  # parents first, so a child sees where its parent went
            partner = candidates.get(clause.key)
            if partner is None:
                continue
            same_place = self._same_place(clause.key, partner)
            if not self._alike(clause, self.new_clauses[partner], same_place):
                continue
            self.partners[clause.key] = partner
            if same_place:
                self.renamed[clause.key] = partner
        # Where each of the proposal's own additions now stands (placed, or paired).
        self.placed: set[str] = set()

    def _pair_additions(self, proposed: ResolutionText) -> dict[str, str]:
        """The proposal's additions paired with what the newer edition has that the proposal lacks.

        Candidates on the edition's side are its own additions, and the clauses the proposal
        suppresses that the edition moved to another part (the proposal may move them too, as a
        suppression and an addition). Everything both texts share is known and gives the context.
        """
        if not self.added:
            return {}
        live = {k for k in self.proposed_clauses if k not in self.gone}
        known = {k: k for k in live if k in self.new_clauses}
        free_new = {
            k
            for k in self.new_clauses
            if k not in live
            and (k not in self.old_clauses or (k in self.suppressed and self._moved_by_edition(k)))
        }
        if not free_new:
            return {}
        pairs = pair_clauses(
            proposed.clauses,
            self.new.clauses,
            known=known,
            old_free=self.added - self.gone,
            new_free=free_new,
        )
        return {mine.key: theirs.key for mine, theirs in pairs}

    def _alike(self, mine: Clause, theirs: Clause, same_place: bool) -> bool:
        """Whether a clause both added is the same clause: the identity's pair, and, elsewhere than
        where the proposal put it, clearly alike (turning the proposal's addition into a change of
        an unrelated clause of the edition would be worse than an addition to settle by hand)."""
        if theirs.key in self.old_clauses or same_words(_value(mine), _value(theirs)):
            return True
        return same_place or similarity(mine, theirs) >= _ELSEWHERE

    def _moved_by_edition(self, key: str) -> bool:
        return _parent_key(self.old_parents, key) != _parent_key(self.new_parents, key)

    def _same_place(self, group_key: str, new_key: str) -> bool:
        """Whether the proposal's clause and the edition's stand in the same parent."""
        mine = _parent_key(self.proposed_parents, group_key)
        return self.renamed.get(mine, mine) == _parent_key(self.new_parents, new_key)

    def _where(self, key: str) -> str:
        """Where the newer edition has a clause, for notes: "recognizing further a)"."""
        clause = self.new_clauses.get(key)
        if clause is None:
            return ""
        parts = []
        node: Clause | None = clause
        while node is not None:
            parts.append(node.heading if node.kind == PART else node.label)
            node = self.new_parents.get(node.key)
        return " ".join(p for p in reversed(parts) if p)

    def _present(self, key: str) -> bool:
        return key in self.new_clauses or key in self.placed

    def carry(self, amendments: list[Amendment]) -> Rebase:
        changes = []
        for a in amendments:
            if a.action == ADD:
                change = self._add(a)
            elif a.action == MODIFY:
                change = self._modify(a)
            elif a.action == SUPPRESS:
                change = self._suppress(a)
            else:
                change = CarriedChange(a, a, CLEAN)
            changes.append(change)
        return Rebase(changes)

    # --- additions -----------------------------------------------------------------------------

    def _add(self, a: Amendment) -> CarriedChange:
        mine = self.proposed_clauses.get(a.key)
        wording = _value(mine) if mine is not None else (a.heading if a.kind == PART else a.text)
        partner = self.partners.get(a.key)
        if partner is not None:
            return self._paired_addition(a, wording, partner)
        target = self.renamed.get(a.target, a.target)
        if a.key in self.gone and self._present(target):
            # Inside a clause the proposal suppresses: it stays inside it, wherever the edition moved
            # the clause it was placed against.
            self.placed.add(a.key)
            return CarriedChange(a, self._inside_suppressed(a), CLEAN, proposal=wording)
        if self._present(target):
            self.placed.add(a.key)
            if target == a.target:
                return CarriedChange(a, a, CLEAN, proposal=wording)
            where = self._where(target)
            inside = a.position in (FIRST_CHILD, LAST_CHILD)
            note = (
                gettext_noop("Placed in %(where)s, which the newer edition adds too.", where=where)
                if inside
                else gettext_noop("Placed beside %(where)s, which the newer edition adds too.", where=where)
            )
            return CarriedChange(a, replace(a, target=target), REBASED, note=note, proposal=wording)
        moved = self._reanchor(a)
        self.placed.add(a.key)
        if moved is not None:
            return CarriedChange(
                a,
                moved,
                REBASED,
                note=gettext_noop(
                    "The clause it was placed against is not in the newer edition: placed beside its neighbour."
                ),
                proposal=wording,
            )
        return self._homeless(a, a, wording, "")

    def _inside_suppressed(self, a: Amendment) -> Amendment:
        node = self.proposed_parents.get(a.key)
        while node is not None and node.key not in self.suppressed:
            node = self.proposed_parents.get(node.key)
        if node is None or node.key not in self.new_clauses:
            return a
        up = self.new_parents.get(a.target)
        while up is not None and up.key != node.key:
            up = self.new_parents.get(up.key)
        return (
            a if up is not None or a.target == node.key else replace(a, target=node.key, position=LAST_CHILD)
        )

    def _paired_addition(self, a: Amendment, wording: str, partner: str) -> CarriedChange:
        theirs = _value(self.new_clauses[partner])
        same_place = self._same_place(a.key, partner)
        where = self._where(partner)
        base = _value(self.old_clauses[partner]) if partner in self.old_clauses else ""
        three = {"base": base, "edition": theirs, "proposal": wording}
        kept = keep_mine(base, wording, theirs)
        modify = Amendment(
            MODIFY,
            partner,
            kind=a.kind,
            heading=kept if a.kind == PART else "",
            text="" if a.kind == PART else kept,
        )
        if partner in self.old_clauses and not same_place:
            # The proposal moves the clause one way, the edition another: the proposal's place and
            # words are kept (its suppression of the clause where the edition has it stands too).
            self.placed.add(a.key)
            # Where the proposal put it, or nearest when the edition dropped that place (a part it
            # dissolved): an addition always lands somewhere in the newer text.
            target = self.renamed.get(a.target, a.target)
            placed = replace(a, target=target) if self._present(target) else self._reanchor(a)
            return CarriedChange(
                a,
                placed or a,
                CONFLICT,
                note=gettext_noop(
                    "The newer edition moved this clause elsewhere, to %(where)s; the proposal moves it here.",
                    where=where,
                ),
                **three,
            )
        if partner in self.old_clauses:
            merged = merge_clause(base, wording, theirs)
            if same_words(merged.text, theirs):
                return CarriedChange(
                    a,
                    None,
                    ALREADY,
                    note=gettext_noop("The newer edition already moved it there, as %(where)s.", where=where),
                    **three,
                )
            if merged.clean:
                carried = _with_value(modify, merged.text, a.kind == PART)
                return CarriedChange(
                    a,
                    carried,
                    REBASED,
                    note=gettext_noop("The newer edition moved it there too, as %(where)s.", where=where),
                    **three,
                )
            return CarriedChange(
                a,
                modify,
                CONFLICT,
                merged.overlaps,
                note=gettext_noop(
                    "The newer edition moved it there too, as %(where)s, and changed the same words.",
                    where=where,
                ),
                **{**three, "proposal": kept},
            )
        if same_words(wording, theirs):
            note = (
                gettext_noop("The newer edition adds it too.")
                if same_place
                else gettext_noop("The newer edition adds it too, as %(where)s.", where=where)
            )
            return CarriedChange(a, None, ALREADY, note=note, **three)
        return CarriedChange(
            a,
            modify,
            CONFLICT,
            [Overlap("", wording, theirs)],
            note=gettext_noop(
                "The newer edition adds this clause in other words, as %(where)s.", where=where
            ),
            **{**three, "proposal": kept},
        )

    # --- modifications -------------------------------------------------------------------------

    def _modify(self, a: Amendment) -> CarriedChange:
        if a.target in self.added:
            # A change to a clause the proposal adds: it goes where that addition goes.
            if a.target in self.partners:
                return CarriedChange(
                    a, None, ALREADY, note=gettext_noop("Carried with the addition it changes.")
                )
            return CarriedChange(a, a, CLEAN)
        old_clause, new_clause = self.old_clauses.get(a.target), self.new_clauses.get(a.target)
        mine = a.heading if (old_clause or new_clause).kind == PART else a.text
        before = _value(old_clause) if old_clause is not None else _value(new_clause)
        if new_clause is None:
            return self._readd(a, old_clause, before, mine)
        now = _value(new_clause)
        three = {"base": before, "edition": now, "proposal": mine}
        if before == now:
            return CarriedChange(a, a, CLEAN, **three)
        merged = merge_clause(before, mine, now)
        if same_words(merged.text, now) and (merged.clean or same_words(mine, now)):
            return CarriedChange(
                a, None, ALREADY, note=gettext_noop("The newer edition already makes this change."), **three
            )
        if merged.clean:
            return CarriedChange(a, _with_value(a, merged.text, new_clause.kind == PART), REBASED, **three)
        wording = keep_mine(before, mine, now)
        return CarriedChange(
            a,
            _with_value(a, wording, new_clause.kind == PART),
            CONFLICT,
            merged.overlaps,
            note=gettext_noop("The newer edition changed the same words."),
            **{**three, "proposal": wording},
        )

    def _readd(self, a: Amendment, old_clause: Clause, before: str, mine: str) -> CarriedChange:
        """A change to a clause the newer edition removed: a conflict, the proposal's wording kept."""
        position = self._old_place(a.target)
        added = Amendment(
            ADD,
            position[0],
            position[1],
            key=a.target,
            kind=old_clause.kind,
            label=a.label,
            heading=mine if old_clause.kind == PART else "",
            text="" if old_clause.kind == PART else mine,
            role=old_clause.role,
        )
        return self._homeless(a, added, mine, before)

    def _homeless(self, original: Amendment, added: Amendment, mine: str, before: str) -> CarriedChange:
        """Keep the proposal's clause where its place was, or nearest, as a conflict to settle."""
        placed = added if self._present(added.target) else self._reanchor(added)
        self.placed.add(added.key)
        three = {"base": before, "edition": "", "proposal": mine}
        if original.action == ADD:
            note = gettext_noop(
                "The part it was added to is not in the newer edition: kept at the nearest place, to settle."
            )
        else:
            note = gettext_noop(
                "The newer edition no longer has this clause: the proposal's wording is kept, to settle."
            )
        if placed is None:
            # Nowhere to put it (an edition without a single clause): kept as written, reported.
            return CarriedChange(
                original, original, CONFLICT, [Overlap(before, mine, "")], note=note, **three
            )
        return CarriedChange(original, placed, CONFLICT, [Overlap(before, mine, "")], note=note, **three)

    def _old_place(self, key: str) -> tuple[str, str]:
        """(target, position) of a clause of the older edition, beside its previous sibling if any."""
        parent = self.old_parents.get(key)
        siblings = parent.children if parent is not None else self.old.clauses
        at = [c.key for c in siblings].index(key)
        if at > 0:
            return siblings[at - 1].key, AFTER
        if parent is not None:
            return parent.key, FIRST_CHILD
        return siblings[1].key if len(siblings) > 1 else key, BEFORE

    def _reanchor(self, a: Amendment) -> Amendment | None:
        """An addition placed against a clause the newer edition dropped, placed against the nearest one kept."""
        if a.position in (FIRST_CHILD, LAST_CHILD):
            container = self.renamed.get(a.target, a.target)
            if self._present(container):
                return replace(a, target=container)
            return self._near(a, a.target, inside=True)
        return self._near(a, a.target, inside=False)

    def _near(self, a: Amendment, key: str, *, inside: bool) -> Amendment | None:
        """Beside the nearest kept sibling of ``key`` (or, ``inside``, in it: ``key`` was the container)."""
        parents = self.old_parents if key in self.old_parents else self.proposed_parents
        if key not in parents:
            return None
        parent = parents[key]
        siblings = parent.children if parent is not None else self.old.clauses
        keys = [c.key for c in siblings]
        at = keys.index(key) if key in keys else len(keys)
        before = [k for k in (self.renamed.get(k, k) for k in reversed(keys[:at])) if self._present(k)]
        after = [k for k in (self.renamed.get(k, k) for k in keys[at + 1 :]) if self._present(k)]
        if inside and a.kind != PART:
            if before:
                return replace(a, target=before[0], position=LAST_CHILD)
            if after:
                return replace(a, target=after[0], position=FIRST_CHILD)
        elif a.position == BEFORE and after:
            return replace(a, target=after[0], position=BEFORE)
        elif before:
            return replace(a, target=before[0], position=AFTER)
        elif after:
            return replace(a, target=after[0], position=BEFORE)
        if parent is None:
            return None
        up = self.renamed.get(parent.key, parent.key)
        if self._present(up):
            return replace(a, target=up, position=FIRST_CHILD)
        return self._near(a, parent.key, inside=True)

    # --- suppressions --------------------------------------------------------------------------

    def _suppress(self, a: Amendment) -> CarriedChange:
        if a.target in self.added:
            return CarriedChange(a, a, CLEAN)
        old_clause, new_clause = self.old_clauses.get(a.target), self.new_clauses.get(a.target)
        before = _value(old_clause) if old_clause is not None else ""
        if new_clause is None:
            return CarriedChange(
                a,
                None,
                ALREADY,
                note=gettext_noop("The newer edition no longer has this clause."),
                base=before,
            )
        now = _value(new_clause)
        three = {"base": before, "edition": now, "proposal": ""}
        mover = next((g for g, k in self.partners.items() if k == a.target), None)
        if mover is not None:
            if self._same_place(mover, a.target):
                return CarriedChange(
                    a,
                    None,
                    ALREADY,
                    note=gettext_noop(
                        "The newer edition moved it where the proposal moves it, to %(where)s.",
                        where=self._where(a.target),
                    ),
                    **three,
                )
            return CarriedChange(
                a,
                a,
                CONFLICT,
                [Overlap(before, "", now)],
                note=gettext_noop(
                    "The newer edition moved this clause elsewhere, to %(where)s.",
                    where=self._where(a.target),
                ),
                **three,
            )
        if old_clause is not None and not same_words(before, now):
            # Suppressing words the newer edition rewrote: the rewrite may be what the group objected to.
            return CarriedChange(
                a,
                a,
                CONFLICT,
                [Overlap(before, "", now)],
                note=gettext_noop("The newer edition changed the clause this suppresses."),
                **three,
            )
        return CarriedChange(a, a, CLEAN, **three)


def _with_value(a: Amendment, value: str, is_part: bool) -> Amendment:
    return replace(a, heading=value) if is_part else replace(a, text=value)


def rebase(old: ResolutionText, new: ResolutionText, amendments: list[Amendment]) -> Rebase:
    """The amendments written against ``old``, carried onto ``new`` through the clauses' keys."""
    return _Carrier(old, new, amendments).carry(amendments)
