"""The drafting state walked at random by two delegates, a coordinator and an officer, through the services
and through the JSON API, against a plain model (``tests/drafting_model.py``).

A small budget for every suite run, on SQLite and on PostgreSQL; ``scripts/drafting_state_machine.py``
walks it longer. What it found became plain regression tests in ``tests/test_drafting_state_regressions.py``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from drafting.engine.tree import FRONT, PART
from tests import drafting_model as dm
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db

# Examples per run and steps per example: a few seconds per database in the suite; the script raises them.
EXAMPLES = int(os.environ.get("STATE_MACHINE_EXAMPLES", "6"))
STEPS = int(os.environ.get("STATE_MACHINE_STEPS", "25"))


@dataclass
class World:
    """What every run starts from: Res. 75 (Hammamet 2016) and a newer edition, the people, the pool."""

    people: dict
    edition: object
    newer: object
    pool: dict
    reworded: str  # the clause the newer edition rewords
    counter: int = 0

    def new_draft(self) -> tuple[int, int]:
        from drafting.models import Contribution, Proposal

        self.counter += 1
        contribution = Contribution.objects.create(
            conference=self.conference,
            group=self.group,
            document_number=str(20 + self.counter),
            addendum=1,
            title="Proposals on Resolution 75",
        )
        proposal = Proposal.objects.create(
            contribution=contribution,
            number=1,
            action=Proposal.MOD,
            resolution=self.edition.resolution,
            base_edition=self.edition,
            reasons="To bring it up to date.",
        )
        return contribution.pk, proposal.pk


def make_world() -> World:
    from drafting.models import Clause, Conference
    from drafting.models.library import front_key
    from drafting.models.people import COORDINATORS, DELEGATES, SECRETARIAT
    from drafting.services.library import import_text
    from tests.drafting_factories import base_edition, group, person

    edition = base_edition()
    seed = (SEEDS / "wtsa-res75-rev-hammamet-2016.txt").read_text(encoding="utf-8")
    newer = import_text(dm.newer_edition_text(seed), body_code="WTSA", number="75").edition
    rcc = group(dm.GROUP)
    people = {
        "d1": person("rcc-delegate-1", DELEGATES, rcc),
        "d2": person("rcc-delegate-2", DELEGATES, rcc),
        "coord": person("rcc-coordinator", COORDINATORS, rcc),
        "officer": person("officer", SECRETARIAT),
    }
    clauses = {
        c.anchor: c
        for c in Clause.objects.filter(edition=edition).select_related("provision", "parent__provision")
    }
    pool = {}
    for anchor in dm.POOL:
        c = clauses[anchor]
        key = str(c.provision.key)
        parent = str(c.parent.provision.key) if c.parent_id else None
        pool[key] = dm.Clause(key, c.kind, parent, c.heading if c.kind == PART else c.text)
    title = front_key(edition.resolution_id, "title")  # the title, a clause of the draft too
    pool = {title: dm.Clause(title, FRONT, None, edition.title), **pool}
    world = World(people, edition, newer, pool, str(clauses["noting-further"].children.get().provision.key))
    world.conference = Conference.objects.create(
        code="WTSA-24", body=edition.resolution.body, place="New Delhi", year=2024
    )
    world.group = rcc
    return world


def run(driver, examples: int = EXAMPLES, steps: int = STEPS) -> None:
    world = make_world()

    class Machine(dm.DraftingMachine):
        pass

    Machine.driver = driver
    Machine.world = world
    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            # STATE_MACHINE_SHRINK=0 reports the first failing walk as found (quicker while developing).
            phases=[Phase.explicit, Phase.reuse, Phase.generate]
            if os.environ.get("STATE_MACHINE_SHRINK") == "0"
            else list(Phase),
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.filter_too_much,
                HealthCheck.data_too_large,
            ],
        ),
    )


def test_the_drafting_state_through_the_services():
    run(dm.ServiceDriver)


def test_the_drafting_state_through_the_api():
    run(dm.ApiDriver, examples=max(2, EXAMPLES // 2))
