"""Staff pages for volunteer teams (志愿服务队)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.volunteers import selectors, services, team_services
from wushe.volunteers.admin_forms import TeamForm
from wushe.volunteers.models import VolunteerTeam
from wushe.volunteers.views import no_store, status_of

TEAM = "volunteers.volunteerteam"


def _visible_team(request: HttpRequest, pk: int, action: str) -> VolunteerTeam:
    return visible_or_404(request, selectors.team_list(user=request.user), action, pk=pk)


def _require_writer(request: HttpRequest, action: str, obj_id="") -> None:
    if not services.can_write(request.user):
        audit_denied(actor=request.user, action=action, object_type=TEAM, object_id=obj_id)
        raise PermissionDenied(_("Your role cannot change volunteers' records."))


@no_store
@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    context = {
        "page": paginate(request, selectors.team_list(user=request.user)),
        "can_write": services.can_write(request.user),
    }
    return render(request, "volunteers/team_list.html", context)


@no_store
@login_required
@require_GET
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = _visible_team(request, pk, Action.VIEW)
    members = selectors.volunteer_list(user=request.user).filter(teams=team)
    context = {
        "team": team,
        "members": selectors.with_totals(members).order_by("number"),
        "can_write": services.can_write(request.user),
    }
    return render(request, "volunteers/team_detail.html", context)


def _save(request: HttpRequest, form: TeamForm, team: VolunteerTeam | None):
    data = form.cleaned_data
    try:
        if team is None:
            return team_services.team_create(actor=request.user, **data)
        return team_services.team_update(actor=request.user, team=team, **data)
    except ValidationError as error:
        add_service_errors(form, error, aliases={"team": None})
        return None


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request, Action.CREATE)
    form = TeamForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        team = _save(request, form, None)
        if team is not None:
            messages.success(request, _("Team saved."))
            return redirect("volunteers:team_detail", team.pk)
    context = {"form": form, "team": None}
    return render(request, "volunteers/team_form.html", context, status=status_of(form))


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = _visible_team(request, pk, Action.UPDATE)
    _require_writer(request, Action.UPDATE, pk)
    form = TeamForm(
        request.POST if request.method == "POST" else None, user=request.user, team=team
    )
    if request.method == "POST" and form.is_valid():
        if _save(request, form, team) is not None:
            messages.success(request, _("Team saved."))
            return redirect("volunteers:team_detail", team.pk)
        team.refresh_from_db()
    context = {"form": form, "team": team}
    return render(request, "volunteers/team_form.html", context, status=status_of(form))


@no_store
@login_required
@require_POST
def team_delete(request: HttpRequest, pk: int) -> HttpResponse:
    team = _visible_team(request, pk, Action.DELETE)
    _require_writer(request, Action.DELETE, pk)
    team_services.team_delete(actor=request.user, team=team)
    messages.success(request, _("Team deleted."))
    return redirect("volunteers:team_list")
