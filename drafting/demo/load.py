"""The demo data: bodies, regional groups, demo logins for each role, and the seed base texts."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import transaction

from drafting.models import Body, Edition, RegionalGroup, Resolution
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, ROLES, SECRETARIAT
from drafting.reference import BODIES, GROUPS
from drafting.services.library import import_text

SEEDS = Path(__file__).resolve().parent / "seeds"
DEMO_PASSWORD = "drafting-demo"

BASE_TEXTS = [
    ("wtsa-res75-rev-hammamet-2016.txt", "WTSA", "75"),
    ("council-res1332.txt", "Council", "1332"),
]


def _user(username: str, first: str, last: str, role: str, group: RegionalGroup | None = None) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=role))
    if group is not None:
        group.members.add(user)
    return user


@transaction.atomic
def load_demo() -> list[str]:
    """Create what is missing; running it again changes nothing. Returns what it did."""
    done = []
    for order, (code, name) in enumerate(BODIES):
        Body.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    groups = {}
    for code, name, region, prefix in GROUPS:
        groups[code], _ = RegionalGroup.objects.get_or_create(
            code=code, defaults={"name": name, "region": region, "proposal_prefix": prefix}
        )
    for code, group in groups.items():
        slug = code.lower()
        _user(f"{slug}-delegate", code, "Delegate", DELEGATES, group)
        _user(f"{slug}-coordinator", code, "Coordinator", COORDINATORS, group)
    _user("secretariat", "Secretariat", "Officer", SECRETARIAT)
    _user("observer", "Observer", "", OBSERVERS)

    for filename, body, number in BASE_TEXTS:
        if Resolution.objects.filter(body__code=body, number=number, editions__isnull=False).exists():
            continue
        summary = import_text(
            (SEEDS / filename).read_text(encoding="utf-8"),
            body_code=body,
            number=number,
            source_name=filename,
        )
        done.append(
            f"imported {summary.edition.resolution} ({summary.edition.name}): {summary.edition.clause_count} clauses"
        )
    from drafting.demo.proposals import load_demo_proposals

    res75 = (
        Edition.objects.filter(resolution__body__code="WTSA", resolution__number="75")
        .order_by("year")
        .first()
    )
    if res75 is not None:
        done.extend(load_demo_proposals(res75))
    if not Resolution.objects.filter(body__code="WTDC", number="30", editions__isnull=False).exists():
        from drafting.demo.rcc import base_text

        summary = import_text(
            base_text(),
            body_code="WTDC",
            number="30",
            source_name="reconstructed from rcc-proposal-wtdc-res30.txt",
        )
        done.append(
            f"imported {summary.edition.resolution} ({summary.edition.name}), reconstructed from the RCC seed"
        )
    from drafting.demo.proposals import load_rcc_proposal

    res30 = (
        Edition.objects.filter(resolution__body__code="WTDC", resolution__number="30")
        .order_by("year")
        .first()
    )
    done.extend(load_rcc_proposal(res30))
    done.extend(_demo_consolidation())
    return done


def _demo_consolidation() -> list[str]:
    """ATU's and CITEL's contributions on Res. 75 submitted, and their consolidation opened for the secretariat."""
    from drafting.models import Conference, Consolidation, Contribution
    from drafting.services.consolidation import open_consolidation
    from drafting.services.contributions import submit_contribution

    conference = Conference.objects.filter(code="WTSA-24").first()
    res75 = Resolution.objects.filter(body__code="WTSA", number="75").first()
    if (
        conference is None
        or res75 is None
        or Consolidation.objects.filter(conference=conference, resolution=res75).exists()
    ):
        return []
    for code in ("ATU", "CITEL"):
        contribution = Contribution.objects.filter(
            conference=conference, group__code=code, status="draft"
        ).first()
        if contribution is not None:
            submit_contribution(User.objects.get(username=f"{code.lower()}-coordinator"), contribution)
    consolidation = open_consolidation(User.objects.get(username="secretariat"), conference, res75)
    return [f"submitted ATU's and CITEL's contributions; opened the consolidation of {consolidation}"]
