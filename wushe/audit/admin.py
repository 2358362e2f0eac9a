from django.contrib import admin

from wushe.audit.models import AuditEntry
from wushe.core.admin import ScopedReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedReadOnlyAdmin):
    list_display = ("seq", "at", "actor_name", "action", "object_type", "object_repr", "success")
    list_filter = ("action", "success", "object_type")
    search_fields = ("actor_name", "object_repr")

    def get_queryset(self, request):
        if not getattr(request.user, "can_read_audit", False):
            return AuditEntry.objects.none()
        return super().get_queryset(request)
