"""A synthetic conference day's data: the demo, six groups on Res. 75, drafts to edit, 1,000 delegates.

    DJANGO_SETTINGS_MODULE=drafting.settings python -m scripts.loadtest.conference OUT.json [--delegates N] [--storm M]

Writes OUT.json: what the simulated delegates open (proposals with their clause keys, the
submitted proposals, the consolidation and the clauses to settle, editions to read, comparisons,
library searches) and their usernames; M more accounts for the login storm. Res. 75 gets its
earlier edition (Rev. Dubai, 2012, rebuilt from the CITEL seed), so that its comparison is a real
one. Delegates are created in bulk with one precomputed password hash: hashing 1,000 passwords
one by one would take longer than the day being simulated.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

PASSWORD = "drafting-load"
GROUP_CODES = ["CITEL", "ATU", "RCC", "APT", "CEPT", "ASMG"]


def build(delegates: int, storm: int = 0) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from drafting.demo.load import load_demo
    from drafting.demo.synthetic import synthetic_proposals
    from drafting.models import (
        Clause,
        Conference,
        Consolidation,
        Contribution,
        Edition,
        Proposal,
        RegionalGroup,
        Resolution,
    )
    from drafting.models.people import DELEGATES
    from drafting.reading import latest_edition
    from drafting.services.consolidation import compile_consolidation
    from drafting.services.tokens import create_token

    load_demo()
    conference = Conference.objects.get(code="WTSA-24")
    res75 = Resolution.objects.get(body__code="WTSA", number="75")
    if res75.editions.count() < 2:
        # The edition before Hammamet, 2016: the compare page between the two is a real comparison.
        from drafting.demo import citel
        from drafting.services.library import import_text

        import_text(citel.base_text(), body_code="WTSA", number="75", source_name="CITEL seed (Dubai, 2012)")
    res1332 = Resolution.objects.get(body__code="Council", number="1332")
    base75, base1332 = latest_edition(res75), latest_edition(res1332)
    consolidation = Consolidation.objects.get(conference=conference, resolution=res75)
    # Six groups on Res. 75: the demo submitted ATU's and CITEL's; the other four submit theirs.
    submitted = set(
        Contribution.objects.filter(
            conference=conference, status="submitted", proposals__resolution=res75
        ).values_list("group__code", flat=True)
    )
    missing = [
        (c, RegionalGroup.objects.get(code=c).proposal_prefix) for c in GROUP_CODES if c not in submitted
    ]
    if missing:
        synthetic_proposals(base75, conference, groups=missing, tag="-load")

    # Each group's draft contribution, with MOD proposals on Res. 75 and Res. 1332, for delegates to edit.
    drafts = {}
    with transaction.atomic():
        for i, code in enumerate(GROUP_CODES):
            group = RegionalGroup.objects.get(code=code)
            contribution, _ = Contribution.objects.get_or_create(
                conference=conference,
                group=group,
                document_number=str(60 + i),
                addendum=1,
                revision=0,
                defaults={"title": "Proposals drafted on the day"},
            )
            proposals = []
            for number, edition in ((1, base75), (2, base1332)):
                proposal, _ = Proposal.objects.get_or_create(
                    contribution=contribution,
                    number=number,
                    defaults={
                        "action": Proposal.MOD,
                        "resolution": edition.resolution,
                        "base_edition": edition,
                    },
                )
                keys = [
                    str(k)
                    for k in Clause.objects.filter(edition=edition, kind="item")
                    .order_by("position")
                    .values_list("provision__key", flat=True)
                ]
                proposals.append({"id": proposal.pk, "keys": keys})
            drafts[code] = proposals

        # 1,000 delegates, spread over the six groups, with one precomputed hash (and the login storm's).
        role = Group.objects.get(name=DELEGATES)
        encoded = make_password(PASSWORD)
        names = [f"load-{n:04d}" for n in range(delegates + storm)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        User.objects.bulk_create(
            [
                User(username=name, password=encoded, first_name=name)
                for name in names
                if name not in existing
            ],
            batch_size=500,
        )
        users = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=pk, group_id=role.pk) for pk in users.values()],
            ignore_conflicts=True,
            batch_size=1000,
        )
        group_ids = dict(RegionalGroup.objects.values_list("code", "pk"))
        member_of = {name: GROUP_CODES[n % len(GROUP_CODES)] for n, name in enumerate(names)}
        RegionalGroup.members.through.objects.bulk_create(
            [
                RegionalGroup.members.through(
                    regionalgroup_id=group_ids[member_of[name]], user_id=users[name]
                )
                for name in names
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )

    secretariat = User.objects.get(username="secretariat")
    _, token = create_token(secretariat, f"load test {int(time.time())}")
    compilation = compile_consolidation(consolidation)
    to_settle = [row.key for row in compilation.rows if row.status != "unchanged"]
    editions = [
        e.get_absolute_url() for e in Edition.objects.select_related("resolution__body").order_by("pk")
    ]
    compares = [
        f"/resolutions/{r.body.code}/{r.slug}/compare/"
        for r in Resolution.objects.select_related("body").filter(editions__isnull=False).distinct()
        if r.editions.count() > 1
    ]
    submitted = list(
        Proposal.objects.filter(
            contribution__conference=conference, contribution__status="submitted", resolution=res75
        )
        .exclude(base_edition=None)
        .values_list("pk", flat=True)
    )
    return {
        "password": PASSWORD,
        "delegates": [{"username": n, "group": member_of[n]} for n in names[:delegates]],
        "storm": names[delegates:],
        "submitted": submitted,
        # Words and numbers people look for in the library.
        "searches": ["75", "1332", "internet", "development", "WSIS", "telecommunication standardization"],
        "drafts": drafts,
        "secretariat": {"username": "secretariat", "password": "drafting-demo", "token": token},
        "consolidation": {"id": consolidation.pk, "keys": to_settle, "groups": len(compilation.groups)},
        "editions": editions,
        "edition_res75": base75.get_absolute_url(),
        "compares": compares,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--delegates", type=int, default=1000)
    parser.add_argument("--storm", type=int, default=0, help="more accounts, for the login storm")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drafting.settings")
    import django

    django.setup()
    started = time.perf_counter()
    world = build(args.delegates, args.storm)
    args.out.write_text(json.dumps(world, indent=1))
    print(
        f"conference ready in {time.perf_counter() - started:.1f} s: {len(world['delegates'])} delegates "
        f"(and {len(world['storm'])} for the login storm), {sum(len(p) for p in world['drafts'].values())} "
        f"draft proposals, {len(world['submitted'])} submitted, {len(world['compares'])} comparisons, consolidation of "
        f"{world['consolidation']['groups']} groups with {len(world['consolidation']['keys'])} clauses to settle"
    )


if __name__ == "__main__":
    main()
