"""Who sees service work: "the case history follows the person".

A home visit, a case or a case record keeps the village its person lived in when the work was
done (``region_code``). When the person moves, the new station must see that history, and the
old station keeps seeing its own work. So a record is visible to a user when its own region is
in the user's subtree OR its resident's current village is. Every page, API endpoint and export
of casework reads through :meth:`FollowsPersonQuerySet.visible_to`, and the services check the
same rule on one object with :func:`can_see_work`.
"""

from __future__ import annotations

from django.db.models import Q

from wushe.core.models import ScopedManager, ScopedQuerySet
from wushe.people.models import Resident


class FollowsPersonQuerySet(ScopedQuerySet):
    """A scoped queryset whose model also names the path to its resident (``person_field``)."""

    def visible_to(self, user) -> FollowsPersonQuerySet:
        if user is None or not user.is_authenticated or not getattr(user, "region_id", None):
            return self.none()
        return self.touching(user.scope_range)

    def touching(self, code_range: tuple[str, str]) -> FollowsPersonQuerySet:
        """Rows done in ``code_range`` or whose person now lives there. Both halves are range
        filters on an indexed code (the second inside a sub-query): no join, no duplicates."""
        low, high = code_range
        field = self.model.scope_field
        own = Q(**{f"{field}__gte": low, f"{field}__lte": high})
        people = Resident.objects.within(code_range).values("pk")
        return self.filter(own | Q(**{f"{self.model.person_field}__in": people}))


class FollowsPersonManager(ScopedManager.from_queryset(FollowsPersonQuerySet)):
    pass


def can_see_work(user, region_code: str, resident: Resident) -> bool:
    """The queryset's rule for one record already in hand."""
    return user.can_see_code(region_code) or user.can_see_code(resident.region_id)
