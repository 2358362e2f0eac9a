"""``wushe statistics recompute`` (after a bulk load) and ``wushe statistics check``."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from wushe.statistics import recompute

SHOWN = 100  # disagreements printed; the count says how many there are in all


class Command(BaseCommand):
    help = "Rebuild or check the statistics counters (服务统计) against the records."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "recompute",
            help="rebuild every tally and filed count from the records (after a bulk load)",
        )
        sub.add_parser(
            "check",
            help="print every counter that disagrees with the records; exit 1 if any does",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["action"] == "recompute":
            recompute.recompute()
            elapsed = time.perf_counter() - started
            self.stdout.write(f"statistics: counters rebuilt from the records in {elapsed:.1f} s")
            return
        found = recompute.check()
        for disagreement in found[:SHOWN]:
            self.stdout.write(str(disagreement))
        if found:
            more = f" (the first {SHOWN} shown)" if len(found) > SHOWN else ""
            raise CommandError(
                f"statistics: {len(found)} counters disagree with the records{more}; "
                "`wushe statistics recompute` rebuilds them / 统计数与记录不一致"
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(f"statistics: every counter agrees with the records ({elapsed:.1f} s)")
