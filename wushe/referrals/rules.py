"""Who may do what with a referral or a transfer request, and which station serves a place.
The services enforce these; pages and the API ask them only to decide which forms to show."""

from __future__ import annotations

from wushe.accounts.models import Role, User
from wushe.casework.scoping import can_see_work
from wushe.referrals.choices import ReferralStatus, TransferStatus
from wushe.referrals.models import Referral, TransferRequest
from wushe.regions import codes
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import Level
from wushe.regions.models import Site

WRITERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)
# A referral or a file is taken in by the people of a station, not by an administrator above it.
DECIDERS = (Role.MANAGER, Role.WORKER)
# While a station is asked to take a case in, and once it has, it reads the case's history.
CASE_OPEN_TO_RECEIVER = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)


def township_of(code: str) -> str:
    return codes.prefix(code, Level.TOWNSHIP).ljust(codes.CODE_LENGTH, "0")


def station_serving(code: str) -> Site | None:
    """The township station (not closed) of the township a village or township belongs to."""
    return (
        Site.objects.filter(kind=SiteKind.STATION, region_id=township_of(code))
        .exclude(status=SiteStatus.CLOSED)
        .first()
    )


def is_writer(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.role in WRITERS


def sees_sender_side(user: User, referral: Referral) -> bool:
    return user.can_see_code(referral.region_code)


def is_receiver(user: User, referral: Referral) -> bool:
    """A manager or worker of the station a referral is sent to."""
    return (
        not referral.to_a_department
        and user.role in DECIDERS
        and bool(referral.to_region_code)
        and user.can_see_code(referral.to_region_code)
    )


def can_decide_referral(user: User, referral: Referral) -> bool:
    return referral.status == ReferralStatus.PENDING and is_receiver(user, referral)


def records_department_answer(user: User, referral: Referral) -> bool:
    """The sending station records a department's answer."""
    return referral.to_a_department and is_writer(user) and sees_sender_side(user, referral)


def can_answer_referral(user: User, referral: Referral) -> bool:
    return referral.status == ReferralStatus.PENDING and records_department_answer(user, referral)


def can_read_case(user: User, referral: Referral) -> bool:
    """The sender reads the case it sent (it holds it: the case's region or the resident's
    village is in its subtree); the receiving station reads it while the referral is pending
    or accepted: the case history follows the person."""
    case = referral.case
    if can_see_work(user, case.region_code, case.resident):
        return True
    return (
        not referral.to_a_department
        and referral.status in CASE_OPEN_TO_RECEIVER
        and bool(referral.to_region_code)
        and user.can_see_code(referral.to_region_code)
    )


def holds_file(user: User, resident_region_code: str | None) -> bool:
    return bool(resident_region_code) and user.can_see_code(resident_region_code)


def is_holder(user: User, holder_code: str | None) -> bool:
    """A manager or worker of the station holding the file (its current village in their
    subtree)."""
    return user.role in DECIDERS and holds_file(user, holder_code)


def can_decide_transfer(user: User, transfer: TransferRequest, holder_code: str | None) -> bool:
    return transfer.status == TransferStatus.PENDING and is_holder(user, holder_code)
