"""The resources and service-project lists are region-scoped like the needs (which the core
scope matrix covers): an organisation's offer or a project of another street is a 404 on its
pages and in the API, never listed; the resources list, on its page and in the API, holds only
what the user can see."""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import make_site
from wushe.charity.tests.sample import give_goods, make_fund
from wushe.core.tests.api_client import token_client
from wushe.matching import offer_services, project_services
from wushe.matching.models import OrganisationOffer, ServiceProject
from wushe.matching.tests.sample import DONGJIAOTOU, KEJIYUAN, make_volunteer
from wushe.organisations.tests.sample import make_organisation
from wushe.regions.choices import SiteKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(nanshan_admin):
    """An offer and a project at 粤海's station and at 蛇口's, a volunteer, a fund and goods in
    each street."""
    world = {}
    for street, village, name in (
        ("440305007000", KEJIYUAN, "粤海"),
        ("440305005000", DONGJIAOTOU, "蛇口"),
    ):
        station = make_site(street, SiteKind.STATION, f"{name}街道社工站")
        organisation = make_organisation(nanshan_admin, street, len(world) + 1, name=f"{name}社工")
        offer = offer_services.offer_create(
            actor=nanshan_admin,
            organisation=organisation,
            station=station,
            service_areas=["elderly"],
            capacity=4,
        )
        project = project_services.project_create(
            actor=nanshan_admin,
            station=station,
            name=f"{name}长者项目",
            service_area="elderly",
            target_group="独居长者",
            period_from=timezone.localdate(),
            period_to=timezone.localdate(),
            capacity=30,
        )
        volunteer = make_volunteer(nanshan_admin, f"{name}志愿者", village)
        fund = make_fund(nanshan_admin, village, name=f"{name}社区基金")
        give_goods(nanshan_admin, village, item=f"{name}大米")
        world[name] = {
            "station": station,
            "offer": offer,
            "project": project,
            "volunteer": volunteer,
            "fund": fund,
        }
    return world


def test_offers_and_projects_of_another_street_are_404_and_unlisted(client, shekou_worker, lists):
    client.force_login(shekou_worker)
    api = token_client(shekou_worker)
    yuehai = lists["粤海"]
    offer, project = yuehai["offer"], yuehai["project"]
    for url in (
        f"/matching/offers/{offer.pk}/edit/",
        f"/matching/projects/{project.pk}/",
        f"/matching/projects/{project.pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/matching/offers/{offer.pk}/edit/", {"capacity": 1}).status_code == 404
    assert client.post(f"/matching/projects/{project.pk}/needs/", {}).status_code == 404
    for url in (f"/api/organisation-offers/{offer.pk}/", f"/api/service-projects/{project.pk}/"):
        assert api.get(url).status_code == 404, url
        assert api.patch(url, {"capacity": 1}, format="json").status_code == 404, url
    assert OrganisationOffer.objects.get(pk=offer.pk).capacity == 4
    assert ServiceProject.objects.get(pk=project.pk).capacity == 30

    projects = client.get("/matching/projects/").content.decode()
    assert "蛇口长者项目" in projects and "粤海长者项目" not in projects
    listed = api.get("/api/service-projects/").json()["results"]
    assert [row["id"] for row in listed] == [lists["蛇口"]["project"].pk]
    listed = api.get("/api/organisation-offers/").json()["results"]
    assert [row["id"] for row in listed] == [lists["蛇口"]["offer"].pk]


def test_the_resources_list_page_and_api_hold_only_what_the_user_sees(
    client, shekou_worker, nanshan_admin, lists
):
    client.force_login(shekou_worker)
    page = client.get("/matching/resources/").content.decode()
    assert "蛇口志愿者" in page and "蛇口社工" in page and "蛇口社区基金" in page
    assert "粤海志愿者" not in page and "粤海社工" not in page and "粤海大米" not in page
    api = token_client(shekou_worker)
    body = api.get("/api/resources/").json()
    assert body["station"] is None
    assert [row["name"] for row in body["volunteers"]] == ["蛇口志愿者"]
    assert [row["organisation_name"] for row in body["offers"]] == ["蛇口社工"]
    assert [row["name"] for row in body["funds"]] == ["蛇口社区基金"]
    assert [row["name"] for row in body["goods"]] == ["蛇口大米"]
    volunteer = body["volunteers"][0]
    assert volunteer["skills"] == ["meals"] and volunteer["capacity"] == 2
    assert volunteer["load"] == 0 and "id_number" not in volunteer and "phone" not in volunteer
    yuehai_station = lists["粤海"]["station"]
    hidden = api.get("/api/resources/", {"station": yuehai_station.pk})
    assert hidden.status_code == 400 and "station" in hidden.json()
    assert api.get("/api/resources/", {"station": "x"}).status_code == 400

    admin = token_client(nanshan_admin)
    both = admin.get("/api/resources/").json()
    assert {row["name"] for row in both["volunteers"]} == {"粤海志愿者", "蛇口志愿者"}
    one = admin.get("/api/resources/", {"station": yuehai_station.pk}).json()
    assert one["station"] == yuehai_station.pk
    assert [row["name"] for row in one["volunteers"]] == ["粤海志愿者"]
    assert [row["organisation_name"] for row in one["offers"]] == ["粤海社工"]
    assert [row["name"] for row in one["goods"]] == ["粤海大米"]
