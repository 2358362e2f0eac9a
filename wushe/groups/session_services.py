"""Group sessions (节) and who was present at each.

A session is counted by ``held_on`` in the group's region (``group_sessions``), and each member
present is one person-time (``person_times``). Recording, changing the date or the attendance
of, and deleting a session move those tallies in the same transaction. Sessions are numbered
1..n by date; the numbers follow when a session is recorded late, moved or deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.groups.selectors import hidden_label, shown_name
from wushe.groups.services import check_group, check_writer
from wushe.statistics.tallies import tally

SESSION_FIELDS = ("held_on", "topic", "notes")


def _held_on_errors(group: Group, held_on: date) -> list[str]:
    if held_on > timezone.localdate():
        return [_("A session cannot be in the future.")]
    if held_on < group.started_on:
        return [_("A session cannot come before the group started.")]
    if group.ended_on and held_on > group.ended_on:
        return [_("A session cannot come after the group ended.")]
    return []


def _attendance_errors(
    actor: User, group: Group, held_on: date, attendees: list[GroupMember]
) -> list[str]:
    """Only the group's own members, and only on a day they belonged to it, can be present."""
    if any(member.group_id != group.pk for member in attendees):
        return [_("Only members of the group can attend its sessions.")]
    absent = [
        shown_name(actor, member.resident) or hidden_label()
        for member in attendees
        if not member.member_on(held_on)
    ]
    if absent:
        return [
            _("Not a member of the group on that day: %(names)s.") % {"names": "、".join(absent)}
        ]
    return []


def _check_session(actor: User, session: GroupSession, attendees: list[GroupMember]) -> None:
    errors: dict[str, list[str]] = {}
    if session.held_on is not None:
        if problems := _held_on_errors(session.group, session.held_on):
            errors["held_on"] = problems
        elif problems := _attendance_errors(actor, session.group, session.held_on, attendees):
            errors["attendees"] = problems
    session.topic = (session.topic or "").strip()
    try:
        session.full_clean(exclude=[*errors, "number", "recorded_by"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _lock(group: Group) -> None:
    """One writer of a group's sessions at a time, so that two numberings cannot interleave."""
    Group.objects.select_for_update().filter(pk=group.pk).values_list("pk").first()


def _renumber(group: Group) -> None:
    sessions = list(group.sessions.order_by("held_on", "id").only("id", "number"))
    changed = []
    for number, session in enumerate(sessions, start=1):
        if session.number != number:
            session.number = number
            changed.append(session)
    GroupSession.objects.bulk_update(changed, ["number"])


def _audit_values(session: GroupSession, attendees: list[GroupMember]) -> dict:
    return {
        "held_on": session.held_on.isoformat(),
        "topic": session.topic,
        "attendees": ",".join(str(pk) for pk in sorted(member.pk for member in attendees)),
    }


def session_record(
    *,
    actor: User,
    group: Group,
    held_on: date,
    topic: str,
    notes: str = "",
    attendees: Iterable[GroupMember] = (),
) -> GroupSession:
    """记录一节小组活动 with the members present."""
    check_writer(actor)
    check_group(actor, group)
    attendees = list(dict.fromkeys(attendees))
    session = GroupSession(
        group=group,
        number=0,  # given by _renumber once saved
        held_on=held_on,
        topic=topic,
        notes=notes,
        region_code=group.region_code,
        recorded_by=actor,
    )
    _check_session(actor, session, attendees)
    with transaction.atomic():
        _lock(group)
        session.save()
        session.attendees.set(attendees)
        _renumber(group)
        session.refresh_from_db(fields=["number"])
        tally(group.region_code, held_on, group_sessions=1, person_times=len(attendees))
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=session,
            changes={
                name: [None, value] for name, value in _audit_values(session, attendees).items()
            },
        )
    return session


def session_update(
    *,
    actor: User,
    session: GroupSession,
    attendees: Iterable[GroupMember] | None = None,
    **fields,
) -> GroupSession:
    """Change a session's date, topic or notes, and (when ``attendees`` is given) who was
    present. The tallies move from the old date and head count to the new ones."""
    check_writer(actor)
    group = session.group
    check_group(actor, group)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    old_attendees = list(session.attendees.all())
    new_attendees = old_attendees if attendees is None else list(dict.fromkeys(attendees))
    before = _audit_values(session, old_attendees)
    old_held_on, old_notes = session.held_on, session.notes
    for name, value in fields.items():
        setattr(session, name, value)
    _check_session(actor, session, new_attendees)
    with transaction.atomic():
        _lock(group)
        session.save()
        if attendees is not None:
            session.attendees.set(new_attendees)
        if session.held_on != old_held_on:
            _renumber(group)
            session.refresh_from_db(fields=["number"])
        if (old_held_on, len(old_attendees)) != (session.held_on, len(new_attendees)):
            tally(
                group.region_code, old_held_on, group_sessions=-1, person_times=-len(old_attendees)
            )
            tally(
                group.region_code,
                session.held_on,
                group_sessions=1,
                person_times=len(new_attendees),
            )
        after = _audit_values(session, new_attendees)
        changes = {
            name: [before[name], after[name]] for name in after if before[name] != after[name]
        }
        if session.notes != old_notes:  # what the notes say stays out of the log
            changes["notes"] = ["***" if old_notes else "", "***" if session.notes else ""]
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=session, changes=changes)
    return session


def session_delete(*, actor: User, session: GroupSession) -> None:
    check_writer(actor)
    group = session.group
    check_group(actor, group)
    present = session.attendees.count()
    with transaction.atomic():
        _lock(group)
        tally(group.region_code, session.held_on, group_sessions=-1, person_times=-present)
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=session,
            changes={
                "held_on": [session.held_on.isoformat(), None],
                "attendees": [str(present), None],
            },
        )
        session.delete()
        _renumber(group)
