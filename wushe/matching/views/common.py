"""What the matching pages share: who may write, and the refusal of those who may not."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wushe.audit.services import audit_denied
from wushe.matching.need_services import WRITERS


def can_write(user) -> bool:
    return user.role in WRITERS


def require_writer(request: HttpRequest, action: str, object_type: str, pk="") -> None:
    """Auditors look but never write: 403, recorded (after the 404 for what is outside)."""
    if not can_write(request.user):
        audit_denied(actor=request.user, action=action, object_type=object_type, object_id=pk)
        raise PermissionDenied(_("Your role cannot change the three lists."))


def status_of(form) -> int:
    return 400 if form is not None and form.is_bound and form.errors else 200
