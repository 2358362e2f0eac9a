"""Shapes of import jobs in the API. They check types only; ``services`` decides the rest."""

from __future__ import annotations

from django.utils.translation import get_language
from rest_framework import serializers

from wushe.imports.models import ImportJob


class CreateSerializer(serializers.Serializer):
    file = serializers.FileField(
        required=False, help_text="The sheet: .xlsx or .csv (multipart/form-data)."
    )
    kind = serializers.CharField(default="residents", max_length=30, help_text="residents")
    station = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="The filing station's site id (for a user above township level); by default "
        "the township's station.",
    )
    valid_only = serializers.BooleanField(default=False)


class ConfirmSerializer(serializers.Serializer):
    valid_only = serializers.BooleanField(
        required=False, help_text="Import the good rows and skip the bad ones."
    )


class ErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="As Excel shows it; 0: the whole file.")
    column = serializers.CharField()
    code = serializers.CharField(help_text="Stable: see docs/import-codes.md.")
    message_zh = serializers.CharField()
    message_en = serializers.CharField()
    message = serializers.CharField(help_text="In the request's language.")


class ProgressSerializer(serializers.Serializer):
    status = serializers.CharField()
    stage = serializers.CharField(help_text="check, write or index; empty when no step runs.")
    done = serializers.IntegerField()
    total = serializers.IntegerField(allow_null=True)
    percent = serializers.FloatField(allow_null=True)


def progress_of(job: ImportJob) -> dict:
    return {
        "status": job.status,
        "stage": job.stage,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
    }


class ImportJobSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    failure_message = serializers.CharField(source="get_failure_display", read_only=True)
    created = serializers.IntegerField(source="created_count", read_only=True)
    updated = serializers.IntegerField(source="updated_count", read_only=True)
    progress = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField(
        help_text="The first 10,000 errors, sorted by row; error_count has them all."
    )

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "file_name",
            "file_size",
            "sha256",
            "owner",
            "region",
            "station",
            "valid_only",
            "status",
            "status_label",
            "failure",
            "failure_message",
            "rows",
            "to_create",
            "to_update",
            "unchanged",
            "rejected",
            "created",
            "updated",
            "error_count",
            "errors",
            "progress",
            "created_at",
            "checked_at",
            "started_at",
            "finished_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_progress(self, job: ImportJob) -> ProgressSerializer:
        return progress_of(job)

    def get_errors(self, job: ImportJob) -> ErrorSerializer(many=True):
        english = (get_language() or "").startswith("en")
        return [
            {
                "row": row,
                "column": column,
                "code": code,
                "message_zh": chinese,
                "message_en": english_text,
                "message": english_text if english else chinese,
            }
            for row, column, code, chinese, english_text in job.errors
        ]


class ImportJobListSerializer(ImportJobSerializer):
    """A job in a list: without its errors."""

    class Meta(ImportJobSerializer.Meta):
        fields = [name for name in ImportJobSerializer.Meta.fields if name != "errors"]
        read_only_fields = fields
