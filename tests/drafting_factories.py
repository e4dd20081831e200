"""Small factories for drafting tests: a conference, a contribution and a MOD proposal on Res. 75."""

from __future__ import annotations

from django.contrib.auth.models import Group, User

from drafting.models import Body, Conference, Contribution, Proposal, RegionalGroup
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT
from drafting.services.library import import_text
from tests.conftest import SEEDS


def base_edition():
    Body.objects.get_or_create(
        code="WTSA", defaults={"name": "World Telecommunication Standardization Assembly"}
    )
    text = (SEEDS / "wtsa-res75-rev-hammamet-2016.txt").read_text(encoding="utf-8")
    return import_text(text, body_code="WTSA", number="75").edition


def group(code: str = "ATU", prefix: str = "ATU") -> RegionalGroup:
    return RegionalGroup.objects.get_or_create(code=code, defaults={"name": code, "proposal_prefix": prefix})[
        0
    ]


def person(username: str, role: str, regional_group: RegionalGroup | None = None) -> User:
    user = User.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if regional_group is not None:
        regional_group.members.add(user)
    return user


def clause_keys(edition) -> dict[str, str]:
    """The edition's provision keys by clause anchor ("considering-a": "…")."""
    from drafting.models import Clause

    return {
        c.anchor: str(c.provision.key)
        for c in Clause.objects.filter(edition=edition).select_related("provision").order_by("position")
    }


def mod_proposal(edition, regional_group: RegionalGroup) -> Proposal:
    conference, _ = Conference.objects.get_or_create(
        code="WTSA-24", defaults={"body": edition.resolution.body, "place": "New Delhi", "year": 2024}
    )
    contribution = Contribution.objects.create(
        conference=conference,
        group=regional_group,
        document_number="35",
        addendum=18,
        title="Proposals on Resolution 75",
    )
    return Proposal.objects.create(
        contribution=contribution,
        number=1,
        action=Proposal.MOD,
        resolution=edition.resolution,
        base_edition=edition,
        reasons="Align with Council Resolution 1332.",
    )


ROLES = (DELEGATES, COORDINATORS, SECRETARIAT, OBSERVERS)


def writable_state() -> tuple:
    """Everything a request could write, counted, plus every version counter and status: a 4xx changes none of it."""
    from drafting.models import (
        Amendment,
        ClauseComment,
        Consolidation,
        Contribution,
        Decision,
        Edition,
        Export,
        Proposal,
        ProposalUpload,
    )

    return (
        Contribution.objects.count(),
        Proposal.objects.count(),
        Amendment.objects.count(),
        ClauseComment.objects.count(),
        Decision.objects.count(),
        Edition.objects.count(),
        Export.objects.count(),
        ProposalUpload.objects.count(),
        tuple(Proposal.objects.order_by("pk").values_list("version", flat=True)),
        tuple(Contribution.objects.order_by("pk").values_list("version", "status")),
        tuple(Consolidation.objects.order_by("pk").values_list("version", "status")),
    )
