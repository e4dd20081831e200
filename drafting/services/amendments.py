"""Amending a proposal clause by clause: modify, add, suppress, restore, replace, history, comments.

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
from drafting.engine.matches import Match, find_matches, replace_chosen
from drafting.engine.replace import Replacement, find_replace
from drafting.engine.tree import ITEM, PART
from drafting.models import Amendment, Clause, Proposal, Provision
from drafting.reading import edition_tree

from .citations import index_amendment
from .contributions import DraftingProblem, StaleEdit, _bump, _require_edit


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
                index_amendment(amendment)
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
    index_amendment(amendment)
    _bump(proposal)
    return amendment


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
    index_amendment(amendment)
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


def preview_matches(proposal: Proposal, find: str, replace: str) -> list[Match]:
    """Every occurrence of ``find`` in the proposal's text, with its context and what it becomes."""
    if not find.strip():
        raise DraftingProblem("Type the text to find.")
    return find_matches(_clause_texts(draft_of(proposal)), find, replace)


@transaction.atomic
def apply_replace(user, proposal: Proposal, find: str, replace: str, chosen: set[str] | None = None) -> int:
    """Replace in every clause at once (or only the ``chosen`` matches, "key:n" as the preview names
    them): one amendment per clause touched, all or nothing."""
    _require_edit(user, proposal.contribution)
    replacements = preview_replace(proposal, find, replace)
    count = 0
    for r in replacements:
        after = r.after if chosen is None else replace_chosen(r.before, r.key, find, replace, chosen)
        if after == r.before:
            continue
        modify_clause(user, proposal, r.key, after, expected_version=_current_version(proposal, r.key))
        count += 1
    return count


def _current_version(proposal: Proposal, key: str) -> int:
    amendment = (
        proposal.amendments.filter(added__key=key, action=engine.ADD).first()
        or proposal.amendments.filter(target__key=key, action=engine.MODIFY).first()
    )
    return amendment.version if amendment else 0


def citation_warnings(draft: engine.DraftResolution, proposal: Proposal | None = None) -> list:
    """Citations in the proposal's text to check: misspelt venues ("Buchrest, 2022"), editions that
    never were, and editions older than the library's newest (one parser and graph: services.citations)."""
    from .citations import draft_warnings

    return draft_warnings(_clause_texts(draft), proposal)


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
