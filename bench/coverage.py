"""How fast the national coverage figures answer, over the whole tree with synthetic sites.

    python bench/coverage.py [--url postgres://…] [--scratch NAME] [--runs 30] [--explain]

Into a scratch PostgreSQL database (created and dropped here): the national tree, then a
station in every township (about 90% operating) and a room in about 60% of villages, written
with COPY, then the coverage counters rebuilt as a bulk writer does (``counters.recount``).
Times what the coverage page asks for the country — the root node, its totals and each of the
31 provinces — for a national administrator, as median and p95 over repeated runs, and checks
the figures against a plain count of the sites. Target (foundation issue): under 100 ms.
``--explain`` (or a missed target) prints EXPLAIN ANALYZE of the queries.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from scratch import migrate, scratch_database, server_url, start_django

TARGET_MS = 100.0
NULL = "\\N"


def load_tree() -> None:
    from wushe.regions import loader

    started = time.perf_counter()
    result = loader.load(loader.read_rows())
    print(f"  tree: {result.total:,} regions in {time.perf_counter() - started:.1f} s")


def site_rows(rng: random.Random) -> list[dict]:
    """A station on every township, a room on ~60% of villages; ~90% of them operating."""
    from wushe.regions.codes import Level
    from wushe.regions.models import Region

    rows = []
    levels = {Level.TOWNSHIP: ("station", 1.0), Level.VILLAGE: ("room", 0.6)}
    regions = Region.objects.filter(level__in=list(levels)).values_list("code", "name", "level")
    for code, name, level in regions.iterator(chunk_size=20_000):
        kind, share = levels[level]
        if rng.random() >= share:
            continue
        status = "operating" if rng.random() < 0.9 else rng.choice(["planned", "suspended"])
        rows.append({"name": f"{name}社工站", "kind": kind, "region_code": code, "status": status})
    return rows


def copy_sites(rows: list[dict]) -> None:
    """COPY straight into regions_site; every other column gets its empty value."""
    from django.db import connection
    from django.db.models import BooleanField
    from django.utils import timezone

    from wushe.regions.models import Site

    now = timezone.now().isoformat()
    fields = [f for f in Site._meta.concrete_fields if not f.primary_key]

    def empty(field) -> str:
        if isinstance(field, BooleanField):
            return "f"
        if field.null:
            return NULL
        return now if field.get_internal_type() == "DateTimeField" else ""

    defaults = {field.column: empty(field) for field in fields}
    columns = [field.column for field in fields]
    text = "".join("\t".join(row.get(c, defaults[c]) for c in columns) + "\n" for row in rows)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY regions_site ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(text)
        cursor.execute("VACUUM ANALYZE regions_site")
        cursor.execute("VACUUM ANALYZE regions_region")
    kinds = {kind: sum(1 for row in rows if row["kind"] == kind) for kind in ("station", "room")}
    print(
        f"  sites: {kinds['station']:,} stations, {kinds['room']:,} rooms "
        f"(COPY {time.perf_counter() - started:.1f} s)"
    )


def national_admin():
    from wushe.accounts.models import Role, User
    from wushe.regions.codes import ROOT_CODE

    return User.objects.create(username="bench-national", region_id=ROOT_CODE, role=Role.ADMIN)


def timed(call, runs: int) -> tuple[float, float, list[str]]:
    """(median ms, p95 ms, SQL of one run) of ``call`` after two warm-up calls."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
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


def run(args) -> None:
    from wushe.regions import counters, selectors
    from wushe.regions.choices import SiteKind, SiteStatus
    from wushe.regions.codes import ROOT_CODE
    from wushe.regions.models import Region, Site

    load_tree()
    copy_sites(site_rows(random.Random(2023)))
    # A bulk writer (COPY) rebuilds the coverage counters afterwards, as `wushe regions recount`.
    started = time.perf_counter()
    counters.recount()
    print(f"  counters rebuilt from the sites in {time.perf_counter() - started:.1f} s")
    user = national_admin()

    def national_page():
        """What the coverage page asks for the country: the node, its totals, each province."""
        root = Region.objects.visible_to(user).get(code=ROOT_CODE)
        return selectors.coverage_of(user=user, region=root), selectors.coverage_by_child(
            user=user, region=root
        )

    checks = [("national coverage (root + 31 provinces)", national_page)]
    national, provinces = national_page()
    operating = Site.objects.filter(status=SiteStatus.OPERATING)
    assert national.stations == operating.filter(kind=SiteKind.STATION).count()
    assert national.rooms == operating.filter(kind=SiteKind.ROOM).count()
    assert sum(row.stations for row in provinces) == national.stations
    print(
        f"  national: {national.stations:,} operating stations / {national.townships:,} "
        f"townships, {national.rooms:,} rooms / {national.villages:,} villages "
        "(checked against a count of the sites)"
    )
    for label, call in checks:
        median, p95, queries = timed(call, args.runs)
        verdict = "met" if p95 < TARGET_MS else "MISSED"
        print(
            f"  {label} median {median:6.1f} ms  p95 {p95:6.1f} ms  "
            f"({len(queries)} queries, {args.runs} runs; target < {TARGET_MS:.0f} ms: {verdict})"
        )
        if args.explain or verdict == "MISSED":
            explain(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="PostgreSQL server (default WUSHE_TEST_POSTGRES_URL)")
    parser.add_argument("--scratch", default="wushe_bench_coverage", help="scratch database")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE")
    args = parser.parse_args()
    with scratch_database(server_url(args.url), args.scratch) as database:
        start_django(database)
        migrate()
        print(f"PostgreSQL, scratch database {args.scratch}:")
        run(args)


if __name__ == "__main__":
    main()
