"""Who may do what with charity resources, and the checks every service shares.

- Social workers, station managers and administrators register donors, receive donations and
  hand out goods from stock (daily work at a station).
- Only station managers and administrators open or close a fund, spend from it (支出), and
  correct either ledger by a reversing entry or cancel a donation: money leaving a fund and
  corrections of the books need someone answerable for the station's accounts.
- Auditors read everything in their subtree and change nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.charity.choices import CENT, MAX_VALUE, RECEIVING_LEVELS
from wushe.people.models import Resident
from wushe.regions.models import Region

WRITERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)
SUPERVISORS = (Role.ADMIN, Role.MANAGER)


def can_write(user) -> bool:
    return getattr(user, "role", None) in WRITERS


def can_supervise(user) -> bool:
    return getattr(user, "role", None) in SUPERVISORS


def check_writer(actor: User | None) -> None:
    if not can_write(actor):
        raise PermissionDenied(_("Your role cannot record charity resources."))


def check_supervisor(actor: User | None) -> None:
    if not can_supervise(actor):
        raise PermissionDenied(
            _("Only a station manager or administrator can spend from a fund or correct the books.")
        )


def region_errors(actor: User, region: Region | None) -> list[str]:
    """Why ``region`` cannot receive charity resources for ``actor`` (empty: it can)."""
    if region is None or not actor.can_see_code(region.code):
        return [_("No such region.")]
    if region.level not in RECEIVING_LEVELS:
        return [_("Choose a county, a township or a village (community).")]
    return []


def date_errors(
    day: date | None, *, not_before: date | None = None, before: str | None = None
) -> list[str]:
    """Why ``day`` cannot be used (empty: it can): missing, future, or before ``not_before``
    (``before`` says what that date is, naming it as ``%(day)s``)."""
    if day is None:
        return [_("Enter a date.")]
    if day > timezone.localdate():
        return [_("A date cannot be in the future.")]
    if not_before is not None and day < not_before:
        before = before or _("The date is before the fund was opened (%(day)s).")
        return [before % {"day": not_before.isoformat()}]
    return []


def positive(
    value, *, field: str, errors: dict[str, list], allow_zero: bool = False
) -> Decimal | None:
    """``value`` as a Decimal of at most 2 places, greater than zero (or zero, when allowed)
    and within the columns' limit; otherwise None with the reason under ``field`` in
    ``errors``."""
    problem = None
    try:
        number = Decimal(value) if isinstance(value, int | str | Decimal) else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        problem = _("Enter a number.")
    elif number < 0 or (number == 0 and not allow_zero):
        problem = (
            _("Enter an amount greater than zero.") if not allow_zero else _("Enter zero or more.")
        )
    elif number > MAX_VALUE:
        problem = _("Enter at most %(max)s.") % {"max": MAX_VALUE}
    elif number != number.quantize(CENT, rounding=ROUND_DOWN):
        problem = _("Enter at most two decimal places.")
    if problem:
        errors.setdefault(field, []).append(problem)
        return None
    return number.quantize(CENT)


def resident_errors(actor: User, resident: Resident | None, region: Region) -> list[str]:
    """A resident helped must be one the actor can see, living in the region of the fund or
    stock (whose readers then see the resident's name in its books)."""
    if resident is not None and not actor.can_see_code(resident.region_id):
        return [_("No such resident.")]
    if resident is not None and not region.contains(resident.region_id):
        return [_("This resident does not live in the region of the fund or stock.")]
    return []


def clean_into(
    obj, errors: dict[str, list], *, exclude: tuple[str, ...] = (), constraints: bool = False
) -> None:
    """The model's own checks (lengths, choices, digits) beside the services' errors, then
    raise them all together. Fields already in error are not checked twice; constraints are
    the services' own checks, with messages beside the right field, unless asked for."""
    skip = [*exclude, *(name for name, found in errors.items() if found)]
    try:
        obj.full_clean(exclude=skip, validate_constraints=constraints)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    raise_if(errors)


def raise_if(errors: dict[str, list[str]]) -> None:
    errors = {name: messages for name, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)
