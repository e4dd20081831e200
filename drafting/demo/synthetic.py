"""Synthetic resolutions for benchmarks and size tests: real clauses, repeated."""

from __future__ import annotations

import copy
from pathlib import Path

from drafting.engine.parse import parse_resolution
from drafting.engine.printer import print_resolution

SEEDS = Path(__file__).resolve().parent / "seeds"


def synthetic_resolution_text(scale: int, seed: str = "wtsa-res75-rev-hammamet-2016.txt") -> str:
    """The seed resolution with its parts repeated ``scale`` times (scale=10: ten times its size)."""
    base = parse_resolution((SEEDS / seed).read_text(encoding="utf-8"))
    parts = base.clauses
    base.clauses = [copy.deepcopy(clause) for _ in range(scale) for clause in parts]
    base.number = f"9{scale:02d}"
    base.revision = f"Rev. Synthetic, {2000 + scale}"
    return print_resolution(base)


GROUPS = [("ATU", "ATU"), ("CITEL", "IAP"), ("RCC", "RCC"), ("APT", "ACP"), ("CEPT", "EUR"), ("ASMG", "ARB")]


def synthetic_proposals(edition, conference, groups=GROUPS, tag: str = ""):
    """Each group proposes three changes on ``edition`` (one clause every group changes) and submits them."""
    from django.contrib.auth.models import Group, User

    from drafting.models import Clause, Contribution, Proposal, RegionalGroup
    from drafting.models.people import COORDINATORS, DELEGATES
    from drafting.services.amendments import add_clause, modify_clause
    from drafting.services.contributions import submit_contribution

    items = list(
        Clause.objects.filter(edition=edition, kind="item").select_related("provision").order_by("position")
    )
    for i, (code, prefix) in enumerate(groups):
        group = RegionalGroup.objects.get_or_create(
            code=code, defaults={"name": code, "proposal_prefix": prefix}
        )[0]
        delegate = User.objects.create_user(f"{code.lower()}-d{tag}")
        delegate.groups.add(Group.objects.get_or_create(name=DELEGATES)[0])
        coordinator = User.objects.create_user(f"{code.lower()}-c{tag}")
        coordinator.groups.add(Group.objects.get_or_create(name=COORDINATORS)[0])
        group.members.add(delegate, coordinator)
        contribution = Contribution.objects.create(
            conference=conference, group=group, document_number=str(40 + i), title="Synthetic proposals"
        )
        proposal = Proposal.objects.create(
            contribution=contribution,
            number=1,
            action="MOD",
            resolution=edition.resolution,
            base_edition=edition,
        )
        modify_clause(delegate, proposal, str(items[0].provision.key), f"the text as {code} wants it;", 0)
        modify_clause(
            delegate, proposal, str(items[5 + i].provision.key), items[5 + i].text + f" ({code})", 0
        )
        add_clause(delegate, proposal, str(items[10].provision.key), "after", text=f"an item {code} adds")
        submit_contribution(coordinator, contribution)
