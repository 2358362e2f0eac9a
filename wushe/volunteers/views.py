"""Staff pages for volunteers (志愿者): the list, registering, the record, editing, and a portal
account. The ledger's pages are in ``ledger_views``; teams in ``team_views``; the skills list
and the rules in ``rule_views``.

Every read starts from the user's subtree (``selectors.volunteer_list``); a volunteer outside
it is a 404. Every write goes through the services, which check the role and write the audit
log. Answers say ``Cache-Control: no-store``: they hold personal data.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.exception import response_for_exception
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.views import PAGE_SIZE, add_service_errors, paginate, visible_or_404
from wushe.people import roles
from wushe.people.identity import mask_id_number, normalize_id_number
from wushe.people.phones import mask_phone
from wushe.volunteers import selectors, services
from wushe.volunteers.certificates import may_issue
from wushe.volunteers.choices import DAY_NAMES, PART_NAMES, PARTS
from wushe.volunteers.filtersets import VolunteerFilterSet
from wushe.volunteers.forms import InviteForm, SearchForm, VolunteerForm
from wushe.volunteers.ledger_forms import CertificateForm
from wushe.volunteers.models import Volunteer

VOLUNTEER = "volunteers.volunteer"


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


def status_of(*forms) -> int:
    """400 when a submitted form has errors (the page shows them beside the fields)."""
    failed = any(form is not None and form.is_bound and form.errors for form in forms)
    return 400 if failed else 200


def visible_volunteer(request: HttpRequest, pk: int, action: str = Action.VIEW) -> Volunteer:
    return visible_or_404(request, selectors.volunteer_list(user=request.user), action, pk=pk)


def require_writer(request: HttpRequest, action: str, obj_id="") -> None:
    """Auditors read but never write: 403, recorded (after the 404 for records out of reach)."""
    if not services.can_write(request.user):
        audit_denied(actor=request.user, action=action, object_type=VOLUNTEER, object_id=obj_id)
        raise PermissionDenied(_("Your role cannot change volunteers' records."))


def week_rows(mask: int) -> list[tuple[str, list[bool]]]:
    """The availability as a read-only grid: one row per part of the day, one cell per day."""
    return [
        (label, [bool(mask >> (day * PARTS + part) & 1) for day in range(7)])
        for part, label in enumerate(PART_NAMES)
    ]


# The list ---------------------------------------------------------------------------------------


def _has_digits(query: str) -> bool:
    return any(character.isdigit() for character in normalize_id_number(query))


def _query_shown(query: str) -> str:
    """What the page may repeat of the query: a name as typed, a number only masked."""
    if not _has_digits(query):
        return query
    number = normalize_id_number(query)
    if len(number) in (15, 18):
        return mask_id_number(number)
    return query if query.upper().startswith("V") else "*" * len(number)


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def volunteer_list(request: HttpRequest) -> HttpResponse:
    # The search goes in the POST body, never in the query string: it may be an ID number.
    # The filters (skill, team, village, status) are not personal and stay in the URL.
    user = request.user
    search = SearchForm(request.POST if request.method == "POST" else None)
    query = search.cleaned_data["q"].strip() if search.is_bound and search.is_valid() else ""
    found = (
        selectors.volunteer_search(user=user, query=query)
        if query
        else selectors.volunteer_list(user=user)
    )
    filterset = VolunteerFilterSet(
        request.GET or None, queryset=selectors.with_totals(found), user=user
    )
    valid = (not filterset.is_bound or filterset.is_valid()) and not search.errors
    volunteers = filterset.qs.prefetch_related("skills") if valid else found.none()
    if query:  # search results page through POSTs that repeat the search
        page = Paginator(volunteers, PAGE_SIZE).get_page(request.POST.get("page"))
    else:
        page = paginate(request, volunteers)
    context = {
        "filterset": filterset,
        "search_form": search,
        "query": query,
        "query_shown": _query_shown(query) if query else "",
        "repeat_query": query and not _has_digits(query),
        "page": page,
        "can_write": services.can_write(user),
    }
    return render(request, "volunteers/volunteer_list.html", context, status=200 if valid else 400)


# One volunteer ----------------------------------------------------------------------------------


@no_store
@login_required
@require_GET
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = visible_volunteer(request, pk)
    user = request.user
    services.volunteer_open(actor=user, volunteer=volunteer)
    # The person's other roles (one person, one identity), only those the viewer may see.
    held = roles.roles_visible(volunteer.id_hash, user)
    resident = held["resident"][0] if volunteer.resident_id and held.get("resident") else None
    writer = services.can_write(user)
    context = {
        "volunteer": volunteer,
        "masked_id": mask_id_number(volunteer.id_number),
        "masked_phone": mask_phone(volunteer.phone),
        "summary": selectors.volunteer_summary(volunteer),
        "ledger": paginate(request, selectors.ledger_of(volunteer)),
        "certificates": volunteer.certificates.select_related("issued_by")[:20],
        "skills": volunteer.skills.all(),
        "teams": volunteer.teams.visible_to(user),
        "week": week_rows(volunteer.availability),
        "days": DAY_NAMES,
        "resident": resident,
        "workers": held.get("social_worker", []),
        "donors": held.get("donor", []),
        "can_write": writer,
        "can_supervise": user.role in services.SUPERVISORS,
        "is_admin": user.is_admin,
        "certificate_form": CertificateForm(user=user) if may_issue(user, volunteer) else None,
    }
    return render(request, "volunteers/volunteer_detail.html", context)


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def volunteer_create(request: HttpRequest) -> HttpResponse:
    require_writer(request, Action.CREATE)
    form = VolunteerForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_register(actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Volunteer registered."))
            return redirect("volunteers:volunteer_detail", volunteer.pk)
    context = {"form": form, "volunteer": None}
    return render(request, "volunteers/volunteer_form.html", context, status=status_of(form))


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def volunteer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = visible_volunteer(request, pk, Action.UPDATE)
    require_writer(request, Action.UPDATE, pk)
    form = VolunteerForm(
        request.POST if request.method == "POST" else None, user=request.user, volunteer=volunteer
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_update(
                actor=request.user, volunteer=volunteer, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            volunteer.refresh_from_db()
        else:
            messages.success(request, _("Volunteer record saved."))
            return redirect("volunteers:volunteer_detail", volunteer.pk)
    context = {"form": form, "volunteer": volunteer}
    return render(request, "volunteers/volunteer_form.html", context, status=status_of(form))


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def volunteer_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """A portal account, so the volunteer can see their own hours, points and tasks."""
    volunteer = visible_volunteer(request, pk, Action.CREATE)
    require_writer(request, Action.CREATE, pk)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_invite(actor=request.user, volunteer=volunteer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Portal account created."))
            return redirect("volunteers:volunteer_detail", volunteer.pk)
    context = {"form": form, "volunteer": volunteer}
    return render(request, "volunteers/invite_form.html", context, status=status_of(form))
