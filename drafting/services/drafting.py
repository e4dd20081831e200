"""Drafting a group's contribution: proposals and their amendments, clause by clause.

Every change a delegate saves goes through one of these functions, each one
transaction. Saves carry the version of the clause the delegate started from;
a save against an older version never overwrites (compare-and-swap) and
raises StaleEdit, which carries what is there now so the delegate can choose.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from drafting.engine import amend as engine
from drafting.engine.replace import Replacement, check_citations, find_replace
from drafting.engine.tree import ITEM, PART
from drafting.models import Amendment, Clause, Contribution, Proposal, Provision
from drafting.permissions import can_edit_contribution, can_submit_contribution
from drafting.reading import edition_tree

from . import DomainError


class DraftingProblem(DomainError):
    """A drafting action that cannot be done; nothing was saved."""


class StaleEdit(DomainError):
    """Someone saved this clause since you opened it; your text was not saved."""

    status = 409

    def __init__(self, message: str, *, current_text: str, current_version: int, updated_by: str = ""):
        super().__init__(message)
        self.current_text = current_text
        self.current_version = current_version
        self.updated_by = updated_by


def _require_edit(user, contribution: Contribution) -> None:
    """403 for anyone who is not a delegate of the group; 409 for a contribution that is no longer a draft."""
    from drafting.models.people import COORDINATORS, DELEGATES
    from drafting.permissions import is_group_member, roles_of

    if not (is_group_member(user, contribution.group_id) and roles_of(user) & {DELEGATES, COORDINATORS}):
        raise DraftingProblem("Only delegates of the group can edit its contribution.", status=403)
    if not can_edit_contribution(user, contribution):
        raise DraftingProblem(
            f"{contribution} has been {contribution.status}: it can no longer be edited. Make a revision of it instead.",
            status=409,
        )


def engine_amendments(amendments) -> list[engine.Amendment]:
    """The stored amendments in the form the engine applies."""
    result = []
    for a in amendments:
        result.append(
            engine.Amendment(
                action=a.action,
                target=str(a.target.key),
                position=a.position,
                key=str(a.added.key) if a.added_id else "",
                kind=a.kind,
                label=a.label,
                heading=a.heading,
                text=a.text,
                role=a.role,
            )
        )
    return result


def proposal_amendments(proposal: Proposal):
    return list(proposal.amendments.select_related("target", "added", "updated_by").order_by("order", "id"))


def draft_of(proposal: Proposal, amendments=None) -> engine.DraftResolution:
    """The proposal's text: its base edition with its amendments applied."""
    if proposal.base_edition_id is None:
        raise DraftingProblem("This proposal has no base edition to amend.")
    base = edition_tree(proposal.base_edition)
    if amendments is None:
        amendments = proposal_amendments(proposal)
    return engine.apply_amendments(base, engine_amendments(amendments))


def _provision(proposal: Proposal, key: str) -> Provision:
    provision = Provision.objects.filter(key=key, resolution=proposal.base_edition.resolution).first()
    if provision is None:
        raise DraftingProblem("This clause is not part of the resolution any more.", status=404)
    return provision


def _base_clause(proposal: Proposal, provision: Provision) -> Clause | None:
    return Clause.objects.filter(edition=proposal.base_edition, provision=provision).first()


def _check_in_text(proposal: Proposal, provision: Provision) -> Clause | None:
    """The base clause for a provision, or None if it is one this proposal adds."""
    clause = _base_clause(proposal, provision)
    if clause is None and not proposal.amendments.filter(added=provision, action=engine.ADD).exists():
        raise DraftingProblem("This clause is not part of the text being amended.", status=404)
    return clause


def _next_order(proposal: Proposal) -> int:
    return (proposal.amendments.aggregate(m=Max("order"))["m"] or 0) + 1


def _stale(amendment: Amendment | None, clause: Clause | None) -> StaleEdit:
    if amendment is not None:
        who = (
            amendment.updated_by.get_full_name() or amendment.updated_by.username
            if amendment.updated_by
            else ""
        )
        text = amendment.heading if amendment.kind == PART and amendment.heading else amendment.text
        return StaleEdit(
            f"{who or 'Someone'} changed this clause after you opened it. Your text was not saved: "
            "compare the two and save again.",
            current_text=text,
            current_version=amendment.version,
            updated_by=who,
        )
    base = (clause.heading if clause.kind == PART else clause.text) if clause else ""
    return StaleEdit(
        "This clause was changed back to the base text after you opened it. Your text was not saved: "
        "compare the two and save again.",
        current_text=base,
        current_version=0,
    )


@transaction.atomic
def modify_clause(user, proposal: Proposal, key: str, text: str, expected_version: int) -> Amendment | None:
    """Save a clause's new text (or a part's new heading) from the version the delegate opened.

    Returns the amendment, or None when the text is back to the base text (the
    amendment is then removed). Raises StaleEdit if someone saved in between.
    """
    _require_edit(user, proposal.contribution)
    text = (text or "").strip()
    if not text:
        raise DraftingProblem("The text cannot be empty. To remove the clause, suppress it.")
    provision = _provision(proposal, key)
    clause = _check_in_text(proposal, provision)
    now = timezone.now()

    if clause is None:
        # A clause this proposal adds: its text lives on the addition itself.
        addition = proposal.amendments.get(added=provision, action=engine.ADD)
        field = "heading" if addition.kind == PART else "text"
        updated = Amendment.objects.filter(pk=addition.pk, version=expected_version).update(
            **{field: text}, version=F("version") + 1, updated_by=user, updated_at=now
        )
        if not updated:
            raise _stale(Amendment.objects.get(pk=addition.pk), None)
        return _touch(addition.pk, proposal)

    is_part = clause.kind == PART
    base_value = clause.heading if is_part else clause.text
    existing = proposal.amendments.filter(target=provision, action=engine.MODIFY).first()
    if existing is None:
        if expected_version != 0:
            raise _stale(None, clause)
        if text == base_value:
            return None
        try:
            with transaction.atomic():
                amendment = Amendment.objects.create(
                    proposal=proposal,
                    action=engine.MODIFY,
                    target=provision,
                    base_clause=clause,
                    kind=clause.kind if clause.kind in (ITEM, PART) else ITEM,
                    heading=text if is_part else "",
                    text="" if is_part else text,
                    order=_next_order(proposal),
                    updated_by=user,
                )
        except IntegrityError:
            # Someone else created the first amendment of this clause at the same moment.
            raise _stale(
                proposal.amendments.filter(target=provision, action=engine.MODIFY).first(), clause
            ) from None
        _bump(proposal)
        return amendment

    if text == base_value:
        deleted, _ = Amendment.objects.filter(pk=existing.pk, version=expected_version).delete()
        if not deleted:
            raise _stale(Amendment.objects.filter(pk=existing.pk).first(), clause)
        _bump(proposal)
        return None
    values = {"heading": text} if is_part else {"text": text}
    updated = Amendment.objects.filter(pk=existing.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_by=user, updated_at=now, base_clause=clause
    )
    if not updated:
        raise _stale(Amendment.objects.filter(pk=existing.pk).first(), clause)
    return _touch(existing.pk, proposal)


def _touch(pk: int, proposal: Proposal) -> Amendment:
    """Reload an amendment after a compare-and-swap update, and record it in its history."""
    amendment = Amendment.objects.select_related("updated_by").get(pk=pk)
    # .update() bypasses signals: save once more so django-simple-history keeps this version.
    amendment.save(update_fields=["updated_at"])
    _bump(proposal)
    return amendment


def _bump(proposal: Proposal) -> None:
    """Every change moves the proposal's version, which is what the editor polls."""
    Proposal.objects.filter(pk=proposal.pk).update(version=F("version") + 1)


@transaction.atomic
def add_clause(
    user,
    proposal: Proposal,
    anchor_key: str,
    position: str,
    *,
    text: str = "",
    heading: str = "",
    kind: str = ITEM,
    label: str = "",
) -> Amendment:
    """Add a new item (or part) before or after a clause, or as its first child."""
    _require_edit(user, proposal.contribution)
    if position not in (engine.BEFORE, engine.AFTER, engine.FIRST_CHILD, engine.LAST_CHILD):
        raise DraftingProblem("Choose where the new clause goes: before, after, or inside the clause.")
    if kind == PART and not heading.strip():
        raise DraftingProblem("A new part needs a heading, such as “recognizing further”.")
    if kind != PART and not text.strip():
        raise DraftingProblem("The new item needs text.")
    provision = _provision(proposal, anchor_key)
    clause = _check_in_text(proposal, provision)
    if label and label != "¶":
        draft = draft_of(proposal)
        anchor = draft.find(anchor_key)
        siblings = (
            anchor.children
            if position in (engine.FIRST_CHILD, engine.LAST_CHILD)
            else (anchor.parent.children if anchor.parent else draft.clauses)
        )
        if any(c.label == label.strip() and not c.suppressed for c in siblings):
            raise DraftingProblem(
                f"There is already an item {label.strip()} there: leave the label empty to let the tool number it."
            )
    added = Provision.objects.create(resolution=proposal.base_edition.resolution, key=uuid.uuid4())
    amendment = Amendment.objects.create(
        proposal=proposal,
        action=engine.ADD,
        target=provision,
        base_clause=clause,
        position=position,
        added=added,
        kind=kind,
        label=label.strip(),
        heading=heading.strip(),
        text=text.strip(),
        order=_next_order(proposal),
        updated_by=user,
    )
    _bump(proposal)
    return amendment


@transaction.atomic
def suppress_clause(user, proposal: Proposal, key: str) -> Amendment | None:
    """Suppress a base clause; suppressing a clause this proposal added simply removes the addition."""
    _require_edit(user, proposal.contribution)
    provision = _provision(proposal, key)
    clause = _check_in_text(proposal, provision)
    if clause is None:
        addition = proposal.amendments.get(added=provision, action=engine.ADD)
        if proposal.amendments.filter(target=provision).exists():
            raise DraftingProblem(
                "Other changes are placed against this new clause: remove them first.", status=409
            )
        addition.delete()
        _bump(proposal)
        return None
    amendment, created = Amendment.objects.get_or_create(
        proposal=proposal,
        target=provision,
        action=engine.SUPPRESS,
        defaults={
            "base_clause": clause,
            "kind": clause.kind,
            "order": _next_order(proposal),
            "updated_by": user,
        },
    )
    if created:
        _bump(proposal)
    return amendment


@transaction.atomic
def restore_clause(user, proposal: Proposal, key: str) -> None:
    """Undo a suppression: the clause comes back as in the base text, with any text change it had."""
    _require_edit(user, proposal.contribution)
    provision = _provision(proposal, key)
    deleted, _ = proposal.amendments.filter(target=provision, action=engine.SUPPRESS).delete()
    if not deleted:
        raise DraftingProblem("This clause is not suppressed.", status=409)
    _bump(proposal)


@transaction.atomic
def submit_contribution(user, contribution: Contribution) -> Contribution:
    """Freeze a draft and make it visible to everyone."""
    if not can_submit_contribution(user, contribution):
        raise DraftingProblem("Only the group's coordinator can submit its contribution.", status=403)
    updated = Contribution.objects.filter(pk=contribution.pk, status=Contribution.DRAFT).update(
        status=Contribution.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=user,
        version=F("version") + 1,
    )
    if not updated:
        raise DraftingProblem("This contribution has already been submitted or withdrawn.", status=409)
    contribution.refresh_from_db()
    contribution.save(update_fields=["updated_at"])  # a history record of the submission
    return contribution


def _clause_texts(draft: engine.DraftResolution) -> list[tuple[str, str]]:
    return [
        (c.key, c.heading if c.kind == PART else c.text)
        for c, _ in draft.walk()
        if not c.suppressed and (c.heading if c.kind == PART else c.text)
    ]


def preview_replace(proposal: Proposal, find: str, replace: str) -> list[Replacement]:
    """Every clause of the proposal's text in which ``find`` occurs, before and after."""
    if not find.strip():
        raise DraftingProblem("Type the text to find.")
    return find_replace(_clause_texts(draft_of(proposal)), find, replace)


@transaction.atomic
def apply_replace(user, proposal: Proposal, find: str, replace: str) -> int:
    """Replace in every clause at once: one amendment per clause touched, all or nothing."""
    _require_edit(user, proposal.contribution)
    replacements = preview_replace(proposal, find, replace)
    for r in replacements:
        modify_clause(user, proposal, r.key, r.after, expected_version=_current_version(proposal, r.key))
    return len(replacements)


def _current_version(proposal: Proposal, key: str) -> int:
    amendment = (
        proposal.amendments.filter(added__key=key, action=engine.ADD).first()
        or proposal.amendments.filter(target__key=key, action=engine.MODIFY).first()
    )
    return amendment.version if amendment else 0


def citation_warnings(draft: engine.DraftResolution) -> list:
    """Citations in the proposal's text that match no known venue ("Buchrest, 2022")."""
    from drafting.models import Conference

    venues: dict[str, set[int]] = {}
    for place, year in Conference.objects.values_list("place", "year"):
        venues.setdefault(place, set()).add(year)
    return check_citations(_clause_texts(draft), venues)


def _require_member(user, group) -> None:
    from drafting.models.people import COORDINATORS, DELEGATES
    from drafting.permissions import is_group_member, roles_of

    if not (is_group_member(user, group.pk) and roles_of(user) & {DELEGATES, COORDINATORS}):
        raise DraftingProblem(f"Only delegates of {group.code} can draft its contributions.", status=403)


@transaction.atomic
def create_contribution(
    user,
    *,
    conference,
    group,
    document_number: str,
    addendum: int | None,
    title: str,
    abstract: str = "",
    introduction: str = "",
) -> Contribution:
    """A new draft contribution of a group to a conference."""
    _require_member(user, group)
    document_number = (document_number or "").strip()
    if not document_number.isdigit():
        raise DraftingProblem("The document number is a number, such as 35.")
    if not (title or "").strip():
        raise DraftingProblem("Give the contribution a title.")
    if Contribution.objects.filter(
        conference=conference, document_number=document_number, addendum=addendum, revision=0
    ).exists():
        label = (
            f"Addendum {addendum} to Document {document_number}"
            if addendum
            else f"Document {document_number}"
        )
        raise DraftingProblem(f"{label} already exists at {conference.code}.", status=409)
    return Contribution.objects.create(
        conference=conference,
        group=group,
        document_number=document_number,
        addendum=addendum,
        title=title.strip(),
        abstract=abstract.strip(),
        introduction=introduction.strip(),
    )


@transaction.atomic
def update_contribution(user, contribution: Contribution, expected_version: int, **fields) -> Contribution:
    """Change a draft's title, abstract or introduction, from the version the delegate opened."""
    _require_edit(user, contribution)
    allowed = {k: (v or "").strip() for k, v in fields.items() if k in ("title", "abstract", "introduction")}
    if "title" in allowed and not allowed["title"]:
        raise DraftingProblem("Give the contribution a title.")
    updated = Contribution.objects.filter(pk=contribution.pk, version=expected_version).update(
        **allowed, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise DraftingProblem(
            "Someone changed this contribution after you opened it. Reload to see their changes; yours were not saved.",
            status=409,
        )
    contribution.refresh_from_db()
    contribution.save(update_fields=["updated_at"])
    return contribution


@transaction.atomic
def add_proposal(
    user,
    contribution: Contribution,
    *,
    action: str,
    resolution=None,
    base_edition=None,
    reasons: str = "",
    new_number: str = "",
    new_title: str = "",
) -> Proposal:
    """The next proposal of a draft: MOD against a base edition, ADD a new resolution, SUP or NOC."""
    _require_edit(user, contribution)
    if action not in (Proposal.MOD, Proposal.ADD, Proposal.SUP, Proposal.NOC):
        raise DraftingProblem("Choose MOD, ADD, SUP or NOC.")
    if action == Proposal.ADD:
        if not new_title.strip():
            raise DraftingProblem("A new resolution (ADD) needs a title.")
        resolution = base_edition = None
    else:
        if resolution is None:
            raise DraftingProblem("Choose the resolution this proposal is about.")
        if action == Proposal.MOD:
            if base_edition is None:
                from drafting.reading import latest_edition

                base_edition = latest_edition(resolution)
            if base_edition is None or base_edition.resolution_id != resolution.pk:
                raise DraftingProblem("Choose an edition of that resolution to amend.")
        else:
            base_edition = None
    if resolution is not None and contribution.proposals.filter(resolution=resolution).exists():
        raise DraftingProblem(f"This contribution already has a proposal on {resolution}.", status=409)
    number = (contribution.proposals.aggregate(m=Max("number"))["m"] or 0) + 1
    return Proposal.objects.create(
        contribution=contribution,
        number=number,
        action=action,
        resolution=resolution,
        base_edition=base_edition,
        reasons=reasons.strip(),
        new_number=new_number.strip(),
        new_title=new_title.strip(),
    )


@transaction.atomic
def update_reasons(user, proposal: Proposal, reasons: str) -> Proposal:
    _require_edit(user, proposal.contribution)
    proposal.reasons = (reasons or "").strip()
    proposal.save(update_fields=["reasons"])
    _bump(proposal)
    return proposal


@transaction.atomic
def withdraw_contribution(user, contribution: Contribution) -> Contribution:
    """A submitted contribution withdrawn by its group's coordinator; it stays readable."""
    from drafting.models.people import COORDINATORS
    from drafting.permissions import is_group_member, roles_of

    if not (is_group_member(user, contribution.group_id) and COORDINATORS in roles_of(user)):
        raise DraftingProblem("Only the group's coordinator can withdraw its contribution.", status=403)
    updated = Contribution.objects.filter(pk=contribution.pk, status=Contribution.SUBMITTED).update(
        status=Contribution.WITHDRAWN, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise DraftingProblem("Only a submitted contribution can be withdrawn.", status=409)
    contribution.refresh_from_db()
    contribution.save(update_fields=["updated_at"])
    return contribution


@transaction.atomic
def revise_contribution(user, contribution: Contribution) -> Contribution:
    """A new draft, "Revision 1 to ...", copying every proposal and amendment; the submitted one stays as it was."""
    _require_member(user, contribution.group)
    if contribution.status != Contribution.SUBMITTED:
        raise DraftingProblem(
            "Only a submitted contribution is revised; a draft is simply edited.", status=409
        )
    if contribution.revisions.exists():
        raise DraftingProblem("This contribution already has a revision: revise the latest one.", status=409)
    revision = Contribution.objects.create(
        conference=contribution.conference,
        group=contribution.group,
        document_number=contribution.document_number,
        addendum=contribution.addendum,
        revision=contribution.revision + 1,
        revises=contribution,
        title=contribution.title,
        abstract=contribution.abstract,
        introduction=contribution.introduction,
    )
    for proposal in contribution.proposals.all():
        amendments = list(proposal.amendments.order_by("order", "id"))
        proposal.pk = None
        proposal.contribution = revision
        proposal.version = 1
        proposal.save()
        # Clauses the proposal adds get identities of their own in the revision (an
        # identity belongs to one addition); changes placed against them follow.
        renamed = {
            a.added_id: Provision.objects.create(resolution=a.added.resolution)
            for a in amendments
            if a.added_id
        }
        for amendment in amendments:
            amendment.pk = None
            amendment.proposal = proposal
            amendment.version = 1
            if amendment.added_id:
                amendment.added = renamed[amendment.added_id]
            if amendment.target_id in renamed:
                amendment.target = renamed[amendment.target_id]
            amendment.save()
    return revision


def clause_history(proposal: Proposal, key: str) -> list[dict]:
    """Every saved version of a clause in this proposal, oldest first, starting from the base text."""
    provision = _provision(proposal, key)
    base = _base_clause(proposal, provision)
    versions = []
    if base is not None:
        versions.append(
            {
                "text": base.heading if base.kind == PART else base.text,
                "who": "",
                "when": None,
                "what": "base text",
                "version": 0,
            }
        )
    records = (
        Amendment.history.filter(proposal_id=proposal.pk)
        .filter(models_q_target_or_added(provision.pk))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for record in records:
        if record.action == engine.SUPPRESS:
            what = "suppressed" if record.history_type != "-" else "restored"
            text = versions[-1]["text"] if versions else ""
        elif record.history_type == "-":
            if record.action == engine.MODIFY:
                what, text = "back to the base text", versions[0]["text"] if versions else ""
            else:
                what, text = "removed", ""
        else:
            what = "added" if record.action == engine.ADD and record.history_type == "+" else "edited"
            text = record.heading if record.kind == PART and record.heading else record.text
        user = record.history_user or record.updated_by
        versions.append(
            {
                "text": text,
                "who": (user.get_full_name() or user.username) if user else "",
                "when": record.history_date,
                "what": what,
                "version": record.version,
            }
        )
    # A save that changed nothing visible (the history record of a compare-and-swap) is not a version.
    collapsed = []
    for v in versions:
        if collapsed and v["text"] == collapsed[-1]["text"] and v["what"] == collapsed[-1]["what"]:
            collapsed[-1] = v
            continue
        collapsed.append(v)
    return collapsed


def models_q_target_or_added(provision_id: int):
    from django.db.models import Q

    return Q(target_id=provision_id) | Q(added_id=provision_id)


@transaction.atomic
def add_comment(user, proposal: Proposal, key: str, text: str):
    """A remark on a clause, for the group's delegates."""
    from drafting.models import ClauseComment
    from drafting.permissions import is_group_member

    if not is_group_member(user, proposal.contribution.group_id):
        raise DraftingProblem("Only members of the group can comment on its draft.", status=403)
    text = (text or "").strip()
    if not text:
        raise DraftingProblem("Write something before posting a comment.")
    if len(text) > 2000:
        raise DraftingProblem("A comment is at most 2,000 characters: say it shorter, or in several.")
    provision = _provision(proposal, key)
    _check_in_text(proposal, provision)
    comment = ClauseComment.objects.create(proposal=proposal, provision=provision, author=user, text=text)
    _bump(proposal)
    return comment


def parse_new_resolution(text: str):
    """A new resolution (ADD) as typed, read by the importer's rules; DraftingProblem if it is not one."""
    from drafting.engine.parse import ParseError, parse_resolution

    try:
        parsed = parse_resolution(text)
    except ParseError as e:
        raise DraftingProblem(str(e)) from None
    if not parsed.parts:
        raise DraftingProblem(
            "The text has no parts: start them with headings such as “considering” and “resolves”."
        )
    return parsed


@transaction.atomic
def save_new_resolution(user, proposal: Proposal, text: str, expected_version: int) -> Proposal:
    """Save the whole text of an ADD proposal, from the version the delegate opened."""
    _require_edit(user, proposal.contribution)
    if proposal.action != Proposal.ADD:
        raise DraftingProblem("Only an ADD proposal holds a whole new resolution.")
    parsed = parse_new_resolution(text)
    values = {"new_text": text.strip() + "\n", "version": F("version") + 1}
    if parsed.title:
        values["new_title"] = parsed.title
    updated = Proposal.objects.filter(pk=proposal.pk, version=expected_version).update(**values)
    if not updated:
        current = Proposal.objects.get(pk=proposal.pk)
        raise StaleEdit(
            "Someone saved this resolution after you opened it. Your text was not saved: compare the two and save again.",
            current_text=current.new_text,
            current_version=current.version,
        )
    proposal.refresh_from_db()
    proposal.save(update_fields=["new_text"])  # a history record of this version
    return proposal


def apply_derived(user, proposal: Proposal, amendments: list[engine.Amendment]) -> int:
    """Enter amendments derived from a whole text through the services, mapping new clauses' keys."""
    keys: dict[str, str] = {}
    for a in amendments:
        target = keys.get(a.target, a.target)
        if a.action == engine.MODIFY:
            existing = proposal.amendments.filter(target__key=target, action=engine.MODIFY).first()
            modify_clause(
                user,
                proposal,
                target,
                a.heading or a.text,
                expected_version=existing.version if existing else 0,
            )
        elif a.action == engine.ADD:
            added = add_clause(
                user, proposal, target, a.position, text=a.text, heading=a.heading, kind=a.kind, label=a.label
            )
            keys[a.key] = str(added.added.key)
        else:
            suppress_clause(user, proposal, target)
    return len(amendments)
