from __future__ import annotations

from rest_framework import serializers

from wushe.audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "seq",
            "at",
            "actor",
            "actor_name",
            "action",
            "action_label",
            "object_type",
            "object_id",
            "object_repr",
            "region_code",
            "ip",
            "changes",
            "success",
            "prev_hash",
            "entry_hash",
        ]
        read_only_fields = fields
