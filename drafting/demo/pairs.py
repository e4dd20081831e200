"""Real pairs of editions and real-shaped group proposals on the older one, to carry onto the newer.

The editions are in ``seeds/editions/`` (PP Res. 179 Busan 2014 and Dubai 2018, WTSA Res. 76 and
Res. 35 Hammamet 2016 and Geneva 2022), written from memory of the real texts as closely as they are
known: the wording may differ from ITU's in places, the kinds of change between two editions are the
real ones (citations brought up to date, items inserted and every label after them renumbered, items
moved between parts, parts renamed, reordered or dissolved, items split, merged or swapped, a lone
paragraph rewritten, a part added at the end, an annex's heading and items changed, Geneva's file
written with non-breaking spaces and hyphens as ITU's files are).

Each proposal is what a regional group wrote against the older edition before the conference that
adopted the newer one: mechanical citation updates, rewordings, additions (one as "bis"), a new part
at the end, suppressions, renamed parts. Every change says, by reading the two editions, what
carrying it onto the newer edition must make of it (``expect``), and ``after`` what some clauses
must read after the rebase, label and closing mark included. Plain data: the tests and
``scripts/benchmark_rebase.py`` read it; no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drafting.engine.amend import ADD, AFTER, BIS, FIRST_CHILD, MODIFY, SUPPRESS, Amendment
from drafting.engine.tree import ANNEX, ITEM, PART

EDITIONS = Path(__file__).resolve().parent / "seeds" / "editions"

CLEAN, REBASED, ALREADY, CONFLICT = "clean", "rebased", "already", "conflict"
APPLIED = (CLEAN, REBASED)  # applied exactly: as written, or over the newer edition's other changes


@dataclass
class Change:
    """One change of a proposal, addressed by the older edition's anchors (or an addition's own key)."""

    action: str
    at: str
    text: str = ""  # the words; a part's heading for a part, an annex's title for an annex
    position: str = ""
    key: str = ""  # an addition's own key
    kind: str = ITEM
    numbering: str = ""
    expect: str | tuple[str, ...] = CLEAN

    def amendment(self) -> Amendment:
        is_part = self.kind == PART
        if self.action == ADD:
            return Amendment(
                ADD,
                self.at,
                self.position,
                key=self.key,
                kind=self.kind,
                heading=self.text if is_part else "",
                text="" if is_part else self.text,
                role="operative" if self.kind == PART else "",
                numbering=self.numbering,
            )
        if self.action == MODIFY:
            return Amendment(
                MODIFY, self.at, heading=self.text if is_part else "", text="" if is_part else self.text
            )
        return Amendment(SUPPRESS, self.at)


@dataclass
class RealPair:
    name: str
    old_file: str
    new_file: str
    key_file: str  # in scripts/identity/
    body: str
    number: str
    group: str
    proposal: list[Change] = field(default_factory=list)
    # What clauses read after the rebase: (anchor in the newer edition, or an addition's key) ->
    # (label, text); the label "" for an unlabelled paragraph.
    after: dict[str, tuple[str, str]] = field(default_factory=dict)

    def old_text(self) -> str:
        return (EDITIONS / self.old_file).read_text(encoding="utf-8")

    def new_text(self) -> str:
        return (EDITIONS / self.new_file).read_text(encoding="utf-8")

    def amendments(self) -> list[Amendment]:
        return [c.amendment() for c in self.proposal]


# --- PP Res. 179, ITU's role in child online protection: CEPT's proposal to PP-18, on Busan 2014 ----

_R179 = "instructs-the-director-of-the-telecommunication-development"
RES179 = RealPair(
    name="PP Res. 179 Busan 2014 -> Dubai 2018",
    old_file="pp-res179-rev-busan-2014.txt",
    new_file="pp-res179-rev-dubai-2018.txt",
    key_file="res179-busan-2014--dubai-2018.txt",
    body="PP",
    number="179",
    group="CEPT",
    proposal=[
        # Citations brought up to date, as the newer edition does too.
        Change(
            MODIFY,
            "recalling-b",
            "Resolution 130 (Rev. Dubai, 2018) of the Plenipotentiary Conference, on strengthening the role of ITU in "
            "building confidence and security in the use of information and communication technologies (ICTs);",
            expect=ALREADY,
        ),
        Change(
            MODIFY,
            "recalling-c",
            "Resolution 175 (Rev. Dubai, 2018) of the Plenipotentiary Conference, on telecommunication/ICT "
            "accessibility for persons with disabilities and persons with specific needs;",
            expect=ALREADY,
        ),
        Change(
            MODIFY,
            "recalling-d",
            "Resolution 67 (Rev. Buenos Aires, 2017) of the World Telecommunication Development Conference (WTDC), "
            "on the role of the ITU Telecommunication Development Sector in child online protection;",
            expect=ALREADY,
        ),
        # The resolution's own earlier edition: the newer edition dropped it too.
        Change(SUPPRESS, "recalling-a", expect=ALREADY),
        # Both add Resolution 198, in the same words.
        Change(
            ADD,
            "recalling-c",
            "Resolution 198 (Rev. Dubai, 2018) of the Plenipotentiary Conference, on the empowerment of youth "
            "through telecommunication/ICT;",
            position=AFTER,
            key="cept-r198",
            expect=ALREADY,
        ),
        # Both add the 2030 Agenda's target 16.2 at the head of "considering", in other words.
        Change(
            ADD,
            "considering",
            "the 2030 Agenda for Sustainable Development, in particular target 16.2 of the Sustainable Development "
            "Goals on ending abuse, exploitation, trafficking and all forms of violence against and torture of "
            "children;",
            position=FIRST_CHILD,
            key="cept-sdg",
            expect=CONFLICT,
        ),
        # Words the newer edition left alone (it relabelled the item c).
        Change(
            MODIFY,
            "considering-b",
            "that children's use of the Internet brings great opportunities for education, creativity and "
            "communication, but also exposes them to risks such as inappropriate content, contact with strangers, "
            "grooming, hate speech and cyberbullying;",
            expect=APPLIED,
        ),
        # The part renamed otherwise by the newer edition.
        Change(MODIFY, "noting", "noting with satisfaction", kind=PART, expect=CONFLICT),
        # "some" to "many", where the newer edition added "still": both apply.
        Change(
            MODIFY,
            "noting-b",
            "that many developing countries lack the capacity to develop national strategies and legal frameworks "
            "for child online protection;",
            expect=REBASED,
        ),
        # A new resolves 2: the items after it renumber.
        Change(
            ADD,
            "resolves-1",
            "to invite children and young people to take part in the COP initiative;",
            position=AFTER,
            key="cept-youth",
            expect=CLEAN,
        ),
        # CWG-COP opened to all stakeholders, in other words than the newer edition's.
        Change(
            MODIFY,
            "resolves-3",
            "to maintain CWG-COP, open to Member States, with open consultations with all stakeholders, as a forum "
            "for the exchange of information and best practices,",
            expect=CONFLICT,
        ),
        # "each year" to "annually", where the newer edition merged instructs 3 into the end of 2.
        Change(
            MODIFY,
            "instructs-the-secretary-general-2",
            "to report annually to the Council on the activities carried out under this resolution;",
            expect=REBASED,
        ),
        # The same renaming as the newer edition's.
        Change(
            MODIFY,
            "instructs-the-directors-of-the-three-bureaux",
            "instructs the Directors of the three Bureaux, in coordination with the Secretary-General",
            kind=PART,
            expect=ALREADY,
        ),
        # Both add a data item to the Director of BDT, in other words.
        Change(
            ADD,
            f"{_R179}-3",
            "to assist Member States in collecting data on child online protection,",
            position=AFTER,
            key="cept-data",
            expect=CONFLICT,
        ),
        # The lone paragraph rewritten, and rewritten otherwise by the newer edition.
        Change(
            MODIFY,
            "invites-member-states-p1",
            "to develop national strategies for child online protection, and to contribute to the work of CWG-COP,",
            expect=CONFLICT,
        ),
        # A part added after the last one; the newer edition added another there.
        Change(
            ADD,
            "invites-member-states-and-sector-members",
            "requests the Council",
            position=AFTER,
            key="cept-council",
            kind=PART,
            expect=CLEAN,
        ),
        Change(
            ADD,
            "cept-council",
            "to consider the report of the Secretary-General on the implementation of this resolution at each of "
            "its sessions.",
            position=FIRST_CHILD,
            key="cept-council-p1",
            expect=CLEAN,
        ),
    ],
    after={
        "considering-c": (
            "c)",
            "that children's use of the Internet brings great opportunities for education, creativity and "
            "communication, but also exposes them to risks such as inappropriate content, contact with strangers, "
            "grooming, hate speech and cyberbullying;",
        ),
        "noting-with-appreciation-b": (
            "b)",
            "that many developing countries still lack the capacity to develop national strategies and legal "
            "frameworks for child online protection;",
        ),
        "resolves-1": ("1", None),
        "cept-youth": ("2", "to invite children and young people to take part in the COP initiative;"),
        "resolves-2": ("3", None),
        "resolves-3": ("4", None),
        "instructs-the-secretary-general-2": (
            "2",
            "to report annually to the Council on the activities carried out under this resolution, and to bring "
            "it to the attention of the Secretary-General of the United Nations,",
        ),
        "cept-council-p1": (
            "",
            "to consider the report of the Secretary-General on the implementation of this resolution at each of "
            "its sessions,",
        ),
        "encourages-member-states-sector-members-and-academia-2": (
            "2",
            "to promote the participation of children and young people in the development of child online "
            "protection policies.",
        ),
    },
)


# --- WTSA Res. 76, conformance and interoperability: APT's proposal to WTSA-20, on Hammamet 2016 ---

_TSB = "instructs-the-director-of-the-telecommunication-standardizat"
_BDT = "instructs-the-director-of-the-telecommunication-development"
_SG = "instructs-the-itu-t-study-groups"
RES76 = RealPair(
    name="WTSA Res. 76 Hammamet 2016 -> Geneva 2022",
    old_file="wtsa-res76-rev-hammamet-2016.txt",
    new_file="wtsa-res76-rev-geneva-2022.txt",
    key_file="res76-hammamet-2016--geneva-2022.txt",
    body="WTSA",
    number="76",
    group="APT",
    proposal=[
        # Citations brought up to date; Geneva writes them with non-breaking spaces.
        Change(
            MODIFY,
            "considering-a",
            "Resolution 177 (Rev. Dubai, 2018) of the Plenipotentiary Conference, on conformance and "
            "interoperability;",
            expect=ALREADY,
        ),
        Change(
            MODIFY,
            "considering-b",
            "Resolution 47 (Rev. Buenos Aires, 2017) of the World Telecommunication Development Conference, on "
            "enhancement of knowledge and effective application of ITU Recommendations in developing countries, "
            "including conformance and interoperability testing of systems manufactured on the basis of ITU "
            "Recommendations;",
            expect=ALREADY,
        ),
        # The same update, where Geneva also renamed what Resolution 197 is about.
        Change(
            MODIFY,
            "considering-c",
            "Resolution 197 (Rev. Dubai, 2018) of the Plenipotentiary Conference, on facilitating the Internet of "
            "Things to prepare for a globally connected world;",
            expect=ALREADY,
        ),
        Change(
            ADD,
            "considering-c",
            "Resolution 200 (Rev. Dubai, 2018) of the Plenipotentiary Conference, on the Connect 2030 Agenda for "
            "global telecommunication/ICT, including broadband, for sustainable development;",
            position=AFTER,
            key="apt-r200",
            expect=ALREADY,
        ),
        # The old last item of "considering", no longer last in Geneva.
        Change(
            MODIFY,
            "considering-f",
            "that conformance and interoperability testing of equipment and systems is a key element in the "
            "development of reliable and secure telecommunication/ICT networks, including the Internet of Things,",
            expect=APPLIED,
        ),
        # Geneva moved it, word for word, to the end of "considering": suppressed there.
        Change(SUPPRESS, "considering-further-b", expect=CLEAN),
        # Geneva moved it to "noting": suppressed there.
        Change(SUPPRESS, "considering-e", expect=CLEAN),
        Change(
            MODIFY,
            "recognizing-b",
            "that many developing countries lack the resources, expertise and test facilities to carry out "
            "conformance and interoperability testing;",
            expect=REBASED,
        ),
        Change(MODIFY, "noting", "noting with satisfaction", kind=PART, expect=CLEAN),
        # "and interoperability" inserted in words Geneva kept, though it rewrote the rest of the sentence.
        Change(
            MODIFY,
            "noting-a",
            "that some ITU-T study groups have begun to develop Recommendations on conformance and interoperability "
            "testing;",
            expect=REBASED,
        ),
        Change(SUPPRESS, "noting-b", expect=CLEAN),
        # Geneva swapped resolves 3 and 4.
        Change(
            MODIFY,
            "resolves-4",
            "that the ITU Mark programme shall not be implemented until the Council, taking into account the views "
            "of the membership, decides otherwise,",
            expect=APPLIED,
        ),
        Change(
            ADD,
            "resolves-4",
            "that the C&I programme shall give priority to the needs of developing countries,",
            position=AFTER,
            key="apt-priority",
            expect=CLEAN,
        ),
        # Geneva's change includes this one.
        Change(
            MODIFY,
            f"{_SG}-2",
            "to cooperate with the relevant standards development organizations and forums on conformance and "
            "interoperability testing;",
            expect=ALREADY,
        ),
        # Geneva moved it, word for word, to the Director of BDT.
        Change(
            MODIFY,
            f"{_TSB}-3",
            "to assist developing countries in establishing regional or national test centres and in obtaining "
            "recognition for their testing laboratories;",
            expect=APPLIED,
        ),
        Change(
            MODIFY,
            "invites-member-states-p1",
            "to contribute actively to the implementation of this resolution.",
            expect=APPLIED,
        ),
        # A part Geneva adds too, its paragraph in other words.
        Change(
            ADD,
            "invites-member-states",
            "invites regional organizations",
            position=AFTER,
            key="apt-regional",
            kind=PART,
            expect=ALREADY,
        ),
        Change(
            ADD,
            "apt-regional",
            "to cooperate with ITU in establishing regional test centres.",
            position=FIRST_CHILD,
            key="apt-regional-p1",
            expect=CONFLICT,
        ),
    ],
    after={
        "considering-f": (
            "f)",
            "that conformance and interoperability testing of equipment and systems is a key element in the "
            "development of reliable and secure telecommunication/ICT networks, including the Internet of Things;",
        ),
        # h) suppressed: g) ends the part.
        "considering-g": (
            "g)",
            "that the ITU\u2011T Conformity Assessment Steering Committee (CASC) was established by Study Group 11 "
            "to develop procedures for the recognition of testing laboratories,",
        ),
        "recognizing-b": (
            "b)",
            "that many developing countries still lack the resources, expertise and test facilities to carry out "
            "conformance and interoperability testing;",
        ),
        # b) and d) suppressed: c) becomes b) and ends the part.
        "noting-c": (
            "b)",
            "the work carried out by the International Electrotechnical Commission (IEC) and the International "
            "Organization for Standardization (ISO) on conformity assessment,",
        ),
        "resolves-3": (
            "3",
            "that the ITU Mark programme shall not be implemented until the Council, taking into account the views "
            "of the membership, decides otherwise;",
        ),
        "apt-priority": (
            "4",
            "that the C&I programme shall give priority to the needs of developing countries;",
        ),
        "resolves-4": ("5", None),
        f"{_BDT}-3": (
            "3",
            "to assist developing countries in establishing regional or national test centres and in obtaining "
            "recognition for their testing laboratories,",
        ),
        "invites-member-states-p1": ("", "to contribute actively to the implementation of this resolution;"),
        "invites-regional-organizations-p1": (
            "",
            "to cooperate with ITU in establishing regional test centres.",
        ),
    },
)


# --- WTSA Res. 35, chairmen and vice-chairmen: RCC's proposal to WTSA-20, on Hammamet 2016 ---------

_TSB35 = "instructs-the-director-of-the-telecommunication-standardizat"
_ANNEX35 = "annex-to-resolution-35-rev-hammamet-2016"
RES35 = RealPair(
    name="WTSA Res. 35 Hammamet 2016 -> Geneva 2022",
    old_file="wtsa-res35-rev-hammamet-2016.txt",
    new_file="wtsa-res35-rev-geneva-2022.txt",
    key_file="res35-hammamet-2016--geneva-2022.txt",
    body="WTSA",
    number="35",
    group="RCC",
    proposal=[
        Change(
            MODIFY,
            "considering-b",
            "Resolution 166 (Rev. Dubai, 2018) of the Plenipotentiary Conference, on the number of vice-chairmen of "
            "Sector advisory groups, study groups and other groups;",
            expect=ALREADY,
        ),
        Change(
            MODIFY,
            "considering-c",
            "Resolution 208 (Rev. Dubai, 2018) of the Plenipotentiary Conference, on the appointment and maximum "
            "term of office for chairmen and vice-chairmen of Sector advisory groups, study groups and other groups;",
            expect=ALREADY,
        ),
        # Gender balance added at the end, where Geneva added it in the middle: the same words twice is no merge.
        Change(
            MODIFY,
            "resolves-2",
            "that, in appointing vice-chairmen, account shall be taken of equitable geographical distribution among "
            "the regions, of the need to encourage the participation of developing countries and of gender balance;",
            expect=CONFLICT,
        ),
        # A "bis" item: nothing renumbered.
        Change(
            ADD,
            "resolves-3",
            "that a term of office of less than two years shall not count towards the maximum term;",
            position=AFTER,
            key="rcc-3bis",
            numbering=BIS,
            expect=CLEAN,
        ),
        Change(
            MODIFY,
            "resolves-5",
            "that the procedure for the nomination of candidates shall be as set out in Resolution 208 (Rev. Dubai, "
            "2018),",
            expect=ALREADY,
        ),
        # Geneva put "recognizing" before "noting"; the suppression follows the clause.
        Change(SUPPRESS, "recognizing-b", expect=CLEAN),
        Change(
            MODIFY,
            f"{_TSB35}-1",
            "to make available to the administrations, no later than four months before the assembly, the list of "
            "candidates and their qualifications;",
            expect=CONFLICT,
        ),
        # A part added after the last one, before the annex.
        Change(
            ADD,
            _TSB35,
            "invites Member States and Sector Members",
            position=AFTER,
            key="rcc-invites",
            kind=PART,
            expect=CLEAN,
        ),
        Change(
            ADD,
            "rcc-invites",
            "to put forward candidates having the qualifications set out in the annex to this resolution.",
            position=FIRST_CHILD,
            key="rcc-invites-p1",
            expect=CLEAN,
        ),
        # The annex: its title reworded, an item reworded, one added (Geneva adds it otherwise).
        Change(MODIFY, _ANNEX35, "Qualifications of candidates for chairmen and vice-chairmen", kind=ANNEX),
        Change(
            MODIFY, f"{_ANNEX35}-c", "managerial competence, including in chairing meetings;", expect=CONFLICT
        ),
        Change(
            ADD,
            f"{_ANNEX35}-d",
            "commitment to gender balance and inclusiveness in the work of the group.",
            position=AFTER,
            key="rcc-annex-e",
            expect=CONFLICT,
        ),
    ],
    after={
        "rcc-3bis": (
            "3bis",
            "that a term of office of less than two years shall not count towards the maximum term;",
        ),
        "resolves-4": ("4", None),
        "resolves-6": ("6", None),
        "recognizing-a": (
            "",
            "that a limit on the term of office gives more Member States and Sector Members the opportunity to "
            "hold these posts,",
        ),
        f"{_TSB35}-2": (
            "2",
            "to encourage Member States and Sector Members to put forward candidates from developing countries,",
        ),
        "rcc-invites-p1": (
            "",
            "to put forward candidates having the qualifications set out in the annex to this resolution.",
        ),
    },
)

PAIRS = [RES179, RES76, RES35]
