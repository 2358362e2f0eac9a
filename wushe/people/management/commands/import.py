"""``wushe import residents FILE --as USERNAME [--station CODE] [--dry-run] [--valid-only]
[--report ERRORS.csv|ERRORS.xlsx]`` and ``wushe import template residents OUT.xlsx``.

Exit status: 0 when every row is good; 1 when any row (or the file) is bad, whether nothing was
written or, with --valid-only, the good rows were; 2 when the command cannot run at all (an
unknown user, a role that may not import, a missing file, a bad option).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from wushe.accounts.models import User
from wushe.core.tabular.writing import extension_of
from wushe.people.importing import import_residents, write_residents_template
from wushe.regions.choices import SiteStatus
from wushe.regions.codes import normalize_code
from wushe.regions.models import Site

SHOWN_ERRORS = 20
BAD_FILE, CANNOT_RUN = 1, 2


class Command(BaseCommand):
    help = "Import residents' files (建档) from an Excel or CSV sheet, or write its template."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        residents = sub.add_parser("residents", help="import residents from FILE.xlsx or .csv")
        residents.add_argument("file", help="the sheet: .xlsx or .csv (UTF-8 or GBK)")
        residents.add_argument(
            "--as", dest="actor", required=True, help="the user whose scope and audit apply"
        )
        residents.add_argument("--station", metavar="CODE", help="the filing station's region")
        residents.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        residents.add_argument(
            "--valid-only", action="store_true", help="write the good rows, skip the bad ones"
        )
        residents.add_argument("--report", metavar="ERRORS", help="write the errors (.csv/.xlsx)")
        residents.add_argument("--no-progress", action="store_true", help="no progress bar")
        template = sub.add_parser("template", help="write the import template")
        template.add_argument("kind", choices=["residents"])
        template.add_argument("out", help="OUT.xlsx or OUT.csv")

    def handle(self, *args, **opts):
        if opts["what"] == "template":
            self._check_extension(opts["out"])
            write_residents_template(opts["out"])
            self.stdout.write(f"template written to {opts['out']} / 模板已写入")
            return
        actor = User.objects.filter(username=opts["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(
                f"no active user {opts['actor']!r} / 用户不存在", returncode=CANNOT_RUN
            )
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no file {path} / 文件不存在", returncode=CANNOT_RUN)
        if opts["report"]:
            self._check_extension(opts["report"])
        station = self._station(actor, opts["station"])
        with _Bars(disabled=opts["no_progress"]) as bars:
            try:
                result = import_residents(
                    actor=actor,
                    source=path,
                    station=station,
                    dry_run=opts["dry_run"],
                    valid_only=opts["valid_only"],
                    progress=bars.update,
                )
            except (PermissionDenied, ValidationError) as error:
                message = "; ".join(getattr(error, "messages", [str(error)]))
                raise CommandError(message, returncode=CANNOT_RUN) from error
        if opts["report"]:
            result.report.write(opts["report"])
        self._summarise(result, opts["report"])

    def _station(self, actor: User, code: str | None) -> Site | None:
        if not code:
            return None
        try:
            region = normalize_code(code)
        except ValidationError:
            region = None
        sites = Site.objects.visible_to(actor).exclude(status=SiteStatus.CLOSED)
        station = sites.filter(region_id=region).first() if region else None
        if station is None:
            raise CommandError(
                f"--station {code}: no open site there in your region / 您的辖区内该代码没有站点",
                returncode=CANNOT_RUN,
            )
        return station

    def _check_extension(self, path: str) -> None:
        try:
            extension_of(path)
        except ValueError:
            raise CommandError(
                f"{path}: expected a .csv or .xlsx name / 文件名应以 .csv 或 .xlsx 结尾",
                returncode=CANNOT_RUN,
            ) from None

    def _summarise(self, result, report_path: str | None) -> None:
        errors = result.report.sorted()
        for error in errors[:SHOWN_ERRORS]:
            where = f"row {error.row}" + (f", {error.column}" if error.column else "")
            self.stderr.write(f"{where}: {error.code}: {error.message_zh} / {error.message_en}")
        if len(errors) > SHOWN_ERRORS:
            more = len(errors) - SHOWN_ERRORS
            hint = f": see {report_path}" if report_path else ": write them all with --report"
            self.stderr.write(f"… {more} more errors{hint}")
        if result.mode == "dry_run":
            done = f"{result.to_create} to create, {result.to_update} to update"
        else:
            done = f"{result.created} created, {result.updated} updated"
        self.stdout.write(
            f"{result.file_name}: {result.rows} rows, {done}, {result.unchanged} unchanged, "
            f"{result.rejected} with errors ({_outcome(result)})"
        )
        if not result.ok:
            raise CommandError(_failure(result), returncode=BAD_FILE)


def _outcome(result) -> str:
    if result.written:
        return "written" if result.created or result.updated else "nothing to change"
    if result.mode == "dry_run":
        return "dry run, nothing written"
    return "nothing written"


def _failure(result) -> str:
    if result.fatal:
        return "the file cannot be imported: nothing written / 文件无法导入，未写入任何数据"
    if result.written:
        return (
            f"{result.rejected} rows with errors were skipped; the others were written "
            f"/ {result.rejected} 行有错误已跳过，其余已写入"
        )
    if result.mode == "dry_run":
        return f"{result.rejected} rows with errors / {result.rejected} 行有错误"
    if result.rejected:
        return (
            f"{result.rejected} rows with errors: nothing written "
            f"/ {result.rejected} 行有错误，未写入任何数据"
        )
    return "nothing written / 未写入任何数据"


class _Bars:
    """tqdm bars for the import's stages ("check", "write"), on standard error."""

    def __init__(self, disabled: bool) -> None:
        self.disabled = disabled
        self.bars: dict[str, tqdm] = {}

    def update(self, stage: str, done: int, total: int | None) -> None:
        if stage == "index":  # one long statement after another: no rows to count
            if not self.disabled:
                tqdm.write("rebuilding indexes and checking constraints… / 正在重建索引…")
            return
        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(
                desc=stage, unit=" rows", disable=self.disabled, mininterval=0.5
            )
        if total is not None and total != bar.total:
            bar.total = total
        bar.update(done - bar.n)

    def __enter__(self) -> _Bars:
        return self

    def __exit__(self, *exc_info) -> None:
        for bar in self.bars.values():
            bar.close()
