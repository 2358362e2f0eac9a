"""Registering a deployer's approved maps (administrators only) and serving a registered map's
GeoJSON to the dashboard that shows it. A region outside the user's subtree is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.views import add_service_errors, visible_or_404
from wushe.dashboards import selectors, services
from wushe.dashboards.forms import RegionMapForm
from wushe.dashboards.models import RegionMap
from wushe.dashboards.views import region_or_404
from wushe.regions.models import Region


def _require_admin(request: HttpRequest, action: str) -> None:
    if not services.may_register_maps(request.user):
        audit_denied(actor=request.user, action=action, object_type="dashboards.regionmap")
        raise PermissionDenied(_("Only an administrator can register maps."))


@login_required
@require_GET
def region_map_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request, Action.VIEW)
    context = {"maps": selectors.region_map_list(user=request.user)}
    return render(request, "dashboards/region_map_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def region_map_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request, Action.CREATE)
    form = RegionMapForm(request.POST or None, request.FILES or None)
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
        region = Region.objects.visible_to(request.user).filter(code=cleaned["region"]).first()
        upload = cleaned["geojson"]
        try:
            if upload.size > services.MAX_BYTES:
                raise ValidationError({"geojson": _("The file is larger than 20 MB.")})
            services.region_map_register(
                actor=request.user,
                region=region,
                geojson=upload.read(),
                approval_number=cleaned["approval_number"],
                file_name=upload.name,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Map of %(region)s registered.") % {"region": region.name})
            return redirect("dashboards:region_map_list")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "dashboards/region_map_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def region_map_delete(request: HttpRequest, code: str) -> HttpResponse:
    _require_admin(request, Action.DELETE)
    region = region_or_404(request, code, Action.DELETE)
    found = visible_or_404(
        request, RegionMap.objects.visible_to(request.user), Action.DELETE, region=region
    )
    if request.method == "POST":
        services.region_map_delete(actor=request.user, region_map=found)
        messages.success(request, _("Map of %(region)s removed.") % {"region": region.name})
        return redirect("dashboards:region_map_list")
    return render(request, "dashboards/region_map_delete.html", {"object": found})


@login_required
@require_GET
def region_map_geojson(request: HttpRequest, code: str) -> HttpResponse:
    """The GeoJSON of a region's registered map, for ECharts' registerMap."""
    region = region_or_404(request, code)
    found = selectors.region_map_for(user=request.user, region=region)
    if found is None:
        raise Http404
    return HttpResponse(found.geojson, content_type="application/geo+json; charset=utf-8")
