"""The volunteer list's filters in the API: the page's filters plus ``?q=`` for names.

``?q=`` takes a name, pinyin or initials only; a query with a digit in it is refused (400): an
ID number must not be in a URL, so number searches go through ``POST /api/volunteers/search/``.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wushe.people.filtersets import refuse_numbers_in_url
from wushe.volunteers.filtersets import VolunteerFilterSet
from wushe.volunteers.selectors import volunteer_search


class VolunteerApiFilterSet(VolunteerFilterSet):
    q = django_filters.CharFilter(
        label=_("Name, pinyin or initials (no numbers)"),
        method="filter_q",
        max_length=50,
        validators=[refuse_numbers_in_url],
    )

    class Meta(VolunteerFilterSet.Meta):
        fields = [*VolunteerFilterSet.Meta.fields, "q"]

    def filter_q(self, queryset, name, value):
        # The search rule is the selector's; `&` keeps the other filters.
        return volunteer_search(user=self.request.user, query=value) & queryset
