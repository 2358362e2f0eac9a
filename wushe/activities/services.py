"""Community activities (社区活动). Pages and the API call these with an explicit actor.

Each write checks the role and the actor's subtree, runs ``full_clean``, writes its audit entry
and moves the statistics tallies in one transaction: one activity (``activities``) and its
named participants plus anonymous head count (``person_times``), on ``held_on`` in the region
where it was held. A change of date, place, participants or head count moves them (old
negative, new positive); a deletion takes them back.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.activities.models import Activity
from wushe.audit.models import Action
from wushe.audit.services import audit_record, field_changes
from wushe.people.models import Resident
from wushe.regions.choices import SiteKind
from wushe.regions.codes import Level
from wushe.regions.models import Region, Site
from wushe.statistics.tallies import tally

WRITERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)
ACTIVITY_FIELDS = (
    "held_on",
    "place",
    "theme",
    "service_area",
    "station",
    "anonymous_count",
    "volunteer_names",
    "volunteer_count",
    "notes",
)
AUDITED = (*ACTIVITY_FIELDS, "region_code")
RUNNING_KINDS = (SiteKind.STATION, SiteKind.ROOM)
MAX_VOLUNTEER_NAMES = 200
NAME_LENGTH = 50
_KEEP = object()  # "not given": keep what the activity has


def _check_writer(actor: User | None) -> None:
    if actor is None or actor.role not in WRITERS:
        raise PermissionDenied(_("Your role cannot record service work."))


def _check_visible(actor: User, activity: Activity) -> None:
    if not actor.can_see_code(activity.region_code):
        raise ValidationError({"activity": _("No such activity.")}, code="not_found")


def volunteer_names_of(raw: Iterable[str]) -> list[str]:
    """The names as typed, trimmed, blanks and repeats dropped, in their order."""
    names = (str(name).strip() for name in raw)
    return list(dict.fromkeys(name for name in names if name))


def _station_errors(actor: User, station: Site | None) -> list[str]:
    if station is None or not actor.can_see_code(station.region_id):
        return [_("No such site.")]
    if station.kind not in RUNNING_KINDS:
        return [_("Choose a township station or a village room.")]
    return []


def _region_errors(actor: User, station: Site, region: Region | None) -> list[str]:
    """Held in the station's own township or one of its villages, inside the actor's subtree."""
    if region is None or not actor.can_see_code(region.code):
        return [_("No such region.")]
    inside = station.region.contains(region.code)
    if not inside or region.level not in (Level.TOWNSHIP, Level.VILLAGE):
        return [_("Choose the station's own township or one of its villages.")]
    return []


def _volunteer_errors(activity: Activity) -> dict[str, list[str]]:
    names = activity.volunteer_names
    if len(names) > MAX_VOLUNTEER_NAMES:
        return {"volunteer_names": [_("At most 200 names.")]}
    if any(len(name) > NAME_LENGTH for name in names):
        return {"volunteer_names": [_("A name has at most 50 characters.")]}
    if activity.volunteer_count is not None and activity.volunteer_count < len(names):
        return {"volunteer_count": [_("Fewer volunteers than the names given.")]}
    return {}


def _check(actor: User, activity: Activity, region, added: list[Resident]) -> None:
    """``added``: the participants new to the activity (those already on it stay, even when
    another user placed them from outside this actor's subtree)."""
    errors: dict[str, list[str]] = {}
    station = activity.station if activity.station_id else None
    if problems := _station_errors(actor, station):
        errors["station"] = problems
    elif problems := _region_errors(actor, station, region):
        errors["region"] = problems
    if activity.held_on is not None and activity.held_on > timezone.localdate():
        errors["held_on"] = [_("An activity cannot be recorded before it is held.")]
    if any(not actor.can_see_code(resident.region_id) for resident in added):
        errors["participants"] = [_("No such resident.")]
    errors.update(_volunteer_errors(activity))
    activity.place = (activity.place or "").strip()
    activity.theme = (activity.theme or "").strip()
    try:
        activity.full_clean(exclude=[*errors, "recorded_by", "region_code"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _snapshot(activity: Activity, participants: list[Resident]) -> dict:
    values = {name: getattr(activity, name) for name in AUDITED if name != "station"}
    values["station"] = activity.station_id
    values["volunteer_names"] = "、".join(activity.volunteer_names)
    values["participants"] = ",".join(str(pk) for pk in sorted(r.pk for r in participants))
    values["notes"] = "***" if activity.notes else ""  # free text stays out of the log
    return values


def _served(activity: Activity, participants: list[Resident]) -> int:
    return len(participants) + activity.anonymous_count


def _apply(activity: Activity, fields: dict) -> None:
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.volunteer_names = volunteer_names_of(activity.volunteer_names or [])
    if activity.volunteer_count is None:  # not given: as many as named
        activity.volunteer_count = len(activity.volunteer_names)


def activity_create(
    *,
    actor: User,
    region: Region | None = None,
    participants: Iterable[Resident] = (),
    **fields,
) -> Activity:
    """记录社区活动, held in ``region`` (default: the station's own region)."""
    _check_writer(actor)
    participants = list(dict.fromkeys(participants))
    activity = Activity(recorded_by=actor, volunteer_count=None)
    _apply(activity, fields)
    if region is None and activity.station_id:
        region = activity.station.region
    _check(actor, activity, region, participants)
    activity.region_code = region.code
    with transaction.atomic():
        activity.save()
        activity.participants.set(participants)
        tally(
            activity.region_code,
            activity.held_on,
            activities=1,
            person_times=_served(activity, participants),
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=activity,
            changes=field_changes({}, _snapshot(activity, participants)),
        )
    return activity


def activity_update(
    *,
    actor: User,
    activity: Activity,
    region: Region | None | object = _KEEP,
    participants: Iterable[Resident] | None = None,
    **fields,
) -> Activity:
    """Change an activity. Without ``region``, a new station moves it to the station's own
    region; ``participants`` (when given) replaces the list of named participants."""
    _check_writer(actor)
    _check_visible(actor, activity)
    old_participants = list(activity.participants.all())
    new_participants = (
        old_participants if participants is None else list(dict.fromkeys(participants))
    )
    before = _snapshot(activity, old_participants)
    old_key = (activity.region_code, activity.held_on, _served(activity, old_participants))
    _apply(activity, fields)
    if region is _KEEP:
        moved = "station" in fields and activity.station_id
        region = activity.station.region if moved else Region.objects.get(code=activity.region_code)
    added = [resident for resident in new_participants if resident not in old_participants]
    _check(actor, activity, region, added)
    activity.region_code = region.code
    new_key = (activity.region_code, activity.held_on, _served(activity, new_participants))
    with transaction.atomic():
        activity.save()
        if participants is not None:
            activity.participants.set(new_participants)
        if old_key != new_key:
            tally(old_key[0], old_key[1], activities=-1, person_times=-old_key[2])
            tally(new_key[0], new_key[1], activities=1, person_times=new_key[2])
        changes = field_changes(before, _snapshot(activity, new_participants))
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=activity, changes=changes)
    return activity


def activity_participants_set(
    *, actor: User, activity: Activity, participants: Iterable[Resident]
) -> Activity:
    """The named participants (filed residents the actor can see), replacing the list."""
    return activity_update(actor=actor, activity=activity, participants=participants)


def activity_delete(*, actor: User, activity: Activity) -> None:
    _check_writer(actor)
    _check_visible(actor, activity)
    participants = list(activity.participants.all())
    with transaction.atomic():
        tally(
            activity.region_code,
            activity.held_on,
            activities=-1,
            person_times=-_served(activity, participants),
        )
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=activity,
            changes=field_changes(_snapshot(activity, participants), {}),
        )
        activity.delete()
