"""The secretariat's consolidation: compile, settle clause by clause, and adopt the next edition."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from drafting import live
from drafting.engine import amend as engine
from drafting.engine import rebase as carry
from drafting.engine.consolidate import ConsolidatedClause, consolidate, extended_history
from drafting.engine.diff import tokens
from drafting.engine.front import rebase_with_front
from drafting.engine.merge import UNCHANGED, same_words, word_edits
from drafting.engine.tree import PART
from drafting.models import (
    Conference,
    Consolidation,
    Contribution,
    Decision,
    Edition,
    Proposal,
    Resolution,
    UndoableAction,
)
from drafting.permissions import is_secretariat
from drafting.reading import edition_tree, latest_edition
from drafting.validation import clean_values

from . import DomainError, notifications, undo
from .amendments import engine_amendments
from .naming import clause_name
from .outcomes import (
    FATE_NAMES,
    NOT_TAKEN,
    PENDING,
    TAKEN,
    TAKEN_MODIFIED,
    Outcome,
    outcome_of,
    withdrawn,
)


class ConsolidationProblem(DomainError):
    """A consolidation step that cannot be done; nothing was saved."""


def _require_secretariat(user) -> None:
    if not is_secretariat(user):
        raise ConsolidationProblem(
            gettext("Only the secretariat settles and adopts consolidated texts."), status=403
        )


def current_proposals(conference: Conference, resolution: Resolution) -> list[Proposal]:
    """The MOD proposals that count: submitted, not withdrawn, the latest submitted revision of each document."""
    proposals = (
        Proposal.objects.filter(
            contribution__conference=conference,
            contribution__status=Contribution.SUBMITTED,
            resolution=resolution,
            action=Proposal.MOD,
        )
        .select_related("contribution__group", "contribution__conference", "base_edition", "resolution__body")
        .order_by("contribution__group__code", "-contribution__revision")
    )
    latest: dict[tuple, Proposal] = {}
    for p in proposals:
        c = p.contribution
        latest.setdefault((c.group_id, c.document_number, c.addendum), p)
    return list(latest.values())


def _newer(a: Edition, b: Edition) -> bool:
    """Whether edition ``a`` came after ``b``."""
    return (a.year or 0, a.created_at) > (b.year or 0, b.created_at)


@transaction.atomic
def open_consolidation(
    user, conference: Conference, resolution: Resolution, edition: Edition | None = None
) -> Consolidation:
    """The consolidation of a resolution for a conference, created the first time the secretariat opens it.

    It is opened on ``edition``, by default the newest edition of the resolution;
    proposals written against any other edition are carried onto it.
    """
    existing = Consolidation.objects.filter(conference=conference, resolution=resolution).first()
    if existing is not None:
        return existing
    _require_secretariat(user)
    if edition is not None and edition.resolution_id != resolution.pk:
        raise ConsolidationProblem(
            gettext("%(edition)s is not an edition of %(resolution)s.")
            % {"edition": edition, "resolution": resolution}
        )
    base = edition or latest_edition(resolution)
    if base is None:
        raise ConsolidationProblem(
            gettext("%(resolution)s has no edition to consolidate against.") % {"resolution": resolution}
        )
    try:
        with transaction.atomic():
            return Consolidation.objects.create(
                conference=conference, resolution=resolution, base_edition=base
            )
    except IntegrityError:
        return Consolidation.objects.get(conference=conference, resolution=resolution)


@dataclass
class Move:
    consolidation: Consolidation
    kept: int  # decisions whose clause is in the new edition's consolidation
    dropped: int  # decisions whose clause is not: kept on record, no longer applied


@transaction.atomic
def move_consolidation(
    user, consolidation: Consolidation, edition: Edition, *, expected_version: int | None = None
) -> Move:
    """Consolidate against a newer edition: every proposal is carried onto it, every decision kept where it applies."""
    _require_secretariat(user)
    locked = Consolidation.objects.select_for_update().select_related("base_edition").get(pk=consolidation.pk)
    if locked.status != Consolidation.OPEN:
        raise ConsolidationProblem(
            gettext("This consolidation has been adopted: its edition can no longer change."), status=409
        )
    if expected_version is not None and expected_version != locked.version:
        raise ConsolidationProblem(
            gettext("The consolidation changed since you looked at it. Review it and move it again."),
            status=409,
        )
    if edition.resolution_id != locked.resolution_id:
        raise ConsolidationProblem(
            gettext("%(edition)s is not an edition of %(resolution)s.")
            % {"edition": edition, "resolution": locked.resolution}
        )
    if edition.pk == locked.base_edition_id:
        raise ConsolidationProblem(
            gettext("The consolidation is already against %(name)s.") % {"name": edition.name}, status=409
        )
    if not _newer(edition, locked.base_edition):
        raise ConsolidationProblem(
            gettext("%(name)s is older than %(name2)s: a consolidation moves only to a newer edition.")
            % {"name": edition.name, "name2": locked.base_edition.name}
        )
    locked.base_edition = edition
    locked.version = F("version") + 1
    locked.save(update_fields=["base_edition", "version"])
    locked.refresh_from_db()
    compilation = compile_consolidation(locked)
    keys = {k for r in compilation.rows for k in r.aliases}
    decided = list(locked.decisions.values_list("key", flat=True))
    kept = sum(1 for k in decided if k in keys)
    return Move(locked, kept, len(decided) - kept)


@dataclass
class Carried:
    """A proposal written against another edition, carried onto the consolidation's edition."""

    proposal: Proposal
    rebase: carry.Rebase

    @property
    def edition(self) -> Edition:
        return self.proposal.base_edition

    @property
    def conflicts(self) -> list[carry.CarriedChange]:
        return self.rebase.conflicts

    def count(self, state: str) -> int:
        return self.rebase.count(state)


@dataclass
class Compilation:
    consolidation: Consolidation
    proposals: dict[str, Proposal]  # by group code
    carried: dict[str, Carried]  # by group code: the proposals written against another edition
    rows: list[ConsolidatedClause]
    decisions: dict[str, Decision]  # by row key (a decision recorded under another key of the row counts)
    base: object = None  # the base tree (engine), read once
    drafts: dict = None  # each group's draft (engine), by group code

    @property
    def groups(self) -> list[str]:
        return sorted(self.proposals)

    @property
    def other_base(self) -> list[Proposal]:
        return [c.proposal for c in self.carried.values()]

    @property
    def adopted(self) -> bool:
        return self.consolidation.status == Consolidation.ADOPTED

    def row(self, key: str) -> ConsolidatedClause | None:
        return next((r for r in self.rows if r.key == key or key in r.aliases), None)

    def settled(self) -> int:
        """Decisions taken on changed clauses: unchanged ones need none, so they count for nothing."""
        return sum(1 for r in self.rows if r.status != UNCHANGED and self._decided(r))

    def to_settle(self) -> int:
        """The clauses that need a decision: those some group changed."""
        return sum(1 for r in self.rows if r.status != UNCHANGED)

    def open_rows(self) -> list[ConsolidatedClause]:
        return [r for r in self.rows if r.status != UNCHANGED and not self._decided(r)]

    def _decided(self, row: ConsolidatedClause) -> bool:
        d = self.decisions.get(row.key)
        return d is not None and d.choice != Decision.OPEN


def compile_consolidation(consolidation: Consolidation) -> Compilation:
    """Every current proposal merged clause by clause against the base edition, with the decisions.

    Proposals written against another edition are first carried onto the base
    edition (``engine.rebase``). The merge depends only on the base edition and the
    submitted proposals, which no longer change: it is built once per set of them and
    shared (``caching.compilations``), so that settling a clause costs reading the
    decisions, not merging every group again. Three queries when the merge is known
    (the proposals, the decisions, the consolidation's own row is the caller's); a
    constant number however many groups and clauses when it is not.
    """
    from drafting import caching

    proposals = {
        p.contribution.group.code: p
        for p in current_proposals(consolidation.conference, consolidation.resolution)
    }
    key = (
        consolidation.base_edition_id,
        tuple(
            (g, p.pk, p.version, p.base_edition_id, p.contribution_id, p.contribution.version)
            for g, p in sorted(proposals.items())
        ),
    )
    proposals, carried, rows, base, drafts = caching.compilations.get_or_build(
        key, lambda: _merge(consolidation.base_edition, proposals)
    )
    decisions = _by_row(
        rows, consolidation.decisions.select_related("decided_by").order_by("decided_at", "id")
    )
    return Compilation(consolidation, proposals, carried, rows, decisions, base, drafts)


def _by_row(rows: list[ConsolidatedClause], decisions) -> dict[str, Decision]:
    row_of = {k: r.key for r in rows for k in r.aliases}
    result: dict[str, Decision] = {}
    for d in decisions:
        key = row_of.get(d.key, d.key)
        # A decision recorded under the row's own key wins over one recorded under another group's key.
        if key not in result or d.key == key:
            result[key] = d
    return result


def compilation_as_of(compilation: Compilation, moment) -> Compilation:
    """The compilation with the decisions as they stood at ``moment`` (from their history records);
    the groups' proposals are the current ones."""
    records = Decision.history.filter(
        consolidation_id=compilation.consolidation.pk, history_date__lte=moment
    ).order_by("id", "-history_date", "-history_id")
    latest: dict[int, object] = {}
    for record in records:
        latest.setdefault(record.id, record)
    standing = sorted(
        (r.instance for r in latest.values() if r.history_type != "-"), key=lambda d: (d.decided_at, d.id)
    )
    return replace(compilation, decisions=_by_row(compilation.rows, standing))


def _merge(base_edition: Edition, proposals: dict[str, Proposal]) -> tuple:
    """The groups' drafts on the base edition and their clause-by-clause merge (shared: read only)."""
    from drafting.models import Amendment

    base = edition_tree(base_edition)
    by_proposal: dict[int, list] = {p.pk: [] for p in proposals.values()}
    for a in (
        Amendment.objects.filter(proposal__in=list(proposals.values()))
        .select_related("target", "added")
        .order_by("proposal", "order", "id")
    ):
        by_proposal[a.proposal_id].append(a)
    trees = {base_edition.pk: base}
    drafts, carried = {}, {}
    for g, p in proposals.items():
        amendments = engine_amendments(by_proposal[p.pk])
        if p.base_edition_id is not None and p.base_edition_id != base_edition.pk:
            if p.base_edition_id not in trees:
                trees[p.base_edition_id] = edition_tree(p.base_edition)
            rebased = rebase_with_front(trees[p.base_edition_id], base, amendments)
            carried[g] = Carried(p, rebased)
            amendments = rebased.amendments
        drafts[g] = engine.apply_amendments(base, amendments)
    states = {
        g: {k: ("conflict" if s == carry.CONFLICT else "rebased") for k, s in c.rebase.states.items()}
        for g, c in carried.items()
    }
    rows = consolidate(base, drafts, states)
    return proposals, carried, rows, base, drafts


def _value(clause) -> str:
    return clause.heading if clause.kind == PART else clause.text


def resolved_text(row: ConsolidatedClause, decision: Decision | None) -> tuple[str | None, bool]:
    """(text, open) for a clause: None text means suppressed; open means shown in brackets."""
    base = _value(row.base) if row.base is not None else None
    if row.status == UNCHANGED and decision is None:
        return base, False
    if decision is None or decision.choice == Decision.OPEN:
        if row.base is None:
            return f"[{row.merge.text or ''}]", True
        if row.merge.text is None:
            return row.merge.bracketed(), True
        if row.merge.suppressed_by and row.merge.text == "":
            return f"[{base}]", True
        return f"[{row.merge.text}]", True
    if decision.choice == Decision.BASE:
        return base, False
    if decision.choice == Decision.MERGED:
        return (None if row.merge.suppressed_by and not row.merge.text else row.merge.text), False
    if decision.choice == Decision.GROUP:
        version = row.versions.get(decision.group)
        if version is None or version.clause is None or version.clause.suppressed:
            return None, False
        return _value(version.clause), False
    return (decision.text or None), False


def resolved_label(row: ConsolidatedClause, decision: Decision | None) -> str | None:
    """The label set by hand that a clause is settled with ("" for an unlabelled paragraph); None leaves
    it to the tool's numbering: the base, the officer's own words, or a clause still open."""
    if decision is None or not row.labels:
        return None
    if decision.choice == Decision.GROUP:
        return row.labels.get(decision.group)
    if decision.choice == Decision.MERGED:
        return row.hand_label
    return None


def consolidated_draft(
    compilation: Compilation, *, open_as_base: bool | None = None
) -> engine.DraftResolution:
    """The draft revision: the base with every decision applied, labels and punctuation by the editor's rules.

    Open clauses carry their alternatives in [square brackets]; with ``open_as_base`` (adoption with
    clauses left open, said so) they keep the base text and added ones are left out. Once adopted,
    the draft is what was adopted, so that is the default then.
    """
    if open_as_base is None:
        open_as_base = compilation.adopted
    base = compilation.base
    row_of = {k: r.key for r in compilation.rows for k in r.aliases}

    def alias(key: str | None) -> str | None:
        return row_of.get(key, key) if key is not None else None

    amendments: list[engine.Amendment] = []
    kept: set[str] = {c.key for c, _ in base.walk()}
    parent_of: dict[str, str | None] = {}
    previous_of: dict[str, str | None] = {}
    for draft in compilation.drafts.values():
        for clause, _ in draft.walk():
            siblings = clause.parent.children if clause.parent is not None else draft.clauses
            i = siblings.index(clause)
            parent_of.setdefault(clause.key, clause.parent.key if clause.parent is not None else None)
            previous_of.setdefault(clause.key, siblings[i - 1].key if i > 0 else None)

    for row in compilation.rows:
        decision = compilation.decisions.get(row.key)
        text, is_open = resolved_text(row, decision)
        if is_open and open_as_base:
            continue
        if row.base is not None:
            label = resolved_label(row, decision)
            marked = engine.UNLABELLED if label == "" else (label or "")
            if text is None:
                amendments.append(engine.Amendment(engine.SUPPRESS, row.key))
            elif text != _value(row.base) or marked:
                if row.kind == PART:
                    amendments.append(engine.Amendment(engine.MODIFY, row.key, heading=text))
                else:
                    amendments.append(engine.Amendment(engine.MODIFY, row.key, text=text, label=marked))
            continue
        if text is None:
            continue
        clause = next(v.clause for v in row.versions.values() if v.clause is not None)
        # Walk back along the first group's own clauses to one the draft has (another group's
        # clause that agrees with it stands for it: alias).
        previous = previous_of.get(row.key)
        while previous is not None and alias(previous) not in kept:
            previous = previous_of.get(previous)
        previous = alias(previous)
        parent = alias(parent_of.get(row.key))
        if previous is not None:
            target, position = previous, engine.AFTER
        elif parent is not None and parent in kept:
            target, position = parent, engine.FIRST_CHILD
        elif parent is None and base.clauses:
            target, position = base.clauses[0].key, engine.BEFORE
        else:
            continue  # its parent was not taken
        amendments.append(
            engine.Amendment(
                engine.ADD,
                target,
                position,
                key=row.key,
                kind=row.kind,
                label="" if clause.label else "¶",
                heading=text if row.kind == PART else "",
                text=text if row.kind != PART else "",
                role=clause.role,
            )
        )
        kept.add(row.key)
    return engine.apply_amendments(base, amendments)


@transaction.atomic
def settle_clause(
    user,
    consolidation: Consolidation,
    key: str,
    choice: str,
    *,
    group: str = "",
    text: str = "",
    note: str = "",
    internal_note: str = "",
    expected_version: int = 0,
    expected_base: int | None = None,
) -> Decision:
    """Record how a clause is settled, from the version of the decision the officer saw (0: none yet)."""
    _require_secretariat(user)
    if consolidation.status != Consolidation.OPEN:
        raise ConsolidationProblem(
            gettext("This consolidation has been adopted: it can no longer be settled."), status=409
        )
    if expected_base is not None and expected_base != consolidation.base_edition_id:
        raise ConsolidationProblem(
            gettext(
                "The base edition of this consolidation has changed since you opened it. Reload it and settle again."
            ),
            status=409,
        )
    if choice not in dict(Decision.CHOICES):
        raise ConsolidationProblem(gettext("Choose how to settle the clause."))
    if choice == Decision.GROUP and not group:
        raise ConsolidationProblem(gettext("Choose whose text to take."))
    if choice == Decision.MANUAL and not text.strip():
        raise ConsolidationProblem(gettext("Write the text, or choose another way to settle the clause."))
    compilation = compile_consolidation(consolidation)
    row = compilation.row(key)
    if row is None:
        raise ConsolidationProblem(gettext("This clause is not in the consolidation any more."), status=404)
    key = row.key  # an addition agreed by several groups is settled under one key
    if choice == Decision.GROUP and group not in row.versions:
        raise ConsolidationProblem(
            gettext("%(group)s has no proposal in this consolidation.") % {"group": group}
        )
    if choice == Decision.MERGED and row.merge.text is None:
        raise ConsolidationProblem(
            gettext("The groups' changes conflict: there is no merged text. Choose one, or write one.")
        )
    if choice == Decision.MERGED and row.label_conflict:
        labels = ", ".join(f"{g} {label or '(unlabelled)'}" for g, label in sorted(row.labels.items()))
        raise ConsolidationProblem(
            gettext(
                "The groups set different labels by hand (%(labels)s): there is no merged text. Take one group's text, or write the clause."
            )
            % {"labels": labels}
        )
    values = {
        "choice": choice,
        "group": group if choice == Decision.GROUP else "",
        "text": text.strip(),
        "note": note.strip(),
        "internal_note": internal_note.strip(),
    }
    values = clean_values(Decision, values)  # update() below skips the check every save gets
    existing = compilation.decisions.get(key)
    before = _decision_state(existing)
    if existing is None:
        if expected_version != 0:
            raise ConsolidationProblem(
                gettext("Another officer removed this decision meanwhile. Reload the clause."), status=409
            )
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    consolidation=consolidation, key=key, decided_by=user, **values
                )
        except IntegrityError:
            raise ConsolidationProblem(
                gettext(
                    "Another officer settled this clause at the same moment. Reload it to see their decision."
                ),
                status=409,
            ) from None
    else:
        updated = Decision.objects.filter(pk=existing.pk, version=expected_version).update(
            **values, version=F("version") + 1, decided_by=user, decided_at=timezone.now()
        )
        if not updated:
            raise ConsolidationProblem(
                gettext(
                    "Another officer settled this clause after you opened it. Reload it to see their decision."
                ),
                status=409,
            )
        decision = Decision.objects.get(pk=existing.pk)
        decision.save(update_fields=["decided_at"])  # a history record of this version
    Consolidation.objects.filter(pk=consolidation.pk).update(version=F("version") + 1)
    live.announce_change(live.consolidation_channel(consolidation.pk))
    _announce_settled(consolidation, compilation, row)
    said = {**_row_words(row), "choice": decision.choice}
    decision.undo = undo.record(
        user,
        UndoableAction.SETTLE,
        settlement_summary(UndoableAction(kind=UndoableAction.SETTLE, said=said)),
        [_undo_entry(key, decision, before)],
        said=said,
        consolidation=consolidation,
    )
    return decision


def _announce_settled(
    consolidation: Consolidation, compilation: Compilation, row: ConsolidatedClause
) -> None:
    """The groups whose change the settled clause holds are told (gathered per proposal)."""
    concerned = {g for g, v in row.versions.items() if v.changed} | set(row.added_by)
    notifications.announce(
        {
            "kind": "settled",
            "consolidation": consolidation.pk,
            "clause": clause_words(row),
            "groups": {
                g: {"proposal": compilation.proposals[g].pk, "label": compilation.proposals[g].label}
                for g in sorted(concerned)
                if g in compilation.proposals
            },
        }
    )


def clause_words(row: ConsolidatedClause) -> str:
    """A row's clause as a person recognises it in a message: its label and first words."""
    clause = row.base or next((v.clause for v in row.versions.values() if v.clause is not None), None)
    if clause is None:
        return row.key[:8]
    label = getattr(clause, "label", "") or getattr(clause, "heading", "")
    text = " ".join((getattr(clause, "text", "") or "").split())
    return f"{label} {text[:60]}{'…' if len(text) > 60 else ''}".strip()


# --- settling many rows at once, and undoing a settlement -----------------------------------------

# The bulk settlements the synoptic view offers: which rows, and how each is settled.
BULK_AGREEMENT = "agreement"  # every agreement: the text the groups agree on
BULK_COMBINABLE = "combinable"  # every combinable row: the merged text
BULK_ONE_GROUP = "one-group"  # every row only one group changed, of the group named: its text
BULK_RULES = (BULK_AGREEMENT, BULK_COMBINABLE, BULK_ONE_GROUP)
# At most this many rows in one settlement: a resolution has a few hundred clauses at most.
MAX_BULK_ROWS = 2000


@dataclass
class BulkRow:
    row: ConsolidatedClause
    decision: Decision | None  # what stands now: none yet, or "leave open"
    result: str | None  # the text the row will have (None: suppressed)


@dataclass
class BulkPreview:
    """What a bulk settlement would do, computed as it would (nothing saved)."""

    rule: str
    group: str
    choice: str
    rows: list[BulkRow]  # the rows it settles
    already: int  # rows of the same kind settled already: left as they are
    version: int  # the consolidation's version this preview is of

    @property
    def description(self) -> str:
        return bulk_description(self.rule, self.group)


def bulk_description(rule: str, group: str = "") -> str:
    if rule == BULK_AGREEMENT:
        return gettext("every agreement row: the text the groups agree on")
    if rule == BULK_COMBINABLE:
        return gettext("every combinable row: the merged text")
    return gettext("every row only %(group)s changes: %(group)s's text") % {"group": group}


def changers(row: ConsolidatedClause) -> list[str]:
    """The groups that change a row (modify, suppress or add it), in the merge's order."""
    return list(dict.fromkeys([*row.merge.changed_by, *row.merge.suppressed_by, *row.added_by]))


def _bulk_rule(compilation: Compilation, rule: str, group: str) -> tuple[str, str]:
    """(status of the rows, choice) of a bulk rule, or a readable refusal."""
    if rule == BULK_AGREEMENT:
        return "agreement", Decision.MERGED
    if rule == BULK_COMBINABLE:
        return "combinable", Decision.MERGED
    if rule == BULK_ONE_GROUP:
        if group not in compilation.proposals:
            raise ConsolidationProblem(gettext("Choose the group whose one-group rows to take."))
        return "one group", Decision.GROUP
    raise ConsolidationProblem(
        gettext("Choose which rows to settle: agreements, combinable rows or one group's rows.")
    )


def bulk_preview(consolidation: Consolidation, rule: str, group: str = "") -> BulkPreview:
    """The rows a bulk settlement takes and the text each will have; rows already settled are left alone."""
    return _bulk(compile_consolidation(consolidation), rule, group)


def _bulk(compilation: Compilation, rule: str, group: str) -> BulkPreview:
    consolidation = compilation.consolidation
    status, choice = _bulk_rule(compilation, rule, group)
    rows, already = [], 0
    for row in compilation.rows:
        if row.status != status or (rule == BULK_ONE_GROUP and changers(row) != [group]):
            continue
        if choice == Decision.MERGED and row.merge.text is None:
            continue
        decision = compilation.decisions.get(row.key)
        if decision is not None and decision.choice != Decision.OPEN:
            already += 1
            continue
        future = Decision(choice=choice, group=group if choice == Decision.GROUP else "")
        rows.append(BulkRow(row, decision, resolved_text(row, future)[0]))
    return BulkPreview(rule, group, choice, rows, already, consolidation.version)


@transaction.atomic
def settle_many(
    user,
    consolidation: Consolidation,
    rule: str,
    group: str = "",
    *,
    keys: list[str] | None = None,
    note: str = "",
    expected_version: int,
) -> tuple[int, UndoableAction | None]:
    """Settle every row a bulk rule takes (or those of them in ``keys``, as ticked on its preview), in
    one transaction, from the consolidation's version the preview showed; one undo takes it all back.

    Each decision is written as the single settle writes it, compare-and-swap on its version: if
    another officer settled one of the rows in between, nothing is saved (409).
    """
    _require_secretariat(user)
    locked = Consolidation.objects.select_for_update().get(pk=consolidation.pk)
    if locked.status != Consolidation.OPEN:
        raise ConsolidationProblem(
            gettext("This consolidation has been adopted: it can no longer be settled."), status=409
        )
    if expected_version != locked.version:
        raise ConsolidationProblem(
            gettext(
                "The consolidation changed since your preview (a clause was settled meanwhile). "
                "Look at the preview again, then settle."
            ),
            status=409,
        )
    note = note.strip()
    compilation = compile_consolidation(locked)
    preview = _bulk(compilation, rule, group)
    wanted = None if keys is None else set(keys[:MAX_BULK_ROWS])
    chosen = [b for b in preview.rows if wanted is None or b.row.key in wanted]
    if not chosen:
        raise ConsolidationProblem(
            gettext("No row to settle: every row of this kind is settled already, or none was ticked.")
        )
    entries = []
    now = timezone.now()
    values = clean_values(
        Decision,
        {
            "choice": preview.choice,
            "group": group if preview.choice == Decision.GROUP else "",
            "text": "",
            "note": note,
            "internal_note": "",
        },
    )
    for b in chosen:
        before = _decision_state(b.decision)
        if b.decision is None:
            try:
                with transaction.atomic():
                    decision = Decision.objects.create(
                        consolidation=locked, key=b.row.key, decided_by=user, **values
                    )
            except IntegrityError:
                raise _settled_meanwhile(b.row) from None
        else:
            if not Decision.objects.filter(pk=b.decision.pk, version=b.decision.version).update(
                **values, version=F("version") + 1, decided_by=user, decided_at=now
            ):
                raise _settled_meanwhile(b.row)
            decision = Decision.objects.get(pk=b.decision.pk)
            decision.save(update_fields=["decided_at"])  # a history record of this version
        entries.append(_undo_entry(b.row.key, decision, before))
        _announce_settled(locked, compilation, b.row)
    locked.version = F("version") + 1
    locked.save(update_fields=["version"])
    live.announce_change(live.consolidation_channel(locked.pk))
    said = {"count": len(entries), "rule": preview.rule, "group": preview.group}
    action = undo.record(
        user,
        UndoableAction.SETTLE_MANY,
        settlement_summary(UndoableAction(kind=UndoableAction.SETTLE_MANY, said=said)),
        entries,
        said=said,
        consolidation=locked,
    )
    return len(entries), action


def _settled_meanwhile(row: ConsolidatedClause) -> ConsolidationProblem:
    return ConsolidationProblem(
        gettext("Another officer settled %(clause)s meanwhile: nothing was saved. Preview again.")
        % {"clause": _row_name(row)},
        status=409,
    )


def _decision_state(decision: Decision | None) -> dict | None:
    """What an undo puts back: a decision's fields, or None when there was none."""
    if decision is None:
        return None
    return {f: getattr(decision, f) for f in ("choice", "group", "text", "note", "internal_note")}


def _undo_entry(key: str, decision: Decision, before: dict | None) -> dict:
    return {"key": key, "decision": decision.pk, "version": decision.version, "before": before}


def _row_name(row: ConsolidatedClause) -> str:
    """A row as the officer reads it: "resolves 3", "considering", "a new item"."""
    return _said_row(_row_words(row))


# A row with no name of its own, by what it is.
_UNNAMED = {
    "part": gettext_lazy("a new part"),
    "paragraph": gettext_lazy("a paragraph"),
    "item": gettext_lazy("a new item"),
}


def _row_words(row: ConsolidatedClause) -> dict:
    """A row's name as kept (its text's words, or what it is), to be said in any language."""
    if row.kind == PART:
        return (
            {"name": _value(row.base), "unnamed": ""}
            if row.base is not None
            else {"name": "", "unnamed": "part"}
        )
    return {"name": row.label.strip(), "unnamed": "paragraph" if row.base is not None else "item"}


def _said_row(words: dict) -> str:
    return words["name"] or str(_UNNAMED[words["unnamed"]])


def settlement_summary(action: UndoableAction) -> str:
    """What a settlement did ("resolves 3 settled: keep the base text."), in the active language: it
    is said again when undone, maybe in another. A row kept before says its stored words."""
    said = action.said if isinstance(action.said, dict) else {}
    try:
        if action.kind == UndoableAction.SETTLE:
            return gettext("%(clause)s settled: %(choice)s.") % {
                "clause": _said_row(said),
                "choice": dict(Decision.CHOICES)[said["choice"]],
            }
        if action.kind == UndoableAction.SETTLE_MANY:
            count = int(said["count"])
            return ngettext(
                "%(count)d row settled: %(what)s.", "%(count)d rows settled: %(what)s.", count
            ) % {
                "count": count,
                "what": bulk_description(said["rule"], said["group"]),
            }
    except (KeyError, TypeError, ValueError):
        pass
    return action.summary


@transaction.atomic
def undo_settlement(user, pk: int) -> UndoableAction:
    """Take back a settlement (of one row or of many): every decision it wrote goes back to what it
    was, all or nothing, if nobody changed it since (compare-and-swap on the version it left)."""
    _require_secretariat(user)
    action = undo.take(user, pk)
    locked = Consolidation.objects.select_for_update().get(pk=action.consolidation_id)
    if locked.status != Consolidation.OPEN:
        raise ConsolidationProblem(
            gettext("This consolidation has been adopted: its decisions can no longer be undone."), status=409
        )
    now = timezone.now()
    for entry in action.changes:
        current = Decision.objects.filter(pk=entry["decision"], version=entry["version"])
        changed = (
            current.delete()[0] == 0
            if entry["before"] is None
            else not current.update(
                **entry["before"], version=F("version") + 1, decided_by=user, decided_at=now
            )
        )
        if changed:
            raise ConsolidationProblem(
                gettext(
                    "A clause of this settlement was settled again since: nothing was undone. Change it on its row."
                ),
                status=409,
            )
        if entry["before"] is not None:
            Decision.objects.get(pk=entry["decision"]).save(update_fields=["decided_at"])
    locked.version = F("version") + 1
    locked.save(update_fields=["version"])
    undo.done(action)
    live.announce_change(live.consolidation_channel(locked.pk))
    return action


@dataclass
class Fate:
    """One change a group proposed and what the secretariat (and, once adopted, the meeting) made of it."""

    key: str
    kind: str
    label: str  # the clause's label in the group's text
    change: str  # modified, added or suppressed
    proposed: str | None  # the group's words; None for a suppression
    result: str | None  # the settled (or adopted) words; None: suppressed or left out
    fate: str
    note: str  # the secretariat's note, or why an open clause was not taken
    decision: str  # how the clause was settled ("" while open)
    carried: str = ""  # "rebased" or "conflict" when the change was carried from another edition
    part: str = ""  # the heading of the part the clause is in, to name it whole ("recognizing e)")

    @property
    def fate_display(self) -> str:
        return str(FATE_NAMES.get(self.fate, self.fate))

    @property
    def name(self) -> str:
        """The clause as a reader names it: "recognizing e)", a part by its heading."""
        return clause_name(self.part, self.kind, self.part, self.label)


def _changed_spans(base: list[str], text: str) -> list[tuple[int, int]]:
    """The runs of base words a text changes (an insertion is the point where it goes)."""
    return [(i1, i2) for i1, i2, _, _ in word_edits(base, tokens(text))]


def _shares_change(base: str, mine: str, result: str) -> bool:
    """Whether the result changes any of the base words the group changed (in its words or in others)."""
    words = tokens(base)
    made = _changed_spans(words, result)
    for a1, a2 in _changed_spans(words, mine):
        for b1, b2 in made:
            if (
                a1 < b2
                and b1 < a2
                or a1 == b1
                or (a1 == a2 and b1 <= a1 <= b2)
                or (b1 == b2 and a1 <= b1 <= a2)
            ):
                return True
    return False


def _fate(row: ConsolidatedClause, group: str, decision: Decision | None, adopted: bool) -> Fate:
    clause = row.versions[group].clause
    mine = None if clause is None or clause.suppressed else _value(clause)
    base = _value(row.base) if row.base is not None else None
    change = "added" if row.base is None else "suppressed" if mine is None else "modified"
    note = decision.note if decision is not None else ""
    carried = "conflict" if group in row.rebase_conflicts else "rebased" if group in row.rebased else ""
    is_open = decision is None or decision.choice == Decision.OPEN
    if is_open and not adopted:
        result, fate = None, PENDING
    else:
        if is_open:
            # Adopted with the clause left open: it kept the base text (an added clause was left out).
            result = base
            note = note or gettext("Left open at adoption: the base text was kept.")
        else:
            result, _ = resolved_text(row, decision)
        if mine is None:
            fate = TAKEN if result is None else NOT_TAKEN
        elif (result is not None and same_words(result) == same_words(mine)) or (
            decision is not None and decision.choice == Decision.MERGED and row.merge.text is not None
        ):
            # The merged text carries every group's non-conflicting change, this group's included.
            fate = TAKEN
        elif result is None or (base is not None and same_words(result) == same_words(base)):
            fate = NOT_TAKEN
        elif base is not None and not _shares_change(base, mine, result):
            # Settled otherwise, with none of this group's changes: another group's words, say.
            fate = NOT_TAKEN
        else:
            fate = TAKEN_MODIFIED
        if group in row.labels:
            fate = _with_label(fate, row, group, decision, mine, base, is_open)
    return Fate(
        key=row.key,
        kind=row.kind,
        label=clause.label if clause is not None else (row.base.label if row.base is not None else ""),
        change=change,
        proposed=mine,
        result=result,
        fate=fate,
        note=note,
        decision="" if is_open else decision.choice,
        carried=carried,
    )


def _with_label(
    fate: str, row: ConsolidatedClause, group: str, decision: Decision | None, mine, base, is_open: bool
) -> str:
    """The fate of a change that sets a label by hand: the label is taken or not, beside the words."""
    label_taken = not is_open and resolved_label(row, decision) == row.labels[group]
    words_changed = mine is not None and base is not None and same_words(mine) != same_words(base)
    if not words_changed:
        return TAKEN if label_taken else NOT_TAKEN  # the label was all it changed
    if fate == TAKEN and not label_taken:
        return TAKEN_MODIFIED
    if fate == NOT_TAKEN and label_taken:
        return TAKEN_MODIFIED
    return fate


def fates(compilation: Compilation, *, adopted: bool | None = None) -> dict[str, list[Fate]]:
    """Per group, every change it proposed and what became of it, in reading order.

    ``adopted`` (by default: whether the consolidation has been adopted) counts
    clauses still open as not taken, as adoption leaves them.
    """
    if adopted is None:
        adopted = compilation.adopted
    result: dict[str, list[Fate]] = {g: [] for g in compilation.proposals}
    part = ""
    for row in compilation.rows:
        if row.depth == 0:
            part = _heading(row)
        if row.status == UNCHANGED:
            continue
        for group in dict.fromkeys([*row.changed_by, *row.added_by]):
            if group in result:
                fate = _fate(row, group, compilation.decisions.get(row.key), adopted)
                # A part is named by its own heading as the group has it; an item by the part it is in.
                fate.part = _heading(row, group) if row.kind in ("part", "annex") else part
                result[group].append(fate)
    return result


def _heading(row, group: str | None = None) -> str:
    """A top-level row's heading: the group's, else the base's, else the first group's that has one."""
    mine = row.versions[group].clause if group in row.versions else None
    for clause in (mine, row.base, *(v.clause for v in row.versions.values())):
        if clause is not None and clause.heading:
            return clause.heading
    return ""


def outcomes(compilation: Compilation, *, adopted: bool | None = None) -> dict[str, Outcome]:
    """What became of each group's proposal (``services.outcomes``: adopted, partly adopted, ...)."""
    result = {g: outcome_of(f) for g, f in fates(compilation, adopted=adopted).items()}
    for code in withdrawn_groups(compilation.consolidation):
        result.setdefault(code, withdrawn())
    return result


def withdrawn_groups(consolidation: Consolidation) -> list[str]:
    """Groups whose proposal on the resolution was withdrawn (and not replaced by a submitted one)."""
    return sorted(
        set(
            Proposal.objects.filter(
                contribution__conference=consolidation.conference,
                contribution__status=Contribution.WITHDRAWN,
                resolution=consolidation.resolution,
            ).values_list("contribution__group__code", flat=True)
        )
    )


@dataclass
class AdoptionPreview:
    """What adopting would do: the text, the clauses still open, and each group's outcome."""

    compilation: Compilation
    draft: engine.DraftResolution  # what would be adopted (open clauses keep the base text)
    open_rows: list[ConsolidatedClause]
    outcomes: dict[str, Outcome]
    revision: str  # "Rev. New Delhi, 2024"
    already: bool  # the resolution already has an edition by that name

    @property
    def open(self) -> int:
        return len(self.open_rows)

    @property
    def title(self) -> str:
        """The title that would be adopted (a proposal can change it: a front line of the draft)."""
        return self.draft.proposed_text().title


def adoption_preview(consolidation: Consolidation) -> AdoptionPreview:
    """Everything the adoption confirmation shows, computed as adoption would (nothing saved)."""
    compilation = compile_consolidation(consolidation)
    conference = consolidation.conference
    return AdoptionPreview(
        compilation,
        consolidated_draft(compilation, open_as_base=True),
        compilation.open_rows(),
        outcomes(compilation, adopted=True),
        conference.revision,
        Edition.objects.filter(resolution=consolidation.resolution, slug=_adopted_slug(conference)).exists(),
    )


def _adopted_slug(conference: Conference) -> str:
    return f"{conference.place.lower().replace(' ', '-')}-{conference.year}"


@transaction.atomic
def adopt(
    user,
    consolidation: Consolidation,
    *,
    leave_open_as_base: bool = False,
    expected_version: int | None = None,
) -> Edition:
    """Turn the settled draft into the next edition of the resolution ("Rev. New Delhi, 2024")."""
    from drafting.services.library import front_footnotes_data, save_tree

    _require_secretariat(user)
    locked = Consolidation.objects.select_for_update().get(pk=consolidation.pk)
    if locked.status != Consolidation.OPEN:
        raise ConsolidationProblem(gettext("This consolidation has already been adopted."), status=409)
    if expected_version is not None and expected_version != locked.version:
        raise ConsolidationProblem(
            gettext("The consolidation changed since you looked at it. Review it and adopt again."),
            status=409,
        )
    compilation = compile_consolidation(locked)
    still_open = compilation.open_rows()
    if still_open and not leave_open_as_base:
        raise ConsolidationProblem(
            ngettext(
                "%(count)s clause is still open. Settle it, or adopt saying that open clauses keep the base text.",
                "%(count)s clauses are still open. Settle them, or adopt saying that open clauses keep the base"
                " text.",
                len(still_open),
            )
            % {"count": len(still_open)},
            status=400,
        )
    conference = locked.conference
    draft = consolidated_draft(compilation, open_as_base=leave_open_as_base)
    text = draft.proposed_text()
    base = locked.base_edition
    slug = _adopted_slug(conference)
    if Edition.objects.filter(resolution=locked.resolution, slug=slug).exists():
        raise ConsolidationProblem(
            gettext("%(resolution)s already has an edition %(revision)s.")
            % {"resolution": locked.resolution, "revision": conference.revision},
            status=409,
        )
    history = extended_history(base.history_line, conference.place, conference.year)
    formula = base.enacting_formula
    if base.place and base.year and f"({base.place}, {base.year})" in formula:
        formula = formula.replace(f"({base.place}, {base.year})", f"({conference.place}, {conference.year})")
    edition = Edition.objects.create(
        resolution=locked.resolution,
        revision=conference.revision,
        place=conference.place,
        year=conference.year,
        slug=slug,
        title=text.title,
        history_line=history,
        enacting_formula=formula,
        previous=base,
        front_footnotes=front_footnotes_data(text),
        source_name=f"adopted at {conference.code}",
        imported_by=user,
    )
    save_tree(edition, text)
    locked.status = Consolidation.ADOPTED
    locked.adopted_edition = edition
    locked.version = F("version") + 1
    locked.save()
    live.announce_change(live.consolidation_channel(locked.pk))
    adopted = outcomes(compilation, adopted=True)
    notifications.announce(
        {
            "kind": "outcome",
            "consolidation": locked.pk,
            # Names and counts, not words: each member reads them in their own language.
            "edition": {
                "body": locked.resolution.body.code,
                "number": locked.resolution.number,
                "revision": conference.revision,
            },
            "outcomes": {
                g: [p.pk, p.label, asdict(adopted[g])]
                for g, p in compilation.proposals.items()
                if g in adopted
            },
        }
    )
    resolution = locked.resolution
    resolution.title = text.title
    resolution.save()
    return edition
