"""Real organisations and social workers for the API fuzzing (wushe/core/tests/test_api_schema.py):
one per collection with ``{id}`` paths, in 粤海."""

from __future__ import annotations

from datetime import date

from conftest import YUEHAI, make_site
from wushe.accounts.models import User
from wushe.organisations.services import incubation_enter
from wushe.organisations.tests.sample import make_organisation
from wushe.regions.choices import SiteKind
from wushe.regions.models import Site
from wushe.workers.services import training_add
from wushe.workers.tests.sample import make_worker


def five_forces_examples(actor: User) -> dict[str, int]:
    """An organisation in an incubation base and a social worker with a training."""
    station = Site.objects.filter(region_id=YUEHAI, kind=SiteKind.STATION).first() or make_site(
        YUEHAI, SiteKind.STATION, "粤海街道社工站"
    )
    organisation = make_organisation(actor, YUEHAI, 777, name="示例社工机构")
    incubation_enter(
        actor=actor, organisation=organisation, site=station, entered_on=date(2025, 1, 6)
    )
    worker = make_worker(actor, station, 77, name="示例社工")
    training_add(actor=actor, worker=worker, title="示例培训", held_on=date(2025, 2, 1), hours=2)
    return {"organisations": organisation.pk, "social-workers": worker.pk}
