"""Who works in the tool: regional groups and their members.

Roles (delegate, coordinator, secretariat, observer) are Django groups, so that
permissions can be granted per role; membership of a regional group is here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

DELEGATES = "Delegates"
COORDINATORS = "Coordinators"
SECRETARIAT = "Secretariat"
OBSERVERS = "Observers"
ROLES = [DELEGATES, COORDINATORS, SECRETARIAT, OBSERVERS]


class RegionalGroup(models.Model):
    """A regional group (CITEL, ATU, RCC, APT, CEPT, ASMG) or a single Member State."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    region = models.CharField(max_length=100, blank=True)
    proposal_prefix = models.CharField(
        max_length=16, help_text='Prefix of its proposal numbers: "ATU" in "MOD ATU/35A18/1".'
    )
    is_member_state = models.BooleanField(default=False)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="regional_groups", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["is_member_state", "code"]

    def __str__(self) -> str:
        return self.code
