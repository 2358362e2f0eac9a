"""``wushe imports purge``: delete the uploaded sheets of expired import jobs, mark the jobs whose
worker died as failed, and remove directories whose job is gone. Each upload does the same in
passing; run this from cron (hourly, say) so that a quiet site also forgets its sheets in time.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from wushe.imports import services


class Command(BaseCommand):
    help = "Maintain import jobs: `purge` deletes expired uploaded files."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("purge", help="delete expired uploads and mark dead jobs failed")

    def handle(self, *args, **opts):
        purged = services.jobs_purge()
        self.stdout.write(
            f"{purged.expired} expired files deleted, {purged.stale} stopped jobs marked failed, "
            f"{purged.orphans} orphan directories removed "
            f"/ 已删除过期文件 {purged.expired} 个，标记中断任务 {purged.stale} 个，"
            f"清理孤立目录 {purged.orphans} 个"
        )
