"""Writing the hours and points ledger (志愿服务记录, 志愿服务积分). Entries are only ever added
(``LedgerEntry`` is append-only): a volunteer's hours and points are the sums of their entries.

Each write locks the volunteer's row first, so two redemptions at the same moment are served one
after the other and the second sees what the first left: points never go below zero.

The matching app records a task the station confirmed done with::

    service_record(
        actor=<the confirming staff user>,
        volunteer=<Volunteer>,
        hours=<Decimal or str, 0 to 24, two places>,
        tier=<choices.Tier value: "basic" | "skilled" | "professional" | "high_risk">,
        occurred_on=<date served, not in the future>,
        content=<what was done, ≤ 200 characters, shown on the certificate>,
        task_ref=<the task's reference, ≤ 64 characters, e.g. "task:123">,
        note="",
    ) -> LedgerEntry

Points are computed by the rule in force for the volunteer's village (``rules``), capped per
task (per ``task_ref``) or per activity; a ``task_ref`` already recorded for the volunteer (and
not corrected) is refused, so confirming a task twice cannot count it twice. Errors are
``ValidationError`` with field messages, ``PermissionDenied`` for a role that may not write.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.activities.models import Activity
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.volunteers import selectors
from wushe.volunteers.choices import MAX_POINTS, EntryKind, Tier
from wushe.volunteers.models import LedgerEntry, Volunteer
from wushe.volunteers.rules import points_rule_for
from wushe.volunteers.services import SUPERVISORS, check_visible, check_writer, field_error

MAX_DAY_HOURS = Decimal(24)
HUNDREDTH = Decimal("0.01")


def _hours(value, *, errors: dict, field: str = "hours", allow_zero: bool = True):
    """``value`` as hours of one day (0–24, two places), or None with the reason in errors."""
    try:
        number = Decimal(value) if isinstance(value, int | str | Decimal) else None
    except (InvalidOperation, ValueError):
        number = None
    problem = None
    if number is None or not number.is_finite():
        problem = _("Enter a number of hours.")
    elif number < 0 or (number == 0 and not allow_zero):
        problem = (
            _("Enter hours greater than zero.") if not allow_zero else _("Enter zero or more.")
        )
    elif number > MAX_DAY_HOURS:
        problem = _("One entry holds at most 24 hours (one day).")
    elif number != number.quantize(HUNDREDTH, rounding=ROUND_DOWN):
        problem = _("Enter at most two decimal places.")
    if problem:
        errors.setdefault(field, []).append(problem)
        return None
    return number.quantize(HUNDREDTH)


def _day(value, *, errors: dict, field: str = "occurred_on") -> date | None:
    if not isinstance(value, date):
        errors.setdefault(field, []).append(_("Enter a date."))
        return None
    if value > timezone.localdate():
        errors.setdefault(field, []).append(_("A date cannot be in the future."))
        return None
    return value


def _text(value, *, errors: dict, field: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if required and not text:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(text) > limit:
        errors.setdefault(field, []).append(
            _("Enter at most %(limit)s characters.") % {"limit": limit}
        )
    return text


def _raise(errors: dict) -> None:
    errors = {name: messages for name, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


def locked_volunteer(volunteer: Volunteer) -> Volunteer:
    """The volunteer's row, locked until the transaction ends (call inside ``atomic``)."""
    return Volunteer.objects.select_for_update().get(pk=volunteer.pk)


def _points_now(volunteer: Volunteer) -> int:
    return LedgerEntry.objects.filter(volunteer=volunteer).aggregate(s=Coalesce(Sum("points"), 0))[
        "s"
    ]


def write_entry(actor: User | None, entry: LedgerEntry) -> LedgerEntry:
    entry.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=entry,
        region_code=entry.volunteer.region_id,
        object_repr=f"{entry.volunteer.number} {entry}",
        changes={
            "kind": [None, entry.kind],
            "hours": [None, str(entry.hours)],
            "points": [None, str(entry.points)],
            "occurred_on": [None, entry.occurred_on.isoformat()],
            **({"reverses": [None, str(entry.reverses_id)]} if entry.reverses_id else {}),
            **({"task_ref": [None, entry.task_ref]} if entry.task_ref else {}),
        },
    )
    return entry


def service_record(
    *,
    actor: User,
    volunteer: Volunteer,
    hours,
    occurred_on: date,
    tier: str = Tier.BASIC,
    content: str = "",
    activity: Activity | None = None,
    task_ref: str = "",
    note: str = "",
) -> LedgerEntry:
    """服务获得: hours served and the points they earn by the rule in force (see the module
    docstring for the matching app's call)."""
    check_writer(actor)
    check_visible(actor, volunteer)
    errors: dict[str, list] = {}
    hours = _hours(hours, errors=errors)
    occurred_on = _day(occurred_on, errors=errors)
    if tier not in Tier.values:
        errors.setdefault("tier", []).append(_("Choose a task tier."))
    if activity is not None and not Activity.objects.visible_to(actor).filter(pk=activity.pk):
        errors.setdefault("activity", []).append(_("No such activity."))
    if not content and activity is not None:
        content = activity.theme
    content = _text(content, errors=errors, field="content", limit=200, required=True)
    task_ref = _text(task_ref, errors=errors, field="task_ref", limit=64)
    note = _text(note, errors=errors, field="note", limit=500)
    _raise(errors)
    rule = points_rule_for(volunteer.region_id)
    with transaction.atomic():
        volunteer = locked_volunteer(volunteer)
        if task_ref and selectors.unreversed(
            LedgerEntry.objects.filter(volunteer=volunteer, task_ref=task_ref)
        ):
            message = _("This task's service is already recorded for this volunteer.")
            raise field_error("task_ref", message, "already_recorded")
        earned = rule.points_for(hours, tier)
        already = selectors.source_points(volunteer, activity=activity, task_ref=task_ref)
        points = max(0, min(earned, rule.cap - already))
        entry = LedgerEntry(
            volunteer=volunteer,
            kind=EntryKind.EARNED,
            hours=hours,
            points=points,
            tier=tier,
            content=content,
            activity=activity,
            task_ref=task_ref,
            occurred_on=occurred_on,
            note=note,
            created_by=actor,
        )
        return write_entry(actor, entry)


def honour_hours(
    *, actor: User, volunteer: Volunteer, hours, occurred_on: date, content: str, note: str = ""
) -> LedgerEntry:
    """荣誉时长: hours recognised by an administrator (a commendation, service before the
    platform), which earn no points."""
    if actor is None or actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator can record honour hours."))
    check_visible(actor, volunteer)
    errors: dict[str, list] = {}
    hours = _hours(hours, errors=errors, allow_zero=False)
    occurred_on = _day(occurred_on, errors=errors)
    content = _text(content, errors=errors, field="content", limit=200, required=True)
    note = _text(note, errors=errors, field="note", limit=500)
    _raise(errors)
    with transaction.atomic():
        volunteer = locked_volunteer(volunteer)
        entry = LedgerEntry(
            volunteer=volunteer,
            kind=EntryKind.HONOUR,
            hours=hours,
            points=0,
            content=content,
            occurred_on=occurred_on,
            note=note,
            created_by=actor,
        )
        return write_entry(actor, entry)


def _points(value, *, errors: dict) -> int | None:
    text = str(value).strip() if isinstance(value, int | str) and value is not True else ""
    if not text.isascii() or not text.isdigit() or int(text) <= 0:
        errors.setdefault("points", []).append(_("Enter a whole number of points above zero."))
        return None
    if int(text) > MAX_POINTS:
        errors.setdefault("points", []).append(
            _("Enter at most %(max)s points.") % {"max": MAX_POINTS}
        )
        return None
    return int(text)


def points_redeem(
    *,
    actor: User,
    volunteer: Volunteer,
    points,
    content: str,
    occurred_on: date | None = None,
    note: str = "",
) -> LedgerEntry:
    """兑换: spend points (on goods or services, as the station's scheme allows). Refused
    above the points the volunteer has."""
    check_writer(actor)
    check_visible(actor, volunteer)
    errors: dict[str, list] = {}
    points = _points(points, errors=errors)
    occurred_on = _day(occurred_on or timezone.localdate(), errors=errors)
    content = _text(content, errors=errors, field="content", limit=200, required=True)
    note = _text(note, errors=errors, field="note", limit=500)
    _raise(errors)
    with transaction.atomic():
        volunteer = locked_volunteer(volunteer)
        available = _points_now(volunteer)
        if points > available:
            message = _("Only %(points)s points are available.") % {"points": available}
            raise field_error("points", message, "insufficient")
        entry = LedgerEntry(
            volunteer=volunteer,
            kind=EntryKind.REDEEMED,
            hours=0,
            points=-points,
            content=content,
            occurred_on=occurred_on,
            note=note,
            created_by=actor,
        )
        return write_entry(actor, entry)


def entry_correct(*, actor: User, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """更正: a new entry with the opposite hours and points of ``entry``, which stays in the
    books. Only a station manager or an administrator corrects. Refused for a correction, for
    an entry already corrected, and when the points would go below zero (correct the
    redemption that spent them first)."""
    if actor is None or actor.role not in SUPERVISORS:
        raise PermissionDenied(_("Only a station manager or administrator can correct the ledger."))
    check_visible(actor, entry.volunteer)
    errors: dict[str, list] = {}
    reason = _text(reason, errors=errors, field="reason", limit=500, required=True)
    _raise(errors)
    with transaction.atomic():
        volunteer = locked_volunteer(entry.volunteer)
        if entry.kind == EntryKind.CORRECTION:
            message = _("A correction cannot itself be corrected: record the entry again.")
            raise field_error("entry", message, "correction")
        if LedgerEntry.objects.filter(reverses=entry).exists():
            message = _("This entry has already been corrected.")
            raise field_error("entry", message, "already_corrected")
        if _points_now(volunteer) - entry.points < 0:
            message = _(
                "Correcting this entry would take the points below zero: they have been spent. "
                "Correct the redemption first."
            )
            raise field_error("entry", message, "insufficient")
        correction = LedgerEntry(
            volunteer=volunteer,
            kind=EntryKind.CORRECTION,
            hours=-entry.hours,
            points=-entry.points,
            tier=entry.tier,
            content=entry.content,
            activity_id=entry.activity_id,  # the activity may have been deleted since
            task_ref=entry.task_ref,
            occurred_on=timezone.localdate(),
            reverses=entry,
            note=reason,
            created_by=actor,
        )
        return write_entry(actor, correction)
