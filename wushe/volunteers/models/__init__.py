"""Models of the volunteers app (志愿者): see each module."""

from wushe.volunteers.models.ledger import Certificate, LedgerEntry
from wushe.volunteers.models.people import Skill, Volunteer, VolunteerTeam
from wushe.volunteers.models.rules import PointsRule, StarRule

__all__ = [
    "Certificate",
    "LedgerEntry",
    "PointsRule",
    "Skill",
    "StarRule",
    "Volunteer",
    "VolunteerTeam",
]
