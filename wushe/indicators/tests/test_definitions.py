"""Indicators and elements are data: defined, changed and deleted by administrators, refused
with a message on the field when a formula names a missing element."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wushe.audit.models import AuditEntry
from wushe.indicators import seed, services
from wushe.indicators.models import DataElement, Indicator
from wushe.indicators.tests.helpers import define, element, indicator

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> dict:
    return error.value.message_dict


def test_a_formula_naming_a_missing_element_is_refused_on_its_field(nanshan_admin):
    with pytest.raises(ValidationError) as error:
        define(nanshan_admin, "ratio_x", "no_such_element", "villages")
    assert "numerator" in messages(error)
    with pytest.raises(ValidationError) as error:
        define(nanshan_admin, "ratio_x", "visits", "no_such_element")
    assert "denominator" in messages(error)
    with pytest.raises(ValidationError) as error:
        define(nanshan_admin, "ratio_x", "", None)
    assert "numerator" in messages(error)
    assert not Indicator.objects.filter(code="ratio_x").exists()


def test_an_element_defined_in_another_subtree_is_missing_here(nanshan_admin, futian_admin):
    services.element_create(actor=futian_admin, code="futian_thing", name_zh="福田专项")
    with pytest.raises(ValidationError) as error:
        define(nanshan_admin, "uses_futian", "futian_thing")
    assert "numerator" in messages(error)


def test_codes_factors_and_directions_are_checked(nanshan_admin):
    for code in ("Bad Code", "1abc", "x", "station_coverage"):
        with pytest.raises(ValidationError) as error:
            define(nanshan_admin, code, "visits")
        assert "code" in messages(error), code
    for factor in ("0", "-100", "abc", "NaN", "1e30"):
        with pytest.raises(ValidationError) as error:
            services.indicator_create(
                actor=nanshan_admin, code="ok_code", name_zh="x", numerator="visits", factor=factor
            )
        assert "factor" in messages(error), factor
    with pytest.raises(ValidationError) as error:
        define(nanshan_admin, "ok_code", "visits", direction="sideways")
    assert "direction" in messages(error)


def test_an_indicator_is_defined_changed_and_deleted_with_audit(nanshan_admin):
    made = define(nanshan_admin, "visits_per_village", "visits", "villages", 1)
    assert made.region_code == nanshan_admin.region_id and made.formula == "visits / villages"
    services.indicator_update(
        actor=nanshan_admin, indicator=made, factor=Decimal(100), denominator="townships"
    )
    made.refresh_from_db()
    assert made.formula == "visits / townships × 100"
    services.indicator_delete(actor=nanshan_admin, indicator=made)
    assert not Indicator.objects.filter(code="visits_per_village").exists()
    entries = AuditEntry.objects.filter(object_type="indicators.indicator").order_by("seq")
    actions = entries.values_list("action", flat=True)
    assert list(actions) == ["create", "update", "delete"]


def test_only_administrators_of_the_region_change_definitions(
    yuehai_manager, nanshan_admin, futian_admin
):
    with pytest.raises(PermissionDenied):
        define(yuehai_manager, "mine", "visits")
    with pytest.raises(PermissionDenied):  # the built-in set is national
        services.indicator_update(
            actor=nanshan_admin, indicator=indicator("station_coverage"), name_zh="x"
        )
    made = define(nanshan_admin, "mine", "visits")
    with pytest.raises(PermissionDenied):
        services.indicator_update(actor=futian_admin, indicator=made, name_zh="x")


def test_built_ins_and_elements_in_use_are_not_deleted(nanshan_admin):
    national = nanshan_admin.__class__(username="n", region_id="000000000000", role="admin")
    national.save()
    with pytest.raises(ValidationError):
        services.indicator_delete(actor=national, indicator=indicator("station_coverage"))
    with pytest.raises(ValidationError):
        services.element_delete(actor=national, element=element("households"))
    own = services.element_create(
        actor=nanshan_admin, code="elderly_80", name_zh="80岁以上老年人口"
    )
    assert own.is_entered and own.period_kind == "stock"
    made = define(nanshan_admin, "elderly_share", "elderly_80", "resident_population", 100)
    with pytest.raises(ValidationError):
        services.element_delete(actor=nanshan_admin, element=own)
    services.indicator_delete(actor=nanshan_admin, indicator=made)
    services.element_delete(actor=nanshan_admin, element=own)
    assert not DataElement.objects.filter(code="elderly_80").exists()


def test_the_built_in_set_is_seeded_with_sources_and_seeding_is_idempotent():
    assert Indicator.objects.filter(built_in=True).count() == len(seed.INDICATORS)
    coverage = indicator("station_coverage")
    assert coverage.formula == "stations_operating / townships × 100"
    assert "广东" in coverage.source and "河南" in coverage.source
    first = seed.seed()
    again = seed.seed()
    assert (again.elements, again.indicators, again.targets) == (0, 0, 0)
    # Only 广东 is loaded in the tests: its two targets, the other provinces' skipped.
    assert first.targets == 2 and first.skipped_targets == len(seed.TARGETS) - 2
    assert all(target.source for target in coverage.targets.all())


def test_the_demo_enters_figures_once_and_they_roll_up(nanshan_admin):
    from wushe.indicators.demo import demo_indicators
    from wushe.indicators.periods import Period
    from wushe.indicators.selectors import indicator_value
    from wushe.indicators.tests.helpers import region

    written = demo_indicators(actor=nanshan_admin, county="440305")
    assert written > 0 and demo_indicators(actor=nanshan_admin, county="440305") == 0
    area = indicator_value(
        user=nanshan_admin,
        indicator=indicator("facility_area_per_100_households"),
        region=region("440305000000"),
        period=Period.current(),
    )
    assert area.value is not None and area.target == 32 and area.inherited  # 广东's


def test_the_demo_takes_this_months_snapshot_and_a_second_run_replaces_it(
    nanshan_admin, yuehai_station
):
    from wushe.indicators.demo import demo_indicators
    from wushe.indicators.models import SnapshotMonth, StockSnapshot
    from wushe.indicators.periods import this_month
    from wushe.workers.tests.sample import make_worker

    make_worker(nanshan_admin, yuehai_station, 1)
    demo_indicators(actor=nanshan_admin, county="440305")
    rows = set(StockSnapshot.objects.values_list("element_id", "month", "region_code", "value"))
    assert ("social_workers", this_month(), "440305007000", 1) in rows
    assert SnapshotMonth.objects.filter(month=this_month(), element_id="social_workers").exists()
    demo_indicators(actor=nanshan_admin, county="440305")
    again = set(StockSnapshot.objects.values_list("element_id", "month", "region_code", "value"))
    assert again == rows and SnapshotMonth.objects.filter(element_id="social_workers").count() == 1
