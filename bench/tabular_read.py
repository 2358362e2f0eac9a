"""How fast the generic table reader streams a large CSV (no database).

    python bench/tabular_read.py [--rows 1000000] [--encoding utf-8|utf-8-sig|gbk] [--xlsx N]

Writes a resident-shaped CSV (name, ID number, phone, village code, categories, a note) to a
temporary directory, then times ``read_table`` over it: opening (which checks the encoding
to the end of the file) and iterating every row. Prints rows/s and the process's peak memory,
which stays flat however many rows there are. ``--xlsx N`` also times a workbook of N rows,
written by openpyxl: it stores inline strings, which openpyxl reads about twice as slowly as
the shared strings Excel writes, so that figure is a lower bound.
No target is asserted: the import bench (bench/residents_import.py) owns the end-to-end one.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

# The benches run from a checkout: make ``wushe`` importable without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wushe.core.tabular import Column, read_table  # noqa: E402

HEADERS = ["姓名", "性别", "身份证号", "联系电话", "村(社区)代码", "住址", "困难类别", "备注"]
COLUMNS = [
    Column("姓名"),
    Column("性别"),
    Column("身份证号", aliases=("身份证号码",), text_only=True),
    Column("联系电话"),
    Column("村(社区)代码"),
    Column("住址", required=False),
    Column("困难类别", required=False),
    Column("备注", required=False),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
CATEGORIES = ["低保", "特困", "高龄", "独居老人", "留守儿童", "残疾人", "低保、残疾人"]


def write_csv(path: Path, rows: int, encoding: str) -> None:
    rng = random.Random(3)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for n in range(rows):
            writer.writerow(
                [
                    rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    rng.choice("男女"),
                    f"44030519{rng.randrange(40, 99)}0101{n % 10000:04d}",
                    f"13{rng.randrange(10**9):09d}",
                    f"440305007{rng.randrange(1, 30):03d}",
                    f"深圳市南山区粤海街道{rng.randrange(1, 200)}号",
                    rng.choice(CATEGORIES),
                    "" if n % 3 else "需要定期走访",
                ]
            )


def write_xlsx(path: Path, source: Path, rows: int, encoding: str) -> None:
    from openpyxl import Workbook

    # The normal (not write-only) mode writes what Excel writes: shared strings and the
    # sheet's dimension. Without a dimension openpyxl parses the whole sheet once on opening.
    workbook = Workbook()
    sheet = workbook.active
    with source.open(encoding=encoding, newline="") as handle:
        for n, row in enumerate(csv.reader(handle)):
            if n > rows:
                break
            sheet.append(row)
    workbook.save(path)


def time_read(path: Path, label: str) -> None:
    started = time.perf_counter()
    table = read_table(path, columns=COLUMNS)
    opened = time.perf_counter() - started
    assert table.usable, list(table.errors)
    count = sum(1 for _ in table)
    total = time.perf_counter() - started
    size = path.stat().st_size / 2**20
    print(
        f"  {label:<28} {count:>9,} rows {size:7.1f} MiB  open {opened:5.2f} s  "
        f"total {total:6.2f} s  {count / total:>9,.0f} rows/s  "
        f"(encoding {table.encoding or '-'}, {len(table.errors)} errors)"
    )


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--encoding", default="utf-8-sig", choices=["utf-8", "utf-8-sig", "gbk"])
    parser.add_argument("--xlsx", type=int, default=0, metavar="N")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "residents.csv"
        started = time.perf_counter()
        write_csv(path, args.rows, args.encoding)
        print(f"wrote {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
        before = peak_mib()
        time_read(path, f"read_table CSV ({args.encoding})")
        print(f"  peak memory {peak_mib():.0f} MiB (after writing the file: {before:.0f} MiB)")
        if args.xlsx:
            workbook = Path(directory) / "residents.xlsx"
            write_xlsx(workbook, path, args.xlsx, args.encoding)
            time_read(workbook, "read_table xlsx")


if __name__ == "__main__":
    main()
