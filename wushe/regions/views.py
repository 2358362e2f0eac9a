"""Pages for the region tree, coverage and service sites.

Every read starts from the user's subtree (``visible_to`` or a selector); an object outside it
is a 404. Every write goes through ``regions.services`` with the signed-in user as actor.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wushe.audit.models import Action
from wushe.audit.services import audit_denied, audit_record
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.regions import codes, selectors, services
from wushe.regions.exports import XLSX_CONTENT_TYPE, sites_workbook
from wushe.regions.filtersets import SiteFilterSet
from wushe.regions.forms import RegionChoiceForm, RegionSearchForm, SiteForm
from wushe.regions.models import Region, Site

# A duplicate station for one township is a whole-object constraint; the region is what the
# user changes to fix it, so the message goes beside that field.
SITE_ERROR_ALIASES = {NON_FIELD_ERRORS: "region"}


def _visible_region(request: HttpRequest, code: str) -> Region:
    try:
        code = codes.normalize_code(code)
    except ValidationError as error:
        raise Http404 from error
    return visible_or_404(request, Region.objects.visible_to(request.user), Action.VIEW, code=code)


def _own_region(request: HttpRequest) -> Region:
    region = selectors.user_root(request.user)
    if region is None:  # an account without a region sees nothing at all
        raise Http404
    return region


def _require_editor(request: HttpRequest, action: str, site: Site | None = None) -> None:
    """Workers and auditors may look but not change: 403, recorded (for objects they can see)."""
    if not request.user.can_edit_sites:
        audit_denied(
            actor=request.user,
            action=action,
            object_type="regions.site",
            object_id=str(site.pk) if site else "",
        )
        raise PermissionDenied(_("Your role cannot change service sites."))


# Regions ----------------------------------------------------------------------------------------


@login_required
@require_GET
def region_detail(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """One node of the tree: its ancestors, its children with coverage, and its own sites."""
    region = _visible_region(request, code) if code else _own_region(request)
    user = request.user
    context = {
        "region": region,
        "ancestors": selectors.region_ancestors(user=user, region=region),
        "coverage": selectors.coverage_of(user=user, region=region),
        "children": selectors.coverage_by_child(user=user, region=region),
        "sites": selectors.site_list(user=user).filter(region=region),
        "search_form": RegionSearchForm(),
        "level_label": selectors.level_label(region.level),
    }
    return render(request, "regions/region_detail.html", context)


@login_required
@require_GET
def region_search(request: HttpRequest) -> HttpResponse:
    """By name or code, inside the subtree; htmx asks for the result list alone."""
    form = RegionSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "form": form,
        "query": query,
        "results": selectors.region_search(user=request.user, query=query) if query else [],
    }
    if request.headers.get("HX-Request"):
        return render(request, "regions/_search_results.html", context)
    return render(request, "regions/region_search.html", context)


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    """Coverage of a node (default: the user's own) and of each of its children."""
    form = RegionChoiceForm(request.GET or None, user=request.user)
    region = None
    if form.is_bound and form.is_valid():
        region = form.cleaned_data["region"]
    region = region or _own_region(request)
    context = {
        "form": form,
        "region": region,
        "ancestors": selectors.region_ancestors(user=request.user, region=region),
        "total": selectors.coverage_of(user=request.user, region=region),
        "children": selectors.coverage_by_child(user=request.user, region=region),
    }
    return render(request, "regions/coverage.html", context, status=400 if form.errors else 200)


# Sites ------------------------------------------------------------------------------------------


def _site_filterset(request: HttpRequest) -> SiteFilterSet:
    return SiteFilterSet(request.GET or None, queryset=selectors.site_list(user=request.user))


@login_required
@require_GET
def site_list(request: HttpRequest) -> HttpResponse:
    filterset = _site_filterset(request)
    context = {
        "filterset": filterset,
        "page": paginate(request, filterset.qs),
        "ordering": request.GET.get("ordering", ""),
    }
    return render(request, "regions/site_list.html", context)


@login_required
@require_GET
def site_export(request: HttpRequest) -> HttpResponse:
    """The filtered list (all pages) as .xlsx; the export itself is recorded in the audit log."""
    filterset = _site_filterset(request)
    if filterset.is_bound and not filterset.is_valid():
        context = {"filterset": filterset, "page": paginate(request, filterset.qs.none())}
        return render(request, "regions/site_list.html", context, status=400)
    content, rows = sites_workbook(filterset.qs)
    filters = {k: v for k, v in request.GET.items() if k in filterset.filters and v}
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="regions.site",
        region_code=request.user.region_id,
        changes={"rows": rows, "filters": filters},
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"sites-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _visible_site(request: HttpRequest, pk: int, action: str) -> Site:
    return visible_or_404(request, selectors.site_list(user=request.user), action, pk=pk)


@login_required
@require_GET
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = _visible_site(request, pk, Action.VIEW)
    context = {
        "site": site,
        # Only the colleagues the viewer may see; others stay unnamed.
        "staff": site.staff.visible_to(request.user).select_related("region"),
        "ancestors": selectors.region_ancestors(user=request.user, region=site.region),
    }
    return render(request, "regions/site_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def site_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request, Action.CREATE)
    if request.method == "POST":
        form = SiteForm(request.POST, user=request.user)
    else:
        form = SiteForm(initial={"region": request.GET.get("region", "")}, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            site = services.site_create(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error, aliases=SITE_ERROR_ALIASES)
        else:
            messages.success(request, _("Service site %(name)s created.") % {"name": site.name})
            return redirect("regions:site_detail", pk=site.pk)
    return _render_site_form(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = _visible_site(request, pk, Action.UPDATE)
    _require_editor(request, Action.UPDATE, site)
    initial = SiteForm.initial_from(site, user=request.user)
    data = request.POST if request.method == "POST" else None
    form = SiteForm(data, initial=initial, user=request.user)
    if form.is_bound and form.is_valid():
        fields = form.service_arguments()
        staff = fields.pop("staff")
        # Untouched, the staff list is left alone: it may hold people this editor cannot see.
        if "staff" not in form.changed_data:
            staff = None
        try:
            services.site_update(actor=request.user, site=site, staff=staff, **fields)
        except ValidationError as error:
            add_service_errors(form, error, aliases=SITE_ERROR_ALIASES)
        else:
            messages.success(request, _("Service site %(name)s saved.") % {"name": site.name})
            return redirect("regions:site_detail", pk=site.pk)
    return _render_site_form(request, form, site)


def _render_site_form(request: HttpRequest, form: SiteForm, site: Site | None) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "regions/site_form.html", {"form": form, "site": site}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def site_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators only; GET asks for confirmation, POST deletes."""
    site = _visible_site(request, pk, Action.DELETE)
    if not request.user.is_admin:
        audit_denied(
            actor=request.user, action=Action.DELETE, object_type="regions.site", object_id=pk
        )
        raise PermissionDenied(_("Only an administrator can delete a service site."))
    if request.method == "POST":
        name = site.name
        try:
            services.site_delete(actor=request.user, site=site)
        except ValidationError as error:
            context = {"site": site, "errors": error.messages}
            return render(request, "regions/site_confirm_delete.html", context, status=400)
        messages.success(request, _("Service site %(name)s deleted.") % {"name": name})
        return redirect("regions:site_list")
    return render(request, "regions/site_confirm_delete.html", {"site": site})
