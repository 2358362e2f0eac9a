"""A figure and a target of 粤海 for the tests of other apps (the API fuzzing)."""

from __future__ import annotations

from wushe.indicators import entries
from wushe.indicators.models import DataElement, Indicator
from wushe.regions.models import Region

YUEHAI = "440305007000"


def indicator_examples(actor) -> dict[str, int]:
    """{"entered-values": id, "targets": id}: real rows of the API's collections."""
    region = Region.objects.get(code=YUEHAI)
    figure = entries.entered_value_set(
        actor=actor,
        region=region,
        year=2025,
        element=DataElement.objects.get(code="households"),
        value=100,
    )
    target = entries.target_set(
        actor=actor,
        region=region,
        indicator=Indicator.objects.get(code="station_coverage"),
        year=2025,
        value=100,
    )
    return {"entered-values": figure.pk, "targets": target.pk}
