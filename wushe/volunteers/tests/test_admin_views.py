"""Teams, the skills taxonomy and the points and star rules, on their pages."""

from decimal import Decimal

import pytest

from conftest import NANSHAN, YUEHAI
from wushe.volunteers.models import PointsRule, Skill, StarRule, VolunteerTeam
from wushe.volunteers.rules import points_rule_for, star_rule_for
from wushe.volunteers.tests.sample import register_chen, register_wang

pytestmark = pytest.mark.django_db


def test_a_team_is_made_of_volunteers_named_by_number(client, yuehai_manager, nanshan_admin):
    wang = register_wang(yuehai_manager)
    chen = register_chen(nanshan_admin)  # 蛇口: outside 粤海
    client.force_login(yuehai_manager)
    data = {
        "name": "科技园助老队",
        "region": "440305007",
        "members": wang.number,
        "leader": wang.number,
    }
    assert client.post("/volunteers/teams/new/", data).status_code == 302
    team = VolunteerTeam.objects.get()
    assert list(team.members.all()) == [wang] and team.leader == wang
    assert wang.name in client.get(f"/volunteers/teams/{team.pk}/").content.decode()
    outside = client.post(
        f"/volunteers/teams/{team.pk}/edit/", {**data, "members": f"{wang.number} {chen.number}"}
    )
    assert outside.status_code == 400 and chen.number in outside.content.decode()
    dup = client.post("/volunteers/teams/new/", {**data, "members": "", "leader": ""})
    assert dup.status_code == 400
    not_member = client.post(
        f"/volunteers/teams/{team.pk}/edit/", {**data, "members": "", "leader": wang.number}
    )
    assert not_member.status_code == 400
    assert client.post(f"/volunteers/teams/{team.pk}/delete/").status_code == 302
    assert not VolunteerTeam.objects.exists()
    wang.refresh_from_db()


def test_teams_outside_the_subtree_are_404(client, nanshan_admin, futian_admin):
    wang = register_wang(nanshan_admin)
    from wushe.volunteers.team_services import team_create
    from wushe.volunteers.tests.sample import village

    team = team_create(actor=nanshan_admin, name="科技园护老队", region=village(), members=[wang])
    client.force_login(futian_admin)
    for url in (f"/volunteers/teams/{team.pk}/", f"/volunteers/teams/{team.pk}/edit/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/volunteers/teams/{team.pk}/delete/").status_code == 404
    assert "科技园护老队" not in client.get("/volunteers/teams/").content.decode()
    assert VolunteerTeam.objects.exists()


def test_only_an_administrator_edits_the_skills(client, nanshan_admin, yuehai_manager):
    client.force_login(yuehai_manager)
    page = client.get("/volunteers/skills/")
    assert page.status_code == 200 and "陪伴探访" in page.content.decode()
    assert client.post("/volunteers/skills/new/", {"code": "x", "name": "x"}).status_code == 403
    client.force_login(nanshan_admin)
    assert (
        client.post(
            "/volunteers/skills/new/", {"code": "elder_care", "name": "养老护理"}
        ).status_code
        == 302
    )
    added = Skill.objects.get(code="elder_care")
    assert added.bit == 12
    assert (
        client.post("/volunteers/skills/new/", {"code": "meals", "name": "新"}).status_code == 400
    )
    assert (
        client.post("/volunteers/skills/new/", {"code": "", "name": "陪伴探访"}).status_code == 400
    )
    meals = Skill.objects.get(code="meals")
    page = client.post(f"/volunteers/skills/{meals.pk}/edit/", {"name": "助餐"})
    assert page.status_code == 302
    meals.refresh_from_db()
    assert meals.name == "助餐" and not meals.active and meals.bit == 1
    newer = client.post("/volunteers/skills/new/", {"code": "gardening", "name": "园艺"})
    assert newer.status_code == 302 and Skill.objects.get(code="gardening").bit == 13


def test_rules_are_set_inherited_and_cleared(client, nanshan_admin, yuehai_manager, shekou_worker):
    client.force_login(yuehai_manager)
    page = client.get("/volunteers/rules/")
    assert page.status_code == 200
    data = {
        "region": "440305007",
        "points_per_hour": "12",
        "coefficient_basic": "1",
        "coefficient_skilled": "1.5",
        "coefficient_professional": "2",
        "coefficient_high_risk": "3",
        "cap": "100",
        "expiry_months": "0",
    }
    assert client.post("/volunteers/rules/points/", data).status_code == 302
    assert points_rule_for("440305007003").points_per_hour == 12
    assert points_rule_for("440305005001").points_per_hour == 10
    bad = client.post("/volunteers/rules/points/", {**data, "coefficient_high_risk": "99"})
    assert bad.status_code == 400
    stars = {"region": "440305007", "star1": "10", "star2": "20", "star3": "30", "star4": "40"}
    assert client.post("/volunteers/rules/stars/", {**stars, "star5": "35"}).status_code == 400
    assert client.post("/volunteers/rules/stars/", {**stars, "star5": "50"}).status_code == 302
    assert star_rule_for("440305007003").thresholds == (10, 20, 30, 40, 50)
    outside = client.post("/volunteers/rules/points/", {**data, "region": "440305005"})
    assert outside.status_code == 400
    client.force_login(shekou_worker)
    assert client.post("/volunteers/rules/points/", data).status_code == 403
    rule = PointsRule.objects.get()
    assert client.post(f"/volunteers/rules/points/{rule.pk}/clear/").status_code == 404
    client.force_login(nanshan_admin)
    page = client.get("/volunteers/rules/", {"region": "440305007003"}).content.decode()
    assert "粤海街道" in page
    assert client.post(f"/volunteers/rules/points/{rule.pk}/clear/").status_code == 302
    assert client.post("/volunteers/rules/nothing/1/clear/").status_code == 404
    assert not PointsRule.objects.exists() and StarRule.objects.count() == 1
    assert points_rule_for("440305007003").coefficients["high_risk"] == Decimal("2.5")
    assert client.get("/volunteers/rules/", {"region": "440304"}).status_code == 400
    assert NANSHAN and YUEHAI
