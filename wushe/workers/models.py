"""Social workers (社会工作者) of the service network and their trainings (培训)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.fields import EncryptedTextField
from wushe.core.models import ScopedManager
from wushe.people.choices import Gender
from wushe.workers.choices import (
    MAX_STARS,
    MAX_TRAINING_HOURS,
    CertificateLevel,
    Education,
    Employment,
    WorkerStatus,
)


class SocialWorker(models.Model):
    """社会工作者: a person working at a station, room or county centre of the network, with or
    without a sign-in account (``user``).

    ``region_code`` is the site's region (the scope column), kept by the services when the
    worker moves. The ID number is optional; when given it is encrypted at rest and found
    through ``id_hash``, the same keyed hash as a resident's or volunteer's (one person, one
    identity: ``people.roles``), once among social workers. The phone is encrypted too, with
    ``phone_hash`` for exact search. A certificate level other than none comes with its number
    and year (职业水平证书).
    """

    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    site = models.ForeignKey(
        "regions.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="social_workers",
    )
    region_code = models.CharField(max_length=12, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sign-in account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="social_worker",
    )
    certificate_level = models.CharField(
        _("certificate level"),
        max_length=12,
        choices=CertificateLevel.choices,
        default=CertificateLevel.NONE,
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certificate_year = models.PositiveSmallIntegerField(
        _("certificate year"), null=True, blank=True
    )
    employment = models.CharField(
        _("employment"), max_length=10, choices=Employment.choices, default=Employment.FULL_TIME
    )
    education = models.CharField(
        _("education"), max_length=10, choices=Education.choices, blank=True
    )
    major = models.CharField(_("major"), max_length=100, blank=True)
    is_supervisor = models.BooleanField(_("supervisor (督导)"), default=False)
    stars = models.PositiveSmallIntegerField(
        _("stars"), default=0, validators=[MaxValueValidator(MAX_STARS)]
    )
    status = models.CharField(
        _("status"), max_length=6, choices=WorkerStatus.choices, default=WorkerStatus.ACTIVE
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_code"
    objects = ScopedManager()

    PERSONAL_FIELDS = ("id_number", "phone")

    class Meta:
        verbose_name = _("social worker")  # 社会工作者
        verbose_name_plural = _("social workers")
        ordering = ["region_code", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_hash"],
                condition=~Q(id_hash=""),
                name="social_worker_one_per_person",
                violation_error_message=_("This person is already registered as a social worker."),
            ),
            models.CheckConstraint(
                condition=Q(stars__lte=MAX_STARS), name="social_worker_stars_at_most_five"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="social_worker_leaves_after_joining",
            ),
        ]
        indexes = [
            # worker_counts: one range scan of the active workers, grouped by region.
            models.Index(fields=["status", "region_code"], name="social_worker_status_region"),
            models.Index(fields=["region_code", "name"], name="social_worker_region_name"),
            models.Index(fields=["phone_hash"], name="social_worker_phone_hash"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def certified(self) -> bool:
        return self.certificate_level != CertificateLevel.NONE


class Training(models.Model):
    """培训: a training a social worker took part in, with its hours (继续教育学时).

    ``region_code`` is the worker's, repeated as the scope column.
    """

    worker = models.ForeignKey(
        SocialWorker,
        verbose_name=_("social worker"),
        on_delete=models.CASCADE,
        related_name="trainings",
    )
    title = models.CharField(_("training"), max_length=200)
    provider = models.CharField(_("provider"), max_length=100, blank=True)
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(MAX_TRAINING_HOURS)],
    )
    region_code = models.CharField(max_length=12, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("training")  # 培训
        verbose_name_plural = _("trainings")
        ordering = ["worker_id", "-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title
