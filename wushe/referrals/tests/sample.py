"""Sample referral and transfer request for tests of other apps (the API fuzzing, say)."""

from __future__ import annotations

from datetime import date

from conftest import FUTIAN_VILLAGE, YUEHAI_VILLAGE
from wushe.casework.case_services import case_open
from wushe.people.identity import make_id_number
from wushe.people.services import resident_file
from wushe.referrals.models import Referral, TransferRequest
from wushe.referrals.services import referral_create
from wushe.referrals.transfers import transfer_request_create
from wushe.regions.models import Region, Site


def make_referral(actor, to_station: Site) -> Referral:
    """A case of a 科技园 resident, referred by ``actor`` to ``to_station``."""
    resident = resident_file(
        actor=actor,
        name="赵六",
        id_number=make_id_number("440305", date(1955, 6, 6), 661),
        region=Region.objects.get(code=YUEHAI_VILLAGE),
    )
    case = case_open(actor=actor, resident=resident, problem="需要转介")
    return referral_create(
        actor=actor, case=case, to_station=to_station, reason="转介原因", asked_for="跟进服务"
    )


def make_transfer(requester, holder) -> TransferRequest:
    """``holder`` files a person in 福田; ``requester`` asks for the file for 科技园 (粤海's
    station must exist)."""
    number = make_id_number("440304", date(1948, 8, 8), 882)
    resident_file(
        actor=holder, name="钱七", id_number=number, region=Region.objects.get(code=FUTIAN_VILLAGE)
    )
    return transfer_request_create(
        actor=requester,
        id_number=number,
        village=Region.objects.get(code=YUEHAI_VILLAGE),
        reason="已搬来居住",
    )
