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


@transaction.atomic
def load_rebase_example() -> list[str]:
    """Res. 75 (Rev. Dubai, 2012) rebuilt from the CITEL seed, and CITEL's draft proposal on it (WTSA-16).

    The proposal was written against Dubai 2012; the library's newest edition is Hammamet 2016, so
    its page offers to carry it over and shows what that would do. Safe to run twice.
    """
    from drafting.demo.citel import base_text, proposed_text
    from drafting.engine.derive import derive_amendments
    from drafting.engine.parse import parse_resolution
    from drafting.models import Conference, Contribution, Proposal
    from drafting.reading import edition_tree
    from drafting.services.amendments import apply_derived

    done = []
    resolution = Resolution.objects.get(body__code="WTSA", number="75")
    dubai = resolution.editions.filter(slug="dubai-2012").first()
    if dubai is None:
        dubai = import_text(
            base_text(),
            body_code="WTSA",
            number="75",
            source_name="rebuilt from citel-proposal-wtsa-res75.txt",
        ).edition
        done.append(f"imported {resolution} ({dubai.name}), rebuilt from the CITEL seed")
    conference, _ = Conference.objects.get_or_create(
        code="WTSA-16", defaults={"body": resolution.body, "place": "Hammamet", "year": 2016}
    )
    citel = RegionalGroup.objects.get(code="CITEL")
    if Contribution.objects.filter(conference=conference, group=citel).exists():
        return done
    contribution = Contribution.objects.create(
        conference=conference,
        group=citel,
        document_number="42",
        title="Proposed revision of Resolution 75",
        abstract="Edits to Resolution 75 (Rev. Dubai, 2012) to align it with Plenipotentiary Resolution 140 "
        "(Rev. Busan, 2014) and UN General Assembly Resolution 70/125.",
    )
    proposal = Proposal.objects.create(
        contribution=contribution,
        number=1,
        action=Proposal.MOD,
        resolution=resolution,
        base_edition=dubai,
        reasons="To align the WSIS provisions with Resolution 140 (Rev. Busan, 2014) and UNGA Resolution 70/125.",
    )
    amendments = derive_amendments(edition_tree(dubai), parse_resolution(proposed_text()))
    count = apply_derived(User.objects.get(username="citel-delegate"), proposal, amendments)
    done.append(f"drafted {proposal.label} on {dubai.name} with {count} changes (WTSA-16)")
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
