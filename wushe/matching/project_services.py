"""The service-project list (服务项目清单): projects a station runs and the needs they answer.

Each write checks the role and the actor's subtree, runs ``full_clean`` and writes its audit
entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, field_changes
from wushe.matching.models import Need, ServiceProject
from wushe.matching.need_services import check_writer, refusal
from wushe.regions.choices import SiteKind
from wushe.regions.models import Site

PROJECT_FIELDS = (
    "station",
    "name",
    "service_area",
    "target_group",
    "period_from",
    "period_to",
    "capacity",
    "status",
    "description",
)
MAX_LINKED_NEEDS = 5000


def _check_visible(actor: User, project: ServiceProject) -> None:
    if not actor.can_see_code(project.region_code):
        raise refusal("project", _("No such project."), "not_found")


def _station_errors(actor: User, station: Site | None) -> list[str]:
    if station is None or not actor.can_see_code(station.region_id):
        return [_("No such site.")]
    if station.kind != SiteKind.STATION:
        return [_("Choose a township station.")]
    return []


def _need_errors(
    actor: User, project: ServiceProject, needs: list[Need], added: list[Need]
) -> list[str]:
    if len(needs) > MAX_LINKED_NEEDS:
        return [_("At most 5000 needs.")]
    if any(not actor.can_see_code(need.region_id) for need in added):
        return [_("No such need.")]
    if project.station_id and any(need.station_id != project.station_id for need in needs):
        return [_("Link only needs of the project's own station.")]
    return []


def _check(actor: User, project: ServiceProject, needs: list[Need], added: list[Need]) -> None:
    errors: dict[str, list[str]] = {}
    station = project.station if project.station_id else None
    if problems := _station_errors(actor, station):
        errors["station"] = problems
    if project.period_from and project.period_to and project.period_to < project.period_from:
        errors["period_to"] = [_("The end is before the start.")]
    if problems := _need_errors(actor, project, needs, added):
        errors["needs"] = problems
    project.name = (project.name or "").strip()
    project.target_group = (project.target_group or "").strip()
    try:
        project.full_clean(exclude=[*errors, "created_by", "region_code", "needs"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name == "__all__":  # the database's own check of the period: shown beside it
                name = "period_to"
            if name not in errors:
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _snapshot(project: ServiceProject, needs: Iterable[Need]) -> dict:
    values = {name: getattr(project, name) for name in PROJECT_FIELDS if name != "station"}
    values["station"] = project.station_id
    values["region_code"] = project.region_code
    values["needs"] = ",".join(str(pk) for pk in sorted(need.pk for need in needs))
    values["description"] = "***" if project.description else ""
    return values


def _apply(project: ServiceProject, fields: dict) -> None:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(project, name, value)


def project_create(*, actor: User, needs: Iterable[Need] = (), **fields) -> ServiceProject:
    """新建服务项目."""
    check_writer(actor)
    needs = list(dict.fromkeys(needs))
    project = ServiceProject(created_by=actor)
    _apply(project, fields)
    _check(actor, project, needs, needs)
    project.region_code = project.station.region_id
    with transaction.atomic():
        project.save()
        project.needs.set(needs)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=project,
            changes=field_changes({}, _snapshot(project, needs)),
        )
    return project


def project_update(
    *,
    actor: User,
    project: ServiceProject,
    needs: Iterable[Need] | None = None,
    **fields,
) -> ServiceProject:
    """Change a project; ``needs`` (when given) replaces the linked needs. Needs already
    linked stay even when outside this actor's subtree (someone above linked them)."""
    check_writer(actor)
    _check_visible(actor, project)
    old_needs = list(project.needs.all())
    new_needs = old_needs if needs is None else list(dict.fromkeys(needs))
    before = _snapshot(project, old_needs)
    _apply(project, fields)
    _check(actor, project, new_needs, [need for need in new_needs if need not in old_needs])
    project.region_code = project.station.region_id
    with transaction.atomic():
        project.save()
        if needs is not None:
            project.needs.set(new_needs)
        changes = field_changes(before, _snapshot(project, new_needs))
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=project, changes=changes)
    return project


def project_link_needs(
    *, actor: User, project: ServiceProject, needs: Iterable[Need]
) -> ServiceProject:
    """The needs the project answers, replacing the list."""
    return project_update(actor=actor, project=project, needs=needs)
