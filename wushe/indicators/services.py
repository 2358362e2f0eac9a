"""Defining data elements and indicators. Pages, the API and commands call these functions.

A definition belongs to a region (its ``region_code``, the national root for the built-in
set) and applies in that region's subtree. An administrator may define, change and delete the
definitions of their own subtree (the built-in set: a national administrator). A formula may
only use elements that apply where the indicator does; one that names a missing element is
refused with the message on that field.

Entered figures and targets: ``entries.py``. Month-end snapshots of the stocks that hold the
present only: :func:`snapshot_month` (``snapshots.py``).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.audit.models import Action
from wushe.audit.services import audit_record, field_changes
from wushe.indicators import snapshots
from wushe.indicators.choices import Direction, PeriodKind, Source
from wushe.indicators.elements import significant_prefix
from wushe.indicators.models import DataElement, EnteredValue, Indicator
from wushe.indicators.periods import this_month

CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
RESERVED = {"new", "elements", "figures", "targets"}  # the pages' own paths under /indicators/
ELEMENT_FIELDS = ["name_zh", "name_en", "unit", "description"]
INDICATOR_FIELDS = [
    "name_zh",
    "name_en",
    "numerator",
    "denominator",
    "factor",
    "unit",
    "direction",
    "description",
    "source",
]


def applies_at(definition_code: str, region_code: str) -> bool:
    """Whether a definition of ``definition_code``'s region applies in ``region_code``."""
    return region_code.startswith(significant_prefix(definition_code))


def may_define(actor, region_code: str) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_admin) and actor.can_see_code(
        region_code
    )


def _check_may_define(actor, region_code: str) -> None:
    if not may_define(actor, region_code):
        raise PermissionDenied(_("Only an administrator of this region can change definitions."))


def _owner(actor, region_code: str | None) -> str:
    owner = region_code or actor.region_id
    if not actor.can_see_code(owner):
        raise ValidationError({"region": _("No such region.")}, code="not_found")
    return owner


def _check_code(code: str, model) -> None:
    if not CODE.match(code or "") or code in RESERVED:
        raise ValidationError(
            {
                "code": _(
                    "Use 2 to 40 lower-case letters, digits and underscores, starting with a "
                    "letter (for example elderly_80)."
                )
            },
            code="bad_code",
        )
    if model.objects.filter(**{"code": code}).exists():
        raise ValidationError({"code": _("This code is already in use.")}, code="unique")


# Data elements ---------------------------------------------------------------------------------


def element_create(
    *,
    actor,
    code: str,
    name_zh: str,
    name_en: str = "",
    unit: str = "",
    description: str = "",
    region_code: str | None = None,
) -> DataElement:
    """A new entered element (elements from the records are registered in code)."""
    _check_may_define(actor, region_code or actor.region_id or "")
    owner = _owner(actor, region_code)
    _check_code(code, DataElement)
    element = DataElement(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        unit=unit,
        description=description,
        source=Source.ENTERED,
        period_kind=PeriodKind.STOCK,
        region_code=owner,
    )
    element.full_clean(validate_unique=False)
    with transaction.atomic():
        element.save(force_insert=True)
        audit_record(actor=actor, action=Action.CREATE, obj=element)
    return element


def element_update(*, actor, element: DataElement, **fields) -> DataElement:
    unknown = set(fields) - set(ELEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown element fields: {sorted(unknown)}")
    _check_may_define(actor, element.region_code)
    before = {name: getattr(element, name) for name in ELEMENT_FIELDS}
    for name, value in fields.items():
        setattr(element, name, value)
    element.full_clean(validate_unique=False)
    changes = field_changes(before, {name: getattr(element, name) for name in ELEMENT_FIELDS})
    with transaction.atomic():
        element.save()
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=element, changes=changes)
    return element


def element_delete(*, actor, element: DataElement) -> None:
    """Delete an element that no indicator uses, with its entered figures."""
    _check_may_define(actor, element.region_code)
    if element.built_in:
        raise ValidationError(_("A built-in data element cannot be deleted."), code="built_in")
    users = Indicator.objects.filter(numerator=element) | Indicator.objects.filter(
        denominator=element
    )
    names = sorted(users.values_list("code", flat=True))
    if names:
        raise ValidationError(
            _("Indicators use this data element: %(names)s. Change or delete them first.")
            % {"names": ", ".join(names)},
            code="in_use",
        )
    with transaction.atomic():
        figures = EnteredValue.objects.filter(element=element).count()
        audit_record(
            actor=actor, action=Action.DELETE, obj=element, changes={"entered_values": figures}
        )
        element.delete()


# Indicators ------------------------------------------------------------------------------------


def _element(field: str, code: object, owner: str, *, required: bool) -> DataElement | None:
    """The element a formula names by code (or passes), if it applies where the indicator
    does; else the formula is refused on ``field``."""
    if isinstance(code, DataElement):
        code = code.code
    text = str(code or "").strip()
    if not text:
        if required:
            raise ValidationError({field: _("Choose a data element.")}, code="required")
        return None
    element = DataElement.objects.filter(code=text).first()
    if element is None or not applies_at(element.region_code, owner):
        raise ValidationError(
            {field: _("There is no data element “%(code)s”.") % {"code": text[:40]}},
            code="unknown_element",
        )
    return element


def _factor(value: object) -> Decimal:
    try:
        factor = Decimal(str(value if value not in (None, "") else 1))
    except InvalidOperation:
        factor = Decimal(0)
    if not factor.is_finite() or factor <= 0 or factor >= Decimal("1e10"):
        raise ValidationError(
            {"factor": _("The factor must be a positive number (1, 100, 1000, 10000 …).")},
            code="bad_factor",
        )
    return factor


def _prepare(indicator: Indicator, fields: dict) -> None:
    owner = indicator.region_code
    if "numerator" in fields:
        fields["numerator"] = _element("numerator", fields["numerator"], owner, required=True)
    if "denominator" in fields:
        fields["denominator"] = _element(
            "denominator", fields["denominator"], owner, required=False
        )
    if "factor" in fields:
        fields["factor"] = _factor(fields["factor"])
    if fields.get("direction") not in (None, *Direction.values):
        raise ValidationError({"direction": _("Choose higher or lower.")}, code="bad_direction")
    for name, value in fields.items():
        setattr(indicator, name, value)


def indicator_create(*, actor, code: str, region_code: str | None = None, **fields) -> Indicator:
    """A new indicator defined as a formula over data elements."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    _check_may_define(actor, region_code or actor.region_id or "")
    owner = _owner(actor, region_code)
    _check_code(code, Indicator)
    indicator = Indicator(code=code, region_code=owner)
    fields.setdefault("numerator", None)
    _prepare(indicator, fields)
    indicator.full_clean(validate_unique=False)
    with transaction.atomic():
        indicator.save(force_insert=True)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=indicator,
            changes={"formula": [None, indicator.formula]},
        )
    return indicator


def indicator_update(*, actor, indicator: Indicator, **fields) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    _check_may_define(actor, indicator.region_code)
    watched = [name for name in INDICATOR_FIELDS if name not in ("numerator", "denominator")]
    before = {name: getattr(indicator, name) for name in watched}
    before["formula"] = indicator.formula
    _prepare(indicator, fields)
    indicator.full_clean(validate_unique=False)
    after = {name: getattr(indicator, name) for name in watched}
    after["formula"] = indicator.formula
    changes = field_changes(before, after)
    with transaction.atomic():
        indicator.save()
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=indicator, changes=changes)
    return indicator


def indicator_delete(*, actor, indicator: Indicator) -> None:
    """Delete an indicator and its targets (the built-in set stays)."""
    _check_may_define(actor, indicator.region_code)
    if indicator.built_in:
        raise ValidationError(_("A built-in indicator cannot be deleted."), code="built_in")
    with transaction.atomic():
        targets = indicator.targets.count()
        audit_record(actor=actor, action=Action.DELETE, obj=indicator, changes={"targets": targets})
        indicator.delete()


# Month-end snapshots ---------------------------------------------------------------------------

# Lazy: the command prints each error in English and in Chinese.
MONTH_ENDED = gettext_lazy(
    "%(month)s has ended: its month-end figures can no longer be taken, because the records "
    "hold only the present. Take the current month's, every day (the last run of a month "
    "stands as its end)."
)
MONTH_NOT_BEGUN = gettext_lazy(
    "%(month)s has not begun: only the current month's figures can be taken."
)


def snapshot_month(*, month: date | None = None) -> snapshots.Taken:
    """Store the present figures of every stock record element that holds the present only
    (social workers, volunteers, filed residents …) as the current month's month-end figures
    (月末数), replacing the month's earlier snapshot. ``month``, when given, must be the current
    month: an ended month's end is past and the present is not it (a ValidationError on
    ``month``)."""
    current = this_month()
    asked = (month or current).replace(day=1)
    if asked != current:
        message = MONTH_ENDED if asked < current else MONTH_NOT_BEGUN
        code = "month_ended" if asked < current else "month_not_begun"
        raise ValidationError(
            {"month": ValidationError(message, code=code, params={"month": f"{asked:%Y-%m}"})}
        )
    return snapshots.take(current)
