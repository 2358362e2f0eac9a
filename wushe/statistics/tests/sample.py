"""A small, known year of work in 南山区, recorded through the services, with the figures it
must give for January–March 2026 (``EXPECTED``, counted by hand from the story below).

- 张三丰 of 科技园社区 (粤海): 低保 and 独居老人, born 1940 (高龄). Visited twice in January;
  his case opened in December 2025, served once in January, closed in February; he joins the
  粤海 group (started January; sessions in January and February, present at both) and takes
  part in a February activity of the 粤海 station with ten people not filed.
- 李四娘 of a 蛇口 village: 低边, born 1985. Visited in March; her case opens in March.
"""

from __future__ import annotations

from datetime import date

from wushe.activities.services import activity_create
from wushe.casework.case_services import case_advance, case_open, case_record_service
from wushe.casework.cases import Method
from wushe.casework.services import visit_record
from wushe.core.service_areas import ServiceArea
from wushe.groups.services import group_create, member_add
from wushe.groups.session_services import session_record
from wushe.people.tests.filing import file_li, file_zhang

JANUARY, MARCH = date(2026, 1, 1), date(2026, 3, 1)
EXPECTED = {
    "persons": 2,
    "elderly": 1,
    "visits": 3,
    "cases_served": 2,
    "cases_opened": 1,
    "cases_closed": 1,
    "cases_open": 1,
    "case_records": 1,
    "groups": 1,
    "group_sessions": 2,
    "activities": 1,
    # 3 visits + 1 case record + 2 present at sessions + (1 named + 10 not filed) at the activity
    "person_times": 17,
}
YUEHAI_EXPECTED = {**EXPECTED, "persons": 1, "visits": 2, "cases_served": 1, "cases_opened": 0}
YUEHAI_EXPECTED.update(cases_open=0, person_times=16)


def record_the_year(actor, station) -> dict:
    """Record the story with ``actor`` (who sees all of 南山区) at the 粤海 ``station``."""
    zhang, li = file_zhang(actor), file_li(actor)
    for day in (date(2026, 1, 5), date(2026, 1, 20)):
        visit_record(actor=actor, resident=zhang, visited_on=day)
    visit_record(actor=actor, resident=li, visited_on=date(2026, 3, 9))
    case = case_open(actor=actor, resident=zhang, problem="跌倒", opened_on=date(2025, 12, 10))
    case_record_service(
        actor=actor, case=case, served_on=date(2026, 1, 6), minutes=40, method=Method.HOME
    )
    for fields in ({"assessment": "a"}, {"plan": "p"}, {}, {"evaluation": "e"}):
        case_advance(actor=actor, case=case, **fields)
    case_advance(actor=actor, case=case, closing_summary="s", closed_on=date(2026, 2, 14))
    case_open(actor=actor, resident=li, problem="低收入", opened_on=date(2026, 3, 10))
    group = group_create(
        actor=actor,
        name="长者互助小组",
        goal="互助",
        service_area=ServiceArea.ELDERLY,
        station=station,
        started_on=date(2026, 1, 8),
        planned_sessions=4,
    )
    member = member_add(actor=actor, group=group, resident=zhang, joined_on=date(2026, 1, 8))
    for day in (date(2026, 1, 15), date(2026, 2, 12)):
        session_record(actor=actor, group=group, held_on=day, topic="节", attendees=[member])
    activity_create(
        actor=actor,
        station=station,
        held_on=date(2026, 2, 20),
        place="广场",
        theme="义诊",
        service_area=ServiceArea.ELDERLY,
        participants=[zhang],
        anonymous_count=10,
    )
    return {"zhang": zhang, "li": li, "case": case, "group": group}
