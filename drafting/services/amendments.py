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
from drafting.engine import labels as lb
from drafting.engine.matches import Match, find_matches, replace_chosen
from drafting.engine.replace import Replacement, find_replace
from drafting.engine.tree import ITEM, PART
from drafting.models import Amendment, Clause, Proposal, Provision
from drafting.reading import shared_edition_tree

from .citations import index_amendment
from .contributions import DraftingProblem, StaleEdit, bump_version, require_edit


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
                numbering=a.numbering,
            )
        )
    return result


def proposal_amendments(proposal: Proposal):
    return list(proposal.amendments.select_related("target", "added", "updated_by").order_by("order", "id"))


def draft_of(proposal: Proposal, amendments=None) -> engine.DraftResolution:
    """The proposal's text: its base edition with its amendments applied."""
    if proposal.base_edition_id is None:
        raise DraftingProblem("This proposal has no base edition to amend.")
    base = shared_edition_tree(proposal.base_edition)
    if amendments is None:
        amendments = proposal_amendments(proposal)
    return engine.apply_amendments(base, engine_amendments(amendments))


def _require_clauses(proposal: Proposal) -> None:
    """Only a MOD proposal has a base text to change clause by clause."""
    if proposal.action != Proposal.MOD or proposal.base_edition_id is None:
        raise DraftingProblem(
            f"{proposal.action} {proposal.label} is not a MOD proposal: only a MOD proposal changes a "
            "resolution clause by clause."
        )


def _provision(proposal: Proposal, key: str) -> Provision:
    _require_clauses(proposal)
    try:
        uuid.UUID(str(key))
    except ValueError:
        raise DraftingProblem(
            f"There is no clause {str(key)[:40]!r} in this resolution.", status=404
        ) from None
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


def checked_label(label: str, kind: str = ITEM) -> str:
    """A label typed by a delegate, as stored: "" (the tool numbers it), "¶" (unlabelled) or a label ITU writes.

    Raises DraftingProblem with what is wrong, so that nothing is saved.
    """
    label = (label or "").strip()
    if not label:
        return ""
    if kind == PART:
        raise DraftingProblem("A part has no label: it is known by its heading.")
    if label.lower() in ("¶", "none", "unlabelled", "unlabeled"):
        return engine.UNLABELLED
    if len(label) > 20 or not lb.is_valid(label):
        raise DraftingProblem(
            f"“{label[:30]}” is not a label ITU writes. Use a letter, roman or number label such as b), iv), 3 "
            "or 1.2, a bis form such as 3bis, a bis) or b)bis, a dash, ¶ for an unlabelled paragraph, or leave it "
            "empty to let the tool number the item."
        )
    return label


def _check_labels_unique(proposal: Proposal, key: str) -> None:
    """Refuse a label set by hand that another item of the same list already shows."""
    draft = draft_of(proposal)
    clause = draft.find(key)
    if clause is None or not clause.label or clause.suppressed:
        return
    siblings = clause.parent.children if clause.parent is not None else draft.clauses
    if any(c is not clause and not c.suppressed and c.label == clause.label for c in siblings):
        raise DraftingProblem(
            f"Another item of this list is already labelled {clause.label}: choose another label, or leave it "
            "empty to let the tool number the item."
        )


@transaction.atomic
def modify_clause(
    user, proposal: Proposal, key: str, text: str | None, expected_version: int, *, label: str | None = None
) -> Amendment | None:
    """Save a clause's new text (or a part's new heading), or its label, from the version the delegate opened.

    ``text`` None keeps the clause's text; ``label`` None keeps its label, ""
    gives it back to the tool's numbering, "¶" makes it an unlabelled
    paragraph, anything else is a label set by hand (recorded on the
    amendment, so it is in the history and shown with its mark).
    Returns the amendment, or None when the clause is back to the base text
    (the amendment is then removed). Raises StaleEdit if someone saved in between.
    """
    require_edit(user, proposal.contribution)
    provision = _provision(proposal, key)
    clause = _check_in_text(proposal, provision)
    addition = proposal.amendments.get(added=provision, action=engine.ADD) if clause is None else None
    kind = addition.kind if addition is not None else clause.kind
    if label is not None:
        label = checked_label(label, kind)
    if text is None:
        current = addition or proposal.amendments.filter(target=provision, action=engine.MODIFY).first()
        source = current if current is not None and (current.heading or current.text) else clause
        text = source.heading if kind == PART else source.text
    text = (text or "").strip()
    if not text:
        raise DraftingProblem("The text cannot be empty. To remove the clause, suppress it.")
    now = timezone.now()

    if addition is not None:
        # A clause this proposal adds: its text and label live on the addition itself.
        field = "heading" if addition.kind == PART else "text"
        values = {field: text}
        if label is not None:
            # A label set by hand replaces the bis numbering: the drafter chose the label.
            values.update(label=label, numbering=engine.RENUMBER if label else addition.numbering)
        updated = Amendment.objects.filter(pk=addition.pk, version=expected_version).update(
            **values, version=F("version") + 1, updated_by=user, updated_at=now
        )
        if not updated:
            raise _stale(Amendment.objects.get(pk=addition.pk), None)
        if label:
            _check_labels_unique(proposal, key)
        return _touch(addition.pk, proposal)

    is_part = clause.kind == PART
    base_value = clause.heading if is_part else clause.text
    existing = proposal.amendments.filter(target=provision, action=engine.MODIFY).first()
    new_label = (existing.label if existing is not None else "") if label is None else label
    if existing is None:
        if expected_version != 0:
            raise _stale(None, clause)
        if text == base_value and not new_label:
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
                    label=new_label,
                    order=_next_order(proposal),
                    updated_by=user,
                )
                index_amendment(amendment)
        except IntegrityError:
            # Someone else created the first amendment of this clause at the same moment.
            raise _stale(
                proposal.amendments.filter(target=provision, action=engine.MODIFY).first(), clause
            ) from None
        if new_label:
            _check_labels_unique(proposal, key)
        bump_version(proposal)
        return amendment

    if text == base_value and not new_label:
        deleted, _ = Amendment.objects.filter(pk=existing.pk, version=expected_version).delete()
        if not deleted:
            raise _stale(Amendment.objects.filter(pk=existing.pk).first(), clause)
        bump_version(proposal)
        return None
    values = {"heading": text} if is_part else {"text": text}
    if label is not None:
        values["label"] = label
    updated = Amendment.objects.filter(pk=existing.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_by=user, updated_at=now, base_clause=clause
    )
    if not updated:
        raise _stale(Amendment.objects.filter(pk=existing.pk).first(), clause)
    if label:
        _check_labels_unique(proposal, key)
    return _touch(existing.pk, proposal)


def _touch(pk: int, proposal: Proposal) -> Amendment:
    """Reload an amendment after a compare-and-swap update, and record it in its history."""
    amendment = Amendment.objects.select_related("updated_by").get(pk=pk)
    # The proposal as the caller has it (with its contribution, conference and edition): indexing the
    # citations reads them, five queries on every save otherwise.
    amendment.proposal = proposal
    # .update() bypasses signals: save once more so django-simple-history keeps this version.
    amendment.save(update_fields=["updated_at"])
    index_amendment(amendment)
    bump_version(proposal)
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
    numbering: str = engine.RENUMBER,
) -> Amendment:
    """Add a new item (or part) before or after a clause, or as its first child.

    ``numbering`` is how an item is numbered: RENUMBER (the items after it
    are renumbered, what resolutions do) or BIS (it takes the label of the
    item before it with a suffix, 3bis, and nothing is renumbered). A
    ``label`` typed by the delegate is kept as written; a label ITU does not
    write is refused.
    """
    require_edit(user, proposal.contribution)
    if position not in (engine.BEFORE, engine.AFTER, engine.FIRST_CHILD, engine.LAST_CHILD):
        raise DraftingProblem("Choose where the new clause goes: before, after, or inside the clause.")
    if kind not in (ITEM, PART):
        raise DraftingProblem("A new clause is an item or a part.")
    if kind == PART and not heading.strip():
        raise DraftingProblem("A new part needs a heading, such as “recognizing further”.")
    if kind != PART and not text.strip():
        raise DraftingProblem("The new item needs text.")
    if numbering not in (engine.RENUMBER, engine.BIS):
        raise DraftingProblem(
            "Choose how the new item is numbered: renumber what follows, or insert it as bis."
        )
    if numbering == engine.BIS and kind == PART:
        raise DraftingProblem("Only items are inserted as bis: a part has no label.")
    label = checked_label(label, kind)
    if label and numbering == engine.BIS:
        raise DraftingProblem(
            "An item inserted as bis takes its label from the item before it (3bis after 3): leave the label empty, "
            "or choose to renumber."
        )
    provision = _provision(proposal, anchor_key)
    clause = _check_in_text(proposal, provision)
    before = {c.key: c.label for c, _ in draft_of(proposal).walk()} if numbering == engine.BIS else {}
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
        label=label,
        numbering=numbering,
        heading=heading.strip(),
        text=text.strip(),
        order=_next_order(proposal),
        updated_by=user,
    )
    if numbering == engine.BIS:
        _check_bis_insertion(proposal, str(added.key), before)
    elif label and label != engine.UNLABELLED:
        _check_labels_unique(proposal, str(added.key))
    index_amendment(amendment)
    bump_version(proposal)
    return amendment


def _check_bis_insertion(proposal: Proposal, key: str, before: dict[str, str]) -> None:
    """Refuse an insertion as bis that would not be one: no item before it, or other items relabelled."""
    draft = draft_of(proposal)
    new = draft.find(key)
    relabelled = [c for c, _ in draft.walk() if c.key in before and c.label != before[c.key]]
    if new is None or not lb.suffix_of(new.label) or relabelled:
        raise DraftingProblem(
            "This item cannot be inserted as bis here: it needs a labelled item of its list before it to take the "
            "label of (3bis after 3). Add it after that item, or choose to renumber what follows."
        )


@transaction.atomic
def suppress_clause(user, proposal: Proposal, key: str) -> Amendment | None:
    """Suppress a base clause; suppressing a clause this proposal added simply removes the addition."""
    require_edit(user, proposal.contribution)
    provision = _provision(proposal, key)
    clause = _check_in_text(proposal, provision)
    if clause is None:
        addition = proposal.amendments.get(added=provision, action=engine.ADD)
        if proposal.amendments.filter(target=provision).exists():
            raise DraftingProblem(
                "Other changes are placed against this new clause: remove them first.", status=409
            )
        addition.delete()
        bump_version(proposal)
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
        bump_version(proposal)
    return amendment


@transaction.atomic
def restore_clause(user, proposal: Proposal, key: str) -> None:
    """Undo a suppression: the clause comes back as in the base text, with any text change it had."""
    require_edit(user, proposal.contribution)
    provision = _provision(proposal, key)
    deleted, _ = proposal.amendments.filter(target=provision, action=engine.SUPPRESS).delete()
    if not deleted:
        raise DraftingProblem("This clause is not suppressed.", status=409)
    bump_version(proposal)


def _clause_texts(draft: engine.DraftResolution) -> list[tuple[str, str]]:
    return [
        (c.key, c.heading if c.kind == PART else c.text)
        for c, _ in draft.walk()
        if not c.suppressed and (c.heading if c.kind == PART else c.text)
    ]


def preview_replace(proposal: Proposal, find: str, replace: str) -> list[Replacement]:
    """Every clause of the proposal's text in which ``find`` occurs, before and after."""
    _require_clauses(proposal)
    if not find.strip():
        raise DraftingProblem("Type the text to find.")
    return find_replace(_clause_texts(draft_of(proposal)), find, replace)


def preview_matches(proposal: Proposal, find: str, replace: str) -> list[Match]:
    """Every occurrence of ``find`` in the proposal's text, with its context and what it becomes."""
    _require_clauses(proposal)
    if not find.strip():
        raise DraftingProblem("Type the text to find.")
    return find_matches(_clause_texts(draft_of(proposal)), find, replace)


@transaction.atomic
def apply_replace(user, proposal: Proposal, find: str, replace: str, chosen: set[str] | None = None) -> int:
    """Replace in every clause at once (or only the ``chosen`` matches, "key:n" as the preview names
    them): one amendment per clause touched, all or nothing."""
    require_edit(user, proposal.contribution)
    replacements = preview_replace(proposal, find, replace)
    count = 0
    for r in replacements:
        after = r.after if chosen is None else replace_chosen(r.before, r.key, find, replace, chosen)
        if after == r.before:
            continue
        modify_clause(user, proposal, r.key, after, expected_version=amendment_version(proposal, r.key))
        count += 1
    return count


def amendment_version(proposal: Proposal, key: str) -> int:
    """The version of the proposal's amendment of the clause ``key`` (0 when it has none): what a
    save made from the current text gives as the version it saw."""
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
                "label": base.label,
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
            previous = versions[-1] if versions else None
            if (
                what == "edited"
                and previous is not None
                and previous["text"] == text
                and previous.get("label_set", "") != record.label
            ):
                what = _label_change(record.label)
        user = record.history_user or record.updated_by
        versions.append(
            {
                "text": text,
                "label": versions[-1]["label"]
                if versions and not record.label
                else _shown_label(record.label),
                "label_set": record.label if record.history_type != "-" else "",
                "who": (user.get_full_name() or user.username) if user else "",
                "when": record.history_date,
                "what": what,
                "version": record.version,
            }
        )
    # A save that changed nothing visible (the history record of a compare-and-swap) is not a version.
    collapsed = []
    for v in versions:
        if (
            collapsed
            and v["text"] == collapsed[-1]["text"]
            and v["what"] == collapsed[-1]["what"]
            and v.get("label_set", "") == collapsed[-1].get("label_set", "")
        ):
            collapsed[-1] = v
            continue
        collapsed.append(v)
    return collapsed


def _shown_label(label: str) -> str:
    return "" if label == engine.UNLABELLED else label


def _label_change(label: str) -> str:
    if not label:
        return "label back to the tool's numbering"
    if label == engine.UNLABELLED:
        return "label removed"
    return f"label set to {label}"


def models_q_target_or_added(provision_id: int):
    from django.db.models import Q

    return Q(target_id=provision_id) | Q(added_id=provision_id)


@transaction.atomic
def add_comment(user, proposal: Proposal, key: str, text: str):
    """A remark on a clause, for the group's delegates."""
    from drafting.models import ClauseComment
    from drafting.permissions import can_comment, is_group_member

    if not is_group_member(user, proposal.contribution.group_id):
        raise DraftingProblem("Only members of the group can comment on its draft.", status=403)
    if not can_comment(user, proposal.contribution):
        raise DraftingProblem(
            f"This contribution is {proposal.contribution.status}: it is frozen, and its comments with it. "
            "Changes go through a revision.",
            status=409,
        )
    text = (text or "").strip()
    if not text:
        raise DraftingProblem("Write something before posting a comment.")
    if len(text) > 2000:
        raise DraftingProblem("A comment is at most 2,000 characters: say it shorter, or in several.")
    provision = _provision(proposal, key)
    _check_in_text(proposal, provision)
    comment = ClauseComment.objects.create(proposal=proposal, provision=provision, author=user, text=text)
    bump_version(proposal)
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
            fields = {"text": a.text, "heading": a.heading, "kind": a.kind, "label": a.label}
            try:
                added = add_clause(user, proposal, target, a.position, **fields, numbering=a.numbering)
            except DraftingProblem:
                if a.numbering != engine.BIS:
                    raise
                # The document writes a bis label where the tool cannot keep one (no item before it):
                # the item is still added, numbered as the list goes.
                added = add_clause(user, proposal, target, a.position, **fields)
            keys[a.key] = str(added.added.key)
        else:
            suppress_clause(user, proposal, target)
    return len(amendments)
