"""Group work (小组): groups and their members. Sessions are in ``session_services``.

Pages and the API call these with an explicit actor. Each write checks the role and the
actor's subtree, runs ``full_clean``, writes its audit entry and moves the statistics tallies
(``groups`` by ``started_on``; a move of the group moves its sessions' tallies too) in one
transaction, so a refused write leaves nothing behind.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, field_changes, snapshot
from wushe.groups.choices import GroupStatus
from wushe.groups.models import Group, GroupMember
from wushe.people.models import Resident
from wushe.regions.choices import SiteKind
from wushe.regions.models import Site
from wushe.statistics.tallies import tally

WRITERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)
SUPERVISORS = (Role.ADMIN, Role.MANAGER)
GROUP_FIELDS = (
    "name",
    "goal",
    "service_area",
    "station",
    "leader",
    "started_on",
    "ended_on",
    "planned_sessions",
    "status",
)
# Group work is run by a township station or a village room, not by a county centre.
RUNNING_KINDS = (SiteKind.STATION, SiteKind.ROOM)


def check_writer(actor: User | None) -> None:
    if actor is None or actor.role not in WRITERS:
        raise PermissionDenied(_("Your role cannot record service work."))


def check_group(actor: User, group: Group) -> None:
    if not actor.can_see_code(group.region_code):
        raise ValidationError({"group": _("No such group.")}, code="not_found")


def station_errors(actor: User, station: Site | None) -> list[str]:
    """Why ``station`` cannot run service work for ``actor`` (empty: it can)."""
    if station is None or not actor.can_see_code(station.region_id):
        return [_("No such site.")]
    if station.kind not in RUNNING_KINDS:
        return [_("Choose a township station or a village room.")]
    return []


def _leader_errors(actor: User, leader: User | None) -> list[str]:
    if leader is None or not leader.is_active or not actor.can_see_code(leader.region_id or ""):
        return [_("No such user.")]
    return []


def _date_errors(group: Group) -> dict[str, list[str]]:
    """The group's dates against each other, today, and its sessions already recorded."""
    errors: dict[str, list[str]] = {}
    if group.ended_on is not None and group.started_on and group.ended_on < group.started_on:
        errors["ended_on"] = [_("A group cannot end before it started.")]
    elif group.ended_on is not None and group.ended_on > timezone.localdate():
        errors["ended_on"] = [_("An end date cannot be in the future.")]
    if group.status == GroupStatus.ENDED and group.ended_on is None:
        errors.setdefault("ended_on", []).append(_("Give the date the group ended."))
    if group.status != GroupStatus.ENDED and group.ended_on is not None:
        errors["status"] = [_("A group with an end date has ended: choose “Ended”.")]
    if group.pk and group.started_on:
        span = group.sessions.aggregate(first=Min("held_on"), last=Max("held_on"))
        if span["first"] and span["first"] < group.started_on:
            errors.setdefault("started_on", []).append(
                _("The group has a session before this date.")
            )
        if span["last"] and group.ended_on and span["last"] > group.ended_on:
            errors.setdefault("ended_on", []).append(_("The group has a session after this date."))
    return errors


def _check_group_fields(actor: User, group: Group) -> None:
    errors = _date_errors(group)
    station = group.station if group.station_id else None
    if problems := station_errors(actor, station):
        errors["station"] = problems
    leader = group.leader if group.leader_id else None
    if problems := _leader_errors(actor, leader):
        errors["leader"] = problems
    try:
        group.full_clean(exclude=list(errors))
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_fields_known(fields: dict) -> None:
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"unknown group fields: {sorted(unknown)}")


def group_create(*, actor: User, leader: User | None = None, **fields) -> Group:
    """开小组: a new group run by a station or room in the actor's subtree, led by ``leader``
    (default: the actor)."""
    check_writer(actor)
    _check_fields_known(fields)
    group = Group(leader=leader or actor, created_by=actor, **fields)
    group.region_code = group.station.region_id if group.station_id else ""
    _check_group_fields(actor, group)
    with transaction.atomic():
        group.save()
        tally(group.region_code, group.started_on, groups=1)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=group,
            changes=field_changes({}, snapshot(group, GROUP_FIELDS)),
        )
    return group


def _session_counts(group: Group) -> list[tuple[date, int]]:
    """(held_on, members present) of each of the group's sessions."""
    rows = group.sessions.annotate(present=Count("attendees")).values_list("held_on", "present")
    return list(rows)


def _move_region(group: Group, old_code: str) -> None:
    """The group moved to a station of another region: its members and sessions follow, and
    so do the tallies of its sessions."""
    for held_on, present in _session_counts(group):
        tally(old_code, held_on, group_sessions=-1, person_times=-present)
        tally(group.region_code, held_on, group_sessions=1, person_times=present)
    group.members.update(region_code=group.region_code)
    group.sessions.update(region_code=group.region_code)


def group_update(*, actor: User, group: Group, **fields) -> Group:
    check_writer(actor)
    check_group(actor, group)
    _check_fields_known(fields)
    before = snapshot(group, GROUP_FIELDS)
    old_code, old_start = group.region_code, group.started_on
    for name, value in fields.items():
        setattr(group, name, value)
    group.region_code = group.station.region_id if group.station_id else ""
    _check_group_fields(actor, group)
    with transaction.atomic():
        group.save()
        if (old_code, old_start) != (group.region_code, group.started_on):
            tally(old_code, old_start, groups=-1)
            tally(group.region_code, group.started_on, groups=1)
        if old_code != group.region_code:
            _move_region(group, old_code)
        changes = field_changes(before, snapshot(group, GROUP_FIELDS))
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=group, changes=changes)
    return group


def group_delete(*, actor: User, group: Group) -> None:
    """Delete a group with its members and sessions (a station manager or administrator)."""
    if actor is None or actor.role not in SUPERVISORS:
        raise PermissionDenied(_("Only a station manager or administrator can delete a group."))
    check_group(actor, group)
    with transaction.atomic():
        tally(group.region_code, group.started_on, groups=-1)
        for held_on, present in _session_counts(group):
            tally(group.region_code, held_on, group_sessions=-1, person_times=-present)
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=group,
            changes={
                **field_changes(snapshot(group, GROUP_FIELDS), {}),
                "sessions": [str(group.sessions.count()), None],
                "members": [str(group.members.count()), None],
            },
        )
        group.delete()


# Members ----------------------------------------------------------------------------------------


def member_add(
    *, actor: User, group: Group, resident: Resident, joined_on: date | None = None
) -> GroupMember:
    """入组: a resident the actor can see joins the group (once)."""
    check_writer(actor)
    check_group(actor, group)
    if not actor.can_see_code(resident.region_id):
        raise ValidationError({"resident": _("No such resident.")}, code="not_found")
    joined_on = joined_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if group.members.filter(resident=resident).exists():
        errors["resident"] = [_("This resident is already a member of the group.")]
    if joined_on > timezone.localdate():
        errors["joined_on"] = [_("A date of joining cannot be in the future.")]
    elif group.ended_on and joined_on > group.ended_on:
        errors["joined_on"] = [_("The group had ended by then.")]
    if errors:
        raise ValidationError(errors)
    member = GroupMember(
        group=group, resident=resident, joined_on=joined_on, region_code=group.region_code
    )
    member.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=member,
                changes={
                    "group": [None, str(group.pk)],
                    "resident": [None, str(resident.pk)],
                    "joined_on": [None, joined_on.isoformat()],
                },
            )
    except IntegrityError as error:  # added twice at the same moment: the loser is told
        raise ValidationError(
            {"resident": _("This resident is already a member of the group.")}
        ) from error
    return member


def member_remove(*, actor: User, member: GroupMember, left_on: date | None = None) -> None:
    """退组. With ``left_on`` the member is recorded as having left that day (their attendance
    stays); without it the membership is deleted as a mistake, which is refused once the
    member has attended a session."""
    check_writer(actor)
    check_group(actor, member.group)
    attended = member.sessions_attended.all()
    if left_on is None:
        if attended.exists():
            raise ValidationError(
                {"left_on": _("This member has attended sessions: give the date they left.")}
            )
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=Action.DELETE,
                obj=member,
                changes={"group": [str(member.group_id), None]},
            )
            member.delete()
        return
    errors = []
    if left_on < member.joined_on:
        errors.append(_("A member cannot leave before joining."))
    elif left_on > timezone.localdate():
        errors.append(_("A date of leaving cannot be in the future."))
    elif attended.filter(held_on__gt=left_on).exists():
        errors.append(_("This member attended a session after this date."))
    if errors:
        raise ValidationError({"left_on": errors})
    before = member.left_on
    member.left_on = left_on
    member.full_clean(validate_constraints=False)
    with transaction.atomic():
        member.save(update_fields=["left_on"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=member,
            changes={"left_on": [before.isoformat() if before else None, left_on.isoformat()]},
        )
