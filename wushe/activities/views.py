"""Pages for community activities (社区活动): the list, one activity with its participants, and
the forms.

Every read starts from the user's subtree (``selectors.activity_list``); an activity outside it
is a 404. Every write goes through ``activities.services`` with the signed-in user as actor.
Pages that name residents are not kept in caches (``never_cache``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.activities import selectors, services
from wushe.activities.filtersets import ActivityFilterSet
from wushe.activities.forms import ActivityForm, ParticipantForm, ResidentSearchForm, place_choices
from wushe.activities.models import Activity
from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.groups.selectors import running_sites, shown_name
from wushe.people.selectors import resident_list, resident_search

ACTIVITY = "activities.activity"
SEARCH_LIMIT = 20


def can_write(user) -> bool:
    return user.role in services.WRITERS


def _require_writer(request: HttpRequest, action: str, pk="") -> None:
    """Auditors look but never write: 403, recorded (after the 404 for what is outside)."""
    if not can_write(request.user):
        audit_denied(actor=request.user, action=action, object_type=ACTIVITY, object_id=pk)
        raise PermissionDenied(_("Your role cannot record service work."))


def _visible_activity(request: HttpRequest, pk: int, action: str) -> Activity:
    return visible_or_404(request, selectors.activity_list(user=request.user), action, pk=pk)


def _form(request: HttpRequest, **kwargs) -> ActivityForm:
    form = ActivityForm(request.POST if request.method == "POST" else None, **kwargs)
    form.fields["station"].widget.attrs["hx-get"] = reverse("activities:places")
    return form


def _render_form(request: HttpRequest, form: ActivityForm, activity=None) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "activity": activity}
    return render(request, "activities/activity_form.html", context, status=status)


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = selectors.activity_list(user=request.user)
    filterset = ActivityFilterSet(request.GET or None, queryset=activities)
    valid = not filterset.is_bound or filterset.is_valid()
    context = {
        "filterset": filterset,
        "page": paginate(request, filterset.qs if valid else activities.none()),
        "can_write": can_write(request.user),
    }
    return render(request, "activities/activity_list.html", context, status=200 if valid else 400)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request, Action.CREATE)
    form = _form(request, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Activity %(theme)s recorded.") % {"theme": activity.theme})
            return redirect("activities:activity_detail", pk=activity.pk)
    return _render_form(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _visible_activity(request, pk, Action.UPDATE)
    _require_writer(request, Action.UPDATE, pk)
    form = _form(request, user=request.user, initial=ActivityForm.initial_from(activity))
    if form.is_bound and form.is_valid():
        arguments = form.service_arguments()
        arguments.setdefault("region", arguments["station"].region)  # empty: the station's own
        try:
            services.activity_update(actor=request.user, activity=activity, **arguments)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Activity %(theme)s saved.") % {"theme": activity.theme})
            return redirect("activities:activity_detail", pk=pk)
    return _render_form(request, form, activity)


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _visible_activity(request, pk, Action.DELETE)
    _require_writer(request, Action.DELETE, pk)
    if request.method == "POST":
        services.activity_delete(actor=request.user, activity=activity)
        messages.success(request, _("Activity %(theme)s deleted.") % {"theme": activity.theme})
        return redirect("activities:activity_list")
    return render(request, "activities/activity_confirm_delete.html", {"activity": activity})


@login_required
@require_GET
def places(request: HttpRequest) -> HttpResponse:
    """The choice of places for the station picked in the form (htmx swaps it in)."""
    station_id = request.GET.get("station", "")
    station = None
    if station_id.isascii() and station_id.isdigit() and len(station_id) <= 18:
        station = running_sites(user=request.user).filter(pk=station_id).first()
    choices = place_choices(station) if station else []
    return render(request, "activities/_places.html", {"choices": choices})


# One activity and its participants --------------------------------------------------------------


def _with_names(user, activity: Activity) -> list:
    residents = list(selectors.activity_participants(activity=activity))
    for resident in residents:
        resident.shown_name = shown_name(user, resident)
    return residents


def _render_detail(request: HttpRequest, activity: Activity, **extra) -> HttpResponse:
    context = {
        "activity": activity,
        "participants": _with_names(request.user, activity),
        "can_write": can_write(request.user),
        "search_form": ResidentSearchForm(),
        "found": extra.get("found", []),
        "searched": "found" in extra,
        "participant_form": extra.get("participant_form"),
    }
    form = extra.get("participant_form")
    status = 400 if form is not None and form.errors else 200
    return render(request, "activities/activity_detail.html", context, status=status)


@never_cache
@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible_activity(request, pk, Action.VIEW))


@never_cache
@login_required
@require_POST
def participant_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Residents to add, by name, pinyin or ID number inside the user's subtree; the query is
    POSTed (it may be an ID number: never in a URL)."""
    activity = _visible_activity(request, pk, Action.VIEW)
    form = ResidentSearchForm(request.POST)
    found = []
    if form.is_valid():
        found = resident_search(user=request.user, query=form.cleaned_data["q"])
        found = found.exclude(pk__in=activity.participants.values("pk"))[:SEARCH_LIMIT]
    if not request.headers.get("HX-Request"):
        return _render_detail(request, activity, found=found)
    context = {"activity": activity, "found": found, "searched": form.is_valid()}
    return render(request, "activities/_resident_results.html", context)


def _change_participants(request: HttpRequest, pk: int, add: bool) -> HttpResponse:
    activity = _visible_activity(request, pk, Action.UPDATE)
    _require_writer(request, Action.UPDATE, pk)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        current = list(activity.participants.all())
        resident_id = form.cleaned_data["resident"]
        if add:
            resident = resident_list(user=request.user).filter(pk=resident_id).first()
            chosen = [*current, resident] if resident else None
        else:
            chosen = [person for person in current if person.pk != resident_id]
        try:
            if chosen is None:
                raise ValidationError({"resident": _("No such resident.")})
            services.activity_participants_set(
                actor=request.user, activity=activity, participants=chosen
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Participants saved."))
            return redirect("activities:activity_detail", pk=pk)
    return _render_detail(request, activity, participant_form=form)


@never_cache
@login_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_participants(request, pk, add=True)


@never_cache
@login_required
@require_POST
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_participants(request, pk, add=False)
