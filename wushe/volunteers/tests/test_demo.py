"""The demo volunteers: written once, quickly, through the services; portal accounts work."""

import time

import pytest

from conftest import NANSHAN
from wushe.accounts.models import User
from wushe.volunteers import demo, selectors
from wushe.volunteers.models import LedgerEntry, Volunteer, VolunteerTeam

pytestmark = pytest.mark.django_db
PASSWORD = "demo pass phrase 2026"


def test_the_demo_seeds_the_county_once_and_fast(nanshan_admin, client):
    started = time.perf_counter()
    assert demo.seed(actor=nanshan_admin, county="440305", password=PASSWORD) == demo.VOLUNTEERS
    elapsed = time.perf_counter() - started
    assert elapsed < 10, elapsed
    assert Volunteer.objects.within(nanshan_admin.scope_range).count() == 600
    assert LedgerEntry.objects.filter(kind="earned").count() > 600
    assert LedgerEntry.objects.filter(kind="redeemed").exists()
    assert VolunteerTeam.objects.count() == 5
    counts = selectors.volunteer_counts(nanshan_admin.scope_range)
    assert counts["active"] == 600 and counts["hours"] > 0
    assert all(v.skills.exists() for v in Volunteer.objects.all()[:20])
    assert demo.seed(actor=nanshan_admin, county=NANSHAN[:6], password="another pass 2027") == 0
    assert Volunteer.objects.count() == 600
    account = User.objects.get(username="yuehai-volunteer")
    assert account.is_volunteer and account.check_password("another pass 2027")
    client.force_login(account)
    page = client.get("/volunteer/")
    assert page.status_code == 200
    own = Volunteer.objects.get(user__username="yuehai-volunteer")
    assert own.region_id.startswith("440305007") and own.number in page.content.decode()
