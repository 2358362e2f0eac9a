"""The dashboards keep one thing of their own: a deployer's approved map of a region.

wushe ships no map. Publishing a map of China (or of any part of it) needs an approval number
(审图号) from the surveying and mapping authority, so a deployer who holds an approved GeoJSON
registers it per region, with its number, and only then does the dashboard of that region
show a map of its children.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager


class RegionMap(models.Model):
    """区划地图: an approved GeoJSON of one region's children (one feature per child region,
    matched by its name or code), shown as the map view of that region's dashboard.

    The GeoJSON text is stored in the row itself: a map is read with the dashboard that shows
    it, and a deployment needs no media storage for a handful of files.
    """

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    approval_number = models.CharField(_("map approval number (审图号)"), max_length=60)
    geojson = models.TextField(_("GeoJSON"))
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    features = models.PositiveIntegerField(_("features"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("region map")  # 区划地图
        verbose_name_plural = _("region maps")
        ordering = ["region_id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.approval_number}"
