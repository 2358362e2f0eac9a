"""Shapes of social workers in the API. They check types and formats and turn ids into objects
the requesting user can see; every rule (ID number, phone, certificate, dates, scope) is in the
services. ID numbers and phones are masked; ``unmask/`` reads one in full (audited)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wushe.accounts.models import User
from wushe.core.api_fields import VisibleIdField
from wushe.people.choices import Gender
from wushe.people.identity import mask_id_number
from wushe.people.phones import mask_phone
from wushe.workers.choices import (
    MAX_STARS,
    MAX_TRAINING_HOURS,
    CertificateLevel,
    Education,
    Employment,
    WorkerStatus,
)
from wushe.workers.forms import STAFF_ROLES
from wushe.workers.models import SocialWorker, Training
from wushe.workers.selectors import worker_sites
from wushe.workers.services import UNMASKABLE

NUMBER_LENGTH = 40


class SiteField(VisibleIdField):
    default_error_messages = {"does_not_exist": _("No such site.")}

    def visible(self):
        return worker_sites(user=self.context["request"].user)


class AccountField(VisibleIdField):
    default_error_messages = {"does_not_exist": _("No such user.")}

    def visible(self):
        users = User.objects.visible_to(self.context["request"].user)
        return users.filter(is_active=True, role__in=STAFF_ROLES)


class SocialWorkerSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(help_text="Masked; POST unmask/ to read it.")
    phone = serializers.SerializerMethodField(help_text="Masked; POST unmask/ to read it.")
    site_name = serializers.CharField(source="site.name", read_only=True)
    region = serializers.CharField(source="region_code", read_only=True)
    certified = serializers.BooleanField(read_only=True)
    training_hours = serializers.DecimalField(
        max_digits=9, decimal_places=1, read_only=True, help_text="Sum of the trainings' hours."
    )

    class Meta:
        model = SocialWorker
        fields = [
            "id",
            "name",
            "gender",
            "id_number",
            "phone",
            "site",
            "site_name",
            "region",
            "user",
            "certificate_level",
            "certificate_number",
            "certificate_year",
            "certified",
            "employment",
            "education",
            "major",
            "is_supervisor",
            "stars",
            "status",
            "joined_on",
            "left_on",
            "training_hours",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_id_number(self, worker: SocialWorker) -> str:
        return mask_id_number(worker.id_number) if worker.id_number else ""

    def get_phone(self, worker: SocialWorker) -> str:
        return mask_phone(worker.phone) if worker.phone else ""


class SocialWorkerInputSerializer(serializers.Serializer):
    """A new social worker (POST) or changes to one (PATCH: only the fields sent; an ID number
    or phone not sent stays as it is, sent empty it is removed)."""

    name = serializers.CharField(max_length=50)
    gender = serializers.ChoiceField(
        Gender.choices, required=False, help_text="Taken from the ID number when one is given."
    )
    id_number = serializers.CharField(max_length=NUMBER_LENGTH, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=NUMBER_LENGTH, required=False, allow_blank=True)
    site = SiteField(help_text="Id of the station, room or centre the worker works at.")
    user = AccountField(
        required=False, allow_null=True, help_text="Id of the worker's sign-in account."
    )
    certificate_level = serializers.ChoiceField(CertificateLevel.choices, required=False)
    certificate_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    certificate_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=32767
    )
    employment = serializers.ChoiceField(Employment.choices, required=False)
    education = serializers.ChoiceField(Education.choices, required=False, allow_blank=True)
    major = serializers.CharField(max_length=100, required=False, allow_blank=True)
    is_supervisor = serializers.BooleanField(required=False)
    stars = serializers.IntegerField(required=False, min_value=0, max_value=MAX_STARS)
    status = serializers.ChoiceField(WorkerStatus.choices, required=False)
    joined_on = serializers.DateField()
    left_on = serializers.DateField(required=False, allow_null=True)


class TrainingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Training
        fields = ["id", "title", "provider", "held_on", "hours", "created_at"]
        read_only_fields = fields


class TrainingInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    provider = serializers.CharField(max_length=100, required=False, allow_blank=True)
    held_on = serializers.DateField()
    hours = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=Decimal(MAX_TRAINING_HOURS),
    )


class WorkerUnmaskSerializer(serializers.Serializer):
    field = serializers.ChoiceField([(name, name) for name in UNMASKABLE])


class WorkerUnmaskedSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()
