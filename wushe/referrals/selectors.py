"""Reading referrals and transfer requests, always from ``visible_to(user)`` first: the
sending side and the receiving (or holding) side each see a row; nobody else does."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from wushe.accounts.models import User
from wushe.audit.services import audit_view
from wushe.casework.models import Case, CaseRecord
from wushe.people.models import Resident
from wushe.referrals import rules
from wushe.referrals.models import Referral, TransferRequest
from wushe.regions import codes
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import Level
from wushe.regions.models import Site


def referral_list(*, user: User) -> QuerySet[Referral]:
    return Referral.objects.visible_to(user).select_related(
        "case__resident", "from_station", "to_station", "created_by", "decided_by"
    )


def referral_outgoing(*, user: User) -> QuerySet[Referral]:
    """Referrals sent from the user's subtree."""
    return referral_list(user=user).within(user.scope_range)


def referral_incoming(*, user: User) -> QuerySet[Referral]:
    """Referrals to a station in the user's subtree."""
    return referral_list(user=user).other_side_within(user.scope_range)


def transfer_list(*, user: User) -> QuerySet[TransferRequest]:
    return TransferRequest.objects.visible_to(user).select_related(
        "region", "station", "requested_by", "decided_by"
    )


def transfer_outgoing(*, user: User) -> QuerySet[TransferRequest]:
    """Requests made for villages in the user's subtree."""
    return transfer_list(user=user).within(user.scope_range)


def transfer_incoming(*, user: User) -> QuerySet[TransferRequest]:
    """Requests for files held in the user's subtree."""
    return transfer_list(user=user).other_side_within(user.scope_range)


def residents_by_hash(*, user: User, hashes) -> dict[str, Resident]:
    """The files behind some requests, those the user may see only (one query). A requester
    gets nothing here until the file is theirs."""
    residents = Resident.objects.visible_to(user).filter(id_hash__in=set(hashes))
    return {
        resident.id_hash: resident for resident in residents.select_related("region", "station")
    }


def station_choices(*, user: User, case: Case | None = None) -> QuerySet[Site]:
    """Stations a case may be referred to from the page: those of the user's city (or of the
    user's own subtree, if wider), less the ones holding ``case``. The API takes any station
    by its id."""
    region = user.region
    if region.level >= Level.CITY:
        code_range = codes.subtree_range(region.code, Level.CITY)
    else:
        code_range = user.scope_range
    low, high = code_range
    stations = (
        Site.objects.filter(kind=SiteKind.STATION, region_id__gte=low, region_id__lte=high)
        .exclude(status=SiteStatus.CLOSED)
        .select_related("region")
        .order_by("region_id")
    )
    if case is not None:
        holding = {rules.township_of(case.region_code), rules.township_of(case.resident.region_id)}
        stations = stations.exclude(region_id__in=holding)
    return stations


@dataclass
class CaseHistory:
    """What a referral page shows of the referred case: the case, its service records and
    every referral it has had (the case history follows the person)."""

    case: Case
    records: list[CaseRecord] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)


def referral_case_history(*, user: User, referral: Referral) -> CaseHistory | None:
    """The referred case for a user who may read it through this referral (see
    ``rules.can_read_case``), recorded as a view; None for anyone else."""
    if not rules.can_read_case(user, referral):
        return None
    case = referral.case
    audit_view(actor=user, obj=case, what=f"through referral {referral.pk}")
    records = list(CaseRecord.objects.filter(case=case).select_related("worker"))
    referrals = list(
        Referral.objects.filter(case=case).select_related("from_station", "to_station")
    )
    return CaseHistory(case=case, records=records, referrals=referrals)
