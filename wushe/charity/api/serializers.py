"""Shapes of charity resources in the API. They check types and formats and turn ids into
objects the requesting user can see; every rule (kind, balance, dates, scope) is in the
services. Money and quantities are decimal strings with two places ("1234.50")."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wushe.charity.choices import (
    DECIMAL_PLACES,
    MAX_DIGITS,
    DonationKind,
    DonorKind,
    FundStatus,
)
from wushe.charity.models import CommunityFund, Donation, Donor, FundEntry, GoodsItem, GoodsMovement
from wushe.charity.services import UNMASKABLE
from wushe.core.api_fields import VisibleIdField
from wushe.organisations.models import Organisation
from wushe.people.identity import mask_id_number
from wushe.people.phones import mask_phone
from wushe.people.selectors import resident_list
from wushe.regions.api.serializers import RegionField

NUMBER_LENGTH = 40


def _user(field):
    return field.context["request"].user


def money(**kwargs) -> serializers.DecimalField:
    kwargs.setdefault("min_value", Decimal("0.01"))
    return serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs)


class DonorField(VisibleIdField):
    default_error_messages = {"does_not_exist": _("No such donor.")}

    def visible(self):
        return Donor.objects.visible_to(_user(self))


class OrganisationField(VisibleIdField):
    default_error_messages = {"does_not_exist": _("No such organisation.")}

    def visible(self):
        return Organisation.objects.visible_to(_user(self))


class FundField(VisibleIdField):
    default_error_messages = {"does_not_exist": _("No such fund.")}

    def visible(self):
        return CommunityFund.objects.visible_to(_user(self))


class ResidentField(VisibleIdField):
    default_error_messages = {"does_not_exist": _("No such resident.")}

    def visible(self):
        return resident_list(user=_user(self))


# Donors -----------------------------------------------------------------------------------------


class DonorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    id_number = serializers.SerializerMethodField(help_text="Masked; POST unmask/ to read it.")
    phone = serializers.SerializerMethodField(help_text="Masked; POST unmask/ to read it.")
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    donation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Donor
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "id_number",
            "credit_code",
            "organisation",
            "phone",
            "region",
            "region_name",
            "note",
            "donation_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_id_number(self, donor: Donor) -> str:
        return mask_id_number(donor.id_number) if donor.id_number else ""

    def get_phone(self, donor: Donor) -> str:
        return mask_phone(donor.phone) if donor.phone else ""


class DonorInputSerializer(serializers.Serializer):
    """A new donor (POST) or changes to one (PATCH: only the fields sent; an ID number or
    phone not sent stays as it is)."""

    kind = serializers.ChoiceField(DonorKind.choices)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    id_number = serializers.CharField(
        max_length=NUMBER_LENGTH, required=False, allow_blank=True, help_text="A person only."
    )
    credit_code = serializers.CharField(
        max_length=NUMBER_LENGTH,
        required=False,
        allow_blank=True,
        help_text="统一社会信用代码 (18 characters); an organisation only.",
    )
    organisation = OrganisationField(
        required=False,
        allow_null=True,
        help_text="Id of the social organisation it is (an organisation donor only).",
    )
    phone = serializers.CharField(max_length=NUMBER_LENGTH, required=False, allow_blank=True)
    region = RegionField(help_text="Code of the receiving county, township or village.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class DonorUnmaskSerializer(serializers.Serializer):
    # One enum in the schema with the social workers' (settings.ENUM_NAME_OVERRIDES).
    field = serializers.ChoiceField([(name, name) for name in UNMASKABLE])


class DonorUnmaskedSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


# Donations --------------------------------------------------------------------------------------


class DonationSerializer(serializers.ModelSerializer):
    donor_name = serializers.SerializerMethodField(
        help_text="Null when anonymous or when the donor is outside your subtree."
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    fund_name = serializers.CharField(source="fund.name", read_only=True, default=None)

    class Meta:
        model = Donation
        fields = [
            "id",
            "donor",
            "donor_name",
            "region",
            "region_name",
            "received_on",
            "kind",
            "kind_label",
            "amount",
            "fund",
            "fund_name",
            "item_name",
            "quantity",
            "unit",
            "estimated_value",
            "goods_item",
            "note",
            "cancelled_at",
            "cancel_reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_donor_name(self, donation: Donation) -> str | None:
        donor = donation.donor
        if donor is None or not _user(self).can_see_code(donor.region_id):
            return None
        return str(donor)


class DonationInputSerializer(serializers.Serializer):
    """Money (``amount``, optionally ``fund``) or goods (``item_name``, ``quantity``,
    ``unit``, optionally ``estimated_value``)."""

    kind = serializers.ChoiceField(DonationKind.choices)
    donor = DonorField(required=False, allow_null=True, help_text="Donor id; none: anonymous.")
    region = RegionField(
        required=False, help_text="Receiving region; money into a fund: default the fund's."
    )
    received_on = serializers.DateField(required=False, help_text="Default: today.")
    amount = money(required=False, allow_null=True)
    fund = FundField(required=False, allow_null=True, help_text="Community fund id.")
    item_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    quantity = money(required=False, allow_null=True)
    unit = serializers.CharField(max_length=10, required=False, allow_blank=True)
    estimated_value = money(required=False, allow_null=True, min_value=Decimal("0"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


# Funds and goods --------------------------------------------------------------------------------


class FundSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CommunityFund
        fields = [
            "id",
            "name",
            "region",
            "region_name",
            "opened_on",
            "status",
            "status_label",
            "balance",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class FundInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    region = RegionField(help_text="Code of the fund's village, township or county.")
    opened_on = serializers.DateField(required=False, help_text="Default: today.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class FundUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    status = serializers.ChoiceField(FundStatus.choices, required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class _EntrySerializer(serializers.ModelSerializer):
    direction_label = serializers.CharField(source="get_direction_display", read_only=True)
    reversed_by = serializers.SerializerMethodField()
    created_by = serializers.StringRelatedField()

    def get_reversed_by(self, entry) -> int | None:
        reversal = getattr(entry, "reversed_by", None)
        return reversal.pk if reversal is not None else None


ENTRY_FIELDS = [
    "id",
    "direction",
    "direction_label",
    "occurred_on",
    "purpose",
    "recipient",
    "resident",
    "donation",
    "reverses",
    "reversed_by",
    "note",
    "created_by",
    "created_at",
]


class FundEntrySerializer(_EntrySerializer):
    class Meta:
        model = FundEntry
        fields = [*ENTRY_FIELDS[:3], "amount", "balance_after", *ENTRY_FIELDS[3:]]
        read_only_fields = fields


class GoodsMovementSerializer(_EntrySerializer):
    direction_label = serializers.SerializerMethodField()

    def get_direction_label(self, movement) -> str:
        return str(_("Stock in") if movement.direction == "in" else _("Stock out"))

    class Meta:
        model = GoodsMovement
        fields = [*ENTRY_FIELDS[:3], "quantity", "stock_after", *ENTRY_FIELDS[3:]]
        read_only_fields = fields


class DisburseSerializer(serializers.Serializer):
    amount = money()
    purpose = serializers.CharField(max_length=200)
    recipient = serializers.CharField(max_length=100, required=False, allow_blank=True)
    resident = ResidentField(required=False, allow_null=True)
    occurred_on = serializers.DateField(required=False, help_text="Default: today.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class DistributeSerializer(serializers.Serializer):
    quantity = money()
    recipient = serializers.CharField(max_length=100, required=False, allow_blank=True)
    resident = ResidentField(required=False, allow_null=True)
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True)
    occurred_on = serializers.DateField(required=False, help_text="Default: today.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    occurred_on = serializers.DateField(required=False, help_text="Default: today.")


class GoodsItemSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = GoodsItem
        fields = ["id", "name", "unit", "region", "region_name", "quantity", "created_at"]
        read_only_fields = fields
