"""What every casework page shares: no-store answers, who may write or read notes, and the
resident a new visit or case is for."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from wushe.audit.services import audit_denied
from wushe.casework.services import SUPERVISORS, WRITERS
from wushe.core.views import visible_or_404
from wushe.people.selectors import resident_list

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    return user.role in WRITERS


def can_supervise(user) -> bool:
    return user.role in SUPERVISORS


def require_writer(request: HttpRequest, action: str, object_type: str, obj_id="") -> None:
    """Auditors read but never write: 403, recorded (after the 404 for records out of reach)."""
    if not can_write(request.user):
        audit_denied(actor=request.user, action=action, object_type=object_type, object_id=obj_id)
        raise PermissionDenied(_("Your role cannot record service work."))


def visible_resident(request: HttpRequest, pk: int, action: str):
    return visible_or_404(request, resident_list(user=request.user), action, pk=pk)


def status_of(*forms) -> int:
    """400 when a submitted form has errors (the page shows them beside the fields)."""
    failed = any(form is not None and form.is_bound and form.errors for form in forms)
    return 400 if failed else 200
