"""How much text the tool reads and keeps: one table of bounds, so that every input has a cost budget.

A hostile file or request can be small and still ask for unbounded work through the numbers and
lengths it carries: a list that starts at two billion in roman numerals, a clause of four
megabytes, ten thousand footnote calls in one paragraph. Each such number, length and count is
bounded where it is read (the Word reader, the text parser, the checks of what is saved), by the
figures below, and a value past its bound is refused with a message naming the bound and where it
was found. The README ("Uploaded files" and "What text the tool keeps") gives these figures with
what the worst file inside them costs (``scripts/measure_docx_bomb.py``).

The figures leave ample room for real ITU texts: the longest clause of the seeds is 1,314
characters, a resolution a few hundred lines and at most a few footnotes per paragraph; Word's own
lists start at most at 32,767 and nest nine levels deep.
"""

from __future__ import annotations

# --- text read from a file (a .docx or a .txt) ------------------------------------------------

# Lines (paragraphs) of one resolution's text; the parser reads no more (the longest resolutions have a
# few hundred; each line read is a clause saved, matched and drawn).
MAX_LINES = 1500
# Paragraphs of one Word file: a contribution document holds several resolutions.
MAX_PARAGRAPHS = 20_000
# Characters of everything read from one file: a contribution document with many proposals holds
# a few hundred thousand.
MAX_DOCUMENT_CHARS = 2_000_000
# Footnote calls in one paragraph, and footnotes in all (each is a record saved with its clause; a
# resolution has a handful).
MAX_NOTES_PER_PARAGRAPH = 100
MAX_FOOTNOTES = 500

# Word's automatic numbering (word/numbering.xml): the values Word itself writes.
MAX_LIST_START = 32_767  # w:start, w:startOverride
MAX_LIST_LEVEL = 8  # w:ilvl, 0 to 8
MAX_LEVEL_TEXT = 64  # w:lvlText as written ("%1.%2)"), and the label it gives ("1.2)")
# A label as a reader sees it ("a)", "1.2.3", "xviii)"): the clause's label column holds 20.
MAX_LABEL_CHARS = 20

# --- text people type, and text kept from a file -------------------------------------------------

# One clause: its text, a heading, a footnote, a decision's text. The longest real one is about
# 1,300 characters.
MAX_CLAUSE_CHARS = 20_000
# A title (of a resolution, an edition, a contribution, a proposal).
MAX_TITLE_CHARS = 1_000
# What people write about the text: reasons, notes, comments, an abstract, an introduction.
MAX_NOTE_CHARS = 20_000
# A whole resolution typed as one text (a new resolution, ADD).
MAX_RESOLUTION_CHARS = 300_000
# A settled text: the secretariat's own words, or the groups' alternatives of one clause side by side
# in brackets (six groups' versions of the longest clause).
MAX_SETTLED_CHARS = 6 * MAX_CLAUSE_CHARS
