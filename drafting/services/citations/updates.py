"""Drafting the updates of stale citations: planned per citing resolution, then saved as MOD proposals.

A citation of an older edition is brought to the newest (lists sharing an edition rewritten as ITU
writes them), a misspelt venue or an edition that never was corrected, a replaced UN document
swapped for its successor; only the citation changes, and what cannot be rewritten is said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from drafting.engine import citations as parser
from drafting.engine.citation_updates import Target, latest_successor, update_editions
from drafting.engine.citation_updates import replace_un_documents as update_un_documents
from drafting.engine.diff import diff_words
from drafting.engine.tree import PART
from drafting.models import Amendment, Citation, Clause, Edition, Proposal, Resolution
from drafting.services.amendments import clause_version, modify_clause
from drafting.services.contributions import add_proposal

from . import CitationProblem
from .editor import current_editions
from .indexing import clause_value, context_of, known_venues
from .stale import CitingClause, current_texts, source_name, stale_citations, wrong_citations
from .un_successors import superseded_citations, un_successors


@dataclass
class PlannedChange:
    clause: Clause
    before: str
    after: str
    citations: list[Citation]
    # Other resolutions of the same list brought to their current editions with it ("PP Resolution 101
    # (Rev. Bucharest, 2022)"): a list sharing one edition is updated as a whole, as ITU would write it.
    also: list[str] = field(default_factory=list)

    @property
    def marks(self):
        return diff_words(self.before, self.after)


@dataclass
class PlannedProposal:
    resolution: Resolution
    edition: Edition
    existing: Proposal | None
    changes: list[PlannedChange] = field(default_factory=list)
    skipped: list[tuple[Clause, Citation, str]] = field(default_factory=list)


def _revised(name: str) -> bool | None:
    """True when an edition's name says it is a revision ("Rev. Bucharest, 2022"), else None: as written."""
    return True if name.startswith("Rev.") else None


def _target_of(c: Citation, current: Edition | None) -> Target | None:
    """The edition a citation should read: the current edition, or the corrected venue."""
    if current is not None:
        return Target(current.place, current.year, _revised(current.revision))
    if c.suggestion:
        inner = c.suggestion.removeprefix("Rev. ")
        place, _, year = inner.rpartition(", ")
        if place and year.isdigit():
            return Target(place, int(year))  # "Rev." as written: only the venue was wrong
    return None


def plan_update(
    contribution,
    *,
    cited: Resolution | None = None,
    citing_ids: list[int] | None = None,
    un_document: str | None = None,
) -> list[PlannedProposal]:
    """What drafting the update would do, without saving: per citing resolution, the clauses before and after.

    ``cited`` given: bring every citation of an older edition of it up to its newest
    edition. ``un_document`` given: cite the UN document that replaces it instead. Neither:
    correct the misspelt venues and editions that never were.
    """
    successors: dict[str, str] = {}
    current = None
    if cited is not None:
        groups = stale_citations(cited)
        citing = groups[0].citing if groups else []
        current = groups[0].current if groups else None
    elif un_document is not None:
        replaced = superseded_citations(un_document)
        citing = replaced[0].citing if replaced else []
        # Only this document: another replaced one cited in the same clause has its own update.
        successors = {un_document: replaced[0].successor} if replaced else {}
    else:
        citing = wrong_citations()
    if citing_ids:
        citing = [r for r in citing if r.resolution.pk in set(citing_ids)]
    existing = {
        p.resolution_id: p
        for p in Proposal.objects.filter(
            contribution=contribution, resolution_id__in=[r.resolution.pk for r in citing]
        )
    }
    amended = {
        (a.proposal_id, a.target_id): a
        for a in Amendment.objects.filter(proposal__in=list(existing.values()), action="modify").only(
            "proposal_id", "target_id", "text", "heading", "kind"
        )
    }
    venues = known_venues()
    newest: dict[tuple[str, str], tuple] = {}  # current editions of other resolutions of shared lists
    plans = []
    for group in citing:
        proposal = existing.get(group.resolution.pk)
        plan = PlannedProposal(group.resolution, group.edition, proposal)
        if proposal is not None and (
            proposal.action != Proposal.MOD or proposal.base_edition_id != group.edition.pk
        ):
            for cc in group.clauses:
                for c in cc.citations:
                    plan.skipped.append(
                        (
                            cc.clause,
                            c,
                            gettext("the contribution's proposal %(label)s is not a MOD of this edition")
                            % {"label": proposal.label},
                        )
                    )
            plans.append(plan)
            continue
        for cc in group.clauses:
            clause = cc.clause
            if clause is None:
                # The title, enacting formula and front notes are not amended clause by clause.
                for c in cc.citations:
                    plan.skipped.append(
                        (
                            None,
                            c,
                            gettext("it is in the edition's %(where)s: edit it by hand")
                            % {"where": cc.where},
                        )
                    )
                continue
            in_notes = [c for c in cc.citations if c.source]
            for c in in_notes:
                plan.skipped.append(
                    (
                        clause,
                        c,
                        gettext("it is in the clause's %(where)s: edit the footnote by hand")
                        % {"where": source_name(c.source)},
                    )
                )
            cc = CitingClause(clause, [c for c in cc.citations if not c.source])
            if not cc.citations:
                continue
            base_text = clause_value(clause)
            existing_amendment = amended.get((proposal.pk, clause.provision_id)) if proposal else None
            before = (
                (existing_amendment.heading if clause.kind == PART else existing_amendment.text)
                if existing_amendment
                else base_text
            )
            if un_document is not None:
                after, also = _replace_un(before, base_text, cc.citations, successors, plan, clause), []
                if after != before:
                    plan.changes.append(PlannedChange(clause, before, after, cc.citations))
                continue
            after, also = _rewrite(
                before,
                base_text,
                cc.citations,
                current,
                plan,
                clause,
                context=context_of(group.edition, group.resolution.body.code),
                venues=venues,
                newest=newest if cited is not None else None,
            )
            if after != before:
                plan.changes.append(PlannedChange(clause, before, after, cc.citations, also))
        plans.append(plan)
    return plans


def _rewrite(
    text: str,
    base_text: str,
    stored: list[Citation],
    current: Edition | None,
    plan: PlannedProposal,
    clause: Clause,
    *,
    context: parser.Context,
    venues: parser.Venues,
    newest: dict | None,
) -> tuple[str, list[str]]:
    """The text with each stored citation rewritten, re-parsed so an already edited clause is handled too.

    A citation in a list sharing its edition ("Resolutions 101, 140 and 178 (Rev. Dubai, 2018)") takes
    the others of the list along when they too have a newer edition in the library (``newest`` given:
    updating to current editions), so the list keeps one edition when it can and is split otherwise.
    """
    keys = {(c.body, c.number_key, c.year, c.text) for c in stored}
    found = [
        c
        for c in parser.parse_citations(text, context, venues)
        if (c.body, parser.resolution_key(c.body, c.number)[1], c.year, c.text[:300]) in keys
    ]
    if text != base_text and not found:
        for c in stored:
            plan.skipped.append((clause, c, gettext("the proposal has already changed this citation")))
        return text, []
    targets: dict[int, Target] = {}
    rows = {}
    for c in found:
        row = next(s for s in stored if s.text == c.text[:300])
        target = _target_of(row, current)
        if target is None:
            plan.skipped.append((clause, row, gettext("the tool does not know what it should read")))
            continue
        targets[c.start] = target
        rows[c.start] = row
    also = []
    if newest is not None and any(c.shared for c in found):
        for lst in parser.cited_lists(text, context, venues):
            members = lst.citations
            if not any(c.start in targets for c in members):
                continue
            others = [c for c in members if c.start not in targets and c.cites_library and c.year]
            wanted = {parser.resolution_key(c.body, c.number) for c in others} - set(newest)
            newest.update(dict.fromkeys(wanted))  # looked up once per plan, None when not in the library
            newest.update(current_editions(wanted))
            for c in others:
                now = newest.get(parser.resolution_key(c.body, c.number))
                if now and now[1] and now[1] > c.year:
                    targets[c.start] = Target(now[0], now[1], _revised(now[2]))
                    also.append(f"{c.body} Resolution {c.number} ({now[2]})")
    result = update_editions(text, targets, context, venues)
    for start in result.unapplied:
        if start in rows:
            plan.skipped.append(
                (clause, rows[start], gettext("the tool cannot rewrite this citation: edit it by hand"))
            )
    return result.text, also


def _replace_un(
    text: str,
    base_text: str,
    stored: list[Citation],
    successors: dict[str, str],
    plan: PlannedProposal,
    clause: Clause,
) -> str:
    """The text citing the successors of the replaced UN documents it cites; only the symbols change."""
    context = parser.Context(body=stored[0].edition.resolution.body.code)
    for c in stored:
        if not re.search(r"\d{2}/(?:L\.)?\d+", c.text):
            # "the Outcome Document of the UNGA on ...", "§ 65 of that resolution": no symbol to change.
            plan.skipped.append(
                (clause, c, gettext("it names the document by its title, not its symbol: edit it by hand"))
            )
    after, replaced = update_un_documents(text, successors, context)
    if not replaced and text != base_text:
        for c in stored:
            plan.skipped.append((clause, c, gettext("the proposal has already changed this citation")))
    return after


@transaction.atomic
def draft_update(
    user,
    contribution,
    *,
    cited: Resolution | None = None,
    citing_ids: list[int] | None = None,
    un_document: str | None = None,
) -> list[Proposal]:
    """Into a draft contribution: a MOD proposal per affected resolution, an amendment per clause (one transaction)."""
    plans = plan_update(contribution, cited=cited, citing_ids=citing_ids, un_document=un_document)
    if not any(p.changes for p in plans):
        raise CitationProblem(
            gettext("There is no citation to update here: nothing was drafted."), status=409
        )

    def reasons() -> str:
        if cited is not None:
            return gettext("To cite the current edition of %(cited)s (%(current)s).") % {
                "cited": cited,
                "current": plans and cited and _current_name(cited),
            }
        if un_document is not None:
            successor = latest_successor(un_document, un_successors())
            return gettext(
                "To cite UNGA Resolution %(successor)s, which replaces UNGA Resolution %(document)s."
            ) % {
                "successor": successor,
                "document": un_document,
            }
        return gettext("To correct citations of meetings that never took place.")

    proposals = []
    for plan in plans:
        if not plan.changes:
            continue
        proposal = plan.existing
        if proposal is None:
            # The reasons are the contribution's text, beside the resolution's: written in the
            # language of the text they accompany, not in that of whoever clicked.
            with translation.override(_text_language(plan.edition)):
                what = reasons()
            proposal = add_proposal(
                user,
                contribution,
                action=Proposal.MOD,
                resolution=plan.resolution,
                base_edition=plan.edition,
                reasons=what,
            )
        for change in plan.changes:
            key = str(change.clause.provision.key)
            modify_clause(user, proposal, key, change.after, expected_version=clause_version(proposal, key))
        proposals.append(proposal)
    return proposals


def _text_language(edition: Edition) -> str:
    """The language an edition's text is in, as the catalogues name it (the installation's if none is offered)."""
    try:
        return translation.get_supported_language_variant(edition.language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _current_name(resolution: Resolution) -> str:
    latest = current_texts()[0].get(resolution.pk)
    return Edition.objects.get(pk=latest).name if latest else ""
