"""The audit log page: read-only, for administrators and auditors, within their subtree."""

from __future__ import annotations

import json

import django_filters
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from wushe.audit.models import Action, AuditEntry
from wushe.audit.services import audit_denied
from wushe.core.views import paginate

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditEntryFilterSet(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(label=gettext_lazy("action"), choices=Action.choices)
    actor = django_filters.CharFilter(
        label=gettext_lazy("actor name"), field_name="actor_name", lookup_expr="icontains"
    )
    object_type = django_filters.CharFilter(
        label=gettext_lazy("object type"), lookup_expr="icontains"
    )
    since = django_filters.DateFilter(
        label=gettext_lazy("From"), field_name="at", lookup_expr="date__gte", widget=_DATE
    )
    until = django_filters.DateFilter(
        label=gettext_lazy("Until"), field_name="at", lookup_expr="date__lte", widget=_DATE
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "object_type", "since", "until"]


def _with_change_rows(entry: AuditEntry) -> AuditEntry:
    """(field, "old → new") for changed fields; other details (an export's row count) as is."""
    rows = []
    for name, value in (entry.changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            old, new = ("∅" if v is None else v for v in value)
            rows.append((name, f"{old} → {new}"))
        else:
            rows.append((name, json.dumps(value, ensure_ascii=False)))
    entry.change_rows = rows
    return entry


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    if not request.user.can_read_audit:
        audit_denied(actor=request.user, action=Action.VIEW, object_type="audit.auditentry")
        raise PermissionDenied(_("Only administrators and auditors may read the audit log."))
    entries = AuditEntry.objects.visible_to(request.user).order_by("-seq")
    filterset = AuditEntryFilterSet(request.GET or None, queryset=entries)
    page = paginate(request, filterset.qs)
    page.object_list = [_with_change_rows(entry) for entry in page.object_list]
    context = {"filterset": filterset, "page": page}
    return render(request, "audit/entry_list.html", context)
