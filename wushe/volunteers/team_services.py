"""Volunteer teams (志愿服务队): created in a region of the actor's subtree, with members who
live under that region and an optional leader among them."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, field_changes, snapshot
from wushe.regions.codes import Level
from wushe.regions.models import Region
from wushe.volunteers.models import Volunteer, VolunteerTeam
from wushe.volunteers.services import check_writer, field_error

TEAM_FIELDS = ("name", "region", "leader", "note")
TEAM_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def _check(actor: User, team: VolunteerTeam, members: list[Volunteer]) -> None:
    errors: dict[str, list[str]] = {}
    region: Region | None = team.region if team.region_id else None
    if region is None or not actor.can_see_code(region.code):
        errors["region"] = [_("No such region.")]
    elif region.level not in TEAM_LEVELS:
        errors["region"] = [_("Choose a county, a township or a village (community).")]
    if region is not None and "region" not in errors:
        outside = [v.name for v in members if not region.contains(v.region_id)]
        if outside:
            errors["members"] = [
                _("These volunteers do not live in the team's region: %(names)s.")
                % {"names": "、".join(outside)}
            ]
    if team.leader_id and team.leader_id not in {v.pk for v in members}:
        errors["leader"] = [_("The leader must be one of the team's members.")]
    team.name = (team.name or "").strip()
    try:
        team.full_clean(exclude=[*errors, "created_by"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if not errors.get("name") and not errors.get("region"):
        clash = VolunteerTeam.objects.filter(region_id=team.region_id, name=team.name)
        if clash.exclude(pk=team.pk).exists():
            errors["name"] = [_("This region already has a team of this name.")]
    if errors:
        raise ValidationError(errors)


def _visible_members(actor: User, members: Iterable[Volunteer]) -> list[Volunteer]:
    members = list(dict.fromkeys(members))
    if any(not actor.can_see_code(v.region_id) for v in members):
        raise field_error("members", _("No such volunteer."), "not_found")
    return members


def _audited(team: VolunteerTeam, members: list[Volunteer]) -> dict:
    values = snapshot(team, TEAM_FIELDS)
    values["members"] = ",".join(sorted(v.number for v in members))
    return values


def team_create(*, actor: User, members: Iterable[Volunteer] = (), **fields) -> VolunteerTeam:
    check_writer(actor)
    unknown = set(fields) - set(TEAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown team fields: {sorted(unknown)}")
    members = _visible_members(actor, members)
    team = VolunteerTeam(created_by=actor, **fields)
    _check(actor, team, members)
    try:
        with transaction.atomic():
            team.save()
            team.members.set(members)
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=team,
                changes=field_changes({}, _audited(team, members)),
            )
    except IntegrityError as error:  # the same name at the same moment
        raise ValidationError(
            {"name": _("This region already has a team of this name.")}
        ) from error
    return team


def team_update(
    *,
    actor: User,
    team: VolunteerTeam,
    members: Iterable[Volunteer] | None = None,
    **fields,
) -> VolunteerTeam:
    check_writer(actor)
    if not actor.can_see_code(team.region_id):
        raise field_error("team", _("No such team."), "not_found")
    unknown = set(fields) - set(TEAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown team fields: {sorted(unknown)}")
    current = list(team.members.all())
    new_members = current if members is None else _visible_members(actor, members)
    before = _audited(team, current)
    for name, value in fields.items():
        setattr(team, name, value)
    _check(actor, team, new_members)
    try:
        with transaction.atomic():
            team.save()
            if members is not None:
                team.members.set(new_members)
            changes = field_changes(before, _audited(team, new_members))
            if changes:
                audit_record(actor=actor, action=Action.UPDATE, obj=team, changes=changes)
    except IntegrityError as error:
        raise ValidationError(
            {"name": _("This region already has a team of this name.")}
        ) from error
    return team


def team_delete(*, actor: User, team: VolunteerTeam) -> None:
    """A team is only a grouping: deleting it leaves its volunteers and their records."""
    check_writer(actor)
    if not actor.can_see_code(team.region_id):
        raise field_error("team", _("No such team."), "not_found")
    with transaction.atomic():
        before = _audited(team, list(team.members.all()))
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=team,
            changes={key: [value, None] for key, value in before.items() if value},
        )
        team.delete()
