"""``wushe volunteers expire-points [--today YYYY-MM-DD]``: write off points older than each
region's expiry period (积分过期), as the system; run it daily, e.g. from cron."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wushe.volunteers.expiry import points_expire


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            f"--today {text!r}: expected a date as YYYY-MM-DD / 日期格式应为 YYYY-MM-DD"
        ) from error


class Command(BaseCommand):
    help = "Volunteers (志愿者): expire points past their region's period."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        expire = sub.add_parser(
            "expire-points", help="write expired entries for points past their period (idempotent)"
        )
        expire.add_argument(
            "--today", metavar="YYYY-MM-DD", help="the day to expire as of (default: today)"
        )

    def handle(self, *args, **options):
        today = _day(options["today"]) if options.get("today") else timezone.localdate()
        if today > timezone.localdate():
            raise CommandError("--today cannot be in the future / 日期不能晚于今天")
        written = points_expire(today=today)
        self.stdout.write(f"volunteers: {written} expired entries written as of {today}")
