"""Word files written and read back by the engine alone (no database): tracked changes, plain marks, proposals."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import UTC, datetime

from docx import Document
from lxml import etree

from drafting.engine.amend import ADD, AFTER, MODIFY, SUPPRESS, Amendment, apply_amendments
from drafting.engine.derive import derive_amendments
from drafting.engine.docx_text import docx_to_text
from drafting.engine.docx_write import ContributionDoc, ProposalDoc, contribution_docx, edition_docx
from drafting.engine.parse import parse_resolution
from drafting.engine.proposal_docx import read_contribution

W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}

BASE = """RESOLUTION 1 (Rev. Geneva, 2022)
A title
(Geneva, 2022)
The Assembly (Geneva, 2022),
considering
a)\tthe first consideration about the information society[footnoteRef:1]1; [1: 1\tAs defined by the Summit.]
b)\tthe second consideration about digital divide and development;
c)\tthe third consideration about standards and interoperability,
resolves
1\tto continue the work on the implementation of the outcomes;
2\tto report to the next assembly on the progress made.
"""


def keyed(text):
    tree = parse_resolution(text)
    for clause, _ in tree.walk():
        clause.key = str(uuid.uuid4())
    return tree


def key_of(tree, start):
    return next(c.key for c, _ in tree.walk() if c.text.startswith(start))


def contribution(proposals, *, tracked=True, **fields) -> bytes:
    """A contribution document holding ``proposals``, as ATU would send it on 1 September 2024."""
    doc = ContributionDoc(
        **{
            "conference": "World Telecommunication Standardization Assembly (WTSA-24)\nNew Delhi, 2024",
            "document": "Addendum 1 to Document 9-E",
            "date": "1 September 2024",
            "language": "Original: English",
            "source": "African Telecommunications Union (ATU)",
            "author": "ATU",
            "title": "Proposed modifications to Resolution 1",
            "when": datetime(2024, 9, 1, 12, 0, tzinfo=UTC),
            **fields,
        },
        proposals=proposals,
    )
    return contribution_docx(doc, tracked=tracked)


def document(base, amendments, *, tracked=True):
    draft = apply_amendments(base, amendments)
    assert draft.problems == []
    proposal = ProposalDoc(
        label="MOD ATU/9A1/1",
        reasons="To bring it up to date.",
        draft=draft,
        revision=("Geneva, 2022", "New Delhi, 2024"),
    )
    return contribution([proposal], tracked=tracked, abstract="A short abstract.")


def part(data, name):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def amendments_for(base):
    return [
        Amendment(
            MODIFY, key_of(base, "the second"), text="the second consideration about the digital divide;"
        ),
        Amendment(ADD, key_of(base, "the second"), AFTER, key="new", text="a new consideration on AI;"),
        Amendment(SUPPRESS, key_of(base, "to report")),
    ]


def test_every_mark_is_a_tracked_change_with_the_group_as_author_and_the_date():
    base = keyed(BASE)
    body = part(document(base, amendments_for(base)), "word/document.xml")
    changes = body.findall(".//w:ins", W) + body.findall(".//w:del", W)
    assert changes
    for change in changes:
        assert change.get(f"{{{W['w']}}}author") == "ATU"
        assert change.get(f"{{{W['w']}}}date") == "2024-09-01T12:00:00Z"
    deleted = "".join(t.text for t in body.iterfind(".//w:del//w:delText", W))
    inserted = "".join(t.text for t in body.iterfind(".//w:ins//w:t", W))
    assert "to report to the next assembly" in deleted
    assert "a new consideration on AI" in inserted
    assert "New Delhi, 2024" in inserted and "Geneva, 2022" in deleted
    # Whole added and suppressed items mark their paragraph marks, so Accept/Reject take the paragraph.
    assert body.findall(".//w:pPr/w:rPr/w:ins", W) and body.findall(".//w:pPr/w:rPr/w:del", W)
    # No w:t inside a deletion: Word would show deleted text as live.
    assert not body.findall(".//w:del//w:t", W)
    assert (
        part(document(base, amendments_for(base)), "word/settings.xml").find("w:trackRevisions", W)
        is not None
    )


def test_footnotes_are_real_word_footnotes():
    base = keyed(BASE)
    data = document(base, amendments_for(base))
    notes = part(data, "word/footnotes.xml")
    texts = [
        "".join(n.itertext())
        for n in notes.iterfind("w:footnote", W)
        if n.get(f"{{{W['w']}}}id") not in ("-1", "0")
    ]
    assert any("As defined by the Summit." in t for t in texts)
    assert part(data, "word/document.xml").findall(".//w:footnoteReference", W)


def test_plain_marks_are_underline_and_strikethrough_with_no_tracked_change():
    base = keyed(BASE)
    body = part(document(base, amendments_for(base), tracked=False), "word/document.xml")
    assert not body.findall(".//w:ins", W) and not body.findall(".//w:del", W)
    struck = "".join(
        t.text
        for r in body.iterfind(".//w:r", W)
        if r.find("w:rPr/w:strike", W) is not None
        for t in r.iterfind("w:t", W)
    )
    underlined = "".join(
        t.text
        for r in body.iterfind(".//w:r", W)
        if r.find("w:rPr/w:u", W) is not None
        for t in r.iterfind("w:t", W)
    )
    assert "to report to the next assembly" in struck
    assert "a new consideration on AI" in underlined


def test_the_header_block_and_reasons_are_there():
    base = keyed(BASE)
    data = document(base, amendments_for(base))
    header = " ".join(cell.text for cell in Document(io.BytesIO(data)).tables[0]._cells)
    text = header + docx_to_text(data)
    for line in (
        "Addendum 1 to Document 9-E",
        "Original: English",
        "African Telecommunications Union (ATU)",
        "PROPOSED MODIFICATIONS TO RESOLUTION 1",
        "MOD ATU/9A1/1",
        "Reasons:\tTo bring it up to date.",
    ):
        assert line in text


def test_reading_the_document_back_gives_the_same_amendments_with_either_kind_of_marks():
    for tracked in (True, False):
        base = keyed(BASE)
        amendments = amendments_for(base)
        data = document(base, amendments, tracked=tracked)
        read = read_contribution(data)
        [proposal] = read.proposals
        assert (proposal.action, proposal.label, proposal.reasons) == (
            "MOD",
            "ATU/9A1/1",
            "To bring it up to date.",
        )
        derived = derive_amendments(base, parse_resolution(proposal.text), added=read.added)
        assert sorted(a.action for a in derived) == ["add", "modify", "suppress"]
        expected = [(c.text, c.suppressed) for c, _ in apply_amendments(base, amendments).walk()]
        assert [(c.text, c.suppressed) for c, _ in apply_amendments(base, derived).walk()] == expected


def test_a_clause_reworded_from_end_to_end_is_modified_not_suppressed_and_added():
    base = keyed(BASE)
    target = key_of(base, "the second")
    amendments = [Amendment(MODIFY, target, text="wholly different words on another matter entirely;")]
    data = document(base, amendments)
    read = read_contribution(data)
    [proposal] = read.proposals
    derived = derive_amendments(base, parse_resolution(proposal.text), added=read.added)
    assert [(a.action, a.target) for a in derived] == [(MODIFY, target)]
    # Without what the marks tell, the words alone cannot say it is the same clause.
    assert sorted(a.action for a in derive_amendments(base, parse_resolution(proposal.text))) == [
        "add",
        "suppress",
    ]


def test_a_clean_edition_has_no_marks_and_all_its_text():
    base = keyed(BASE)
    data = edition_docx(base, "1")
    body = part(data, "word/document.xml")
    assert not body.findall(".//w:ins", W) and not body.findall(".//w:del", W)
    text = docx_to_text(data)
    assert "RESOLUTION 1 (Rev. Geneva, 2022)" in text
    assert "2\tto report to the next assembly on the progress made." in text


def test_footnotes_are_numbered_from_one_in_each_proposal_of_a_document():
    base = keyed(BASE)
    draft = apply_amendments(base, amendments_for(base))
    data = contribution([ProposalDoc(label=f"MOD ATU/9A1/{n}", reasons="Why.", draft=draft) for n in (1, 2)])
    read = read_contribution(data)
    first, second = read.proposals
    # Word numbers the second proposal's footnote 2; read back, it is the resolution's footnote 1 again.
    assert "[footnoteRef:2]" in docx_to_text(data)
    assert second.text == first.text
    derived = derive_amendments(base, parse_resolution(second.text), added=read.added)
    assert sorted(a.action for a in derived) == ["add", "modify", "suppress"]


def test_an_annex_goes_out_with_its_heading_and_title_and_its_changes_come_back(seed_text):
    base = keyed(seed_text("council-res1332.txt"))
    [annex] = [c for c in base.clauses if c.kind == "annex"]
    first, second, last = annex.children[0], annex.children[1], annex.children[-1]
    amendments = [
        Amendment(MODIFY, first.key, text=first.text.replace("regular meetings", "regular open meetings")),
        Amendment(SUPPRESS, second.key),
        Amendment(ADD, last.key, AFTER, key="new", text="to report to Council every year."),
    ]
    data = document(base, amendments)
    text = docx_to_text(data)
    assert "\nANNEX\n" in text and "\nCouncil CWG-WSIS&SDG Terms of Reference\n" in text
    read = read_contribution(data)
    [proposal] = read.proposals
    derived = derive_amendments(base, parse_resolution(proposal.text), added=read.added)
    expected = [(c.label, c.text, c.suppressed) for c, _ in apply_amendments(base, amendments).walk()]
    assert [(c.label, c.text, c.suppressed) for c, _ in apply_amendments(base, derived).walk()] == expected


def test_a_new_resolution_is_one_insertion_and_a_suppressed_one_is_named():
    new = parse_resolution(
        BASE.replace("RESOLUTION 1 (Rev. Geneva, 2022)", "RESOLUTION [ATU-1] (New Delhi, 2024)")
        + "ANNEX\nTerms of reference\na)\tto meet once a year.\n"
    )
    assert new.clauses[-1].kind == "annex"
    data = contribution(
        [
            ProposalDoc(label="ADD ATU/9A2/1", reasons="A new subject.", text=new),
            ProposalDoc(
                label="SUP ATU/9A2/2", reasons="Done.", resolution="WTSA Resolution 9 (Rev. Geneva, 2022)"
            ),
        ]
    )
    body = part(data, "word/document.xml")
    start = next(p for p in body.iter(f"{{{W['w']}}}p") if "ADD ATU/9A2/1" in "".join(p.itertext()))
    paragraphs = []
    for p in start.itersiblings():
        if "Reasons:" in "".join(p.itertext()):
            break
        if "".join(p.itertext()).strip():
            paragraphs.append(p)
    # Every paragraph of the new resolution, its words and its paragraph mark, is inserted:
    # the annex's heading and its title too.
    assert len(paragraphs) > 8
    assert ["ANNEX", "Terms of reference"] == ["".join(p.itertext()) for p in paragraphs[-3:-1]]
    for p in paragraphs:
        assert p.find("w:pPr/w:rPr/w:ins", W) is not None
        assert all(
            r.getparent().tag == f"{{{W['w']}}}ins" for r in p.iterfind(".//w:r", W) if "".join(r.itertext())
        )
    assert [(p.action, p.label) for p in read_contribution(data).proposals] == [
        ("ADD", "ATU/9A2/1"),
        ("SUP", "ATU/9A2/2"),
    ]
    assert "WTSA Resolution 9 (Rev. Geneva, 2022)" in docx_to_text(data)
