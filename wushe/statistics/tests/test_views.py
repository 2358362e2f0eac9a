"""The statistics page and its Excel export."""

import io

import openpyxl
import pytest
from django.utils import timezone

from conftest import NANSHAN, SHEKOU, YUEHAI
from wushe.audit.models import Action, AuditEntry
from wushe.regions.models import Region
from wushe.statistics.direct import counted_from_records
from wushe.statistics.tests.sample import EXPECTED, JANUARY, MARCH, record_the_year

pytestmark = pytest.mark.django_db

Q1 = {"from": "2026-01", "to": "2026-03"}


@pytest.fixture
def year(nanshan_admin, yuehai_station):
    return record_the_year(nanshan_admin, yuehai_station)


@pytest.fixture
def admin_client(client, nanshan_admin):
    client.force_login(nanshan_admin)
    return client


def test_the_page_says_the_figures_in_the_stations_words(admin_client, year):
    response = admin_client.get("/statistics/", Q1)
    assert response.status_code == 200
    page = response.content.decode()
    assert "开展个案2个、小组2节、社区活动1场次" in page
    assert "南山区" in page and "2026-01 – 2026-03" in page
    for label, value in (("入户走访次数", 3), ("服务人次", 17), ("在案个案", 1), ("· 高龄", 1)):
        assert f'<th>{label}</th><td class="num">{value}</td>' in page
    rows = dict((key, value) for key, _label, value in response.context["period_rows"])
    assert rows["visits"] == 3 and rows["person_times"] == 17
    filed = dict((key, value) for key, _label, value in response.context["filed_rows"])
    assert filed["persons"] == 2 and filed["elderly"] == 1 and filed["dibao"] == 1


def test_the_page_defaults_to_the_users_region_and_this_year(admin_client):
    response = admin_client.get("/statistics/")
    assert response.status_code == 200
    figures = response.context["figures"]
    this_month = timezone.localdate().replace(day=1)
    assert figures.region.code == NANSHAN
    assert (figures.month_from, figures.month_to) == (this_month.replace(month=1), this_month)
    assert f'value="{this_month:%Y-%m}"' in response.content.decode()


def test_children_link_down_and_the_breadcrumb_links_up(admin_client, year):
    page = admin_client.get("/statistics/", Q1).content.decode()
    assert f'href="/statistics/?region={YUEHAI[:9]}&amp;from=2026-01&amp;to=2026-03"' in page
    down = admin_client.get("/statistics/", {"region": YUEHAI[:9], **Q1})
    assert down.context["region"].code == YUEHAI
    assert [r.code for r in down.context["ancestors"]] == [NANSHAN]
    assert 'href="/statistics/?region=440305&amp;from=2026-01&amp;to=2026-03"' in (
        down.content.decode()
    )
    assert down.context["figures"].visits == 2


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"from": "2026-13"}, "from", "YYYY-MM"),
        ({"to": "三月"}, "to", "YYYY-MM"),
        ({"from": "2026-03", "to": "2026-01"}, "to", "end in or after"),
        ({"region": "44030"}, "region", "2, 4, 6, 9 or 12 digits"),
    ],
)
def test_a_bad_question_is_a_400_with_the_message_beside_its_field(
    client, nanshan_admin, query, field, message
):
    client.force_login(nanshan_admin)
    client.cookies["django_language"] = "en"
    response = client.get("/statistics/", query)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()


def test_the_messages_are_in_chinese_by_default(admin_client):
    response = admin_client.get("/statistics/", {"from": "2026-13"})
    assert "YYYY-MM" in response.context["form"].errors["from"][0]
    assert "月份" in response.context["form"].errors["from"][0]


def test_a_region_outside_the_users_subtree_is_404(client, futian_admin, year):
    client.force_login(futian_admin)
    assert client.get("/statistics/", {"region": "440305"}).status_code == 404
    assert client.get("/statistics/export.xlsx", {"region": "440305"}).status_code == 404
    assert AuditEntry.objects.filter(actor=futian_admin, success=False).count() == 2


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_export_holds_the_figures_the_records_give(admin_client, nanshan_admin, year):
    book = workbook(admin_client.get("/statistics/export.xlsx", Q1))
    sheet = book.worksheets[0]
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    direct = counted_from_records(
        user=nanshan_admin,
        region=Region.objects.get(code=NANSHAN),
        month_from=JANUARY,
        month_to=MARCH,
    )
    assert cells["入户走访次数"] == direct.visits == EXPECTED["visits"]
    assert cells["服务人次"] == direct.person_times == 17
    assert cells["开展个案"] == direct.cases_served
    assert cells["小组节数"] == direct.group_sessions
    assert cells["社区活动场次"] == direct.activities
    assert cells["建档人数"] == direct.persons == 2
    assert cells["高龄"] == direct.elderly == 1
    assert cells["低保"] == direct.categories["dibao"] == 1
    assert sheet["A3"].value == "开展个案2个、小组2节、社区活动1场次"
    by_region = book.worksheets[1]
    rows = {row[1]: row for row in by_region.iter_rows(min_row=2, values_only=True)}
    header = next(by_region.iter_rows(max_row=1, values_only=True))
    visits = header.index("入户走访次数")
    assert rows[YUEHAI[:9]][visits] == 2 and rows[SHEKOU[:9]][visits] == 1
    assert rows["440305"][0] == "合计" and rows["440305"][visits] == 3
    entry = AuditEntry.objects.filter(action=Action.EXPORT).latest("seq")
    assert entry.object_type == "statistics.tally" and entry.region_code == NANSHAN
