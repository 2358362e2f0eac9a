"""Changing service sites. Pages, the API and commands all call these functions."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, field_changes, snapshot
from wushe.regions import counters
from wushe.regions.choices import SIX_HAVES
from wushe.regions.models import Region, Site

SITE_FIELDS = [
    "name",
    "kind",
    "region",
    "address",
    "opened_on",
    "floor_area",
    "operator",
    "status",
    *[
        f"{prefix}{key}{suffix}"
        for key, _label in SIX_HAVES
        for prefix, suffix in (("has_", ""), ("", "_note"))
    ],
]
AUDITED_FIELDS = [*SITE_FIELDS, "staff"]


def _check_can_edit(actor: User, region: Region | None) -> None:
    if actor is None or not actor.can_edit_sites:
        raise PermissionDenied(_("Your role cannot change service sites."))
    if region is not None and not actor.can_see_code(region.code):
        raise ValidationError({"region": _("No such region.")}, code="not_found")


def _check_staff(actor: User, staff: Iterable[User]) -> list[User]:
    staff = list(staff)
    for person in staff:
        if not actor.can_see_code(person.region_id or ""):
            raise ValidationError({"staff": _("No such user.")}, code="not_found")
    return staff


def site_create(*, actor: User, staff: Iterable[User] = (), **fields) -> Site:
    """Open a record for a new site (a station, room or centre) inside the actor's subtree."""
    unknown = set(fields) - set(SITE_FIELDS)
    if unknown:
        raise TypeError(f"unknown site fields: {sorted(unknown)}")
    _check_can_edit(actor, fields.get("region"))
    staff = _check_staff(actor, staff)
    site = Site(**fields)
    site.full_clean()
    with transaction.atomic():
        site.save()
        site.staff.set(staff)
        counters.move(None, counters.counted_key(site))
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=site,
            changes=field_changes({}, snapshot(site, AUDITED_FIELDS)),
        )
    return site


def site_update(*, actor: User, site: Site, staff: Iterable[User] | None = None, **fields) -> Site:
    unknown = set(fields) - set(SITE_FIELDS)
    if unknown:
        raise TypeError(f"unknown site fields: {sorted(unknown)}")
    _check_can_edit(actor, site.region)
    _check_can_edit(actor, fields.get("region"))
    before = snapshot(site, AUDITED_FIELDS)
    counted_before = counters.counted_key(site)
    for name, value in fields.items():
        setattr(site, name, value)
    site.full_clean()
    with transaction.atomic():
        site.save()
        counters.move(counted_before, counters.counted_key(site))
        if staff is not None:
            # The editor chooses among the people they can see; colleagues they cannot see
            # (placed by a higher administrator) stay on the site.
            hidden = [p for p in site.staff.all() if not actor.can_see_code(p.region_id or "")]
            site.staff.set([*_check_staff(actor, staff), *hidden])
        changes = field_changes(before, snapshot(site, AUDITED_FIELDS))
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=site, changes=changes)
    return site


def site_delete(*, actor: User, site: Site) -> None:
    if actor is None or not actor.is_admin:
        raise PermissionDenied(_("Only an administrator can delete a service site."))
    _check_can_edit(actor, site.region)
    with transaction.atomic():
        changes = field_changes(snapshot(site, AUDITED_FIELDS), {})
        audit_record(actor=actor, action=Action.DELETE, obj=site, changes=changes)
        counters.move(counters.counted_key(site), None)
        try:
            site.delete()
        except ProtectedError as error:  # work recorded at the site keeps it: refused, no 500
            message = _(
                "Records still belong to this site (group work, social workers…): close it instead."
            )
            raise ValidationError({"site": [message]}, code="protected") from error
