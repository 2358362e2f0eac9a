"""How fast the residents import files a million people, against a raw COPY of the same rows.

    python bench/residents_import.py [--rows 1000000] [--county 440305] [--url postgres://…]
                                     [--scratch NAME] [--sample 20000] [--profile]

Into a scratch PostgreSQL database (created and dropped here): migrate, load one county's
villages, then write a CSV of ``--rows`` generated residents (valid ID numbers from
``identity.make_id_number``, mobile phones, categories, guardians, notes, spread over the
county's villages) to a temporary directory and time, in the same run:

- ``import_residents`` of the whole CSV, as ``wushe import residents`` runs it: reading,
  checking, encryption and keyed hashes (two forked children parse and check blocks of the
  file while the parent finishes each chunk and COPYs its new files, see ``importing.bulk``),
  index rebuild, the 建档人数 counters, commit (target: ≥ 50,000 rows/s), split into those
  stages;
- the same CSV imported again (every row already filed: nothing may change);
- a raw COPY of the rows as stored, into an unindexed copy of people_resident and into one
  indexed like it: the database's own ceiling, and how many times as long the import took;
- Django's ``bulk_create`` of ``--sample`` residents built from parsed rows (the ORM path).

``--profile`` runs the first import under cProfile and prints where the time went (the rows/s
then include the profiler's overhead).
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import csv
import io
import os
import pstats
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from scratch import migrate, scratch_database, server_url, start_django

TARGET_ROWS_PER_SECOND = 50_000
HEADERS = [
    "姓名",
    "性别",
    "身份证号",
    "联系电话",
    "村(社区)代码",
    "住址",
    "困难类别",
    "备注",
    "残疾等级",
    "风险等级",
    "监护人/紧急联系人",
    "监护人电话",
]
# The 100 commonest surnames cover ~85% of people; given names draw from common characters,
# so nearly every name is distinct, as in a real county.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉春梅海云飞鹏辉玲萍燕凤琴"
    "文斌宇浩然思雨欣怡子涵梓轩博文嘉晨俊杰佳琪诗婷晓东丹丹宏伟德福寿永祥瑞庆荣贵富胜利"
)
CATEGORIES = ["", "", "低保", "特困", "低保、独居老人", "空巢老人", "留守儿童", "残疾人，低边"]
STREETS = ["南海大道", "科技园路", "深南大道", "后海大道", "南山大道", "桂庙路", "学府路"]
MOBILE_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152",
                   "155", "157", "158", "159", "186", "187", "188", "189"]  # fmt: skip
DAYS = 32_000  # birth dates over ~88 years


def line(label: str, rows: int, seconds: float) -> None:
    print(f"  {label:<46} {rows:>9,} rows {seconds:7.2f} s {rows / seconds:>10,.0f} rows/s")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def write_csv(path: Path, rows: int, county: str, villages: list[str], rng: random.Random):
    from wushe.people.identity import make_id_number

    first_day = date(1935, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for n in range(rows):
            # (day, n // DAYS) differs for every n: 7919 is prime to DAYS, so this permutes days.
            born = first_day + timedelta(days=(n * 7919) % DAYS)
            number = make_id_number(county, born, (n // DAYS) * 31 % 1000)
            category = rng.choice(CATEGORIES)
            guardian = rng.random() < 0.1
            writer.writerow(
                [
                    rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2)))),
                    rng.choice(("", "男" if int(number[16]) % 2 else "女")),
                    number,
                    rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
                    rng.choice(villages),
                    f"{rng.choice(STREETS)}{rng.randrange(1, 3000)}号",
                    category,
                    "需要定期走访" if rng.random() < 0.3 else "",
                    str(rng.randrange(1, 5)) if "残疾人" in category else "",
                    rng.choice(("", "", "低", "中", "高")),
                    "家属" + rng.choice(GIVEN) if guardian else "",
                    rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}" if guardian else "",
                ]
            )


def setup(county: str):
    from wushe.accounts.models import Role, User
    from wushe.regions import loader
    from wushe.regions.codes import Level
    from wushe.regions.models import Region

    loader.load(loader.read_rows(county))
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith=county).values_list(
            "code", flat=True
        )
    )
    actor = User.objects.create(
        username="bench_admin", region_id=county.ljust(12, "0"), role=Role.ADMIN
    )
    return actor, villages


def time_import(actor, path: Path, rows: int, profile: bool):
    from wushe.people.importing import import_residents

    ended: dict[str, float] = {}  # each stage's last report
    counters = _timed_counters()

    def progress(stage: str, done: int, total: int | None) -> None:
        ended[stage] = time.perf_counter()

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = import_residents(actor=actor, source=path, progress=progress)
    if profiler:
        profiler.disable()
    total = time.perf_counter() - started
    assert result.ok and result.created == rows, (result, list(result.report)[:5])
    line("import (read, check, encrypt, hash, COPY, …)", rows, total)
    if {"check", "index"} <= ended.keys():
        checked, rebuilt = ended["check"], ended["index"]
        line("  reading, checking, encrypting, hashing, COPY", rows, checked - started)
        line("  categories, sequence (after the check)", rows, rebuilt - checked)
        line("  indexes, constraints, ANALYZE, 建档人数, commit", rows, started + total - rebuilt)
        if counters:
            line("    of which the 建档人数 counters", rows, counters[0])
    verdict = "met" if rows / total >= TARGET_ROWS_PER_SECOND else "MISSED"
    print(f"  target: >= {TARGET_ROWS_PER_SECOND:,} rows/s: {verdict} ({rows / total:,.0f})")
    if profiler:
        report = io.StringIO()
        pstats.Stats(profiler, stream=report).sort_stats("tottime").print_stats(25)
        print(report.getvalue())
    return total


def _timed_counters() -> list[float]:
    """The seconds the import spends adding to the 建档人数 counters (a list filled in as the
    import runs)."""
    from wushe.statistics import filed

    spent: list[float] = []
    add = filed.add_by_village

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return add(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    filed.add_by_village = timed
    return spent


def time_reimport(actor, path: Path, rows: int) -> None:
    from wushe.people.importing import import_residents

    started = time.perf_counter()
    result = import_residents(actor=actor, source=path)
    assert result.ok and result.unchanged == rows and not result.created + result.updated
    line("import again (every row filed: no change)", rows, time.perf_counter() - started)


def time_raw_copies(rows: int, imported: float) -> None:
    """The rows as the import stored them, COPYed raw into a table like people_resident."""
    from django.db import connection

    with connection.cursor() as cursor:
        buffer = io.BytesIO()
        with cursor.cursor.copy("COPY people_resident TO STDOUT") as copy:
            for block in copy:
                buffer.write(block)
        data = buffer.getvalue()
        for label, like in (
            ("raw COPY, unindexed table", "INCLUDING DEFAULTS"),
            (
                "raw COPY, table indexed like people_resident",
                "INCLUDING DEFAULTS INCLUDING INDEXES",
            ),
        ):
            cursor.execute("DROP TABLE IF EXISTS bench_raw_residents")
            cursor.execute(f"CREATE TABLE bench_raw_residents (LIKE people_resident {like})")
            started = time.perf_counter()
            with cursor.cursor.copy("COPY bench_raw_residents FROM STDIN") as copy:
                for start in range(0, len(data), 1 << 20):
                    copy.write(data[start : start + (1 << 20)])
            seconds = time.perf_counter() - started
            line(label, rows, seconds)
            print(f"    the import takes {imported / seconds:.1f} times as long")
            cursor.execute("DROP TABLE bench_raw_residents")


def time_bulk_create(villages: list[str], sample: int, rng: random.Random) -> None:
    """The ORM path on a sample: the same checks, then Resident objects and bulk_create."""
    from django.db import transaction
    from django.utils import timezone

    from wushe.people.identity import make_id_number, parse_id_number
    from wushe.people.models import Resident
    from wushe.people.phones import parse_phone
    from wushe.people.services import id_hash_of, name_keys, phone_hash_of

    today = timezone.localdate()
    raw = [
        (
            rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=2)),
            make_id_number("110101", date(1950, 1, 1) + timedelta(days=n % DAYS), n // DAYS),
            rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            rng.choice(villages),
        )
        for n in range(sample)
    ]
    started = time.perf_counter()
    residents = []
    for name, number, phone, village in raw:
        identity = parse_id_number(number, today=today)
        canonical = parse_phone(phone)
        pinyin, initials = name_keys(name)
        residents.append(
            Resident(
                name=name,
                name_pinyin=pinyin,
                name_initials=initials,
                gender=identity.gender,
                id_number=identity.number,
                id_hash=id_hash_of(identity.number),
                birth_date=identity.birth_date,
                phone=canonical,
                phone_hash=phone_hash_of(canonical),
                region_id=village,
            )
        )
    with transaction.atomic():
        Resident.objects.bulk_create(residents, batch_size=1000)
    line("Django bulk_create (sample, same checks)", sample, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--county", default="440305", help="county whose villages get them")
    parser.add_argument("--url", help="PostgreSQL server (default WUSHE_TEST_POSTGRES_URL)")
    parser.add_argument("--scratch", default="wushe_bench_residents", help="scratch database")
    parser.add_argument("--sample", type=int, default=20_000, help="rows for bulk_create")
    parser.add_argument("--profile", action="store_true", help="profile the first import")
    args = parser.parse_args()
    rng = random.Random(7)
    # Throwaway keys: the scratch data dies with the run, and no key file is written here.
    os.environ.setdefault("WUSHE_FIELD_KEYS", "bench:" + base64.b64encode(os.urandom(32)).decode())
    os.environ.setdefault("WUSHE_LOOKUP_KEY", base64.b64encode(os.urandom(32)).decode())
    with (
        scratch_database(server_url(args.url), args.scratch) as database,
        tempfile.TemporaryDirectory(prefix="wushe-bench-") as workdir,
    ):
        start_django(database)
        migrate()
        actor, villages = setup(args.county)
        path = Path(workdir) / "residents.csv"
        started = time.perf_counter()
        write_csv(path, args.rows, args.county, villages, rng)
        size = path.stat().st_size / 2**20
        print(
            f"PostgreSQL, scratch database {args.scratch}: {args.rows:,} residents over "
            f"{len(villages)} villages of {args.county} ({size:.0f} MiB CSV written in "
            f"{time.perf_counter() - started:.1f} s)"
        )
        imported = time_import(actor, path, args.rows, args.profile)
        print(f"  peak memory after the import: {peak_mib():,.0f} MiB")
        time_reimport(actor, path, args.rows)
        time_raw_copies(args.rows, imported)
        time_bulk_create(villages, args.sample, rng)
        print(f"  peak memory of the whole run: {peak_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
