"""Real volunteers' objects for the API fuzzing (``core/tests/test_api_schema.py``): each
``/api/<collection>/{id}/`` gets an id that exists."""

from __future__ import annotations

from datetime import date

from wushe.volunteers.ledger_services import service_record
from wushe.volunteers.models import Skill
from wushe.volunteers.rule_services import points_rule_set, star_rule_set
from wushe.volunteers.team_services import team_create
from wushe.volunteers.tests.sample import register_wang, village


def volunteer_examples(actor) -> dict[str, int]:
    wang = register_wang(actor)
    service_record(
        actor=actor, volunteer=wang, hours="2", occurred_on=date(2026, 3, 1), content="探访"
    )
    team = team_create(actor=actor, name="科技园志愿服务队", region=village(), members=[wang])
    street = village().parent
    return {
        "volunteers": wang.pk,
        "skills": Skill.objects.get(code="visiting").pk,
        "volunteer-teams": team.pk,
        "points-rules": points_rule_set(actor=actor, region=street, cap=90).pk,
        "star-rules": star_rule_set(actor=actor, region=street, star1=50).pk,
    }


def scope_world(actor) -> dict[str, list]:
    """For the scope matrix: a volunteer in a village of 粤海, of 蛇口 and of 福田, each with a
    ledger entry, a certificate and a team of their village. ``actor`` sees all three."""
    from wushe.people.identity import make_id_number
    from wushe.volunteers.certificates import certificate_issue

    world: dict[str, list] = {"volunteers": [], "entries": [], "certificates": [], "teams": []}
    for index, code in enumerate(("440305007003", "440305005001", "440304002016"), start=1):
        volunteer = register_wang(
            actor,
            name=f"志愿者{index}号",
            id_number=make_id_number("440305", date(1990, 1, index), 100 + index),
            region=village(code),
        )
        world["volunteers"].append(volunteer)
        world["entries"].append(
            service_record(
                actor=actor,
                volunteer=volunteer,
                hours="1",
                occurred_on=date(2026, 3, 1),
                content="探访",
            )
        )
        world["certificates"].append(certificate_issue(actor=actor, volunteer=volunteer))
        world["teams"].append(
            team_create(
                actor=actor, name=f"服务队{index}", region=village(code), members=[volunteer]
            )
        )
    return world
