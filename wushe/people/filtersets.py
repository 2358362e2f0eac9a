"""Filters of the resident list, shared by the page and the API (one definition, two front ends).

The name search is not here: it is ``selectors.resident_search``, and it may be asked for an ID
number, which must never travel in a URL. Pages send it by POST; the API's ``?q=`` refuses
anything with a digit in it (see ``refuse_numbers_in_url``).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wushe.people.choices import Category, RiskLevel
from wushe.people.identity import normalize_id_number
from wushe.people.models import Resident, ResidentCategory
from wushe.regions.filtersets import within_code

NUMBER_IN_URL = _(
    "ID numbers and phones are never put in a link: search for a number with the search box "
    "(or POST /api/residents/search/)."
)


def has_digits(query: str) -> bool:
    """Names, pinyin and initials have no digits; a digit means (a part of) an ID number or a
    phone. Full-width digits count too."""
    return any(character.isdigit() for character in normalize_id_number(query))


def refuse_numbers_in_url(query: str) -> None:
    """A number in a URL would end up in browser history, proxy and server logs."""
    if has_digits(query):
        raise ValidationError(NUMBER_IN_URL, code="number_in_url")


class ResidentFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        label=_("category"), choices=Category.choices, method="filter_category"
    )
    village = django_filters.CharFilter(
        label=_("Village or region code (with everything under it)"), method="filter_village"
    )
    risk_level = django_filters.ChoiceFilter(label=_("risk level"), choices=RiskLevel.choices)

    class Meta:
        model = Resident
        fields = ["category", "village", "risk_level"]

    def filter_category(self, queryset, name, value):
        # A sub-query, not a join: a join would repeat a resident once per category.
        having = ResidentCategory.objects.filter(category=value).values("resident_id")
        return queryset.filter(pk__in=having)

    def filter_village(self, queryset, name, value):
        return within_code(queryset, value)

    def active_filters(self) -> dict[str, str]:
        """The filters in use, for the export's audit entry (none of them is personal)."""
        if not self.is_bound:
            return {}
        return {key: value for key, value in self.data.items() if key in self.filters and value}
