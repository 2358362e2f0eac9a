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


class FiledCount(models.Model):
    """建档人数: the residents filed now in one region's subtree, in all (``key`` "persons",
    each person once however many categories) and by 困难类别 (``key`` a category value).

    A current state, not a monthly figure: the people services move the rows of the file's
    village and every ancestor in the transaction that files, moves or re-categorises it, and
    the residents import recounts its subtree after its COPY (``filed.recount``).
    """

    region_code = models.CharField(max_length=12)
    key = models.CharField(max_length=20)
    value = models.BigIntegerField(default=0)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("filed count")  # 建档人数
        verbose_name_plural = _("filed counts")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "key"], name="filed_count_region_key")
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.key}={self.value}"


class FiledBirthMonth(models.Model):
    """建档居民的出生月份: the filed residents of one region's subtree born in one month.

    It makes 高龄 (80 or older) exact on any day without a yearly job: everyone born in a month
    before the month of the cut-off date (today, 80 years ago) is elderly, read from these rows;
    only the cut-off month itself is counted from the residents, through the index on
    (birth_date, region_code) that the migration adds to people_resident.
    """

    region_code = models.CharField(max_length=12)
    born = models.DateField()  # the first day of the birth month
    value = models.BigIntegerField(default=0)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("filed birth month")  # 建档居民出生月份
        verbose_name_plural = _("filed birth months")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "born"], name="filed_birth_region_month")
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.born:%Y-%m}={self.value}"
