"""Demo proposals rebuilt from the seed proposals, as real amendments against Res. 75 (Rev. Hammamet, 2016).

The seeds lost their revision marks (DOMAIN.md); each change here was read off
the glued text and entered the way a delegate would enter it.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from drafting.models import Clause, Conference, Contribution, Edition, Proposal, RegionalGroup
from drafting.services.amendments import (
    add_clause,
    apply_derived,
    clause_version,
    modify_clause,
    suppress_clause,
)

ATU_CHANGES = [
    ("considering", "heading", "recalling"),
    (
        "considering-d",
        "after",
        "the UNGA Resolution A/78/L.49 on Seizing the opportunities of safe, secure and trustworthy artificial "
        "intelligence systems for sustainable development, which looks forward to the overall review by the "
        "General Assembly, in 2025, of the progress made since the World Summit on the Information Society;",
    ),
    (
        "considering-e",
        "text",
        "the relevant resolutions and decisions related to the implementation of relevant outcomes of both phases "
        "of WSIS and to international Internet-related public policy issues adopted by the Plenipotentiary Conference:",
    ),
    (
        "considering-e-i",
        "before",
        "Resolution 70 (Rev. Bucharest, 2022) on mainstreaming a gender perspective in ITU and promotion of gender "
        "equality and the empowerment of women through information and communication technologies;",
    ),
    (
        "considering-e-i",
        "text",
        "Resolution 71 (Rev. Bucharest, 2022) of the Plenipotentiary Conference, on the strategic plan for the Union "
        "for 2024-2027;",
    ),
    (
        "considering-e-ii",
        "text",
        "Resolution 101 (Rev. Bucharest, 2022) of the Plenipotentiary Conference, on Internet Protocol (IP)-based networks;",
    ),
    (
        "considering-e-x",
        "after",
        "Resolution 214 (Bucharest, 2022) of the Plenipotentiary Conference, on artificial intelligence technologies "
        "and telecommunications/information and communication technologies;",
    ),
    (
        "considering-further-b",
        "text",
        "that the Council Working Group on WSIS and the Sustainable Development Goals (CWG‑WSIS&SDG), in accordance "
        "with Resolution 140 (Rev. Bucharest, 2022) and with ITU Council Resolution 1332, open to all the ITU "
        "membership, constitutes an effective mechanism for facilitating Member State inputs on ITU implementation of "
        "relevant WSIS outcomes and the 2030 Agenda for Sustainable Development;",
    ),
    (
        "recognizing-b",
        "after",
        "the WSIS process as the foundation of global digital cooperation supporting our shared vision of "
        "people-centred, inclusive and development-oriented information and knowledge societies,",
    ),
    (
        "resolves-4",
        "text",
        "that the relevant ITU‑T study groups should continue to consider in their studies the output of "
        "CWG‑WSIS&SDG and CWG‑Internet;",
    ),
    (
        "resolves-4",
        "after",
        "to invite the members and other stakeholders to contribute views on the work of the ITU in the WSIS+20 "
        "review, including ideas related to the review of the WSIS Action Lines, through CWG‑WSIS&SDG,",
    ),
    (
        "instructs-the-director-of-the-telecommunication-standardizat-1",
        "text",
        "to provide CWG‑WSIS&SDG with a comprehensive summary of ITU‑T activities on implementation of the WSIS "
        "outcomes, taking into account the 2030 Agenda for Sustainable Development;",
    ),
    (
        "invites-member-states-sector-members-associates-and-academia-3",
        "after",
        "to actively contribute to the WSIS+20 High-Level Event 2025 in Geneva,",
    ),
    ("recognizing-further-b", "suppress", ""),
    (
        "taking-into-account-a",
        "text",
        "Resolution 30 (Rev. Buenos Aires, 2017) of the World Telecommunication Development Conference (WTDC), on "
        "the role of the ITU Telecommunication Development Sector in implementing the WSIS outcomes, taking into "
        "account the 2030 Agenda for Sustainable Development;",
    ),
    (
        "noting-further-p1",
        "text",
        "that the ITU Secretary-General created the ITU WSIS&SDG Task Force, whose role is to formulate strategies "
        "and coordinate ITU's policies and activities in relation to the WSIS process and the 2030 Agenda for "
        "Sustainable Development, and that this task force is chaired by the Deputy Secretary-General, as noted by "
        "Council Resolution 1332,",
    ),
]

CITEL_CHANGES = [
    (
        "considering-c",
        "text",
        "UNGA Resolution A/70/125 on the Outcome Document of the high-level meeting of the General Assembly on the "
        "overall review of the implementation of the outcomes of the World Summit on the Information Society;",
    ),
    (
        "considering-e-v",
        "text",
        "Resolution 131 (Rev. Busan, 2014) of the Plenipotentiary Conference, related to measuring ICTs to build an "
        "integrated and inclusive information society;",
    ),
    (
        "considering-e-ix",
        "text",
        "Resolution 178 (Rev. Busan, 2014) of the Plenipotentiary Conference, on ITU's role in organizing the work on "
        "technical aspects of telecommunication networks to support the Internet;",
    ),
    ("considering-e-xi", "suppress", ""),
    (
        "considering-further-c",
        "text",
        "that the creation of the Council Working Group on international Internet-related public policy issues "
        "(CWG‑Internet), in accordance with Council Resolution 1336, open to Member States only, was needed so as to "
        "promote enhanced cooperation and fostered the participation of governments in addressing international "
        "Internet public policy issues;",
    ),
    (
        "considering-further-c",
        "after",
        "that the open and physical consultations with all stakeholders on international Internet-related public "
        "policy issues, organized by CWG‑Internet in accordance with Council Resolution 1336, are needed to bring in "
        "the unique perspectives that various stakeholders have on these issues;",
    ),
    (
        "recognizing-a",
        "text",
        "the potential of information and communication technologies to achieve the 2030 Agenda for Sustainable "
        "Development (2030 Agenda) and other internationally agreed development goals, noting that they can "
        "accelerate progress across all 17 Sustainable Development Goals;",
    ),
    (
        "recognizing-b",
        "after",
        "that the previous decade's considerable gain in connectivity, use and innovation in ICTs has created new "
        "tools to drive poverty eradication and economic, social and environmental betterment,",
    ),
    (
        "recognizing-further-a",
        "before",
        "that Internet governance should continue to follow the provisions set forth in the WSIS outcomes, and that "
        "the management of the Internet as a global facility includes multilateral, transparent, democratic and "
        "multistakeholder processes;",
    ),
    (
        "taking-into-account-c",
        "after",
        "Resolution 44 (Rev. Hammamet, 2016) of this Assembly, on bridging the standardization gap between developing "
        "and developed countries;",
    ),
    (
        "noting-a",
        "text",
        "Council Resolution 1332 (Rev. 2016), on ITU's role in the implementation of the WSIS outcomes, taking into "
        "account the 2030 Agenda;",
    ),
    (
        "resolves-2",
        "text",
        "that ITU‑T should contribute to the achievement of the objectives of the 2030 Agenda, through and in harmony "
        "with the WSIS framework;",
    ),
    (
        "resolves-4",
        "text",
        "that the relevant ITU‑T study groups should consider in their studies the output of CWG‑Internet,",
    ),
    (
        "instructs-the-director-of-the-telecommunication-standardizat-1",
        "text",
        "to provide WG‑WSIS with a comprehensive summary of ITU‑T activities on implementation of the WSIS outcomes "
        "and activities related to the 2030 Agenda;",
    ),
    ("instructs-the-director-of-the-telecommunication-standardizat-3", "suppress", ""),
    (
        "invites-member-states-sector-members-associates-and-academia",
        "heading",
        "invites Member States and Sector Members",
    ),
    (
        "invites-all-stakeholders-2",
        "text",
        "to participate actively in the online and physical open consultations on Internet-related public policy.",
    ),
]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _apply(user, proposal: Proposal, edition: Edition, changes) -> int:
    clauses = {c.anchor: c for c in Clause.objects.filter(edition=edition).select_related("provision")}
    done = 0
    for anchor, what, value in changes:
        key = str(clauses[anchor].provision.key)
        if what in ("heading", "text"):
            modify_clause(user, proposal, key, value, expected_version=clause_version(proposal, key))
        elif what == "suppress":
            suppress_clause(user, proposal, key)
        else:
            add_clause(user, proposal, key, what, text=value)
        done += 1
    return done


DEMO_CONTRIBUTIONS = [
    {
        "group": "ATU",
        "user": "atu-delegate",
        "document_number": "35",
        "addendum": 18,
        "title": "Proposed modifications to Resolution 75",
        "abstract": (
            "ATU proposes to modify WTSA Resolution 75 to align with Council Resolution 1332, based on UNGA "
            "Resolution A/78/L.49, and to anticipate the General Assembly's overall review of WSIS in 2025."
        ),
        "introduction": (
            "Outcomes of the WSIS+20 Forum High-Level Event 2024 call for the continuous relevance of the WSIS "
            "Action Lines."
        ),
        "reasons": (
            "To align Resolution 75 with PP Resolution 140 (Rev. Bucharest, 2022) and Council Resolution 1332."
        ),
        "changes": ATU_CHANGES,
    },
    {
        "group": "CITEL",
        "user": "citel-delegate",
        "document_number": "36",
        "addendum": 3,
        "title": "Proposed revision of Resolution 75",
        "abstract": (
            "CITEL proposes edits to Resolution 75 to align the text with Plenipotentiary Resolution 140 and UN "
            "General Assembly Resolution 70/125, and to update the provisions on CWG-Internet to reflect "
            "Resolution 102 and Council Resolution 1344."
        ),
        "introduction": (
            "The Outcome Document, UNGA Resolution 70/125, recognizes that ICTs have been and will continue to be "
            "a critical enabler of sustainable economic and social development."
        ),
        "reasons": "To align the WSIS provisions with Resolution 140 and UNGA Resolution 70/125.",
        "changes": CITEL_CHANGES,
    },
]


def load_demo_proposals(edition: Edition) -> list[str]:
    """The ATU and CITEL drafts on Res. 75, once each."""
    done = []
    conference, _ = Conference.objects.get_or_create(
        code="WTSA-24", defaults={"body": edition.resolution.body, "place": "New Delhi", "year": 2024}
    )
    for spec in DEMO_CONTRIBUTIONS:
        group = RegionalGroup.objects.get(code=spec["group"])
        if Contribution.objects.filter(conference=conference, group=group).exists():
            continue
        contribution = Contribution.objects.create(
            conference=conference,
            group=group,
            document_number=spec["document_number"],
            addendum=spec["addendum"],
            title=spec["title"],
            abstract=spec["abstract"],
            introduction=spec["introduction"],
        )
        proposal = Proposal.objects.create(
            contribution=contribution,
            number=1,
            action=Proposal.MOD,
            resolution=edition.resolution,
            base_edition=edition,
            reasons=spec["reasons"],
        )
        count = _apply(_user(spec["user"]), proposal, edition, spec["changes"])
        done.append(f"drafted {proposal.label} with {count} changes")
    return done


def load_rcc_proposal(edition: Edition) -> list[str]:
    """RCC's draft on WTDC Res. 30 (Rev. Dubai, 2014), derived clause by clause from the RCC seed."""
    from drafting.demo.rcc import proposed_text
    from drafting.engine.derive import derive_amendments
    from drafting.engine.parse import parse_resolution
    from drafting.reading import edition_tree

    conference, _ = Conference.objects.get_or_create(
        code="WTDC-17", defaults={"body": edition.resolution.body, "place": "Buenos Aires", "year": 2017}
    )
    rcc = RegionalGroup.objects.get(code="RCC")
    if Contribution.objects.filter(conference=conference, group=rcc).exists():
        return []
    contribution = Contribution.objects.create(
        conference=conference,
        group=rcc,
        document_number="23",
        addendum=15,
        title="Draft revision of Resolution 30",
        abstract=(
            "The present document contains a draft revision to Resolution 30, on the role of ITU in implementing the "
            "outcomes of WSIS and the overall review by the United Nations General Assembly of their implementation."
        ),
        introduction="The proposed modifications are based on UNGA Resolutions 70/1 and 70/125, Council-16 Resolution 1332 and material from the WSIS Forums.",
    )
    proposal = Proposal.objects.create(
        contribution=contribution,
        number=1,
        action=Proposal.MOD,
        resolution=edition.resolution,
        base_edition=edition,
        reasons="To bring Resolution 30 into line with UNGA Resolutions 70/1 and 70/125 and Council Resolution 1332.",
    )
    amendments = derive_amendments(edition_tree(edition), parse_resolution(proposed_text()))
    count = apply_derived(_user("rcc-delegate"), proposal, amendments)
    return [f"drafted {proposal.label} with {count} changes"]
