"""Numbers given once and never reused: volunteer numbers (志愿者编号, "V" + village code +
sequence) and certificate numbers (证明编号, "ZM" + year + sequence)."""

from __future__ import annotations

from django.db import models

NUMBER_ATTEMPTS = 3


def next_number(model: type[models.Model], prefix: str, *, width: int, field: str) -> str:
    """The prefix and the next sequence after the largest number with that prefix. Two writers
    at the same moment may both pick it: the column's unique constraint refuses the second, and
    its caller tries again (``NUMBER_ATTEMPTS``)."""
    last = (
        model._default_manager.filter(**{f"{field}__startswith": prefix})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{sequence:0{width}d}"
