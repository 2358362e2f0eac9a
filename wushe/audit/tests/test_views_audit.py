import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wushe.audit.models import Action, AuditEntry
from wushe.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(cast, yuehai_station, futian_station):
    audit_record(
        actor=cast["nanshan_admin"],
        action=Action.UPDATE,
        obj=yuehai_station,
        changes={"name": ["旧名", "粤海街道社工站"]},
    )
    audit_record(
        actor=cast["shekou_worker"],
        action=Action.EXPORT,
        object_type="regions.site",
        region_code=cast["shekou_worker"].region_id,
        changes={"rows": 3},
    )
    audit_record(actor=cast["futian_admin"], action=Action.DELETE, obj=futian_station)


def shown(response) -> list[str]:
    """The entries listed, leaving out the login that force_login itself records."""
    page = response.context["page"]
    return [f"{e.actor_name}:{e.action}" for e in page if e.action != Action.LOGIN]


@pytest.mark.parametrize("who", ["nanshan_admin", "nanshan_auditor"])
def test_administrators_and_auditors_read_their_subtree(client, cast, entries, who):
    client.force_login(cast[who])
    response = client.get(reverse("audit:entry_list"))
    assert response.status_code == 200
    assert shown(response) == ["shekou_worker:export", "nanshan_admin:update"]
    body = response.content.decode()
    assert "审计日志" in body and "旧名 → 粤海街道社工站" in body
    assert "futian_admin" not in body


def test_futian_reads_only_futian(client, futian_admin, entries):
    client.force_login(futian_admin)
    assert shown(client.get(reverse("audit:entry_list"))) == ["futian_admin:delete"]


@pytest.mark.parametrize("who", ["yuehai_manager", "shekou_worker"])
def test_managers_and_workers_may_not_read_it(client, cast, entries, who):
    client.force_login(cast[who])
    response = client.get(reverse("audit:entry_list"))
    assert response.status_code == 403
    assert AuditEntry.objects.filter(actor=cast[who], success=False).exists()


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"action": Action.EXPORT}, ["shekou_worker:export"]),
        ({"actor": "NANSHAN"}, ["nanshan_admin:update"]),
        ({"object_type": "regions.site"}, ["shekou_worker:export", "nanshan_admin:update"]),
        (
            {"since": "2000-01-01", "until": "2999-12-31"},
            ["shekou_worker:export", "nanshan_admin:update"],
        ),
        ({"until": "2000-01-01"}, []),
    ],
)
def test_it_filters(client, nanshan_auditor, entries, params, expected):
    client.force_login(nanshan_auditor)
    assert shown(client.get(reverse("audit:entry_list"), params)) == expected


def test_a_date_range_of_today_finds_todays_entries(client, nanshan_auditor, entries):
    client.force_login(nanshan_auditor)
    today = timezone.localdate().isoformat()
    response = client.get(reverse("audit:entry_list"), {"since": today, "until": today})
    assert len(shown(response)) == 2
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.get(reverse("audit:entry_list"), {"until": yesterday})
    assert shown(response) == []


def test_a_bad_filter_is_shown_beside_the_field(client, nanshan_auditor, entries):
    client.force_login(nanshan_auditor)
    response = client.get(reverse("audit:entry_list"), {"since": "yesterday", "action": "burn"})
    assert response.status_code == 200
    assert response.context["filterset"].form.errors.keys() == {"since", "action"}


def test_the_page_offers_no_way_to_change_entries(client, nanshan_admin, entries):
    client.force_login(nanshan_admin)
    body = client.get(reverse("audit:entry_list")).content.decode()
    assert 'method="post"' not in body.split("<main>")[1]
    assert client.post(reverse("audit:entry_list")).status_code == 405


def test_it_speaks_english_once_chosen(client, nanshan_auditor, entries):
    client.force_login(nanshan_auditor)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("audit:entry_list")).content.decode()
    assert "Audit log" in body and "Export" in body
