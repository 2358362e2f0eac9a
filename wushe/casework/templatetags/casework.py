"""``{% resident_casework resident %}``: the visits and cases section of a resident's page, read
through the same scoped selectors as the casework pages (people's views need not know them)."""

from __future__ import annotations

from django import template

from wushe.casework import selectors
from wushe.casework.views.common import can_write

register = template.Library()

RECENT = 10


@register.inclusion_tag("casework/_resident_work.html", takes_context=True)
def resident_casework(context, resident) -> dict:
    user = context["request"].user
    visits = selectors.visit_list(user=user).filter(resident=resident)
    return {
        "resident": resident,
        "visits": visits[:RECENT],
        "visit_count": visits.count(),
        "cases": selectors.case_list(user=user).filter(resident=resident),
        "can_write": can_write(user),
    }
