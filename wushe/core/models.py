"""Scoping machinery shared by every app: a row belongs to a region, a user sees a subtree.

Every scoped model names the column that holds its region's 12-digit code in ``scope_field``
and uses :class:`ScopedQuerySet`; ``Model.objects.visible_to(user)`` is then one indexed range
filter. Base views and API viewsets start from it, so a query that forgets scoping cannot be
written by accident (NetBox's RestrictedQuerySet idea).
"""

from __future__ import annotations

from django.db import models


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScopedQuerySet:
        if user is None or not user.is_authenticated or not getattr(user, "region_id", None):
            return self.none()
        if getattr(user, "is_volunteer", False):
            # A volunteer's region is their home, not a scope: they read only their own tasks,
            # through the volunteers app's own selectors.
            return self.none()
        return self.within(user.scope_range)

    def within(self, code_range: tuple[str, str]) -> ScopedQuerySet:
        field = self.model.scope_field
        low, high = code_range
        return self.filter(**{f"{field}__gte": low, f"{field}__lte": high})


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass
