"""``wushe audit verify`` names the first entry that was altered or removed in SQL."""

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection

from conftest import YUEHAI, YUEHAI_VILLAGE
from wushe.audit.models import AuditEntry
from wushe.regions.choices import SiteKind
from wushe.regions.models import Region
from wushe.regions.services import site_create, site_delete, site_update

pytestmark = pytest.mark.django_db
TABLE = AuditEntry._meta.db_table


@pytest.fixture
def history(nanshan_admin, yuehai_manager) -> list[int]:
    """Five audited changes made through the services; returns their sequence numbers."""
    station = site_create(
        actor=nanshan_admin,
        name="粤海街道社工站",
        kind=SiteKind.STATION,
        region=Region.objects.get(code=YUEHAI),
    )
    site_update(actor=yuehai_manager, site=station, address="粤海街道党群服务中心")
    site_update(actor=nanshan_admin, site=station, status="operating", floor_area=320)
    room = site_create(
        actor=nanshan_admin,
        name="粤海社区社工室",
        kind=SiteKind.ROOM,
        region=Region.objects.get(code=YUEHAI_VILLAGE),
    )
    site_delete(actor=nanshan_admin, site=room)
    return list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))


def run_verify() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit:
        return exit.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def execute(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_it_reports_an_intact_chain(history):
    assert len(history) == 5
    assert run_verify() == (0, "audit chain OK: 5 entries\n")


def test_an_empty_log_is_intact():
    assert run_verify() == (0, "audit chain OK: 0 entries\n")


@pytest.mark.parametrize(
    "assignment",
    ["object_repr = 'renamed'", "actor_name = 'someone else'", "success = NOT success"],
)
def test_it_names_an_entry_altered_in_sql(history, assignment):
    execute(f"UPDATE {TABLE} SET {assignment} WHERE seq = %s", history[2])
    code, output = run_verify()
    assert code == 1
    assert output.strip() == f"audit chain BROKEN at entry #{history[2]}: " + (
        f"entry #{history[2]} was altered"
    )


def test_it_names_an_entry_whose_changes_were_rewritten(history):
    execute(
        f"UPDATE {TABLE} SET changes = %s WHERE seq = %s", '{"address": [null, "x"]}', history[1]
    )
    code, output = run_verify()
    assert (code, output.split(":")[0]) == (1, f"audit chain BROKEN at entry #{history[1]}")


def test_it_names_an_entry_deleted_from_the_middle(history):
    execute(f"DELETE FROM {TABLE} WHERE seq = %s", history[1])
    code, output = run_verify()
    assert code == 1
    assert output.startswith(f"audit chain BROKEN at entry #{history[1]}: ")
    assert "missing" in output


def test_it_names_the_newest_entry_when_it_is_deleted(history):
    execute(f"DELETE FROM {TABLE} WHERE seq = %s", history[-1])
    code, output = run_verify()
    assert code == 1
    assert output.startswith(f"audit chain BROKEN at entry #{history[-1]}: ")
    assert "removed" in output


def test_a_forged_entry_rehashed_without_its_successor_is_caught_at_the_next_one(history):
    from wushe.audit.chain import entry_digest

    forged = AuditEntry.objects.get(seq=history[1])
    forged.object_repr = "forged"
    new_hash = entry_digest(forged, forged.prev_hash)
    execute(
        f"UPDATE {TABLE} SET object_repr = 'forged', entry_hash = %s WHERE seq = %s",
        new_hash,
        history[1],
    )
    code, output = run_verify()
    assert (code, output.split(":")[0]) == (1, f"audit chain BROKEN at entry #{history[2]}")


def test_the_django_admin_cannot_change_or_delete_an_entry(client, nanshan_admin, history):
    if not admin.site.is_registered(AuditEntry):
        pytest.skip("AuditEntry is not registered in the admin yet")
    nanshan_admin.is_staff = nanshan_admin.is_superuser = True
    nanshan_admin.save()
    client.force_login(nanshan_admin)
    entry = AuditEntry.objects.get(seq=history[0])
    url = f"/admin/audit/auditentry/{entry.pk}"
    client.post(f"{url}/change/", {"object_repr": "changed", "action": "delete"})
    client.post(f"{url}/delete/", {"post": "yes"})
    client.post(
        "/admin/audit/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert client.get(f"{url}/delete/").status_code == 403
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == entry.object_repr
    assert AuditEntry.objects.count() >= len(history)
    assert run_verify()[0] == 0
