"""The report in the stations' own words: which figures, in which order, under which names.

The page, the Excel export and the API all lay the figures out from these lists, so the three
never say different things. The summary sentence has the shape of the published reports
(温州: "开展个案877个、小组3893节、社区活动4312场次").
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.statistics.choices import Metric
from wushe.statistics.selectors import Figures

# (attribute of Figures, label) of the period figures, in the reports' order.
PERIOD_ROWS = (
    ("visits", Metric.VISITS.label),
    ("cases_served", gettext_lazy("Cases served (开展个案)")),
    ("cases_opened", Metric.CASES_OPENED.label),
    ("cases_closed", Metric.CASES_CLOSED.label),
    ("cases_open", gettext_lazy("Open cases at the end of the period (在案)")),
    ("case_records", Metric.CASE_RECORDS.label),
    ("groups", Metric.GROUPS.label),
    ("group_sessions", Metric.GROUP_SESSIONS.label),
    ("activities", Metric.ACTIVITIES.label),
    ("person_times", Metric.PERSON_TIMES.label),
)
PERSONS_LABEL = gettext_lazy("Residents filed (建档人数)")

# The columns of the table of child regions (the rows of a report).
CHILD_COLUMNS = (
    ("persons", PERSONS_LABEL),
    ("elderly", gettext_lazy("Elderly aged 80 or over (高龄)")),
    *PERIOD_ROWS,
)


def period_rows(figures: Figures) -> list[tuple[str, str, int]]:
    """(key, label, number) of what was done in the period."""
    return [(key, str(label), getattr(figures, key)) for key, label in PERIOD_ROWS]


def filed_rows(figures: Figures) -> list[tuple[str, str, int]]:
    """(key, label, number): the files in all, then by category (高龄 last)."""
    return [("persons", str(PERSONS_LABEL), figures.persons), *figures.category_rows()]


def child_cells(figures: Figures) -> list[int]:
    return [getattr(figures, key) for key, _label in CHILD_COLUMNS]


def summary(figures: Figures) -> str:
    """开展个案N个、小组N节、社区活动N场次."""
    return _(
        "Cases served: %(cases)s; group sessions: %(sessions)s; "
        "community activities: %(activities)s."
    ) % {
        "cases": figures.cases_served,
        "sessions": figures.group_sessions,
        "activities": figures.activities,
    }


def period_label(figures: Figures) -> str:
    if figures.month_from == figures.month_to:
        return f"{figures.month_from:%Y-%m}"
    return f"{figures.month_from:%Y-%m} – {figures.month_to:%Y-%m}"
