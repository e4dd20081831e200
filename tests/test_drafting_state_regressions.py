"""Walks the drafting state machine (tests/drafting_model.py) found failing, as plain regression tests.

Each test names the walk hypothesis shrank it to. The label set by hand that the consolidation did not
show is in tests/test_consolidation_labels.py.
"""

from __future__ import annotations

import pytest

from drafting.models.people import COORDINATORS, DELEGATES
from drafting.services import DomainError
from drafting.services.contributions import submit_contribution
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = pytest.mark.django_db


def test_the_coordinator_submitting_again_is_told_it_is_submitted_not_that_only_the_coordinator_may():
    # Walk: submit(), adopt(), submit(). The second submission answered 403 "Only the group's
    # coordinator can submit its contribution." to the coordinator.
    rcc = group("RCC")
    proposal = mod_proposal(base_edition(), rcc)
    coordinator = person("rcc-coordinator", COORDINATORS, rcc)
    submit_contribution(coordinator, proposal.contribution)
    with pytest.raises(DomainError) as again:
        submit_contribution(coordinator, proposal.contribution)
    assert again.value.status == 409 and "already been submitted" in again.value.message
    with pytest.raises(DomainError) as delegate:
        submit_contribution(person("rcc-delegate", DELEGATES, rcc), proposal.contribution)
    assert delegate.value.status == 403
