"""Pages for residents' files (建档).

Every read starts from the user's subtree (``selectors.resident_list``); a file outside it is a
404. Every write, every open of a file and every unmasking goes through ``people.services``,
which check the role and write the audit log. Every response says ``Cache-Control: no-store``:
these pages hold personal data that must not stay in a browser's or a proxy's cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.exception import response_for_exception
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied, audit_record
from wushe.core.views import PAGE_SIZE, add_service_errors, paginate, visible_or_404
from wushe.people import selectors, services
from wushe.people.exports import XLSX_CONTENT_TYPE, resident_rows, residents_workbook
from wushe.people.filtersets import ResidentFilterSet, has_digits
from wushe.people.forms import (
    ConsentForm,
    ResidentForm,
    SearchForm,
    UnmaskForm,
    add_resident_errors,
    error_codes,
)
from wushe.people.identity import mask_id_number, normalize_id_number
from wushe.people.models import Consent, Resident
from wushe.people.phones import mask_phone
from wushe.people.roles import roles_visible

RESIDENT = "people.resident"


def no_store(view):
    """``Cache-Control: no-store`` on every answer of the view, its 403s and 404s included."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except (Http404, PermissionDenied) as error:
            response = response_for_exception(request, error)
        add_never_cache_headers(response)
        return response

    return wrapped


def can_write(user) -> bool:
    return user.role in services.WRITERS


def can_unmask(user) -> bool:
    return user.role in services.UNMASKERS


def _visible_resident(request: HttpRequest, pk: int, action: str) -> Resident:
    return visible_or_404(request, selectors.resident_list(user=request.user), action, pk=pk)


def _require_writer(request: HttpRequest, action: str, obj_id: object = "") -> None:
    """Auditors read but never write: 403, recorded (after the 404 for files out of reach)."""
    if not can_write(request.user):
        audit_denied(actor=request.user, action=action, object_type=RESIDENT, object_id=obj_id)
        raise PermissionDenied(_("Your role cannot change residents' files."))


# The list ---------------------------------------------------------------------------------------


@dataclass
class Listing:
    """The list as asked for: filters from the query string, the search from the POST body."""

    filterset: ResidentFilterSet
    search: SearchForm
    query: str

    @property
    def valid(self) -> bool:
        filters_ok = not self.filterset.is_bound or self.filterset.is_valid()
        return filters_ok and not self.search.errors

    @property
    def query_shown(self) -> str:
        """What the page may repeat of the query: a name as typed, a number only masked."""
        if not has_digits(self.query):
            return self.query
        number = normalize_id_number(self.query)
        if len(number) in (15, 18):  # an ID number, masked as everywhere else
            return mask_id_number(number)
        return "*" * len(number)  # a phone or part of a number: nothing of it


def _listing(request: HttpRequest) -> Listing:
    # The search goes in the POST body, never in the query string: it may be an ID number,
    # and a URL is kept in browser history, proxy and server logs and the Referer header.
    # A ``?q=`` in a link is ignored. The filters (category, village, risk) are not personal
    # and stay in the URL, so a filtered list can be bookmarked.
    search = SearchForm(request.POST if request.method == "POST" else None)
    query = search.cleaned_data["q"] if search.is_bound and search.is_valid() else ""
    user = request.user
    residents = (
        selectors.resident_search(user=user, query=query)
        if query
        else selectors.resident_list(user=user)
    )
    residents = residents.prefetch_related("categories")
    filterset = ResidentFilterSet(request.GET or None, queryset=residents)
    return Listing(filterset=filterset, search=search, query=query)


def _page(request: HttpRequest, listing: Listing) -> Page:
    residents = listing.filterset.qs if listing.valid else listing.filterset.queryset.none()
    if listing.query:  # search results page through POSTs that repeat the search
        return Paginator(residents, PAGE_SIZE).get_page(request.POST.get("page"))
    return paginate(request, residents)


def _render_list(request: HttpRequest, listing: Listing) -> HttpResponse:
    page = _page(request, listing)
    context = {
        "listing": listing,
        "filterset": listing.filterset,
        "search_form": listing.search,
        "page": page,
        "rows": resident_rows(page),
        # A name can be repeated in the page; a number cannot (not even in a hidden field).
        "repeat_query": listing.query and not has_digits(listing.query),
        "can_write": can_write(request.user),
    }
    status = 200 if listing.valid else 400
    return render(request, "people/resident_list.html", context, status=status)


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def resident_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request, _listing(request))


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def resident_export(request: HttpRequest) -> HttpResponse:
    """The listed files (all pages) as .xlsx, masked as on screen; the export is audited with
    its row count and filters, never with the search text (it may be a number)."""
    listing = _listing(request)
    if not listing.valid:
        return _render_list(request, listing)
    content, rows = residents_workbook(listing.filterset.qs)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type=RESIDENT,
        region_code=request.user.region_id,
        changes={
            "rows": rows,
            "filters": listing.filterset.active_filters(),
            "searched": bool(listing.query),
        },
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"residents-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# One file ---------------------------------------------------------------------------------------


def _masked_numbers(resident: Resident) -> dict[str, str]:
    phones = {name: getattr(resident, name) for name in ("phone", "guardian_phone")}
    masked = {name: mask_phone(value) if value else "" for name, value in phones.items()}
    return {"id_number": mask_id_number(resident.id_number), **masked}


@no_store
@login_required
@require_GET
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _visible_resident(request, pk, Action.VIEW)
    services.resident_open(actor=request.user, resident=resident)
    today = timezone.localdate()
    writer = can_write(request.user)
    context = {
        "resident": resident,
        "age": resident.age_on(today),
        "elderly": resident.is_elderly(today),
        "categories": resident.categories.all(),
        "masked": _masked_numbers(resident),
        "consents": resident.consents.select_related("recorded_by"),
        "consent_form": ConsentForm(initial={"given_on": today}) if writer else None,
        "can_write": writer,
        "can_unmask": can_unmask(request.user),
        # One person, one identity: the same person's other roles the user may see.
        "roles": roles_visible(resident.id_hash, request.user),
    }
    return render(request, "people/resident_detail.html", context)


@no_store
@login_required
@require_POST
def resident_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    """One personal number in full, in the body of the answer to a POST (never in a URL);
    htmx swaps it in place of the masked one. Recorded as a view by the service."""
    resident = _visible_resident(request, pk, Action.VIEW)
    form = UnmaskForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "resident": resident}
        return render(request, "people/unmask.html", context, status=400)
    field = form.cleaned_data["field"]
    try:
        value = services.resident_unmask(actor=request.user, resident=resident, field=field)
    except PermissionDenied:
        audit_denied(actor=request.user, action=Action.VIEW, object_type=RESIDENT, object_id=pk)
        raise
    label = dict(form.fields["field"].choices)[field]
    context = {"resident": resident, "value": value, "field": field, "label": label}
    if request.headers.get("HX-Request"):
        return render(request, "people/_unmasked.html", context)
    return render(request, "people/unmask.html", context)


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def resident_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request, Action.CREATE)
    posted = request.method == "POST"
    form = ResidentForm(request.POST if posted else None, user=request.user)
    consent_form = ConsentForm.optional(request.POST if posted else None)
    filed_elsewhere = False
    # Both forms are checked, so every field error shows at once.
    if posted and all([form.is_valid(), consent_form.is_valid()]):
        try:
            resident = services.resident_file(
                actor=request.user, consent=consent_form.consent(), **form.service_arguments()
            )
        except ValidationError as error:
            add_resident_errors(error, form, consent_form)
            filed_elsewhere = "filed_elsewhere" in error_codes(error, "id_number")
        else:
            messages.success(request, _("File of %(name)s opened.") % {"name": resident.name})
            return redirect("people:resident_detail", pk=resident.pk)
    context = {"form": form, "consent_form": consent_form, "filed_elsewhere": filed_elsewhere}
    return _render_form(request, context)


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def resident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _visible_resident(request, pk, Action.UPDATE)
    _require_writer(request, Action.UPDATE, pk)
    name = resident.name  # the service changes the object even when it then refuses
    if request.method == "GET":
        services.resident_open(actor=request.user, resident=resident)  # the form shows the file
    form = ResidentForm(
        request.POST if request.method == "POST" else None, user=request.user, resident=resident
    )
    filed_elsewhere = False
    if form.is_bound and form.is_valid():
        try:
            services.resident_update(
                actor=request.user, resident=resident, **form.service_arguments()
            )
        except ValidationError as error:
            add_resident_errors(error, form)
            filed_elsewhere = "filed_elsewhere" in error_codes(error, "id_number")
        else:
            messages.success(request, _("File of %(name)s saved.") % {"name": resident.name})
            return redirect("people:resident_detail", pk=pk)
    context = {"form": form, "resident_pk": pk, "name": name, "filed_elsewhere": filed_elsewhere}
    return _render_form(request, context)


def _render_form(request: HttpRequest, context: dict) -> HttpResponse:
    forms = [context["form"], context.get("consent_form")]
    failed = any(form is not None and form.is_bound and form.errors for form in forms)
    return render(request, "people/resident_form.html", context, status=400 if failed else 200)


# Consent ----------------------------------------------------------------------------------------


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _visible_resident(request, pk, Action.CREATE)
    _require_writer(request, Action.CREATE, pk)
    data = request.POST if request.method == "POST" else None
    form = ConsentForm(data, initial={"given_on": timezone.localdate()})
    if form.is_bound and form.is_valid():
        try:
            services.consent_record(actor=request.user, resident=resident, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("people:resident_detail", pk=pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "resident": resident}
    return render(request, "people/consent_form.html", context, status=status)


@no_store
@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    """撤回同意: health notes cannot be written again until a new consent is recorded."""
    resident = _visible_resident(request, pk, Action.UPDATE)
    consents = Consent.objects.visible_to(request.user).filter(resident=resident)
    consent = visible_or_404(request, consents, Action.UPDATE, pk=consent_pk)
    _require_writer(request, Action.UPDATE, pk)
    services.consent_withdraw(actor=request.user, consent=consent)
    messages.success(request, _("Consent withdrawn."))
    return redirect("people:resident_detail", pk=pk)
