"""建档人数 of an import: what its files add to the statistics counters, counted per village.

The COPY bypasses the services that move the counters one file at a time (``filed.move``), so
the import counts what it writes as it plans it — each new file once in its village, once per
category and once in its birth month; an update that moves a file or changes its categories
as its old state out and its new state in — and adds the lot in its write transaction
(``filed.add_by_village``). Counted by (village, categories mask) and (village, birth month)
while planning, expanded to the counters' keys once at the end: a million files are a few
thousand keys.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from wushe.people.importing.columns import categories_in
from wushe.statistics import filed


class FiledDeltas:
    def __init__(self) -> None:
        self.masks: Counter[tuple[str, int]] = Counter()  # (village, categories mask)
        self.months: Counter[tuple[str, str]] = Counter()  # (village, "YYYY-MM")

    def add(self, village: str, mask: int, month: str, sign: int = 1) -> None:
        """A file (its village, categories mask and birth month "YYYY-MM…") in or out."""
        self.masks[village, mask] += sign
        self.months[village, month[:7]] += sign

    def count(self, masks: Iterable[tuple[str, int]], months: Iterable[tuple[str, str]]) -> None:
        """Count new files, given as (village, mask) and (village, "YYYY-MM") pairs."""
        self.masks.update(masks)  # Counter counts an iterable in C
        self.months.update(months)

    def apply(self) -> None:
        """Add everything counted to the counters; call in the transaction of the write."""
        counts: Counter[tuple[str, str]] = Counter()
        for (village, mask), number in self.masks.items():
            if number:
                counts[village, filed.PERSONS] += number
                for category in categories_in(mask):
                    counts[village, category] += number
        births = {
            (village, date(int(month[:4]), int(month[5:7]), 1)): number
            for (village, month), number in self.months.items()
            if number
        }
        filed.add_by_village(counts, births)
