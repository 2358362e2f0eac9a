"""``wushe regionpoints load FILE.csv --as USERNAME``: import the positions of villages and
townships (code, latitude, longitude; WGS-84), used by matching for records without
coordinates of their own. One bad row and nothing is written (exit status 1)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from wushe.accounts.models import User
from wushe.matching.point_services import points_load, read_points_csv

BAD_FILE, CANNOT_RUN = 1, 2


class Command(BaseCommand):
    help = "Import region points (区划坐标点) from a CSV of code, latitude, longitude."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        load = sub.add_parser("load", help="load FILE.csv")
        load.add_argument("file")
        load.add_argument("--as", dest="actor", required=True, help="the user who loads them")
        load.add_argument("--source", default="", help="where the points come from")

    def handle(self, *args, **opts):
        actor = User.objects.filter(username=opts["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {opts['actor']!r} / 用户不存在", returncode=2)
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no file {path} / 文件不存在", returncode=CANNOT_RUN)
        try:
            rows = read_points_csv(path)
            count = points_load(actor=actor, rows=rows, source=opts["source"] or path.name)
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=CANNOT_RUN) from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages), returncode=BAD_FILE) from error
        self.stdout.write(f"{count} region points loaded / 已导入 {count} 个坐标点")
