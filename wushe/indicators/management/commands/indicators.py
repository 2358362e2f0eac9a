"""``wushe indicators seed | import FILE --as USERNAME [--dry-run] [--valid-only]
[--report ERRORS.csv|.xlsx] | template OUT.xlsx | recompute | check | snapshot [--month M]``.

- ``seed``: the built-in data elements and plan indicators, and the provinces' targets for the
  provinces that are loaded (idempotent: run it again after loading more regions);
- ``import``: yearly figures (填报值) from Excel or CSV, as the user (scope and audit apply).
  Exit status 0 when every row is good, 1 when any row or the file is bad, 2 when the command
  cannot run (unknown user, a role that may not enter figures, no such file);
- ``recompute`` / ``check``: rebuild the entered totals from the entries, or list where they
  disagree (exit status 1);
- ``snapshot``: store the present figures of the stocks that hold the present only (social
  workers, volunteers, filed residents …) as the current month's month-end figures (月末数),
  replacing the month's earlier run. Run it daily from cron: the month's last run stands as
  its end. ``--month`` may only name the current month (a month that has ended: exit status 2).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from wushe.accounts.models import User
from wushe.indicators import seed, services, totals
from wushe.indicators.importing import import_entered_values, write_values_template
from wushe.indicators.periods import Period

BAD_FILE, CANNOT_RUN = 1, 2
SHOWN_ERRORS = 50
EXTENSIONS = (".xlsx", ".csv")


class Command(BaseCommand):
    help = (
        "Indicators: seed the built-in set, import yearly figures, rebuild or check totals, "
        "take the month-end snapshot."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("seed", help="add the built-in elements, indicators and targets")
        load = sub.add_parser("import", help="import yearly figures from .xlsx or .csv")
        load.add_argument("file")
        load.add_argument("--as", dest="actor", required=True, help="the user importing")
        load.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        load.add_argument("--valid-only", action="store_true", help="write the good rows only")
        load.add_argument("--report", metavar="ERRORS", help="write the errors (.csv/.xlsx)")
        template = sub.add_parser("template", help="write the import template")
        template.add_argument("out", help="OUT.xlsx or OUT.csv")
        sub.add_parser("recompute", help="rebuild the entered totals from the entries")
        sub.add_parser("check", help="list entered totals that disagree with the entries")
        snapshot = sub.add_parser(
            "snapshot", help="store the present stocks as this month's month-end figures"
        )
        snapshot.add_argument("--month", help="YYYY-MM: the current month only (the default)")

    def handle(self, *args, **opts):
        getattr(self, f"_{opts['what']}")(opts)

    def _seed(self, opts) -> None:
        done = seed.seed()
        self.stdout.write(
            f"indicators: {done.elements} elements, {done.indicators} indicators, "
            f"{done.targets} targets added; {done.skipped_targets} targets wait for their "
            f"province to be loaded / 新增数据元 {done.elements} 个、指标 {done.indicators} 个、"
            f"目标 {done.targets} 个"
        )

    def _template(self, opts) -> None:
        _check_extension(opts["out"])
        write_values_template(opts["out"])
        self.stdout.write(f"template written to {opts['out']} / 模板已写入")

    def _recompute(self, opts) -> None:
        totals.recompute()
        self.stdout.write("indicators: entered totals rebuilt / 填报汇总已重建")

    def _check(self, opts) -> None:
        found = totals.check()
        for element, region, year, stored, expected in found[:SHOWN_ERRORS]:
            self.stdout.write(f"{element} {region} {year}: stored {stored}, entries say {expected}")
        if found:
            raise CommandError(f"{len(found)} totals disagree / 汇总不一致", returncode=BAD_FILE)
        self.stdout.write("indicators: every total equals the entries / 填报汇总一致")

    def _snapshot(self, opts) -> None:
        month = None
        if opts["month"]:
            try:
                period = Period.parse(opts["month"])
            except ValidationError as error:
                raise CommandError(_both(error), returncode=CANNOT_RUN) from error
            if period.start != period.end:
                raise CommandError(
                    f"{opts['month']}: name one month (YYYY-MM) / 请指定一个月份（YYYY-MM）",
                    returncode=CANNOT_RUN,
                )
            month = period.end
        try:
            taken = services.snapshot_month(month=month)
        except ValidationError as error:
            raise CommandError(_both(error), returncode=CANNOT_RUN) from error
        self.stdout.write(
            f"indicators: month-end figures of {taken.month:%Y-%m} stored: "
            f"{len(taken.elements)} elements, {taken.rows} rows, {taken.milliseconds:.0f} ms / "
            f"已保存 {taken.month:%Y-%m} 月末数：数据元 {len(taken.elements)} 个，"
            f"{taken.rows} 行，用时 {taken.milliseconds:.0f} 毫秒"
        )
        self.stdout.write(f"  {', '.join(taken.elements)}")
        if taken.unavailable:
            self.stdout.write(
                f"  not installed, no figures / 未安装，无数据: {', '.join(taken.unavailable)}"
            )

    def _import(self, opts) -> None:
        actor = User.objects.filter(username=opts["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(
                f"no active user {opts['actor']!r} / 用户不存在", returncode=CANNOT_RUN
            )
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no file {path} / 文件不存在", returncode=CANNOT_RUN)
        if opts["report"]:
            _check_extension(opts["report"])
        try:
            result = import_entered_values(
                actor=actor,
                source=path,
                file_name=path.name,
                dry_run=opts["dry_run"],
                valid_only=opts["valid_only"],
            )
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=CANNOT_RUN) from error
        if opts["report"]:
            result.report.write(opts["report"])
        errors = result.report.sorted()
        for error in errors[:SHOWN_ERRORS]:
            where = f"row {error.row}" + (f", {error.column}" if error.column else "")
            self.stderr.write(f"{where}: {error.code}: {error.message_zh} / {error.message_en}")
        if len(errors) > SHOWN_ERRORS:
            self.stderr.write(f"… {len(errors) - SHOWN_ERRORS} more errors (--report writes all)")
        if opts["dry_run"]:
            done = f"{result.to_create} to create, {result.to_update} to update"
        else:
            done = f"{result.created} created, {result.updated} updated"
        outcome = "written" if result.written else "nothing written"
        self.stdout.write(
            f"{path.name}: {result.rows} rows, {done}, {result.unchanged} unchanged, "
            f"{result.rejected} with errors ({outcome}) / 共 {result.rows} 行"
        )
        if result.fatal:
            raise CommandError(
                "the file cannot be imported: nothing written / 文件无法导入，未写入任何数据",
                returncode=BAD_FILE,
            )
        if not result.ok:
            raise CommandError(
                f"{result.rejected} rows with errors / {result.rejected} 行有错误"
                + ("" if result.written else "，未写入任何数据"),
                returncode=BAD_FILE,
            )


def _both(error: ValidationError) -> str:
    """The error in English and in Chinese, as the other messages here are written."""
    found = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            found.append(" ".join(error.messages))
    return " / ".join(found)


def _check_extension(path: str) -> None:
    if not path.lower().endswith(EXTENSIONS):
        raise CommandError(
            f"{path}: expected a .csv or .xlsx name / 文件名应以 .csv 或 .xlsx 结尾",
            returncode=CANNOT_RUN,
        )
