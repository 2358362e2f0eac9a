"""``wushe report monthly --region CODE --month 2026-10 [--as USERNAME] [--out FILE.xlsx]
[--pdf FILE.pdf]``: the monthly report (月报) of a region as Excel (and PDF).

With ``--as`` the report is the one that user would download (their scope; the audit log names
them); without it, the command reads as the system, which sees the whole tree. Either way the
download is recorded in the audit log as an export.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wushe.accounts.models import Role, User
from wushe.dashboards.forms import parse_month
from wushe.dashboards.monthly import monthly_report, monthly_report_pdf
from wushe.regions.codes import ROOT_CODE, normalize_code
from wushe.regions.models import Region


def system_reader() -> User:
    """An unsaved reader of the whole tree: what a server-side run may see (the audit log
    records it as "system")."""
    root = Region.objects.filter(code=ROOT_CODE).first()
    if root is None:
        raise CommandError("no regions loaded; run `wushe regions load` / 尚未导入区划")
    return User(username="system", region=root, role=Role.AUDITOR)


class Command(BaseCommand):
    help = "Reports: the monthly report (月报) of a region as Excel and PDF."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        month = sub.add_parser("monthly", help="the monthly report of a region")
        month.add_argument("--region", required=True, help="division code, e.g. 440305")
        month.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-10")
        month.add_argument("--as", dest="actor", help="the user whose scope and audit apply")
        month.add_argument("--out", help="the .xlsx to write (default: monthly-report-…xlsx)")
        month.add_argument("--pdf", help="also write the report as this .pdf")

    def handle(self, *args, **opts):
        user = self._user(opts["actor"])
        try:
            month = parse_month(opts["month"])
            code = normalize_code(opts["region"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        region = Region.objects.visible_to(user).filter(code=code).first()
        if region is None:
            raise CommandError(
                f"no region {opts['region']!r} in the scope of {user.username} "
                f"/ 区划 {opts['region']} 不存在或不在该用户的范围内"
            )
        out = Path(opts["out"] or f"monthly-report-{region.display_code}-{month:%Y%m}.xlsx")
        _write(out, monthly_report(user=user, region=region, month=month))
        self.stdout.write(f"{out} written / 已写入 ({region.name} {month:%Y-%m})")
        if opts["pdf"]:
            pdf = Path(opts["pdf"])
            _write(pdf, monthly_report_pdf(user=user, region=region, month=month))
            self.stdout.write(f"{pdf} written / 已写入")

    def _user(self, username: str | None) -> User:
        if not username:
            return system_reader()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or user.is_volunteer or not user.region_id:
            raise CommandError(f"no active user {username!r} / 用户不存在")
        return user


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror} / 无法写入") from None
