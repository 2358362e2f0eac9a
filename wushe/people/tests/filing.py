"""Sample files for the page and API tests of residents, and the checks that no full ID number
or phone leaks into a page, a link, an export or the audit log."""

from __future__ import annotations

import re
from datetime import date

from conftest import YUEHAI_VILLAGE
from wushe.audit.models import AuditEntry
from wushe.people.choices import Category, ConsentGiver, ConsentMethod
from wushe.people.identity import make_id_number
from wushe.people.models import Resident
from wushe.people.services import resident_file
from wushe.regions.models import Region

SHEKOU_VILLAGE = "440305005001"
ZHANG_ID = make_id_number("440305", date(1940, 5, 6), "013")  # a man of 80+: 高龄
ZHANG_PHONE = "13812345678"
LI_ID = make_id_number("440305", date(1985, 7, 9), "024")  # a woman
LI_PHONE = "13987654321"
GUARDIAN_PHONE = "13711112222"
SECRETS = (ZHANG_ID, ZHANG_PHONE, LI_ID, LI_PHONE, GUARDIAN_PHONE)

CONSENT = {
    "given_by": ConsentGiver.SELF,
    "giver_name": "张三丰",
    "method": ConsentMethod.WRITTEN,
    "text_version": "2026-1",
    "given_on": date(2026, 1, 5),
}


def village(code: str = YUEHAI_VILLAGE) -> Region:
    return Region.objects.get(code=code)


def file_zhang(actor, **fields) -> Resident:
    """张三丰 of 科技园社区 (粤海街道): 低保 and living alone, a guardian, no health notes."""
    values = {
        "name": "张三丰",
        "id_number": ZHANG_ID,
        "phone": ZHANG_PHONE,
        "region": village(),
        "categories": [Category.SUBSISTENCE, Category.LIVING_ALONE],
        "guardian_name": "张小明",
        "guardian_relation": "儿子",
        "guardian_phone": GUARDIAN_PHONE,
    }
    return resident_file(actor=actor, **{**values, **fields})


def file_li(actor, **fields) -> Resident:
    """李四娘 of a 蛇口 village: 低边, high risk."""
    values = {
        "name": "李四娘",
        "id_number": LI_ID,
        "phone": LI_PHONE,
        "region": village(SHEKOU_VILLAGE),
        "categories": [Category.NEAR_SUBSISTENCE],
        "risk_level": "high",
    }
    return resident_file(actor=actor, **{**values, **fields})


def assert_no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, "a full ID number or phone leaked"


LINK = re.compile(r'(?:href|action|hx-post|hx-get|src)="([^"]*)"')


def assert_links_hold_no_secrets(html: str) -> None:
    links = LINK.findall(html)
    assert links
    for link in links:
        assert not any(secret in link for secret in SECRETS), link


def assert_audit_holds_no_secrets() -> None:
    for entry in AuditEntry.objects.all():
        assert_no_secrets(repr(entry.changes) + entry.object_repr + entry.object_id)
