"""The three lists of a station (三清单): needs, organisations' offers (with volunteers and
charity resources, the resources list) and service projects; and the points that place a
village on the map when a record has no coordinates of its own."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager
from wushe.core.service_areas import ServiceArea
from wushe.matching.choices import NeedSource, NeedStatus, ProjectStatus, Urgency
from wushe.matching.solver import ALL_WEEK

MAX_RADIUS_KM = 200
MAX_CAPACITY = 1000  # tasks a week: more is a typing mistake, not one volunteer or organisation


def latitude_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        **kwargs,
    )


def longitude_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        **kwargs,
    )


def weekly_mask_field(verbose_name, **kwargs) -> models.PositiveIntegerField:
    """21 bits, one per weekly slot: bit ``day * 3 + part`` (Monday = 0; morning, afternoon,
    evening), the solver's ``slot_bit``."""
    return models.PositiveIntegerField(
        verbose_name, validators=[MaxValueValidator(ALL_WEEK)], **kwargs
    )


class RegionPoint(models.Model):
    """区划坐标点: one representative point of a region (a village committee's office, a
    township's government), WGS-84. Matching places a need or a volunteer without coordinates
    of their own at their village's point, else at their township's (``matching.geo``).
    Not personal data: read by anyone signed in; written by import (``wushe regionpoints``)."""

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("region"),
        primary_key=True,
        on_delete=models.CASCADE,
        db_column="region_code",
        db_constraint=False,  # regions are loaded in bulk, as Region.parent is
        related_name="+",
    )
    latitude = latitude_field()
    longitude = longitude_field()
    source = models.CharField(_("source"), max_length=50, blank=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("region point")  # 区划坐标点
        verbose_name_plural = _("region points")

    def __str__(self) -> str:
        return f"{self.region_id} ({self.latitude}, {self.longitude})"


class Need(models.Model):
    """需求 (群众需求清单): what a resident or a group needs, recorded by a station.

    Found on a home visit, in a case, at an activity or asked for by the resident. ``region``
    is where it is to be served, a village or the township of the station (the scope column
    ``region_code``); ``latitude``/``longitude`` place it more exactly when known. The weekly
    ``window`` (0: any time) and the dates bound when it can be served; all ``skills`` are
    required of whoever serves it. The status moves only through ``need_services``.
    """

    station = models.ForeignKey(
        "regions.Site",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    source = models.CharField(_("source"), max_length=10, choices=NeedSource.choices)
    visit = models.ForeignKey(
        "casework.HomeVisit",
        verbose_name=_("home visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    request_note = models.CharField(_("request"), max_length=200, blank=True)
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    group = models.ForeignKey(
        "groups.Group",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    service_area = models.CharField(_("service area"), max_length=20, choices=ServiceArea.choices)
    skills = models.ManyToManyField(
        "volunteers.Skill",
        verbose_name=_("skills required"),
        blank=True,
        related_name="+",
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("until"), null=True, blank=True)
    window = weekly_mask_field(
        _("weekly time window"), default=0, help_text=_("Empty: any time of the week.")
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("place (village)"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    latitude = latitude_field(null=True, blank=True)
    longitude = longitude_field(null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(
        _("what is needed"), validators=[MaxLengthValidator(2000)]
    )  # shown to the volunteer who serves it
    status = models.CharField(
        _("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("need")  # 需求
        verbose_name_plural = _("needs")
        ordering = ["urgency", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status"], name="need_region_status"),
            models.Index(fields=["station", "status"], name="need_station_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(resident__isnull=False) & models.Q(group__isnull=False)),
                name="need_resident_or_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('need')} {self.pk}"

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class OrganisationOffer(models.Model):
    """组织服务供给 (社会资源清单): what a social organisation offers a station each week.

    The organisation serves within ``radius_km`` of its own position (``latitude``/
    ``longitude``, else the station's township point), takes up to ``capacity`` tasks a week in
    the slots of ``availability``, with the ``skills`` its people hold. ``region_code`` is the
    station's region (the scope column).
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    station = models.ForeignKey(
        "regions.Site",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="organisation_offers",
    )
    service_areas = models.JSONField(_("service areas"), default=list, blank=True)
    skills = models.ManyToManyField(
        "volunteers.Skill", verbose_name=_("skills"), blank=True, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField(
        _("tasks per week"), default=1, validators=[MaxValueValidator(MAX_CAPACITY)]
    )
    radius_km = models.DecimalField(
        _("radius (km)"),
        max_digits=6,
        decimal_places=1,
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_RADIUS_KM)],
    )
    availability = weekly_mask_field(_("weekly availability"), default=ALL_WEEK)
    latitude = latitude_field(null=True, blank=True)
    longitude = longitude_field(null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(2000)])
    region_code = models.CharField(max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("organisation offer")  # 组织服务供给
        verbose_name_plural = _("organisation offers")
        ordering = ["region_code", "organisation_id", "id"]
        indexes = [models.Index(fields=["region_code", "active"], name="offer_region_active")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.station}"

    @property
    def area_labels(self) -> list[str]:
        labels = dict(ServiceArea.choices)
        return [str(labels.get(area, area)) for area in self.service_areas or []]


class ServiceProject(models.Model):
    """服务项目 (服务项目清单): a project a station runs, linked to the needs it answers.

    ``region_code`` is the station's region (the scope column)."""

    station = models.ForeignKey(
        "regions.Site",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="service_projects",
    )
    name = models.CharField(_("project name"), max_length=100)
    service_area = models.CharField(_("service area"), max_length=20, choices=ServiceArea.choices)
    target_group = models.CharField(_("target group"), max_length=200)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("until"))
    capacity = models.PositiveIntegerField(
        _("capacity (people)"), validators=[MaxValueValidator(1_000_000)]
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PLANNED,
    )
    needs = models.ManyToManyField(
        Need, verbose_name=_("needs answered"), blank=True, related_name="projects"
    )
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(2000)]
    )
    region_code = models.CharField(max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("service project")  # 服务项目
        verbose_name_plural = _("service projects")
        ordering = ["-period_from", "-id"]
        indexes = [models.Index(fields=["region_code", "status"], name="project_region_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")),
                name="project_period_in_order",
                violation_error_message=_("The end is before the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
