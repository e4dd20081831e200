"""Demo proposals rebuilt from the seed proposals, as real amendments against Res. 75 (Rev. Hammamet, 2016).

The seeds lost their revision marks (DOMAIN.md); each change here was read off
the glued text and entered the way a delegate would enter it.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from drafting.models import Clause, Conference, Contribution, Edition, Proposal, RegionalGroup
from drafting.services.drafting import add_clause, modify_clause, suppress_clause

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
]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _apply(user, proposal: Proposal, edition: Edition, changes) -> int:
    clauses = {c.anchor: c for c in Clause.objects.filter(edition=edition).select_related("provision")}
    done = 0
    for anchor, what, value in changes:
        key = str(clauses[anchor].provision.key)
        if what in ("heading", "text"):
            existing = proposal.amendments.filter(target__key=key, action="modify").first()
            modify_clause(user, proposal, key, value, expected_version=existing.version if existing else 0)
        elif what == "suppress":
            suppress_clause(user, proposal, key)
        else:
            add_clause(user, proposal, key, what, text=value)
        done += 1
    return done


def load_demo_proposals(edition: Edition) -> list[str]:
    """The ATU draft on Res. 75, once: a conference, a contribution, a MOD proposal and its amendments."""
    done = []
    conference, _ = Conference.objects.get_or_create(
        code="WTSA-24", defaults={"body": edition.resolution.body, "place": "New Delhi", "year": 2024}
    )
    atu = RegionalGroup.objects.get(code="ATU")
    if Contribution.objects.filter(conference=conference, group=atu).exists():
        return done
    contribution = Contribution.objects.create(
        conference=conference,
        group=atu,
        document_number="35",
        addendum=18,
        title="Proposed modifications to Resolution 75",
        abstract=(
            "ATU proposes to modify WTSA Resolution 75 to align with Council Resolution 1332, based on UNGA "
            "Resolution A/78/L.49, and to anticipate the General Assembly's overall review of WSIS in 2025."
        ),
        introduction="Outcomes of the WSIS+20 Forum High-Level Event 2024 call for the continuous relevance of the WSIS Action Lines.",
    )
    proposal = Proposal.objects.create(
        contribution=contribution,
        number=1,
        action=Proposal.MOD,
        resolution=edition.resolution,
        base_edition=edition,
        reasons="To align Resolution 75 with PP Resolution 140 (Rev. Bucharest, 2022) and Council Resolution 1332.",
    )
    count = _apply(_user("atu-delegate"), proposal, edition, ATU_CHANGES)
    done.append(f"drafted {proposal.label} with {count} changes")
    return done
