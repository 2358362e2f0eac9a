"""How fast the national region tree loads, against a raw COPY of the same rows.

    python bench/regions_load.py [--url postgres://…] [--scratch NAME] [--sqlite]

Into a scratch PostgreSQL database (created and dropped here): migrate, then time
``loader.load`` of the whole country (read + load, and the load alone), a second, idempotent
run, and a plain COPY of the same rows into an unindexed table. Targets (foundation issue): the
whole country in under 10 s and at least 25% of the raw COPY rate; SQLite (``--sqlite``) in
under 30 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scratch import migrate, scratch_database, server_url, start_django

TARGET_SECONDS = {"postgresql": 10.0, "sqlite": 30.0}
TARGET_COPY_SHARE = 0.25
NULL = "\\N"  # COPY's text format
COLUMNS = "code, name, level, parent_id, township_count, village_count"


def line(label: str, rows: int, seconds: float) -> None:
    print(f"  {label:<38} {rows:>8,} rows {seconds:7.2f} s {rows / seconds:>10,.0f} rows/s")


def time_loads() -> tuple[list, float, float]:
    """Two loads of the whole country, timed; returns the rows and the first run's seconds
    for reading and for loading."""
    from wushe.regions import loader

    started = time.perf_counter()
    rows = list(loader.read_rows())
    read = time.perf_counter() - started
    result = loader.load(iter(rows))
    total = time.perf_counter() - started
    assert result.created == len(rows), result
    line("read + load (first run)", len(rows), total)
    line("  read the shipped files", len(rows), read)
    line("  load alone", len(rows), total - read)
    started = time.perf_counter()
    again = loader.load(loader.read_rows())
    line("read + load (second run, no change)", again.total, time.perf_counter() - started)
    assert again.created == again.updated == 0, again
    check("whole country", total, TARGET_SECONDS[vendor()])
    return rows, read, total - read


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def check(what: str, seconds: float, limit: float) -> None:
    verdict = "met" if seconds < limit else "MISSED"
    print(f"  target: {what} < {limit:.0f} s: {verdict} ({seconds:.2f} s)")


def copy_text(rows: list) -> str:
    """COPY's text format of the rows with their subtree counts, as the loader writes them."""
    from wushe.regions import loader

    counts = loader.subtree_counts({code: level for code, _n, level, _p in rows})
    lines = []
    for code, name, level, parent in rows:
        townships, villages = counts.get(code, (0, 0))
        lines.append(f"{code}\t{name}\t{level}\t{parent or NULL}\t{townships}\t{villages}\n")
    return "".join(lines)


def copy_into(table: str, like: str, text: str) -> float:
    """Seconds to COPY ``text`` into a fresh ``table`` (CREATE TABLE … (LIKE …)); best of two,
    since one COPY can land on a checkpoint."""
    from django.db import connection

    best = float("inf")
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TABLE {table} (LIKE regions_region {like})")
            started = time.perf_counter()
            with cursor.cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy:
                copy.write(text)
            best = min(best, time.perf_counter() - started)
            cursor.execute(f"DROP TABLE {table}")
    return best


def time_raw_copies(rows: list) -> tuple[float, float, float]:
    """The database's ceiling: the same rows COPYed raw into an unindexed table, alone and
    with the reading and formatting; and, to show what indexes cost, into a table indexed like
    regions_region. Returns (COPY alone, read + format + COPY, COPY into the indexed table)."""
    from wushe.regions import loader

    text = copy_text(rows)
    raw = copy_into("bench_raw_regions", "INCLUDING DEFAULTS", text)
    line("raw COPY, unindexed table", len(rows), raw)
    started = time.perf_counter()
    read_text = copy_text(list(loader.read_rows()))
    prepare = time.perf_counter() - started
    line("read + format + raw COPY", len(rows), prepare + raw)
    indexed = copy_into("bench_indexed_regions", "INCLUDING DEFAULTS INCLUDING INDEXES", read_text)
    line("raw COPY, indexed like regions_region", len(rows), indexed)
    return raw, prepare + raw, indexed


def share(label: str, reference: float, measured: float) -> None:
    ratio = reference / measured
    verdict = "met" if ratio >= TARGET_COPY_SHARE else "MISSED"
    print(f"  {label}: {ratio:.0%} of the raw COPY rate (target >= 25%: {verdict})")


def run_postgresql(args) -> None:
    url = server_url(args.url)
    with scratch_database(url, args.scratch) as database:
        start_django(database)
        migrate()
        print(f"PostgreSQL, scratch database {args.scratch}:")
        rows, read_seconds, load_seconds = time_loads()
        raw, read_raw, indexed = time_raw_copies(rows)
        share("read + load vs read + format + COPY", read_raw, read_seconds + load_seconds)
        share("load alone vs COPY alone (unindexed)", raw, load_seconds)
        share("load alone vs COPY alone (indexed like regions_region)", indexed, load_seconds)


def run_sqlite() -> None:
    with tempfile.TemporaryDirectory(prefix="wushe-bench-") as workdir:
        start_django(f"sqlite:///{Path(workdir) / 'bench.sqlite3'}")
        migrate()
        print("SQLite, scratch file:")
        time_loads()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="PostgreSQL server (default WUSHE_TEST_POSTGRES_URL)")
    parser.add_argument("--scratch", default="wushe_bench_regions", help="scratch database")
    parser.add_argument("--sqlite", action="store_true", help="also time SQLite")
    parser.add_argument("--only-sqlite", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only_sqlite:
        run_sqlite()
        return
    run_postgresql(args)
    if args.sqlite:
        # Django is configured once per process: SQLite gets a process of its own.
        subprocess.run(
            [sys.executable, __file__, "--only-sqlite"], check=True, env=dict(os.environ)
        )


if __name__ == "__main__":
    main()
