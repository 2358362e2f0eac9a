"""The points rule and star thresholds through the API: read in force, set, inherited, cleared,
refused cleanly, scoped and audited like the rules page."""

from decimal import Decimal

import pytest

from wushe.audit.models import AuditEntry
from wushe.core.tests.api_client import token_client
from wushe.volunteers.models import PointsRule, StarRule
from wushe.volunteers.rules import points_rule_for, star_rule_for

pytestmark = pytest.mark.django_db

POINTS = {
    "region": "440305007",
    "points_per_hour": 12,
    "coefficient_high_risk": "3",
    "cap": 100,
    "expiry_months": 0,
}
STARS = {"region": "440305007", "star1": 10, "star2": 20, "star3": 30, "star4": 40, "star5": 50}


def test_a_manager_sets_the_rules_of_their_street_and_the_villages_follow(yuehai_manager):
    api = token_client(yuehai_manager)
    default = api.get("/api/points-rules/effective/", {"region": "440305007003"}).json()
    assert default["source"] == "default" and default["points_per_hour"] == 10
    assert default["coefficients"]["high_risk"] == "2.50"

    created = api.post("/api/points-rules/", POINTS, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["region"] == "440305007000" and created.json()["cap"] == 100
    assert points_rule_for("440305007003").points_per_hour == 12
    changed = api.post("/api/points-rules/", {"region": "440305007", "cap": 90}, format="json")
    assert changed.status_code == 200 and changed.json()["points_per_hour"] == 12
    assert PointsRule.objects.get().cap == 90
    village = api.get("/api/points-rules/effective/", {"region": "440305007003"}).json()
    assert village["source"] == "inherited" and village["source_region"] == "440305007000"
    assert village["cap"] == 90 and village["coefficients"]["high_risk"] == "3.00"
    own = api.get("/api/points-rules/effective/").json()  # the manager's own street
    assert own["source"] == "own" and own["region"] == "440305007000"

    assert api.post("/api/star-rules/", STARS, format="json").status_code == 201
    assert star_rule_for("440305007003").thresholds == (10, 20, 30, 40, 50)
    stars = api.get("/api/star-rules/effective/", {"region": "440305007003"}).json()
    assert stars["thresholds"] == [10, 20, 30, 40, 50] and stars["source"] == "inherited"
    listed = api.get("/api/points-rules/").json()
    assert [row["region"] for row in listed["results"]] == ["440305007000"]

    rule = PointsRule.objects.get()
    assert api.delete(f"/api/points-rules/{rule.pk}/").status_code == 204
    assert not PointsRule.objects.exists()
    assert points_rule_for("440305007003").coefficients["high_risk"] == Decimal("2.5")
    logged = AuditEntry.objects.filter(object_type="volunteers.pointsrule").order_by("seq")
    actions = list(logged.values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]


def test_bad_rules_are_400_with_field_messages_and_nothing_written(yuehai_manager):
    api = token_client(yuehai_manager, language="zh-hans")
    high = api.post("/api/points-rules/", {**POINTS, "coefficient_high_risk": "99"}, format="json")
    assert high.status_code == 400 and "coefficient_high_risk" in high.json()
    falling = api.post("/api/star-rules/", {**STARS, "star5": 35}, format="json")
    assert falling.status_code == 400 and "star1" in falling.json()
    assert falling.json()["star1"] == ["每一星所需时长须多于前一星（且大于 0）。"]
    words = api.post("/api/points-rules/", {**POINTS, "cap": "many"}, format="json")
    assert words.status_code == 400 and "cap" in words.json()
    outside = api.post("/api/points-rules/", {**POINTS, "region": "440305005"}, format="json")
    assert outside.status_code == 400 and outside.json()["region"] == ["没有该区划。"]
    assert not api.post("/api/points-rules/", {}, format="json").json().get("id")
    english = token_client(yuehai_manager, language="en")
    answer = english.post("/api/star-rules/", {**STARS, "star5": 35}, format="json").json()
    assert "more hours" in answer["star1"][0]
    assert not PointsRule.objects.exists() and not StarRule.objects.exists()


def test_workers_read_auditors_read_outsiders_see_nothing(
    yuehai_manager, shekou_worker, nanshan_auditor, futian_admin
):
    token_client(yuehai_manager).post("/api/points-rules/", POINTS, format="json")
    rule = PointsRule.objects.get()
    for reader in (nanshan_auditor, shekou_worker):
        api = token_client(reader)
        assert api.get("/api/points-rules/effective/").status_code == 200
        assert api.post("/api/points-rules/", POINTS, format="json").status_code == 403
    auditor = token_client(nanshan_auditor)
    assert auditor.get(f"/api/points-rules/{rule.pk}/").status_code == 200
    assert auditor.delete(f"/api/points-rules/{rule.pk}/").status_code == 403
    outsider = token_client(futian_admin)
    assert outsider.get(f"/api/points-rules/{rule.pk}/").status_code == 404
    assert outsider.delete(f"/api/points-rules/{rule.pk}/").status_code == 404
    assert outsider.get("/api/points-rules/").json()["count"] == 0
    hidden = outsider.get("/api/points-rules/effective/", {"region": "440305007"})
    assert hidden.status_code == 400
    # A street worker elsewhere sees the rule in force but not where it was set above them.
    shekou = token_client(shekou_worker)
    assert shekou.get(f"/api/points-rules/{rule.pk}/").status_code == 404
    assert PointsRule.objects.count() == 1
