"""Registering and changing social organisations, and their incubation: rules, errors, audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import FUTIAN_TOWNSHIP, NANSHAN, SHEKOU, YUEHAI
from wushe.audit.models import AuditEntry
from wushe.core.service_areas import ServiceArea
from wushe.organisations.choices import OrganisationStatus, OrganisationType
from wushe.organisations.models import IncubationPeriod, Organisation
from wushe.organisations.selectors import organisation_list
from wushe.organisations.services import (
    incubation_enter,
    incubation_leave,
    organisation_register,
    organisation_update,
)
from wushe.organisations.tests.sample import credit_code, make_organisation
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db


def errors_of(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def test_it_registers_an_organisation_with_areas_and_an_audit_entry(yuehai_manager):
    organisation = make_organisation(yuehai_manager, YUEHAI, 1)
    assert organisation.credit_code == credit_code(1)
    assert organisation.contact_phone == "0755-26888888"
    assert sorted(organisation.service_areas.values_list("area", flat=True)) == [
        "children",
        "elderly",
    ]
    entry = AuditEntry.objects.get(object_type="organisations.organisation", action="create")
    assert entry.region_code == YUEHAI
    assert entry.changes["service_areas"] == [None, "children,elderly"]
    assert entry.changes["contact_phone"][1] != "0755-26888888"  # masked in the log


def test_it_normalises_a_typed_credit_code(yuehai_manager):
    typed = " " + credit_code(2).lower() + " "
    organisation = make_organisation(yuehai_manager, YUEHAI, 3)
    organisation_update(actor=yuehai_manager, organisation=organisation, credit_code=typed)
    organisation.refresh_from_db()
    assert organisation.credit_code == credit_code(2)


def test_it_lists_every_bad_field_at_once_and_writes_nothing(yuehai_manager):
    errors = errors_of(
        organisation_register,
        actor=yuehai_manager,
        name="",
        kind="nonsense",
        credit_code="91350100M000100Y44",
        region=Region.objects.get(code=FUTIAN_TOWNSHIP),
        contact_phone="12345",
        service_areas=[],
        founded_on=timezone.localdate() + timedelta(days=1),
    )
    assert set(errors) == {
        "name",
        "kind",
        "credit_code",
        "region",
        "contact_phone",
        "service_areas",
        "founded_on",
    }
    assert "校验码" in errors["credit_code"][0]
    assert not Organisation.objects.exists() and not AuditEntry.objects.exists()


def test_a_credit_code_is_required_except_for_a_community_organisation(yuehai_manager):
    base = {
        "actor": yuehai_manager,
        "name": "科技园社区舞蹈队",
        "region": Region.objects.get(code=YUEHAI),
        "service_areas": [ServiceArea.COMMUNITY],
    }
    errors = errors_of(organisation_register, kind=OrganisationType.CHARITY, **base)
    assert list(errors) == ["credit_code"]
    filed = organisation_register(kind=OrganisationType.COMMUNITY, **base)
    assert filed.credit_code == ""
    # Two filed organisations without a code do not clash.
    organisation_register(kind=OrganisationType.COMMUNITY, **{**base, "name": "读书会"})


def test_a_credit_code_is_registered_once_nationally(yuehai_manager, futian_admin):
    make_organisation(yuehai_manager, YUEHAI, 4)
    other = errors_of(
        organisation_register,
        actor=futian_admin,
        name="重复",
        kind=OrganisationType.SOCIAL_WORK,
        credit_code=credit_code(4),
        region=Region.objects.get(code=FUTIAN_TOWNSHIP),
        service_areas=[ServiceArea.ELDERLY],
    )
    assert list(other) == ["credit_code"]


def test_unknown_service_areas_are_refused(yuehai_manager):
    errors = errors_of(
        make_organisation,
        actor=yuehai_manager,
        code=YUEHAI,
        sequence=5,
        service_areas=["elderly", "astrology"],
    )
    assert list(errors) == ["service_areas"]


def test_only_a_manager_or_administrator_changes_the_status(shekou_worker, nanshan_admin):
    organisation = make_organisation(shekou_worker, SHEKOU, 6)
    with pytest.raises(PermissionDenied):
        organisation_update(
            actor=shekou_worker, organisation=organisation, status=OrganisationStatus.SUSPENDED
        )
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.ACTIVE
    # Sending the same status back (a form does) is not a change.
    organisation_update(
        actor=shekou_worker, organisation=organisation, status="active", address="蛇口路1号"
    )
    organisation_update(
        actor=nanshan_admin, organisation=organisation, status=OrganisationStatus.DEREGISTERED
    )
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.DEREGISTERED
    entry = AuditEntry.objects.filter(action="update").latest("seq")
    assert entry.changes == {"status": ["active", "deregistered"]}


def test_auditors_and_outsiders_cannot_write(nanshan_auditor, yuehai_manager, futian_admin):
    with pytest.raises(PermissionDenied):
        make_organisation(nanshan_auditor, YUEHAI, 7)
    organisation = make_organisation(yuehai_manager, YUEHAI, 8)
    errors = errors_of(
        organisation_update, actor=futian_admin, organisation=organisation, name="改名"
    )
    assert list(errors) == ["organisation"]


def test_an_update_replaces_the_areas_and_moves_the_incubation_scope(nanshan_admin, yuehai_station):
    organisation = make_organisation(nanshan_admin, YUEHAI, 9)
    incubation_enter(
        actor=nanshan_admin,
        organisation=organisation,
        site=yuehai_station,
        entered_on=date(2025, 3, 1),
    )
    organisation_update(
        actor=nanshan_admin,
        organisation=organisation,
        region=Region.objects.get(code=SHEKOU),
        service_areas=[ServiceArea.YOUTH],
    )
    assert list(organisation.service_areas.values_list("area", flat=True)) == ["youth"]
    assert IncubationPeriod.objects.get().region_code == SHEKOU


def test_incubation_periods_follow_each_other(nanshan_admin, yuehai_station):
    organisation = make_organisation(nanshan_admin, NANSHAN, 10)
    first = incubation_enter(
        actor=nanshan_admin,
        organisation=organisation,
        site=yuehai_station,
        entered_on=date(2024, 1, 10),
    )
    errors = errors_of(
        incubation_enter,
        actor=nanshan_admin,
        organisation=organisation,
        base_name="深圳市社会组织孵化基地",
        entered_on=date(2024, 2, 1),
    )
    assert "already" in errors["entered_on"][0] or "已" in errors["entered_on"][0]
    errors = errors_of(
        incubation_leave, actor=nanshan_admin, organisation=organisation, left_on=date(2024, 1, 1)
    )
    assert list(errors) == ["left_on"]
    incubation_leave(actor=nanshan_admin, organisation=organisation, left_on=date(2024, 12, 31))
    first.refresh_from_db()
    assert first.left_on == date(2024, 12, 31)
    errors = errors_of(
        incubation_enter,
        actor=nanshan_admin,
        organisation=organisation,
        base_name="深圳市社会组织孵化基地",
        entered_on=date(2024, 6, 1),
    )
    assert list(errors) == ["entered_on"]
    second = incubation_enter(
        actor=nanshan_admin,
        organisation=organisation,
        base_name="深圳市社会组织孵化基地",
        entered_on=date(2025, 1, 2),
    )
    assert second.base == "深圳市社会组织孵化基地"
    assert organisation_list(user=nanshan_admin).get(pk=organisation.pk).incubating
    assert organisation.incubations.count() == 2


def test_an_incubation_needs_one_base_a_real_date_and_a_visible_site(
    nanshan_admin, yuehai_station, futian_station
):
    organisation = make_organisation(nanshan_admin, NANSHAN, 11)
    base = {"actor": nanshan_admin, "organisation": organisation}
    assert list(errors_of(incubation_enter, entered_on=date(2025, 1, 1), **base)) == ["site"]
    errors = errors_of(
        incubation_enter, site=yuehai_station, base_name="基地", entered_on=None, **base
    )
    assert set(errors) == {"base_name", "entered_on"}
    errors = errors_of(incubation_enter, site=futian_station, entered_on=date(2025, 1, 1), **base)
    assert list(errors) == ["site"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = errors_of(incubation_enter, site=yuehai_station, entered_on=tomorrow, **base)
    assert list(errors) == ["entered_on"]
    assert list(errors_of(incubation_leave, left_on=date(2025, 1, 1), **base)) == ["left_on"]
    assert not IncubationPeriod.objects.exists()


def test_the_list_filters_by_type_area_status_search_and_incubation(nanshan_admin, yuehai_station):
    elderly = make_organisation(nanshan_admin, YUEHAI, 12, name="夕阳红服务社")
    youth = make_organisation(
        nanshan_admin,
        SHEKOU,
        13,
        name="青春志愿者协会",
        kind=OrganisationType.VOLUNTEER,
        service_areas=[ServiceArea.YOUTH],
    )
    incubation_enter(
        actor=nanshan_admin, organisation=youth, site=yuehai_station, entered_on=date(2025, 5, 1)
    )

    def names(**filters):
        return {o.name for o in organisation_list(user=nanshan_admin, filters=filters)}

    assert names(kind="volunteer") == {youth.name}
    assert names(service_area="elderly") == {elderly.name}
    assert names(q="夕阳") == {elderly.name}
    assert names(q=youth.credit_code.lower()) == {youth.name}
    assert names(incubating="true") == {youth.name}
    assert names(incubating="false") == {elderly.name}
    assert names(region="440305005") == {youth.name}
    assert names(status="deregistered") == set()
    with pytest.raises(ValidationError) as caught:
        organisation_list(user=nanshan_admin, filters={"kind": "nonsense"})
    assert "kind" in caught.value.message_dict


def test_a_deregistered_organisation_cannot_enter_a_base(nanshan_admin, yuehai_station):
    organisation = make_organisation(nanshan_admin, YUEHAI, 14)
    organisation_update(
        actor=nanshan_admin, organisation=organisation, status=OrganisationStatus.DEREGISTERED
    )
    errors = errors_of(
        incubation_enter,
        actor=nanshan_admin,
        organisation=organisation,
        site=yuehai_station,
        entered_on=date(2025, 1, 1),
    )
    assert errors == {"entered_on": ["已注销的组织不能入驻孵化基地。"]}
