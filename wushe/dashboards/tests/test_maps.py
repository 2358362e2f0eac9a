"""Registered maps: no map is shipped, so a dashboard shows a map view only once an
administrator registers an approved GeoJSON, with its approval number (审图号)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import NANSHAN, YUEHAI
from wushe.audit.models import Action, AuditEntry
from wushe.dashboards.models import RegionMap
from wushe.dashboards.services import region_map_delete, region_map_register
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db
APPROVAL = "粤S(2023)005号"


def square(x: float, y: float) -> list:
    return [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]]


def streets_geojson(region_code: str = NANSHAN) -> bytes:
    """A made-up map (squares, not the real outlines) with one feature per child region."""
    children = Region.objects.filter(parent_id=region_code).order_by("code")
    features = [
        {
            "type": "Feature",
            "properties": {"name": child.name, "adcode": child.code[:9]},
            "geometry": {"type": "Polygon", "coordinates": square(113.9 + index * 0.1, 22.5)},
        }
        for index, child in enumerate(children)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def register(actor, code: str = NANSHAN, **changes) -> RegionMap:
    values = {"geojson": streets_geojson(code), "approval_number": APPROVAL, "file_name": "ns.json"}
    return region_map_register(
        actor=actor, region=Region.objects.get(code=code), **{**values, **changes}
    )


def test_without_a_registered_map_no_map_view_appears(client, nanshan_admin):
    client.force_login(nanshan_admin)
    html = client.get("/dashboards/").content.decode()
    assert 'id="map-view"' not in html and 'id="chart-map"' not in html
    assert '"map": null' in html
    assert client.get("/dashboards/440305/map.json").status_code == 404


def test_with_a_registered_map_the_map_view_appears(client, nanshan_admin):
    register(nanshan_admin)
    client.force_login(nanshan_admin)
    html = client.get("/dashboards/").content.decode()
    assert 'id="map-view"' in html and 'id="chart-map"' in html
    assert APPROVAL in html
    served = client.get("/dashboards/440305/map.json")
    assert served.status_code == 200
    assert served["Content-Type"].startswith("application/geo+json")
    names = {feature["properties"]["name"] for feature in served.json()["features"]}
    assert "粤海街道" in names
    # The street below has no map of its own.
    street = client.get("/dashboards/440305007/").content.decode()
    assert 'id="map-view"' not in street


def test_registering_is_audited_and_replaces_the_regions_map(nanshan_admin):
    first = register(nanshan_admin)
    assert (first.features, first.uploaded_by) == (9, nanshan_admin)
    again = register(nanshan_admin, approval_number="审图号：GS(2024)0650号")
    assert again.pk == first.pk and again.approval_number == "GS(2024)0650号"
    assert RegionMap.objects.count() == 1
    actions = AuditEntry.objects.filter(object_type="dashboards.regionmap", success=True).order_by(
        "seq"
    )
    assert [entry.action for entry in actions] == [Action.CREATE, Action.UPDATE]
    region_map_delete(actor=nanshan_admin, region_map=again)
    assert not RegionMap.objects.exists()
    assert actions.last().action == Action.DELETE


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"approval_number": ""}, "approval_number"),
        ({"approval_number": "approved"}, "approval_number"),
        ({"geojson": b"not json"}, "geojson"),
        ({"geojson": b'{"type": "Feature"}'}, "geojson"),
        ({"geojson": b'{"type": "FeatureCollection", "features": []}'}, "geojson"),
        (
            {
                "geojson": json.dumps(
                    {
                        "type": "FeatureCollection",
                        "features": [{"type": "Feature", "properties": {"name": "x"}}],
                    }
                ).encode()
            },
            "geojson",
        ),
        (
            {
                "geojson": json.dumps(
                    {
                        "type": "FeatureCollection",
                        "features": [
                            {
                                "type": "Feature",
                                "properties": {},
                                "geometry": {"type": "Polygon", "coordinates": square(0, 0)},
                            }
                        ],
                    }
                ).encode()
            },
            "geojson",
        ),
    ],
)
def test_bad_maps_are_refused_on_their_field(nanshan_admin, changes, field):
    with pytest.raises(ValidationError) as refused:
        register(nanshan_admin, **changes)
    assert field in refused.value.message_dict
    assert not RegionMap.objects.exists()


def test_only_an_administrator_of_the_region_registers(yuehai_manager, futian_admin):
    with pytest.raises(PermissionDenied):
        register(yuehai_manager, YUEHAI)
    with pytest.raises(ValidationError) as refused:
        register(futian_admin)
    assert "region" in refused.value.message_dict
    assert not RegionMap.objects.exists()


def test_the_admin_page_registers_a_map_from_an_upload(client, nanshan_admin):
    client.force_login(nanshan_admin)
    assert client.get("/dashboards/maps/").status_code == 200
    upload = SimpleUploadedFile("nanshan.geojson", streets_geojson(), "application/geo+json")
    response = client.post(
        "/dashboards/maps/new/",
        {"region": "440305", "approval_number": APPROVAL, "geojson": upload},
    )
    assert response.status_code == 302
    listing = client.get("/dashboards/maps/").content.decode()
    assert APPROVAL in listing and "nanshan.geojson" in listing
    assert client.get("/dashboards/maps/440305/delete/").status_code == 200
    assert client.post("/dashboards/maps/440305/delete/").status_code == 302
    assert not RegionMap.objects.exists()


def test_the_admin_page_shows_errors_beside_the_fields(client, nanshan_admin):
    client.force_login(nanshan_admin)
    upload = SimpleUploadedFile("x.geojson", b"{oops", "application/geo+json")
    response = client.post(
        "/dashboards/maps/new/", {"region": "440304", "approval_number": "", "geojson": upload}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_approval_number_error"' in html
    upload = SimpleUploadedFile("x.geojson", b"{oops", "application/geo+json")
    response = client.post(
        "/dashboards/maps/new/",
        {"region": "440304", "approval_number": APPROVAL, "geojson": upload},
    )
    assert 'id="id_region_error"' in response.content.decode()  # 福田 is outside 南山
    upload = SimpleUploadedFile("x.geojson", b"{oops", "application/geo+json")
    response = client.post(
        "/dashboards/maps/new/",
        {"region": "440305", "approval_number": APPROVAL, "geojson": upload},
    )
    assert 'id="id_geojson_error"' in response.content.decode()
    assert not RegionMap.objects.exists()


def test_the_map_pages_are_for_administrators_only(
    client, yuehai_manager, futian_admin, nanshan_admin
):
    client.force_login(yuehai_manager)
    for path in ("/dashboards/maps/", "/dashboards/maps/new/"):
        assert client.get(path).status_code == 403
    register(nanshan_admin)
    client.force_login(futian_admin)
    assert client.get("/dashboards/maps/440305/delete/").status_code == 404
    assert client.post("/dashboards/maps/440305/delete/").status_code == 404
    assert "440305" not in client.get("/dashboards/maps/").content.decode()
    assert RegionMap.objects.count() == 1


def test_the_api_registers_lists_and_removes_a_map_as_the_page_does(
    nanshan_admin, yuehai_manager, futian_admin
):
    from wushe.core.tests.api_client import token_client

    def upload(content: bytes = b"") -> SimpleUploadedFile:
        return SimpleUploadedFile("ns.geojson", content or streets_geojson(), "application/json")

    api = token_client(nanshan_admin)
    body = {"region": "440305", "approval_number": APPROVAL}
    made = api.post("/api/region-maps/", {**body, "geojson": upload()}, format="multipart")
    assert made.status_code == 201, made.json()
    streets = Region.objects.filter(parent_id=NANSHAN).count()
    assert made.json()["features"] == streets
    assert made.json()["geojson_url"] == "/dashboards/440305/map.json"
    assert [one["region"] for one in api.get("/api/region-maps/").json()] == ["440305000000"]
    assert api.get("/api/region-maps/440305/").json()["approval_number"] == APPROVAL
    for bad, field in (
        ({**body, "approval_number": "", "geojson": upload()}, "approval_number"),
        ({**body, "approval_number": "no number", "geojson": upload()}, "approval_number"),
        ({**body, "region": "440304", "geojson": upload()}, "region"),  # 福田: outside
        ({**body, "geojson": upload(b"{oops")}, "geojson"),
        (body, "geojson"),
    ):
        refused = api.post("/api/region-maps/", bad, format="multipart")
        assert refused.status_code == 400 and field in refused.json(), (bad, refused.json())
    english = token_client(nanshan_admin, language="en")
    refused = english.post("/api/region-maps/", {**body, "geojson": upload(b"[]")}, "multipart")
    assert "FeatureCollection" in refused.json()["geojson"][0]
    assert token_client(yuehai_manager).get("/api/region-maps/").status_code == 403
    outsider = token_client(futian_admin)
    assert outsider.get("/api/region-maps/").json() == []
    assert outsider.get("/api/region-maps/440305/").status_code == 404
    assert outsider.delete("/api/region-maps/440305/").status_code == 404
    assert api.get("/api/region-maps/44030/").status_code == 404
    assert api.delete("/api/region-maps/440305/").status_code == 204
    assert not RegionMap.objects.exists()
    actions = AuditEntry.objects.filter(object_type="dashboards.regionmap", success=True)
    assert sorted(actions.values_list("action", flat=True)) == [Action.CREATE, Action.DELETE]
