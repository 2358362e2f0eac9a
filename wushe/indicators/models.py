"""The indicator engine's data: data elements, indicators over them, entered yearly figures with
their rolled-up totals, and targets per region and year.

Definitions (elements and indicators) belong to the region that defined them (``region_code``,
the national root for the built-in set): they apply in that region's whole subtree, so a user
reads the definitions of their own region's lineage and of their subtree (``selectors``).
Figures and targets are scoped like every other row, by the region they describe.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager
from wushe.indicators.choices import Direction, PeriodKind, Source

VALUE_DIGITS = {"max_digits": 18, "decimal_places": 2}


def _in_language(zh: str, en: str) -> str:
    """The Chinese name, or the English one when English is active and one is stored."""
    language = translation.get_language() or ""
    return en if en and language.startswith("en") else zh


class DataElement(models.Model):
    """数据元: one figure per region and period that indicators are built from.

    ``records`` elements are computed by a function registered in ``elements.py`` from the
    counters that the services keep (region rows, statistics tallies, filed counts…);
    ``entered`` elements are figures no record holds (常住人口, 户数, 养老机构床位数 …), entered or
    imported per region and year (``EnteredValue``).
    """

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    period_kind = models.CharField(_("period kind"), max_length=10, choices=PeriodKind.choices)
    description = models.TextField(_("description"), blank=True)
    built_in = models.BooleanField(_("built in"), default=False)
    region_code = models.CharField(_("defined by region"), max_length=12)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("data element")  # 数据元
        verbose_name_plural = _("data elements")
        ordering = ["source", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def name(self) -> str:
        return _in_language(self.name_zh, self.name_en)

    @property
    def is_entered(self) -> bool:
        return self.source == Source.ENTERED


class Indicator(models.Model):
    """指标: numerator ÷ denominator × factor (or a plain total without a denominator).

    A region's value sums the numerator and the denominator over its subtree separately and
    divides once — never an average of its children's ratios. A zero or missing denominator
    gives no value ("无数据"), never an error or an infinity.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    numerator = models.ForeignKey(
        DataElement, verbose_name=_("numerator"), on_delete=models.PROTECT, related_name="+"
    )
    denominator = models.ForeignKey(
        DataElement,
        verbose_name=_("denominator"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    factor = models.DecimalField(
        _("factor"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source document"), max_length=300, blank=True)  # 文件/出处
    built_in = models.BooleanField(_("built in"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    region_code = models.CharField(_("defined by region"), max_length=12)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator")  # 指标
        verbose_name_plural = _("indicators")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(factor__gt=0), name="indicator_factor_gt_0")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_zh, self.name_en)

    @property
    def formula(self) -> str:
        """The definition as one line, by element codes: "a / b × 100"."""
        text = self.numerator_id
        if self.denominator_id:
            text += f" / {self.denominator_id}"
        if self.factor != 1:
            text += f" × {self.factor.normalize():f}"
        return text


class EnteredValue(models.Model):
    """填报值: the figure of an entered data element for one region and year, as entered."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    element = models.ForeignKey(
        DataElement, verbose_name=_("data element"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField(
        _("value"), **VALUE_DIGITS, validators=[MinValueValidator(Decimal(0))]
    )
    note = models.CharField(_("source note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("entered value")  # 填报值
        verbose_name_plural = _("entered values")
        ordering = ["-year", "region_id", "element_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "element", "year"], name="entered_value_region_element_year"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="entered_value_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["element", "year"], name="entered_value_element_year")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.element_id}={self.value}"


class EnteredTotal(models.Model):
    """填报值汇总: an entered element's figure for one region's subtree and year.

    The region's own entry if it has one (a statistics bureau publishes a province's figure),
    else the sum of its children's totals; no row when nothing was entered in the subtree. Kept
    by the entry services (``totals.rebuild``) in the transaction of every change, so a
    province's figure is one row however many villages entered theirs.
    """

    region_code = models.CharField(max_length=12)
    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(**VALUE_DIGITS)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("entered total")  # 填报值汇总
        verbose_name_plural = _("entered totals")
        constraints = [
            models.UniqueConstraint(
                fields=["element", "region_code", "year"], name="entered_total_element_region_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year} {self.element_id}={self.value}"


class Target(models.Model):
    """目标: the value an indicator should reach in a region by the end of a year.

    It applies to the region's whole subtree unless a region below sets its own (the nearest
    one wins). ``base_year``/``base_value`` start the straight path that "on track" is judged
    against (see ``attainment``).
    """

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("by the end of year"))
    value = models.DecimalField(_("target value"), **VALUE_DIGITS)
    base_year = models.PositiveSmallIntegerField(_("base year"), null=True, blank=True)
    base_value = models.DecimalField(_("base value"), **VALUE_DIGITS, null=True, blank=True)
    source = models.CharField(_("source document"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("target")  # 目标
        verbose_name_plural = _("targets")
        ordering = ["region_id", "indicator__position", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator", "year"], name="target_region_indicator_year"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.indicator_id} {self.year}: {self.value}"


class StockSnapshot(models.Model):
    """月末数 (时点数快照): a stock record element's figure for one region's subtree at the end
    of one month, for the elements whose counters hold only the present (``snapshots``).

    Sparse: a row only where the figure is not zero. Whether a month was taken at all is its
    :class:`SnapshotMonth` row, so in a taken month an absent row reads 0 and a month never
    taken reads no data. Each row holds its region's whole subtree, like the counters it copies,
    so a region's figure is one row however deep the tree.

    Its key is the three columns every read filters on (one element, a month or a few, codes or
    a code range): no surrogate id, one index, for tens of millions of rows.
    """

    pk = models.CompositePrimaryKey("element", "month", "region_code")
    element = models.ForeignKey(
        DataElement,
        verbose_name=_("data element"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the key's index leads with it
    )
    month = models.DateField(_("month"))  # its first day
    region_code = models.CharField(_("region code"), max_length=12)
    value = models.DecimalField(_("value"), **VALUE_DIGITS)

    class Meta:
        verbose_name = _("month-end figure")  # 月末数
        verbose_name_plural = _("month-end figures")

    def __str__(self) -> str:
        return f"{self.element_id} {self.month:%Y-%m} {self.region_code}={self.value}"


class SnapshotMonth(models.Model):
    """月末数已取: the mark that a month's figures of an element were taken (its
    :class:`StockSnapshot` rows are complete), when, and how many rows were written."""

    element = models.ForeignKey(
        DataElement,
        verbose_name=_("data element"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    month = models.DateField(_("month"))
    taken_at = models.DateTimeField(_("taken at"))
    rows = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("month-end snapshot")  # 月末数快照
        verbose_name_plural = _("month-end snapshots")
        constraints = [
            models.UniqueConstraint(fields=["element", "month"], name="snapshot_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.element_id} {self.month:%Y-%m}"
