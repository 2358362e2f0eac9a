import pytest
from django.db import connection

from conftest import YUEHAI
from wushe.audit import chain
from wushe.audit.context import client_ip
from wushe.audit.models import Action, AuditEntry, AuditHead
from wushe.audit.services import audit_record, audit_view, field_changes, mask

pytestmark = pytest.mark.django_db


def verify():
    return chain.verify_chain(AuditEntry.objects.order_by("seq"), AuditHead.objects.get(id=1))


def test_each_entry_carries_the_hash_of_the_one_before(nanshan_admin, yuehai_station):
    first = audit_view(actor=nanshan_admin, obj=yuehai_station)
    second = audit_view(actor=nanshan_admin, obj=yuehai_station)
    assert first.prev_hash == chain.GENESIS
    assert second.prev_hash == first.entry_hash
    assert second.seq == first.seq + 1
    assert verify().ok


def test_a_view_is_one_call_and_is_scoped_by_the_objects_region(nanshan_admin, yuehai_station):
    entry = audit_view(actor=nanshan_admin, obj=yuehai_station, what="file")
    assert (entry.action, entry.object_type, entry.region_code) == (
        Action.VIEW,
        "regions.site",
        YUEHAI,
    )
    assert AuditEntry.objects.visible_to(nanshan_admin).filter(pk=entry.pk).exists()


def test_entries_are_scoped_to_the_subtree(nanshan_admin, futian_admin, yuehai_station):
    audit_view(actor=nanshan_admin, obj=yuehai_station)
    assert not AuditEntry.objects.visible_to(futian_admin).filter(object_type="regions.site")


def test_the_hash_survives_a_round_trip_through_the_database(nanshan_admin, yuehai_station):
    token = client_ip.set("::ffff:10.0.0.1")
    try:
        audit_record(
            actor=nanshan_admin,
            action=Action.UPDATE,
            obj=yuehai_station,
            changes={"name": ["旧", "新"], "floor_area": [None, "12.5"]},
        )
    finally:
        client_ip.reset(token)
    assert verify().ok


def test_an_altered_entry_is_named(nanshan_admin, yuehai_station):
    for _ in range(3):
        audit_view(actor=nanshan_admin, obj=yuehai_station)
    second = AuditEntry.objects.get(seq=2)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["mallory", second.pk]
        )
    report = verify()
    assert report.first_bad_seq == 2
    assert "altered" in report.problem


def test_a_removed_entry_is_named(nanshan_admin, yuehai_station):
    for _ in range(3):
        audit_view(actor=nanshan_admin, obj=yuehai_station)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 2")
    report = verify()
    assert report.first_bad_seq == 2
    assert "missing" in report.problem


def test_removing_the_newest_entry_is_noticed(nanshan_admin, yuehai_station):
    for _ in range(3):
        audit_view(actor=nanshan_admin, obj=yuehai_station)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 3")
    report = verify()
    assert not report.ok
    assert report.first_bad_seq == 3


def test_personal_fields_are_masked_in_changes():
    changes = field_changes(
        {"phone": "13812345678", "name": "张三"},
        {"phone": "13987654321", "name": "张三"},
        personal={"phone"},
    )
    assert changes == {"phone": ["138****5678", "139****4321"]}
    assert mask("110101199003071234") == "110***********1234"
