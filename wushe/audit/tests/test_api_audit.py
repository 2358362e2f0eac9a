import pytest

from conftest import YUEHAI, make_user
from wushe.accounts.models import Role
from wushe.audit.models import Action, AuditEntry
from wushe.audit.services import audit_record, audit_view
from wushe.core.tests.api_client import token_client
from wushe.regions.choices import SiteKind
from wushe.regions.models import Region
from wushe.regions.services import site_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(nanshan_admin, futian_admin, futian_station):
    site_create(
        actor=nanshan_admin,
        name="粤海街道社工站",
        kind=SiteKind.STATION,
        region=Region.objects.get(code=YUEHAI),
    )
    audit_view(actor=futian_admin, obj=futian_station)


def actions(response) -> list[tuple[str, str]]:
    return [(row["actor_name"], row["action"]) for row in response.json()["results"]]


def test_administrators_and_auditors_read_the_log_of_their_subtree(cast, entries):
    for who in ("nanshan_admin", "nanshan_auditor"):
        response = token_client(cast[who]).get("/api/audit/")
        assert response.status_code == 200
        assert actions(response) == [("nanshan_admin", "create")]
    entry = response.json()["results"][0]
    assert entry["object_type"] == "regions.site"
    assert entry["region_code"] == YUEHAI
    assert entry["changes"]["name"] == [None, "粤海街道社工站"]
    assert len(entry["entry_hash"]) == 64


def test_another_county_sees_nothing_of_nanshan(cast, entries):
    client = token_client(cast["futian_admin"])
    assert actions(client.get("/api/audit/")) == [("futian_admin", "view")]
    nanshan_entry = AuditEntry.objects.get(actor=cast["nanshan_admin"])
    assert client.get(f"/api/audit/{nanshan_entry.pk}/").status_code == 404
    assert client.get("/api/audit/", {"actor_name": "nanshan"}).json()["count"] == 0


@pytest.mark.parametrize("who", ["yuehai_manager", "shekou_worker"])
def test_managers_and_workers_cannot_read_the_log(cast, entries, who):
    response = token_client(cast[who]).get("/api/audit/")
    assert response.status_code == 403
    assert response.json()["detail"]


def test_a_refused_reader_is_recorded(yuehai_manager):
    token_client(yuehai_manager).get("/api/audit/")
    entry = AuditEntry.objects.get(success=False)
    assert (entry.actor, entry.action, entry.object_type) == (
        yuehai_manager,
        Action.VIEW,
        "audit.auditentry",
    )


def test_it_filters_by_action_actor_and_object_type(nanshan_admin, entries):
    audit_record(actor=nanshan_admin, action=Action.EXPORT, object_type="regions.site")
    client = token_client(nanshan_admin)
    assert actions(client.get("/api/audit/", {"action": "export"})) == [("nanshan_admin", "export")]
    assert client.get("/api/audit/", {"actor_name": "NANSHAN"}).json()["count"] == 2
    assert client.get("/api/audit/", {"object_type": "regions.site"}).json()["count"] == 2
    assert client.get("/api/audit/", {"object_type": "accounts.user"}).json()["count"] == 0


def test_an_unknown_action_is_400(nanshan_admin):
    response = token_client(nanshan_admin).get("/api/audit/", {"action": "erase"})
    assert response.status_code == 400
    assert response.json()["action"]


def test_the_log_cannot_be_written_through_the_api(nanshan_admin, entries):
    entry = AuditEntry.objects.get(actor=nanshan_admin)
    client = token_client(nanshan_admin)
    url = f"/api/audit/{entry.pk}/"
    assert client.post("/api/audit/", {"action": "login"}).status_code == 405
    assert client.put(url, {"action": "login"}).status_code == 405
    assert client.patch(url, {"action": "login"}).status_code == 405
    assert client.delete(url).status_code == 405
    assert AuditEntry.objects.get(pk=entry.pk).action == Action.CREATE
    assert AuditEntry.objects.count() == 2


def test_the_schema_offers_no_way_to_write_the_log(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert set(paths["/api/audit/"]) == {"get"}
    assert set(paths["/api/audit/{id}/"]) == {"get"}


def test_an_audit_list_costs_a_fixed_number_of_queries(
    nanshan_admin, django_assert_max_num_queries
):
    for number in range(10):
        make_user(f"worker_{number}", YUEHAI, Role.WORKER)
        audit_view(actor=nanshan_admin, obj=Region.objects.get(code=YUEHAI))
    client = token_client(nanshan_admin)
    # token and user, the user's region, the count, the page
    with django_assert_max_num_queries(4):
        response = client.get("/api/audit/")
    assert response.json()["count"] == 10
