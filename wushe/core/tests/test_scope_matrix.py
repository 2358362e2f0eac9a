"""The scope matrix: for every role of the cast, every page and API endpoint answers 404 for an
object outside the user's subtree and leaves it out of lists, counts, search and exports.

Three stations (粤海 and 蛇口 in 南山区, 园岭 in 福田区), the cast's users and one audit entry
per station are the objects; what is "outside" is computed from each user's region, not listed
by hand, so a new role or object only needs adding to the fixtures.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from conftest import FUTIAN_TOWNSHIP, SHEKOU, YUEHAI, make_site
from wushe.accounts.models import User
from wushe.audit.models import AuditEntry
from wushe.audit.services import audit_view
from wushe.regions.choices import SiteKind
from wushe.regions.models import Site

pytestmark = pytest.mark.django_db

ROLES = ["nanshan_admin", "yuehai_manager", "shekou_worker", "nanshan_auditor", "futian_admin"]
MISSING = 987654


@pytest.fixture
def world(cast):
    sites = [
        make_site(YUEHAI, SiteKind.STATION, "粤海街道社工站"),
        make_site(SHEKOU, SiteKind.STATION, "蛇口街道社工站"),
        make_site(FUTIAN_TOWNSHIP, SiteKind.STATION, "园岭街道社工站"),
    ]
    entries = [audit_view(actor=None, obj=site) for site in sites]
    return {"sites": sites, "entries": entries, "users": list(cast.values())}


def split(user: User, objects, code_of):
    inside = [obj for obj in objects if user.can_see_code(code_of(obj))]
    outside = [obj for obj in objects if not user.can_see_code(code_of(obj))]
    return inside, outside


@pytest.fixture(params=ROLES)
def actor(request, cast):
    return cast[request.param]


@pytest.fixture
def page_client(client, actor):
    client.force_login(actor)
    return client


@pytest.fixture
def api_client(actor):
    api = APIClient()
    api.force_authenticate(actor)
    return api


def test_pages_answer_404_for_sites_and_regions_outside(page_client, actor, world):
    inside, outside = split(actor, world["sites"], lambda s: s.region_id)
    assert outside, "every role of the cast has something outside its subtree"
    for site in outside:
        assert page_client.get(f"/regions/sites/{site.pk}/").status_code == 404
        for url in (f"/regions/sites/{site.pk}/edit/", f"/regions/sites/{site.pk}/delete/"):
            assert page_client.get(url).status_code == 404, url
            assert page_client.post(url, {"name": "x"}).status_code == 404, url
        assert page_client.get(f"/regions/{site.region.display_code}/").status_code == 404
        site.refresh_from_db()
        assert site.name.endswith("社工站")  # untouched
    for site in inside:
        assert page_client.get(f"/regions/sites/{site.pk}/").status_code == 200
    assert page_client.get(f"/regions/sites/{MISSING}/").status_code == 404


def test_page_lists_search_and_exports_leave_outside_objects_out(page_client, actor, world):
    inside, outside = split(actor, world["sites"], lambda s: s.region_id)
    listing = page_client.get("/regions/sites/").content.decode()
    for site in inside:
        assert site.name in listing
    for site in outside:
        assert site.name not in listing
        found = page_client.get("/regions/search/", {"q": site.region.name}).content.decode()
        assert site.region.display_code not in found
        found = page_client.get("/regions/search/", {"q": site.region.display_code})
        assert site.region.name not in found.content.decode()
    export = page_client.get("/regions/sites/export.xlsx")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    exported = {cell.value for row in sheet.iter_rows() for cell in row}
    assert {site.name for site in inside} <= exported
    assert not {site.name for site in outside} & exported


def test_the_home_page_counts_only_the_subtree(page_client, actor, world):
    inside, _outside = split(actor, world["sites"], lambda s: s.region_id)
    home = page_client.get("/")
    assert home.status_code == 200
    assert home.context["counts"]["total"] == len(inside)


def test_the_api_answers_404_for_sites_and_regions_outside(api_client, actor, world):
    _inside, outside = split(actor, world["sites"], lambda s: s.region_id)
    for site in outside:
        url = f"/api/sites/{site.pk}/"
        assert api_client.get(url).status_code == 404
        assert api_client.patch(url, {"name": "x"}, format="json").status_code == 404
        assert api_client.put(url, {"name": "x"}, format="json").status_code == 404
        assert api_client.delete(url).status_code == 404
        code = site.region.display_code
        for url in (
            f"/api/regions/{code}/",
            f"/api/regions/{code}/children/",
            f"/api/regions/{code}/ancestors/",
            f"/api/regions/{code}/coverage/",
        ):
            assert api_client.get(url).status_code == 404, url
        assert api_client.get("/api/coverage/", {"region": code}).status_code == 404
    assert Site.objects.filter(name="x").count() == 0
    assert api_client.get(f"/api/sites/{MISSING}/").status_code == 404


def test_api_lists_counts_and_search_leave_outside_objects_out(api_client, actor, world):
    inside, outside = split(actor, world["sites"], lambda s: s.region_id)
    body = api_client.get("/api/sites/").json()
    assert body["count"] == len(inside)
    assert {row["id"] for row in body["results"]} == {site.pk for site in inside}
    for site in outside:
        found = api_client.get("/api/regions/", {"q": site.region.name}).json()
        assert site.region_id not in str(found)
        assert (
            api_client.get("/api/sites/", {"region": site.region.display_code}).json()["count"] == 0
        )


def test_users_outside_are_404_and_unlisted(api_client, page_client, actor, world):
    inside, outside = split(actor, world["users"], lambda u: u.region_id)
    listing = api_client.get("/api/users/")
    page = page_client.get("/users/")
    if listing.status_code == 200:
        names = {row["username"] for row in listing.json()["results"]}
        assert names <= {user.username for user in inside}
        assert names == {user.username for user in inside} or not actor.is_admin
    else:
        assert listing.status_code == 403 and not actor.is_admin
    if actor.is_admin:
        for user in outside:
            assert user.username not in page.content.decode()
    else:
        assert page.status_code == 403
    for user in outside:
        assert api_client.get(f"/api/users/{user.pk}/").status_code in (403, 404)
        if actor.is_admin:
            assert api_client.get(f"/api/users/{user.pk}/").status_code == 404


def test_audit_entries_outside_are_404_and_unlisted(api_client, page_client, actor, world):
    inside, outside = split(actor, world["entries"], lambda e: e.region_code)
    listing = api_client.get("/api/audit/", {"object_type": "regions.site"})
    page = page_client.get("/audit/", {"object_type": "regions.site"})
    if actor.can_read_audit:
        seqs = {row["seq"] for row in listing.json()["results"]}
        assert seqs == {entry.seq for entry in inside}
        for entry in outside:
            assert api_client.get(f"/api/audit/{entry.pk}/").status_code == 404
            assert entry.object_repr not in page.content.decode()
    else:
        assert listing.status_code == 403 and page.status_code == 403
    assert AuditEntry.objects.count() >= len(world["entries"])


@pytest.fixture
def residents(cast):
    """One resident in 粤海, one in 蛇口, one in 福田, filed by an administrator of each."""
    from datetime import date

    from conftest import FUTIAN, make_user
    from wushe.accounts.models import Role
    from wushe.people.identity import make_id_number
    from wushe.people.services import resident_file
    from wushe.regions.models import Region

    shenzhen = make_user("shenzhen_admin", "440300000000", Role.ADMIN)
    homes = ["440305007003", "440305005001", f"{FUTIAN[:6]}002016"]
    return [
        resident_file(
            actor=shenzhen,
            name=f"居民{index}",
            id_number=make_id_number("440305", date(1950, 1, 1), 100 + index),
            phone=f"1380013800{index}",
            region=Region.objects.get(code=code),
        )
        for index, code in enumerate(homes)
    ]


def test_residents_outside_are_404_on_pages_and_api_and_absent_from_lists(
    page_client, api_client, actor, residents
):
    inside, outside = split(actor, residents, lambda r: r.region_id)
    for resident in outside:
        base = f"/residents/{resident.pk}/"
        assert page_client.get(base).status_code == 404
        assert page_client.get(base + "edit/").status_code == 404
        assert page_client.post(base + "unmask/", {"field": "id_number"}).status_code == 404
        assert api_client.get(f"/api/residents/{resident.pk}/").status_code == 404
        answer = api_client.post(
            f"/api/residents/{resident.pk}/unmask/", {"field": "phone"}, format="json"
        )
        assert answer.status_code == 404
        answer = api_client.patch(f"/api/residents/{resident.pk}/", {"notes": "x"}, format="json")
        assert answer.status_code == 404
        found = api_client.post("/api/residents/search/", {"q": resident.id_number}, format="json")
        assert found.status_code in (200, 403) and resident.name not in found.content.decode()
    listing = page_client.get("/residents/").content.decode()
    for resident in outside:
        assert resident.name not in listing
    body = api_client.get("/api/residents/")
    if body.status_code == 200:
        assert {row["id"] for row in body.json()["results"]} == {r.pk for r in inside}


@pytest.fixture
def indicator_world(cast):
    """A yearly figure and a target in 粤海, 蛇口 and 福田, and an indicator defined by 福田."""
    from conftest import make_user
    from wushe.accounts.models import Role
    from wushe.indicators import entries, services
    from wushe.indicators.models import DataElement, Indicator
    from wushe.regions.models import Region

    shenzhen = make_user("shenzhen_figures", "440300000000", Role.ADMIN)
    households = DataElement.objects.get(code="households")
    coverage = Indicator.objects.get(code="station_coverage")
    figures, targets = [], []
    for code in (YUEHAI, SHEKOU, FUTIAN_TOWNSHIP):
        region = Region.objects.get(code=code)
        figures.append(
            entries.entered_value_set(
                actor=shenzhen, region=region, year=2025, element=households, value=100
            )
        )
        targets.append(
            entries.target_set(
                actor=shenzhen, region=region, indicator=coverage, year=2025, value=90
            )
        )
    futian = services.indicator_create(
        actor=cast["futian_admin"], code="futian_visits", name_zh="福田走访", numerator="visits"
    )
    return {"figures": figures, "targets": targets, "futian_indicator": futian}


def test_indicator_figures_targets_and_values_outside_are_404_and_unlisted(
    page_client, api_client, actor, indicator_world
):
    for kind, url in (("figures", "figures"), ("targets", "targets")):
        rows = indicator_world[kind]
        inside, outside = split(actor, rows, lambda row: row.region_id)
        assert outside
        api_url = "/api/entered-values/" if kind == "figures" else "/api/targets/"
        for row in outside:
            for page in (
                f"/indicators/{url}/{row.pk}/edit/",
                f"/indicators/{url}/{row.pk}/delete/",
            ):
                assert page_client.get(page).status_code == 404, page
                assert page_client.post(page, {"value": "1"}).status_code == 404, page
            assert api_client.get(f"{api_url}{row.pk}/").status_code == 404
            assert (
                api_client.patch(f"{api_url}{row.pk}/", {"value": 1}, format="json").status_code
                == 404
            )
            assert api_client.delete(f"{api_url}{row.pk}/").status_code == 404
            row.refresh_from_db()
        listed = {row["id"] for row in api_client.get(api_url).json()["results"]}
        assert listed == {row.pk for row in inside}
        page = page_client.get(f"/indicators/{url}/")
        assert {row.pk for row in page.context["page"]} == {row.pk for row in inside}
    for code in (YUEHAI, SHEKOU, FUTIAN_TOWNSHIP):
        if actor.can_see_code(code):
            continue
        query = {"indicator": "station_coverage", "region": code[:9]}
        assert api_client.get("/api/indicator-values/", query).status_code == 404
        assert api_client.get("/api/kpis/", {"region": code[:9]}).status_code == 404
        page = page_client.get("/indicators/station_coverage/", {"region": code[:9]})
        assert page.status_code == 404
    futian = indicator_world["futian_indicator"]
    if not actor.can_see_code(futian.region_code):
        assert page_client.get(f"/indicators/{futian.code}/").status_code == 404
        assert api_client.get(f"/api/indicators/{futian.code}/").status_code == 404
        codes = {row["code"] for row in api_client.get("/api/indicators/").json()}
        assert futian.code not in codes and "station_coverage" in codes


@pytest.fixture
def charity_world(cast):
    """A fund, donor, donation, ledger entry and item of stock in 粤海, 蛇口 and 福田."""
    from conftest import make_user
    from wushe.accounts.models import Role
    from wushe.charity.tests.sample import scope_world

    return scope_world(make_user("shenzhen_charity", "440300000000", Role.ADMIN))


def test_charity_resources_outside_are_404_and_unlisted(
    page_client, api_client, actor, charity_world
):
    from wushe.charity.models import CommunityFund, FundEntry

    funds = charity_world["funds"]
    inside, outside = split(actor, funds, lambda f: f.region_id)
    assert outside
    for index, fund in enumerate(funds):
        if fund not in outside:
            continue
        donor, donation = charity_world["donors"][index], charity_world["donations"][index]
        item, entry = charity_world["items"][index], charity_world["entries"][index]
        for url in (
            f"/charity/funds/{fund.pk}/",
            f"/charity/donors/{donor.pk}/",
            f"/charity/donations/{donation.pk}/",
            f"/charity/goods/{item.pk}/",
        ):
            assert page_client.get(url).status_code == 404, url
        for url in (
            f"/api/community-funds/{fund.pk}/ledger/",
            f"/api/donors/{donor.pk}/",
            f"/api/donations/{donation.pk}/",
            f"/api/goods/{item.pk}/",
        ):
            assert api_client.get(url).status_code == 404, url
        disburse = {"amount": "1", "purpose": "x"}
        assert (
            api_client.post(f"/api/community-funds/{fund.pk}/disburse/", disburse).status_code
            == 404
        )
        reverse = f"/charity/funds/{fund.pk}/entries/{entry.pk}/reverse/"
        assert page_client.post(reverse, {"reason": "x"}).status_code == 404
    listing = page_client.get("/charity/funds/").content.decode()
    for fund in funds:
        assert (fund.name in listing) == (fund in inside)
    body = api_client.get("/api/community-funds/").json()
    assert {row["id"] for row in body["results"]} == {fund.pk for fund in inside}
    assert page_client.get("/charity/").context["totals"]["funds"] == len(inside)
    assert FundEntry.objects.filter(direction="out").count() == len(funds)
    assert all(fund.balance == 90 for fund in CommunityFund.objects.all())


@pytest.fixture
def matching_world(cast):
    """A need, matching run, proposal and task in 粤海, 蛇口 and 福田."""
    from conftest import make_user
    from wushe.accounts.models import Role
    from wushe.matching.tests.examples import scope_world

    return scope_world(make_user("shenzhen_matching", "440300000000", Role.ADMIN))


def test_needs_runs_proposals_and_tasks_outside_are_404_and_unlisted(
    page_client, api_client, actor, matching_world
):
    needs = matching_world["needs"]
    inside, outside = split(actor, needs, lambda need: need.region_id)
    assert outside
    for index, need in enumerate(needs):
        if need not in outside:
            continue
        run = matching_world["runs"][index]
        proposal = matching_world["proposals"][index]
        task = matching_world["tasks"][index]
        for url in (
            f"/matching/needs/{need.pk}/",
            f"/matching/needs/{need.pk}/edit/",
            f"/matching/needs/{need.pk}/cancel/",
            f"/matching/runs/{run.pk}/",
            f"/matching/proposals/{proposal.pk}/edit/",
            f"/matching/tasks/{task.pk}/",
        ):
            assert page_client.get(url).status_code == 404, url
        for url in (
            f"/matching/needs/{need.pk}/cancel/",
            f"/matching/proposals/{proposal.pk}/reject/",
            f"/matching/tasks/{task.pk}/answer/",
        ):
            assert page_client.post(url, {"answer": "withdraw"}).status_code == 404, url
        for url in (
            f"/api/needs/{need.pk}/",
            f"/api/match-runs/{run.pk}/",
            f"/api/match-runs/{run.pk}/proposals/",
            f"/api/proposals/{proposal.pk}/",
            f"/api/tasks/{task.pk}/",
        ):
            assert api_client.get(url).status_code == 404, url
        assert api_client.post(f"/api/needs/{need.pk}/cancel/").status_code == 404
        assert api_client.post(f"/api/proposals/{proposal.pk}/reject/").status_code == 404
        assert api_client.post(f"/api/tasks/{task.pk}/withdraw/").status_code == 404
    listing = page_client.get("/matching/").content.decode()
    for need in needs:
        assert (need.description in listing) == (need in inside)
    body = api_client.get("/api/needs/").json()
    assert {row["id"] for row in body["results"]} == {need.pk for need in inside}
    tasks = {row["id"] for row in api_client.get("/api/tasks/").json()["results"]}
    assert tasks == {
        t.pk for t, n in zip(matching_world["tasks"], needs, strict=True) if n in inside
    }
    runs = {row["id"] for row in api_client.get("/api/match-runs/").json()["results"]}
    assert runs == {r.pk for r, n in zip(matching_world["runs"], needs, strict=True) if n in inside}
    assert all(t.status == "offered" for t in type(matching_world["tasks"][0]).objects.all())


@pytest.fixture
def five_forces_world(cast):
    """An organisation and a social worker (with a training) in 粤海, 蛇口 and 福田, registered
    by an administrator of Shenzhen; each organisation in a base at its own station."""
    from datetime import date

    from conftest import make_user
    from wushe.accounts.models import Role
    from wushe.organisations.services import incubation_enter
    from wushe.organisations.tests.sample import make_organisation
    from wushe.workers.services import training_add
    from wushe.workers.tests.sample import make_worker

    shenzhen = make_user("shenzhen_forces", "440300000000", Role.ADMIN)
    organisations, workers = [], []
    for index, code in enumerate((YUEHAI, SHEKOU, FUTIAN_TOWNSHIP)):
        station = make_site(code, SiteKind.STATION, f"社工站{index}")
        organisation = make_organisation(shenzhen, code, 900 + index, name=f"社会组织{index}")
        incubation_enter(
            actor=shenzhen, organisation=organisation, site=station, entered_on=date(2025, 1, 1)
        )
        organisations.append(organisation)
        worker = make_worker(shenzhen, station, 90 + index, name=f"社工甲{index}")
        training_add(actor=shenzhen, worker=worker, title="培训", held_on=date(2025, 2, 1), hours=3)
        workers.append(worker)
    return {"organisations": organisations, "workers": workers}


def test_organisations_and_social_workers_outside_are_404_and_unlisted(
    page_client, api_client, actor, five_forces_world
):
    organisations = five_forces_world["organisations"]
    inside, outside = split(actor, organisations, lambda o: o.region_id)
    assert outside
    for organisation in outside:
        base = f"/organisations/{organisation.pk}/"
        assert page_client.get(base).status_code == 404
        assert page_client.get(base + "edit/").status_code == 404
        assert page_client.post(base + "edit/", {"name": "x"}).status_code == 404
        for action in ("enter", "leave"):
            url = f"{base}incubation/{action}/"
            assert page_client.post(url, {"left_on": "2025-06-01"}).status_code == 404
        api = f"/api/organisations/{organisation.pk}/"
        assert api_client.get(api).status_code == 404
        assert api_client.patch(api, {"name": "x"}, format="json").status_code == 404
        answer = api_client.post(api + "incubation/leave/", {"left_on": "2025-06-01"})
        assert answer.status_code == 404
        organisation.refresh_from_db()
        assert organisation.name.startswith("社会组织")
        assert organisation.incubations.get().left_on is None
    listing = page_client.get("/organisations/").content.decode()
    for organisation in organisations:
        assert (organisation.name in listing) == (organisation in inside)
    body = api_client.get("/api/organisations/").json()
    assert {row["id"] for row in body["results"]} == {o.pk for o in inside}
    for organisation in outside:
        found = api_client.get("/api/organisations/", {"q": organisation.credit_code}).json()
        assert found["count"] == 0

    workers = five_forces_world["workers"]
    inside, outside = split(actor, workers, lambda w: w.region_code)
    assert outside
    for worker in outside:
        base = f"/workers/{worker.pk}/"
        assert page_client.get(base).status_code == 404
        assert page_client.get(base + "edit/").status_code == 404
        assert page_client.post(base + "unmask/", {"field": "id_number"}).status_code == 404
        training = worker.trainings.get()
        url = f"{base}trainings/{training.pk}/delete/"
        assert page_client.post(url).status_code == 404
        assert page_client.post(base + "trainings/new/", {"title": "x"}).status_code == 404
        api = f"/api/social-workers/{worker.pk}/"
        assert api_client.get(api).status_code == 404
        assert api_client.patch(api, {"stars": 1}, format="json").status_code == 404
        assert api_client.post(api + "unmask/", {"field": "phone"}).status_code == 404
        assert api_client.get(api + "trainings/").status_code == 404
        assert api_client.delete(f"{api}trainings/{training.pk}/").status_code == 404
        assert worker.trainings.count() == 1
    listing = page_client.get("/workers/").content.decode()
    for worker in workers:
        assert (worker.name in listing) == (worker in inside)
    body = api_client.get("/api/social-workers/").json()
    assert {row["id"] for row in body["results"]} == {w.pk for w in inside}
    for worker in outside:
        query = {"site": worker.site_id}
        assert api_client.get("/api/social-workers/", query).status_code == 400
    counted = page_client.get("/workers/").context["counts"]
    assert counted["total"] == len(inside)


def test_dashboards_and_reports_outside_are_404_and_show_nothing_from_outside(
    page_client, api_client, actor, world
):
    inside, outside = split(actor, world["sites"], lambda s: s.region_id)
    month = {"month": "2026-10"}
    for site in outside:
        code = site.region.display_code
        for url in (
            f"/dashboards/{code}/",
            f"/dashboards/{code}/export/ranking.xlsx",
            f"/dashboards/{code}/map.json",
        ):
            assert page_client.get(url).status_code == 404, url
        asked = {"region": code, **month}
        assert page_client.get("/dashboards/report/", asked).status_code == 404
        assert api_client.get(f"/api/dashboards/{code}/").status_code == 404
        assert api_client.get("/api/reports/monthly/", asked).status_code == 404
    for site in inside:
        assert page_client.get(f"/dashboards/{site.region.display_code}/").status_code == 200
    own = api_client.get(f"/api/dashboards/{actor.region.display_code}/").json()
    shown = [own["region"], *own["ranking"], *own["coverage"], *own["breadcrumb"]]
    assert all(actor.can_see_code(row["code"].ljust(12, "0")) for row in shown)
    report = page_client.get("/dashboards/report/", {**month, "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(report.content))
    cells = {str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row}
    for site in outside:
        assert site.region.name not in cells and site.region.display_code not in cells


@pytest.fixture
def volunteer_world(cast):
    """A volunteer (with a ledger entry, a certificate and a team) in 粤海, 蛇口 and 福田."""
    from conftest import make_user
    from wushe.accounts.models import Role
    from wushe.volunteers.tests.examples import scope_world

    return scope_world(make_user("shenzhen_volunteers", "440300000000", Role.ADMIN))


def test_volunteers_their_ledger_and_teams_outside_are_404_and_unlisted(
    page_client, api_client, actor, volunteer_world
):
    from wushe.volunteers.models import Certificate, LedgerEntry

    volunteers = volunteer_world["volunteers"]
    inside, outside = split(actor, volunteers, lambda v: v.region_id)
    assert outside
    for index, volunteer in enumerate(volunteers):
        if volunteer not in outside:
            continue
        entry = volunteer_world["entries"][index]
        certificate = volunteer_world["certificates"][index]
        team = volunteer_world["teams"][index]
        base = f"/volunteers/{volunteer.pk}/"
        for url in (
            base,
            base + "edit/",
            base + "invite/",
            base + "service/",
            base + "redeem/",
            base + "honour/",
            f"{base}entries/{entry.pk}/correct/",
            f"{base}certificates/{certificate.pk}.pdf",
            f"/volunteers/teams/{team.pk}/",
            f"/volunteers/teams/{team.pk}/edit/",
        ):
            assert page_client.get(url).status_code == 404, url
        for url in (
            base + "redeem/",
            f"{base}entries/{entry.pk}/correct/",
            base + "certificates/new/",
            f"/volunteers/teams/{team.pk}/delete/",
        ):
            assert page_client.post(url, {"points": "1", "reason": "x"}).status_code == 404, url
        api = f"/api/volunteers/{volunteer.pk}/"
        for url in (
            api,
            api + "ledger/",
            api + "certificates/",
            f"/api/volunteer-teams/{team.pk}/",
        ):
            assert api_client.get(url).status_code == 404, url
        assert api_client.patch(api, {"capacity": 1}, format="json").status_code == 404
        assert api_client.post(api + "redeem/", {"points": 1, "content": "x"}).status_code == 404
        assert api_client.post(api + "certificates/").status_code == 404
        correct = f"{api}entries/{entry.pk}/correct/"
        assert api_client.post(correct, {"reason": "x"}).status_code == 404
        assert api_client.delete(f"/api/volunteer-teams/{team.pk}/").status_code == 404
        found = page_client.post("/volunteers/", {"q": volunteer.id_number}).content.decode()
        assert volunteer.name not in found
        searched = api_client.post("/api/volunteers/search/", {"q": volunteer.id_number})
        assert searched.json()["count"] == 0
    listing = page_client.get("/volunteers/").content.decode()
    teams = page_client.get("/volunteers/teams/").content.decode()
    for index, volunteer in enumerate(volunteers):
        assert (volunteer.name in listing) == (volunteer in inside)
        assert (volunteer_world["teams"][index].name in teams) == (volunteer in inside)
    body = api_client.get("/api/volunteers/").json()
    assert {row["id"] for row in body["results"]} == {v.pk for v in inside}
    body = api_client.get("/api/volunteer-teams/").json()
    assert body["count"] == len(inside)
    assert LedgerEntry.objects.count() == len(volunteers)
    assert Certificate.objects.count() == len(volunteers)
