"""Pages for home visits (入户走访): the list, recording a visit, a visit, its correction and
its deletion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wushe.audit.models import Action
from wushe.audit.services import audit_denied, audit_record
from wushe.casework import selectors, services
from wushe.casework.exports import visits_workbook
from wushe.casework.filtersets import VisitFilterSet
from wushe.casework.forms import VisitForm
from wushe.casework.models import HomeVisit
from wushe.casework.services import can_read_notes
from wushe.casework.views.common import (
    XLSX_CONTENT_TYPE,
    can_supervise,
    can_write,
    no_store,
    require_writer,
    status_of,
    visible_resident,
)
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.regions.models import Region

VISIT = "casework.homevisit"


def _visible_visit(request: HttpRequest, pk: int, action: str) -> HomeVisit:
    return visible_or_404(request, selectors.visit_list(user=request.user), action, pk=pk)


def _can_delete(user, visit: HomeVisit) -> bool:
    return can_write(user) and (can_supervise(user) or visit.recorded_by_id == user.pk)


@no_store
@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    filterset = VisitFilterSet(
        request.GET or None, queryset=selectors.visit_list(user=request.user), request=request
    )
    valid = not filterset.is_bound or filterset.is_valid()
    visits = filterset.qs if valid else filterset.queryset.none()
    context = {"filterset": filterset, "page": paginate(request, visits)}
    return render(request, "casework/visit_list.html", context, status=200 if valid else 400)


@no_store
@login_required
@require_GET
def visit_export(request: HttpRequest) -> HttpResponse:
    """The filtered list (all pages) as .xlsx, as on screen; the export is audited."""
    filterset = VisitFilterSet(
        request.GET or None, queryset=selectors.visit_list(user=request.user), request=request
    )
    if filterset.is_bound and not filterset.is_valid():
        return visit_list(request)
    content, rows = visits_workbook(filterset.qs)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="casework.homevisit",
        region_code=request.user.region_id,
        changes={"rows": rows, "filters": filterset.active_filters()},
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"home-visits-{request.user.region_id}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest, resident_pk: int) -> HttpResponse:
    resident = visible_resident(request, resident_pk, Action.CREATE)
    require_writer(request, Action.CREATE, VISIT)
    data = request.POST if request.method == "POST" else None
    form = VisitForm(data, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            visit = services.visit_record(
                actor=request.user, resident=resident, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Visit to %(name)s recorded.") % {"name": resident.name})
            return redirect("casework:visit_detail", pk=visit.pk)
    context = {"form": form, "resident": resident}
    return render(request, "casework/visit_form.html", context, status=status_of(form))


@no_store
@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visible_visit(request, pk, Action.VIEW)
    services.visit_view(actor=request.user, visit=visit)
    user = request.user
    context = {
        "visit": visit,
        "village": Region.objects.filter(code=visit.region_code).first(),
        "resident_visible": user.can_see_code(visit.resident.region_id),
        "can_read_notes": can_read_notes(user),
        "can_write": can_write(user),
        "can_delete": _can_delete(user, visit),
    }
    return render(request, "casework/visit_detail.html", context)


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visible_visit(request, pk, Action.UPDATE)
    require_writer(request, Action.UPDATE, VISIT, pk)
    if request.method == "GET":
        services.visit_view(actor=request.user, visit=visit)  # the form shows the findings
    data = request.POST if request.method == "POST" else None
    form = VisitForm(data, user=request.user, visit=visit)
    if form.is_bound and form.is_valid():
        try:
            services.visit_update(actor=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Visit saved."))
            return redirect("casework:visit_detail", pk=pk)
        visit = _visible_visit(request, pk, Action.UPDATE)  # as it still is on file
    context = {"form": form, "resident": visit.resident, "visit": visit}
    return render(request, "casework/visit_form.html", context, status=status_of(form))


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def visit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST deletes (the recorder or a supervisor)."""
    visit = _visible_visit(request, pk, Action.DELETE)
    if not _can_delete(request.user, visit):
        audit_denied(actor=request.user, action=Action.DELETE, object_type=VISIT, object_id=pk)
        raise PermissionDenied(
            _("Only the person who recorded a visit, or a supervisor, can delete it.")
        )
    if request.method == "POST":
        resident = visit.resident
        services.visit_delete(actor=request.user, visit=visit)
        messages.success(request, _("Visit to %(name)s deleted.") % {"name": resident.name})
        return redirect("casework:visit_list")
    return render(request, "casework/visit_confirm_delete.html", {"visit": visit})
