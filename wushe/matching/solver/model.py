"""The solver's inputs (needs, suppliers, weights) and outputs (proposals, unmet needs, result).

Inputs are columns of numpy arrays so that a million suppliers cost a few dozen megabytes;
``Need``/``Supplier`` records and ``from_records`` are the convenience for tests and for the
Django side, which builds a few thousand of them from its tables.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields

import numpy as np

# Urgency (紧急程度) of a need: smaller is more urgent, and the solver serves tiers in this order.
URGENT, NORMAL, LONG_TERM = 0, 1, 2  # 紧急, 一般, 长期
URGENCIES = (URGENT, NORMAL, LONG_TERM)

# Weekly slots: bit ``day * 3 + part``; day 0 is Monday, part 0 morning, 1 afternoon, 2 evening.
DAYS, PARTS = 7, 3
SLOTS = DAYS * PARTS
ALL_WEEK = (1 << SLOTS) - 1
ANY_TIME = 0  # a need's window of 0 accepts any supplier's availability

# Why a need is left unmet, in the order the constraints are tried (the first that fails).
NO_CANDIDATE_SKILL = "no_candidate_skill"  # no supplier anywhere has every required skill
NO_SKILL_NEARBY = "no_skill_nearby"  # someone has the skills, but no such supplier's radius reaches
NO_TIME = "no_time"  # skilled suppliers reach it, but none is free in the need's window
NO_CAPACITY = "no_capacity"  # feasible suppliers exist; their week went to needs as urgent or more
REASONS = (NO_CANDIDATE_SKILL, NO_SKILL_NEARBY, NO_TIME, NO_CAPACITY)


def slot_bit(day: int, part: int) -> int:
    """The bit of one weekly slot (day 0 = Monday .. 6, part 0 morning, 1 afternoon, 2 evening)."""
    if not (0 <= day < DAYS and 0 <= part < PARTS):
        raise ValueError(f"no weekly slot for day {day}, part {part}")
    return 1 << (day * PARTS + part)


def skill_mask(skills: Iterable[int]) -> int:
    """The bitmask of skill numbers 0..63 (the position of each skill in the taxonomy)."""
    mask = 0
    for skill in skills:
        if not 0 <= skill < 64:
            raise ValueError(f"skill number {skill} is outside 0..63")
        mask |= 1 << skill
    return mask


EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def planar_km(latitude, longitude, origin: tuple[float, float] | None = None):
    """(x_km, y_km) arrays of positions in degrees, projected around ``origin`` (latitude,
    longitude; default: the middle of the points) by an equirectangular projection. Within a
    county (some 50 km) distances are off by well under 1%, much finer than a radius."""
    latitude = np.asarray(latitude, dtype=np.float64)
    longitude = np.asarray(longitude, dtype=np.float64)
    if origin is None:
        origin = (
            (float(latitude.min()) + float(latitude.max())) / 2 if latitude.size else 0.0,
            (float(longitude.min()) + float(longitude.max())) / 2 if longitude.size else 0.0,
        )
    scale = math.pi / 180 * EARTH_RADIUS_KM
    x = (longitude - origin[1]) * scale * math.cos(math.radians(origin[0]))
    return x, (latitude - origin[0]) * scale


@dataclass(frozen=True)
class Weights:
    """Every weight of the cost, in one place. Costs are integers; one unit is 10 m of travel.

    The cost of giving need *i* to supplier *j* as the supplier's *k*-th task of the week is
    ``per_km * distance (rounded) + per_surplus_skill * surplus skills + load_step * k``.
    The load term grows with *k* (the 3rd task costs more than the 2nd), so work spreads over
    volunteers; surplus skills (skills the need does not ask for) keep specialists free for
    needs only they can serve.
    """

    per_km: int = 100
    per_surplus_skill: int = 50  # one unused skill weighs as 500 m of travel
    load_step: int = 100  # the k-th task of a supplier's week costs load_step * k (1 km per step)

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"weight {item.name} must be a non-negative integer: {value!r}")

    def distance_cost(self, distance_km: float) -> int:
        """``per_km * distance`` rounded half up (numpy's version is in candidates.py)."""
        return math.floor(distance_km * self.per_km + 0.5)

    def slot_cost(self, k: int) -> int:
        """Marginal cost of a supplier's k-th task this week (k >= 1): convex in the load."""
        return self.load_step * k


@dataclass(frozen=True)
class Need:
    """One open need (需求) as a record: see ``Needs`` for the meaning of each field."""

    id: int
    x_km: float
    y_km: float
    skills: int = 0
    window: int = ANY_TIME
    urgency: int = NORMAL


@dataclass(frozen=True)
class Supplier:
    """One volunteer or organisation service (资源) as a record: see ``Suppliers``."""

    id: int
    x_km: float
    y_km: float
    skills: int = 0
    availability: int = ALL_WEEK
    capacity: int = 1
    radius_km: float = 3.0
    load: int = 0


def _column(owner: str, name: str, values, dtype) -> np.ndarray:
    """One column as a contiguous array of ``dtype``; integers stay exact (a list mixing small
    and 64-bit masks would otherwise pass through float64)."""
    if isinstance(values, np.ndarray):
        column = values
        if dtype != np.float64 and column.size and not np.issubdtype(column.dtype, np.integer):
            raise ValueError(f"{owner}.{name} must hold integers")
    else:
        values = list(values)
        if dtype != np.float64 and not all(isinstance(v, numbers.Integral) for v in values):
            raise ValueError(f"{owner}.{name} must hold integers")
        try:
            column = np.array(values, dtype=dtype if dtype != np.float64 else None)
        except OverflowError as error:
            raise ValueError(f"{owner}.{name} is out of range: {error}") from None
    if column.ndim != 1:
        raise ValueError(f"{owner}.{name} must be one-dimensional")
    if dtype != np.float64 and column.size:
        info = np.iinfo(dtype)
        if column.min() < info.min or column.max() > info.max:
            raise ValueError(f"{owner}.{name} is out of range for {np.dtype(dtype).name}")
    return np.ascontiguousarray(column.astype(dtype, copy=False))


def _columns(cls, values: dict) -> dict:
    """Coerce each column to its dtype, check the lengths agree."""
    out = {
        name: _column(cls.__name__, name, values[name], dtype) for name, dtype in cls.DTYPES.items()
    }
    lengths = {len(column) for column in out.values()}
    if len(lengths) > 1:
        raise ValueError(f"{cls.__name__}: columns of different lengths {sorted(lengths)}")
    return out


def _check_common(name: str, columns: dict) -> None:
    if len(np.unique(columns["id"])) != len(columns["id"]):
        raise ValueError(f"{name}: ids must be unique")
    for axis in ("x_km", "y_km"):
        if not np.all(np.isfinite(columns[axis])):
            raise ValueError(f"{name}.{axis} must be finite")


class _Columns:
    """Shared behaviour of ``Needs`` and ``Suppliers``: columns set once, checked, read-only."""

    DTYPES: dict = {}
    RECORD: type = object

    def __init__(self, **values) -> None:
        missing = set(self.DTYPES) - set(values)
        extra = set(values) - set(self.DTYPES)
        if missing or extra:
            raise TypeError(
                f"{type(self).__name__}: missing {sorted(missing)}, unknown {sorted(extra)}"
            )
        columns = _columns(type(self), values)
        self._check(columns)
        for name, column in columns.items():
            column.setflags(write=False)
            setattr(self, name, column)

    @classmethod
    def from_records(cls, records: Iterable) -> _Columns:
        rows = list(records)
        return cls(**{name: [getattr(row, name) for row in rows] for name in cls.DTYPES})

    def records(self) -> Iterator:
        for row in zip(*(getattr(self, name).tolist() for name in self.DTYPES), strict=True):
            yield self.RECORD(*row)

    def __len__(self) -> int:
        return len(self.id)

    def _check(self, columns: dict) -> None:
        raise NotImplementedError


class Needs(_Columns):
    """Open needs (需求清单), one entry per index.

    - ``id`` int64: the caller's identifier, echoed in the output; unique.
    - ``x_km``, ``y_km`` float64: planar position in km (the caller projects latitude/longitude).
    - ``skills`` uint64: bitmask of required skills; ALL of them are required (0: none).
    - ``window`` uint32: bitmask of the weekly slots that suit (``slot_bit``); 0 means any time.
    - ``urgency`` int8: 0 紧急 urgent, 1 一般 normal, 2 长期 long-term.
    """

    DTYPES = {
        "id": np.int64,
        "x_km": np.float64,
        "y_km": np.float64,
        "skills": np.uint64,
        "window": np.uint32,
        "urgency": np.int8,
    }
    RECORD = Need

    def _check(self, columns: dict) -> None:
        _check_common("Needs", columns)
        if np.any((columns["urgency"] < URGENT) | (columns["urgency"] > LONG_TERM)):
            raise ValueError("Needs.urgency must be 0 (urgent), 1 (normal) or 2 (long-term)")
        if np.any(columns["window"] > ALL_WEEK):
            raise ValueError(f"Needs.window has bits beyond the {SLOTS} weekly slots")


class Suppliers(_Columns):
    """Volunteers and organisation services that can take needs (资源清单), one per index.

    - ``id`` int64: the caller's identifier, echoed in the output; unique.
    - ``x_km``, ``y_km`` float64: planar position in km.
    - ``skills`` uint64: bitmask of the skills held.
    - ``availability`` uint32: bitmask of the weekly slots when free (``slot_bit``).
    - ``capacity`` int32: how many more tasks this week (0: none).
    - ``radius_km`` float64: how far the supplier will go.
    - ``load`` int32: tasks already taken this week (makes the next ones dearer).
    """

    DTYPES = {
        "id": np.int64,
        "x_km": np.float64,
        "y_km": np.float64,
        "skills": np.uint64,
        "availability": np.uint32,
        "capacity": np.int32,
        "radius_km": np.float64,
        "load": np.int32,
    }
    RECORD = Supplier

    def _check(self, columns: dict) -> None:
        _check_common("Suppliers", columns)
        if np.any(columns["availability"] > ALL_WEEK):
            raise ValueError(f"Suppliers.availability has bits beyond the {SLOTS} weekly slots")
        if np.any(columns["capacity"] < 0) or np.any(columns["load"] < 0):
            raise ValueError("Suppliers.capacity and Suppliers.load must not be negative")
        radius = columns["radius_km"]
        if not np.all(np.isfinite(radius)) or np.any(radius < 0):
            raise ValueError("Suppliers.radius_km must be finite and not negative")


@dataclass(frozen=True)
class Proposal:
    """One proposed assignment (对接建议) and why.

    ``cost`` is this assignment's share of the total: ``distance_cost + skill_cost +
    load_cost``, where ``load_cost`` is the marginal cost of the slot of the supplier's week it
    takes (a supplier's tasks of one run take its slots in order of urgency, then cost).
    ``load_after`` is the supplier's load once every proposal of the run is accepted.
    ``pair_cost`` is what this pair would cost alone (the supplier's next slot before the run);
    ``next_best_*`` is the cheapest other feasible supplier (capacity > 0) for this need on
    that same alone basis, or -1 / -1 / nan when there is none. The optimum is global: the
    next best can be cheaper alone when another need had more use for it
    (``next_best_taken``: every slot of it went to this run's proposals).
    """

    need_id: int
    supplier_id: int
    cost: int
    distance_km: float
    distance_cost: int
    skill_fit: int  # skills the supplier has beyond those required (0: an exact fit)
    skill_cost: int
    load_cost: int
    load_after: int
    pair_cost: int
    next_best_supplier_id: int
    next_best_cost: int
    next_best_distance_km: float
    next_best_taken: bool


@dataclass(frozen=True)
class Unmet:
    """A need no supplier could take, and the first constraint that failed (``REASONS``)."""

    need_id: int
    urgency: int
    reason: str
    candidates: int  # feasible suppliers (skills, radius, time) before capacity


class Table:
    """Columns of numpy arrays that iterate as records (``Proposals``, ``UnmetNeeds``)."""

    RECORD: type = object

    def __init__(self, **columns: np.ndarray) -> None:
        self.columns = columns
        for name, column in columns.items():
            setattr(self, name, column)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def __iter__(self) -> Iterator:
        names = [item.name for item in fields(self.RECORD)]
        for row in zip(*(self._list(name) for name in names), strict=True):
            yield self.RECORD(*row)

    def _list(self, name: str) -> list:
        return self.columns[name].tolist()


class Proposals(Table):
    """The proposals of a run as columns (one row per met need, in the needs' order)."""

    RECORD = Proposal


class UnmetNeeds(Table):
    """The unmet needs of a run as columns; ``reason`` holds indexes into ``REASONS``."""

    RECORD = Unmet

    def _list(self, name: str) -> list:
        if name == "reason":
            return [REASONS[code] for code in self.columns["reason"].tolist()]
        return super()._list(name)


@dataclass
class Result:
    """What a run gives: proposals, unmet needs with reasons, totals, seconds per phase.

    ``assignment[i]`` is the supplier index (into the ``Suppliers`` given) of need index *i*,
    or -1. ``met_by_urgency`` counts met needs per tier (urgent, normal, long-term).
    """

    method: str
    needs: int
    met: int
    met_urgent: int
    met_by_urgency: tuple[int, int, int]
    cost: int
    assignment: np.ndarray
    proposals: Proposals
    unmet: UnmetNeeds
    candidates: int  # feasible (need, supplier) pairs, capacity left aside
    seconds: dict[str, float] = field(default_factory=dict)

    def objective(self) -> tuple[int, int, int, int]:
        """The lexicographic key the solver maximises: urgent met, urgent and normal met,
        all met, then the negated cost."""
        urgent, normal, long_term = self.met_by_urgency
        return (urgent, urgent + normal, urgent + normal + long_term, -self.cost)
