"""How fast the statistics of a province and of a county answer over ten million records.

    python bench/service_statistics.py [--records 10000000] [--months 24] [--runs 30]
                               [--url postgres://…] [--scratch NAME] [--explain]

Into a scratch PostgreSQL database (created and dropped here): the national tree, then
``--records`` home visits (入户走访) of ``--records``/20 filed residents (with categories and
birth dates) in one village of every five across the country, spread over the last
``--months`` months, all written with COPY. Then ``recompute`` builds the counters from the
records (timed, as ``wushe statistics recompute`` after a bulk load), ``check`` confirms them,
and for the province and the county holding the most villages it times, as median and p95 over
repeated runs (and for the whole country, which has no target):

- ``statistics_for`` (the region fetched through scoping plus the selector, as the page and
  the API call it) against the targets of the issue: < 100 ms for a province, < 20 ms for a
  county;
- the same figures counted straight from the records (``direct.counted_from_records``), the
  baseline, and the ratio of the two;
- ``statistics_by_child``, the rows of the report.

The figures of both ways are checked equal. ``--explain`` (or a missed target) prints EXPLAIN
ANALYZE of the selector's queries.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's name is the standard library's ``statistics``: take the standard one first, and
# only then make the bench's helpers (``scratch``) importable, after everything else.
HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [entry for entry in sys.path if entry not in (HERE, "")]
import statistics  # noqa: E402  (the standard library's)

sys.path.append(HERE)

import argparse  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from datetime import date, timedelta  # noqa: E402

from scratch import migrate, scratch_database, server_url, start_django  # noqa: E402

TARGET_MS = {"province": 100.0, "county": 20.0}  # the issue's; none is set for the country
PREFIX = {"country": 0, "province": 2, "county": 6}
NULL = "\\N"
CHUNK = 250_000
VILLAGE_SHARE = 5  # one village in five has filed residents


def load_tree() -> None:
    from django.db import connection

    from wushe.regions import loader

    started = time.perf_counter()
    result = loader.load(loader.read_rows())
    print(f"  tree: {result.total:,} regions in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE regions_region")  # as autovacuum would after a load


def without_indexes(cursor, table: str):
    """Drop a table's secondary indexes and foreign keys for a bulk COPY; returns the SQL that
    puts them back (as PostgreSQL's "Populating a Database" advises)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
        "AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for name, definition in constraints
    ]


def copy_rows(table: str, columns: list[str], lines) -> float:
    """COPY text lines (chunks of them) into ``table`` without its secondary indexes, then
    rebuild them; returns the seconds."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        rebuild = without_indexes(cursor, table)
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for chunk in lines:
                copy.write(chunk)
        for sql in rebuild:
            cursor.execute(sql)
        cursor.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - started


def pick_villages(rng: random.Random) -> list[str]:
    from wushe.regions.codes import Level
    from wushe.regions.models import Region

    codes = Region.objects.filter(level=Level.VILLAGE).values_list("code", flat=True)
    return [code for code in codes.iterator(chunk_size=50_000) if rng.randrange(VILLAGE_SHARE) == 0]


def copy_residents(count: int, villages: list[str], rng: random.Random) -> list[str]:
    """``count`` filed residents over ``villages`` (ids 1..count); returns each one's village.
    Personal columns hold nothing: the statistics never read them."""
    from django.db import connection
    from django.utils import timezone

    from wushe.people.choices import Category

    now = timezone.now().isoformat()
    homes = rng.choices(villages, k=count)
    first_day, days = date(1925, 1, 1), (date(2015, 12, 31) - date(1925, 1, 1)).days
    columns = (
        "id name name_pinyin name_initials gender id_number id_hash birth_date phone phone_hash "
        "region_code address relation guardian_name guardian_relation guardian_phone risk_level "
        "notes health_notes created_at updated_at"
    ).split()

    def lines():
        for start in range(0, count, CHUNK):
            rows = []
            for number in range(start + 1, min(start + CHUNK, count) + 1):
                born = first_day + timedelta(days=rng.randrange(days))
                rows.append(
                    f"{number}\t居民\tjumin\tjm\tmale\t\t{number:064x}\t{born}\t\t\t"
                    f"{homes[number - 1]}\t\t\t\t\t\tlow\t\t\t{now}\t{now}\n"
                )
            yield "".join(rows)

    seconds = copy_rows("people_resident", columns, lines())
    kinds = list(Category.values)

    def categories():
        rows = []
        for number in range(1, count + 1):
            for kind in rng.sample(kinds, rng.choice((0, 1, 1, 2))):
                rows.append(f"{number}\t{kind}\t{homes[number - 1]}\n")
            if len(rows) >= CHUNK:
                yield "".join(rows)
                rows = []
        yield "".join(rows)

    seconds += copy_rows(
        "people_residentcategory", ["resident_id", "category", "region_code"], categories()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('people_resident', 'id'), %s)", [count]
        )
    print(
        f"  residents: {count:,} over {len(villages):,} villages, with categories "
        f"(COPY {seconds:.1f} s)"
    )
    return homes


def copy_visits(count: int, homes: list[str], months: int, user_id: int, rng: random.Random):
    """``count`` home visits of random residents on random days of the last ``months``."""
    from django.utils import timezone

    today = timezone.localdate()
    first = today.replace(day=1)
    for _month in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    days = [str(first + timedelta(days=n)) for n in range((today - first).days + 1)]
    now = timezone.now().isoformat()
    people = len(homes)

    def lines():
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            who = rng.choices(range(people), k=size)
            when = rng.choices(days, k=size)
            yield "".join(
                f"{person + 1}\t{day}\t\t\t{NULL}\t{homes[person]}\t{user_id}\t{now}\n"
                for person, day in zip(who, when, strict=True)
            )

    columns = [
        "resident_id",
        "visited_on",
        "findings",
        "needs_found",
        "next_visit_on",
        "region_code",
        "recorded_by_id",
        "created_at",
    ]
    seconds = copy_rows("casework_homevisit", columns, lines())
    print(f"  visits: {count:,} over {months} months (COPY and index build {seconds:.1f} s)")
    return first, today.replace(day=1)


def busiest(villages: list[str]) -> tuple[str, str]:
    """The province, and the county inside it, holding the most of the chosen villages."""
    from collections import Counter

    provinces = Counter(code[:2] for code in villages)
    province = provinces.most_common(1)[0][0]
    counties = Counter(code[:6] for code in villages if code.startswith(province))
    return province.ljust(12, "0"), counties.most_common(1)[0][0].ljust(12, "0")


def timed(call, runs: int) -> tuple[float, float, list[str]]:
    """(median ms, p95 ms, SQL of one run) of ``call`` after a warm-up call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    samples = []
    for _run in range(runs):
        started = time.perf_counter()
        call()
        samples.append(1000 * (time.perf_counter() - started))
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return statistics.median(samples), p95, [query["sql"] for query in captured]


def explain(queries: list[str]) -> None:
    from django.db import connection

    for sql in queries:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n      ".join(row[0] for row in cursor.fetchall())
        print(f"    {sql[:160]}{'…' if len(sql) > 160 else ''}\n      {plan}")


def build_counters() -> None:
    from wushe.statistics import recompute

    started = time.perf_counter()
    recompute.recompute()
    seconds = time.perf_counter() - started
    print(f"  recompute: every counter built from the records in {seconds:.1f} s")
    started = time.perf_counter()
    found = recompute.check()
    assert not found, found[:10]
    print(f"  check: every counter equals the records ({time.perf_counter() - started:.1f} s)")


def compare(level: str, code: str, user, period: tuple[date, date], args) -> None:
    from wushe.regions.models import Region
    from wushe.statistics.direct import counted_from_records
    from wushe.statistics.selectors import statistics_by_child, statistics_for

    months = {"month_from": period[0], "month_to": period[1]}

    def region():
        return Region.objects.visible_to(user).get(code=code)

    def counters():
        return statistics_for(user=user, region=region(), **months)

    def records():
        return counted_from_records(user=user, region=region(), **months)

    def report_rows():
        return statistics_by_child(user=user, region=region(), **months)

    figures = counters()
    assert figures == records(), (figures, records())
    name = figures.region.name
    print(
        f"  {level} {name} ({code[: PREFIX[level]] or code}): "
        f"{figures.visits:,} visits, {figures.persons:,} filed, {figures.elderly:,} aged 80+ "
        "(equal to the count from the records)"
    )
    median, p95, queries = timed(counters, args.runs)
    base_median, base_p95, _sql = timed(records, max(3, args.runs // 6))
    rows_median, rows_p95, _rows_sql = timed(report_rows, args.runs)
    target = TARGET_MS.get(level)
    verdict = "met" if target is None or p95 < target else "MISSED"
    goal = f"; target < {target:.0f} ms: {verdict}" if target else ""
    print(
        f"    statistics_for      median {median:7.1f} ms  p95 {p95:7.1f} ms  "
        f"({len(queries)} queries{goal})"
    )
    print(
        f"    from the records    median {base_median:7.1f} ms  p95 {base_p95:7.1f} ms  "
        f"(the counters answer {base_median / median:,.0f}× faster)"
    )
    print(f"    statistics_by_child median {rows_median:7.1f} ms  p95 {rows_p95:7.1f} ms")
    if args.explain or verdict == "MISSED":
        explain(queries)


def run(args) -> None:
    from wushe.accounts.models import Role, User
    from wushe.regions.codes import ROOT_CODE

    rng = random.Random(2026)
    load_tree()
    villages = pick_villages(rng)
    worker = User.objects.create(username="bench-worker", region_id=ROOT_CODE, role=Role.WORKER)
    homes = copy_residents(max(1, args.records // 20), villages, rng)
    period = copy_visits(args.records, homes, args.months, worker.pk, rng)
    build_counters()
    user = User.objects.create(username="bench-national", region_id=ROOT_CODE, role=Role.ADMIN)
    province, county = busiest(villages)
    for level, code in (("country", ROOT_CODE), ("province", province), ("county", county)):
        compare(level, code, user, period, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000_000, help="home visits to write")
    parser.add_argument("--months", type=int, default=24, help="months they spread over")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--url", help="PostgreSQL server (default WUSHE_TEST_POSTGRES_URL)")
    parser.add_argument("--scratch", default="wushe_bench_statistics", help="scratch database")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE")
    args = parser.parse_args()
    with scratch_database(server_url(args.url), args.scratch) as database:
        start_django(database)
        migrate()
        print(f"PostgreSQL, scratch database {args.scratch}:")
        run(args)


if __name__ == "__main__":
    main()
