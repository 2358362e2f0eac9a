"""``wushe regions load --all | --province 44 | --city 4403 | --county 440305``, and
``wushe regions recount``."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from wushe.regions import counters, loader


class Command(BaseCommand):
    help = "Load the national division tree (统计用区划代码 2023) shipped with wushe."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load or refresh regions (idempotent)")
        which = load.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="the whole country (~665,000 rows)")
        which.add_argument("--province", metavar="CODE", help="one province, e.g. 44")
        which.add_argument("--city", metavar="CODE", help="one city, e.g. 4403")
        which.add_argument("--county", metavar="CODE", help="one county, e.g. 440305")
        load.add_argument("--no-progress", action="store_true", help="no progress bar")
        sub.add_parser(
            "recount",
            help="rebuild the operating-site counts behind coverage (after writing sites in bulk)",
        )

    def handle(self, *args, **options):
        if options["action"] == "recount":
            started = time.perf_counter()
            counters.recount()
            self.stdout.write(
                f"regions: coverage counts rebuilt in {time.perf_counter() - started:.1f} s"
            )
            return
        select = (
            ""
            if options["all"]
            else (options["province"] or options["city"] or options["county"]).strip()
        )
        expected = {"province": (2, "省"), "city": (4, "市"), "county": (6, "县")}
        for key, (length, level_zh) in expected.items():
            if options.get(key) and (not select.isdigit() or len(select) != length):
                raise CommandError(
                    f"--{key} {select!r}: expected {length} digits "
                    f"/ {level_zh}级代码应为 {length} 位数字"
                )
        started = time.perf_counter()
        show = not options["no_progress"]
        rows = list(
            tqdm(
                loader.read_rows(select),
                desc="read",
                unit=" rows",
                disable=not show,
                mininterval=0.5,
            )
        )
        if len(rows) <= 1:
            raise CommandError(
                f"no region under {select!r} in the shipped data / 区划数据中没有代码 {select}"
            )
        with tqdm(
            total=len(rows), desc="load", unit=" rows", disable=not show, mininterval=0.5
        ) as bar:
            try:
                result = loader.load(iter(rows), progress=bar.update)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"regions: {result.total} rows, {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged in {elapsed:.1f} s"
        )
