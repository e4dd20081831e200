"""Proposals in from Word documents: read, matched clause by clause against a base edition, then saved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from drafting.engine import amend as engine
from drafting.engine.derive import derive_amendments
from drafting.engine.parse import ParseError, parse_resolution
from drafting.engine.proposal_docx import read_contribution
from drafting.models import Contribution, Edition, Proposal, ProposalUpload
from drafting.reading import edition_tree
from drafting.translation import say

from .amendments import apply_derived
from .contributions import add_proposal, require_edit
from .library import ImportProblem, check_upload


@dataclass
class DocxPreview:
    label: str
    reasons: str
    amendments: list[engine.Amendment]
    draft: engine.DraftResolution
    unplaced: list[str]
    other_proposals: list[str]

    @property
    def counts(self) -> dict[str, int]:
        """How many clauses the proposal modifies, adds and suppresses."""
        return {
            action: sum(1 for a in self.amendments if a.action == action)
            for action in (engine.MODIFY, engine.ADD, engine.SUPPRESS)
        }


def preview_docx_proposal(filename: str, data: bytes, base_edition: Edition) -> DocxPreview:
    """What a contribution document proposes for the base edition's resolution; nothing is saved."""
    check_upload(filename, data, wanted=gettext("a .docx file"), save_as=gettext("a Word document (.docx)"))
    try:
        document = read_contribution(data)
    except ParseError as e:
        raise ImportProblem(say(e)) from None
    proposals = document.proposals
    number = base_edition.resolution.number
    mods = [p for p in proposals if p.action == "MOD"]
    if not mods:
        found = ", ".join(f"{p.action} {p.label}" for p in proposals) or gettext(
            "no proposal label such as “MOD ATU/35A18/1”"
        )
        raise ImportProblem(
            gettext("This document holds no MOD proposal to import (found: %(found)s).") % {"found": found}
        )
    chosen, parsed = None, None
    for proposal in mods:
        try:
            text = parse_resolution(proposal.text)
        except ParseError:
            continue
        if text.number.replace("\u2011", "-") == number:
            chosen, parsed = proposal, text
            break
    if chosen is None:
        raise ImportProblem(
            gettext(
                "This document has no MOD proposal on Resolution %(number)s: it proposes changes to %(labels)s."
                " Choose the base edition of the resolution it amends."
            )
            % {"number": number, "labels": ", ".join(p.label for p in mods)}
        )
    base = edition_tree(base_edition)
    _check_history(base.history, parsed.history, base_edition)
    amendments = derive_amendments(base, parsed, added=document.added)
    strays = _front_strays(chosen.text, base)
    retitle, strays = _retitled(base, parsed.title, strays)
    amendments += retitle
    base_count = sum(1 for _ in base.walk())
    rewritten = sum(1 for a in amendments if a.action in (engine.MODIFY, engine.SUPPRESS))
    if base_count and rewritten > 0.6 * base_count:
        raise ImportProblem(
            gettext(
                "%(rewritten)s of the %(base_count)s clauses of %(name)s would change: this proposal was probably written against another edition. Choose the edition it amends."
            )
            % {"rewritten": rewritten, "base_count": base_count, "name": base_edition.name}
        )
    draft = engine.apply_amendments(base, amendments)
    if draft.problems:
        # Saving would fail on these: refuse now, with the lines they come from, rather than at confirmation.
        empty = [
            a.heading or a.label or a.kind
            for a in amendments
            if a.action == engine.ADD and a.kind != engine.PART and not a.text
        ]
        where = (
            " "
            + gettext("Look at these lines of the document: %(lines)s.")
            % {"lines": ", ".join(f"“{e}”" for e in empty)}
            if empty
            else ""
        )
        raise ImportProblem(
            gettext("The document's text cannot be applied to %(name)s: %(problems)s%(where)s")
            % {
                "name": base_edition.name,
                "problems": " ".join(dict.fromkeys(say(p) for p in draft.problems)),
                "where": where,
            }
        )
    return DocxPreview(
        label=chosen.label,
        reasons=chosen.reasons,
        amendments=amendments,
        draft=draft,
        unplaced=strays + parsed.unplaced,
        other_proposals=[f"{p.action} {p.label}" for p in proposals if p is not chosen],
    )


def _retitled(base, title: str, strays: list[str]) -> tuple[list[engine.Amendment], list[str]]:
    """The title changed by the document, and the front lines left unmatched.

    A document whose title lines are none of the base title's (every line ahead of the first part
    that is no heading line, together, is the title the parser read) retitles the resolution: the
    title is a clause of the draft (``front_key``). Lines added beside the base title stay lines not
    matched, as before: they are no title of their own.
    """
    from drafting.engine.merge import same_words
    from drafting.engine.parse import without_footnotes

    key = base.front_keys.get("title")
    if not key or not strays or not title.strip():
        return [], strays
    if same_words(without_footnotes(" ".join(strays))) != same_words(without_footnotes(title)):
        return [], strays
    return [engine.Amendment(engine.MODIFY, key, text=" ".join(title.split()))], []


def _front_strays(text: str, base) -> list[str]:
    """Lines ahead of the first part that are none of the resolution's heading lines.

    The parser folds them into the title: without this they would be dropped without a word. They are
    shown as not matched instead, unless together they are the title (``_retitled``).
    """
    from drafting.engine.parse import clean_lines, heading_role, is_front_line, without_footnotes

    title = " ".join(without_footnotes(base.title).split())
    strays = []
    for line in (line for line in clean_lines(text) if line):
        # Footnotes on the title or the history line are theirs, not stray text.
        bare = without_footnotes(line)
        if heading_role(bare):
            break
        if is_front_line(bare):
            continue
        if " ".join(bare.split()) not in title:
            strays.append(line)
    return strays


def _entries(history: str) -> list[str]:
    """The editions of a history line; footnote calls after it ("(…; Hammamet, 2016)[^1]") are no edition."""
    history = re.sub(r"\[\^\d+\]", "", history)
    return [" ".join(e.split()) for e in history.strip().strip("()").split(";") if e.strip()]


def _check_history(base: str, proposed: str, base_edition: Edition) -> None:
    """A proposal's history line continues its base edition's: "(…; Hammamet, 2016; New Delhi, 2024)"."""
    old, new = _entries(base), _entries(proposed)
    if old and new and new[: len(old)] != old:
        raise ImportProblem(
            gettext(
                "This proposal amends another edition: its history line reads (%(history)s), while %(name)s ends with %(last)s. Choose the edition it amends."
            )
            % {"history": "; ".join(new), "name": base_edition.name, "last": old[-1]}
        )


@transaction.atomic
def stage_docx_proposal(
    user, contribution: Contribution, filename: str, data: bytes, base_edition: Edition
) -> tuple[ProposalUpload, DocxPreview]:
    """Read the document and keep it for confirmation; nothing of the contribution changes yet.

    A refused document is not kept. The same person's earlier unconfirmed
    uploads for the contribution are dropped: only the latest preview stands.
    """
    require_edit(user, contribution)
    preview = preview_docx_proposal(filename, data, base_edition)
    ProposalUpload.objects.filter(contribution=contribution, uploaded_by=user).delete()
    upload = ProposalUpload.objects.create(
        contribution=contribution,
        base_edition=base_edition,
        filename=filename[:255],
        data=data,
        uploaded_by=user,
    )
    return upload, preview


def staged_upload(user, contribution: Contribution, upload_id) -> ProposalUpload:
    upload = ProposalUpload.objects.filter(pk=upload_id, contribution=contribution, uploaded_by=user).first()
    if upload is None:
        raise ImportProblem(
            gettext("This preview has expired or was already imported. Upload the document again."),
            status=404,
        )
    return upload


@transaction.atomic
def confirm_docx_proposal(user, contribution: Contribution, upload_id) -> Proposal:
    """The staged document becomes a MOD proposal with its amendments, all or nothing."""
    upload = staged_upload(user, contribution, upload_id)
    proposal = import_docx_proposal(
        user, contribution, upload.filename, bytes(upload.data), upload.base_edition
    )
    upload.delete()
    return proposal


@transaction.atomic
def import_docx_proposal(
    user, contribution: Contribution, filename: str, data: bytes, base_edition: Edition
) -> Proposal:
    """A new MOD proposal of the contribution with the document's changes as amendments, all or nothing."""
    require_edit(user, contribution)
    preview = preview_docx_proposal(filename, data, base_edition)
    proposal = add_proposal(
        user,
        contribution,
        action=Proposal.MOD,
        resolution=base_edition.resolution,
        base_edition=base_edition,
        reasons=preview.reasons,
    )
    apply_derived(user, proposal, preview.amendments)
    return proposal
