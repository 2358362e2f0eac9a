"""``wushe match --station CODE | --county CODE --as USERNAME [--dry-run] [--today DATE]``

Runs matching (供需对接) for the open needs of a station (its township's code) or a county and
prints the proposals (need, supplier, distance, why, next best) and the unmet needs with the
constraint that failed. ``--dry-run`` prints the same and writes nothing.

Exit status: 0 on a run; 2 when it cannot run (an unknown user, a role that may not match, an
unknown station or county, a bad option).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wushe.accounts.models import User
from wushe.matching.describe import need_label, next_best, remedy, supplier_name, why
from wushe.matching.run_services import RunResult, match_run
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import normalize_code
from wushe.regions.models import Region, Site

CANNOT_RUN = 2


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=CANNOT_RUN)


class Command(BaseCommand):
    help = "Match open needs to volunteers and organisations (供需对接) for a station or county."

    def add_arguments(self, parser):
        area = parser.add_mutually_exclusive_group(required=True)
        area.add_argument("--station", metavar="CODE", help="the station's township code")
        area.add_argument("--county", metavar="CODE", help="a county's code")
        parser.add_argument(
            "--as",
            dest="actor",
            required=True,
            help="the user whose scope and audit apply",
        )
        parser.add_argument("--dry-run", action="store_true", help="print only, store nothing")
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="match the week from this day")

    def handle(self, *args, **opts):
        actor = User.objects.filter(username=opts["actor"], is_active=True).first()
        if actor is None:
            raise _fail(f"no active user {opts['actor']!r} / 用户不存在")
        today = self._today(opts["today"])
        station, county = None, None
        try:
            if opts["station"]:
                station = self._station(opts["station"])
            else:
                county = Region.objects.filter(code=normalize_code(opts["county"])).first()
                if county is None:
                    raise _fail("no such county / 区县不存在")
            result = match_run(
                actor=actor,
                station=station,
                county=county,
                dry_run=opts["dry_run"],
                today=today,
            )
        except (PermissionDenied, ValidationError) as error:
            raise _fail("; ".join(getattr(error, "messages", [str(error)]))) from error
        self._print(result)

    def _today(self, raw: str | None) -> date:
        if not raw:
            return timezone.localdate()
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise _fail(f"--today {raw!r} is not a date YYYY-MM-DD / 日期格式错误") from None

    def _station(self, raw: str) -> Site:
        code = normalize_code(raw)
        station = (
            Site.objects.filter(region_id=code, kind=SiteKind.STATION)
            .exclude(status=SiteStatus.CLOSED)
            .first()
        )
        if station is None:
            raise _fail(f"no station at {code} / 该区划没有社工站")
        return station

    def _print(self, result: RunResult) -> None:
        out = self.stdout.write
        run = result.summary
        stored = f"run {result.run.pk}" if result.run else "dry run, nothing stored / 试运行,未保存"
        out(
            f"{stored}: {run.needs_count} open needs, {run.suppliers_count} suppliers, "
            f"{run.met} met ({run.met_urgent} urgent), {run.unmet_count} unmet, "
            f"cost {run.cost}, {run.seconds:.2f} s"
        )
        out("")
        out("proposals / 对接建议:")
        for proposal in result.proposals:
            out(
                f"  {need_label(proposal.need)} -> {supplier_name(proposal.supplier)} "
                f"[{why(proposal)}]; next best: {next_best(proposal)}"
            )
        if not result.proposals:
            out("  (none)")
        out("")
        out("unmet / 未满足:")
        for unmet in result.unmet:
            out(f"  {need_label(unmet.need)}: {unmet.get_reason_display()} — {remedy(unmet)}")
        if not result.unmet:
            out("  (none)")
