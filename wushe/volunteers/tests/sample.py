"""Sample volunteers for the tests, and the check that no full ID number or phone leaks."""

from __future__ import annotations

from datetime import date

from conftest import YUEHAI_VILLAGE
from wushe.people.identity import make_id_number
from wushe.regions.models import Region
from wushe.volunteers.models import Skill, Volunteer
from wushe.volunteers.services import volunteer_register

SHEKOU_VILLAGE = "440305005001"
FUTIAN_VILLAGE = "440304002016"
WANG_ID = make_id_number("440305", date(1990, 3, 4), "015")  # a man
WANG_PHONE = "13912345678"
CHEN_ID = make_id_number("440305", date(1972, 8, 9), "026")  # a woman
CHEN_PHONE = "13698765432"
SECRETS = (WANG_ID, WANG_PHONE, CHEN_ID, CHEN_PHONE)


def village(code: str = YUEHAI_VILLAGE) -> Region:
    return Region.objects.get(code=code)


def skill(code: str) -> Skill:
    return Skill.objects.get(code=code)


def register_wang(actor, **fields) -> Volunteer:
    """王志强 of 科技园社区 (粤海街道): visits and teaches phones, weekday mornings."""
    values = {
        "name": "王志强",
        "id_number": WANG_ID,
        "phone": WANG_PHONE,
        "region": village(),
        "availability": 0b001_001_001_001_001,  # Monday to Friday mornings
        "skills": [skill("visiting"), skill("digital")],
    }
    values.update(fields)
    return volunteer_register(actor=actor, **values)


def register_chen(actor, code: str = SHEKOU_VILLAGE, **fields) -> Volunteer:
    """陈秀英 of a village of 蛇口街道."""
    values = {
        "name": "陈秀英",
        "id_number": CHEN_ID,
        "phone": CHEN_PHONE,
        "region": village(code),
        "skills": [skill("meals")],
    }
    values.update(fields)
    return volunteer_register(actor=actor, **values)


def assert_no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret


PORTAL_PASSWORD = "a long pass phrase 9"


def served_and_invited(actor) -> tuple[Volunteer, Volunteer]:
    """王 and 陈, each with two hours served on 1 March 2026 and a portal account
    (``v<pk>``, ``PORTAL_PASSWORD``)."""
    from wushe.volunteers.ledger_services import service_record
    from wushe.volunteers.services import volunteer_invite

    wang, chen = register_wang(actor), register_chen(actor)
    for volunteer, what in ((wang, "王的探访"), (chen, "陈的送餐")):
        service_record(
            actor=actor, volunteer=volunteer, hours="2", occurred_on=date(2026, 3, 1), content=what
        )
        volunteer_invite(
            actor=actor, volunteer=volunteer, username=f"v{volunteer.pk}", password=PORTAL_PASSWORD
        )
    return wang, chen
