"""Amending a proposal clause by clause: modify, add, suppress, restore, replace, history, comments.

Every change a delegate saves goes through one of these functions, each one
transaction. Saves carry the version of the clause the delegate started from;
a save against an older version never overwrites (compare-and-swap) and
raises StaleEdit, which carries what is there now so the delegate can choose.
"""

from __future__ import annotations

import re
import uuid

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from drafting.engine import amend as engine
from drafting.engine import labels as lb
from drafting.engine.matches import Match, find_matches, replace_chosen
from drafting.engine.replace import Replacement, find_replace
from drafting.engine.tree import FRONT, ITEM, PART
from drafting.models import Amendment, Clause, ClauseVersion, Proposal, Provision, UndoableAction
from drafting.models.library import front_keys
from drafting.reading import shared_edition_tree

from . import notifications
from .citations.indexing import index_amendment
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
        raise DraftingProblem(gettext("This proposal has no base edition to amend."))
    base = shared_edition_tree(proposal.base_edition)
    if amendments is None:
        amendments = proposal_amendments(proposal)
    return engine.apply_amendments(base, engine_amendments(amendments))


def _require_clauses(proposal: Proposal) -> None:
    """Only a MOD proposal has a base text to change clause by clause."""
    if proposal.action != Proposal.MOD or proposal.base_edition_id is None:
        raise DraftingProblem(
            gettext(
                "%(action)s %(label)s is not a MOD proposal: only a MOD proposal changes a resolution clause by clause."
            )
            % {"action": proposal.action, "label": proposal.label}
        )


def _provision(proposal: Proposal, key: str) -> Provision:
    _require_clauses(proposal)
    try:
        uuid.UUID(str(key))
    except ValueError:
        raise DraftingProblem(
            gettext("There is no clause %(key)s in this resolution.") % {"key": repr(str(key)[:40])},
            status=404,
        ) from None
    provision = Provision.objects.filter(key=key, resolution=proposal.base_edition.resolution).first()
    if provision is None and front_line(proposal, key) is not None:
        # A front line's identity is the resolution's from the start; its row comes with its first change.
        provision, _created = Provision.objects.get_or_create(
            key=key, defaults={"resolution": proposal.base_edition.resolution}
        )
    if provision is None:
        raise DraftingProblem(gettext("This clause is not part of the resolution any more."), status=404)
    return provision


def front_line(proposal: Proposal, key) -> str | None:
    """The front line ("title") that ``key`` is in the proposal's resolution, or None for any other clause."""
    if proposal.base_edition_id is None:
        return None
    wanted = str(key)
    return next(
        (line for line, k in front_keys(proposal.base_edition.resolution_id).items() if k == wanted), None
    )


def _front_value(proposal: Proposal, line: str) -> str:
    """A front line as the base edition has it: the Edition's title is the resolution's title line."""
    return getattr(shared_edition_tree(proposal.base_edition), line)


def _base_clause(proposal: Proposal, provision: Provision) -> Clause | None:
    return Clause.objects.filter(edition=proposal.base_edition, provision=provision).first()


def _check_in_text(proposal: Proposal, provision: Provision) -> Clause | None:
    """The base clause for a provision, or None if it is one this proposal adds or a front line."""
    clause = _base_clause(proposal, provision)
    if (
        clause is None
        and front_line(proposal, provision.key) is None
        and not proposal.amendments.filter(added=provision, action=engine.ADD).exists()
    ):
        raise DraftingProblem(gettext("This clause is not part of the text being amended."), status=404)
    return clause


def _next_order(proposal: Proposal) -> int:
    return (proposal.amendments.aggregate(m=Max("order"))["m"] or 0) + 1


# --- clause versions: what a save is checked against ----------------------------------------------


def clause_versions(proposal: Proposal) -> dict[str, int]:
    """Every clause's version in the proposal, by key; a clause never changed is at 0 (one query)."""
    return {
        str(k): v
        for k, v in ClauseVersion.objects.filter(proposal=proposal).values_list("provision__key", "version")
    }


def clause_version(proposal: Proposal, key: str) -> int:
    """The version of one clause: what a save of it must carry to be taken."""
    version = (
        ClauseVersion.objects.filter(proposal=proposal, provision__key=key)
        .values_list("version", flat=True)
        .first()
    )
    return version or 0


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _what_happened(change: str, who: str) -> str:
    """What another delegate did to a clause, said to the delegate whose save it stopped."""
    who = who or gettext("Someone")
    sentences = {
        ClauseVersion.EDITED: gettext("%(who)s changed this clause after you opened it."),
        ClauseVersion.LABEL: gettext("%(who)s changed this clause's label after you opened it."),
        ClauseVersion.BASE: gettext("%(who)s changed this clause back to the base text after you opened it."),
        ClauseVersion.SUPPRESSED: gettext("%(who)s suppressed this clause after you opened it."),
        ClauseVersion.RESTORED: gettext("%(who)s restored this clause after you opened it."),
        ClauseVersion.ADDED: gettext("%(who)s added this clause after you opened it."),
        ClauseVersion.REMOVED: gettext("%(who)s removed this clause after you opened it."),
        ClauseVersion.REBASED: gettext(
            "%(who)s carried the proposal onto a newer edition after you opened this clause: its text moved with it."
        ),
    }
    return sentences.get(change, sentences[ClauseVersion.EDITED]) % {"who": who}


def _value(clause) -> str:
    return clause.heading if clause.kind == PART else clause.text


def _inside_suppressed(node: engine.DraftClause) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.suppressed:
            return True
        parent = parent.parent
    return False


def _stale(proposal: Proposal, provision: Provision) -> StaleEdit:
    """The refusal of a save from a version of the clause that is no longer the current one, saying what
    happened since, with the clause's text and version now (so that the delegate can compare and save).

    The version is read before the text, both afresh: a text read before the version could be older than
    it (another delegate's save committing in between), and the delegate, shown the old words with the
    new version, would then save over words they never saw. Read in this order, the text is at least as
    new as the version, and a save from them is at worst refused once more."""
    state = (
        ClauseVersion.objects.select_related("changed_by")
        .filter(proposal=proposal, provision=provision)
        .first()
    )
    who = _name(state.changed_by) if state is not None else ""
    node = draft_of(proposal).find(str(provision.key))
    if state is None:
        said = _what_happened(ClauseVersion.BASE, who)
    else:
        said = _what_happened(state.change, who)
    if node is None:
        advice = gettext("Your text was not saved: it is kept in the box, to copy where it belongs.")
    elif node.suppressed or _inside_suppressed(node):
        advice = gettext(
            "Your text was not saved: restore the clause if it should stay, then save your text again."
        )
    else:
        advice = gettext("Your text was not saved: compare the two and save again.")
    return StaleEdit(
        f"{said} {advice}",
        current_text=_value(node) if node is not None else "",
        current_version=state.version if state is not None else 0,
        updated_by=who,
    )


def _not_editable(node: engine.DraftClause, version: int) -> StaleEdit | None:
    """A clause that is suppressed (or inside a suppressed one) takes no new text: a save there would
    change nothing anyone sees. Refused, the delegate's words kept, saying what to do."""
    if node.suppressed:
        message = gettext(
            "This clause is suppressed: restore it before changing its text or label. Your text was not saved."
        )
    elif _inside_suppressed(node):
        message = gettext(
            "This clause is inside a suppressed clause: restore that clause before changing this one. Your text "
            "was not saved."
        )
    else:
        return None
    return StaleEdit(message, current_text=_value(node), current_version=version)


def advance_clause(
    user, proposal: Proposal, provision: Provision, change: str, expected: int | None = None
) -> int:
    """Move the clause's version on, from ``expected`` (compare-and-swap) or from whatever it is (None).

    Returns the new version and mirrors it on the clause's amendments (their version is the one the
    history shows). Raises StaleEdit when the clause moved since ``expected``.
    """
    rows = ClauseVersion.objects.filter(proposal=proposal, provision=provision)
    values = {"version": F("version") + 1, "change": change, "changed_by": user, "changed_at": timezone.now()}
    moved = rows.filter(version=expected).update(**values) if expected is not None else rows.update(**values)
    if not moved:
        if expected not in (None, 0) or (expected == 0 and rows.exists()):
            raise _stale(proposal, provision)
        try:
            with transaction.atomic():
                ClauseVersion.objects.create(
                    proposal=proposal, provision=provision, version=1, change=change, changed_by=user
                )
        except IntegrityError:
            # Another delegate's first change of this clause, at the same moment.
            if expected is not None:
                raise _stale(proposal, provision) from None
            rows.update(**values)
    version = rows.values_list("version", flat=True).get()
    Amendment.objects.filter(
        Q(target=provision, action=engine.MODIFY) | Q(added=provision, action=engine.ADD), proposal=proposal
    ).update(version=version)
    return version


def checked_label(label: str, kind: str = ITEM) -> str:
    """A label typed by a delegate, as stored: "" (the tool numbers it), "¶" (unlabelled) or a label ITU writes.

    Raises DraftingProblem with what is wrong, so that nothing is saved.
    """
    label = (label or "").strip()
    if not label:
        return ""
    if kind == PART:
        raise DraftingProblem(gettext("A part has no label: it is known by its heading."))
    if kind == FRONT:
        raise DraftingProblem(gettext("The title has no label: change its words."))
    if label.lower() in ("¶", "none", "unlabelled", "unlabeled"):
        return engine.UNLABELLED
    if len(label) > 20 or not lb.is_valid(label):
        raise DraftingProblem(
            gettext(
                "“%(value)s” is not a label ITU writes. Use a letter, roman or number label such as b), iv), 3 or 1.2, a bis form such as 3bis, a bis) or b)bis, a dash, ¶ for an unlabelled paragraph, or leave it empty to let the tool number the item."
            )
            % {"value": label[:30]}
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
            gettext(
                "Another item of this list is already labelled %(label)s: choose another label, or leave it empty to let the tool number the item."
            )
            % {"label": clause.label}
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
    (the amendment is then removed). Raises StaleEdit if the clause changed in
    any way since that version (its text or label, a suppression, a
    restoration, a removal, a rebase), and when it is suppressed: a save there
    would change nothing anyone sees.
    """
    require_edit(user, proposal.contribution)
    provision = _provision(proposal, key)
    clause = _base_clause(proposal, provision)
    front = front_line(proposal, key) if clause is None else None
    addition = (
        proposal.amendments.filter(added=provision, action=engine.ADD).first()
        if clause is None and front is None
        else None
    )
    if clause is None and addition is None and front is None:
        if ClauseVersion.objects.filter(proposal=proposal, provision=provision).exists():
            raise _stale(proposal, provision)  # an addition removed since
        raise DraftingProblem(gettext("This clause is not part of the text being amended."), status=404)
    amendments = proposal_amendments(proposal)
    draft = draft_of(proposal, amendments)
    node = draft.find(key)
    current_version = clause_version(proposal, key)
    if expected_version != current_version:
        raise _stale(proposal, provision)  # not with the draft read above: it may be older than the version
    if node is None:
        raise DraftingProblem(
            gettext(
                "This clause cannot be shown in the text (see the problems listed above it): it takes no change."
            ),
            status=409,
        )
    refused = _not_editable(node, current_version)
    if refused is not None:
        raise refused
    kind = addition.kind if addition is not None else FRONT if front else clause.kind
    if label is not None:
        label = checked_label(label, kind)
    existing = (
        None
        if addition is not None
        else next((a for a in amendments if a.target_id == provision.pk and a.action == engine.MODIFY), None)
    )
    if text is None:
        current = addition or existing
        source = current if current is not None and (current.heading or current.text) else clause
        text = (
            _front_value(proposal, front)
            if source is None
            else source.heading
            if kind == PART
            else source.text
        )
    text = (text or "").strip()
    if not text:
        raise DraftingProblem(gettext("The text cannot be empty. To remove the clause, suppress it."))
    now = timezone.now()
    field = "heading" if kind == PART else "text"

    if addition is not None:
        # A clause this proposal adds: its text and label live on the addition itself.
        if text == _value(addition) and (label is None or label == addition.label):
            return addition  # the words and label it has: nothing to save, no new version
        values = {field: text}
        if label is not None:
            # A label set by hand replaces the bis numbering: the drafter chose the label.
            values.update(label=label, numbering=engine.RENUMBER if label else addition.numbering)
        change = ClauseVersion.EDITED if text != _value(addition) else ClauseVersion.LABEL
        version = advance_clause(user, proposal, provision, change, expected_version)
        Amendment.objects.filter(pk=addition.pk).update(
            **values, version=version, updated_by=user, updated_at=now
        )
        if label:
            _check_labels_unique(proposal, key)
        return _touch(addition.pk, proposal)

    base_value = _front_value(proposal, front) if front else _value(clause)
    new_label = (existing.label if existing is not None else "") if label is None else label
    if existing is None and text == base_value and not new_label:
        return None  # nothing to save: the clause is as the base has it
    if existing is not None and text == _value(existing) and new_label == existing.label:
        return existing  # the words and label it has: nothing to save, no new version
    if text == base_value and not new_label:
        advance_clause(user, proposal, provision, ClauseVersion.BASE, expected_version)
        existing.delete()
        bump_version(proposal)
        return None
    old_value = _value(existing) if existing is not None else base_value
    change = ClauseVersion.EDITED if text != old_value else ClauseVersion.LABEL
    version = advance_clause(user, proposal, provision, change, expected_version)
    if existing is None:
        amendment = Amendment.objects.create(
            proposal=proposal,
            action=engine.MODIFY,
            target=provision,
            base_clause=clause,
            kind=kind if kind in (ITEM, PART, FRONT) else ITEM,
            heading=text if kind == PART else "",
            text="" if kind == PART else text,
            label=new_label,
            order=_next_order(proposal),
            version=version,
            updated_by=user,
        )
        amendment.proposal = proposal
        index_amendment(amendment)
        if new_label:
            _check_labels_unique(proposal, key)
        bump_version(proposal)
        return amendment
    values = {field: text}
    if label is not None:
        values["label"] = label
    Amendment.objects.filter(pk=existing.pk).update(
        **values, version=version, updated_by=user, updated_at=now, base_clause=clause
    )
    if label:
        _check_labels_unique(proposal, key)
    return _touch(existing.pk, proposal)


def _touch(pk: int, proposal: Proposal) -> Amendment:
    """Reload an amendment after an update, and record it in its history."""
    amendment = Amendment.objects.select_related("updated_by").get(pk=pk)
    # The proposal as the caller has it (with its contribution, conference and edition): indexing the
    # citations reads them, five queries on every save otherwise.
    amendment.proposal = proposal
    # .update() bypasses signals: save once more so django-simple-history keeps this version.
    amendment.save(update_fields=["updated_at"])
    index_amendment(amendment)
    bump_version(proposal)
    return amendment


def _placeable(draft: engine.DraftResolution, key: str, position: str) -> None:
    """Refuse an addition nobody would see: inside a suppressed clause, or beside a clause inside one."""
    anchor = draft.find(key)
    if anchor is None:
        raise DraftingProblem(
            gettext("This clause cannot be shown in the text: nothing can be added against it."), status=409
        )
    inside = position in (engine.FIRST_CHILD, engine.LAST_CHILD)
    if (inside and anchor.suppressed) or _inside_suppressed(anchor):
        raise DraftingProblem(
            gettext(
                "This place is inside a suppressed clause: an item added there would not be in the text. Restore "
                "the clause first, or add the item elsewhere."
            ),
            status=409,
        )


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
        raise DraftingProblem(
            gettext("Choose where the new clause goes: before, after, or inside the clause.")
        )
    if kind not in (ITEM, PART):
        raise DraftingProblem(gettext("A new clause is an item or a part."))
    if kind == PART and not heading.strip():
        raise DraftingProblem(gettext("A new part needs a heading, such as “recognizing further”."))
    if kind != PART and not text.strip():
        raise DraftingProblem(gettext("The new item needs text."))
    if numbering not in (engine.RENUMBER, engine.BIS):
        raise DraftingProblem(
            gettext("Choose how the new item is numbered: renumber what follows, or insert it as bis.")
        )
    if numbering == engine.BIS and kind == PART:
        raise DraftingProblem(gettext("Only items are inserted as bis: a part has no label."))
    label = checked_label(label, kind)
    if label and numbering == engine.BIS:
        raise DraftingProblem(
            gettext(
                "An item inserted as bis takes its label from the item before it (3bis after 3): leave the label empty, "
                "or choose to renumber."
            )
        )
    provision = _provision(proposal, anchor_key)
    clause = _check_in_text(proposal, provision)
    if front_line(proposal, anchor_key):
        raise DraftingProblem(
            gettext("Nothing is added beside the title: add the new item in a part of the resolution.")
        )
    draft = draft_of(proposal)
    _placeable(draft, anchor_key, position)
    before = {c.key: c.label for c, _ in draft.walk()} if numbering == engine.BIS else {}
    if label and label != "¶":
        anchor = draft.find(anchor_key)
        siblings = (
            anchor.children
            if position in (engine.FIRST_CHILD, engine.LAST_CHILD)
            else (anchor.parent.children if anchor.parent else draft.clauses)
        )
        if any(c.label == label.strip() and not c.suppressed for c in siblings):
            raise DraftingProblem(
                gettext(
                    "There is already an item %(strip)s there: leave the label empty to let the tool number it."
                )
                % {"strip": label.strip()}
            )
    added = Provision.objects.create(resolution=proposal.base_edition.resolution, key=uuid.uuid4())
    version = advance_clause(user, proposal, added, ClauseVersion.ADDED)
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
        version=version,
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
            gettext(
                "This item cannot be inserted as bis here: it needs a labelled item of its list before it to take the "
                "label of (3bis after 3). Add it after that item, or choose to renumber what follows."
            )
        )


@transaction.atomic
def suppress_clause(user, proposal: Proposal, key: str) -> Amendment | None:
    """Suppress a base clause; suppressing a clause this proposal added simply removes the addition.

    A clause already suppressed is refused (409, saying who suppressed it): the click changed nothing.
    """
    require_edit(user, proposal.contribution)
    provision = _provision(proposal, key)
    clause = _check_in_text(proposal, provision)
    if front_line(proposal, key):
        raise DraftingProblem(gettext("The title cannot be suppressed: change its words instead."))
    if clause is None:
        addition = proposal.amendments.get(added=provision, action=engine.ADD)
        if proposal.amendments.filter(target=provision).exists():
            raise DraftingProblem(
                gettext("Other changes are placed against this new clause: remove them first."), status=409
            )
        removed = {f: getattr(addition, f) for f in _ADDITION_FIELDS}
        version = advance_clause(user, proposal, provision, ClauseVersion.REMOVED)
        addition.delete()
        bump_version(proposal)
        _record_suppression(user, proposal, key, {"removed": removed, "version": version}, {"removed": True})
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
    if not created:
        who = _name(amendment.updated_by) or gettext("another delegate")
        raise DraftingProblem(
            gettext("This clause is already suppressed (by %(who)s): nothing changed.") % {"who": who},
            status=409,
        )
    version = advance_clause(user, proposal, provision, ClauseVersion.SUPPRESSED)
    bump_version(proposal)
    _record_suppression(
        user,
        proposal,
        key,
        {"suppression": amendment.pk, "version": version},
        {"clause": clause.heading if clause.kind == PART else clause.label},
    )
    return amendment


# The fields of an addition an undo of its removal puts back (the identity of the new clause with them).
_ADDITION_FIELDS = (
    "target_id",
    "base_clause_id",
    "position",
    "added_id",
    "kind",
    "label",
    "numbering",
    "heading",
    "text",
    "role",
    "order",
)


def _record_suppression(user, proposal: Proposal, key: str, change: dict, said: dict) -> None:
    from . import undo

    summary = change_summary(UndoableAction(kind=UndoableAction.SUPPRESS, said=said))
    proposal.undo = undo.record(
        user, UndoableAction.SUPPRESS, summary, [{"key": key, **change}], said=said, proposal=proposal
    )


def change_summary(action: UndoableAction) -> str:
    """What an undoable change to a draft did ("Suppressed e)."), in the active language: it is said
    again when undone, maybe in another. A row kept before says its stored words."""
    said = action.said if isinstance(action.said, dict) else {}
    try:
        if action.kind == UndoableAction.REPLACE:
            count = int(said["count"])
            return ngettext(
                "Replaced “%(find)s” in %(count)d clause.",
                "Replaced “%(find)s” in %(count)d clauses.",
                count,
            ) % {"find": said["find"], "count": count}
        if action.kind == UndoableAction.SUPPRESS:
            if said.get("removed"):
                return gettext("New clause removed.")
            return gettext("Suppressed %(clause)s.") % {"clause": said["clause"] or gettext("the paragraph")}
    except (KeyError, TypeError, ValueError):
        pass
    return action.summary


@transaction.atomic
def restore_clause(user, proposal: Proposal, key: str) -> None:
    """Undo a suppression: the clause comes back as in the base text, with any text change it had."""
    require_edit(user, proposal.contribution)
    provision = _provision(proposal, key)
    deleted, _ignored = proposal.amendments.filter(target=provision, action=engine.SUPPRESS).delete()
    if not deleted:
        raise DraftingProblem(gettext("This clause is not suppressed."), status=409)
    advance_clause(user, proposal, provision, ClauseVersion.RESTORED)
    bump_version(proposal)


def _clause_texts(draft: engine.DraftResolution) -> list[tuple[str, str]]:
    """The text of every clause the proposed text shows (none suppressed, none inside a suppressed one)."""
    return [
        (c.key, _value(c))
        for c, _ignored in draft.walk_all()
        if not c.suppressed and _value(c) and not _inside_suppressed(c)
    ]


def preview_replace(proposal: Proposal, find: str, replace: str) -> list[Replacement]:
    """Every clause of the proposal's text in which ``find`` occurs, before and after."""
    _require_clauses(proposal)
    if not find.strip():
        raise DraftingProblem(gettext("Type the text to find."))
    return find_replace(_clause_texts(draft_of(proposal)), find, replace)


def preview_matches(proposal: Proposal, find: str, replace: str) -> list[Match]:
    """Every occurrence of ``find`` in the proposal's text, with its context and what it becomes."""
    _require_clauses(proposal)
    if not find.strip():
        raise DraftingProblem(gettext("Type the text to find."))
    return find_matches(_clause_texts(draft_of(proposal)), find, replace)


@transaction.atomic
def apply_replace(
    user,
    proposal: Proposal,
    find: str,
    replace: str,
    chosen: set[str] | None = None,
    *,
    seen: dict[str, int] | None = None,
) -> int:
    """Replace in every clause at once (or only the ``chosen`` matches, "key:n" as the preview names
    them): one amendment per clause touched, all or nothing.

    ``seen`` holds the versions of the clauses the preview showed: if any of them changed since, the
    matches chosen may no longer be the words shown, so nothing is replaced (409, preview again).
    """
    from . import undo

    require_edit(user, proposal.contribution)
    replacements = preview_replace(proposal, find, replace)
    versions = clause_versions(proposal)
    if seen:
        moved = [key for key, version in seen.items() if versions.get(key, 0) != version]
        if moved:
            raise DraftingProblem(
                ngettext(
                    "A clause of your preview changed since you looked at it: nothing was replaced. Preview again.",
                    "%(count)d clauses of your preview changed since you looked at them: nothing was replaced. "
                    "Preview again.",
                    len(moved),
                )
                % {"count": len(moved)},
                status=409,
            )
    changes = []
    for r in replacements:
        after = r.after if chosen is None else replace_chosen(r.before, r.key, find, replace, chosen)
        if after == r.before:
            continue
        amendment = modify_clause(user, proposal, r.key, after, expected_version=versions.get(r.key, 0))
        version = amendment.version if amendment is not None else clause_version(proposal, r.key)
        changes.append({"key": r.key, "before": r.before, "version": version})
    if changes:
        said = {"find": find[:200], "count": len(changes)}
        proposal.undo = undo.record(
            user,
            UndoableAction.REPLACE,
            change_summary(UndoableAction(kind=UndoableAction.REPLACE, said=said)),
            changes,
            said=said,
            proposal=proposal,
        )
    return len(changes)


@transaction.atomic
def undo_change(user, pk: int):
    """Take back a suppression, the removal of a new clause or a replace-all of the editor, all or
    nothing, if none of its clauses changed since (compare-and-swap on the clause versions it left)."""
    from . import undo

    action = undo.take(user, pk)
    proposal = Proposal.objects.select_related("contribution", "base_edition__resolution").get(
        pk=action.proposal_id
    )
    require_edit(user, proposal.contribution)
    try:
        for entry in action.changes:
            provision = _provision(proposal, entry["key"])
            if "suppression" in entry:
                advance_clause(user, proposal, provision, ClauseVersion.RESTORED, entry["version"])
                Amendment.objects.filter(pk=entry["suppression"], action=engine.SUPPRESS).delete()
                bump_version(proposal)
            elif "removed" in entry:
                version = advance_clause(user, proposal, provision, ClauseVersion.ADDED, entry["version"])
                _check_in_text(proposal, Provision.objects.get(pk=entry["removed"]["target_id"]))
                index_amendment(
                    Amendment.objects.create(
                        proposal=proposal,
                        updated_by=user,
                        action=engine.ADD,
                        version=version,
                        **entry["removed"],
                    )
                )
                bump_version(proposal)
            else:
                modify_clause(
                    user, proposal, entry["key"], entry["before"], expected_version=entry["version"]
                )
    except StaleEdit:
        raise undo.UndoProblem(
            gettext("A clause this changed was changed again since: nothing was undone. Change it by hand."),
            status=409,
        ) from None
    undo.done(action)
    return action


def citation_warnings(draft: engine.DraftResolution, proposal: Proposal | None = None) -> list:
    """Citations in the proposal's text to check: misspelt venues ("Buchrest, 2022"), editions that
    never were, and editions older than the library's newest (one parser and graph: services/citations/)."""
    from .citations.editor import draft_warnings

    return draft_warnings(_clause_texts(draft), proposal)


def clause_history(proposal: Proposal, key: str) -> list[dict]:
    """Every saved version of a clause in this proposal, oldest first, starting from the base text."""
    provision = _provision(proposal, key)
    base = _base_clause(proposal, provision)
    front = front_line(proposal, key) if base is None else None
    versions = []
    if base is not None or front:
        versions.append(
            {
                "text": _front_value(proposal, front) if front else _value(base),
                "label": base.label if base is not None else "",
                "who": "",
                "when": None,
                "what": "base text",
                "version": 0,
            }
        )
    records = (
        Amendment.history.filter(proposal_id=proposal.pk)
        .filter(_versions_of(provision.pk))
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
    for v in collapsed:
        v["shown"] = _what_shown(v["what"])
    return collapsed


# "what" is the API's word for a version (English, stable); "shown" is what the history panel says.
_WHAT_SHOWN = {
    "base text": gettext_lazy("base text"),
    "suppressed": gettext_lazy("suppressed"),
    "restored": gettext_lazy("restored"),
    "back to the base text": gettext_lazy("back to the base text"),
    "removed": gettext_lazy("removed"),
    "added": gettext_lazy("added"),
    "edited": gettext_lazy("edited"),
    "label back to the tool's numbering": gettext_lazy("label back to the tool's numbering"),
    "label removed": gettext_lazy("label removed"),
}


def _what_shown(what: str) -> str:
    if what.startswith("label set to "):
        return gettext("label set to %(label)s") % {"label": what.removeprefix("label set to ")}
    return str(_WHAT_SHOWN.get(what, what))


@transaction.atomic
def restore_version(
    user, proposal: Proposal, key: str, index: int, expected_version: int
) -> Amendment | None:
    """Bring back version ``index`` of a clause's history (as ``clause_history`` lists it), saved as a new
    version from the clause's version the delegate saw: nothing is erased, and a clause changed since is a
    conflict like any save."""
    require_edit(user, proposal.contribution)
    history = clause_history(proposal, key)
    if not 0 <= index < len(history) or not history[index]["text"]:
        raise DraftingProblem(gettext("That version does not exist any more."))
    return modify_clause(user, proposal, key, history[index]["text"], expected_version)


def _shown_label(label: str) -> str:
    return "" if label == engine.UNLABELLED else label


def _label_change(label: str) -> str:
    if not label:
        return "label back to the tool's numbering"
    if label == engine.UNLABELLED:
        return "label removed"
    return f"label set to {label}"


def _versions_of(provision_id: int):
    """The amendments that are versions of one clause: its text change and suppression, or its addition.

    An addition placed against the clause (after it, inside it) has the clause as its target but is
    another clause, with its own history: it is no version of this one.
    """
    from django.db.models import Q

    return Q(target_id=provision_id, action__in=[engine.MODIFY, engine.SUPPRESS]) | Q(
        added_id=provision_id, action=engine.ADD
    )


# At most this many characters in a comment, and this many people named in one.
MAX_COMMENT = 2000
MAX_MENTIONS = 20
_MENTION = re.compile(r"(?<![\w.@])@([\w.@+-]{1,150})")


def _require_comment(user, proposal: Proposal) -> None:
    from drafting.permissions import can_comment, is_group_member

    if not is_group_member(user, proposal.contribution.group_id):
        raise DraftingProblem(gettext("Only members of the group can comment on its draft."), status=403)
    if not can_comment(user, proposal.contribution):
        raise DraftingProblem(
            gettext(
                "This contribution is %(status)s: it is frozen, and its comments with it. Changes go through a revision."
            )
            % {"status": proposal.contribution.get_status_display()},
            status=409,
        )


def mentioned(proposal: Proposal, text: str) -> list:
    """The members of the proposal's group a comment names as ``@username`` (other @words are text)."""
    from django.contrib.auth.models import User

    names = list(dict.fromkeys(m.rstrip(".") for m in _MENTION.findall(text)))[:MAX_MENTIONS]
    if not names:
        return []
    return list(
        User.objects.filter(
            regional_groups=proposal.contribution.group_id, username__in=names, is_active=True
        ).order_by("username")
    )


@transaction.atomic
def add_comment(user, proposal: Proposal, key: str, text: str, *, reply_to: int | None = None):
    """A remark on a clause, for the group's delegates: a new thread, or a reply in the thread of
    ``reply_to`` (a reply to a reply joins its thread). A reply reopens a resolved thread. The
    members it names (``@username``) are recorded and told."""
    from drafting.models import ClauseComment

    _require_comment(user, proposal)
    text = (text or "").strip()
    if not text:
        raise DraftingProblem(gettext("Write something before posting a comment."))
    if len(text) > MAX_COMMENT:
        raise DraftingProblem(
            gettext("A comment is at most 2,000 characters: say it shorter, or in several.")
        )
    provision = _provision(proposal, key)
    _check_in_text(proposal, provision)
    parent = None
    if reply_to is not None:
        parent = (
            ClauseComment.objects.select_for_update()
            .filter(pk=reply_to, proposal=proposal, provision=provision)
            .first()
        )
        if parent is None:
            raise DraftingProblem(
                gettext("The comment you answer is not in this clause's threads."), status=404
            )
        if parent.parent_id is not None:
            parent = ClauseComment.objects.select_for_update().get(pk=parent.parent_id)
    comment = ClauseComment.objects.create(
        proposal=proposal, provision=provision, author=user, text=text, parent=parent
    )
    if parent is not None and parent.resolved_at is not None:
        ClauseComment.objects.filter(pk=parent.pk).update(resolved_at=None, resolved_by=None)
    people = [p for p in mentioned(proposal, text) if p.pk != user.pk]
    comment.mentions.set(people)
    bump_version(proposal)
    # Those who wrote in the thread are answered; those named are told (drafting.services.notifications).
    notifications.announce({"kind": "reply", "comment": comment.pk})
    if people:
        notifications.announce({"kind": "mention", "comment": comment.pk, "people": [p.pk for p in people]})
    return comment


@transaction.atomic
def resolve_comment(user, proposal: Proposal, comment_id: int, *, resolved: bool = True):
    """Mark a thread resolved (or reopen it): any member of the group, while the draft is open."""
    from drafting.models import ClauseComment

    _require_comment(user, proposal)
    comment = ClauseComment.objects.select_for_update().filter(pk=comment_id, proposal=proposal).first()
    if comment is None:
        raise DraftingProblem(gettext("This comment is not in this proposal's threads."), status=404)
    if comment.parent_id is not None:
        comment = ClauseComment.objects.select_for_update().get(pk=comment.parent_id)
    if resolved == (comment.resolved_at is not None):
        raise DraftingProblem(
            gettext("This thread is resolved already.")
            if resolved
            else gettext("This thread is open already."),
            status=409,
        )
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = user if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    bump_version(proposal)
    return comment


def comment_threads(proposal: Proposal, key: str | None = None, *, mentions: bool = True) -> list:
    """The threads of a clause (or, without ``key``, of the whole proposal), oldest first: each first
    comment with its ``replies`` in order (two queries)."""
    from drafting.models import ClauseComment

    comments = ClauseComment.objects.filter(proposal=proposal).select_related(
        "author", "resolved_by", "provision"
    )
    if key is not None:
        comments = comments.filter(provision__key=key)
    threads, by_id = [], {}
    if mentions:
        comments = comments.prefetch_related("mentions")
    for c in comments.order_by("created_at", "id"):
        c.thread_replies = []
        by_id[c.pk] = c
        if c.parent_id is None:
            threads.append(c)
        elif c.parent_id in by_id:
            by_id[c.parent_id].thread_replies.append(c)
    return threads


def apply_derived(user, proposal: Proposal, amendments: list[engine.Amendment]) -> int:
    """Enter amendments derived from a whole text through the services, mapping new clauses' keys."""
    keys: dict[str, str] = {}
    for a in amendments:
        target = keys.get(a.target, a.target)
        if a.action == engine.MODIFY:
            modify_clause(
                user, proposal, target, a.heading or a.text, expected_version=clause_version(proposal, target)
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
