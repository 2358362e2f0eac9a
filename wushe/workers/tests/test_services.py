"""Registering social workers and their trainings: rules, errors, audit, one person."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import FUTIAN_TOWNSHIP, SHEKOU, make_site
from wushe.audit.models import AuditEntry
from wushe.people import roles
from wushe.people.identity import mask_id_number
from wushe.people.services import id_hash_of
from wushe.people.tests.filing import file_zhang
from wushe.regions.choices import SiteKind
from wushe.workers.choices import CertificateLevel, Employment, WorkerStatus
from wushe.workers.models import SocialWorker, Training
from wushe.workers.services import (
    training_add,
    training_delete,
    worker_open,
    worker_register,
    worker_unmask,
    worker_update,
)
from wushe.workers.tests.sample import make_worker, worker_id_number

pytestmark = pytest.mark.django_db


def errors_of(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def test_it_registers_a_worker_with_numbers_encrypted_and_masked_in_the_log(
    yuehai_manager, yuehai_station
):
    worker = make_worker(yuehai_manager, yuehai_station, 1, id_number=" " + worker_id_number(1))
    assert worker.region_code == yuehai_station.region_id
    assert worker.id_hash == id_hash_of(worker_id_number(1))
    assert worker.gender == "male" if int(worker.id_number[16]) % 2 else "female"
    entry = AuditEntry.objects.get(object_type="workers.socialworker", action="create")
    assert worker_id_number(1) not in str(entry.changes)
    assert "13900130001" not in str(entry.changes)
    raw = SocialWorker.objects.filter(pk=worker.pk).values_list("id_number", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM workers_socialworker WHERE id = %s", [worker.pk])
        assert cursor.fetchone()[0] != worker_id_number(1)
    assert list(raw) == [worker_id_number(1)]


def test_it_lists_every_bad_field_at_once_and_writes_nothing(yuehai_manager, futian_station):
    errors = errors_of(
        worker_register,
        actor=yuehai_manager,
        name="",
        id_number="440305199001015999",
        phone="123",
        site=futian_station,
        certificate_level=CertificateLevel.INTERMEDIATE,
        certificate_year=2007,
        stars=6,
        joined_on=timezone.localdate() + timedelta(days=1),
    )
    assert set(errors) == {
        "name",
        "gender",  # not taken from an ID number that is refused
        "id_number",
        "phone",
        "site",
        "certificate_number",
        "certificate_year",
        "stars",
        "joined_on",
    }
    assert "2008" in errors["certificate_year"][0]
    assert not SocialWorker.objects.exists() and not AuditEntry.objects.exists()


def test_a_certificate_level_needs_number_and_year_and_none_needs_neither(
    yuehai_manager, yuehai_station
):
    errors = errors_of(
        make_worker,
        actor=yuehai_manager,
        site=yuehai_station,
        sequence=2,
        certificate_level=CertificateLevel.NONE,
        certificate_number="Z1",
        certificate_year=2020,
    )
    assert set(errors) == {"certificate_number", "certificate_year"}
    this_year = timezone.localdate().year
    errors = errors_of(
        make_worker,
        actor=yuehai_manager,
        site=yuehai_station,
        sequence=2,
        certificate_year=this_year + 1,
    )
    assert list(errors) == ["certificate_year"]
    senior = make_worker(
        yuehai_manager,
        yuehai_station,
        2,
        certificate_level=CertificateLevel.SENIOR,
        certificate_year=this_year,
    )
    assert senior.certified
    plain = make_worker(yuehai_manager, yuehai_station, 3, certificate_level=CertificateLevel.NONE)
    assert not plain.certified


def test_without_an_id_number_the_gender_is_required(yuehai_manager, yuehai_station):
    errors = errors_of(
        make_worker, actor=yuehai_manager, site=yuehai_station, sequence=4, id_number=""
    )
    assert list(errors) == ["gender"]
    worker = make_worker(yuehai_manager, yuehai_station, 4, id_number="", gender="female")
    assert worker.id_hash == "" and worker.id_number == ""
    # Several workers without an ID number do not clash.
    make_worker(yuehai_manager, yuehai_station, 5, id_number="", gender="male", phone="")


def test_the_gender_must_match_the_id_number(yuehai_manager, yuehai_station):
    number = worker_id_number(6)
    wrong = "female" if int(number[16]) % 2 else "male"
    errors = errors_of(
        make_worker, actor=yuehai_manager, site=yuehai_station, sequence=6, gender=wrong
    )
    assert list(errors) == ["gender"]


def test_one_person_is_one_social_worker_and_shares_the_residents_hash(
    nanshan_admin, yuehai_station, yuehai_room
):
    resident = file_zhang(nanshan_admin)
    worker = make_worker(nanshan_admin, yuehai_station, 7, id_number=resident.id_number)
    assert roles.roles_held(resident.id_hash) >= {"resident", "social_worker"}
    assert roles.roles_visible(resident.id_hash, nanshan_admin)["social_worker"] == [worker]
    errors = errors_of(
        make_worker, actor=nanshan_admin, site=yuehai_room, sequence=8, id_number=resident.id_number
    )
    assert list(errors) == ["id_number"]


def test_leaving_needs_a_date_and_the_left_status(yuehai_manager, yuehai_station):
    worker = make_worker(yuehai_manager, yuehai_station, 9)
    errors = errors_of(worker_update, actor=yuehai_manager, worker=worker, status="left")
    assert list(errors) == ["left_on"]
    worker.refresh_from_db()
    errors = errors_of(worker_update, actor=yuehai_manager, worker=worker, left_on=date(2024, 1, 1))
    assert list(errors) == ["status"]
    worker.refresh_from_db()
    errors = errors_of(
        worker_update,
        actor=yuehai_manager,
        worker=worker,
        status="left",
        left_on=date(2020, 1, 1),
    )
    assert list(errors) == ["left_on"]
    worker.refresh_from_db()
    worker_update(
        actor=yuehai_manager, worker=worker, status=WorkerStatus.LEFT, left_on=date(2025, 6, 30)
    )
    worker.refresh_from_db()
    assert worker.status == "left" and worker.left_on == date(2025, 6, 30)


def test_an_update_keeps_numbers_not_given_and_moves_the_trainings(nanshan_admin, yuehai_station):
    worker = make_worker(nanshan_admin, yuehai_station, 10)
    training_add(
        actor=nanshan_admin,
        worker=worker,
        title="个案管理实务",
        held_on=date(2025, 4, 1),
        hours=Decimal("6.5"),
    )
    shekou = make_site(SHEKOU, SiteKind.STATION, "蛇口街道社工站")
    worker_update(actor=nanshan_admin, worker=worker, site=shekou, is_supervisor=True)
    worker.refresh_from_db()
    assert worker.id_number == worker_id_number(10) and worker.region_code == SHEKOU
    assert Training.objects.get().region_code == SHEKOU
    entry = AuditEntry.objects.filter(action="update").latest("seq")
    assert set(entry.changes) == {"site", "is_supervisor"}
    worker_update(actor=nanshan_admin, worker=worker, phone="")
    worker.refresh_from_db()
    assert worker.phone == "" and worker.phone_hash == ""


def test_only_managers_and_administrators_keep_the_register(
    shekou_worker, nanshan_auditor, yuehai_manager, yuehai_station
):
    for actor in (shekou_worker, nanshan_auditor):
        with pytest.raises(PermissionDenied):
            make_worker(actor, yuehai_station, 11)
    worker = make_worker(yuehai_manager, yuehai_station, 11)
    with pytest.raises(PermissionDenied):
        worker_update(actor=shekou_worker, worker=worker, stars=3)


def test_an_outsider_cannot_touch_a_worker(futian_admin, yuehai_manager, yuehai_station):
    worker = make_worker(yuehai_manager, yuehai_station, 12)
    errors = errors_of(worker_update, actor=futian_admin, worker=worker, stars=1)
    assert list(errors) == ["worker"]
    with pytest.raises(ValidationError):
        worker_unmask(actor=futian_admin, worker=worker, field="phone")
    with pytest.raises(ValidationError):
        training_add(
            actor=futian_admin, worker=worker, title="x", held_on=date(2025, 1, 1), hours=1
        )


def test_the_account_link_is_one_to_one_and_in_scope(
    nanshan_admin, yuehai_manager, shekou_worker, futian_admin, yuehai_station
):
    worker = make_worker(nanshan_admin, yuehai_station, 13, user=shekou_worker)
    assert shekou_worker.social_worker == worker
    errors = errors_of(
        make_worker, actor=nanshan_admin, site=yuehai_station, sequence=14, user=shekou_worker
    )
    assert list(errors) == ["user"]
    errors = errors_of(
        make_worker, actor=nanshan_admin, site=yuehai_station, sequence=14, user=futian_admin
    )
    assert list(errors) == ["user"]


def test_opening_and_unmasking_are_audited_views(
    yuehai_manager, shekou_worker, nanshan_auditor, nanshan_admin, yuehai_station
):
    worker = make_worker(yuehai_manager, yuehai_station, 15)
    worker_open(actor=nanshan_auditor, worker=worker)
    assert worker_unmask(actor=yuehai_manager, worker=worker, field="id_number") == (
        worker_id_number(15)
    )
    with pytest.raises(PermissionDenied):
        worker_unmask(actor=nanshan_auditor, worker=worker, field="phone")
    views = AuditEntry.objects.filter(action="view", object_type="workers.socialworker")
    assert [entry.changes["viewed"] for entry in views.order_by("seq")] == [
        "social worker",
        "unmask id_number",
    ]
    assert mask_id_number(worker.id_number) != worker.id_number


def test_trainings_need_positive_hours_and_a_past_date(
    shekou_worker, nanshan_auditor, nanshan_admin, yuehai_station
):
    worker = make_worker(nanshan_admin, yuehai_station, 16, employment=Employment.PART_TIME)
    base = {"actor": shekou_worker, "worker": worker, "title": "督导培训"}
    # A worker of 蛇口 cannot see a worker of 粤海.
    with pytest.raises(ValidationError):
        training_add(held_on=date(2025, 1, 1), hours=2, **base)
    base["actor"] = nanshan_admin
    for hours in (0, Decimal("-1"), Decimal("1000"), "abc"):
        assert list(errors_of(training_add, held_on=date(2025, 1, 1), hours=hours, **base)) == [
            "hours"
        ]
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert list(errors_of(training_add, held_on=tomorrow, hours=2, **base)) == ["held_on"]
    errors = errors_of(training_add, held_on=None, hours=2, **{**base, "title": " "})
    assert set(errors) == {"title", "held_on"}
    with pytest.raises(PermissionDenied):
        training_add(
            actor=nanshan_auditor, worker=worker, title="x", held_on=date(2025, 1, 1), hours=1
        )
    training = training_add(held_on=date(2025, 1, 1), hours=Decimal("3.5"), **base)
    assert Training.objects.count() == 1
    training_delete(actor=nanshan_admin, training=training)
    assert not Training.objects.exists()
    changes = AuditEntry.objects.filter(action="update").order_by("seq")
    assert [list(entry.changes) for entry in changes] == [["training"], ["training"]]


def test_a_worker_outside_the_county_cannot_be_placed_at_a_site_there(futian_admin, yuehai_station):
    futian_site = make_site(FUTIAN_TOWNSHIP, SiteKind.STATION, "园岭街道社工站")
    worker = make_worker(futian_admin, futian_site, 17)
    errors = errors_of(worker_update, actor=futian_admin, worker=worker, site=yuehai_station)
    assert list(errors) == ["site"]
