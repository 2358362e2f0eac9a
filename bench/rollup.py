"""How fast an indicator answers for the country and for a county, against DuckDB scanning the
same rows.

    python bench/rollup.py [--records 10000000] [--months 24] [--runs 30]
                           [--url postgres://…] [--scratch NAME] [--explain] [--keep]

``--keep`` leaves the scratch database in place, and a later run with ``--keep`` times it
again without loading (loading ten million records takes minutes; the timings want a quiet
machine).

Into a scratch PostgreSQL database (created and dropped here): the national tree (about
600,000 villages), a station in every township and a room in 60% of villages (``coverage``'s
generator), ``--records`` home visits of ``--records``/20 filed residents (``service_statistics``'
generator, COPY), the counters rebuilt from the records, and 60 岁以上老年人口 (elderly_60)
imported as yearly figures for every county through the real import. The indicator is
"home visits per 1,000 residents aged 60 or over" (records over entered figures), plus the
built-in township station coverage.

Timed, as median and p95 over repeated runs, selector included (the region and indicator
fetched through scoping, ``indicator_value`` of the region and ``indicator_by_child`` of its
children):

- the national dashboard: the country and its 31 provinces — target < 50 ms;
- the busiest county and its townships — target < 10 ms;
- the month-end snapshot (``wushe indicators snapshot``, a daily cron job), for information:
  the filed residents' counters copied for the current month, a stock in every village (as
  volunteers or social workers everywhere would be) rolled up the tree and COPYed, and a
  past month's provinces read back;
- DuckDB computing the same national rollup (visits by province over the period, the
  counties' figures summed by province, divided) from the raw records exported to Parquet:
  the reference, and the ratio (target ≥ 10×). The numerators and denominators of both ways are
  checked equal.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _sibling(name: str):
    """Another bench's module by its path (``coverage`` would otherwise be coverage.py's)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sys.path.insert(0, str(HERE))
from scratch import (  # noqa: E402
    migrate,
    scratch_database,
    server_url,
    start_django,
    with_database,
)

service_statistics = _sibling("service_statistics")
coverage = _sibling("coverage")

TARGET_MS = {"country": 50.0, "county": 10.0}
TARGET_RATIO = 10.0
INDICATOR = "bench_visits_per_1000_elderly"


def load(args, rng):
    """The tree, sites, residents, visits and counters; returns the period of the visits."""
    from wushe.accounts.models import Role, User
    from wushe.regions import counters
    from wushe.regions.codes import ROOT_CODE

    service_statistics.load_tree()
    started = time.perf_counter()
    coverage.copy_sites(coverage.site_rows(rng))
    counters.recount()
    print(
        f"  sites: stations and rooms with their counters in {time.perf_counter() - started:.1f} s"
    )
    villages = service_statistics.pick_villages(rng)
    worker = User.objects.create(username="bench-worker", region_id=ROOT_CODE, role=Role.WORKER)
    homes = service_statistics.copy_residents(max(1, args.records // 20), villages, rng)
    period = service_statistics.copy_visits(args.records, homes, args.months, worker.pk, rng)
    service_statistics.build_counters()
    return villages, period


def import_elderly(user, rng, year: int) -> None:
    """60 岁以上老年人口 of every county, through the import a bureau would use."""
    import csv

    from wushe.indicators import totals
    from wushe.indicators.importing import import_entered_values
    from wushe.regions.codes import Level
    from wushe.regions.models import Region

    counties = Region.objects.filter(level=Level.COUNTY).values_list("code", "name")
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["区划代码", "区划名称", "年份", "数据元", "数值"])
        for code, name in counties.iterator():
            writer.writerow([code[:6], name, year, "elderly_60", rng.randrange(20_000, 300_000)])
        path = f.name
    started = time.perf_counter()
    result = import_entered_values(actor=user, source=path, file_name="elderly.csv")
    seconds = time.perf_counter() - started
    assert result.ok and result.written, result.report.sorted()[:5]
    assert totals.check() == []
    print(
        f"  elderly_60: {result.created:,} counties imported with their totals in {seconds:.1f} s "
        "(totals equal a rebuild from the entries)"
    )


def timed(call, runs: int) -> tuple[float, float, list[str]]:
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


def dashboard(user, code: str, indicator_code: str, period):
    """What a dashboard of one indicator asks: the region and the indicator through scoping,
    the region's value and its children's (``indicator_with_children``)."""
    from wushe.indicators import selectors
    from wushe.regions.models import Region

    def call():
        region = Region.objects.visible_to(user).get(code=code)
        indicator = selectors.indicator_for(user=user, code=indicator_code)
        asked = {"user": user, "indicator": indicator, "region": region, "period": period}
        return selectors.indicator_with_children(**asked)

    return call


def whole_dashboard(user, code: str, indicator_code: str, month):
    """Everything the dashboard page reads (``dashboards.selectors.dashboard``): the ten KPI
    tiles, the ranking of the children, twelve months of trend, the children's coverage and
    the breadcrumb, for the year to date of ``month``."""
    from wushe.dashboards import selectors as dashboards
    from wushe.indicators import selectors
    from wushe.regions.models import Region

    def call():
        region = Region.objects.visible_to(user).get(code=code)
        indicator = selectors.indicator_for(user=user, code=indicator_code)
        asked = dashboards.Asked(region=region, indicator=indicator, month=month)
        return dashboards.dashboard(user=user, asked=asked)

    return call


def month_end_snapshot(runs: int) -> None:
    """Time ``snapshots.take`` (the bench files residents: their counters are copied), the
    per-village path of volunteers and social workers (the bench has neither: one figure in
    every village, rolled up and COPYed in a transaction rolled back), and a read."""
    from django.db import transaction

    from wushe.indicators import snapshots
    from wushe.indicators.elements import rolled_up
    from wushe.indicators.models import StockSnapshot
    from wushe.regions.codes import ROOT_CODE, Level
    from wushe.regions.models import Region

    taken = snapshots.take()
    print(
        f"    {taken.month:%Y-%m}, {len(taken.elements)} elements: {taken.rows:,} rows in "
        f"{taken.milliseconds / 1000:.1f} s (filed residents' counters, copied in the database)"
    )
    villages = Region.objects.filter(level=Level.VILLAGE).values_list("code", flat=True)
    with transaction.atomic():
        StockSnapshot.objects.filter(element_id="volunteers", month=taken.month).delete()
        started = time.perf_counter()
        rows = rolled_up((code, 1) for code in villages.iterator())
        rolled = time.perf_counter() - started
        written = snapshots._write("volunteers", taken.month, rows)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    print(
        f"    one figure in each village: {written:,} subtree rows, rolled up in {rolled:.1f} s, "
        f"with the COPY {seconds:.1f} s per element"
    )
    provinces = list(Region.objects.filter(parent_id=ROOT_CODE).values_list("code", flat=True))
    median, p95, queries = timed(
        lambda: snapshots.read("residents_filed", [ROOT_CODE, *provinces], taken.month), runs
    )
    print(
        f"    read back, the country and its {len(provinces)} provinces: median {median:.2f} ms "
        f"p95 {p95:.2f} ms ({len(queries)} queries)"
    )


def duckdb_reference(period, year: int, runs: int):
    """DuckDB: the national rollup from the raw visits and the counties' figures (Parquet)."""
    import duckdb
    from django.db import connection

    folder = Path(tempfile.mkdtemp(prefix="wushe-rollup-"))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for name, sql in (
            ("visits", "SELECT region_code, visited_on FROM casework_homevisit"),
            (
                "entered",
                "SELECT region_code, year, element_id AS element, value "
                "FROM indicators_enteredvalue",
            ),
        ):
            with (folder / f"{name}.csv").open("wb") as out:
                with cursor.cursor.copy(
                    f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)"
                ) as copy:
                    for chunk in copy:
                        out.write(chunk)
    db = duckdb.connect()
    for name in ("visits", "entered"):
        db.execute(
            f"COPY (SELECT * FROM read_csv_auto('{folder}/{name}.csv', all_varchar=false, "
            f"types={{'region_code': 'VARCHAR'}})) TO '{folder}/{name}.parquet' (FORMAT parquet)"
        )
        (folder / f"{name}.csv").unlink()
    seconds = time.perf_counter() - started
    print(f"  DuckDB {duckdb.__version__}: records exported to Parquet in {seconds:.1f} s")
    from wushe.indicators.periods import add_months

    end = add_months(period.end, 1)  # the period's dates are before it
    sql = f"""
        WITH v AS (
            SELECT substr(region_code, 1, 2) AS p, count(*) AS n FROM '{folder}/visits.parquet'
            WHERE visited_on >= DATE '{period.start}' AND visited_on < DATE '{end}'
            GROUP BY 1),
        e AS (
            SELECT substr(region_code, 1, 2) AS p, sum(value) AS d FROM '{folder}/entered.parquet'
            WHERE element = 'elderly_60' AND year = {year} GROUP BY 1)
        SELECT coalesce(v.p, e.p) AS p, coalesce(n, 0) AS n, d, n / d * 1000 AS value
        FROM v FULL JOIN e ON v.p = e.p ORDER BY 1
    """
    found = db.execute(sql).fetchall()
    samples = []
    for _run in range(runs):
        started = time.perf_counter()
        db.execute(sql).fetchall()
        samples.append(1000 * (time.perf_counter() - started))
    return {p: (n, d) for p, n, d, _value in found}, statistics.median(samples), min(samples)


def report(level: str, name: str, median: float, p95: float, queries: int) -> bool:
    target = TARGET_MS[level]
    verdict = "met" if p95 < target else "MISSED"
    print(
        f"    {level} {name}: median {median:6.2f} ms  p95 {p95:6.2f} ms  ({queries} queries; "
        f"target < {target:.0f} ms: {verdict})"
    )
    return verdict == "met"


def prepare(args):
    """Load everything, or find it loaded by an earlier ``--keep`` run; returns the user, the
    period of the visits and the figures' year."""
    import random

    from django.db.models import Max, Min

    from wushe.accounts.models import Role, User
    from wushe.casework.models import HomeVisit
    from wushe.indicators import services
    from wushe.indicators.models import EnteredValue
    from wushe.indicators.periods import Period
    from wushe.regions.codes import ROOT_CODE

    user = User.objects.filter(username="bench-national").first()
    if user is not None and EnteredValue.objects.exists():
        print("  (loaded by an earlier run: timings only)")
        span = HomeVisit.objects.aggregate(first=Min("visited_on"), last=Max("visited_on"))
        year = EnteredValue.objects.values_list("year", flat=True).first()
        return user, Period(span["first"].replace(day=1), span["last"].replace(day=1)), year
    rng = random.Random(2026)
    _villages, (first, last) = load(args, rng)
    user = User.objects.create(username="bench-national", region_id=ROOT_CODE, role=Role.ADMIN)
    import_elderly(user, rng, last.year)
    services.indicator_create(
        actor=user,
        code=INDICATOR,
        name_zh="每千名老年人入户走访次数",
        numerator="visits",
        denominator="elderly_60",
        factor=1000,
    )
    return user, Period(first, last), last.year


def busiest_county() -> str:
    """The county with the most home visits (its tally row holds its subtree)."""
    from django.db.models import Sum

    from wushe.regions.codes import Level
    from wushe.regions.models import Region
    from wushe.statistics.models import Tally

    counties = Region.objects.filter(level=Level.COUNTY).values("code")
    rows = (
        Tally.objects.filter(metric="visits", region_code__in=counties)
        .values_list("region_code")
        .annotate(n=Sum("value"))
        .order_by("-n")
    )
    return rows.first()[0]


def run(args) -> None:
    from django.db import connection

    from wushe.regions.codes import ROOT_CODE

    user, period, year = prepare(args)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    county = busiest_county()
    print(f"  period {period}; {args.runs} runs each")
    met = True
    found: dict[str, tuple] = {}
    for indicator in (INDICATOR, "station_coverage"):
        print(f"  {indicator}:")
        for level, code in (("country", ROOT_CODE), ("county", county)):
            call = dashboard(user, code, indicator, period)
            total, children = call()
            if level == "country" and indicator == INDICATOR:
                found = {c.region.code[:2]: (c.numerator, c.denominator) for c in children}
                print(
                    f"    the country: {total.numerator:,} visits / {total.denominator:,} aged "
                    f"60+ × 1000 = {total.value:.2f}; {len(children)} provinces"
                )
            median, p95, queries = timed(call, args.runs)
            name = total.region.name
            met &= report(level, f"{name} + {len(children)} children", median, p95, len(queries))
            if args.explain or p95 >= TARGET_MS[level]:
                service_statistics.explain(queries)
            if level == "country" and indicator == INDICATOR:
                national_ms = median
    print(
        "  the whole dashboard page's reads (10 tiles, ranking, 12-month trend, coverage; "
        "more than the issue's one indicator, for information):"
    )
    for level, code in (("country", ROOT_CODE), ("county", county)):
        call = whole_dashboard(user, code, INDICATOR, period.end)
        median, p95, queries = timed(call, args.runs)
        # No verdict: the targets are for one indicator, not for the whole page.
        print(
            f"    {level} {call()['region']['name']}: median {median:6.2f} ms  "
            f"p95 {p95:6.2f} ms  ({len(queries)} queries)"
        )
    print("  the month-end snapshot (a daily cron job; for information):")
    month_end_snapshot(args.runs)
    duck, duck_median, duck_best = duckdb_reference(period, year, max(3, args.runs // 6))
    assert all(
        duck.get(p, (0, None))[0] == n and (d is None or duck[p][1] == d)
        for p, (n, d) in found.items()
    ), (found, duck)
    ratio = duck_median / national_ms
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    print(
        f"    DuckDB, the same national rollup from the raw records: median {duck_median:.0f} ms "
        f"(best {duck_best:.0f} ms), equal figures per province"
    )
    print(
        f"    ratio: the counters answer {ratio:,.0f}× faster "
        f"(target ≥ {TARGET_RATIO:.0f}×: {verdict})"
    )
    if not met or verdict != "met":
        print("  some target MISSED")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000_000, help="home visits to write")
    parser.add_argument("--months", type=int, default=24, help="months they spread over")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--url", help="PostgreSQL server (default WUSHE_TEST_POSTGRES_URL)")
    parser.add_argument("--scratch", default="wushe_bench_rollup", help="scratch database")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE")
    parser.add_argument("--keep", action="store_true", help="keep (or reuse) the scratch database")
    args = parser.parse_args()
    server = server_url(args.url)
    if args.keep:
        database = with_database(server, args.scratch)
        if not _exists(server, args.scratch):
            _create(server, args.scratch)
        start_django(database)
        migrate()
        print(f"PostgreSQL, scratch database {args.scratch} (kept):")
        run(args)
        return
    with scratch_database(server, args.scratch) as database:
        start_django(database)
        migrate()
        print(f"PostgreSQL, scratch database {args.scratch}:")
        run(args)


def _exists(server: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(with_database(server, "postgres"), autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def _create(server: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(with_database(server, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
