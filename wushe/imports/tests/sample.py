"""A sample import job, for tests of other apps (the API fuzzing) that need a real one."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wushe.imports.models import ImportJob


def make_job(owner) -> ImportJob:
    """A checked job of ``owner`` whose sheet is already gone (no file written anywhere)."""
    now = timezone.now()
    return ImportJob.objects.create(
        owner=owner,
        region_id=owner.region_id,
        kind="residents",
        file_name="居民.xlsx",
        status="checked",
        rows=1,
        to_create=1,
        errors=[[2, "身份证号", "id_check_digit", "校验码不符。", "Bad check digit."]],
        error_count=1,
        checked_at=now,
        expires_at=now + timedelta(hours=1),
        file_deleted_at=now,
    )
