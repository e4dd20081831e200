"""Word's Accept All gives the proposal's text and Reject All the base text, character for character.

The accepting and rejecting are our own (tests/word_revisions.py, lxml over word/document.xml), and a
sample is confirmed with LibreOffice's own Accept All / Reject All in a headless macro
(tests/libreoffice_resolve.py). Every demo export kind is checked, and random resolutions with random
amendment sets (first, middle and last items added and suppressed, nested items, footnotes, no-break
spaces and double spaces).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting.engine.amend import (
    ADD,
    AFTER,
    BEFORE,
    FIRST_CHILD,
    MODIFY,
    SUPPRESS,
    Amendment,
    apply_amendments,
)
from drafting.engine.consolidate import consolidate
from drafting.engine.diff import diff_words
from drafting.engine.docx_write import (
    CompilationDoc,
    CompilationRow,
    ConsolidatedDoc,
    ContributionDoc,
    ProposalDoc,
    compilation_docx,
    consolidated_docx,
    contribution_docx,
    item_marks,
)
from drafting.engine.parse import parse_resolution
from drafting.engine.tree import ITEM, PART, Footnote
from tests import word_revisions as wr
from tests.budget import examples
from tests.strategies import resolutions

pytestmark = pytest.mark.django_db

WHEN = datetime(2024, 9, 1, 12, 0, tzinfo=UTC)
NOTE = "Text not yet settled stands in [square brackets]."


# --- the demo's exports ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_checks(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        return wr.demo_checks()


def test_every_demo_export_gives_the_proposal_on_accept_all_and_the_base_on_reject_all(demo_checks):
    kinds = {check.name.split(" ")[0] for check in demo_checks}
    assert kinds == {"contribution", "compilation", "consolidated"}
    assert len(demo_checks) == 10  # ATU, CITEL, RCC contributions, compilation, draft; tracked and plain
    for check in demo_checks:
        for mode in (wr.ACCEPT, wr.REJECT):
            assert check.lines(mode) == check.wanted[mode], f"{check.name}, {mode}"


def test_the_base_texts_no_break_spaces_come_back_on_reject_all(demo_checks):
    atu = next(c for c in demo_checks if c.name.startswith("contribution ATU") and c.tracked)
    rejected = atu.lines(wr.REJECT)
    assert rejected[0] == "RESOLUTION 75 (Rev.\u00a0Hammamet, 2016)"
    assert any("Resolution\u00a071 (Rev.\u00a0Busan,2014)" in line for line in rejected)
    assert atu.lines(wr.ACCEPT)[0] == "RESOLUTION 75 (Rev.\u00a0New Delhi, 2024)"


@pytest.mark.one_database  # LibreOffice resolves the same files from either database
def test_libreoffice_accept_all_and_reject_all_agree_on_the_demo_exports(demo_checks, tmp_path):
    from tests.libreoffice_resolve import resolve_with_libreoffice
    from tests.test_libreoffice import require

    require("soffice", "libreoffice-writer-nogui")
    tracked = [c for c in demo_checks if c.tracked] + [_footnoted_sample(custom_marks=False)]
    resolved = resolve_with_libreoffice({c.name: c.data for c in tracked}, tmp_path)
    for check in tracked:
        accepted, rejected = resolved[check.name]
        for mode, data in ((wr.ACCEPT, accepted), (wr.REJECT, rejected)):
            assert not wr.has_revisions(data), f"LibreOffice left revisions in {check.name}"
            assert check.lines(mode, data, resolved=True) == check.wanted[mode], f"{check.name}, {mode}"


def _footnoted_sample(*, custom_marks: bool = True) -> wr.Check:
    """A contribution on a text with footnotes everywhere (and custom marks), no-break and double spaces:
    its first item added, its last suppressed, one reworded with its spacing retyped.

    LibreOffice 7.4 reads a custom mark (w:customMarkFollows) as the footnote's label and keeps its text
    as well, doubling it ("1bis1bis") whatever is accepted or rejected: its sample has none.
    """
    from tests.test_footnotes_everywhere import RES1

    text = RES1 if custom_marks else RES1.replace("1bis", "3").replace("2bis", "5")
    base = parse_resolution(text.replace("that the rules", "that\u00a0the  rules"))
    for clause, _ in base.walk():
        clause.key = str(uuid.uuid4())
    considering, resolves = base.parts
    draft = apply_amendments(
        base,
        [
            Amendment(ADD, considering.key, FIRST_CHILD, key="new", text="a first new consideration;"),
            Amendment(MODIFY, considering.children[0].key, text="that the rules apply twice a year[^5];"),
            Amendment(ADD, resolves.children[0].key, AFTER, key="new2", text="to publish them."),
            Amendment(SUPPRESS, resolves.children[0].key),
        ],
    )
    assert draft.problems == []
    data = _contribution(draft, tracked=True)
    accepted, rejected = wr.draft_expectations(draft, _revision(draft.base))
    return wr.Check(
        "contribution on a text with footnotes everywhere",
        data,
        True,
        lambda document: wr.proposal_lines(document.lines(), "MOD ATU/9A1/1"),
        {wr.ACCEPT: accepted, wr.REJECT: rejected},
    )


def test_a_text_with_footnotes_everywhere_gives_back_both_texts():
    check = _footnoted_sample()
    for mode in (wr.ACCEPT, wr.REJECT):
        assert check.lines(mode) == check.wanted[mode], mode
    assert any("1bis: The Assembly met once a year." in line for line in check.wanted[wr.REJECT])
    assert any("that\u00a0the  rules" in line for line in check.wanted[wr.REJECT])


# --- random resolutions and amendment sets ------------------------------------------------------------

_SPACING = st.sampled_from(["\u00a0", "  ", " "])


@st.composite
def spaced(draw, text: str) -> str:
    """The text with some of its spaces made no-break spaces or double spaces, as real texts have them."""
    words = text.split(" ")
    return "".join(w + (draw(_SPACING) if i < len(words) - 1 else "") for i, w in enumerate(words))


@st.composite
def edited(draw, text: str) -> str:
    """A delegate's rewording: words replaced, added or cut, spacing retyped."""
    words = text.split(" ")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(words) - 1))
        change = draw(st.sampled_from(["replace", "add", "cut", "spacing"]))
        if change == "replace":
            words[at] = draw(st.sampled_from(["digital", "Bucharest,", "2022", "ITU\u2011T", "the"]))
        elif change == "add":
            words.insert(at, draw(st.sampled_from(["also", "in particular", "and", "WSIS+20"])))
        elif change == "cut" and len(words) > 2:
            del words[at]
    text = " ".join(words)
    return draw(spaced(text)) if draw(st.booleans()) else text


@st.composite
def drafts(draw):
    """A random base (with no-break and double spaces) and a random set of amendments applied to it."""
    base = draw(resolutions())
    for clause, _ in base.walk():
        clause.key = str(uuid.uuid4())
        if clause.kind != PART and clause.text and draw(st.booleans()):
            # Footnote calls are words of their own here: keep them whole.
            clause.text = draw(spaced(clause.text))
    if base.history and draw(st.booleans()):
        base.history = base.history.replace(" ", "\u00a0", 1)
    # Footnotes where real texts have them too: on the title, the history line, a part heading, and
    # custom marks ("1bis").
    number = max([f.number for c, _ in base.walk() for f in c.footnotes] or [0])
    for attribute in ("title", "history"):
        if getattr(base, attribute) and draw(st.booleans()):
            number += 1
            setattr(base, attribute, getattr(base, attribute) + f"[^{number}]")
            base.footnotes.append(
                Footnote(number, f"A note on the {attribute}.", draw(st.sampled_from(["", "1bis"])))
            )
    part = base.parts[0]
    if draw(st.booleans()):
        number += 1
        part.heading += f"[^{number}]"
        part.footnotes.append(Footnote(number, "A note on the part.", draw(st.sampled_from(["", "2bis"]))))
    _number_in_reading_order(base)
    clauses = [c for c, _ in base.walk()]
    items = [c for c in clauses if c.kind == ITEM]
    amendments = []
    # Suppressed and added items where lists are most fragile: the first, a middle and the last.
    picks = [items[0], items[len(items) // 2], items[-1]] if items else []
    picks += draw(st.lists(st.sampled_from(clauses), max_size=4))
    for n, clause in enumerate(picks):
        action = draw(st.sampled_from(["modify", "suppress", "add", "add", "none"]))
        if clause.kind == PART:
            if action == "modify":
                amendments.append(Amendment(MODIFY, clause.key, heading=f"{clause.heading} also"))
            continue
        if action == "modify" and clause.kind == ITEM:
            amendments.append(Amendment(MODIFY, clause.key, text=draw(edited(clause.text))))
        elif action == "suppress":
            amendments.append(Amendment(SUPPRESS, clause.key))
        elif action == "add" and clause.kind == ITEM:
            position = draw(st.sampled_from([BEFORE, AFTER, FIRST_CHILD]))
            text = draw(
                st.sampled_from(["a new item on  AI;", "the Summit\u00a0of the Future;", "WSIS+20 review,"])
            )
            amendments.append(Amendment(ADD, clause.key, position, key=f"new-{n}-{uuid.uuid4()}", text=text))
    draft = apply_amendments(base, amendments)
    return draft


def _number_in_reading_order(base) -> None:
    """Footnotes numbered 1, 2, ... in the order a reader meets them, as real texts have them."""
    import re

    order: dict[int, int] = {}
    holders = [(base, a) for a in ("title", "history", "enacting_formula")]
    holders += [(c, "heading" if c.kind == PART else "text") for c, _ in base.walk()]
    for holder, attribute in holders:
        for n in re.findall(r"\[\^(\d+)\]", getattr(holder, attribute)):
            order.setdefault(int(n), len(order) + 1)
    for holder, attribute in holders:
        setattr(
            holder,
            attribute,
            re.sub(r"\[\^(\d+)\]", lambda m: f"[^{order[int(m.group(1))]}]", getattr(holder, attribute)),
        )
    for holder in [base] + [c for c, _ in base.walk()]:
        for note in holder.footnotes:
            note.number = order.get(note.number, note.number)


def _contribution(draft, tracked: bool) -> bytes:
    doc = ContributionDoc(
        conference="World Telecommunication Standardization Assembly (WTSA-24)\nNew Delhi, 2024",
        document="Addendum 1 to Document 9-E",
        date="1 September 2024",
        language="Original: English",
        source="African Telecommunications Union (ATU)",
        author="ATU",
        title="Proposed modifications",
        when=WHEN,
        proposals=[
            ProposalDoc(
                label="MOD ATU/9A1/1", reasons="Up to date.", draft=draft, revision=_revision(draft.base)
            )
        ],
    )
    return contribution_docx(doc, tracked=tracked)


def _revision(base) -> tuple[str, str] | None:
    old = base.revision.removeprefix("Rev. ")
    return (old, "New Delhi, 2024") if old else None


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draft=drafts(), tracked=st.booleans())
def test_a_contribution_gives_back_both_texts_for_any_amendment_set(draft, tracked):
    accepted, rejected = wr.draft_expectations(draft, _revision(draft.base))
    data = _contribution(draft, tracked)
    for mode, wanted in ((wr.ACCEPT, accepted), (wr.REJECT, rejected)):
        got = wr.proposal_lines(wr.Resolved(data, mode, plain=not tracked).lines(), "MOD ATU/9A1/1")
        assert got == wanted, mode


@settings(max_examples=examples(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draft=drafts(), tracked=st.booleans())
def test_a_consolidated_draft_gives_back_both_texts_for_any_amendment_set(draft, tracked):
    # Open text in brackets, as the consolidation writes it, on a few clauses.
    for clause, _ in draft.walk():
        if (
            clause.kind == ITEM
            and not clause.added
            and not clause.suppressed
            and clause.text != clause.base.text
        ):
            clause.text = f"[{clause.text} | {clause.base.text}]"
    doc = ConsolidatedDoc(
        conference="Conference\nNew Delhi, 2024",
        date="1 October 2024",
        title="Draft revision",
        note=NOTE,
        draft=draft,
        revision=_revision(draft.base),
        when=WHEN,
    )
    data = consolidated_docx(doc, tracked=tracked)
    accepted, rejected = wr.draft_expectations(draft, doc.revision)
    for mode, wanted in ((wr.ACCEPT, accepted), (wr.REJECT, rejected)):
        got = wr.lines_after(wr.Resolved(data, mode, plain=not tracked).lines(), NOTE)
        assert got == wanted, mode


@settings(max_examples=examples(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=drafts(), tracked=st.booleans())
def test_the_compilations_group_columns_give_back_both_texts_for_any_amendment_set(first, tracked):
    rows = consolidate(first.base, {"ATU": first})
    doc = CompilationDoc(title="Compilation", lines=[], groups=["ATU"], rows=[])
    wanted = {wr.ACCEPT: [], wr.REJECT: []}
    for row in rows:
        version = row.versions.get("ATU")
        changed = version is not None and version.changed
        doc.rows.append(
            CompilationRow(
                label=row.label,
                kind=row.kind,
                depth=row.depth,
                base=None if row.base is None else (row.base.heading if row.kind == PART else row.base.text),
                versions={"ATU": item_marks(version.clause) if changed else None},
                status=row.status,
            )
        )
        for mode in wanted:
            wanted[mode].append(wr.version_cell(version.clause, base=mode == wr.REJECT) if changed else "–")
    data = compilation_docx(doc, tracked=tracked)
    for mode in wanted:
        head, *cells = wr.Resolved(data, mode, plain=not tracked).table_rows(-1)
        assert [row[2] for row in cells] == wanted[mode], mode


# --- what the writer must never do ----------------------------------------------------------------------


def test_exact_marks_keep_the_bases_spacing_in_unchanged_text_and_show_spacing_changes():
    old, new = (
        "Resolution\u00a071 (Rev.\u00a0Busan, 2014) and  more",
        "Resolution 71 (Rev. Bucharest, 2022) and more",
    )
    segments = diff_words(old, new, exact=True)
    assert "".join(t for op, t in segments if op != "insert") == old
    assert "".join(t for op, t in segments if op != "delete") == new
    assert ("delete", "\u00a0") in segments and ("insert", " ") in segments
    # Pages keep showing the proposal's spacing with no mark for it.
    assert ("delete", "\u00a0") not in diff_words(old, new)


def test_the_tab_after_the_label_of_an_added_or_suppressed_item_is_part_of_its_change():
    draft = _simple_draft()
    data = _contribution(draft, tracked=True)
    rejected = wr.proposal_lines(wr.Resolved(data, wr.REJECT).lines(), "MOD ATU/9A1/1")
    accepted = wr.proposal_lines(wr.Resolved(data, wr.ACCEPT).lines(), "MOD ATU/9A1/1")
    assert not any(line.startswith("\t") for line in rejected + accepted)
    assert "resolves" in rejected and "resolves" in accepted


def _simple_draft():
    from tests.test_word_engine import BASE, key_of, keyed

    base = keyed(BASE)
    return apply_amendments(
        base,
        [
            Amendment(ADD, key_of(base, "the third"), AFTER, key="new", text="a new last consideration,"),
            Amendment(SUPPRESS, key_of(base, "the first")),
        ],
    )


def test_a_first_edition_heading_line_gets_rev_and_keeps_the_rest():
    draft = _simple_draft()
    draft = replace(draft, base=replace(draft.base, revision="Geneva, 2022"))
    data = _contribution(draft, tracked=True)
    assert (
        wr.proposal_lines(wr.Resolved(data, wr.REJECT).lines(), "MOD ATU/9A1/1")[0]
        == "RESOLUTION 1 (Geneva, 2022)"
    )
    assert (
        wr.proposal_lines(wr.Resolved(data, wr.ACCEPT).lines(), "MOD ATU/9A1/1")[0]
        == "RESOLUTION 1 (Rev. New Delhi, 2024)"
    )


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draft=drafts(), tracked=st.booleans())
def test_the_tools_own_reader_gives_the_proposed_text_back_exactly(draft, tracked):
    from drafting.engine.proposal_docx import read_contribution

    (proposal,) = read_contribution(_contribution(draft, tracked)).proposals
    accepted, _ = wr.draft_expectations(draft, _revision(draft.base))
    proposed = draft.proposed_text()
    proposed.footnotes = list(draft.base.footnotes)
    heading, revised = wr.revised_front(proposed, _revision(draft.base))
    read = parse_resolution(proposal.text)
    # Footnotes are compared by their text (Word numbers them through the document).
    assert wr.resolution_lines(read) == accepted
    # The nesting of an unlabelled paragraph is what the plain layout cannot say (the parser puts it
    # under the top-level item): compared are the parts and their items' labels, in order.
    assert [(c.kind, c.label, c.role) for c, _ in read.walk()] == [
        (c.kind, c.label, c.role) for c, _ in revised.walk()
    ]


def test_an_added_resolution_is_all_there_on_accept_all_and_gone_on_reject_all():
    from tests.test_footnotes_everywhere import RES1

    text = parse_resolution(RES1)
    doc = ContributionDoc(
        conference="WTSA-24\nNew Delhi, 2024",
        document="Addendum 1 to Document 9-E",
        date="1 September 2024",
        language="Original: English",
        source="ATU",
        author="ATU",
        title="Proposals",
        when=WHEN,
        proposals=[ProposalDoc(label="ADD ATU/9A1/2", reasons="New.", text=text)],
    )
    for tracked in (True, False):
        data = contribution_docx(doc, tracked=tracked)
        accepted = wr.proposal_lines(wr.Resolved(data, wr.ACCEPT, plain=not tracked).lines(), "ADD ATU/9A1/2")
        rejected = wr.proposal_lines(wr.Resolved(data, wr.REJECT, plain=not tracked).lines(), "ADD ATU/9A1/2")
        assert accepted == wr.resolution_lines(text)
        assert rejected == []
