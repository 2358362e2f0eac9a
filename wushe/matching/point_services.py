"""Region points (区划坐标点): the position of a village or township, for matching records that
have no coordinates of their own (see ``matching.geo``). Loaded from a sheet of
``code, latitude, longitude`` rows by an administrator or station manager, inside their
subtree; one bad row and nothing is written."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.matching.models import RegionPoint
from wushe.regions.codes import Level, normalize_code
from wushe.regions.models import Region

LOADERS = (Role.ADMIN, Role.MANAGER)
PLACE_LEVELS = (Level.TOWNSHIP, Level.VILLAGE)
# Mainland China, generously: a point outside is a swapped column or a typing mistake.
LATITUDES = (Decimal(3), Decimal(54))
LONGITUDES = (Decimal(73), Decimal(136))
MAX_ROWS = 1_000_000


def _number(raw: str, low: Decimal, high: Decimal) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or not low <= value <= high:
        return None
    return value.quantize(Decimal("0.000001"))


def _parse_row(actor: User, row, regions: dict[str, int]) -> tuple[str, Decimal, Decimal] | str:
    """(code, latitude, longitude), or the row's error."""
    if len(row) < 3:
        return _("Expected three columns: code, latitude, longitude.")
    try:
        code = normalize_code(row[0])
    except ValidationError as error:
        return error.messages[0]
    if regions.get(code) not in PLACE_LEVELS or not actor.can_see_code(code):
        return _("No such township or village.")
    latitude = _number(row[1], *LATITUDES)
    longitude = _number(row[2], *LONGITUDES)
    if latitude is None or longitude is None:
        return _("Latitude 3–54 and longitude 73–136 (decimal degrees, WGS-84).")
    return code, latitude, longitude


def points_load(*, actor: User, rows: Iterable, source: str = "") -> int:
    """Create or replace the points of ``rows``; returns how many. Raises ValidationError
    with one message per bad row (numbered from 1) and writes nothing then."""
    if actor is None or actor.role not in LOADERS:
        raise PermissionDenied(_("Your role cannot load region points."))
    rows = list(rows)
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("At most 1,000,000 rows."))
    codes = {str(row[0]).strip().ljust(12, "0") for row in rows if row}
    regions = dict(Region.objects.filter(code__in=codes).values_list("code", "level"))
    parsed, errors = {}, []
    for number, row in enumerate(rows, start=1):
        result = _parse_row(actor, row, regions)
        if isinstance(result, str):
            errors.append(_("Row %(row)s: %(error)s") % {"row": number, "error": result})
        else:
            parsed[result[0]] = result
    if errors:
        raise ValidationError(errors[:50])
    points = [
        RegionPoint(region_id=code, latitude=lat, longitude=lon, source=source[:50])
        for code, lat, lon in parsed.values()
    ]
    with transaction.atomic():
        RegionPoint.objects.filter(region_id__in=parsed).delete()
        RegionPoint.objects.bulk_create(points, batch_size=2000)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="matching.regionpoint",
            object_repr=_("%(count)s region points") % {"count": len(points)},
            changes={"loaded": [None, str(len(points))], "source": [None, source[:50]]},
        )
    return len(points)


def read_points_csv(path: Path) -> list[list[str]]:
    """The rows of a UTF-8 (or GBK) CSV, a header row of names dropped."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gbk"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("The file is neither UTF-8 nor GBK text."))
    rows = [row for row in csv.reader(text.splitlines()) if any(cell.strip() for cell in row)]
    if rows and not rows[0][0].strip().isdigit():
        rows = rows[1:]
    return rows
