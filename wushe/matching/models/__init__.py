"""Models of the matching app: the three lists (``lists``) and matching runs (``runs``)."""

from wushe.matching.models.lists import (
    Need,
    OrganisationOffer,
    RegionPoint,
    ServiceProject,
)
from wushe.matching.models.runs import MatchRun, Proposal, Task, UnmetNeed

__all__ = [
    "MatchRun",
    "Need",
    "OrganisationOffer",
    "Proposal",
    "RegionPoint",
    "ServiceProject",
    "Task",
    "UnmetNeed",
]
