"""Bringing cited editions up to date in a clause's text, lists included, worded as ITU words them.

One citation: "Resolution 140 (Rev. Dubai, 2018)" becomes "(Rev. Bucharest, 2022)", nothing else
changes. A list sharing one edition ("Resolutions 101, 140 and 178 (Rev. Dubai, 2018) of the
Plenipotentiary Conference") keeps one edition when every resolution in it moves to the same
newer one, and is split otherwise, each resolution keeping or getting its own edition:
"Resolutions 101 and 178 (Rev. Dubai, 2018) and Resolution 140 (Rev. Bucharest, 2022) of the
Plenipotentiary Conference". Lists already split that way are regrouped the same way, so updating
them again joins resolutions that share an edition once more.

The rewritten list is read back by the same parser: the words after the last list ("of the
Plenipotentiary Conference", "of this Conference") and before the first ("PP") are kept once and
apply to the whole list (:func:`drafting.engine.citations.cited_lists`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .citations import (
    _REV,
    UN_RESOLUTION,
    CitedList,
    Context,
    ListGroup,
    Venues,
    cited_lists,
    normalise,
    parse_citations,
    un_document,
)


@dataclass(frozen=True)
class Target:
    """The edition a citation should read. ``revised``: write "Rev." (True), not (False), or as written (None)."""

    place: str
    year: int
    revised: bool | None = None


@dataclass
class Rewritten:
    text: str
    unapplied: list[int] = field(default_factory=list)  # targets naming no rewritable citation


# An edition as a group has it: (place, year) as the parser read it, or None for a list written without one.
_Key = tuple[str, int] | None


def update_editions(
    text: str,
    targets: Mapping[int, Target],
    context: Context | None = None,
    venues: Venues | None = None,
) -> Rewritten:
    """The text with each citation named in ``targets`` (by its ``start`` as :func:`parse_citations` gives
    it) citing that edition, the others of its list keeping theirs, and nothing outside the lists changed."""
    lists = cited_lists(text, context, venues)
    known = {c.start for lst in lists for c in lst.citations}
    unapplied = sorted(s for s in targets if s not in known)
    # Right to left, so the offsets of the lists still to rewrite hold.
    for lst in sorted(lists, key=lambda lst: lst.start, reverse=True):
        wanted = {c.start: targets[c.start] for c in lst.citations if c.start in targets}
        if wanted:
            text = _rewrite_list(text, lst, wanted)
    return Rewritten(text, unapplied)


def _key_of(group: ListGroup) -> _Key:
    if group.edition_start is None:
        return None
    c = group.citations[0]
    return (c.place, c.year) if c.year is not None else None


def _rewrite_list(text: str, lst: CitedList, wanted: dict[int, Target]) -> str:
    old_groups = [(_key_of(g), [c.start for c in g.citations]) for g in lst.groups]
    final: dict[_Key, list[int]] = {}
    order: list[_Key] = [k for k, _ in old_groups if k is not None]
    new_targets: dict[_Key, Target] = {}
    for (key, members), group in zip(old_groups, lst.groups, strict=True):
        for start, c in zip(members, group.citations, strict=True):
            target = wanted.get(start)
            to = key
            if target is not None and (c.place, c.year) != (target.place, target.year):
                to = (target.place, target.year)
                new_targets.setdefault(to, target)
                if to not in order:
                    order.append(to)
            final.setdefault(to, []).append(start)
    # Editions as written first (they keep their place), new ones after in the order their resolutions
    # come, and a list without an edition last: "of this Conference" after it is what dates it.
    keys = [k for k in dict.fromkeys(order) if k in final] + ([None] if None in final else [])
    group_of = {start: i for i, (_, members) in enumerate(old_groups) for start in members}
    number_of = {c.start: c.number for c in lst.citations}
    new_groups = []
    for k in keys:
        members = final[k]
        if len({group_of[m] for m in members}) > 1:
            # Resolutions of several lists joined into one are listed by number, as ITU lists them.
            members = sorted(members, key=lambda m: _number_order(number_of[m]))
        new_groups.append((k, members))
    if [m for _, m in new_groups] == [m for _, m in old_groups]:
        return _in_place(text, lst, old_groups, new_groups, new_targets)
    return text[: lst.start] + _written(text, lst, new_groups, new_targets) + text[lst.end :]


def _number_order(number: str) -> tuple[int, str]:
    digits = re.match(r"\d+", number)
    return (int(digits.group()) if digits else 0, number)


def _edition_text(text: str, lst: CitedList, key: _Key, target: Target | None) -> str:
    """The parenthesis for an edition: as written in the list when it has it, else in the list's style."""
    for g in lst.groups:
        if g.edition_start is not None and _key_of(g) == key:
            return text[g.edition_start : g.edition_end]
    assert key is not None and target is not None
    prefix = "Rev. "
    for g in lst.groups:
        if g.edition_start is not None:
            inner = text[g.edition_start + 1 : g.edition_end - 1]
            rev = _REV.match(normalise(inner))
            prefix = inner[: rev.end()] if rev else ""
            break
    if target.revised is True and not prefix:
        prefix = "Rev. "
    elif target.revised is False:
        prefix = ""
    if not target.place:
        return f"({prefix}{target.year})"  # a Council session: "(Modified 2019)"
    return f"({prefix}{target.place}, {target.year})"


def _in_place(text, lst, old_groups, new_groups, new_targets) -> str:
    """Same lists, other editions: only the editions change ("(Rev. ~~Dubai, 2018~~ Bucharest, 2022)")."""
    changes = [
        (group, new_key, _edition_text(text, lst, new_key, new_targets.get(new_key)))
        for group, (old_key, _), (new_key, _) in zip(lst.groups, old_groups, new_groups, strict=True)
        if old_key != new_key
    ]  # each worded from the text as it was: a later list's edition may be an earlier one's new wording
    for group, new_key, edition in reversed(changes):
        session = _session_year(text, group) if new_key is not None and not new_key[0] else None
        if session is not None:
            # "Council ~~2016~~ 2019 Resolution 1332", "adopted by the Council at its ~~2016~~ 2019 session".
            text = text[: session[0]] + str(new_key[1]) + text[session[1] :]
        elif group.edition_start is None:
            end = group.numbers[-1][1]
            text = f"{text[:end]} {edition}{text[end:]}"
        else:
            text = text[: group.edition_start] + edition + text[group.edition_end :]
    return text


def _session_year(text: str, group: ListGroup) -> tuple[int, int] | None:
    """Where the Council session a citation without a parenthesis is dated by is written: in the words
    before the number ("Council 2016 Resolution 1332") or after it, up to the end of the phrase
    ("adopted by the Council at its 2016 session", "last modified at its 2019 session")."""
    if group.edition_start is not None or len(group.citations) != 1 or group.citations[0].year is None:
        return None
    c = group.citations[0]
    year = str(c.year)
    inside = re.search(rf"(?<!\d){year}(?!\d)", text[c.start : c.end])
    if inside:
        return c.start + inside.start(), c.start + inside.end()
    after = re.match(r"[^;.()]{0,160}", text[c.end :]).group(0)
    written = [m for m in re.finditer(rf"(?<!\d){year}(?!\d)", after)]
    if written:
        return c.end + written[-1].start(), c.end + written[-1].end()
    return None


def _keyword(text: str, lst: CitedList, plural: bool) -> str:
    """ "Resolution" or "Resolutions", in the case the list is written in ("Res." stays)."""
    first = lst.groups[0]
    word = text[first.keyword_start : first.keyword_end]
    if word.endswith("."):
        return word
    singular = re.sub(r"[sS]$", "", word)
    if not plural:
        return singular
    return singular + ("S" if singular.isupper() else "s")


def _numbers(parts: list[str]) -> str:
    """ "101", "101 and 178", "101, 140 and 178"."""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _written(text, lst: CitedList, new_groups, new_targets) -> str:
    """The whole list written anew, a group per edition, joined as ITU joins them."""
    spans = {c.start: span for g in lst.groups for c, span in zip(g.citations, g.numbers, strict=True)}
    first = lst.groups[0]
    # What stands between the keyword and the first number: a space, a no-break space, " ITU-R ".
    head = text[first.keyword_end : first.numbers[0][0]]
    same_as_written = {(_key_of(g), tuple(c.start for c in g.citations)): g for g in lst.groups}
    pieces = []
    for key, members in new_groups:
        kept = same_as_written.get((key, tuple(members)))
        if kept is not None:
            pieces.append(text[kept.keyword_start : kept.end])  # a list that stays as it was, word for word
            continue
        numbers = _numbers([text[spans[m][0] : spans[m][1]] for m in members])
        piece = _keyword(text, lst, len(members) > 1) + head + numbers
        if key is not None:
            piece += " " + _edition_text(text, lst, key, new_targets.get(key))
        pieces.append(piece)
    if len(pieces) == 1:
        return pieces[0]
    return ", ".join(pieces[:-1]) + " and " + pieces[-1]


# --- UN General Assembly documents replaced by their successors ----------------------------------

_UN_SYMBOL = re.compile(r"A/(?:RES/)?\d{2}/(?:L\.)?\d+|\d{2}/\d{1,3}")


def latest_successor(document: str, successors: Mapping[str, str]) -> str | None:
    """What replaces a UN document now: its successor's successor, and so on (None if not replaced)."""
    seen = {document}
    current = successors.get(document)
    while current is not None and current in successors and successors[current] not in seen:
        seen.add(current)
        current = successors[current]
    return current


def _symbol_as_written(written: str, successor: str) -> str:
    """The successor in the form the replaced symbol was written: "70/125" -> "80/12", "A/70/125" -> "A/80/12"."""
    if "L." in successor or "L." in written:
        return successor
    digits = successor.removeprefix("A/RES/")
    if written.startswith("A/RES/"):
        return successor
    if written.startswith("A/"):
        return f"A/{digits}"
    return digits


def replace_un_documents(
    text: str,
    successors: Mapping[str, str],
    context: Context | None = None,
    venues: Venues | None = None,
) -> tuple[str, list[tuple[str, str]]]:
    """The text with each cited UN document that ``successors`` says is replaced citing its latest successor,
    written the way the old one was; only the symbol changes ("UNGA Resolution ~~70/125~~ 80/12, on ...").

    Returns the text and the (replaced, successor) pairs, in the order written.
    """
    norm = normalise(text)
    changes = []
    for c in parse_citations(text, context, venues):
        if c.kind != UN_RESOLUTION:
            continue
        successor = latest_successor(c.number, successors)
        if successor is None:
            continue
        # The symbol is in the citation's text; the first one there that names this document is it.
        for m in _UN_SYMBOL.finditer(norm, c.start, c.end):
            if un_document(m.group(0)) == c.number:
                changes.append(
                    (m.start(), m.end(), _symbol_as_written(m.group(0), successor), c.number, successor)
                )
                break
    for start, end, written, _, _ in reversed(changes):
        text = text[:start] + written + text[end:]
    return text, [(old, new) for _, _, _, old, new in changes]
