from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    """The period figures a station reports, in its own words. Each is a count of records dated
    in the month (see ``recompute`` for the exact definition of each)."""

    VISITS = "visits", _("Home visits (入户走访次数)")  # HomeVisit by visited_on
    CASES_OPENED = "cases_opened", _("Cases opened (新接个案)")  # Case by opened_on
    CASES_CLOSED = "cases_closed", _("Cases closed (结案)")  # Case by closed_on
    CASE_RECORDS = "case_records", _("Case service records (个案服务)")  # CaseRecord by served_on
    GROUPS = "groups", _("Groups started (小组数)")  # Group by started_on
    GROUP_SESSIONS = "group_sessions", _("Group sessions (小组节数)")  # GroupSession by held_on
    ACTIVITIES = "activities", _("Community activities (社区活动场次)")  # Activity by held_on
    # 服务人次, counted per person per service: 1 per visit, 1 per case record, 1 per attendee
    # present at a group session, 1 per named participant plus the anonymous head count of an
    # activity.
    PERSON_TIMES = "person_times", _("Person-times served (服务人次)")
