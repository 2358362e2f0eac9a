"""API of import jobs: POST a sheet (multipart) to create a job and check it, GET the job
(status, counts, errors), POST confirm to import it, GET its progress. The same rules as the
pages: jobs are read through ``selectors.job_list`` (own; an administrator's subtree), another
user's job is a 404, and every answer says ``Cache-Control: no-store``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.core.api import parse_id, scoped_or_404
from wushe.core.parsers import JSONParser
from wushe.imports import selectors, services
from wushe.imports.api.serializers import (
    ConfirmSerializer,
    CreateSerializer,
    ImportJobListSerializer,
    ImportJobSerializer,
    ProgressSerializer,
    progress_of,
)
from wushe.imports.models import ImportJob
from wushe.imports.uploads import capped_upload
from wushe.regions.models import Site


class ImportJobViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """导入任务: sheets uploaded for import, the user's own (an administrator's: the subtree)."""

    serializer_class = ImportJobSerializer
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, JSONParser]
    filter_backends: list = []
    upload_handler = None

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body: the sheet stays in memory, up to the size limit.
        if request.method == "POST":
            self.upload_handler = capped_upload(request)
        return super().initialize_request(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        services.jobs_fail_stale()

    def get_queryset(self):
        jobs = selectors.job_list(user=self.request.user)
        return jobs.defer("errors") if self.action == "list" else jobs  # up to 10,000 each

    def get_serializer_class(self):
        return ImportJobListSerializer if self.action == "list" else ImportJobSerializer

    def get_object(self) -> ImportJob:
        return scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    @extend_schema(request=CreateSerializer, responses={201: ImportJobSerializer})
    def create(self, request: Request) -> Response:
        """Upload a sheet; its check starts at once (follow it with ``progress``)."""
        form = CreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        station = None
        if "station" in data:
            station = Site.objects.visible_to(request.user).filter(pk=data["station"]).first()
            if station is None:
                raise ValidationError({"station": _("No such station.")}, code="not_found")
        job = services.job_create(
            actor=request.user,
            kind=data["kind"],
            upload=data.get("file"),
            station=station,
            valid_only=data["valid_only"],
            too_large=bool(self.upload_handler and self.upload_handler.too_large),
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ImportJobSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(ImportJobSerializer(self.get_object()).data)

    @extend_schema(request=ConfirmSerializer, responses={202: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Import a checked sheet (only its uploader may); follow it with ``progress``."""
        job = self.get_object()
        form = ConfirmSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        job = services.job_confirm(
            actor=request.user, job=job, valid_only=form.validated_data.get("valid_only")
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=ProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        return Response(progress_of(self.get_object()))
