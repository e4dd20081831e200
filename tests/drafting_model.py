"""A model-based test of the drafting state (issue 24): people doing anything, in any order, and a plain model.

Two delegates and the coordinator of a group and an officer of the secretariat do random sequences of
what the tool lets them do: open a clause for editing (keeping the version they saw), save its text
or its label, add an item (renumbering or as bis), suppress, restore, restore a version from the
history, find and replace (also from a preview older than other changes), comment, submit, revise,
withdraw, rebase onto a newer edition, settle and adopt. A plain in-memory model says what the draft
must be; after every step the tool's state is checked against it:

- a clause only ever shows words written for it (every text saved carries a marker, ``⟦17⟧``, and
  a marker may appear only in the clause it was written for);
- every save answered 200 is in the text or in that clause's history; every refused one is a 4xx
  with a message (a 409 when the clause changed since it was opened, is suppressed, or the
  contribution is frozen), and changes nothing;
- every change to a clause moves its version, and nothing else does;
- a clause's history holds only its own versions;
- a decision follows its clause through revisions and rebases;
- the consolidation shows exactly the group's changes;
- the Word export's Accept All gives the proposal and Reject All the base (at the end of each run).

The same machine runs through the services (``ServiceDriver``) and through the JSON API
(``ApiDriver``). ``tests/test_drafting_state_machine.py`` runs it in every suite run with a small
budget; ``scripts/drafting_state_machine.py`` runs it longer.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field

from django.db import transaction
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from drafting.engine.amend import UNLABELLED, with_closing
from drafting.engine.tree import FRONT, PART

MARK = re.compile(r"⟦\d+⟧")
GROUP = "RCC"

# The clauses the people work on: parts, items, nested items, first and last of their lists. The newer
# edition (``newer_edition_text``) changes none of them, so a rebase carries every change cleanly.
POOL = [
    "considering",
    "considering-a",
    "considering-b",
    "considering-e",
    "considering-e-i",
    "considering-e-ii",
    "considering-h",
    "recognizing",
    "recognizing-a",
    "recognizing-b",
    "resolves",
    "resolves-1",
    "resolves-2",
    "resolves-4",
]
LABELS = ["zbis)", "7ter", "¶", "", "k)"]
ACTORS = ("d1", "d2", "coord")


def newer_edition_text(seed: str) -> str:
    """Res. 75 as a later assembly might have left it: new revision, history and formula, one paragraph
    reworded (none of the pool's clauses)."""
    text = re.sub(r"RESOLUTION 75 \(Rev\.\s?Hammamet, 2016\)", "RESOLUTION 75 (Rev. Geneva, 2020)", seed)
    text = text.replace("Dubai, 2012; Hammamet, 2016)", "Dubai, 2012; Hammamet, 2016; Geneva, 2020)")
    text = text.replace(
        "Standardization Assembly (Hammamet, 2016),", "Standardization Assembly (Geneva, 2020),"
    )
    text = text.replace("created the ITU WSIS Task Force", "created the ITU WSIS Task Force in 2008")
    assert text != seed
    return text


def markers(text: str | None) -> set[str]:
    return set(MARK.findall(text or ""))


def same(a: str, b: str) -> bool:
    """Equal but for the closing punctuation, which the tool moves with the structure (``;`` ``,`` ``.``)."""
    return with_closing(a, "").rstrip(" ;,.") == with_closing(b, "").rstrip(" ;,.")


# --- the model --------------------------------------------------------------------------------------


@dataclass
class Clause:
    """What the draft must show for one clause."""

    key: str
    kind: str
    parent: str | None
    base_text: str | None  # None: added by the group
    text: str | None = None  # the group's words; None: as the base has it
    label: str | None = None  # set by hand ("¶": unlabelled); None: the tool numbers it
    suppressed: bool = False
    removed: bool = False  # an addition removed
    anchor: str | None = None  # an addition: the clause it was placed against

    @property
    def added(self) -> bool:
        return self.base_text is None

    @property
    def changed(self) -> bool:
        return self.added or self.suppressed or self.text is not None or self.label is not None


@dataclass
class Model:
    """The plain model: the clauses of the group's current proposal and what happened to the contribution."""

    clauses: dict[str, Clause]
    versions: dict[str, int] = field(default_factory=dict)
    writes: dict[str, set[str]] = field(default_factory=dict)  # key -> markers ever written for it
    saved: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # proposal -> key -> texts saved 200
    comments: dict[str, int] = field(default_factory=dict)
    status: str = "draft"  # of the current contribution: draft, submitted, withdrawn
    adopted: bool = False
    rebased: bool = False
    # Every contribution of the chain submitted (the original, its revisions), as submitted, and
    # whether it was withdrawn since; the consolidation compiles the latest one not withdrawn.
    submissions: list[list] = field(default_factory=list)
    decisions: dict[str, str] = field(default_factory=dict)

    @property
    def compiled(self) -> dict[str, Clause] | None:
        current = [clauses for clauses, withdrawn in self.submissions if not withdrawn]
        return current[-1] if current else None

    def version(self, key: str) -> int:
        return self.versions.get(key, 0)

    def bump(self, key: str) -> None:
        self.versions[key] = self.version(key) + 1

    def live(self) -> list[str]:
        # In the order the clauses came into the model (the pool, then additions): keys are random
        # UUIDs, and a draw must pick the same clause when hypothesis replays it.
        return [k for k, c in self.clauses.items() if not c.removed]

    def inside_suppressed(self, key: str) -> bool:
        parent = self.clauses[key].parent
        while parent is not None:
            if self.clauses[parent].suppressed:
                return True
            parent = self.clauses[parent].parent
        return False

    def editable(self, key: str) -> bool:
        c = self.clauses[key]
        return not c.removed and not c.suppressed and not self.inside_suppressed(key)


@dataclass
class Result:
    status: int
    message: str = ""
    data: object = None


class Refused(AssertionError):
    pass


# --- the machine -------------------------------------------------------------------------------------


class DraftingMachine(RuleBasedStateMachine):
    """Rules for what each person does; invariants after every step. ``driver`` is set by the test."""

    driver = None  # ServiceDriver or ApiDriver
    world = None  # the test's fixture: editions, people, keys
    expensive_every = 10  # history and consolidation checks every n steps (and at the end)

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        from django.core.cache import cache

        from drafting import caching
        from drafting.engine import citations

        # Ids come back after each run's rollback: nothing cached under them may be served again.
        cache.clear()
        caching.clear_all()
        citations.clear_parsed()
        self.d = self.driver(self.world)
        self.model = Model(clauses=copy.deepcopy(self.world.pool))
        self.counter = 0
        self.steps = 0
        self.opened: dict[str, dict[str, tuple[int, int]]] = {
            a: {} for a in ACTORS
        }  # actor -> key -> (proposal, version)
        self.panels: dict[str, tuple[int, int, list]] = {}  # key -> (proposal, version, history texts)
        self.preview: tuple[int, str, dict[str, int]] | None = None
        self.consolidation = None

    def teardown(self):
        try:
            if self.d is not None and not self.model.adopted:
                self.check_expensive()
                self.check_word_export()
        finally:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    # -- helpers ---------------------------------------------------------------------------------------

    def new_text(self, actor: str, kind: str = "item") -> tuple[str, str]:
        self.counter += 1
        marker = f"⟦{self.counter}⟧"
        if kind == PART:
            return marker, f"noting {marker} as {actor} puts it"
        return marker, f"the words {marker} as {actor} wrote them;"

    def refused(self, result: Result, statuses=(409,), why: str = "") -> None:
        assert result.status in statuses, (
            f"expected {statuses} ({why}), got {result.status}: {result.message}"
        )
        assert result.message.strip(), f"a refusal ({result.status}) without a message"

    def frozen(self) -> bool:
        return self.model.status != "draft"

    def record_save(self, key: str, text: str) -> None:
        self.model.saved.setdefault(self.d.proposal_pk, {}).setdefault(key, []).append(text)
        self.model.writes.setdefault(key, set()).update(markers(text))

    # -- opening and saving a clause --------------------------------------------------------------------

    @rule(actor=st.sampled_from(ACTORS), data=st.data())
    def open_for_edit(self, actor, data):
        key = data.draw(st.sampled_from(self.model.live()))
        version = self.d.read_version(actor, key)
        assert version == self.model.version(key), (
            f"{key}: version {version}, the model says {self.model.version(key)}"
        )
        self.opened[actor][key] = (self.d.proposal_pk, version)

    @precondition(lambda self: any(self.opened.values()))
    @rule(data=st.data())
    def save_text(self, data):
        actor = data.draw(st.sampled_from([a for a in ACTORS if self.opened[a]]))
        key = data.draw(st.sampled_from(list(self.opened[actor])))
        pk, seen = self.opened[actor].pop(key)
        c = self.model.clauses[key]
        marker, text = self.new_text(actor, c.kind)
        result = self.d.modify(actor, pk, key, text, seen)
        if pk != self.d.proposal_pk or self.frozen():
            return self.refused(result, why="frozen")
        if c.removed or seen != self.model.version(key) or not self.model.editable(key):
            return self.refused(result, why="changed since opened, or suppressed")
        assert result.status == 200, result.message
        c.text = text
        self.model.bump(key)
        self.record_save(key, text)

    @precondition(lambda self: any(self.opened.values()))
    @rule(data=st.data(), label=st.sampled_from(LABELS))
    def save_label(self, data, label):
        actor = data.draw(st.sampled_from([a for a in ACTORS if self.opened[a]]))
        key = data.draw(st.sampled_from(list(self.opened[actor])))
        pk, seen = self.opened[actor].pop(key)
        c = self.model.clauses[key]
        result = self.d.modify(actor, pk, key, None, seen, label=label)
        if pk != self.d.proposal_pk or self.frozen():
            return self.refused(result, why="frozen")
        if c.removed or seen != self.model.version(key) or not self.model.editable(key):
            return self.refused(result, why="changed since opened, or suppressed")
        if c.kind in (PART, FRONT):
            if label == "":
                assert result.status == 200, result.message  # no label set by hand: what it has
                return
            return self.refused(result, (400,), "a part or the title has no label")
        if result.status == 400:
            assert result.message, "a refused label without a reason"
            return
        assert result.status == 200, result.message
        stored = label or None  # "" gives the item back to the tool's numbering
        if stored == c.label:
            return  # the label it already has: nothing to save
        c.label = stored
        self.model.bump(key)

    # -- structure ----------------------------------------------------------------------------------------

    @rule(
        actor=st.sampled_from(ACTORS),
        data=st.data(),
        position=st.sampled_from(["after", "before", "first_child"]),
        bis=st.booleans(),
    )
    def add(self, actor, data, position, bis):
        anchor = data.draw(st.sampled_from(list(self.model.clauses)))
        a = self.model.clauses[anchor]
        if a.kind == PART and position != "first_child":
            position = "first_child"
        marker, text = self.new_text(actor)
        result = self.d.add(actor, anchor, position, text, bis)
        if self.frozen():
            return self.refused(result, why="frozen")
        if a.kind == FRONT:
            return self.refused(result, (400,), "nothing is added beside the title")
        if a.removed:
            return self.refused(result, (404,), "the anchor was removed")
        inside = position == "first_child"
        if (inside and a.suppressed) or self.model.inside_suppressed(anchor):
            return self.refused(result, why="nobody would see it")
        if bis and result.status == 400:
            return  # nothing before it to take the label of
        assert result.status in (200, 201), result.message
        key = result.data
        parent = anchor if inside else a.parent
        self.model.clauses[key] = Clause(key, "item", parent, None, text=text, anchor=anchor)
        self.model.bump(key)
        self.record_save(key, text)

    @rule(actor=st.sampled_from(ACTORS), data=st.data())
    def suppress(self, actor, data):
        key = data.draw(st.sampled_from(self.model.live()))
        c = self.model.clauses[key]
        result = self.d.suppress(actor, key)
        if self.frozen():
            return self.refused(result, why="frozen")
        if c.kind == FRONT:
            return self.refused(result, (400,), "the title is not suppressed, it is reworded")
        if c.suppressed:
            return self.refused(result, why="already suppressed")
        if c.added and any(
            o.anchor == key and not o.removed for o in self.model.clauses.values() if o.key != key
        ):
            return self.refused(result, why="other changes placed against it")
        assert result.status == 200, result.message
        if c.added:
            c.removed = True
        else:
            c.suppressed = True
        self.model.bump(key)

    @rule(actor=st.sampled_from(ACTORS), data=st.data())
    def restore(self, actor, data):
        key = data.draw(st.sampled_from(self.model.live()))
        c = self.model.clauses[key]
        result = self.d.restore(actor, key)
        if self.frozen():
            return self.refused(result, why="frozen")
        if not c.suppressed:
            return self.refused(result, why="not suppressed")
        assert result.status == 200, result.message
        c.suppressed = False
        self.model.bump(key)

    # -- history ------------------------------------------------------------------------------------------

    @rule(actor=st.sampled_from(ACTORS), data=st.data())
    def open_history(self, actor, data):
        key = data.draw(st.sampled_from(list(self.model.clauses)))
        version, texts = self.d.history(actor, key)
        assert version == self.model.version(key)
        for text in texts:
            assert markers(text) <= self.model.writes.get(key, set()), f"{key}'s history shows {text!r}"
        self.panels[key] = (self.d.proposal_pk, version, texts)

    @precondition(lambda self: self.panels)
    @rule(actor=st.sampled_from(ACTORS), data=st.data())
    def restore_version(self, actor, data):
        key = data.draw(st.sampled_from(list(self.panels)))
        pk, seen, texts = self.panels.pop(key)
        choices = [i for i, t in enumerate(texts[:-1]) if t]
        if not choices:
            return
        index = data.draw(st.sampled_from(choices))
        c = self.model.clauses[key]
        result = self.d.restore_version(actor, pk, key, index, seen)
        if pk != self.d.proposal_pk or self.frozen():
            return self.refused(result, why="frozen")
        if c.removed or seen != self.model.version(key) or not self.model.editable(key):
            return self.refused(result, why="changed since the panel opened, or suppressed")
        assert result.status == 200, result.message
        text = texts[index]
        new = None if (not c.added and text == c.base_text) else text
        if new == c.text:
            return  # the words it has now: nothing to save
        c.text = new
        self.model.bump(key)
        self.record_save(key, text)

    # -- find and replace -----------------------------------------------------------------------------------

    def _visible_markers(self) -> dict[str, str]:
        found = {}
        for key, c in self.model.clauses.items():
            if c.text and self.model.editable(key):
                for m in markers(c.text):
                    found[m] = key
        return found

    @rule(actor=st.sampled_from(ACTORS), data=st.data(), from_preview=st.booleans())
    def replace(self, actor, data, from_preview):
        if from_preview and self.preview is not None:
            pk, find, seen = self.preview
            self.preview = None
        else:
            visible = self._visible_markers()
            if not visible:
                return
            pk, find = self.d.proposal_pk, data.draw(st.sampled_from(sorted(visible)))
            seen = None
        marker, _ = self.new_text(actor)
        result = self.d.replace(actor, pk, find, marker, seen)
        if pk != self.d.proposal_pk or self.frozen():
            return self.refused(result, (403, 409), "frozen")
        if seen is not None and any(self.model.version(k) != v for k, v in seen.items()):
            return self.refused(result, why="a clause of the preview changed since")
        assert result.status == 200, result.message
        hits = [
            k for k, c in self.model.clauses.items() if c.text and find in c.text and self.model.editable(k)
        ]
        assert result.data == len(hits), f"replaced in {result.data} clauses, the model has {hits}"
        for key in hits:
            c = self.model.clauses[key]
            c.text = c.text.replace(find, marker)
            self.model.bump(key)
            self.record_save(key, c.text)

    @rule(data=st.data())
    def preview_replace(self, data):
        visible = self._visible_markers()
        if not visible or self.frozen():
            return
        find = data.draw(st.sampled_from(sorted(visible)))
        key = visible[find]
        self.preview = (self.d.proposal_pk, find, {key: self.d.read_version("d1", key)})

    # -- comments ---------------------------------------------------------------------------------------------

    @rule(actor=st.sampled_from(ACTORS), data=st.data())
    def comment(self, actor, data):
        key = data.draw(st.sampled_from(self.model.live()))
        result = self.d.comment(actor, key, f"a remark by {actor} on this clause")
        if self.frozen():
            return self.refused(result, why="frozen")
        assert result.status in (200, 201), result.message
        self.model.comments[key] = self.model.comments.get(key, 0) + 1

    # -- the contribution's life -------------------------------------------------------------------------------

    @rule()
    def submit(self):
        result = self.d.submit()
        if self.model.status != "draft" or self.model.adopted:
            return self.refused(result, why="not a draft, or closed by adoption")
        assert result.status == 200, result.message
        self.model.status = "submitted"
        self.model.submissions.append([copy.deepcopy(self.model.clauses), False])
        self.d.open_consolidation()

    @rule()
    def withdraw(self):
        result = self.d.withdraw()
        if self.model.status != "submitted" or self.model.adopted:
            return self.refused(result, why="only a submitted contribution is withdrawn")
        assert result.status == 200, result.message
        self.model.status = "withdrawn"
        self.model.submissions[-1][1] = True

    @rule(actor=st.sampled_from(ACTORS))
    def revise(self, actor):
        result = self.d.revise(actor)
        if self.model.status != "submitted" or self.model.adopted:
            return self.refused(result, why="only a submitted contribution is revised")
        assert result.status in (200, 201), result.message
        m = self.model
        m.status = "draft"
        # The revision copies every change; each changed clause starts again at version 1.
        m.versions = {k: 1 for k, c in m.clauses.items() if c.changed and not c.removed}
        m.comments = {}

    @precondition(lambda self: not self.model.rebased)
    @rule(actor=st.sampled_from(ACTORS))
    def rebase(self, actor):
        result = self.d.rebase(actor)
        if self.frozen():
            return self.refused(result, why="frozen")
        assert result.status == 200, result.message
        m = self.model
        m.rebased = True
        # Every clause whose change was carried moves on a version, and the one paragraph the newer
        # edition reworded; none of the pool's base texts changed.
        for key, c in m.clauses.items():
            if c.changed and not c.removed:
                m.bump(key)
        m.bump(self.world.reworded)

    # -- the secretariat ----------------------------------------------------------------------------------------

    def _compiled_changes(self) -> list[str]:
        compiled = self.model.compiled or {}
        return [k for k, c in compiled.items() if c.changed and not c.removed and (c.text or c.suppressed)]

    @precondition(lambda self: self.model.compiled is not None and not self.model.adopted)
    @rule(data=st.data(), choice=st.sampled_from(["group", "base"]))
    def settle(self, data, choice):
        keys = self._compiled_changes()
        if not keys:
            return
        key = data.draw(st.sampled_from(keys))
        result = self.d.settle(key, choice)
        assert result.status == 200, result.message
        self.model.decisions[key] = choice

    @precondition(lambda self: self.model.compiled is not None and not self.model.adopted)
    @rule()
    def adopt(self):
        self.check_expensive()
        result = self.d.adopt()
        assert result.status == 200, result.message
        edition = result.data
        self.model.adopted = True
        compiled = self.model.compiled
        # What was settled for the group's words is in the new edition, under the clause's identity.
        for key, choice in self.model.decisions.items():
            c = compiled.get(key)
            if c is None or c.removed:
                continue
            adopted = edition.get(key)
            if choice == "group":
                if c.suppressed:
                    assert adopted is None, f"{key} was suppressed, yet adopted as {adopted!r}"
                elif c.text is not None:
                    assert adopted is not None and same(adopted, c.text), (
                        f"{key}: adopted {adopted!r}, settled {c.text!r}"
                    )
            elif not c.added:
                assert adopted is not None and not markers(adopted), (
                    f"{key}: the base was chosen, adopted {adopted!r}"
                )

    # -- invariants ------------------------------------------------------------------------------------------------

    @invariant()
    def the_draft_is_the_model(self):
        self.steps += 1
        draft = self.d.draft()
        m = self.model
        assert draft.problems == [], draft.problems
        # A reference to a part renamed by the group follows its new name ("resolves 1 above" becomes
        # "resolves further 1 above"): the words of a part's heading may stand in a clause citing it.
        renamed = {
            c.base_text.lower(): m.writes.get(k, set())
            for k, c in m.clauses.items()
            if c.kind == PART and c.base_text and c.text is not None
        }
        seen = set()
        for node, _ in draft.walk_all():
            seen.add(node.key)
            shown = node.heading if node.kind == PART else node.text
            written = set(m.writes.get(node.key, set()))
            cited = (node.base.text or "").lower() if node.base is not None and node.kind != PART else ""
            for heading, words in renamed.items():
                if re.search(rf"\b{re.escape(heading)}\s+\d", cited):
                    written |= words
            assert markers(shown) <= written, f"{node.key} shows {shown!r}: words written for another clause"
            c = m.clauses.get(node.key)
            if c is None:
                assert not node.suppressed, f"{node.key} is suppressed, nobody suppressed it"
                continue
            assert not c.removed, f"{node.key} was removed, yet it is in the text"
            assert node.suppressed == c.suppressed, (
                f"{node.key}: suppressed {node.suppressed}, model {c.suppressed}"
            )
            if c.text is not None:
                assert same(shown, c.text), f"{node.key} shows {shown!r}, the group wrote {c.text!r}"
            else:
                assert not markers(shown), f"{node.key} shows {shown!r}, nobody changed it"
            if c.label is not None and node.kind != PART:
                want = "" if c.label == UNLABELLED else c.label
                assert node.label_fixed and node.label == want, (
                    f"{node.key}: label {node.label!r}, set {want!r}"
                )
        for key, c in m.clauses.items():
            assert (key in seen) != c.removed, f"{key}: in the text {key in seen}, removed {c.removed}"

    @invariant()
    def every_change_moved_its_version_and_nothing_else(self):
        versions = self.d.versions()
        want = {k: v for k, v in self.model.versions.items() if v}
        assert versions == want, f"versions {versions}, the model has {want}"

    @invariant()
    def now_and_then_the_expensive_checks(self):
        if self.steps % self.expensive_every == 0 and not self.model.adopted:
            self.check_expensive()

    def check_expensive(self):
        self.check_history()
        self.check_consolidation()

    def check_history(self):
        m = self.model
        touched = {k for k, c in m.clauses.items() if c.changed} | set(m.saved.get(self.d.proposal_pk, {}))
        for key in sorted(touched):
            version, texts = self.d.history("d1", key)
            for text in texts:
                assert markers(text) <= m.writes.get(key, set()), f"{key}'s history lists {text!r}"
            saved = m.saved.get(self.d.proposal_pk, {}).get(key, [])
            current = m.clauses[key].text
            for text in saved:
                # The closing mark is the tool's (it follows the structure): a text is found by its words.
                found = any(same(text, t) for t in texts) or (current is not None and same(text, current))
                assert found, f"{key}: {text!r} was saved (200) and is nowhere: {texts}"

    def check_consolidation(self):
        m = self.model
        if m.compiled is None:
            return
        compilation = self.d.compilation()
        group = compilation.drafts.get(GROUP) if compilation.drafts else None
        assert group is not None, "the submitted proposal is not in its consolidation"
        for row in compilation.rows:
            version = row.versions.get(GROUP)
            clause = version.clause if version is not None else None
            if clause is None:
                continue
            shown = clause.heading if clause.kind == PART else clause.text
            written = set().union(*(m.writes.get(k, set()) for k in row.aliases))
            assert markers(shown) <= written, f"row {row.key} shows {shown!r} for {GROUP}"
        for key, c in m.compiled.items():
            if c.removed:
                continue
            row = compilation.row(key)
            assert row is not None, f"{key} has no row in the consolidation"
            clause = row.versions[GROUP].clause
            shown = clause.heading if clause.kind == PART else clause.text
            if c.suppressed:
                assert clause.suppressed and GROUP in row.merge.changed_by, (
                    f"{key}: the suppression is not shown"
                )
            elif c.added:
                assert GROUP in row.added_by and same(shown, c.text), f"{key}: the addition shows {shown!r}"
            elif c.text is not None:
                assert GROUP in row.merge.changed_by and same(shown, c.text), f"{key} shows {shown!r}"
            if c.label is not None and not c.suppressed:
                assert row.status != "unchanged", f"{key}: the label set by hand is not in the consolidation"
            decision = m.decisions.get(key)
            if decision is not None and (c.text is not None or c.suppressed):
                found = compilation.decisions.get(row.key)
                assert found is not None and found.choice == decision, f"{key}: the decision did not follow"

    def check_word_export(self):
        from tests import word_revisions as wr

        check = wr.contribution_check("state machine", self.d.contribution(), tracked=True)
        accepted = check.lines(wr.ACCEPT)
        rejected = check.lines(wr.REJECT)
        assert accepted == check.wanted[wr.ACCEPT], "Accept All is not the proposal"
        assert rejected == check.wanted[wr.REJECT], "Reject All is not the base"
        shown = "\n".join(accepted)
        for key, c in self.model.clauses.items():
            if c.text and self.model.editable(key):
                for marker in markers(c.text):
                    assert marker in shown, f"{key}'s {marker} is not in the accepted document"
        assert not markers("\n".join(rejected)), "Reject All kept the group's words"


# --- drivers: the same operations through the services and through the API ------------------------------


class _Driver:
    def __init__(self, world):
        self.world = world
        self.people = world.people
        self.contribution_pk, self.proposal_pk = world.new_draft()
        self.consolidation_pk = None
        self.submitted_pk = None

    _proposal = None

    def proposal(self):
        """The current proposal, read again after anything was written (a service reads its status)."""
        from drafting.models import Proposal

        if self._proposal is None or self._proposal.pk != self.proposal_pk:
            self._proposal = Proposal.objects.select_related(
                "contribution__group", "contribution__conference", "base_edition__resolution", "resolution"
            ).get(pk=self.proposal_pk)
        return self._proposal

    def written(self) -> None:
        self._proposal = None

    def contribution(self):
        from drafting.models import Contribution

        return Contribution.objects.get(pk=self.contribution_pk)

    def draft(self):
        from drafting.services.amendments import draft_of

        return draft_of(self.proposal())

    def versions(self) -> dict[str, int]:
        from drafting.services.amendments import clause_versions

        return {k: v for k, v in clause_versions(self.proposal()).items() if v}

    def compilation(self):
        from drafting.models import Consolidation
        from drafting.services.consolidation import compile_consolidation

        return compile_consolidation(Consolidation.objects.get(pk=self.consolidation_pk))

    def open_consolidation(self) -> None:
        self._consolidation()

    def _consolidation(self):
        from drafting.models import Consolidation
        from drafting.services.consolidation import open_consolidation

        if self.consolidation_pk is None:
            proposal = self.proposal()
            consolidation = open_consolidation(
                self.people["officer"], proposal.contribution.conference, proposal.resolution
            )
            self.consolidation_pk = consolidation.pk
        return Consolidation.objects.get(pk=self.consolidation_pk)


class ServiceDriver(_Driver):
    """Every operation through the services, as the pages call them."""

    def _call(self, fn, *args, **kwargs) -> Result:
        from drafting.services import DomainError

        self.written()
        try:
            with transaction.atomic():
                return Result(200, "", fn(*args, **kwargs))
        except DomainError as problem:
            return Result(problem.status, problem.message)
        finally:
            self.written()

    def read_version(self, actor, key):
        from drafting.services.amendments import clause_version

        return clause_version(self.proposal(), key)

    def modify(self, actor, pk, key, text, version, label=None):
        from drafting.models import Proposal
        from drafting.services.amendments import modify_clause

        return self._call(
            modify_clause, self.people[actor], Proposal.objects.get(pk=pk), key, text, version, label=label
        )

    def add(self, actor, anchor, position, text, bis):
        from drafting.engine.amend import BIS, RENUMBER
        from drafting.services.amendments import add_clause

        result = self._call(
            add_clause,
            self.people[actor],
            self.proposal(),
            anchor,
            position,
            text=text,
            numbering=BIS if bis else RENUMBER,
        )
        if result.status == 200:
            result.data = str(result.data.added.key)
        return result

    def suppress(self, actor, key):
        from drafting.services.amendments import suppress_clause

        return self._call(suppress_clause, self.people[actor], self.proposal(), key)

    def restore(self, actor, key):
        from drafting.services.amendments import restore_clause

        return self._call(restore_clause, self.people[actor], self.proposal(), key)

    def history(self, actor, key):
        from drafting.services.amendments import clause_history, clause_version

        proposal = self.proposal()
        return clause_version(proposal, key), [v["text"] for v in clause_history(proposal, key)]

    def restore_version(self, actor, pk, key, index, version):
        from drafting.models import Proposal
        from drafting.services.amendments import restore_version

        return self._call(
            restore_version, self.people[actor], Proposal.objects.get(pk=pk), key, index, version
        )

    def replace(self, actor, pk, find, replace, seen):
        from drafting.models import Proposal
        from drafting.services.amendments import apply_replace

        return self._call(
            apply_replace, self.people[actor], Proposal.objects.get(pk=pk), find, replace, seen=seen
        )

    def comment(self, actor, key, text):
        from drafting.services.amendments import add_comment

        return self._call(add_comment, self.people[actor], self.proposal(), key, text)

    def submit(self):
        from drafting.services.contributions import submit_contribution

        result = self._call(submit_contribution, self.people["coord"], self.contribution())
        if result.status == 200:
            self.submitted_pk = self.contribution_pk
        return result

    def withdraw(self):
        from drafting.services.contributions import withdraw_contribution

        return self._call(withdraw_contribution, self.people["coord"], self.contribution())

    def revise(self, actor):
        from drafting.services.contributions import revise_contribution

        result = self._call(revise_contribution, self.people[actor], self.contribution())
        if result.status == 200:
            revision = result.data
            self.contribution_pk = revision.pk
            self.proposal_pk = revision.proposals.get().pk
        return result

    def rebase(self, actor):
        from drafting.services.rebase import rebase_proposal

        return self._call(rebase_proposal, self.people[actor], self.proposal(), self.world.newer)

    def settle(self, key, choice):
        from drafting.services.consolidation import compile_consolidation, settle_clause

        consolidation = self._consolidation()
        compilation = compile_consolidation(consolidation)
        row = compilation.row(key)
        decision = compilation.decisions.get(row.key) if row is not None else None
        return self._call(
            settle_clause,
            self.people["officer"],
            consolidation,
            key,
            choice,
            group=GROUP if choice == "group" else "",
            expected_version=decision.version if decision is not None else 0,
        )

    def adopt(self):
        from drafting.services.consolidation import adopt

        result = self._call(adopt, self.people["officer"], self._consolidation(), leave_open_as_base=True)
        if result.status == 200:
            result.data = _edition_texts(result.data.pk)
        return result


def _edition_texts(edition_pk: int) -> dict[str, str]:
    """Every clause of an edition by its key, the title under its own."""
    from drafting.models import Clause, Edition
    from drafting.models.library import front_key

    edition = Edition.objects.get(pk=edition_pk)
    texts = {
        str(c.provision.key): (c.heading if c.kind == PART else c.text)
        for c in Clause.objects.filter(edition_id=edition_pk).select_related("provision")
    }
    texts[front_key(edition.resolution_id, "title")] = edition.title
    return texts


class ApiDriver(_Driver):
    """Every operation through the JSON API, each person with their own session."""

    def __init__(self, world):
        super().__init__(world)
        from django.test import Client

        self.clients = {}
        for name, user in self.people.items():
            client = Client()
            client.force_login(user)
            self.clients[name] = client

    def _send(self, actor, method, url, body=None) -> Result:
        if method != "get":
            self.written()
        client = self.clients[actor]
        kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
        response = getattr(client, method)(f"/api{url}", **kwargs)
        assert response.status_code < 500, f"{method.upper()} {url}: {response.status_code}"
        payload = response.json() if response.content else {}
        message = payload.get("detail", "") if isinstance(payload, dict) else ""
        if isinstance(message, list):  # a 422 from the schema
            message = json.dumps(message)
        return Result(response.status_code, message, payload)

    def read_version(self, actor, key):
        result = self._send(actor, "get", f"/proposals/{self.proposal_pk}")
        assert result.status == 200, result.message
        return next((c["version"] for c in result.data["clauses"] if c["key"] == key), 0)

    def _check_saved(self, result: Result, key: str, text: str | None) -> Result:
        if result.status == 200 and text is not None:
            clause = next(c for c in result.data["clauses"] if c["key"] == key)
            shown = clause["heading"] if clause["kind"] == PART else clause["text"]
            assert same(shown, text), f"the API answered 200 and shows {shown!r}"
        return result

    def modify(self, actor, pk, key, text, version, label=None):
        body = {"version": version}
        if text is not None:
            body["text"] = text
        if label is not None:
            body["label"] = label
        return self._check_saved(self._send(actor, "put", f"/proposals/{pk}/clauses/{key}", body), key, text)

    def add(self, actor, anchor, position, text, bis):
        before = {
            c["key"]
            for c in self._send(actor, "get", f"/proposals/{self.proposal_pk}").data.get("clauses", [])
        }
        result = self._send(
            actor,
            "post",
            f"/proposals/{self.proposal_pk}/clauses/{anchor}/additions",
            {"position": position, "text": text, "numbering": "bis" if bis else "renumber"},
        )
        if result.status == 201:
            (new,) = [c["key"] for c in result.data["clauses"] if c["key"] not in before]
            result.data = new
        return result

    def suppress(self, actor, key):
        return self._send(actor, "post", f"/proposals/{self.proposal_pk}/clauses/{key}/suppression")

    def restore(self, actor, key):
        return self._send(actor, "delete", f"/proposals/{self.proposal_pk}/clauses/{key}/suppression")

    def history(self, actor, key):
        result = self._send(actor, "get", f"/proposals/{self.proposal_pk}/clauses/{key}/history")
        assert result.status == 200, result.message
        return result.data["version"], [e["text"] for e in result.data["entries"]]

    def restore_version(self, actor, pk, key, index, version):
        return self._send(
            actor, "post", f"/proposals/{pk}/clauses/{key}/history/{index}/restore", {"version": version}
        )

    def replace(self, actor, pk, find, replace, seen):
        body = {"find": find, "replace": replace}
        if seen is not None:
            body["versions"] = seen
        result = self._send(actor, "post", f"/proposals/{pk}/replace", body)
        if result.status == 200:
            result.data = result.data["clauses_changed"]
        return result

    def comment(self, actor, key, text):
        return self._send(
            actor, "post", f"/proposals/{self.proposal_pk}/clauses/{key}/comments", {"text": text}
        )

    def submit(self):
        return self._send("coord", "post", f"/contributions/{self.contribution_pk}/submit")

    def withdraw(self):
        return self._send("coord", "post", f"/contributions/{self.contribution_pk}/withdraw")

    def revise(self, actor):
        result = self._send(actor, "post", f"/contributions/{self.contribution_pk}/revisions")
        if result.status == 201:
            self.contribution_pk = result.data["id"]
            (proposal,) = result.data["proposals"]
            self.proposal_pk = proposal["id"]
        return result

    def rebase(self, actor):
        return self._send(
            actor, "post", f"/proposals/{self.proposal_pk}/rebase", {"edition": self.world.newer.pk}
        )

    def open_consolidation(self) -> None:
        self._open()

    def _open(self):
        if self.consolidation_pk is None:
            proposal = self.proposal()
            result = self._send(
                "officer",
                "post",
                "/consolidations",
                {"conference": proposal.contribution.conference.code, "body": "WTSA", "number": "75"},
            )
            assert result.status in (200, 201), result.message
            self.consolidation_pk = result.data["id"]
        return self.consolidation_pk

    def settle(self, key, choice):
        pk = self._open()
        state = self._send("officer", "get", f"/consolidations/{pk}").data
        row = next((r for r in state["rows"] if r["key"] == key or key in r.get("aliases", [])), None)
        version = row["decision_version"] if row else 0
        body = {"key": key, "choice": choice, "version": version}
        if choice == "group":
            body["group"] = GROUP
        return self._send("officer", "post", f"/consolidations/{pk}/settle", body)

    def adopt(self):
        pk = self._open()
        version = self._send("officer", "get", f"/consolidations/{pk}").data["version"]
        result = self._send(
            "officer", "post", f"/consolidations/{pk}/adopt", {"leave_open_as_base": True, "version": version}
        )
        if result.status == 200:
            result.data = _edition_texts(result.data["id"])
        return result
