"""Shapes of users and tokens in the API. Who may create whom is decided in accounts.services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wushe.accounts.models import Role, User
from wushe.regions.api.serializers import RegionBriefSerializer, RegionField


class MeSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    region = RegionBriefSerializer(read_only=True, allow_null=True)
    can_edit_sites = serializers.BooleanField(read_only=True)
    can_read_audit = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "role",
            "role_label",
            "region",
            "can_edit_sites",
            "can_read_audit",
        ]


class UserSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    region = RegionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "role",
            "role_label",
            "region",
            "is_active",
        ]
        read_only_fields = fields


class UserCreateSerializer(serializers.Serializer):
    """A new account; the service checks role, region level, scope and password strength."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        write_only=True, max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )
    full_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices)
    region = RegionField(help_text=_("Division code (2, 4, 6, 9 or 12 digits)."))


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
