"""Registering a deployer's approved map of a region (see ``models.RegionMap``), and exporting
a table of a dashboard.

Only an administrator may register or remove a map, for a region in their own subtree; the
approval number (审图号) is required, and the file must be a GeoJSON FeatureCollection of
polygons whose features name the region's children. Each change is audited.
"""

from __future__ import annotations

import json
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.dashboards import selectors
from wushe.dashboards.models import RegionMap
from wushe.dashboards.tables import TABLES, caption, table_rows
from wushe.dashboards.workbooks import table_workbook
from wushe.regions.models import Region

MAX_BYTES = 20 * 1024 * 1024  # a county's villages at survey precision fit well below this
AREAS = {"Polygon", "MultiPolygon"}
# 审图号 as printed on approved maps: GS(2019)1822号, 粤S(2018)010号, GS京(2022)0051号 …
APPROVAL = re.compile(r"^[A-Z\u4e00-\u9fff]{0,4}S[\u4e00-\u9fff]{0,2}[（(]\d{4}[)）]\d{1,6}号?$")


def may_register_maps(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_admin)


def _check(actor, region: Region | None) -> None:
    if not may_register_maps(actor):
        raise PermissionDenied(_("Only an administrator can register maps."))
    if region is None or not actor.can_see_code(region.code):
        raise ValidationError({"region": _("No such region.")}, code="not_found")


def clean_approval_number(raw: object) -> str:
    text = re.sub(r"\s+", "", str(raw or "")).removeprefix("审图号").lstrip(":：")
    if not text:
        raise ValidationError(
            {
                "approval_number": _(
                    "A map can only be published with its approval number (审图号)."
                )
            },
            code="required",
        )
    if not APPROVAL.match(text):
        raise ValidationError(
            {
                "approval_number": _(
                    "Enter the approval number as printed on the map, for example GS(2019)1822号."
                )
            },
            code="bad_approval_number",
        )
    return text


def parse_geojson(raw: bytes | str) -> dict:
    """The GeoJSON as a dict, or a ValidationError on ``geojson`` saying what is wrong."""
    if len(raw) > MAX_BYTES:
        raise _bad(_("The file is larger than 20 MB."))
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise _bad(_("The file is not GeoJSON (it is not valid JSON).")) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise _bad(_("The file must be a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise _bad(_("The map has no features."))
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") not in AREAS:
            raise _bad(_("Feature %(number)s is not a polygon.") % {"number": number})
        if not isinstance(properties, dict) or not str(properties.get("name") or "").strip():
            raise _bad(_("Feature %(number)s has no name property.") % {"number": number})
    return data


def _bad(message: str) -> ValidationError:
    return ValidationError({"geojson": message}, code="bad_geojson")


def region_map_register(
    *, actor, region: Region, geojson: bytes | str, approval_number: str, file_name: str = ""
) -> RegionMap:
    """Register (or replace) the map of ``region``'s children."""
    _check(actor, region)
    number = clean_approval_number(approval_number)
    data = parse_geojson(geojson)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    with transaction.atomic():
        found = RegionMap.objects.filter(region=region).first()
        before = {"approval_number": found.approval_number} if found else {}
        found = found or RegionMap(region=region)
        found.approval_number, found.geojson = number, text
        found.file_name, found.features = file_name[:200], len(data["features"])
        found.uploaded_by = actor
        found.full_clean(exclude=["region"])
        found.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE if before else Action.CREATE,
            obj=found,
            changes={
                "approval_number": [before.get("approval_number"), number],
                "features": found.features,
                "file_name": found.file_name,
            },
        )
    return found


def region_map_delete(*, actor, region_map: RegionMap) -> None:
    _check(actor, region_map.region)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=region_map,
            changes={"approval_number": [region_map.approval_number, None]},
        )
        region_map.delete()


def table_export(*, user, asked: selectors.Asked, table: str) -> bytes:
    """One table of a dashboard as .xlsx, with the rows the page shows (audited as an
    export). ``table`` is a key of ``tables.TABLES``."""
    data = selectors.dashboard(user=user, asked=asked)
    rows, total = table_rows(data, table)
    region = asked.region
    content = table_workbook(
        title=table,
        heading=[[caption(data, table)], [_("Region"), region.name, region.display_code]],
        columns=TABLES[table],
        rows=rows,
        total={**total, "name": region.name} if total else None,
    )
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="dashboards.dashboard",
        object_id=f"{region.display_code}:{table}",
        object_repr=caption(data, table)[:200],
        region_code=region.code,
        changes={"region": region.code, "table": table, **asked.query},
    )
    return content
