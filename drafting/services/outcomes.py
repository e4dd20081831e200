"""What became of a group's proposal, named by what happened to its changes.

One definition for every page, the API and the exports: an outcome is a kind and the counts it is
read from, and its words say both ("partly adopted: 2 of 18 changes taken"). A proposal 16 of whose
18 changes were not taken is not "adopted with modifications".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy, ngettext

# What became of one change of a group's proposal.
TAKEN = "taken"
TAKEN_MODIFIED = "taken as modified"
NOT_TAKEN = "not taken"
PENDING = "pending"
# The words pages show for each (the values above are what the database and the API carry).
FATE_NAMES = {
    TAKEN: gettext_lazy("taken"),
    TAKEN_MODIFIED: gettext_lazy("taken as modified"),
    NOT_TAKEN: gettext_lazy("not taken"),
    PENDING: gettext_lazy("pending"),
}

# What became of a group's proposal as a whole.
ADOPTED = "adopted"  # every change taken as proposed
ADOPTED_MODIFIED = "adopted with modifications"  # every change taken, some as modified
PARTLY_ADOPTED = "partly adopted"  # some changes taken, some not
NOT_ADOPTED = "not adopted"  # no change taken
WITHDRAWN = "withdrawn"
NO_CHANGE = "no change proposed"
REPLACED = "replaced by a revision"

KINDS = (PENDING, ADOPTED, ADOPTED_MODIFIED, PARTLY_ADOPTED, NOT_ADOPTED, WITHDRAWN, NO_CHANGE, REPLACED)


@dataclass(frozen=True)
class Outcome:
    """A proposal's outcome: its kind and the counts of its changes it is read from."""

    kind: str
    proposed: int = 0  # changes the proposal makes
    taken: int = 0  # taken, as proposed or as modified
    modified: int = 0  # of those taken, taken as modified
    settled: int = 0  # decided so far (while pending)

    @property
    def text(self) -> str:
        """The outcome in words, the same wherever it is shown."""
        n = self.proposed
        if self.kind == ADOPTED:
            return ngettext("adopted: its one change taken", "adopted: all %(n)d changes taken", n) % {"n": n}
        if self.kind == ADOPTED_MODIFIED:
            return ngettext(
                "adopted with modifications: its one change taken as modified",
                "adopted with modifications: all %(n)d changes taken, %(modified)d as modified",
                n,
            ) % {"n": n, "modified": self.modified}
        if self.kind == PARTLY_ADOPTED:
            return ngettext(
                "partly adopted: %(taken)d of %(n)d change taken",
                "partly adopted: %(taken)d of %(n)d changes taken",
                n,
            ) % {"taken": self.taken, "n": n}
        if self.kind == NOT_ADOPTED:
            return ngettext(
                "not adopted: its one change not taken", "not adopted: none of its %(n)d changes taken", n
            ) % {"n": n}
        if self.kind == PENDING:
            return ngettext(
                "pending: %(settled)d of %(n)d change settled",
                "pending: %(settled)d of %(n)d changes settled",
                n,
            ) % {"settled": self.settled, "n": n}
        return {
            WITHDRAWN: gettext("withdrawn"),
            NO_CHANGE: gettext("no change proposed"),
            REPLACED: gettext("replaced by a revision"),
        }.get(self.kind, self.kind)

    def __str__(self) -> str:
        return self.text

    def as_dict(self) -> dict:
        """The outcome as the API gives it."""
        return {
            "outcome": self.kind,
            "outcome_text": self.text,
            "changes_proposed": self.proposed,
            "changes_taken": self.taken,
        }


def outcome_of(fates: Iterable) -> Outcome:
    """A proposal's outcome from the fates of its changes (each a Fate, or its fate's name)."""
    kinds = [getattr(f, "fate", f) for f in fates]
    n = len(kinds)
    if not n:
        return Outcome(NO_CHANGE)
    taken = sum(1 for k in kinds if k in (TAKEN, TAKEN_MODIFIED))
    modified = sum(1 for k in kinds if k == TAKEN_MODIFIED)
    pending = sum(1 for k in kinds if k == PENDING)
    if pending:
        return Outcome(PENDING, n, taken, modified, settled=n - pending)
    if taken == n:
        return Outcome(ADOPTED_MODIFIED if modified else ADOPTED, n, taken, modified, n)
    if taken == 0:
        return Outcome(NOT_ADOPTED, n, 0, 0, n)
    return Outcome(PARTLY_ADOPTED, n, taken, modified, n)


def withdrawn() -> Outcome:
    return Outcome(WITHDRAWN)


def replaced() -> Outcome:
    return Outcome(REPLACED)
