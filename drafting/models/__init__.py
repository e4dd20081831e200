"""The data model, split by domain area."""

from .library import Body, Clause, Edition, Footnote, Provision, Resolution
from .people import RegionalGroup

__all__ = ["Body", "Clause", "Edition", "Footnote", "Provision", "RegionalGroup", "Resolution"]
