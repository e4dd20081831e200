"""WTSA Resolution 75 as it stood after Dubai 2012, and CITEL's proposed text, read off the CITEL seed.

CITEL's proposal to WTSA-16 was written against Rev. Dubai, 2012. The seed lost
its revision marks, so the Dubai words and CITEL's stand glued together:
"(Rev. Guadalajara, 2010Busan, 2014)", label "bd)" (b) become d)), "eb)" (b)
become e): the order of a glued label follows the document, not a rule) and
"WTDC-1014". Each rule below says which side of a glued pair is Dubai's and which
is CITEL's, line by line. Items that cite texts adopted after 2012 (the 2030
Agenda, UNGA Resolution 70/125, the Busan Plenipotentiary) are CITEL's
additions; where the seed does not show what CITEL deleted, Dubai keeps CITEL's
words: the reconstruction is faithful to what can be read, no more.
"""

from __future__ import annotations

import re
from pathlib import Path

from drafting.demo.glued import number_lines

SEED = Path(__file__).resolve().parent / "seeds" / "citel-proposal-wtsa-res75.txt"

# Glued place-and-year runs: "Guadalajara, 2010Busan, 2014Busan, 2014", "Guadalajara 2010Busan, 2014",
# "Guadalajara, 2010 Busan 2014", "Dubai, 2012Hammamet, 2016": Dubai's first, CITEL's last.
_PLACE_YEAR = r"[A-Z][a-z]+,? \d{4}"
_GLUED_YEARS = re.compile(rf"({_PLACE_YEAR})(?: ?{_PLACE_YEAR})*? ?({_PLACE_YEAR})(?=\))")
_GLUED_BARE_YEARS = re.compile(r"\b(20\d\d) (20\d\d)\)")  # "(Geneva, 2012 2015)"

# Lines that only CITEL's text has (first words of the text, after the label).
_ADDED = (
    "UNGA Resolution A/70/125",
    "UNGA Resolution A/70/1 ",
    "Resolution 131 (Rev. Busan, 2014)",
    "Resolution 139 (Rev. Busan, 2014)",
    "that the Council Working Group on WSIS (WG-WSIS), in accordance with Plenipotentiary",
    "that the open and physical consultations",
    "the potential of information and communications technologies to achieve",
    "that the previous decade’s considerable gain",
    "recognizing further",
    "that Internet governance should continue",
    "that various initiatives have been implemented",
    "that the 17 objectives",
    "Resolution 44 (Rev. Dubai, 2012)",
    "Council Resolution 1344",
    "that ITU-T should contribute to the achievement of the objectives of the 2030 Agenda",
    "invites all stakeholders",
    "to participate actively in ITU WSIS implementation",
    "to participate actively in the online and physical",
)

# Lines that only Dubai's text has: CITEL suppressed them (the seed keeps their old labels).
_REMOVED = (
    "Decision 562 of the 2011 session",
    "Resolution 172 (Guadalajara, 2010)",
)

# Words glued together: (seed words, Dubai's, CITEL's).
_GLUED_WORDS = [
    ("WTDC-1014", "WTDC-10", "WTDC-14"),
    (
        "(CWG-Internet) has in accordance with Council Resolution 1336, open to Member States only, was needed so as "
        "to promote enhanced cooperation and to fostered",
        "(CWG-Internet) has promoted enhanced cooperation and fostered",
        "(CWG-Internet), in accordance with Council Resolution 1336, open to Member States only, was needed so as "
        "to promote enhanced cooperation and to foster",
    ),
    (
        "Council Resolution 1332 (Rev. 2016), on ITU's role in the implementation of the WSIS outcomes, taking into "
        "account the 2030 Agenda; up to 2015 and future activities beyond WSIS+10;",
        "Council Resolution 1332, on ITU's role in the implementation of the WSIS outcomes up to 2015 and future "
        "activities beyond WSIS+10;",
        "Council Resolution 1332 (Rev. 2016), on ITU's role in the implementation of the WSIS outcomes, taking into "
        "account the 2030 Agenda;",
    ),
    # Two items run together by a lost paragraph mark: CITEL kept 1334 and suppressed 1336.
    (
        "the WSIS outcomes; Council Resolution 1336, on the Council Working Group on international Internet-related "
        "public policy issues,",
        "the WSIS outcomes;\nc)\tCouncil Resolution 1336, on the Council Working Group on international "
        "Internet-related public policy issues,",
        "the WSIS outcomes;",
    ),
    (
        "the output of the Council Working Group on international Internet-related public policy issuesCWG-Internet,",
        "the output of the Council Working Group on international Internet-related public policy issues,",
        "the output of CWG-Internet,",
    ),
    (
        "the Council Working Group on international Internet-related public policy issues CWG-Internet;",
        "the Council Working Group on international Internet-related public policy issues.",
        "CWG-Internet;",
    ),
    (
        "implementation of the WSIS outcomes and activities related to the 2030 Agenda;",
        "implementation of the WSIS outcomes;",
        "implementation of the WSIS outcomes and activities related to the 2030 Agenda;",
    ),
    (
        "for WSIS activities, taking into account the 2030 Agenda, are developed",
        "for WSIS activities are developed",
        "for WSIS activities, taking into account the 2030 Agenda, are developed",
    ),
    (
        "Council Resolution 1332 (Rev. 2016);",
        "Council Resolution 1332;",
        "Council Resolution 1332 (Rev. 2016);",
    ),
    (
        "within the ITU mandate, taking into account the 2030 Agenda;",
        "within the ITU mandate;",
        "within the ITU mandate, taking into account the 2030 Agenda;",
    ),
    (
        "through and in harmony harmonizationedwith the WSIS processframework;",
        "through and in harmony with the WSIS framework;",
        "through and in harmony with the WSIS framework;",
    ),
]

# A label written twice ("b) a) that ..."): the document's new label first, Dubai's second.
_DOUBLE_LABEL = re.compile(r"^([a-z]\)) ([a-z]\)) ")
# A label glued to its successor ("bd)", "da)"): both sides are relabelled in order afterwards.
_GLUED_LABEL = re.compile(r"^([a-z])([a-z])\)")


def _resolution_lines() -> list[str]:
    raw = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(raw) if "RESOLUTION 75" in line)
    end = next(i for i, line in enumerate(raw) if "Contact:" in line)
    lines = []
    for line in raw[start:end]:
        line = re.sub(r"\[bookmark:[^\]]*\]", "", line).strip()
        if not line:
            continue
        if line.startswith("on the Information Society") and lines and lines[-1].endswith("World Summit"):
            lines[-1] += " " + line  # the title, broken over two lines
            continue
        line = _DOUBLE_LABEL.sub(lambda m: m.group(1) + "\t", line)
        line = _GLUED_LABEL.sub(lambda m: m.group(1) + ")", line)
        line = re.sub(r"^((?:[a-z]|[ivx]+)\)|\d)\s+", r"\1\t", line)  # "a) text", "vi)         text"
        lines.append(line)
    return lines


def _text_of(line: str) -> str:
    return line.split("\t", 1)[1] if "\t" in line else line


def _side(old: bool) -> str:
    out = []
    for line in _resolution_lines():
        text = _text_of(line)
        if (text.startswith(_ADDED) and old) or (text.startswith(_REMOVED) and not old):
            continue
        line = _GLUED_YEARS.sub(lambda m: m.group(1 if old else 2), line)
        line = _GLUED_BARE_YEARS.sub(lambda m: m.group(1 if old else 2) + ")", line)
        for seed, dubai, citel in _GLUED_WORDS:
            line = line.replace(seed, dubai if old else citel)
        if old:
            line = line.replace("Hammamet, 2016", "").replace("; )", ")")
        out.append(line)
    return "\n".join(number_lines(out)) + "\n"


def base_text() -> str:
    """WTSA Res. 75 (Rev. Dubai, 2012) as far as the CITEL seed shows it."""
    return _side(old=True)


def proposed_text() -> str:
    """CITEL's proposed Res. 75 for Hammamet, 2016, as the seed shows it."""
    return _side(old=False)
