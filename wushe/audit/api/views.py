"""The audit log in the API: read-only, for administrators and auditors, within their subtree.
There is no create, update or delete: entries are written by the services alone."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, viewsets

from wushe.audit.api.serializers import AuditEntrySerializer
from wushe.audit.models import Action, AuditEntry
from wushe.core.api import parse_id, scoped_or_404


class CanReadAudit(permissions.BasePermission):
    message = _("Your role cannot read the audit log.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.can_read_audit)


class AuditEntryFilterSet(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=Action.choices, label=_("action"))
    actor_name = django_filters.CharFilter(lookup_expr="icontains", label=_("actor name"))
    object_type = django_filters.CharFilter(label=_("object type"))

    class Meta:
        model = AuditEntry
        fields = ["action", "actor_name", "object_type"]


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """审计日志: who did what, to which object, when and from where."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    permission_classes = [permissions.IsAuthenticated, CanReadAudit]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return AuditEntry.objects.visible_to(self.request.user)

    def get_object(self) -> AuditEntry:
        return scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
