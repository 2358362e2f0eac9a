"""Sums of decimal columns read back to the cent, on every database.

SQLite adds decimal columns as floats, and Django rounds a column's value but not an
aggregate's: two hours of 0.1 and 0.2 reversed summed to -5.55e-17 hours there, and money to
0.30000000000000004. PostgreSQL sums exactly; rounding to the columns' two places changes
nothing there. Every sum of a two-place column that is shown, compared or stored goes through
:func:`cents`.
"""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")


def cents(value) -> Decimal:
    """``value`` (a Decimal, a float from SQLite, or None for a sum over no rows) to the cent."""
    return Decimal(str(value or 0)).quantize(CENT)
