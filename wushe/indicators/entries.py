"""Entering yearly figures (填报) and setting targets (目标). Pages, the API, the import and
commands call these functions; each writes in one transaction with its audit entry.

Figures: an administrator or a station manager, for a region of their subtree, of an entered
element that applies there. The region's totals up the tree (``totals``) are rebuilt in the
same transaction. Targets: an administrator, for a region of their subtree.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.audit.models import Action
from wushe.audit.services import audit_record, field_changes
from wushe.indicators import totals
from wushe.indicators.choices import ENTERING_ROLES
from wushe.indicators.models import DataElement, EnteredValue, Indicator, Target
from wushe.indicators.periods import FIRST_YEAR, LAST_YEAR
from wushe.indicators.services import applies_at
from wushe.regions.models import Region

# One figure stays below 10 billion (more than any population, household count or floor area of
# a region): a region's total sums its subtree's figures into the same 18-digit column (16 before
# the point), and 620,000 villages' figures of up to 1e10 still fit; 1e16 each did not (a sum of
# two overflowed the column: a 500 on SQLite, found by the API fuzzing).
MAX_VALUE = Decimal("1e10")


def may_enter(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.role in ENTERING_ROLES)


def may_set_targets(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_admin)


def parse_value(raw: object, field: str = "value") -> Decimal:
    """A figure ≥ 0 with at most two decimals, from a number or its text ("1,234.5")."""
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _invalid(field, _("Enter a number."), "not_number")
    if value < 0:
        raise _invalid(field, _("The value cannot be negative."), "negative")
    if value >= MAX_VALUE:
        raise _invalid(field, _("The value is too large."), "too_large")
    if value != value.quantize(Decimal("0.01")):
        raise _invalid(field, _("Use at most two decimal places."), "too_many_decimals")
    return value.quantize(Decimal("0.01"))


def _invalid(field: str, message: str, code: str) -> ValidationError:
    """A field's error that keeps its code (``error_code`` reads it back)."""
    return ValidationError({field: ValidationError(message, code=code)})


def error_code(error: ValidationError) -> str | None:
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.code


def parse_year(raw: object, field: str = "year") -> int:
    text = str(raw if raw is not None else "").strip()
    if text.endswith(".0"):  # a year typed into a number cell of a workbook
        text = text[:-2]
    if not (text.isascii() and text.isdigit() and len(text) == 4) or not (
        FIRST_YEAR <= int(text) <= LAST_YEAR
    ):
        message = _("Enter a year from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
        raise _invalid(field, message, "bad_year")
    return int(text)


def _check_figure(actor, region: Region, element: DataElement) -> None:
    if not may_enter(actor):
        raise PermissionDenied(_("Your role cannot enter figures."))
    if region is None or not actor.can_see_code(region.code):
        raise ValidationError({"region": _("No such region.")}, code="not_found")
    if not element.is_entered or not applies_at(element.region_code, region.code):
        raise ValidationError(
            {
                "element": _("“%(code)s” is not a data element entered per year.")
                % {"code": element.code}
            },
            code="not_entered",
        )


def entered_value_set(
    *,
    actor,
    region: Region,
    year: object,
    element: DataElement,
    value: object,
    note: str = "",
) -> EnteredValue:
    """Enter (or correct) ``element``'s figure for ``region`` and ``year``."""
    _check_figure(actor, region, element)
    year, value = parse_year(year), parse_value(value)
    with transaction.atomic():
        totals.lock([element.code])
        entered = EnteredValue.objects.filter(region=region, element=element, year=year).first()
        before = {"value": entered.value, "note": entered.note} if entered else {}
        if entered is None:
            entered = EnteredValue(region=region, element=element, year=year)
        entered.value, entered.note, entered.entered_by = value, note, actor
        entered.full_clean(validate_unique=False)
        changes = field_changes(before, {"value": value, "note": note})
        if not changes:
            return entered
        entered.save()
        totals.rebuild(element.code, [year])
        action = Action.UPDATE if before else Action.CREATE
        audit_record(actor=actor, action=action, obj=entered, changes=changes)
    return entered


def entered_value_delete(*, actor, entered: EnteredValue) -> None:
    _check_figure(actor, entered.region, entered.element)
    with transaction.atomic():
        totals.lock([entered.element_id])
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=entered,
            changes={"value": [str(entered.value), None]},
        )
        entered.delete()
        totals.rebuild(entered.element_id, [entered.year])


# Targets ---------------------------------------------------------------------------------------


def _check_target(actor, region: Region | None, indicator: Indicator) -> None:
    if not may_set_targets(actor):
        raise PermissionDenied(_("Only an administrator can set targets."))
    if region is None or not actor.can_see_code(region.code):
        raise ValidationError({"region": _("No such region.")}, code="not_found")
    if not applies_at(indicator.region_code, region.code):
        raise ValidationError(
            {"indicator": _("This indicator does not apply in this region.")}, code="not_here"
        )


def target_set(
    *,
    actor,
    region: Region,
    indicator: Indicator,
    year: object,
    value: object,
    base_year: object = None,
    base_value: object = None,
    source: str = "",
) -> Target:
    """Set (or change) the target of ``indicator`` in ``region`` by the end of ``year``."""
    _check_target(actor, region, indicator)
    year, value = parse_year(year), parse_value(value)
    base_year = None if base_year in (None, "") else parse_year(base_year, "base_year")
    base_value = None if base_value in (None, "") else parse_value(base_value, "base_value")
    if base_year is not None and base_year >= year:
        raise ValidationError(
            {"base_year": _("The base year must come before the target's year.")},
            code="bad_base_year",
        )
    fields = {"value": value, "base_year": base_year, "base_value": base_value, "source": source}
    with transaction.atomic():
        target = Target.objects.filter(region=region, indicator=indicator, year=year).first()
        before = {name: getattr(target, name) for name in fields} if target else {}
        target = target or Target(region=region, indicator=indicator, year=year)
        for name, given in fields.items():
            setattr(target, name, given)
        target.set_by = actor
        target.full_clean(validate_unique=False)
        changes = field_changes(before, fields)
        if changes:
            target.save()
            action = Action.UPDATE if before else Action.CREATE
            audit_record(actor=actor, action=action, obj=target, changes=changes)
    return target


def target_delete(*, actor, target: Target) -> None:
    _check_target(actor, target.region, target.indicator)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=target,
            changes={"value": [str(target.value), None]},
        )
        target.delete()
