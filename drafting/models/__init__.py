"""The data model, split by domain area."""

from .consolidation import Consolidation, Decision
from .documents import Export, ProposalUpload
from .drafting import Amendment, ClauseComment, Conference, Contribution, Proposal
from .library import Body, Clause, Edition, Footnote, Provision, Resolution
from .people import RegionalGroup

__all__ = [
    "Amendment",
    "Body",
    "Clause",
    "ClauseComment",
    "Conference",
    "Consolidation",
    "Contribution",
    "Decision",
    "Edition",
    "Export",
    "Footnote",
    "Proposal",
    "ProposalUpload",
    "Provision",
    "RegionalGroup",
    "Resolution",
]
