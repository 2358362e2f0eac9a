from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager
from wushe.statistics.choices import Metric


class Tally(models.Model):
    """服务统计汇总: one metric of one region's subtree in one month.

    A record adds to the row of its own region and to the row of every ancestor up to the
    national root (``codes.lineage``), in the transaction that writes the record. So the figures
    of any subtree for any span of months are a handful of rows under one primary-key-like
    index, whatever the number of records underneath (the issue asks < 100 ms for a province of
    10 million records). ``recompute`` rebuilds every row from the records, and the tests hold
    the two equal.
    """

    region_code = models.CharField(max_length=12)
    month = models.DateField(_("month"))  # the first day of the month
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    value = models.BigIntegerField(_("value"), default=0)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("statistics tally")  # 服务统计汇总
        verbose_name_plural = _("statistics tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "month", "metric"], name="tally_region_month_metric"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.month:%Y-%m} {self.metric}={self.value}"
