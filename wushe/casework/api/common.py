"""What the casework viewsets share: no-store answers and the role checks."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from wushe.casework.services import SUPERVISORS, WRITERS


class NoStore:
    """``Cache-Control: no-store`` on every answer: these hold notes about people."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class CanRecordWork(permissions.BasePermission):
    """Auditors read but never write: 403 before a new record's payload is checked; for an
    existing one, after the scoped lookup has answered 404 for records outside the subtree."""

    message = _("Your role cannot record service work.")
    roles = WRITERS

    def _writes(self, request: Request, view) -> bool:
        return request.method not in permissions.SAFE_METHODS

    def has_permission(self, request: Request, view) -> bool:
        creating = view.action == "create"
        return not creating or request.user.role in self.roles

    def has_object_permission(self, request: Request, view, obj) -> bool:
        return not self._writes(request, view) or request.user.role in self.roles


class CanSetRules(CanRecordWork):
    message = _("Only an administrator or a station manager sets visit frequencies.")
    roles = SUPERVISORS
