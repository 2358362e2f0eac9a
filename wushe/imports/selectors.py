"""Reads of import jobs. Every one starts from ``ImportJob.objects.visible_to(user)``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import get_language

from wushe.imports import storage
from wushe.imports.kinds import Preview, kind_of
from wushe.imports.models import ImportJob
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import Level
from wushe.regions.models import Site

PREVIEW_ROWS = 10


def job_list(*, user) -> QuerySet[ImportJob]:
    """The user's own jobs; an administrator's list holds every job of the subtree."""
    jobs = ImportJob.objects.visible_to(user)
    if not user.is_authenticated:
        return jobs  # none (the schema generator asks as an anonymous user)
    if not user.is_admin:
        jobs = jobs.filter(owner=user)
    return jobs.select_related("owner", "station")


def station_choices(*, user) -> QuerySet[Site]:
    """Stations a user above township level may file for: the open ones of the subtree."""
    sites = Site.objects.visible_to(user).filter(kind=SiteKind.STATION)
    return sites.exclude(status=SiteStatus.CLOSED).select_related("region").order_by("region_id")


def chooses_station(user) -> bool:
    return bool(user.region_id) and user.region.level < Level.TOWNSHIP


def default_station(*, user) -> Site | None:
    """A township's user files for the township's open station. Above, the user chooses one;
    below (a village's worker), no station: the township's is outside the user's subtree."""
    if not user.region_id or user.region.level != Level.TOWNSHIP:
        return None
    return station_choices(user=user).filter(region_id=user.region_id).first()


@dataclass(frozen=True)
class ShownError:
    row: int
    column: str
    code: str
    message: str


def job_errors(job: ImportJob, language: str | None = None) -> list[ShownError]:
    """The kept errors, each message in the page's language (Chinese unless English)."""
    english = (language or get_language() or "").startswith("en")
    return [
        ShownError(row, column, code, english_text if english else chinese)
        for row, column, code, chinese, english_text in job.errors
    ]


def job_preview(job: ImportJob, *, user) -> Preview | None:
    """The first rows of a checked job's sheet as they will be filed, while the sheet is kept."""
    kind = kind_of(job.kind)
    if kind is None or not job.has_file:
        return None
    try:
        source = storage.load(job.pk)
    except storage.StoredFileError:
        return None
    error_rows = {row for row, *_rest in job.errors}
    return kind.preview(source, user=user, limit=PREVIEW_ROWS, error_rows=error_rows)
