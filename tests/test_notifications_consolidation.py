"""Notifications from the consolidation: a clause of your proposal settled, your proposal's outcome at adoption.

On the demo consolidation of Res. 75 (ATU's and CITEL's submitted proposals).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from drafting.models import Notification
from drafting.services.notifications import send_quiet

pytestmark = pytest.mark.django_db


def told(user, kind: str | None = None) -> list[Notification]:
    found = Notification.objects.filter(user=user)
    return list(found.filter(kind=kind) if kind else found)


def test_a_clause_of_your_proposal_settled_is_told_to_the_group_gathered_per_proposal(
    demo_db, django_capture_on_commit_callbacks
):
    from drafting.models import Clause, Consolidation, Decision
    from drafting.services.consolidation import settle_clause

    consolidation = Consolidation.objects.get(resolution__number="75")
    officer = User.objects.get(username="secretariat")
    atu = User.objects.get(username="atu-delegate")
    citel = User.objects.get(username="citel-delegate")
    User.objects.update(email="")
    User.objects.filter(username__in=["atu-delegate", "citel-delegate"]).update(email="x@example.org")

    def key(anchor):
        return str(Clause.objects.get(edition=consolidation.base_edition, anchor=anchor).provision.key)

    with django_capture_on_commit_callbacks(execute=True):
        settle_clause(
            officer, consolidation, key("resolves-4"), Decision.GROUP, group="CITEL"
        )  # both changed it
        settle_clause(officer, consolidation, key("considering"), Decision.BASE)  # only ATU changed it
    atu_told = told(atu, Notification.SETTLED)
    (n,) = atu_told
    assert n.count == 2 and n.title.startswith("2 clauses of MOD ATU/35A18/1 settled by the secretariat")
    (c,) = told(citel, Notification.SETTLED)
    assert c.count == 1 and c.title.startswith("A clause of MOD IAP/36A3/1 settled by the secretariat: 4")
    assert not told(officer)
    assert not mail.outbox  # gathered: mailed once quiet
    assert send_quiet(timezone.now() + timedelta(minutes=11)) == 2
    assert {m.subject for m in mail.outbox} == {n.title, c.title}


def test_the_outcome_at_adoption_is_told_to_each_group(demo_db, django_capture_on_commit_callbacks):
    from drafting.models import Consolidation
    from drafting.services.consolidation import adopt

    consolidation = Consolidation.objects.get(resolution__number="75")
    officer = User.objects.get(username="secretariat")
    User.objects.filter(username__startswith="atu-").update(email="atu@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        adopt(officer, consolidation, leave_open_as_base=True)
    (n,) = told(User.objects.get(username="atu-coordinator"), Notification.OUTCOME)
    assert re.fullmatch(
        r"MOD ATU/35A18/1 at WTSA Resolution 75 \(Rev\. New Delhi, 2024\): not adopted: none of its 18 changes taken",
        n.title,
    )
    assert told(User.objects.get(username="citel-delegate"), Notification.OUTCOME)
    assert n.title in [m.subject for m in mail.outbox]
