"""The data model, split by domain area."""

from .access import ApiToken, Throttle
from .citations import Citation, UnSupersession
from .consolidation import Consolidation, Decision
from .documents import Export, ProposalUpload
from .drafting import Amendment, ClauseComment, ClauseVersion, Conference, Contribution, Proposal, Visit
from .library import Body, Clause, Edition, Footnote, Provision, Resolution
from .live import LiveEvent, LiveSessionEnd
from .notifications import DraftVisit, JobMark, Notification
from .people import MembershipChange, Profile, RegionalGroup, Registration, RegistrationUpload
from .rebase import RebaseConflict
from .undo import UndoableAction

__all__ = [
    "ApiToken",
    "Throttle",
    "Amendment",
    "Body",
    "Citation",
    "Clause",
    "ClauseComment",
    "ClauseVersion",
    "Conference",
    "Consolidation",
    "Contribution",
    "Decision",
    "Edition",
    "Export",
    "Footnote",
    "LiveEvent",
    "LiveSessionEnd",
    "DraftVisit",
    "JobMark",
    "Notification",
    "MembershipChange",
    "Profile",
    "Proposal",
    "ProposalUpload",
    "Provision",
    "RebaseConflict",
    "RegionalGroup",
    "Registration",
    "RegistrationUpload",
    "Resolution",
    "UnSupersession",
    "UndoableAction",
    "Visit",
]
