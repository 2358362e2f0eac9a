"""Template helpers of the matching pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from wushe.matching import selectors
from wushe.matching.choices import OPEN_TASKS
from wushe.volunteers.choices import DAY_NAMES, PART_NAMES

register = template.Library()


@register.simple_tag
def window_text(mask: int) -> str:
    """周一上午、周三下午 — or "any time" for 0."""
    if not mask:
        return _("any time")
    slots = [
        _("%(day)s %(part)s") % {"day": DAY_NAMES[bit // 3], "part": PART_NAMES[bit % 3]}
        for bit in range(21)
        if mask >> bit & 1
    ]
    return "、".join(slots)


@register.simple_tag
def open_tasks_of(volunteer) -> list:
    """A volunteer's tasks waiting for an answer or under way (their portal's home page)."""
    return list(selectors.my_tasks(volunteer=volunteer).filter(status__in=OPEN_TASKS)[:20])
