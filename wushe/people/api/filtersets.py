"""The resident list's filters in the API: the page's filters plus ``?q=`` for names.

``?q=`` takes a name, pinyin or initials only. A query with a digit in it is refused (400), not
run: an ID number or phone must not be in a URL, so number searches go through
``POST /api/residents/search/``, whose body is not logged or kept in history.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wushe.people.filtersets import ResidentFilterSet, refuse_numbers_in_url
from wushe.people.selectors import resident_search


class ResidentApiFilterSet(ResidentFilterSet):
    q = django_filters.CharFilter(
        label=_("Name, pinyin or initials (no numbers)"),
        method="filter_q",
        max_length=50,
        validators=[refuse_numbers_in_url],
    )

    class Meta(ResidentFilterSet.Meta):
        fields = [*ResidentFilterSet.Meta.fields, "q"]

    def filter_q(self, queryset, name, value):
        # The search rule is the selector's; `&` keeps the other filters.
        return resident_search(user=self.request.user, query=value) & queryset
