"""Setting a region's points rule (积分规则) and star thresholds (星级标准). Station managers and
administrators set them for a region of their subtree; the region's subtree then follows them
unless a region below sets its own. Clearing a region's own rule brings back the one above."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, field_changes, snapshot
from wushe.regions.models import Region
from wushe.volunteers.models import PointsRule, StarRule
from wushe.volunteers.services import SUPERVISORS, field_error

POINTS_FIELDS = (
    "points_per_hour",
    "coefficient_basic",
    "coefficient_skilled",
    "coefficient_professional",
    "coefficient_high_risk",
    "cap",
    "expiry_months",
)
STAR_FIELDS = ("star1", "star2", "star3", "star4", "star5")


def _check_setter(actor: User | None, region: Region) -> None:
    if actor is None or actor.role not in SUPERVISORS:
        raise PermissionDenied(
            _("Only an administrator or a station manager sets points and star rules.")
        )
    if not actor.can_see_code(region.code):
        raise field_error("region", _("No such region."), "not_found")


def _set(actor: User, model, region: Region, names: tuple[str, ...], values: dict):
    _check_setter(actor, region)
    unknown = set(values) - set(names)
    if unknown:
        raise TypeError(f"unknown rule fields: {sorted(unknown)}")
    rule = model.objects.filter(region=region).first()
    before = snapshot(rule, names) if rule else {}
    rule = rule or model(region=region)
    for name, value in values.items():
        setattr(rule, name, value)
    rule.updated_by = actor
    try:
        rule.full_clean(exclude=["region", "updated_by"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    with transaction.atomic():
        rule.save()
        changes = field_changes(before, snapshot(rule, names))
        if changes:
            audit_record(
                actor=actor,
                action=Action.UPDATE if before else Action.CREATE,
                obj=rule,
                changes=changes,
            )
    return rule


def points_rule_set(*, actor: User, region: Region, **values) -> PointsRule:
    return _set(actor, PointsRule, region, POINTS_FIELDS, values)


def star_rule_set(*, actor: User, region: Region, **values) -> StarRule:
    _check_setter(actor, region)
    current = StarRule.objects.filter(region=region).first() or StarRule()
    thresholds = [values.get(name, getattr(current, name)) for name in STAR_FIELDS]
    rising = all(isinstance(t, int) for t in thresholds) and thresholds[0] > 0
    rising = rising and all(b > a for a, b in zip(thresholds, thresholds[1:], strict=False))
    if all(isinstance(t, int) for t in thresholds) and not rising:
        message = _("Each star needs more hours than the one before it (and more than 0).")
        raise field_error("star1", message, "not_rising")
    return _set(actor, StarRule, region, STAR_FIELDS, values)


def rule_clear(*, actor: User, rule: PointsRule | StarRule) -> None:
    """Remove a region's own rule: its subtree then follows the rule above, or the defaults."""
    _check_setter(actor, rule.region)
    names = POINTS_FIELDS if isinstance(rule, PointsRule) else STAR_FIELDS
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=rule,
            changes={name: [str(value), None] for name, value in snapshot(rule, names).items()},
        )
        rule.delete()
