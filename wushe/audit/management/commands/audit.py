"""``wushe audit verify``: walk the audit log's hash chain and name the first broken entry."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from wushe.audit.chain import ChainReport, verify_chain
from wushe.audit.models import AuditEntry, AuditHead


def verify() -> ChainReport:
    """Check every entry in sequence order, streamed so a long log does not fill memory."""
    entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=5000)
    return verify_chain(entries, AuditHead.objects.filter(id=1).first())


def describe(report: ChainReport) -> str:
    if report.ok:
        return f"audit chain OK: {report.checked} entries"
    where = f"entry #{report.first_bad_seq}" if report.first_bad_seq else "its head"
    return f"audit chain BROKEN at {where}: {report.problem}"


class Command(BaseCommand):
    help = "Check the audit log (审计日志) for altered or removed entries."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="walk the hash chain; exit 1 if it is broken")

    def handle(self, *args, **options):
        report = verify()
        if report.ok:
            self.stdout.write(describe(report))
            return
        self.stderr.write(describe(report))
        # A broken chain is a finding, not a crash: no traceback, just the status for scripts.
        sys.exit(1)
