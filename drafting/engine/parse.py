"""Reading a resolution from plain text into a clause tree.

The text is what ITU documents become when converted to text: one paragraph a
line, labels separated from their text by a tab (or spaces), part headings on
their own line, footnotes written ``[footnoteRef:1]1`` in the text and
``[1: 1 <tab>text]`` after it, and conversion noise such as ``[bookmark: x]``.
Front matter (a foreword, a contribution's abstract and introduction, ``MOD
ATU/35A18/1`` lines) is skipped; the resolution starts at its ``RESOLUTION n
(...)`` line or, for texts without one, at the title above the enacting
formula ("The Council,").

Nesting is recovered from the labels alone: a label that continues an open
list (``b)`` after ``a)``) stays in that list, a first label (``a)``, ``i)``,
``1``, ``–``) opens a list inside the item above it, and an unlabelled
paragraph after labelled items continues the part's current top-level item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import labels as lb
from . import limits
from .said import gettext_noop
from .text import forbidden_character, normalise_line_breaks, xml_safe
from .tree import ANNEX, ITEM, OPERATIVE, PART, PREAMBLE, Clause, Footnote, ResolutionText


class ParseError(ValueError):
    """The text holds no resolution this importer can recognise."""


PREAMBLE_WORDS = [
    "considering",
    "recognizing",
    "recognising",
    "noting",
    "recalling",
    "bearing in mind",
    "keeping in mind",
    "taking into account",
    "taking into consideration",
    "emphasizing",
    "emphasising",
    "being aware",
    "aware",
    "convinced",
    "concerned",
    "acknowledging",
    "welcoming",
    "observing",
    "mindful",
    "having regard",
    "in view of",
    "highlighting",
    "affirming",
    "reaffirming",
    "stressing",
    "realizing",
    "expressing",
    "guided by",
    "referring",
    "having considered",
]
OPERATIVE_WORDS = [
    "resolves",
    "resolve",
    "decides",
    "decide",
    "instructs",
    "invites",
    "requests",
    "calls upon",
    "urges",
    "encourages",
    "appeals",
    "endorses",
    "approves",
    "adopts",
    "charges",
    "recommends",
    "asks",
    "entrusts",
]
_OPERATIVE_SET = set(OPERATIVE_WORDS)


def _words(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_QUALIFIER = r"(?:further|also|moreover|furthermore)"
# "considering", "considering further", "noting with satisfaction", "considering," and,
# in proposals whose marks were lost, two headings glued together ("consideringrecalling").
_PREAMBLE_HEADING = re.compile(
    rf"^(?:{_QUALIFIER}\s+)?(?P<word>{_words(PREAMBLE_WORDS)})(?:{_words(PREAMBLE_WORDS)})?"
    rf"(?:\s+{_QUALIFIER}){{0,2}}(?:\s+with\s+\w+(?:\s+\w+)?)?\s*,?$"
)
# Operative headings may name their addressee: "instructs the Director of ...".
_OPERATIVE_HEADING = re.compile(
    rf"^(?:{_QUALIFIER}\s+|and\s+)?(?P<word>{_words(OPERATIVE_WORDS)})(?:{_words(OPERATIVE_WORDS)})?"
    rf"(?:(?:\s+{_QUALIFIER}){{0,2}}\s*,?$|\s+(?!that\b)(?P<addressee>[^;:.]*[^;:.,\s]),?$)"
)
_MAX_HEADING = 200

_RESOLUTION_LINE = re.compile(
    r"^(?:DRAFT\s+|NEW\s+)?RESOLUTION\s+(?P<number>[^()]+?)(?:\s*\((?P<revision>.+)\))?\s*$"
)
_HISTORY_LINE = re.compile(r"^\([^()]*\d{4}[^()]*\)$")
_FORMULA_LINE = re.compile(r"^The\s+.+[,:]$")


def is_front_line(line: str) -> bool:
    """Whether a line is one of a resolution's own lines above its parts: number, history, enacting formula."""
    return any(r.match(line) for r in (_RESOLUTION_LINE, _HISTORY_LINE, _FORMULA_LINE))


# "ANNEX", "ANNEX 2", "ANNEX A (to Resolution 2)", "ANNEX (to Resolution 35 (Rev. Hammamet, 2016))", and
# in lower case only with what it is an annex to ("Annex 1 to Resolution 1"): "Annex 1 sets out ..." is prose.
_ANNEX_LINE = re.compile(
    r"^(?:ANNEX|APPENDIX|ATTACHMENT)(?:\s+[A-Z0-9].*|\s*\(.*\))?$"
    r"|^(?:Annex|Appendix|Attachment)(?:\s+[A-Z0-9]{1,4})?\s*(?:\((?:to|TO)\s[^()]*(?:\([^()]*\))?[^()]*\)|to\s+(?:Resolution|Decision|Recommendation|Annex|Appendix)\b[^.;:]*)$"
)
# A proposal ends with its reasons, a document with a rule or a contact block.
_END_LINE = re.compile(r"^(?:Reasons\s*:|Contact\s*:|_{5,}$)")

# Letters, possibly glued in pairs by lost marks ("bd)", "i)ii)"), or with a Latin suffix: "a bis)", "b)bis", "bbis)".
_SUFFIX = lb.SUFFIX_PATTERN
_ALPHA_LABEL = re.compile(
    rf"^(?P<label>\(?[a-z]{{1,5}}(?:\s?{_SUFFIX})?\){_SUFFIX}?(?=\s|$)|(?:\(?[a-z]{{1,5}}\)){{1,2}})(?:\s+|$)"
)
# Numbers, hierarchical numbers and their bis forms: "3", "1.2.1", "1bis", "5.4bis", "1bis.2.1", "3ter".
_NUMBER_LABEL = re.compile(rf"^(?P<label>\d{{1,3}}{_SUFFIX}?(?:\.\d{{1,3}}{_SUFFIX}?)*\)?)(?:\t|\s+)")
# A resolution built of numbered sections: "SECTION 1 – Duties of the Assembly", "SECTION 1bis".
# "Section 2 covers ..." in running text is not a heading: the lower-case form needs its dash.
_SECTION_NUMBER = rf"\d{{1,3}}{_SUFFIX}?"
_SECTION_LINE = re.compile(
    rf"^(?:SECTION\s+{_SECTION_NUMBER}(?:\s*[–—:-]\s*\S.*|\s+[A-Z].*)?|Section\s+{_SECTION_NUMBER}\s*[–—:-]\s*\S.*)$"
)
_DASH_LABEL = re.compile(rf"^(?P<label>[{lb.DASHES}{lb.BULLETS}])(?:\s+|$)")

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(\d+)\](?:\1(?!\d))?")
_FOOTNOTE_CALL = re.compile(r"\[footnoteRef:(\d+)\]")
_FOOTNOTE_DEF_START = re.compile(r"\[(\d+):")
_BRACKET = re.compile(r"[\[\]]")
_CUSTOM_MARK_TAB = re.compile(r"^(?P<mark>\S+?)[ \u00a0]*\t")
_CUSTOM_MARK_SPACE = re.compile(rf"^(?P<mark>\d+{lb.SUFFIX_PATTERN}|[*†‡§]+)\s+")
FOOTNOTE_MARK = re.compile(r"\[\^(\d+)\]")


def heading_role(line: str) -> str | None:
    """``preamble`` or ``operative`` if the line is a part heading, else None."""
    if len(line) > _MAX_HEADING:
        return None
    if _SECTION_LINE.match(line):
        return OPERATIVE
    if _PREAMBLE_HEADING.match(line):
        return PREAMBLE
    m = _OPERATIVE_HEADING.match(line)
    if m and m.group("word") in _OPERATIVE_SET:
        return OPERATIVE
    return None


def split_label(line: str) -> tuple[str, str]:
    """Split a line into its label and its text; the label is "" if there is none."""
    for pattern in (_DASH_LABEL, _ALPHA_LABEL, _NUMBER_LABEL):
        m = pattern.match(line)
        if m:
            return m.group("label"), line[m.end() :].strip()
    return "", line


def _take_footnote_definitions(line: str, found: dict[int, str], marks: dict[int, str] | None = None) -> str:
    """Remove ``[n: n <tab>text]`` definitions from the line, collecting them.

    A definition that starts with another mark than its number (``[2: 1bis<tab>text]``) is a custom
    mark, collected in ``marks``: the reader sees "1bis" at the call, not "2". One pass over the line,
    however many definitions it holds.
    """
    if "[" not in line:
        return line
    out: list[str] = []
    at = 0
    while True:
        m = _FOOTNOTE_DEF_START.search(line, at)
        if not m:
            break
        end = _closing_bracket(line, m.start())
        if end is None:
            break
        number = m.group(1)
        body = line[m.end() : end].strip()
        # "1bis<tab>text" or "1bis text": a mark other than the number before the text.
        custom = _CUSTOM_MARK_TAB.match(body) or _CUSTOM_MARK_SPACE.match(body)
        if marks is not None and custom and custom.group("mark") != number:
            marks[int(number)] = custom.group("mark")
            body = body[custom.end() :]
        # The definition repeats its number before the text: "[1: 1 <tab>These include ...]".
        if body.startswith(number) and not body[len(number) : len(number) + 1].isdigit():
            body = body[len(number) :]
        found[int(number)] = body.strip()
        out.append(line[at : m.start()])
        at = end + 1
    if not out:
        return line
    out.append(line[at:])
    return "".join(out).rstrip()


def _closing_bracket(line: str, start: int) -> int | None:
    """The index of the ``]`` closing the ``[`` at ``start`` (brackets nest), or None."""
    depth = 0
    for m in _BRACKET.finditer(line, start):
        depth += 1 if m.group() == "[" else -1
        if depth == 0:
            return m.start()
    return None


def _calls(text: str, footnotes: dict[int, str], marks: dict[int, str]) -> tuple[str, list[Footnote]]:
    """The text with its footnote calls as ``[^n]`` (a custom mark after a call taken with it), and the notes."""
    notes = []
    out, at = [], 0
    for m in _FOOTNOTE_CALL.finditer(text):
        if m.start() < at:
            continue
        number = int(m.group(1))
        mark = marks.get(number, "")
        out.append(text[at : m.start()])
        at = m.end()
        # The mark the reader sees follows the call: "1bis" for a custom mark, else the number.
        shown = mark or str(number)
        if text.startswith(shown, at) and not (
            not mark and text[at + len(shown) : at + len(shown) + 1].isdigit()
        ):
            at += len(shown)
        notes.append(Footnote(number=number, text=footnotes.get(number, ""), mark=mark))
        out.append(f"[^{number}]")
    out.append(text[at:])
    return "".join(out), notes


def _bare(line: str, marks: dict[int, str]) -> str:
    """The line without its footnote calls, to recognise what kind of line it is: each call is taken
    with the mark after it (a custom one, "1bis", or its number)."""
    if "[footnoteRef:" not in line:
        return line.strip()
    out: list[str] = []
    at = 0
    for m in _FOOTNOTE_CALL.finditer(line):
        if m.start() < at:
            continue
        out.append(line[at : m.start()])
        at = m.end()
        number = m.group(1)
        mark = marks.get(int(number))
        if mark and line.startswith(mark, at):
            at += len(mark)
        elif line.startswith(number, at) and not line[at + len(number) : at + len(number) + 1].isdigit():
            at += len(number)
    out.append(line[at:])
    return "".join(out).strip()


def without_footnotes(line: str) -> str:
    """A line of text without its footnote definitions and calls (custom marks included), as compared."""
    found: dict[int, str] = {}
    marks: dict[int, str] = {}
    return FOOTNOTE_MARK.sub("", _bare(_take_footnote_definitions(line, found, marks), marks))


@dataclass
class _Level:
    """An open list: its kind, the clause whose children it is, and its last item."""

    kind: str
    parent: Clause
    last: Clause


class _Body:
    """Places body lines into parts, annexes and nested lists."""

    def __init__(
        self, footnotes: dict[int, str], result: ResolutionText, marks: dict[int, str] | None = None
    ):
        self.footnotes = footnotes
        self.marks = marks or {}
        self.result = result
        self.container: Clause | None = None
        self.stack: list[_Level] = []
        self.annex_needs_title = False

    def heading(self, line: str, role: str) -> None:
        heading, notes = self._text_with_footnotes(line)
        if heading.endswith(",") and role == PREAMBLE:
            heading = heading.rstrip(",").strip()
        # A footnote on a part heading ("considering[^3]") is the part's own.
        self.container = Clause(kind=PART, heading=heading, role=role, footnotes=notes)
        self.result.clauses.append(self.container)
        self.stack = []
        self.annex_needs_title = False

    def annex(self, line: str) -> None:
        self.container = Clause(kind=ANNEX, heading=line)
        self.result.clauses.append(self.container)
        self.stack = []
        self.annex_needs_title = True

    def _item(self, label: str, text: str) -> Clause:
        item = Clause(kind=ITEM, label=label)
        item.text, item.footnotes = self._text_with_footnotes(text)
        return item

    def _text_with_footnotes(self, text: str) -> tuple[str, list[Footnote]]:
        return _calls(text, self.footnotes, self.marks)

    def paragraph(self, line: str) -> None:
        if self.container is None:
            self.result.unplaced.append(line)
            return
        if self.annex_needs_title:
            self.container.text, self.container.footnotes = self._text_with_footnotes(line)
            self.annex_needs_title = False
            return
        item = self._item("", line)
        if not self.stack:
            self.container.children.append(item)
        else:
            # An unlabelled paragraph after a list continues the current top-level item.
            del self.stack[1:]
            self.stack[0].last.children.append(item)

    def labelled(self, label: str, text: str, next_label: str | None) -> None:
        if self.container is None:
            self.result.unplaced.append(f"{label}\t{text}")
            return
        self.annex_needs_title = False
        item = self._item(label, text)
        kinds = lb.kinds_of(label)

        if lb.prefix_of(label):
            # A hierarchical number goes inside the provision its number is under: 1.2.1 inside 1.2.
            parent = lb.parent_number(label)
            for depth in range(len(self.stack) - 1, -1, -1):
                level = self.stack[depth]
                if lb.citation_form(level.last.label) == parent and lb.opens_under(level.last.label, label):
                    del self.stack[depth + 1 :]
                    level.last.children.append(item)
                    self.stack.append(_Level(lb.NUMBER, level.last, item))
                    return

        for depth in range(len(self.stack) - 1, -1, -1):
            level = self.stack[depth]
            if level.kind in kinds and lb.follows(level.last.label, label, level.kind):
                # "i)" after "h)" is ambiguous; "ii)" next means a roman list is starting.
                starts_roman = (
                    level.kind == lb.ALPHA
                    and lb.is_first(label, lb.ROMAN)
                    and next_label is not None
                    and lb.follows(label, next_label, lb.ROMAN)
                    and not lb.follows(label, next_label, lb.ALPHA)
                )
                if starts_roman:
                    break
                del self.stack[depth + 1 :]
                level.parent.children.append(item)
                level.last = item
                return

        if not self.stack:
            self.container.children.append(item)
            self.stack.append(_Level(self._kind_for(kinds, label, set()), self.container, item))
            return

        open_kinds = {level.kind for level in self.stack}
        first_kinds = [k for k in kinds if lb.is_first(label, k) and k not in open_kinds]
        if not first_kinds:
            # A label out of sequence (proposals whose marks were lost hold "bd)" or a
            # repeated "vii)"): keep it in the innermost list of its kind, if any.
            for depth in range(len(self.stack) - 1, -1, -1):
                level = self.stack[depth]
                if level.kind in kinds:
                    del self.stack[depth + 1 :]
                    level.parent.children.append(item)
                    level.last = item
                    return
        parent = self.stack[-1].last
        parent.children.append(item)
        self.stack.append(_Level(self._kind_for(kinds, label, open_kinds), parent, item))

    @staticmethod
    def _kind_for(kinds: set[str], label: str, open_kinds: set[str]) -> str:
        candidates = [k for k in kinds if k not in open_kinds] or list(kinds)
        for kind in (lb.ROMAN, lb.ALPHA, lb.NUMBER, lb.DASH, lb.BULLET):
            if kind in candidates and lb.is_first(label, kind):
                return kind
        for kind in (lb.ALPHA, lb.ROMAN, lb.NUMBER, lb.DASH, lb.BULLET):
            if kind in candidates:
                return kind
        return lb.NONE


def clean_lines(text: str) -> list[str]:
    """Lines with conversion noise removed and outer white space stripped."""
    # Word's vertical tab (Shift+Enter) and form feed (page break) are line breaks too.
    text = normalise_line_breaks(text).lstrip("\ufeff")
    return [_BOOKMARK.sub("", line).strip() for line in text.split("\n")]


MAX_LINES = limits.MAX_LINES


def _check_characters(lines: list[str]) -> None:
    """Refuse a text with a character no field can store, naming its line."""
    for line in lines:
        problem = forbidden_character(line)
        if problem is not None:
            raise ParseError(
                gettext_noop(
                    "The line “%(xml_safe)s” contains %(value)s. Remove it and import again.",
                    xml_safe=xml_safe(line[:50]),
                    value=problem[1],
                )
            )


def parse_resolution(text: str) -> ResolutionText:
    """Read one resolution from plain text; raise ParseError if there is none."""
    if "\x00" in text:
        raise ParseError(gettext_noop("This is not a text file: it contains binary data."))
    if len(text) > limits.MAX_DOCUMENT_CHARS:
        raise ParseError(
            gettext_noop(
                "The text is %(len)s characters long; a resolution is far shorter (at most %(MAX_DOCUMENT_CHARS)s are read). Is this one resolution?",
                len=format(len(text), ","),
                MAX_DOCUMENT_CHARS=format(limits.MAX_DOCUMENT_CHARS, ","),
            )
        )
    raw_lines = [line for line in clean_lines(text) if line]
    if not raw_lines:
        raise ParseError(gettext_noop("The file is empty: there is no text to import."))
    _check_characters(raw_lines)
    if len(raw_lines) > MAX_LINES:
        # Matching and deriving grow faster than the length: an unbounded text is unbounded work.
        raise ParseError(
            gettext_noop(
                "The text has %(len)s lines; a resolution has a few hundred (at most %(MAX_LINES)s are read). Is this one resolution?",
                len=format(len(raw_lines), ","),
                MAX_LINES=format(MAX_LINES, ","),
            )
        )

    footnotes: dict[int, str] = {}
    marks: dict[int, str] = {}
    lines = [_take_footnote_definitions(line, footnotes, marks) for line in raw_lines]
    if len(footnotes) > limits.MAX_FOOTNOTES:
        raise ParseError(
            gettext_noop(
                "The text has %(len)s footnotes; a resolution has a handful (at most %(MAX_FOOTNOTES)s are read). Is this one resolution?",
                len=format(len(footnotes), ","),
                MAX_FOOTNOTES=format(limits.MAX_FOOTNOTES, ","),
            )
        )
    lines = [line for line in lines if line]
    # Lines are recognised without their footnote calls: "(Hammamet, 2016)[footnoteRef:1]1" is the history.
    bare = [_bare(line, marks) for line in lines]

    result = ResolutionText()
    first_heading = next((i for i, line in enumerate(bare) if heading_role(line)), None)
    start = next((i for i, line in enumerate(bare) if _RESOLUTION_LINE.match(line)), None)
    if first_heading is None:
        raise ParseError(
            gettext_noop(
                "No resolution was recognised: no part heading such as 'considering' or 'resolves' was found."
            )
        )
    if start is not None and start > first_heading:
        start = None

    if start is not None:
        m = _RESOLUTION_LINE.match(bare[start])
        result.number = re.sub(r"\s+", " ", m.group("number"))
        result.revision = (m.group("revision") or "").strip()
        front = lines[start + 1 : first_heading]
        result.skipped = lines[:start]
    else:
        # No "RESOLUTION n" line (Council texts): the title is the line above the
        # history line or the enacting formula.
        end = first_heading
        if end > 0 and _FORMULA_LINE.match(bare[end - 1]):
            end -= 1
        if end > 0 and _HISTORY_LINE.match(bare[end - 1]):
            end -= 1
        begin = max(end - 1, 0)
        front = lines[begin:first_heading]
        result.skipped = lines[:begin]

    if front and _FORMULA_LINE.match(_bare(front[-1], marks)):
        result.enacting_formula = front.pop()
    if front and _HISTORY_LINE.match(_bare(front[-1], marks)):
        result.history = front.pop()
    result.title = " ".join(front)
    for attribute in ("title", "history", "enacting_formula"):
        value, notes = _calls(getattr(result, attribute), footnotes, marks)
        setattr(result, attribute, value)
        result.footnotes.extend(notes)

    body = _Body(footnotes, result, marks)
    body_lines = lines[first_heading:]
    labelled = [split_label(line)[0] for line in body_lines]
    next_labels: list[str | None] = [None] * len(body_lines)
    upcoming: str | None = None
    for i in range(len(body_lines) - 1, -1, -1):
        next_labels[i] = upcoming
        upcoming = labelled[i] or upcoming
    for i, line in enumerate(body_lines):
        if _END_LINE.match(line):
            result.skipped.extend(body_lines[i:])
            break
        role = heading_role(_bare(line, marks))
        if role:
            body.heading(line, role)
            continue
        if _ANNEX_LINE.match(line):
            body.annex(line)
            continue
        label = labelled[i]
        if label:
            body.labelled(label, split_label(line)[1], next_labels[i])
        else:
            body.paragraph(line)
    _check_lengths(result)
    return result


def _excerpt(text: str) -> str:
    return xml_safe(" ".join(text[:60].split()))


def _check_lengths(result: ResolutionText) -> None:
    """Refuse a title, a clause or a footnote longer than the tool keeps, naming it and the limit."""
    # Each name is a whole phrase as it starts its sentence ("A footnote", "The title"), said in the
    # reader's language by the layer above: no English article chosen here for another language.
    for what, value in (
        (gettext_noop("The title"), result.title),
        (gettext_noop("The history line"), result.history),
    ):
        if len(value) > limits.MAX_TITLE_CHARS:
            raise ParseError(
                gettext_noop(
                    "%(what)s (“%(_excerpt)s…”) is %(len)s characters long; at most %(MAX_TITLE_CHARS)s are kept. Is the text split into lines as it should be?",
                    what=what,
                    _excerpt=_excerpt(value),
                    len=format(len(value), ","),
                    MAX_TITLE_CHARS=format(limits.MAX_TITLE_CHARS, ","),
                )
            )
    footnote, heading, clause = (
        gettext_noop("A footnote"),
        gettext_noop("A heading"),
        gettext_noop("A clause"),
    )
    texts = [(gettext_noop("The enacting formula"), result.enacting_formula)]
    texts += [(footnote, note.text) for note in result.footnotes]
    stack = list(result.clauses)
    while stack:
        node = stack.pop()
        texts += [(heading, node.heading), (clause, node.text)]
        texts += [(footnote, note.text) for note in node.footnotes]
        stack.extend(node.children)
    for what, value in texts:
        if len(value) > limits.MAX_CLAUSE_CHARS:
            raise ParseError(
                gettext_noop(
                    "%(what)s (“%(_excerpt)s…”) is %(len)s characters long; at most %(MAX_CLAUSE_CHARS)s are kept in one. Split it, or check that the file is the right one.",
                    what=what,
                    _excerpt=_excerpt(value),
                    len=format(len(value), ","),
                    MAX_CLAUSE_CHARS=format(limits.MAX_CLAUSE_CHARS, ","),
                )
            )
