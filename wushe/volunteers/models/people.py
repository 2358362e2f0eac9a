"""Volunteers (志愿者), the shared skills taxonomy (技能) and volunteer teams (志愿服务队)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.fields import EncryptedTextField
from wushe.core.models import ScopedManager
from wushe.people.choices import Gender
from wushe.people.models import BYTEWISE
from wushe.volunteers.choices import (
    ALL_WEEK,
    DEFAULT_CAPACITY,
    DEFAULT_RADIUS_KM,
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    MAX_CAPACITY,
    MAX_RADIUS_KM,
    MAX_WEEK_HOURS,
    SKILL_BITS,
    Status,
)


class Skill(models.Model):
    """技能: one entry of the skills taxonomy shared by every region (陪伴探访, 助餐送餐…).

    ``bit`` is the skill's place in the matching solver's uint64 skill mask: given once, from 0
    to 63, and never given to another skill, so a skill is retired (``active`` False), never
    deleted. ``code`` is a stable English key for imports and the API; ``name`` may be edited.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    bit = models.PositiveSmallIntegerField(
        _("bit"), unique=True, editable=False, validators=[MaxValueValidator(SKILL_BITS - 1)]
    )
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("skill")  # 技能
        verbose_name_plural = _("skills")
        ordering = ["bit"]
        constraints = [
            models.CheckConstraint(condition=Q(bit__lt=SKILL_BITS), name="skill_bit_below_64"),
        ]

    def __str__(self) -> str:
        return self.name


def _coordinate(label, bounds) -> models.DecimalField:
    low, high = bounds
    return models.DecimalField(
        label,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
    )


class Volunteer(models.Model):
    """志愿者: a person registered to serve, with the skills, weekly time and distance they
    offer to the matching of needs (供需对接).

    The ID number and phone are encrypted at rest and found through keyed hashes; ``id_hash``
    is the same hash as a filed resident's (one person, one identity: ``people.roles``), and
    ``resident`` links the volunteer to that file when there is one. ``region`` is the home
    village (the scope column). ``availability`` is 21 bits, ``day * 3 + part`` (see
    ``choices``); ``capacity`` is the tasks a week matching may give them, ``hours_per_week``
    the time they offer (the resources list shows both). ``number`` (志愿者编号) is "V" + the
    village code + a 5-digit sequence.
    """

    number = models.CharField(_("volunteer number"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("full name"), max_length=50)
    name_pinyin = models.CharField(_("pinyin"), max_length=200, editable=False)
    name_initials = models.CharField(_("initials"), max_length=50, editable=False)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), editable=False)
    id_number = EncryptedTextField(_("ID number"))
    id_hash = models.CharField(max_length=64, editable=False)
    phone = EncryptedTextField(_("phone"))
    phone_hash = models.CharField(max_length=64, editable=False)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("home village"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    latitude = _coordinate(_("latitude"), LATITUDE_RANGE)
    longitude = _coordinate(_("longitude"), LONGITUDE_RANGE)
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="volunteers"
    )
    availability = models.PositiveIntegerField(
        _("weekly availability"), default=0, validators=[MaxValueValidator(ALL_WEEK)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("tasks per week"),
        default=DEFAULT_CAPACITY,
        validators=[MaxValueValidator(MAX_CAPACITY)],
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours a week offered"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_WEEK_HOURS)],
        help_text=_("How many hours a week the volunteer can give; empty: not said."),
    )
    radius_km = models.DecimalField(
        _("service radius (km)"),
        max_digits=5,
        decimal_places=1,
        default=DEFAULT_RADIUS_KM,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_RADIUS_KM)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
        editable=False,
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    note = models.TextField(_("notes"), blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_id"
    objects = ScopedManager()

    PERSONAL_FIELDS = ("id_number", "phone")

    class Meta:
        verbose_name = _("volunteer")  # 志愿者
        verbose_name_plural = _("volunteers")
        ordering = ["region_id", "name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_hash"],
                name="volunteer_one_per_person",
                opclasses=[BYTEWISE],
                violation_error_message=_("This person is already registered as a volunteer."),
            ),
            models.CheckConstraint(
                condition=Q(availability__lte=ALL_WEEK), name="volunteer_availability_21_bits"
            ),
            models.CheckConstraint(
                condition=Q(capacity__lte=MAX_CAPACITY), name="volunteer_capacity_at_most_7"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="volunteer_both_coordinates_or_none",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="volunteer_region_status"),
            models.Index(fields=["phone_hash"], name="volunteer_phone_hash", opclasses=[BYTEWISE]),
            models.Index(
                fields=["name_pinyin"], name="volunteer_pinyin_prefix", opclasses=[BYTEWISE]
            ),
            models.Index(
                fields=["name_initials"], name="volunteer_initials_prefix", opclasses=[BYTEWISE]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class VolunteerTeam(models.Model):
    """志愿服务队: a team of volunteers in a region (a village, a township or a county), with
    an optional leader who is one of its members. ``region`` is the scope column."""

    name = models.CharField(_("team name"), max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    leader = models.ForeignKey(
        Volunteer,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        Volunteer, verbose_name=_("members"), blank=True, related_name="teams"
    )
    note = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("volunteer team")  # 志愿服务队
        verbose_name_plural = _("volunteer teams")
        ordering = ["region_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="volunteer_team_name_once_per_region",
                violation_error_message=_("This region already has a team of this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
