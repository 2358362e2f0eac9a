"""The Django admin, scoped and read-only.

The admin is a window for operators, not a second way to change data: every change must go
through the services (which check roles and write the audit log). So each registered model is
read-only here, lists and object pages start from ``visible_to(user)``, and an object outside the
user's subtree answers 404 like everywhere else.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404


class ScopedReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False
    actions = None

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects with "does not exist"; we answer as every other page does.
        raise Http404


def _unregister_unscoped() -> None:
    """Third-party models that hold other regions' users (tokens, login attempts, groups) have
    no region to scope by; they are not shown in the admin at all."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import TokenProxy

    for model in (AccessAttempt, AccessFailureLog, AccessLog, Group, TokenProxy):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_unscoped()
