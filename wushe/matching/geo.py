"""Where needs and suppliers are, in the planar kilometres the solver works in.

Position of a record, the first that is known:

1. its own latitude/longitude (a need's place, a volunteer's home, an organisation's office);
2. the point of its village (``RegionPoint``: a village committee's office, imported with
   ``wushe regionpoints load`` — the demo seeds plausible points for 南山区);
3. the point of the township the village belongs to.

A need with none of these is left unmet with the reason ``no_location`` (the station is told
to give the place's coordinates or import its villages' points), and a supplier with none is
not a candidate: a distance made up from codes alone ("same village: 1 km") would let the
solver promise a radius it cannot check, so we do not guess.

Projection: equirectangular around the mean latitude of the run's points,
``x = R·λ·cos φ₀``, ``y = R·φ``. Within a county (tens of km) its error against the
great-circle distance is far below a metre per kilometre, well under the solver's 10 m unit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from wushe.matching.models import RegionPoint
from wushe.regions.codes import CODE_LENGTH

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def township_of(code: str) -> str:
    return code[:9].ljust(CODE_LENGTH, "0")


class PointBook:
    """The region points of a set of villages and their townships, read in one query."""

    def __init__(self, codes: Iterable[str]) -> None:
        wanted = set()
        for code in codes:
            wanted.add(code)
            wanted.add(township_of(code))
        rows = RegionPoint.objects.filter(region_id__in=wanted).values_list(
            "region_id", "latitude", "longitude"
        )
        self.points = {code: Point(float(lat), float(lon)) for code, lat, lon in rows}

    def locate(self, latitude, longitude, region_code: str | None) -> Point | None:
        """The record's own point, else its village's, else its township's, else None."""
        if latitude is not None and longitude is not None:
            return Point(float(latitude), float(longitude))
        if not region_code:
            return None
        return self.points.get(region_code) or self.points.get(township_of(region_code))


def mean_latitude(points: Iterable[Point]) -> float:
    latitudes = [point.latitude for point in points]
    return sum(latitudes) / len(latitudes) if latitudes else 0.0


def project(points: list[Point], origin_latitude: float) -> tuple[np.ndarray, np.ndarray]:
    """Planar (x, y) in km of each point, equirectangular around ``origin_latitude``."""
    if not points:
        return np.zeros(0), np.zeros(0)
    lat = np.radians(np.array([point.latitude for point in points], dtype=np.float64))
    lon = np.radians(np.array([point.longitude for point in points], dtype=np.float64))
    scale = math.cos(math.radians(origin_latitude))
    return EARTH_RADIUS_KM * lon * scale, EARTH_RADIUS_KM * lat


def distance_km(a: Point, b: Point) -> float:
    """The planar distance between two points, projected around their mean latitude: the
    measure the solver's radius test uses, for one pair checked by hand."""
    (x, y) = project([a, b], mean_latitude([a, b]))
    return float(math.sqrt((x[0] - x[1]) ** 2 + (y[0] - y[1]) ** 2))
