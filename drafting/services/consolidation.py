"""The secretariat's consolidation: compile, settle clause by clause, and adopt the next edition."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from drafting.engine import amend as engine
from drafting.engine.consolidate import ConsolidatedClause, consolidate
from drafting.engine.merge import UNCHANGED
from drafting.engine.tree import PART
from drafting.models import Conference, Consolidation, Contribution, Decision, Edition, Proposal, Resolution
from drafting.permissions import is_secretariat
from drafting.reading import edition_tree, latest_edition

from . import DomainError
from .amendments import engine_amendments


class ConsolidationProblem(DomainError):
    """A consolidation step that cannot be done; nothing was saved."""


def _require_secretariat(user) -> None:
    if not is_secretariat(user):
        raise ConsolidationProblem("Only the secretariat settles and adopts consolidated texts.", status=403)


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


@transaction.atomic
def open_consolidation(user, conference: Conference, resolution: Resolution) -> Consolidation:
    """The consolidation of a resolution for a conference, created the first time the secretariat opens it."""
    existing = Consolidation.objects.filter(conference=conference, resolution=resolution).first()
    if existing is not None:
        return existing
    _require_secretariat(user)
    proposals = current_proposals(conference, resolution)
    editions = [p.base_edition for p in proposals if p.base_edition_id]
    base = max(editions, key=lambda e: (e.year or 0, e.created_at), default=None) or latest_edition(
        resolution
    )
    if base is None:
        raise ConsolidationProblem(f"{resolution} has no edition to consolidate against.")
    try:
        with transaction.atomic():
            return Consolidation.objects.create(
                conference=conference, resolution=resolution, base_edition=base
            )
    except IntegrityError:
        return Consolidation.objects.get(conference=conference, resolution=resolution)


@dataclass
class Compilation:
    consolidation: Consolidation
    proposals: dict[str, Proposal]  # by group code
    other_base: list[Proposal]  # proposals against another edition: not compiled
    rows: list[ConsolidatedClause]
    decisions: dict[str, Decision]
    base: object = None  # the base tree (engine), read once
    drafts: dict = None  # each group's draft (engine), by group code

    @property
    def groups(self) -> list[str]:
        return sorted(self.proposals)

    def settled(self) -> int:
        return sum(1 for r in self.rows if r.status == UNCHANGED or self._decided(r))

    def open_rows(self) -> list[ConsolidatedClause]:
        return [r for r in self.rows if r.status != UNCHANGED and not self._decided(r)]

    def _decided(self, row: ConsolidatedClause) -> bool:
        d = self.decisions.get(row.key)
        return d is not None and d.choice != Decision.OPEN


def compile_consolidation(consolidation: Consolidation) -> Compilation:
    """Every current proposal merged clause by clause against the base edition.

    A constant number of queries however many groups and clauses: the base tree
    once, every group's amendments in one query, the decisions in one.
    """
    from drafting.models import Amendment

    base = edition_tree(consolidation.base_edition)
    proposals, other = {}, []
    for p in current_proposals(consolidation.conference, consolidation.resolution):
        if p.base_edition_id != consolidation.base_edition_id:
            other.append(p)
        else:
            proposals[p.contribution.group.code] = p
    by_proposal: dict[int, list] = {p.pk: [] for p in proposals.values()}
    for a in (
        Amendment.objects.filter(proposal__in=list(proposals.values()))
        .select_related("target", "added")
        .order_by("proposal", "order", "id")
    ):
        by_proposal[a.proposal_id].append(a)
    drafts = {
        g: engine.apply_amendments(base, engine_amendments(by_proposal[p.pk])) for g, p in proposals.items()
    }
    rows = consolidate(base, drafts)
    decisions = {d.key: d for d in consolidation.decisions.select_related("decided_by")}
    return Compilation(consolidation, proposals, other, rows, decisions, base, drafts)


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


def consolidated_draft(compilation: Compilation, *, open_as_base: bool = False) -> engine.DraftResolution:
    """The draft revision: the base with every decision applied, labels and punctuation by the editor's rules.

    Open clauses carry their alternatives in [square brackets]; with ``open_as_base`` (adoption with
    clauses left open, said so) they keep the base text and added ones are left out.
    """
    base = compilation.base
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
            if text is None:
                amendments.append(engine.Amendment(engine.SUPPRESS, row.key))
            elif text != _value(row.base):
                if row.kind == PART:
                    amendments.append(engine.Amendment(engine.MODIFY, row.key, heading=text))
                else:
                    amendments.append(engine.Amendment(engine.MODIFY, row.key, text=text))
            continue
        if text is None:
            continue
        clause = next(v.clause for v in row.versions.values() if v.clause is not None)
        previous = previous_of.get(row.key)
        while previous is not None and previous not in kept:
            previous = previous_of.get(previous)
        parent = parent_of.get(row.key)
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
    expected_version: int = 0,
    expected_base: int | None = None,
) -> Decision:
    """Record how a clause is settled, from the version of the decision the officer saw (0: none yet)."""
    _require_secretariat(user)
    if consolidation.status != Consolidation.OPEN:
        raise ConsolidationProblem(
            "This consolidation has been adopted: it can no longer be settled.", status=409
        )
    if expected_base is not None and expected_base != consolidation.base_edition_id:
        raise ConsolidationProblem(
            "The base edition of this consolidation has changed since you opened it. Reload it and settle again.",
            status=409,
        )
    if choice not in dict(Decision.CHOICES):
        raise ConsolidationProblem("Choose how to settle the clause.")
    if choice == Decision.GROUP and not group:
        raise ConsolidationProblem("Choose whose text to take.")
    if choice == Decision.MANUAL and not text.strip():
        raise ConsolidationProblem("Write the text, or choose another way to settle the clause.")
    compilation = compile_consolidation(consolidation)
    row = next((r for r in compilation.rows if r.key == key), None)
    if row is None:
        raise ConsolidationProblem("This clause is not in the consolidation any more.", status=404)
    if choice == Decision.GROUP and group not in row.versions:
        raise ConsolidationProblem(f"{group} has no proposal in this consolidation.")
    if choice == Decision.MERGED and row.merge.text is None:
        raise ConsolidationProblem(
            "The groups' changes conflict: there is no merged text. Choose one, or write one."
        )
    values = {
        "choice": choice,
        "group": group if choice == Decision.GROUP else "",
        "text": text.strip(),
        "note": note.strip(),
    }
    existing = compilation.decisions.get(key)
    if existing is None:
        if expected_version != 0:
            raise ConsolidationProblem(
                "Another officer removed this decision meanwhile. Reload the clause.", status=409
            )
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    consolidation=consolidation, key=key, decided_by=user, **values
                )
        except IntegrityError:
            raise ConsolidationProblem(
                "Another officer settled this clause at the same moment. Reload it to see their decision.",
                status=409,
            ) from None
    else:
        updated = Decision.objects.filter(pk=existing.pk, version=expected_version).update(
            **values, version=F("version") + 1, decided_by=user, decided_at=timezone.now()
        )
        if not updated:
            raise ConsolidationProblem(
                "Another officer settled this clause after you opened it. Reload it to see their decision.",
                status=409,
            )
        decision = Decision.objects.get(pk=existing.pk)
        decision.save(update_fields=["decided_at"])  # a history record of this version
    Consolidation.objects.filter(pk=consolidation.pk).update(version=F("version") + 1)
    return decision


def outcomes(compilation: Compilation) -> dict[str, str]:
    """What became of each group's proposal, from the decisions: adopted, adopted with modifications, not adopted."""
    result = {}
    for group in compilation.proposals:
        touched = [
            r
            for r in compilation.rows
            if r.status != UNCHANGED and (group in r.merge.changed_by or group in r.added_by)
        ]
        if not touched:
            result[group] = "no change proposed"
            continue
        decided = [
            r
            for r in touched
            if r.key in compilation.decisions and compilation.decisions[r.key].choice != Decision.OPEN
        ]
        if len(decided) < len(touched):
            result[group] = "pending"
            continue
        taken = 0
        for row in touched:
            decision = compilation.decisions[row.key]
            text, _ = resolved_text(row, decision)
            clause = row.versions[group].clause
            mine = None if clause is None or clause.suppressed else _value(clause)
            # The merged text carries every group's non-conflicting change, this group's included.
            taken += text == mine or (decision.choice == Decision.MERGED and row.merge.text is not None)
        result[group] = (
            "adopted" if taken == len(touched) else "adopted with modifications" if taken else "not adopted"
        )
    for p in Proposal.objects.filter(
        contribution__conference=compilation.consolidation.conference,
        contribution__status=Contribution.WITHDRAWN,
        resolution=compilation.consolidation.resolution,
    ).select_related("contribution__group"):
        result.setdefault(p.contribution.group.code, "withdrawn")
    return result


@transaction.atomic
def adopt(
    user,
    consolidation: Consolidation,
    *,
    leave_open_as_base: bool = False,
    expected_version: int | None = None,
) -> Edition:
    """Turn the settled draft into the next edition of the resolution ("Rev. New Delhi, 2024")."""
    from drafting.services.library import _save_tree

    _require_secretariat(user)
    locked = Consolidation.objects.select_for_update().get(pk=consolidation.pk)
    if locked.status != Consolidation.OPEN:
        raise ConsolidationProblem("This consolidation has already been adopted.", status=409)
    if expected_version is not None and expected_version != locked.version:
        raise ConsolidationProblem(
            "The consolidation changed since you looked at it. Review it and adopt again.", status=409
        )
    compilation = compile_consolidation(locked)
    still_open = compilation.open_rows()
    if still_open and not leave_open_as_base:
        raise ConsolidationProblem(
            f"{len(still_open)} clause{'s are' if len(still_open) != 1 else ' is'} still open. Settle them, or "
            "adopt saying that open clauses keep the base text.",
            status=400,
        )
    conference = locked.conference
    draft = consolidated_draft(compilation, open_as_base=leave_open_as_base)
    text = draft.proposed_text()
    base = locked.base_edition
    slug = f"{conference.place.lower().replace(' ', '-')}-{conference.year}"
    if Edition.objects.filter(resolution=locked.resolution, slug=slug).exists():
        raise ConsolidationProblem(
            f"{locked.resolution} already has an edition {conference.revision}.", status=409
        )
    history = (
        base.history_line.rstrip(")") + f"; {conference.place}, {conference.year})"
        if base.history_line
        else ""
    )
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
        source_name=f"adopted at {conference.code}",
        imported_by=user,
    )
    _save_tree(edition, text)
    locked.status = Consolidation.ADOPTED
    locked.adopted_edition = edition
    locked.version = F("version") + 1
    locked.save()
    resolution = locked.resolution
    resolution.title = text.title
    resolution.save()
    return edition
