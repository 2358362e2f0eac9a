"""The demo at 南山区's published scale (about 3,000 filed residents, 18,000 visits and 60,000
person-times of service), and its statistics agreeing with its records."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wushe.audit.models import AuditEntry
from wushe.casework.models import HomeVisit
from wushe.charity.models import Donation
from wushe.core import demo
from wushe.matching.models import Need
from wushe.organisations.models import Organisation
from wushe.people.models import Resident
from wushe.regions.models import Region
from wushe.statistics.recompute import check
from wushe.statistics.selectors import statistics_for
from wushe.statistics.tallies import month_of
from wushe.volunteers.models import Volunteer
from wushe.workers.models import SocialWorker

pytestmark = pytest.mark.django_db


def test_the_demo_reaches_nanshans_scale_and_its_statistics_agree_with_the_records():
    result = demo.build(records=True)
    admin = next(login.user for login in result.logins if login.user.username == demo.ACTOR)

    assert result.residents_created == Resident.objects.count() == 3_000
    villages = set(Resident.objects.values_list("region_id", flat=True))
    assert len(villages) == 108  # every community of 南山区 has filed residents
    assert HomeVisit.objects.count() == result.records["homevisit"] == 18_000
    assert not check()  # every statistics counter equals the records

    today = timezone.localdate()
    county = Region.objects.get(code="440305000000")
    figures = statistics_for(
        user=admin,
        region=county,
        month_from=month_of(today - timedelta(days=800)),
        month_to=month_of(today),
    )
    assert figures.persons == 3_000
    assert figures.visits == 18_000
    assert 55_000 <= figures.person_times <= 70_000
    assert figures.groups and figures.group_sessions and figures.activities
    assert figures.cases_opened == result.records["case"]
    # The bulk-written kinds are in the audit log, by count, as written by the demo admin.
    generated = AuditEntry.objects.filter(actor=admin, object_type="casework.homevisit")
    assert generated.get().changes == {"count": [None, "18000"]}

    # The five forces and the plan figures, and the volunteer portal accounts among the logins.
    forces = result.forces
    assert forces["organisations"] == Organisation.objects.count() > 0
    assert forces["social workers"] == SocialWorker.objects.count() > 0
    assert forces["volunteers"] == Volunteer.objects.count() == 600
    assert forces["donations"] == Donation.objects.count() == 200
    assert Need.objects.count() > 0 and forces["indicator figures"] > 0
    portal = [login for login in result.logins if login.user.is_volunteer]
    assert len(portal) == 3
    assert all(login.user.check_password(login.password) for login in portal)
    assert all(Volunteer.objects.filter(user=login.user).exists() for login in portal)

    again = demo.build(records=True)
    assert again.residents_created == 0 and again.records == {}
    assert set(again.forces.values()) == {0}
    assert HomeVisit.objects.count() == 18_000 and Resident.objects.count() == 3_000
    assert Volunteer.objects.count() == 600 and Donation.objects.count() == 200
