"""WTDC Resolution 30: the base edition (Rev. Dubai, 2014) and RCC's proposed text, read off the RCC seed.

The seed lost its revision marks: deleted and inserted text stand glued
together ("(Rev. Guadalajara, 2010Busan, 2014)", label "ae)"). Each rule
below says which side of a glued pair belongs to the base and which to the
proposal. Where the seed does not show what was deleted, the base keeps the
proposed words: the reconstruction is faithful to what can be read, no more.
"""

from __future__ import annotations

import re
from pathlib import Path

from drafting.demo.glued import relabel

SEED = Path(__file__).resolve().parent / "seeds" / "rcc-proposal-wtdc-res30.txt"

# Glued place-and-year pairs: "Guadalajara, 2010Busan, 2014", "Dubai, 2014BUENOS AIRES, 2017", "Geneva, 20122015".
_PLACE_YEAR = r"[A-Z][A-Za-z'\-]+(?: [A-Za-z][A-Za-z'\-]+)*,\s*\d{4}"
_GLUED_YEARS = re.compile(rf"({_PLACE_YEAR})({_PLACE_YEAR})")
_GLUED_BARE_YEARS = re.compile(r"\b(19|20)(\d\d)((?:19|20)\d\d)\b")
# "ae)" is a) become e); "ii)" is a roman two, not a glued pair.
_GLUED_LETTERS = re.compile(r"^(?!ii\)|iv\)|vi\)|ix\)|xi\))([a-z])([a-z])\)")
_GLUED_NUMBERS = re.compile(r"^(\d)(\d)\t")

# Items the proposal adds: they are not in the base (first words of the item).
_ADDED = (
    "b)\tUnited Nations General Assembly (UNGA) Resolution A/70/125",
    "c)\tUNGA Resolution A/70/1",
    "d)\tthe WSIS+10 Statement on the Implementation",
    "g)\tResolution 131 (Rev. Busan, 2014), on measuring",
    "h)\tthe outcomes of the WSIS+10 review process",
    "b)\tthat the 2030 Agenda for Sustainable Development has substantial",
    "c)\tthe potential of information and communications technologies to achieve",
    "iii)\trelated Sustainable Development Goals",
    "4\tin implementing the WSIS outcomes/SDGs",
    "iv)\tthe 2030 Agenda for Sustainable Development;",
)

# Where the proposal replaced a whole passage, the seed shows the new words, then the old ones.
_REPLACED = [
    (
        "Resolution 200 (Busan, 2014) of the Plenipotentiary Conference, on the Connect 2020 Agenda for global "
        "telecommunication/information and communication technology development,",
        "",
    ),
    (
        "and noting that access to ICTs has also become a development indicator and aspiration in and of itself",
        "",
    ),
    (
        "that Council 2016 resolved to use the WSIS framework as the foundation through which the ITU helps achieve "
        "the 2030 Agenda, within the ITU's mandate and within the allocated resources in the financial plan and "
        "biennial budget, noting the WSIS-SDG Matrix developed by UN Agencies,",
        "",
    ),
]


def _resolution_lines() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "RESOLUTION 30" in line)
    return [re.sub(r"\[bookmark:[^\]]*\]", "", line) for line in lines[start:]]


def base_text() -> str:
    """WTDC Res. 30 (Rev. Dubai, 2014) as far as the seed shows it."""
    out = []
    for line in _resolution_lines():
        if any(line.startswith(prefix) for prefix in _ADDED):
            continue
        line = _GLUED_YEARS.sub(lambda m: m.group(1), line)
        line = _GLUED_BARE_YEARS.sub(lambda m: m.group(1) + m.group(2), line)
        line = _GLUED_LETTERS.sub(lambda m: m.group(1) + ")", line)
        line = _GLUED_NUMBERS.sub(lambda m: m.group(1) + "\t", line)
        for new, _ in _REPLACED:
            line = line.replace(new, "")
        line = line.replace(
            "and the overall review by the United Nations General Assembly of their implementation", ""
        )
        line = line.replace(", taking into account the 2030 Agenda for Sustainable Development;", ";")
        out.append(line)
    return relabel("\n".join(out)) + "\n"


def proposed_text() -> str:
    """RCC's proposed WTDC Res. 30 for Buenos Aires, 2017."""
    out = []
    for line in _resolution_lines():
        line = _GLUED_YEARS.sub(lambda m: m.group(2).replace("BUENOS AIRES", "Buenos Aires"), line)
        line = _GLUED_BARE_YEARS.sub(lambda m: m.group(3), line)
        line = _GLUED_LETTERS.sub(lambda m: m.group(2) + ")", line)
        line = _GLUED_NUMBERS.sub(lambda m: m.group(2) + "\t", line)
        line = re.sub(r"development,Resolution 172 \(Guadalajara, 2010\)[^;]*;", "development;", line)
        line = re.sub(r"in and of itselfthat the WSIS process will be reviewed.*$", "in and of itself;", line)
        line = re.sub(r"UN Agencies,that the Plenipotentiary Conference.*$", "UN Agencies,", line)
        out.append(line)
    text = "\n".join(out)
    text = text.replace("RESOLUTION 30 (Rev. Buenos Aires, 2017)", "RESOLUTION 30 (Rev. Buenos Aires, 2017)")
    return text + "\n"
