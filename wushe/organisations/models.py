"""Social organisations (社会组织): one of the five forces (五社联动), with the service areas
they work in and their periods in an incubation base (孵化基地)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager
from wushe.core.service_areas import ServiceArea
from wushe.organisations.choices import NOTE_LENGTH, OrganisationStatus, OrganisationType


class Organisation(models.Model):
    """社会组织: a social work agency, community social organisation, volunteer service or
    charitable organisation working in a region.

    ``region`` is where it is registered or filed, at any level (a county's agency, a street's
    community organisation); it is the scope column. ``credit_code`` is the unified social
    credit code (统一社会信用代码, GB 32100, checked by ``credit_codes``), unique nationally;
    a community social organisation that is only filed with its street may have none.
    ``contact_phone`` is the organisation's published contact number, not a served person's:
    stored plain, shown in full to staff who can see the organisation, masked in the audit log.
    """

    name = models.CharField(_("organisation name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    kind = models.CharField(
        _("type of organisation"), max_length=12, choices=OrganisationType.choices
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    founded_on = models.DateField(_("registered or filed on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.ACTIVE,
    )
    note = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(NOTE_LENGTH)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("social organisation")  # 社会组织
        verbose_name_plural = _("social organisations")
        ordering = ["region_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="organisation_credit_code_once",
                violation_error_message=_(
                    "An organisation with this credit code is already registered."
                ),
            ),
        ]
        indexes = [models.Index(fields=["region", "kind"], name="organisation_region_kind")]

    def __str__(self) -> str:
        return self.name


class OrganisationService(models.Model):
    """服务领域: one service area an organisation works in (an organisation has several)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="service_areas"
    )
    area = models.CharField(_("service area"), max_length=20, choices=ServiceArea.choices)

    class Meta:
        verbose_name = _("service area of an organisation")
        verbose_name_plural = _("service areas of organisations")
        ordering = ["organisation_id", "area"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "area"], name="organisation_area_once")
        ]
        indexes = [models.Index(fields=["area", "organisation"], name="organisation_area")]

    def __str__(self) -> str:
        return self.get_area_display()


class IncubationPeriod(models.Model):
    """孵化: a period an organisation spent in an incubation base (孵化基地), from
    ``entered_on`` until ``left_on`` (open while it is still there).

    The base is a service site of the network (``site``) or, when it is not one (a city's
    incubation park, say), named in ``base_name``. An organisation may be incubated several
    times; its periods never overlap and at most one is open. ``region_code`` is the
    organisation's, repeated as the scope column.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="incubations"
    )
    site = models.ForeignKey(
        "regions.Site",
        verbose_name=_("incubation base (a site)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    base_name = models.CharField(_("incubation base (name)"), max_length=100, blank=True)
    entered_on = models.DateField(_("entered on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    region_code = models.CharField(max_length=12, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("incubation period")  # 孵化期
        verbose_name_plural = _("incubation periods")
        ordering = ["organisation_id", "-entered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(left_on__isnull=True),
                name="incubation_one_open",
                violation_error_message=_("The organisation is already in an incubation base."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("entered_on")),
                name="incubation_leaves_after_entering",
            ),
            models.CheckConstraint(
                condition=Q(site__isnull=False) | ~Q(base_name=""),
                name="incubation_has_a_base",
            ),
        ]

    def __str__(self) -> str:
        return self.base

    @property
    def base(self) -> str:
        return self.site.name if self.site_id else self.base_name
