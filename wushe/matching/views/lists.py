"""The resources list (资源清单: volunteers, organisations' offers, charity resources) and the
service-project list (服务项目清单)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.matching import offer_services, project_services, resources, selectors
from wushe.matching.filtersets import ProjectFilterSet
from wushe.matching.forms import LinkNeedsForm, OfferForm, ProjectForm
from wushe.matching.views.common import can_write, require_writer, status_of

OFFER = "matching.organisationoffer"
PROJECT = "matching.serviceproject"


def _chosen_station(request: HttpRequest):
    raw = request.GET.get("station", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        return None
    return selectors.stations(user=request.user).filter(pk=raw).first()


@never_cache
@login_required
@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    """资源清单: who and what a station can draw on, in the user's subtree (or a station's)."""
    station = _chosen_station(request)
    listing = resources.resources_of(user=request.user, station=station)
    context = {
        **listing,
        "station": station,
        "stations": selectors.stations(user=request.user),
        "can_write": can_write(request.user),
    }
    return render(request, "matching/resource_list.html", context)


def _render_offer_form(request, form, offer=None) -> HttpResponse:
    context = {"form": form, "offer": offer}
    return render(request, "matching/offer_form.html", context, status=status_of(form))


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    require_writer(request, Action.CREATE, OFFER)
    data = request.POST if request.method == "POST" else None
    form = OfferForm(data, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            offer_services.offer_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Organisation offer saved."))
            return redirect("matching:resources")
    return _render_offer_form(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = visible_or_404(request, selectors.offer_list(user=request.user), Action.UPDATE, pk=pk)
    require_writer(request, Action.UPDATE, OFFER, pk)
    data = request.POST if request.method == "POST" else None
    form = OfferForm(data, user=request.user, initial=OfferForm.initial_from(offer))
    if form.is_bound and form.is_valid():
        try:
            offer_services.offer_update(actor=request.user, offer=offer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Organisation offer saved."))
            return redirect("matching:resources")
    return _render_offer_form(request, form, offer)


# Service projects -------------------------------------------------------------------------------


def _visible_project(request: HttpRequest, pk: int, action: str):
    return visible_or_404(request, selectors.project_list(user=request.user), action, pk=pk)


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    projects = selectors.project_list(user=request.user)
    filterset = ProjectFilterSet(request.GET or None, queryset=projects)
    valid = not filterset.is_bound or filterset.is_valid()
    context = {
        "filterset": filterset,
        "page": paginate(request, filterset.qs if valid else projects.none()),
        "can_write": can_write(request.user),
    }
    return render(request, "matching/project_list.html", context, status=200 if valid else 400)


def _render_project_form(request, form, project=None) -> HttpResponse:
    context = {"form": form, "project": project}
    return render(request, "matching/project_form.html", context, status=status_of(form))


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    require_writer(request, Action.CREATE, PROJECT)
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            project = project_services.project_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Project %(name)s saved.") % {"name": project.name})
            return redirect("matching:project_detail", pk=project.pk)
    return _render_project_form(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk, Action.UPDATE)
    require_writer(request, Action.UPDATE, PROJECT, pk)
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, user=request.user, initial=ProjectForm.initial_from(project))
    if form.is_bound and form.is_valid():
        try:
            project_services.project_update(
                actor=request.user, project=project, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Project %(name)s saved.") % {"name": project.name})
            return redirect("matching:project_detail", pk=pk)
    return _render_project_form(request, form, project)


def _link_form(request: HttpRequest, project, data=None) -> LinkNeedsForm:
    form = LinkNeedsForm(data, initial={"needs": list(project.needs.all())})
    linked = selectors.need_list(user=request.user).filter(projects=project)
    form.fields["needs"].queryset = (
        selectors.needs_for_linking(user=request.user, project=project) | linked
    ).distinct()
    return form


@never_cache
@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk, Action.VIEW)
    return _render_project(request, project, _link_form(request, project))


def _render_project(request, project, form) -> HttpResponse:
    context = {
        "project": project,
        "needs": selectors.need_list(user=request.user).filter(projects=project),
        "link_form": form,
        "can_write": can_write(request.user),
    }
    return render(request, "matching/project_detail.html", context, status=status_of(form))


@never_cache
@login_required
@require_POST
def project_link(request: HttpRequest, pk: int) -> HttpResponse:
    """The needs the project answers (replacing the list)."""
    project = _visible_project(request, pk, Action.UPDATE)
    require_writer(request, Action.UPDATE, PROJECT, pk)
    form = _link_form(request, project, request.POST)
    if form.is_valid():
        # Needs linked by someone with a wider subtree stay linked.
        hidden = project.needs.exclude(pk__in=selectors.need_list(user=request.user).values("pk"))
        try:
            project_services.project_link_needs(
                actor=request.user,
                project=project,
                needs=[*form.cleaned_data["needs"], *hidden],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Linked needs saved."))
            return redirect("matching:project_detail", pk=pk)
    return _render_project(request, project, form)
