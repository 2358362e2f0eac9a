from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager
from wushe.regions import codes
from wushe.regions.choices import KIND_LEVELS, SIX_HAVES, SiteKind, SiteStatus
from wushe.regions.codes import Level


class Region(models.Model):
    """行政区划: one node of the national division tree, from the country down to a village.

    The primary key is the 12-digit statistical code, so every row elsewhere that points at a
    region carries that code in its foreign-key column, and scoping is a range filter on it.
    ``township_count`` and ``village_count`` are the coverage denominators of the subtree; they
    change only when the tree is loaded, so the loader keeps them (see ``loader.py``). The
    ``operating_*`` counts are the numerators; they change with sites, so the site services keep
    them (see ``counters.py``).
    """

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    # No database constraint: the loader writes the tree in bulk and checks parents itself.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="children",
    )
    township_count = models.PositiveIntegerField(_("townships"), default=0)
    village_count = models.PositiveIntegerField(_("villages"), default=0)
    # Operating sites in the subtree: the coverage numerators, kept by the site services
    # (counters.py) so that national coverage reads 31 rows instead of counting every site.
    operating_centres = models.PositiveIntegerField(_("operating centres"), default=0, db_default=0)
    operating_stations = models.PositiveIntegerField(
        _("operating stations"), default=0, db_default=0
    )
    operating_rooms = models.PositiveIntegerField(_("operating rooms"), default=0, db_default=0)

    scope_field = "code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("region")  # 行政区划
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="region_level_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.display_code})"

    @property
    def display_code(self) -> str:
        return codes.prefix(self.code, self.level) or self.code

    @property
    def subtree_range(self) -> tuple[str, str]:
        return codes.subtree_range(self.code, self.level)

    def contains(self, code: str) -> bool:
        return codes.in_subtree(code, self.code, self.level)


class Site(models.Model):
    """服务站点: a place of the three-tier service network (三级服务体系).

    A county guidance centre (县级社会工作指导中心), a township or street station (乡镇(街道)
    社工站) or a village or community room (村(社区)社会工作室), attached to a region of the
    matching level, with the “六有” checklist (场地、设施、人员、服务、流程、制度).
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=SiteKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="sites",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    operator = models.CharField(_("operating organisation"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SiteStatus.choices, default=SiteStatus.PLANNED
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), blank=True, related_name="sites"
    )
    has_venue = models.BooleanField(_("has a venue"), default=False)
    venue_note = models.CharField(_("venue note"), max_length=200, blank=True)
    has_facilities = models.BooleanField(_("has facilities"), default=False)
    facilities_note = models.CharField(_("facilities note"), max_length=200, blank=True)
    has_personnel = models.BooleanField(_("has personnel"), default=False)
    personnel_note = models.CharField(_("personnel note"), max_length=200, blank=True)
    has_services = models.BooleanField(_("has services"), default=False)
    services_note = models.CharField(_("services note"), max_length=200, blank=True)
    has_procedures = models.BooleanField(_("has procedures"), default=False)
    procedures_note = models.CharField(_("procedures note"), max_length=200, blank=True)
    has_rules = models.BooleanField(_("has rules"), default=False)
    rules_note = models.CharField(_("rules note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("service site")  # 服务站点
        verbose_name_plural = _("service sites")
        ordering = ["region_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind"],
                condition=~Q(status=SiteStatus.CLOSED),
                name="site_one_open_per_region_kind",
                violation_error_message=_(
                    "This region already has a site of this kind that is not closed."
                ),
            ),
            models.CheckConstraint(
                condition=Q(floor_area__isnull=True) | Q(floor_area__gte=0),
                name="site_floor_area_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind", "region"], name="site_status_kind_region")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A station on a village, a room on a township and the like are refused."""
        if not self.kind or not self.region_id:
            return
        allowed = KIND_LEVELS.get(SiteKind(self.kind), ())
        if self.region.level not in allowed:
            raise ValidationError(
                {
                    "region": _(
                        "A %(kind)s must be attached to a region of level %(levels)s; "
                        "%(region)s is of level %(level)s."
                    )
                    % {
                        "kind": SiteKind(self.kind).label,
                        "levels": " / ".join(str(Level(lvl).label) for lvl in allowed),
                        "region": self.region.name,
                        "level": Level(self.region.level).label,
                    }
                },
                code="wrong_level",
            )

    @property
    def six_haves(self) -> list[tuple[str, str, bool, str]]:
        """(key, label, present, note) for each of the “六有”."""
        return [
            (key, label, getattr(self, f"has_{key}"), getattr(self, f"{key}_note"))
            for key, label in SIX_HAVES
        ]

    @property
    def six_haves_met(self) -> int:
        return sum(1 for _key, _label, present, _note in self.six_haves if present)
