"""The needs list (需求清单): list with filters, record, change, cancel, one need's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.activities.models import Activity
from wushe.audit.models import Action
from wushe.casework.models import Case, HomeVisit
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.matching import need_services, selectors
from wushe.matching.choices import NeedSource, NeedStatus
from wushe.matching.filtersets import NeedFilterSet
from wushe.matching.forms import NeedForm, ResidentSearchForm, places_of
from wushe.matching.geo import township_of
from wushe.matching.models import Need
from wushe.matching.views.common import can_write, require_writer, status_of
from wushe.people.selectors import resident_list, resident_search

NEED = "matching.need"
SEARCH_LIMIT = 20
CANCELLABLE = (NeedStatus.OPEN, NeedStatus.MATCHED, NeedStatus.IN_SERVICE)


def _visible_need(request: HttpRequest, pk: int, action: str) -> Need:
    return visible_or_404(request, selectors.need_list(user=request.user), action, pk=pk)


@never_cache
@login_required
@require_GET
def need_list(request: HttpRequest) -> HttpResponse:
    needs = selectors.need_list(user=request.user)
    filterset = NeedFilterSet(request.GET or None, queryset=needs)
    valid = not filterset.is_bound or filterset.is_valid()
    context = {
        "filterset": filterset,
        "page": paginate(request, filterset.qs if valid else needs.none()),
        "can_write": can_write(request.user),
    }
    return render(request, "matching/need_list.html", context, status=200 if valid else 400)


def _id(raw) -> int | None:
    text = str(raw or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _initial_from_query(request: HttpRequest) -> dict:
    """「记录需求」 from a visit's, a case's or an activity's page: the source, its resident
    and the station of its township, filled in."""
    user = request.user
    initial: dict = {}
    found = None
    for name, model, source in (
        ("visit", HomeVisit, NeedSource.VISIT),
        ("case", Case, NeedSource.CASE),
        ("activity", Activity, NeedSource.ACTIVITY),
    ):
        pk = _id(request.GET.get(name))
        record = model.objects.visible_to(user).filter(pk=pk).first() if pk else None
        if record is not None:
            initial.update({"source": source, name: record.pk})
            if hasattr(record, "resident"):
                initial["resident"] = record.resident
            found = record
            break
    code = getattr(found, "region_code", None)
    if code:
        station = selectors.stations(user=user).filter(region_id=township_of(code)).first()
        if station is not None:
            initial["station"] = station
    return initial


def _form(request: HttpRequest, **kwargs) -> NeedForm:
    form = NeedForm(request.POST if request.method == "POST" else None, **kwargs)
    form.fields["station"].widget.attrs["hx-get"] = reverse("matching:need_places")
    return form


def _render_form(request: HttpRequest, form: NeedForm, need=None) -> HttpResponse:
    context = {
        "form": form,
        "need": need,
        "chosen_resident": form.chosen_resident(),
        "search_form": ResidentSearchForm(),
    }
    return render(request, "matching/need_form.html", context, status=status_of(form))


def _save(request: HttpRequest, form: NeedForm, need: Need | None):
    arguments = form.service_arguments()
    if form.errors:
        return None
    try:
        if need is None:
            return need_services.need_create(actor=request.user, **arguments)
        return need_services.need_update(actor=request.user, need=need, **arguments)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    require_writer(request, Action.CREATE, NEED)
    form = _form(request, user=request.user, initial=_initial_from_query(request))
    if form.is_bound and form.is_valid():
        need = _save(request, form, None)
        if need is not None:
            messages.success(request, _("Need %(id)s recorded.") % {"id": need.pk})
            return redirect("matching:need_detail", pk=need.pk)
    return _render_form(request, form)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = _visible_need(request, pk, Action.UPDATE)
    require_writer(request, Action.UPDATE, NEED, pk)
    form = _form(request, user=request.user, initial=NeedForm.initial_from(need))
    if form.is_bound and form.is_valid():
        if _save(request, form, need) is not None:
            messages.success(request, _("Need %(id)s saved.") % {"id": need.pk})
            return redirect("matching:need_detail", pk=pk)
    return _render_form(request, form, need)


@never_cache
@login_required
@require_GET
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = _visible_need(request, pk, Action.VIEW)
    need_services.need_open(actor=request.user, need=need)
    context = {
        "need": need,
        "tasks": selectors.need_tasks(need=need),
        "projects": need.projects.all(),
        "can_write": can_write(request.user),
        "can_edit": need.status == NeedStatus.OPEN,
        "can_cancel": need.status in CANCELLABLE,
    }
    return render(request, "matching/need_detail.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def need_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    need = _visible_need(request, pk, Action.UPDATE)
    require_writer(request, Action.UPDATE, NEED, pk)
    error = None
    if request.method == "POST":
        try:
            need_services.need_cancel(actor=request.user, need=need)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Need %(id)s cancelled.") % {"id": need.pk})
            return redirect("matching:need_detail", pk=pk)
    context = {"need": need, "error": error}
    return render(request, "matching/need_cancel.html", context, status=400 if error else 200)


@login_required
@require_GET
def need_places(request: HttpRequest) -> HttpResponse:
    """The places of the station picked in the form (htmx swaps them in)."""
    pk = _id(request.GET.get("station"))
    station = selectors.stations(user=request.user).filter(pk=pk).first() if pk else None
    choices = places_of(station) if station else []
    return render(request, "matching/_places.html", {"choices": choices})


@never_cache
@login_required
@require_POST
def resident_find(request: HttpRequest) -> HttpResponse:
    """Residents to choose for a need, by name, pinyin or ID number inside the user's subtree;
    POSTed (it may be an ID number: never in a URL)."""
    form = ResidentSearchForm(request.POST)
    found = []
    if form.is_valid():
        found = resident_search(user=request.user, query=form.cleaned_data["resident_q"])
        found = list(found[:SEARCH_LIMIT])
    context = {"found": found, "searched": True}
    return render(request, "matching/_resident_results.html", context)


@never_cache
@login_required
@require_POST
def resident_choose(request: HttpRequest) -> HttpResponse:
    """The chosen resident as the form's hidden field (htmx swaps it in)."""
    pk = _id(request.POST.get("choose"))
    resident = resident_list(user=request.user).filter(pk=pk).first() if pk else None
    return render(request, "matching/_resident_chosen.html", {"chosen_resident": resident})
