"""API views for residents' files. Reads start from ``selectors.resident_list`` (the user's
subtree); a file outside it is a 404. Opening a file, unmasking a number and every write go
through ``people.services``, which check the role and write the audit log. Every answer says
``Cache-Control: no-store``."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, parsers, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.core.api import parse_id, scoped_or_404
from wushe.core.parsers import JSONParser
from wushe.people import selectors, services
from wushe.people.api.filtersets import ResidentApiFilterSet
from wushe.people.api.serializers import (
    ConsentInputSerializer,
    ConsentSerializer,
    ResidentCreateSerializer,
    ResidentSerializer,
    ResidentUpdateSerializer,
    SearchSerializer,
    UnmaskedSerializer,
    UnmaskSerializer,
    nested_consent_errors,
)
from wushe.people.models import Consent, Resident

CONSENT_ID = OpenApiParameter("consent_id", int, OpenApiParameter.PATH)


def _writes(request: Request, view) -> bool:
    if view.action in ("create", "partial_update", "withdraw_consent"):
        return True
    return view.action == "consents" and request.method == "POST"


class CanWriteResidents(permissions.BasePermission):
    """Auditors read but never write: 403 before a new file's payload is checked; for an
    existing file, after the scoped lookup has answered 404 for files outside the subtree."""

    message = _("Your role cannot change residents' files.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or request.user.role in services.WRITERS

    def has_object_permission(self, request: Request, view, obj) -> bool:
        return not _writes(request, view) or request.user.role in services.WRITERS


class ResidentViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """居民档案: residents' files in the user's subtree. ID numbers and phones are masked; an
    ID number is searched with ``POST search/``, never in a URL."""

    serializer_class = ResidentSerializer
    permission_classes = [permissions.IsAuthenticated, CanWriteResidents]
    filterset_class = ResidentApiFilterSet
    parser_classes = [JSONParser, parsers.FormParser]

    def get_queryset(self):
        return selectors.resident_list(user=self.request.user).prefetch_related("categories")

    def get_object(self) -> Resident:
        resident = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, resident)
        return resident

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def _paginated(self, queryset) -> Response:
        page = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(ResidentSerializer(page, many=True).data)

    @extend_schema(responses=ResidentSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """Opening a file is a view in the audit log."""
        resident = services.resident_open(actor=request.user, resident=self.get_object())
        return Response(ResidentSerializer(resident).data)

    @extend_schema(request=ResidentCreateSerializer, responses={201: ResidentSerializer})
    def create(self, request: Request) -> Response:
        form = ResidentCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        try:
            resident = services.resident_file(actor=request.user, **form.validated_data)
        except DjangoValidationError as error:
            raise nested_consent_errors(error) from error
        data = ResidentSerializer(self._fresh(resident)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ResidentUpdateSerializer, responses=ResidentSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        resident = self.get_object()
        form = ResidentUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        services.resident_update(actor=request.user, resident=resident, **form.validated_data)
        return Response(ResidentSerializer(self._fresh(resident)).data)

    def _fresh(self, resident: Resident) -> Resident:
        return self.get_queryset().get(pk=resident.pk)

    @extend_schema(request=SearchSerializer, responses=ResidentSerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request: Request) -> Response:
        """By name, pinyin, initials or exact ID number, sent in the body (never in a URL)."""
        form = SearchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        found = selectors.resident_search(user=request.user, query=form.validated_data["q"])
        return self._paginated(found.prefetch_related("categories"))

    @extend_schema(request=UnmaskSerializer, responses=UnmaskedSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def unmask(self, request: Request, pk: str | None = None) -> Response:
        """One number in full, for a role that may see it; recorded as a view."""
        resident = self.get_object()
        form = UnmaskSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        value = services.resident_unmask(
            actor=request.user, resident=resident, field=form.validated_data["field"]
        )
        return Response({"value": value})

    @extend_schema(methods=["GET"], request=None, responses=ConsentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ConsentInputSerializer, responses={201: ConsentSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def consents(self, request: Request, pk: str | None = None) -> Response:
        """知情同意 of a file: the list, or a new one."""
        resident = self.get_object()
        if request.method != "POST":  # GET or HEAD
            consents = Consent.objects.visible_to(request.user).filter(resident=resident)
            return Response(ConsentSerializer(consents, many=True).data)
        form = ConsentInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        consent = services.consent_record(
            actor=request.user, resident=resident, **form.validated_data
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ConsentSerializer, parameters=[CONSENT_ID])
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        url_path=r"consents/(?P<consent_id>[^/]+)/withdraw",
    )
    def withdraw_consent(
        self, request: Request, pk: str | None = None, consent_id: str | None = None
    ) -> Response:
        """撤回同意: health notes cannot be written again until a new consent is recorded."""
        resident = self.get_object()
        consents = Consent.objects.visible_to(request.user).filter(resident=resident)
        consent = scoped_or_404(request, consents, pk=parse_id(consent_id))
        consent = services.consent_withdraw(actor=request.user, consent=consent)
        return Response(ConsentSerializer(consent).data)
