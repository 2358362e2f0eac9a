from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.fields import EncryptedTextField
from wushe.core.models import ScopedManager
from wushe.people.choices import (
    ELDERLY_AGE,
    Category,
    ConsentGiver,
    ConsentMethod,
    Gender,
    Relation,
    RiskLevel,
)


class Household(models.Model):
    """户: the household a resident belongs to, in one village."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("household")  # 户
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{_('household')} {self.pk}"


# PostgreSQL's operator class that compares text byte by byte, whatever the database's
# collation: it serves equality and prefix (LIKE 'x%') lookups, not ranges, and its indexes
# build in about half the time of the collation's (measured on a million keyed hashes), which
# a bulk import's rebuild pays. Hex hashes and ASCII pinyin have no locale order worth keeping.
# Other databases ignore it.
BYTEWISE = "varchar_pattern_ops"


class Resident(models.Model):
    """困难群体档案 (建档): one person served by a station, filed once nationally.

    The ID number, phone, guardian phone and health notes are encrypted at rest; the ID number
    and phone are found through keyed hashes (``id_hash``, ``phone_hash``), so the database
    holds no plaintext of either. ``region`` is the home village (the scope column).
    """

    name = models.CharField(_("name"), max_length=50)
    name_pinyin = models.CharField(_("pinyin"), max_length=200, editable=False)
    name_initials = models.CharField(_("initials"), max_length=50, editable=False)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    id_number = EncryptedTextField(_("ID number"))
    id_hash = models.CharField(max_length=64, editable=False)
    birth_date = models.DateField(_("birth date"))
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("home village"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # resident_region_pinyin leads with it
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    relation = models.CharField(
        _("relation to the head"), max_length=12, choices=Relation.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    guardian_name = models.CharField(_("guardian or emergency contact"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("their relation"), max_length=20, blank=True)
    guardian_phone = EncryptedTextField(_("their phone"), blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=6, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    notes = models.TextField(_("notes"), blank=True)
    health_notes = EncryptedTextField(_("health notes"), blank=True)
    station = models.ForeignKey(
        "regions.Site",
        verbose_name=_("filing station"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_id"
    objects = ScopedManager()

    # Fields whose values never appear unmasked in an audit entry.
    PERSONAL_FIELDS = ("id_number", "phone", "guardian_phone", "health_notes")

    class Meta:
        verbose_name = _("resident")  # 居民档案
        verbose_name_plural = _("residents")
        ordering = ["region_id", "name_pinyin", "id"]
        constraints = [
            # One person, one file, nationally.
            models.UniqueConstraint(
                fields=["id_hash"],
                name="resident_one_file_per_person",
                opclasses=[BYTEWISE],
                violation_error_message=_("This person already has a file."),
            ),
            models.CheckConstraint(
                condition=Q(disability_grade__isnull=True)
                | Q(disability_grade__gte=1, disability_grade__lte=4),
                name="resident_disability_grade_1_to_4",
            ),
        ]
        # Only the indexes a query needs: each costs time on every write and at a bulk import's
        # rebuild. The region's serves the scope range, equality and the list's order; the
        # keyed hashes are looked up by equality only (id_hash through the constraint above);
        # pinyin and initials by prefix (LIKE 'zsf%').
        indexes = [
            models.Index(fields=["region", "name_pinyin"], name="resident_region_pinyin"),
            models.Index(fields=["phone_hash"], name="resident_phone_hash", opclasses=[BYTEWISE]),
            models.Index(
                fields=["name_pinyin"], name="resident_pinyin_prefix", opclasses=[BYTEWISE]
            ),
            models.Index(
                fields=["name_initials"], name="resident_initials_prefix", opclasses=[BYTEWISE]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def is_elderly(self, day: date) -> bool:
        """高龄: 80 or older on ``day``."""
        return self.age_on(day) >= ELDERLY_AGE


class ResidentCategory(models.Model):
    """困难类别 of a resident: several at once, one row each (countable by category)."""

    # resident_category_once (resident, category) serves every lookup by resident.
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="categories", db_index=False
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    # The resident's region, repeated so that counts by category are one scoped index scan.
    region_code = models.CharField(max_length=12, editable=False)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("difficulty category")  # 困难类别
        verbose_name_plural = _("difficulty categories")
        constraints = [
            models.UniqueConstraint(fields=["resident", "category"], name="resident_category_once")
        ]
        indexes = [models.Index(fields=["region_code", "category"], name="category_region")]

    def __str__(self) -> str:
        return self.get_category_display()


class Consent(models.Model):
    """知情同意 (PIPL arts. 29–31): who consented, when, how, to which text version; a child
    under 14 through a guardian. A withdrawn consent blocks further sensitive writes."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices)
    giver_name = models.CharField(_("name of the person consenting"), max_length=50)
    method = models.CharField(_("method"), max_length=12, choices=ConsentMethod.choices)
    text_version = models.CharField(_("consent text version"), max_length=20)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    region_code = models.CharField(max_length=12, editable=False)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("consent")  # 知情同意
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.giver_name} {self.given_on}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None
