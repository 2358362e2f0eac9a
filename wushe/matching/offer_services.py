"""Organisations' offers (组织服务供给) on the resources list: what a social organisation gives
a station each week, matched like a volunteer. Each write checks the role and the actor's
subtree, runs ``full_clean`` and writes its audit entry in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, field_changes
from wushe.core.service_areas import ServiceArea
from wushe.matching.models import OrganisationOffer
from wushe.matching.need_services import check_writer, refusal
from wushe.regions.choices import SiteKind
from wushe.regions.models import Site

OFFER_FIELDS = (
    "organisation",
    "station",
    "service_areas",
    "capacity",
    "radius_km",
    "availability",
    "latitude",
    "longitude",
    "active",
    "notes",
)


def _check_visible(actor: User, offer: OrganisationOffer) -> None:
    if not actor.can_see_code(offer.region_code):
        raise refusal("offer", _("No such offer."), "not_found")


def _station_errors(actor: User, station: Site | None) -> list[str]:
    if station is None or not actor.can_see_code(station.region_id):
        return [_("No such site.")]
    if station.kind != SiteKind.STATION:
        return [_("Choose a township station.")]
    return []


def _organisation_errors(actor: User, offer: OrganisationOffer) -> list[str]:
    from wushe.organisations.models import Organisation

    if not offer.organisation_id:
        return [_("Choose the organisation.")]
    visible = Organisation.objects.visible_to(actor).filter(pk=offer.organisation_id)
    return [] if visible.exists() else [_("No such organisation.")]


def _check(actor: User, offer: OrganisationOffer) -> None:
    errors: dict[str, list[str]] = {}
    if problems := _station_errors(actor, offer.station if offer.station_id else None):
        errors["station"] = problems
    if problems := _organisation_errors(actor, offer):
        errors["organisation"] = problems
    areas = offer.service_areas
    if not isinstance(areas, list) or any(area not in ServiceArea.values for area in areas):
        errors["service_areas"] = [_("Choose service areas from the list.")]
    else:
        offer.service_areas = list(dict.fromkeys(areas))
    if (offer.latitude is None) != (offer.longitude is None):
        errors["longitude"] = [_("Give both latitude and longitude, or neither.")]
    try:
        offer.full_clean(exclude=[*errors, "created_by", "region_code", "skills"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _snapshot(offer: OrganisationOffer, skills: Iterable) -> dict:
    values = {
        name: getattr(offer, OrganisationOffer._meta.get_field(name).attname)
        for name in OFFER_FIELDS
    }
    values["service_areas"] = ",".join(offer.service_areas or [])
    values["skills"] = ",".join(sorted(str(skill.pk) for skill in skills))
    values["notes"] = "***" if offer.notes else ""
    return values


def _apply(offer: OrganisationOffer, fields: dict) -> None:
    unknown = set(fields) - set(OFFER_FIELDS)
    if unknown:
        raise TypeError(f"unknown offer fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(offer, name, value)


def offer_create(*, actor: User, skills: Iterable = (), **fields) -> OrganisationOffer:
    """登记组织服务供给 for a station."""
    check_writer(actor)
    skills = list(dict.fromkeys(skills))
    offer = OrganisationOffer(created_by=actor)
    _apply(offer, fields)
    _check(actor, offer)
    offer.region_code = offer.station.region_id
    with transaction.atomic():
        offer.save()
        offer.skills.set(skills)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=offer,
            changes=field_changes({}, _snapshot(offer, skills)),
        )
    return offer


def offer_update(
    *, actor: User, offer: OrganisationOffer, skills: Iterable | None = None, **fields
) -> OrganisationOffer:
    check_writer(actor)
    _check_visible(actor, offer)
    old_skills = list(offer.skills.all())
    new_skills = old_skills if skills is None else list(dict.fromkeys(skills))
    before = _snapshot(offer, old_skills)
    _apply(offer, fields)
    _check(actor, offer)
    offer.region_code = offer.station.region_id
    with transaction.atomic():
        offer.save()
        if skills is not None:
            offer.skills.set(new_skills)
        changes = field_changes(before, _snapshot(offer, new_skills))
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=offer, changes=changes)
    return offer
