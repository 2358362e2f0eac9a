"""Template helpers of the matching pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from wushe.matching import selectors
from wushe.matching.choices import OPEN_TASKS
from wushe.volunteers.choices import ALL_WEEK, DAY_NAMES, PART_NAMES

register = template.Library()


@register.simple_tag
def window_text(mask: int) -> str:
    """周一上午、周三全天 — "any time" for 0, "all week" for every slot."""
    if not mask:
        return _("any time")
    if mask == ALL_WEEK:
        return _("all week")
    slots = []
    for day, day_name in enumerate(DAY_NAMES):
        parts = (mask >> (day * 3)) & 0b111
        if parts == 0b111:
            slots.append(_("%(day)s all day") % {"day": day_name})
            continue
        slots += [
            _("%(day)s %(part)s") % {"day": day_name, "part": PART_NAMES[part]}
            for part in range(3)
            if parts >> part & 1
        ]
    return "、".join(slots)


@register.simple_tag
def open_tasks_of(volunteer) -> list:
    """A volunteer's tasks waiting for an answer or under way (their portal's home page)."""
    return list(selectors.my_tasks(volunteer=volunteer).filter(status__in=OPEN_TASKS)[:20])
