"""Word files as Word writes them, read exactly: automatic numbering, moves, custom footnote marks,
fields, content controls, hyperlinks, smart tags and bookmarks; as a base text and as a proposal."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from drafting.engine.amend import ADD, AFTER, SUPPRESS, apply_amendments
from drafting.engine.derive import derive_amendments
from drafting.engine.docx_text import docx_to_text
from drafting.engine.docx_write import ContributionDoc, ProposalDoc, contribution_docx
from drafting.engine.parse import parse_resolution
from drafting.engine.proposal_docx import read_contribution
from tests.word_files import DATE, footnote, footnote_ref, level, numbered, numbering, p, r, word_file

FRONT = [
    p(r("RESOLUTION 1 (Rev. Hammamet, 2016)")),
    p(r("Rules of procedure of the ITU Telecommunication Standardization Sector")),
    p(r("(Helsinki, 1993; Hammamet, 2016)")),
    p(r("The World Telecommunication Standardization Assembly (Hammamet, 2016),")),
]

# Letters "a)" with roman "i)" under them; numbers; dashes; a Symbol-font bullet; "1.1" sections.
NUMBERING = numbering(
    {
        1: [level(0, "lowerLetter", "%1)"), level(1, "lowerRoman", "%2)")],
        2: [level(0, "decimal", "%1"), level(1, "bullet", "–", suffix="tab")],
        3: [level(0, "bullet", "\uf0b7")],
        4: [level(0, "decimal", "%1", start=1), level(1, "decimal", "%1.%2")],
    },
    {1: (1, {}), 2: (2, {}), 3: (3, {}), 4: (1, {0: 1}), 5: (4, {})},
)


def lines(data: bytes) -> list[str]:
    return docx_to_text(data).splitlines()


def test_automatic_numbering_gives_the_labels_a_reader_sees():
    body = FRONT + [
        p(r("considering")),
        p(r("the first consideration;"), props=numbered(1)),
        p(r("the second consideration:"), props=numbered(1)),
        p(r("a nested point;"), props=numbered(1, 1)),
        p(r("another nested point;"), props=numbered(1, 1)),
        p(r("the third consideration,"), props=numbered(1)),
        p(r("recognizing")),
        # Word's "Restart at 1": a new instance of the same list with a start override.
        p(r("a recognition;"), props=numbered(4)),
        p(r("a second recognition,"), props=numbered(4)),
        p(r("resolves")),
        p(r("to continue:"), props=numbered(2)),
        p(r("a dashed point;"), props=numbered(2, 1)),
        p(r("to report;"), props=numbered(2)),
        p(r("a bulleted point,"), props=numbered(3)),
        p(r("instructs the Director")),
        p(r("to act;"), props=numbered(5)),
        p(r("in detail;"), props=numbered(5, 1)),
        p(r("in more detail."), props=numbered(5, 1)),
    ]
    got = lines(word_file(body, numbering_xml=NUMBERING))
    assert got[5:] == [
        "a)\tthe first consideration;",
        "b)\tthe second consideration:",
        "i)\ta nested point;",
        "ii)\tanother nested point;",
        "c)\tthe third consideration,",
        "recognizing",
        "a)\ta recognition;",
        "b)\ta second recognition,",
        "resolves",
        "1\tto continue:",
        "–\ta dashed point;",
        "2\tto report;",
        "•\ta bulleted point,",
        "instructs the Director",
        "1\tto act;",
        "1.1\tin detail;",
        "1.2\tin more detail.",
    ]
    tree = parse_resolution("\n".join(got))
    considering = tree.parts[0]
    assert [c.label for c in considering.children] == ["a)", "b)", "c)"]
    assert [c.label for c in considering.children[1].children] == ["i)", "ii)"]
    assert [c.label for c in tree.parts[1].children] == ["a)", "b)"]


def test_a_numbering_style_numbers_its_paragraphs_too():
    # ITU's templates number items through paragraph styles, one based on another.
    styles = (
        '<w:style w:type="paragraph" w:styleId="ItuEnum"><w:name w:val="ITU enum"/>'
        f"<w:pPr>{numbered(1)}</w:pPr></w:style>"
        '<w:style w:type="paragraph" w:styleId="ItuEnumItem"><w:name w:val="ITU enum item"/>'
        '<w:basedOn w:val="ItuEnum"/></w:style>'
    )
    style = '<w:pStyle w:val="ItuEnumItem"/>'
    data = word_file(
        FRONT + [p(r("considering")), p(r("a point;"), props=style), p(r("another,"), props=style)],
        numbering_xml=NUMBERING,
        styles=styles,
    )
    assert lines(data)[-2:] == ["a)\ta point;", "b)\tanother,"]


def test_fields_hyperlinks_smart_tags_content_controls_and_bookmarks_are_read_through():
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> REF _Ref123 \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r("Resolution 140")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    simple = f'<w:fldSimple w:instr=" DOCPROPERTY Place ">{r("Busan")}</w:fldSimple>'
    link = f'<w:hyperlink r:id="rId9" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{r("WSIS")}</w:hyperlink>'
    smart = f'<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">{r("Tunis")}</w:smartTag>'
    control = (
        f"<w:sdt><w:sdtPr><w:alias w:val='Year'/></w:sdtPr><w:sdtContent>{r('2014')}</w:sdtContent></w:sdt>"
    )
    bookmark = '<w:bookmarkStart w:id="0" w:name="_Ref123"/>'
    block = f"<w:sdt><w:sdtPr/><w:sdtContent>{p(r('b)' + chr(9) + 'a paragraph in a content control.'))}</w:sdtContent></w:sdt>"
    body = FRONT + [
        p(r("considering")),
        p(
            bookmark,
            r("a)\tin accordance with "),
            field,
            r(" (Rev. "),
            simple,
            r(", "),
            control,
            r(") on "),
            link,
            r(" and "),
            smart,
            r(";"),
            '<w:bookmarkEnd w:id="0"/>',
        ),
        block,
    ]
    assert lines(word_file(body))[5:] == [
        "a)\tin accordance with Resolution 140 (Rev. Busan, 2014) on WSIS and Tunis;",
        "b)\ta paragraph in a content control.",
    ]


def test_a_custom_footnote_mark_is_written_once_as_the_mark_of_its_reference():
    body = FRONT + [
        p(r("resolves")),
        p(r("1\tthe assembly meets once a year"), footnote_ref(5, custom="1bis"), r("."), footnote_ref(6)),
    ]
    data = word_file(
        body, footnotes=[footnote(5, "A custom note.", custom="1bis"), footnote(6, "A plain note.")]
    )
    line = lines(data)[-1]
    assert line == (
        "1\tthe assembly meets once a year[footnoteRef:1]1bis.[footnoteRef:2]2"
        " [1: 1bis\tA custom note.] [2: 2\tA plain note.]"
    )
    assert "1bis1bis" not in line


def test_a_paragraph_whose_mark_is_deleted_joins_the_next_as_word_accepts_it():
    body = FRONT + [
        p(r("considering")),
        p(r("a)\tthe first"), props=f"<w:rPr><w:del w:id='1' {DATE}/></w:rPr>"),
        p(r(" consideration;")),
        p(
            f"<w:del w:id='2' {DATE}><w:r><w:delText>b)</w:delText></w:r><w:r><w:tab/></w:r>"
            f"<w:r><w:delText>a suppressed one;</w:delText></w:r></w:del>",
            props=f"<w:rPr><w:del w:id='3' {DATE}/></w:rPr>",
        ),
        p(r("b)\tthe last,")),
    ]
    assert lines(word_file(body))[5:] == ["a)\tthe first consideration;", "b)\tthe last,"]


BASE = """RESOLUTION 1 (Rev. Geneva, 2022)
A title
(Geneva, 2022)
The Assembly (Geneva, 2022),
considering
a)\tthe first consideration about the information society;
b)\tthe second consideration about digital divide and development;
c)\tthe third consideration about standards and interoperability,
resolves
1\tto continue the work on the implementation of the outcomes.
"""


def _keyed(text: str):
    tree = parse_resolution(text)
    for clause, _ in tree.walk():
        clause.key = str(uuid.uuid4())
    return tree


def _unchanged_contribution(base) -> bytes:
    doc = ContributionDoc(
        conference="WTSA-24\nNew Delhi, 2024",
        document="Addendum 1 to Document 9-E",
        date="1 September 2024",
        language="Original: English",
        source="ATU",
        author="ATU",
        title="Proposals",
        when=datetime(2024, 9, 1, tzinfo=UTC),
        proposals=[ProposalDoc(label="MOD ATU/9A1/1", reasons="Moved.", draft=apply_amendments(base, []))],
    )
    return contribution_docx(doc, tracked=False)


def _move_paragraph(data: bytes, start: str, after: str) -> bytes:
    """The paragraph starting ``start`` dragged after the one starting ``after``, recorded as Word does."""
    import io
    import zipfile

    from lxml import etree

    from tests.word_files import W

    source = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(source.read("word/document.xml"))
    ns = {"w": W}

    def text(paragraph):
        return "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t"))

    paragraphs = root.findall(".//w:body/w:p", ns)
    moved = next(x for x in paragraphs if text(x).startswith(start))
    target = next(x for x in paragraphs if text(x).startswith(after))
    copy = etree.fromstring(etree.tostring(moved))

    def wrap(paragraph, kind: str, name: str, first_id: int):
        runs = [c for c in paragraph if c.tag != f"{{{W}}}pPr"]
        wrapper = etree.SubElement(paragraph, f"{{{W}}}{kind}")
        wrapper.set(f"{{{W}}}id", str(first_id + 1))
        wrapper.set(f"{{{W}}}author", "ATU")
        wrapper.set(f"{{{W}}}date", "2024-09-01T12:00:00Z")
        start_marker = etree.Element(f"{{{W}}}{kind}RangeStart")
        start_marker.set(f"{{{W}}}id", str(first_id))
        start_marker.set(f"{{{W}}}name", name)
        end_marker = etree.Element(f"{{{W}}}{kind}RangeEnd")
        end_marker.set(f"{{{W}}}id", str(first_id))
        for run in runs:
            wrapper.append(run)
        wrapper.addprevious(start_marker)
        wrapper.addnext(end_marker)
        props = paragraph.find("w:pPr", ns)
        if props is None:
            props = etree.Element(f"{{{W}}}pPr")
            paragraph.insert(0, props)
        run_props = props.find("w:rPr", ns)
        if run_props is None:
            run_props = etree.SubElement(props, f"{{{W}}}rPr")
        mark = etree.SubElement(run_props, f"{{{W}}}{kind}")
        mark.set(f"{{{W}}}id", str(first_id + 2))
        mark.set(f"{{{W}}}author", "ATU")
        mark.set(f"{{{W}}}date", "2024-09-01T12:00:00Z")

    wrap(moved, "moveFrom", "move1", 900)
    wrap(copy, "moveTo", "move1", 910)
    target.addnext(copy)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name in source.namelist():
            package.writestr(name, etree.tostring(root) if name == "word/document.xml" else source.read(name))
    return out.getvalue()


def test_a_moved_paragraph_is_suppressed_where_it_was_and_added_where_it_went():
    base = _keyed(BASE)
    data = _move_paragraph(_unchanged_contribution(base), "b)", "c)")
    document = read_contribution(data)
    (proposal,) = document.proposals
    assert "b)\tthe second" not in proposal.text.split("c)")[0]
    parsed = parse_resolution(proposal.text)
    amendments = derive_amendments(base, parsed, added=document.added)
    actions = sorted((a.action, a.text[:30] if a.text else "") for a in amendments)
    assert (SUPPRESS, "") in actions
    assert (ADD, "the second consideration about") in actions
    added = next(a for a in amendments if a.action == ADD)
    assert added.position == AFTER
    draft = apply_amendments(base, amendments)
    texts = [c.text for c in draft.proposed_text().parts[0].children]
    assert texts[-1].startswith("the second consideration about digital divide")
    assert texts[0].startswith("the first") and texts[1].startswith("the third")


@pytest.mark.django_db
def test_a_base_text_from_word_with_automatic_numbering_imports_through_the_library(tmp_path):
    from django.contrib.auth.models import User

    from drafting.models import Body
    from drafting.services.library import import_text, read_upload

    Body.objects.get_or_create(
        code="WTSA", defaults={"name": "World Telecommunication Standardization Assembly"}
    )
    body = FRONT + [
        p(r("considering")),
        p(r("the first consideration;"), props=numbered(1)),
        p(r("the second consideration,"), props=numbered(1)),
        p(r("resolves")),
        p(r("to continue"), footnote_ref(3), r("."), props=numbered(2)),
    ]
    data = word_file(body, numbering_xml=NUMBERING, footnotes=[footnote(3, "A note.")])
    text = read_upload("res1.docx", data)
    summary = import_text(
        text, body_code="WTSA", number="1", source_name="res1.docx", user=User.objects.create(username="s")
    )
    from drafting.reading import edition_tree

    tree = edition_tree(summary.edition)
    assert [c.label for c in tree.parts[0].children] == ["a)", "b)"]
    (item,) = tree.parts[1].children
    assert (item.label, item.text) == ("1", "to continue[^1].")
    assert [(f.number, f.text) for f in item.footnotes] == [(1, "A note.")]


# ITU's own kind of file: footnotes on the title and on the history line (the second with the custom
# mark "1bis"), items numbered by Word, a field in the text, a content control around a paragraph.
ITU_BODY = [
    p(r("RESOLUTION 1 (Rev. Hammamet, 2016)")),
    p(r("Rules of procedure of the ITU Telecommunication Standardization Sector"), footnote_ref(11)),
    p(r("(Helsinki, 1993; Hammamet, 2016)"), footnote_ref(12), footnote_ref(13, custom="1bis")),
    p(r("The World Telecommunication Standardization Assembly (Hammamet, 2016),")),
    p(r("considering")),
    p(r("that the Assembly meets once a year"), footnote_ref(14, custom="2bis"), r(";"), props=numbered(1)),
    p(
        r("that "),
        '<w:fldSimple w:instr=" REF _Ref1 ">' + r("Resolution 2") + "</w:fldSimple>",
        r(" applies,"),
        props=numbered(1),
    ),
    "<w:sdt><w:sdtContent>" + p(r("resolves")) + "</w:sdtContent></w:sdt>",
    p(r("to adopt the rules;"), props=numbered(2)),
    p(r("to review them."), props=numbered(2)),
]
ITU_NOTES = [
    footnote(11, "As amended."),
    footnote(12, "See also Resolution 2."),
    footnote(13, "The Assembly met in 2016.", custom="1bis"),
    footnote(14, "At least.", custom="2bis"),
]
ITU_TEXT = """RESOLUTION 1 (Rev. Hammamet, 2016)
Rules of procedure of the ITU Telecommunication Standardization Sector[footnoteRef:1]1 [1: 1\tAs amended.]
(Helsinki, 1993; Hammamet, 2016)[footnoteRef:2]2[footnoteRef:3]1bis [2: 2\tSee also Resolution 2.] [3: 1bis\tThe Assembly met in 2016.]
The World Telecommunication Standardization Assembly (Hammamet, 2016),
considering
a)\tthat the Assembly meets once a year[footnoteRef:4]2bis; [4: 2bis\tAt least.]
b)\tthat Resolution 2 applies,
resolves
1\tto adopt the rules;
2\tto review them.
"""


def test_an_itu_word_file_reads_as_its_plain_text_form_exactly():
    data = word_file(ITU_BODY, numbering_xml=NUMBERING, footnotes=ITU_NOTES)
    assert docx_to_text(data) == ITU_TEXT
    tree = parse_resolution(docx_to_text(data))
    assert tree.history == "(Helsinki, 1993; Hammamet, 2016)[^2][^3]"
    assert [(f.number, f.mark) for f in tree.footnotes] == [(1, ""), (2, ""), (3, "1bis")]


@pytest.mark.django_db
def test_an_itu_word_file_imports_into_the_library_with_everything_kept():
    from drafting.models import Body
    from drafting.reading import edition_tree
    from drafting.services.library import import_text, read_upload

    Body.objects.get_or_create(
        code="WTSA", defaults={"name": "World Telecommunication Standardization Assembly"}
    )
    data = word_file(ITU_BODY, numbering_xml=NUMBERING, footnotes=ITU_NOTES)
    edition = import_text(read_upload("res1.docx", data), body_code="WTSA").edition
    assert edition_tree(edition).shape() == parse_resolution(ITU_TEXT).shape()


def test_the_same_file_as_a_proposal_gives_the_same_text():
    proposal = [p(r("MOD ATU/9A1/1")), *ITU_BODY, p(r("Reasons:\tTo bring it up to date."))]
    data = word_file(proposal, numbering_xml=NUMBERING, footnotes=ITU_NOTES)
    (read,) = read_contribution(data).proposals
    assert (read.action, read.label, read.reasons) == ("MOD", "ATU/9A1/1", "To bring it up to date.")
    assert parse_resolution(read.text).shape() == parse_resolution(ITU_TEXT).shape()
