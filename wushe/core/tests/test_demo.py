from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wushe.accounts.models import Role, User
from wushe.audit.management.commands.audit import verify
from wushe.audit.models import Action, AuditEntry
from wushe.core import demo
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Region, Site
from wushe.regions.selectors import coverage_of

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Site.objects.count(), Region.objects.count()


def test_it_creates_one_user_per_role_with_the_password_it_prints():
    result = demo.build(records=False)
    by_name = {login.user.username: login for login in result.logins}
    roles = {(name, login.user.role, login.user.region_id) for name, login in by_name.items()}
    assert roles == {
        ("shenzhen-admin", Role.ADMIN, "440300000000"),
        ("nanshan-admin", Role.ADMIN, "440305000000"),
        ("yuehai-manager", Role.MANAGER, "440305007000"),
        ("shekou-worker", Role.WORKER, "440305005000"),
        ("nanshan-auditor", Role.AUDITOR, "440305000000"),
    }
    for login in result.logins:
        assert login.created
        assert User.objects.get(pk=login.user.pk).check_password(login.password)
    assert len({login.password for login in result.logins}) == len(result.logins)


def test_a_second_run_duplicates_nothing_and_resets_the_passwords():
    first = demo.build(records=False)
    counts = _counts()
    second = demo.build(records=False)
    assert _counts() == counts
    assert (second.sites_created, second.sites_existing) == (0, first.sites_created)
    for old, new in zip(first.logins, second.logins, strict=True):
        user = User.objects.get(pk=new.user.pk)
        assert not new.created
        assert user.check_password(new.password)
        assert not user.check_password(old.password)


def test_a_reset_is_audited_without_the_password():
    demo.build(password="demo password 2024", records=False)
    demo.build(password="demo password 2024", records=False)
    resets = AuditEntry.objects.filter(action=Action.UPDATE, object_type="accounts.user")
    assert resets.count() == len(demo.DEMO_USERS)
    assert all("2024" not in str(entry.changes) for entry in resets)


def test_the_network_is_entered_through_the_services_by_the_demo_administrator():
    result = demo.build(records=False)
    created = AuditEntry.objects.filter(action=Action.CREATE, object_type="regions.site")
    assert created.count() == Site.objects.count() == result.sites_created
    assert set(created.values_list("actor__username", flat=True)) == {"nanshan-admin"}
    assert verify().ok


def test_the_network_has_a_centre_stations_in_most_streets_and_many_rooms():
    demo.build(records=False)
    centre = Site.objects.get(kind=SiteKind.CENTRE)
    assert (centre.name, centre.region_id) == ("南山区社会工作指导中心", "440305000000")
    stations = Site.objects.filter(kind=SiteKind.STATION)
    statuses = sorted(stations.values_list("status", flat=True))
    assert statuses.count(SiteStatus.PLANNED) == 1
    assert statuses.count(SiteStatus.SUSPENDED) == 1
    assert statuses.count(SiteStatus.OPERATING) == len(statuses) - 2 >= 5
    rooms = Site.objects.filter(kind=SiteKind.ROOM)
    assert 54 <= rooms.count() < 108  # a good part of the 108 communities
    assert all(room.region.level == 5 for room in rooms.select_related("region"))


def test_the_sites_are_filled_like_real_ones():
    demo.build(records=False)
    sites = list(Site.objects.all())
    met = {site.six_haves_met for site in sites}
    assert 6 in met and len(met) >= 3  # partly filled checklists
    assert all(site.address and site.operator and site.floor_area for site in sites)
    operating = [site for site in sites if site.status == SiteStatus.OPERATING]
    assert all(site.opened_on for site in operating)
    assert all(site.venue_note for site in operating if site.has_venue)
    yuehai = Site.objects.get(kind=SiteKind.STATION, region_id="440305007000")
    assert list(yuehai.staff.values_list("username", flat=True)) == ["yuehai-manager"]


def test_coverage_of_the_county_counts_the_operating_stations(nanshan_admin):
    demo.build(records=False)
    nanshan = Region.objects.get(code="440305000000")
    coverage = coverage_of(user=nanshan_admin, region=nanshan)
    operating_stations = Site.objects.filter(
        kind=SiteKind.STATION, status=SiteStatus.OPERATING
    ).count()
    assert coverage.stations == operating_stations
    assert coverage.townships == 9
    assert 0 < coverage.rooms <= coverage.villages == 108


def test_the_command_prints_the_address_and_every_login(monkeypatch):
    monkeypatch.delenv("WUSHE_BIND", raising=False)
    monkeypatch.setenv("WUSHE_DEMO_PASSWORD", "demo password 2024")
    out = StringIO()
    call_command("demo", "--no-serve", "--no-progress", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    for spec in demo.DEMO_USERS:
        line = next(line for line in text.splitlines() if spec.username in line)
        assert "demo password 2024" in line
    assert User.objects.get(username="yuehai-manager").check_password("demo password 2024")


def test_the_command_prints_the_bind_address_it_will_serve(monkeypatch):
    monkeypatch.setenv("WUSHE_BIND", "127.0.0.1:8123")
    out = StringIO()
    call_command("demo", "--no-serve", "--no-progress", stdout=out)
    assert "http://127.0.0.1:8123" in out.getvalue()


def test_a_weak_demo_password_is_refused_and_nothing_is_written(monkeypatch):
    monkeypatch.setenv("WUSHE_DEMO_PASSWORD", "12345")
    counts = _counts()
    with pytest.raises(CommandError, match="WUSHE_DEMO_PASSWORD: .*too common"):
        call_command("demo", "--no-serve", "--no-progress", stdout=StringIO())
    assert _counts() == counts
