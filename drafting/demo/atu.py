"""The text of WTSA Resolution 75 that ATU proposes for New Delhi, 2024, read off the ATU seed.

ATU's proposal was written against Rev. Geneva, 2022, which the library does
not hold; the seed lost its marks, so the Geneva words and ATU's stand glued
together: "consideringrecalling", "(Rev. Dubai, 2018Buchrest, 2022)", labels
"ef)" and "i)ii)", "2020-20232024-2027", "entities,;". ATU's side of each glued
pair is the second; the labels are numbered again in order.
"""

from __future__ import annotations

import re
from pathlib import Path

from drafting.demo.glued import number_lines

SEED = Path(__file__).resolve().parent / "seeds" / "atu-proposal-wtsa-res75.txt"

_PLACE = r"[A-Z][A-Za-z'\-]+(?:[ \-][A-Za-z][A-Za-z'\-]+)*"
_GLUED_YEARS = re.compile(rf"({_PLACE}, ?\d{{4}})({_PLACE}, ?\d{{4}})")
_GLUED_PERIOD = re.compile(r"\b(\d{4}-\d{4})(\d{4}-\d{4})\b")  # "2020-20232024-2027"
_GLUED_SESSION = re.compile(r"\b(\d{4}) (\d{4}) session\b")  # "its 2019 2024 session"
# "i)ii)" is i) become ii); "ef)" is e) become f); "ii)" alone is a roman two, not a glued pair.
_GLUED_LABEL = re.compile(r"^(?:([ivx]+\))([ivx]+\))|(?!ii\)|iv\)|vi\)|ix\)|xi\))([a-z])([a-z])\))")


def proposed_text() -> str:
    """ATU's proposed Res. 75 (Rev. New Delhi, 2024), as the seed shows it."""
    raw = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(raw) if line.startswith("RESOLUTION 75"))
    lines = []
    for line in raw[start:]:
        line = re.sub(r"\[bookmark:[^\]]*\]", "", line).strip()
        if not line:
            continue
        line = line.replace("consideringrecalling", "recalling")
        line = _GLUED_LABEL.sub(lambda m: m.group(2) or m.group(4) + ")", line)
        line = _GLUED_YEARS.sub(lambda m: m.group(2), line)
        line = _GLUED_PERIOD.sub(lambda m: m.group(2), line)
        line = _GLUED_SESSION.sub(lambda m: m.group(2) + " session", line)
        line = line.replace("WTDC-2217", "WTDC-17").replace(",;", ";")
        lines.append(line)
    return "\n".join(number_lines(lines)) + "\n"
