"""Registering and changing volunteers: one person, one identity; errors beside the fields."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import YUEHAI_VILLAGE
from wushe.audit.models import AuditEntry
from wushe.people import roles
from wushe.people.tests.filing import ZHANG_ID, file_zhang
from wushe.volunteers.choices import Status
from wushe.volunteers.models import Volunteer
from wushe.volunteers.services import volunteer_invite, volunteer_update
from wushe.volunteers.tests.sample import (
    CHEN_ID,
    WANG_ID,
    WANG_PHONE,
    assert_no_secrets,
    register_chen,
    register_wang,
    skill,
    village,
)


def test_it_registers_a_volunteer_with_derived_fields_and_a_number(yuehai_manager):
    wang = register_wang(yuehai_manager)
    wang.refresh_from_db()
    assert wang.number == f"V{YUEHAI_VILLAGE}00001"
    assert wang.gender == "male" and wang.birth_date == date(1990, 3, 4)
    assert wang.name_pinyin == "wangzhiqiang" and wang.name_initials == "wzq"
    assert wang.id_number == WANG_ID and wang.phone == WANG_PHONE
    assert {s.code for s in wang.skills.all()} == {"visiting", "digital"}
    assert wang.capacity == 2 and wang.radius_km == 3 and wang.status == Status.ACTIVE
    assert wang.registered_by == yuehai_manager and wang.resident is None


def test_numbers_follow_each_other_within_a_village(nanshan_admin):
    first = register_wang(nanshan_admin)
    second = register_chen(nanshan_admin, code=YUEHAI_VILLAGE)
    assert second.number == first.number[:-5] + "00002"


def test_the_database_holds_no_plaintext_number_and_the_audit_log_is_masked(yuehai_manager):
    from django.db import connection

    wang = register_wang(yuehai_manager)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM volunteers_volunteer WHERE id = %s", [wang.pk])
        stored = " ".join(cursor.fetchone())
    assert_no_secrets(stored)
    entry = AuditEntry.objects.filter(object_type="volunteers.volunteer").get()
    assert_no_secrets(str(entry.changes))
    assert entry.changes["id_number"][1].startswith("440305")


def test_one_person_is_one_volunteer_here_and_elsewhere(yuehai_manager, shekou_worker):
    register_wang(yuehai_manager)
    with pytest.raises(ValidationError) as here:
        register_wang(yuehai_manager, name="王志强二")
    assert here.value.error_dict["id_number"][0].code == "already_registered"
    with pytest.raises(ValidationError) as elsewhere:
        register_wang(shekou_worker, region=village("440305005001"))
    assert elsewhere.value.error_dict["id_number"][0].code == "registered_elsewhere"
    assert "科技园" not in str(elsewhere.value)
    assert Volunteer.objects.count() == 1


def test_a_filed_resident_becomes_a_volunteer_without_a_second_file(nanshan_admin):
    zhang = file_zhang(nanshan_admin)
    volunteer = register_wang(nanshan_admin, name=zhang.name, id_number=ZHANG_ID)
    assert volunteer.resident == zhang and volunteer.id_hash == zhang.id_hash
    assert roles.roles_held(zhang.id_hash) == {"resident", "volunteer"}
    from wushe.people.models import Resident

    assert Resident.objects.filter(id_hash=zhang.id_hash).count() == 1


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(yuehai_manager):
    with pytest.raises(ValidationError) as error:
        register_wang(
            yuehai_manager,
            name="",
            id_number="440305199003041234",
            phone="12345",
            region=village("440305007000"),
            latitude="91",
            longitude="114",
            capacity=8,
            availability=1 << 21,
        )
    fields = set(error.value.error_dict)
    assert {
        "name",
        "id_number",
        "phone",
        "region",
        "latitude",
        "capacity",
        "availability",
    } <= fields
    assert Volunteer.objects.count() == 0


def test_coordinates_come_in_pairs_inside_china(yuehai_manager):
    with pytest.raises(ValidationError) as error:
        register_wang(yuehai_manager, latitude="22.54")
    assert "longitude" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        register_wang(yuehai_manager, latitude="114.05", longitude="22.54")  # swapped
    assert {"latitude", "longitude"} <= set(error.value.error_dict)
    wang = register_wang(yuehai_manager, latitude="22.54", longitude="113.95")
    assert wang.has_position


def test_a_village_outside_the_actor_is_no_such_region(yuehai_manager, futian_admin):
    with pytest.raises(ValidationError) as error:
        register_wang(yuehai_manager, region=village("440305005001"))
    assert error.value.error_dict["region"]
    with pytest.raises(ValidationError):
        register_wang(futian_admin)


def test_an_auditor_registers_nothing(nanshan_auditor):
    with pytest.raises(PermissionDenied):
        register_wang(nanshan_auditor)


def test_an_update_keeps_the_numbers_and_audits_masked_changes(yuehai_manager):
    wang = register_wang(yuehai_manager)
    volunteer_update(
        actor=yuehai_manager,
        volunteer=wang,
        phone="13711112222",
        capacity=5,
        status=Status.SUSPENDED,
        skills=[skill("repairs")],
    )
    wang.refresh_from_db()
    assert wang.phone == "13711112222" and wang.capacity == 5
    assert wang.id_number == WANG_ID and wang.number.endswith("00001")
    assert [s.code for s in wang.skills.all()] == ["repairs"]
    change = AuditEntry.objects.filter(action="update").get()
    assert set(change.changes) == {"phone", "capacity", "status", "skills"}
    assert "13711112222" not in str(change.changes)


def test_a_retired_skill_cannot_be_given_but_stays_with_those_who_have_it(yuehai_manager):
    wang = register_wang(yuehai_manager)
    digital = skill("digital")
    digital.active = False
    digital.save()
    with pytest.raises(ValidationError) as error:
        register_chen(yuehai_manager, code=YUEHAI_VILLAGE, skills=[digital])
    assert "skills" in error.value.error_dict
    volunteer_update(actor=yuehai_manager, volunteer=wang, capacity=3)
    volunteer_update(actor=yuehai_manager, volunteer=wang, skills=list(wang.skills.all()))
    assert digital in wang.skills.all()


def test_an_invited_volunteer_gets_a_confined_account(yuehai_manager):
    wang = register_wang(yuehai_manager)
    user = volunteer_invite(
        actor=yuehai_manager, volunteer=wang, username="wangzq", password="a long pass phrase 9"
    )
    wang.refresh_from_db()
    assert wang.user == user and user.is_volunteer and user.region_id == YUEHAI_VILLAGE
    assert user.check_password("a long pass phrase 9")
    with pytest.raises(ValidationError) as error:
        volunteer_invite(actor=yuehai_manager, volunteer=wang, username="w2", password="x")
    assert "username" in error.value.error_dict


def test_an_invitation_with_a_taken_name_or_weak_password_writes_nothing(yuehai_manager):
    wang = register_wang(yuehai_manager)
    chen = register_chen(yuehai_manager, code=YUEHAI_VILLAGE)
    with pytest.raises(ValidationError) as error:
        volunteer_invite(
            actor=yuehai_manager, volunteer=wang, username="yuehai_manager", password="1"
        )
    assert {"username", "password"} <= set(error.value.error_dict)
    wang.refresh_from_db()
    assert wang.user is None
    assert chen.id_number == CHEN_ID
