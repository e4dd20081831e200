"""A realistic synthetic library: hundreds of resolutions of every body, citing each other as real ones do.

For tests and benchmarks of the citation graph and of importing a whole body's
resolutions. The texts are in the printed layout the importer reads (number and
revision line, title, history, enacting formula, parts and items), and their
citations take every form the seeds show: "Resolution 71 (Rev. Busan, 2014) of
the Plenipotentiary Conference", "PP Resolution 140", "Resolutions 101, 102 and
133 (Rev. Dubai, 2018)", "Council Resolution 1332", "Resolution ITU-R 61
(Rev. Geneva, 2015)", UNGA documents and Recommendations. Most cite the cited
resolution's edition in the corpus; some cite an older one, as real texts do
between two conferences; a few carry a misspelt venue.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from drafting.engine.citations import BODY_NAMES, COUNCIL, PP, RA, VENUES, WTDC, WTSA

# Share of the corpus per body, and where their numbers start.
SHARES = [(PP, 0.3, 1), (WTSA, 0.22, 1), (WTDC, 0.2, 1), (RA, 0.13, 1), (COUNCIL, 0.15, 1300)]
# The meetings a corpus edition is taken from: the body's last few.
RECENT = {body: sorted(years)[-4:] for body, years in VENUES.items() if body != COUNCIL}

TOPICS = [
    "the implementation of the outcomes of the World Summit on the Information Society",
    "bridging the standardization gap between developing and developed countries",
    "Internet protocol-based networks",
    "strengthening the role of ITU in building confidence and security in the use of ICTs",
    "telecommunication/ICT accessibility for persons with disabilities",
    "the use of telecommunications/ICTs for disaster mitigation and relief",
    "conformance and interoperability testing",
    "combating counterfeit telecommunication/ICT devices",
    "mainstreaming a gender perspective in ITU",
    "the role of administrations in the management of internationalized domain names",
    "measuring information and communication technologies",
    "the Connect 2030 Agenda for global telecommunication/ICT development",
    "international Internet-related public policy issues",
    "the management of the radio-frequency spectrum",
    "ITU's role in the development of artificial intelligence standards",
    "strategic plan of the Union",
    "youth participation in the work of the Union",
    "emergency telecommunications",
]
FILLER = [
    "the relevant work already accomplished and to be carried out by ITU",
    "the needs of the developing countries and of the least developed countries",
    "that close cooperation between the Sectors avoids duplication of work",
    "the importance of capacity building for all Member States",
    "that the membership should be informed regularly of progress",
    "the programmes, activities and regional initiatives being carried out",
]
OPERATIVE = [
    "to continue the work within its mandate and the allocated resources",
    "to report annually to the Council on the activities under this resolution",
    "to cooperate with the other Sectors and with relevant organizations",
    "to encourage the participation of all stakeholders",
    "to take appropriate action to facilitate the implementation of this resolution",
]
OF_BODY = {
    PP: "of the Plenipotentiary Conference",
    WTSA: "of the World Telecommunication Standardization Assembly",
    WTDC: "of the World Telecommunication Development Conference (WTDC)",
    RA: "of the Radiocommunication Assembly",
}
# As written, and as the parser should read them.
UN_DOCUMENTS = {
    "UNGA Resolution 70/125": ("UNGA", "A/RES/70/125", None),
    "UNGA Resolution A/70/1": ("UNGA", "A/RES/70/1", None),
    "UNGA Resolution A/RES/76/307": ("UNGA", "A/RES/76/307", None),
}
RECOMMENDATIONS = {
    "Recommendation ITU-T X.1205": ("ITU-T", "X.1205", None),
    "Recommendation ITU-T Y.4000": ("ITU-T", "Y.4000", None),
    "ITU-R Recommendation M.1036-6": ("ITU-R", "M.1036-6", None),
}
MISSPELT = {"Bucharest": "Buchrest", "Hammamet": "Hamamet", "Guadalajara": "Guadalajarra", "Busan": "Pusan"}


@dataclass
class CorpusResolution:
    body: str
    number: str
    place: str
    year: int
    title: str
    items: list[str] = field(default_factory=list)
    # What its text cites, in order, as the parser should read it: (body, number, year or None).
    cites: list[tuple[str, str, int | None]] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.body.lower()}-res{self.number.replace('ITU-R ', '')}.txt"

    def text(self) -> str:
        """The resolution in the printed layout, as the importer reads it."""
        lines = []
        if self.body == COUNCIL:
            lines += [self.title, "The Council,"]
        else:
            lines += [
                f"RESOLUTION {self.number} (Rev.\u00a0{self.place}, {self.year})",
                self.title,
                f"({self.place}, {self.year})",
                f"The {BODY_NAMES[self.body]} ({self.place}, {self.year}),",
            ]
        lines.append("considering")
        labels = "abcdefghijklmnopqrstuvwxyz"
        for i, item in enumerate(self.items):
            end = "," if i == len(self.items) - 1 else ";"
            lines.append(f"{labels[i % 26]}{'' if i < 26 else labels[i // 26 - 1]})\t{item}{end}")
        lines.append("resolves")
        for i, item in enumerate(OPERATIVE[:3], start=1):
            lines.append(f"{i}\t{item}{'.' if i == 3 else ';'}")
        return "\n".join(lines) + "\n"


def _cite(
    r: CorpusResolution, target: CorpusResolution, rng: random.Random, stale: bool, misspelt: bool
) -> str:
    """One citation of ``target`` in one of the real forms, from the citing resolution ``r`` (recorded in its cites)."""
    place, year = target.place, target.year
    if stale and target.body != COUNCIL:
        older = [y for y in sorted(VENUES[target.body]) if y < target.year]
        if older:
            year = older[-1]
            place = VENUES[target.body][year]
    if misspelt and place in MISSPELT:
        place = MISSPELT[place]
    number = target.number
    if target.body == COUNCIL:
        form = rng.choice(
            ["Council Resolution {n}", "Council {y} Resolution {n}", "Resolution {n} of the Council"]
        )
        r.cites.append((COUNCIL, number, year if "{y}" in form else None))
        return form.format(n=number, y=year)
    r.cites.append((target.body, number, year))
    edition = f"(Rev.\u00a0{place}, {year})"
    if target.body == RA:
        return f"Resolution {number} {edition} of the Radiocommunication Assembly"
    forms = [
        f"Resolution\u00a0{number} {edition} {OF_BODY[target.body]}",
        f"Resolution {number} {edition}",
        f"{target.body} Resolution {number} {edition}",
    ]
    if target.body == r.body:
        forms.append(
            f"Resolution {number} {edition} of this {'Conference' if r.body in (PP, WTDC) else 'Assembly'}"
        )
    return rng.choice(forms)


def generate_corpus(resolutions: int = 300, citations: int = 5000, seed: int = 14) -> list[CorpusResolution]:
    """``resolutions`` resolutions of all five bodies holding about ``citations`` citations of each other."""
    rng = random.Random(seed)
    corpus: list[CorpusResolution] = []
    for body, share, first in SHARES:
        count = max(1, round(resolutions * share))
        for i in range(count):
            if len(corpus) >= resolutions:
                break
            number = str(first + i)
            if body == RA:
                number = f"ITU-R {number}"
            if body == COUNCIL:
                place, year = "Geneva", rng.choice([2019, 2021, 2023, 2024])
            else:
                year = rng.choice(RECENT[body])
                place = VENUES[body][year]
            corpus.append(CorpusResolution(body, number, place, year, f"On {rng.choice(TOPICS)}"))
    per_resolution = max(1, citations // len(corpus))
    for r in corpus:
        made = 0
        while made < per_resolution:
            shape = rng.random()
            same = [t for t in corpus if t.body == PP and t is not r]
            if shape < 0.08 and len(same) >= 3:
                # "Resolutions 101, 102 and 133 (Rev. Dubai, 2018)": one edition shared by several numbers.
                picks = sorted(rng.sample(same, 3), key=lambda t: int(t.number))
                year = picks[0].year
                text = (
                    f"Resolutions {picks[0].number}, {picks[1].number} and {picks[2].number} "
                    f"(Rev. {VENUES[PP][year]}, {year}) of the Plenipotentiary Conference"
                )
                r.items.append(f"{text}, on {rng.choice(TOPICS)}")
                r.cites += [(PP, t.number, year) for t in picks]
                made += 3
                continue
            cited = []
            for _ in range(rng.choice([1, 1, 2, 3])):
                target = rng.choice(corpus)
                if target is r:
                    continue
                cited.append(_cite(r, target, rng, stale=rng.random() < 0.15, misspelt=rng.random() < 0.01))
            if not cited:
                continue
            extra = rng.random()
            if extra < 0.1:
                cited.append(rng.choice(list(UN_DOCUMENTS)))
                r.cites.append(UN_DOCUMENTS[cited[-1]])
            elif extra < 0.15:
                cited.append(rng.choice(list(RECOMMENDATIONS)))
                r.cites.append(RECOMMENDATIONS[cited[-1]])
            made += len(cited)
            r.items.append(f"{' and '.join(cited)}, on {rng.choice(TOPICS)}, and {rng.choice(FILLER)}")
        r.items.append(rng.choice(FILLER))
    return corpus


def write_corpus(folder: Path, corpus: list[CorpusResolution]) -> list[Path]:
    """One plain-text file per resolution, named after its body and number, as a secretariat folder would be."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for r in corpus:
        path = folder / r.filename
        path.write_text(r.text(), encoding="utf-8")
        paths.append(path)
    return paths
