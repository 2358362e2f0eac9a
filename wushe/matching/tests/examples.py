"""Real matching objects for the API fuzzing (wushe/core/tests/test_api_schema.py): one per
collection with ``{id}`` paths, in 粤海's 科技园社区."""

from __future__ import annotations

from django.utils import timezone

from wushe.accounts.models import User
from wushe.matching import offer_services, project_services, task_services
from wushe.matching.run_services import match_run
from wushe.matching.tests.sample import (
    KEJIYUAN,
    make_need,
    make_resident,
    make_volunteer,
    put_points,
)
from wushe.organisations.tests.sample import make_organisation
from wushe.regions.choices import SiteKind
from wushe.regions.models import Site


def matching_examples(actor: User) -> dict[str, int]:
    station = Site.objects.get(region_id="440305007000", kind=SiteKind.STATION)
    put_points()
    make_volunteer(actor, "示例志愿者", KEJIYUAN, username="example_volunteer")
    need = make_need(actor, station, make_resident(actor, "示例居民"))
    make_need(actor, station, make_resident(actor, "示例居民二"), skills=("legal",))
    organisation = make_organisation(actor, "440305007000", 901, name="示例社工服务中心")
    offer = offer_services.offer_create(
        actor=actor, organisation=organisation, station=station, service_areas=["elderly"]
    )
    project = project_services.project_create(
        actor=actor,
        station=station,
        name="示例项目",
        service_area="elderly",
        target_group="长者",
        period_from=timezone.localdate(),
        period_to=timezone.localdate(),
        capacity=10,
        needs=[need],
    )
    result = match_run(actor=actor, station=station, today=timezone.localdate())
    proposal = result.proposals[0]
    task = task_services.proposal_accept(actor=actor, proposal=proposal, today=timezone.localdate())
    return {
        "needs": need.pk,
        "organisation-offers": offer.pk,
        "service-projects": project.pk,
        "match-runs": result.run.pk,
        "proposals": proposal.pk,
        "tasks": task.pk,
        "volunteer": task.pk,  # /api/volunteer/tasks/{id}/: staff get 404 there
    }


def scope_world(actor: User) -> dict[str, list]:
    """A need, run, proposal and task in each of 粤海, 蛇口 and 福田 (for the scope matrix)."""
    from conftest import FUTIAN_TOWNSHIP, SHEKOU, YUEHAI, make_site
    from wushe.matching.models import RegionPoint
    from wushe.regions.models import Region

    world: dict[str, list] = {"needs": [], "runs": [], "proposals": [], "tasks": []}
    for index, code in enumerate((YUEHAI, SHEKOU, FUTIAN_TOWNSHIP)):
        station = Site.objects.filter(region_id=code, kind=SiteKind.STATION).first()
        station = station or make_site(code, SiteKind.STATION, f"社工站{index}")
        village = Region.objects.filter(parent_id=code).order_by("code").first()
        RegionPoint.objects.update_or_create(
            region_id=village.code, defaults={"latitude": 22.5 + index, "longitude": 114}
        )
        make_volunteer(actor, f"志愿者{index}", village.code)
        need = make_need(
            actor, station, make_resident(actor, f"居民{index}", village.code),
            description=f"需求{index}",
        )  # fmt: skip
        result = match_run(actor=actor, station=station, today=timezone.localdate())
        proposal = result.proposals[0]
        task = task_services.proposal_accept(
            actor=actor, proposal=proposal, today=timezone.localdate()
        )
        world["needs"].append(need)
        world["runs"].append(result.run)
        world["proposals"].append(proposal)
        world["tasks"].append(task)
    return world
