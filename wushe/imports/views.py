"""Pages of the imports: upload → check (progress) → preview → confirm → import (progress) →
done. Jobs are read through ``selectors.job_list`` (the user's own; an administrator's subtree),
so another user's job is a 404. Every answer says ``Cache-Control: no-store``: the preview
shows names of residents."""

from __future__ import annotations

import tempfile
from functools import wraps
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.tabular import ErrorReport, RowError
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.imports import selectors, services
from wushe.imports.choices import JobStatus
from wushe.imports.forms import ConfirmForm, UploadForm
from wushe.imports.kinds import all_kinds, kind_of
from wushe.imports.models import ImportJob
from wushe.imports.uploads import capped_upload

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ERRORS_PER_PAGE = 200


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


def _may_import(user) -> bool:
    return bool(user.region_id) and any(kind.may_import(user) for kind in all_kinds())


def _visible_job(request: HttpRequest, pk: int, action: str = Action.VIEW) -> ImportJob:
    services.jobs_fail_stale()
    return visible_or_404(request, selectors.job_list(user=request.user), action, pk=pk)


@no_store
@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    services.jobs_fail_stale()
    context = {
        "page": paginate(request, selectors.job_list(user=request.user).defer("errors")),
        "can_import": _may_import(request.user),
    }
    return render(request, "imports/job_list.html", context)


@csrf_exempt  # the CSRF check runs in _job_create, once the upload handler is in place
def job_create(request: HttpRequest) -> HttpResponse:
    handler = capped_upload(request) if request.method == "POST" else None
    return _job_create(request, handler)


@no_store
@login_required
@require_http_methods(["GET", "POST"])
@csrf_protect
def _job_create(request: HttpRequest, handler) -> HttpResponse:
    user = request.user
    if not _may_import(user):
        audit_denied(actor=user, action=Action.CREATE, object_type=services.JOB)
        raise PermissionDenied(_("Your role cannot import this."))
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES or None, user=user)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.job_create(
                actor=user,
                kind=data["kind"],
                upload=data["file"],
                station=data.get("station"),
                valid_only=data["valid_only"],
                too_large=handler.too_large,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("imports:job_detail", pk=job.pk)
    context = {
        "form": form,
        "kinds": all_kinds(),
        "station": None if "station" in form.fields else selectors.default_station(user=user),
    }
    return render(request, "imports/job_form.html", context, status=400 if form.errors else 200)


@no_store
@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible_job(request, pk))


def _render_detail(request, job: ImportJob, confirm_error=None, status: int = 200):
    errors = selectors.job_errors(job)
    checked = job.status == JobStatus.CHECKED
    context = {
        "job": job,
        "kind": kind_of(job.kind),
        "errors_page": paginate(request, errors, ERRORS_PER_PAGE) if errors else None,
        "preview": selectors.job_preview(job, user=request.user) if checked else None,
        "is_owner": job.owner_id == request.user.pk,
        "confirm_error": confirm_error,
    }
    return render(request, "imports/job_detail.html", context, status=status)


@no_store
@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls; once the step is over, htmx reloads the whole page."""
    job = _visible_job(request, pk)
    response = render(request, "imports/_job_status.html", {"job": job})
    if not job.is_active and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@no_store
@login_required
@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _visible_job(request, pk, Action.UPDATE)
    form = ConfirmForm(request.POST)
    form.is_valid()  # a lone checkbox: anything else reads as unchecked
    try:
        services.job_confirm(
            actor=request.user, job=job, valid_only=form.cleaned_data.get("valid_only", False)
        )
    except ValidationError as error:
        return _render_detail(request, job, confirm_error=" ".join(error.messages), status=400)
    return redirect("imports:job_detail", pk=pk)


@no_store
@login_required
@require_GET
def job_report(request: HttpRequest, pk: int, ext: str) -> HttpResponse:
    """The errors as a file to fix the sheet by: row, column, code, both messages."""
    job = _visible_job(request, pk)
    report = ErrorReport(RowError(*error) for error in job.errors)
    return _file_response(report.write, f"errors-{job.pk}.{ext}", ext)


@no_store
@login_required
@require_GET
def template_download(request: HttpRequest, kind: str, ext: str) -> HttpResponse:
    import_kind = kind_of(kind)
    if import_kind is None:
        raise Http404
    return _file_response(import_kind.write_template, f"{kind}-template.{ext}", ext)


def _file_response(write, filename: str, ext: str) -> HttpResponse:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        write(path)
        content = path.read_bytes()
    response = HttpResponse(content, content_type=CONTENT_TYPES[ext])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
