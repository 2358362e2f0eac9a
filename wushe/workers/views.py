"""Pages for social workers (社会工作者): the list, a worker with their trainings, the forms,
unmasking a personal number, and recording trainings.

Every read starts from the user's subtree (the selectors); a worker outside it is a 404,
recorded as denied. Opening a worker's page is a view in the audit log, and so is unmasking.
Every write goes through the services with the signed-in user as actor; a role that may not
do it gets 403, recorded. Pages with personal numbers are not kept in caches.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.people.identity import mask_id_number
from wushe.people.phones import mask_phone
from wushe.people.roles import roles_visible
from wushe.workers import selectors, services
from wushe.workers.filtersets import SocialWorkerFilterSet
from wushe.workers.forms import SocialWorkerForm, TrainingForm, UnmaskForm
from wushe.workers.models import SocialWorker, Training

WORKER = "workers.socialworker"
TRAINING = "workers.training"


def _require(request: HttpRequest, allowed: bool, action: str, object_type: str, pk="") -> None:
    """A role that may look but not do this: 403, recorded (after the 404 for what is outside)."""
    if not allowed:
        audit_denied(actor=request.user, action=action, object_type=object_type, object_id=pk)
        raise PermissionDenied(_("Your role cannot do this with social workers."))


def _visible(request: HttpRequest, pk: int, action: str) -> SocialWorker:
    return visible_or_404(request, selectors.worker_list(user=request.user), action, pk=pk)


def _status(*forms) -> int:
    return 400 if any(form is not None and form.is_bound and form.errors for form in forms) else 200


@login_required
@require_GET
def worker_list(request: HttpRequest) -> HttpResponse:
    filterset = SocialWorkerFilterSet(
        request.GET or None,
        queryset=selectors.worker_list(user=request.user),
        request=request,
    )
    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs if valid else filterset.queryset.none()
    user = request.user
    context = {
        "filterset": filterset,
        "page": paginate(request, rows),
        "counts": selectors.worker_counts(user.scope_range) if user.region_id else None,
        "can_register": services.can_register(user),
    }
    return render(request, "workers/worker_list.html", context, status=200 if valid else 400)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def worker_create(request: HttpRequest) -> HttpResponse:
    _require(request, services.can_register(request.user), Action.CREATE, WORKER)
    data = request.POST if request.method == "POST" else None
    form = SocialWorkerForm(data, user=request.user, initial={"joined_on": timezone.localdate()})
    if form.is_bound and form.is_valid():
        try:
            worker = services.worker_register(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Social worker %(name)s registered.") % {"name": worker})
            return redirect("workers:worker_detail", pk=worker.pk)
    context = {"form": form, "worker": None}
    return render(request, "workers/worker_form.html", context, status=_status(form))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def worker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _visible(request, pk, Action.UPDATE)
    _require(request, services.can_register(request.user), Action.UPDATE, WORKER, pk)
    name = worker.name  # the service changes the object even when it then refuses
    data = request.POST if request.method == "POST" else None
    form = SocialWorkerForm(data, user=request.user, worker=worker)
    if form.is_bound and form.is_valid():
        try:
            services.worker_update(actor=request.user, worker=worker, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Social worker %(name)s saved.") % {"name": worker})
            return redirect("workers:worker_detail", pk=pk)
    context = {"form": form, "worker": worker, "name": name}
    return render(request, "workers/worker_form.html", context, status=_status(form))


@never_cache
@login_required
@require_GET
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _visible(request, pk, Action.VIEW)
    services.worker_open(actor=request.user, worker=worker)
    return _render_detail(request, worker)


def _render_detail(request: HttpRequest, worker: SocialWorker, form=None) -> HttpResponse:
    user = request.user
    roles = roles_visible(worker.id_hash, user) if worker.id_hash else {}
    can_train = services.can_record_training(user)
    context = {
        "worker": worker,
        "masked": {
            "id_number": mask_id_number(worker.id_number) if worker.id_number else "",
            "phone": mask_phone(worker.phone) if worker.phone else "",
        },
        "residents": roles.get("resident", []),
        "volunteers": roles.get("volunteer", []),
        "trainings": selectors.worker_trainings(user=user, worker=worker),
        "can_register": services.can_register(user),
        "can_train": can_train,
        "can_unmask": services.can_unmask(user),
        "training_form": form or (TrainingForm() if can_train else None),
    }
    return render(request, "workers/worker_detail.html", context, status=_status(form))


@never_cache
@login_required
@require_POST
def worker_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    """One personal number in full, in the body of the answer to a POST (never in a URL);
    htmx swaps it in place of the masked one. Recorded as a view by the service."""
    worker = _visible(request, pk, Action.VIEW)
    form = UnmaskForm(request.POST)
    if not form.is_valid():
        return render(request, "workers/unmask.html", {"worker": worker, "form": form}, status=400)
    field = form.cleaned_data["field"]
    try:
        value = services.worker_unmask(actor=request.user, worker=worker, field=field)
    except PermissionDenied:
        audit_denied(actor=request.user, action=Action.VIEW, object_type=WORKER, object_id=pk)
        raise
    context = {"worker": worker, "value": value, "field": field}
    if request.headers.get("HX-Request"):
        return render(request, "workers/_unmasked.html", context)
    return render(request, "workers/unmask.html", context)


@never_cache
@login_required
@require_POST
def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _visible(request, pk, Action.UPDATE)
    _require(request, services.can_record_training(request.user), Action.CREATE, TRAINING)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.training_add(actor=request.user, worker=worker, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("workers:worker_detail", pk=pk)
    return _render_detail(request, worker, form)


@login_required
@require_POST
def training_delete(request: HttpRequest, pk: int, training_pk: int) -> HttpResponse:
    worker = _visible(request, pk, Action.UPDATE)
    trainings = Training.objects.visible_to(request.user).filter(worker=worker)
    training = visible_or_404(request, trainings, Action.DELETE, pk=training_pk)
    allowed = services.can_record_training(request.user)
    _require(request, allowed, Action.DELETE, TRAINING, training_pk)
    services.training_delete(actor=request.user, training=training)
    messages.success(request, _("Training removed."))
    return redirect("workers:worker_detail", pk=pk)
