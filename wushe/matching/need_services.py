"""The needs list (需求清单): record, change and cancel a need, and the state machine every
other service moves a need through.

A need moves::

    open ──► matched ──► in service ──► done
      ▲         │             │
      └─────────┴─────────────┘   (a task declined or withdrawn: back for re-matching)
    open, matched, in service ──► cancelled

Any other move is refused with a clear error; done and cancelled are final. Each write checks
the role and the actor's subtree, runs ``full_clean``, and writes its audit entry in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.activities.models import Activity
from wushe.audit.models import Action
from wushe.audit.services import audit_record, audit_view, field_changes
from wushe.casework.models import Case, HomeVisit
from wushe.groups.models import Group
from wushe.matching.choices import NeedSource, NeedStatus, TaskStatus
from wushe.matching.models import Need
from wushe.people.models import Resident
from wushe.regions.choices import SiteKind
from wushe.regions.codes import Level
from wushe.regions.models import Region, Site

WRITERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    NeedStatus.OPEN: (NeedStatus.MATCHED, NeedStatus.CANCELLED),
    NeedStatus.MATCHED: (NeedStatus.IN_SERVICE, NeedStatus.OPEN, NeedStatus.CANCELLED),
    NeedStatus.IN_SERVICE: (NeedStatus.DONE, NeedStatus.OPEN, NeedStatus.CANCELLED),
    NeedStatus.DONE: (),
    NeedStatus.CANCELLED: (),
}
NEED_FIELDS = (
    "station",
    "source",
    "visit",
    "case",
    "activity",
    "request_note",
    "resident",
    "group",
    "service_area",
    "urgency",
    "date_from",
    "date_to",
    "window",
    "region",
    "latitude",
    "longitude",
    "address",
    "description",
)
SOURCE_FIELD = {
    NeedSource.VISIT: "visit",
    NeedSource.CASE: "case",
    NeedSource.ACTIVITY: "activity",
}
_KEEP = object()


def refusal(field: str, message, code: str) -> ValidationError:
    """A field's error with its code (a dict of plain messages would lose the code)."""
    return ValidationError({field: ValidationError(message, code=code)})


def check_writer(actor: User | None) -> None:
    if actor is None or actor.role not in WRITERS:
        raise PermissionDenied(_("Your role cannot change the three lists."))


def check_visible(actor: User, need: Need) -> None:
    if not actor.can_see_code(need.region_id):
        raise refusal("need", _("No such need."), "not_found")


def check_move(need: Need, to: str) -> None:
    """Refuse a move the state machine does not allow."""
    if to not in TRANSITIONS.get(need.status, ()):
        raise refusal(
            "status",
            _("A need that is %(old)s cannot become %(new)s.")
            % {"old": NeedStatus(need.status).label, "new": NeedStatus(to).label},
            "illegal_move",
        )


def need_move(need: Need, to: str) -> None:
    """Set the need's status if the state machine allows it (the caller saves and audits)."""
    check_move(need, to)
    need.status = to


def _snapshot(need: Need, skills: list) -> dict:
    values = {name: getattr(need, Need._meta.get_field(name).attname) for name in NEED_FIELDS}
    values["status"] = need.status
    values["skills"] = ",".join(sorted(str(skill.pk) for skill in skills))
    # Free text about a person stays out of the log.
    values["description"] = "***" if need.description else ""
    values["request_note"] = "***" if need.request_note else ""
    return values


def _station_errors(actor: User, station: Site | None) -> list[str]:
    if station is None or not actor.can_see_code(station.region_id):
        return [_("No such site.")]
    if station.kind != SiteKind.STATION:
        return [_("Choose a township station.")]
    return []


def _region_errors(actor: User, station: Site, region: Region | None) -> list[str]:
    if region is None or not actor.can_see_code(region.code):
        return [_("No such region.")]
    if not station.region.contains(region.code) or region.level not in (
        Level.TOWNSHIP,
        Level.VILLAGE,
    ):
        return [_("Choose the station's own township or one of its villages.")]
    return []


def _visible(model, actor: User, obj) -> bool:
    return obj is not None and model.objects.visible_to(actor).filter(pk=obj.pk).exists()


def _source_errors(actor: User, need: Need) -> dict[str, list[str]]:
    """The record of the source named, visible to the actor; the others empty."""
    errors: dict[str, list[str]] = {}
    wanted = SOURCE_FIELD.get(need.source)
    models = {"visit": HomeVisit, "case": Case, "activity": Activity}
    for name, model in models.items():
        value = getattr(need, name)
        if name == wanted:
            if value is None:
                errors[name] = [_("Choose the record this need was found in.")]
            elif not _visible(model, actor, value):
                errors[name] = [_("No such record.")]
        elif value is not None:
            errors[name] = [_("Only the record of the need's source is kept.")]
    if need.source != NeedSource.REQUEST and need.request_note:
        errors["request_note"] = [_("Only a resident's request has a request note.")]
    return errors


def _who_errors(actor: User, need: Need, added_resident: bool) -> dict[str, list[str]]:
    if need.resident_id and need.group_id:
        return {"group": [_("A need is a resident's or a group's, not both.")]}
    if not need.resident_id and not need.group_id:
        return {"resident": [_("Choose the resident or the group in need.")]}
    if need.resident_id and added_resident and not _visible(Resident, actor, need.resident):
        return {"resident": [_("No such resident.")]}
    if need.group_id and not _visible(Group, actor, need.group):
        return {"group": [_("No such group.")]}
    return {}


def _other_errors(need: Need) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if need.date_from and need.date_to and need.date_to < need.date_from:
        errors["date_to"] = [_("The end is before the start.")]
    if (need.latitude is None) != (need.longitude is None):
        errors["longitude"] = [_("Give both latitude and longitude, or neither.")]
    need.description = (need.description or "").strip()
    need.address = (need.address or "").strip()
    need.request_note = (need.request_note or "").strip()
    return errors


def _check(actor: User, need: Need, skills: list, added_resident: bool) -> None:
    errors: dict[str, list[str]] = {}
    station = need.station if need.station_id else None
    region = need.region if need.region_id else None
    if problems := _station_errors(actor, station):
        errors["station"] = problems
    elif problems := _region_errors(actor, station, region):
        errors["region"] = problems
    errors.update(_source_errors(actor, need))
    errors.update(_who_errors(actor, need, added_resident))
    errors.update(_other_errors(need))
    if any(not getattr(skill, "active", True) for skill in skills):
        errors["skills"] = [_("A skill chosen is no longer in use.")]
    try:
        need.full_clean(exclude=[*errors, "created_by", "skills"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _apply(need: Need, fields: dict) -> None:
    unknown = set(fields) - set(NEED_FIELDS)
    if unknown:
        raise TypeError(f"unknown need fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(need, name, value)
    # Found on a visit or in a case: that record's resident, unless one is named.
    source = need.visit or need.case
    if need.resident_id is None and need.group_id is None and source is not None:
        need.resident = source.resident
    if not need.region_id and need.station_id:
        home = need.resident.region if need.resident_id else None
        inside = home is not None and need.station.region.contains(home.code)
        need.region = home if inside else need.station.region


def need_create(*, actor: User, skills: Iterable = (), **fields) -> Need:
    """记录需求 (status open). Without ``region``: the resident's village if it is the
    station's, else the station's own township."""
    check_writer(actor)
    skills = list(dict.fromkeys(skills))
    need = Need(created_by=actor, source=fields.pop("source", NeedSource.REQUEST))
    _apply(need, fields)
    _check(actor, need, skills, added_resident=True)
    with transaction.atomic():
        need.save()
        need.skills.set(skills)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=need,
            changes=field_changes({}, _snapshot(need, skills)),
        )
    return need


def need_update(*, actor: User, need: Need, skills: Iterable | None = None, **fields) -> Need:
    """Change an open need (one being served is changed by cancelling it and recording anew,
    so the volunteer never serves something other than what they accepted)."""
    check_writer(actor)
    check_visible(actor, need)
    if need.status != NeedStatus.OPEN:
        raise refusal("status", _("Only an open need can be changed."), "not_open")
    old_skills = list(need.skills.all())
    new_skills = old_skills if skills is None else list(dict.fromkeys(skills))
    before = _snapshot(need, old_skills)
    old_resident = need.resident_id
    _apply(need, fields)
    added = need.resident_id is not None and need.resident_id != old_resident
    _check(
        actor,
        need,
        [s for s in new_skills if s not in old_skills],
        added_resident=added,
    )
    with transaction.atomic():
        need.save()
        if skills is not None:
            need.skills.set(new_skills)
        changes = field_changes(before, _snapshot(need, new_skills))
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=need, changes=changes)
    return need


def need_open(*, actor: User, need: Need) -> Need:
    """Opening a need (whose it is, what they need) is a view in the audit log, as opening a
    visit or a case is."""
    check_visible(actor, need)
    audit_view(actor=actor, obj=need, what="need")
    return need


def need_cancel(*, actor: User, need: Need) -> Need:
    """取消需求: no longer needed. A task offered or under way for it is cancelled too."""
    check_writer(actor)
    check_visible(actor, need)
    old = need.status
    need_move(need, NeedStatus.CANCELLED)
    with transaction.atomic():
        need.save(update_fields=["status", "updated_at"])
        cancelled = need.tasks.filter(status__in=(TaskStatus.OFFERED, TaskStatus.ACCEPTED))
        task_ids = list(cancelled.values_list("pk", flat=True))
        cancelled.update(status=TaskStatus.CANCELLED)
        changes = {"status": [old, need.status]}
        if task_ids:
            changes["tasks_cancelled"] = [None, ",".join(str(pk) for pk in task_ids)]
        audit_record(actor=actor, action=Action.UPDATE, obj=need, changes=changes)
    return need
