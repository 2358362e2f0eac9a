"""API views for case work (个案). Reads start from ``selectors.case_list`` (the user's subtree,
or the people who live there now); opening a case, moving it on and recording service go
through the case services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.casework import case_services, selectors
from wushe.casework.api.common import CanRecordWork, NoStore
from wushe.casework.api.serializers import (
    CaseAdvanceSerializer,
    CaseDetailSerializer,
    CaseOpenSerializer,
    CaseRecordInputSerializer,
    CaseRecordSerializer,
    CaseSerializer,
)
from wushe.casework.cases import Stage, next_stage
from wushe.casework.filtersets import CaseFilterSet
from wushe.casework.forms import CHANGED_MEANWHILE
from wushe.casework.models import Case
from wushe.core.api import parse_id, scoped_or_404


class CaseViewSet(NoStore, mixins.ListModelMixin, viewsets.GenericViewSet):
    """个案: cases in the user's subtree, or of the people who live there now, moved through
    接案 → 预估 → 计划 → 介入 → 评估 → 结案 by ``advance/``. The list holds no case notes;
    opening one case (with them) is an audit-log view. Closing needs a supervisor."""

    serializer_class = CaseSerializer
    permission_classes = [permissions.IsAuthenticated, CanRecordWork]
    filterset_class = CaseFilterSet

    def get_queryset(self):
        return selectors.case_list(user=self.request.user)

    def get_object(self) -> Case:
        case = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, case)
        return case

    def _detail(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=case.pk)
        data = CaseDetailSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=code)

    @extend_schema(responses=CaseDetailSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        case = case_services.case_view(actor=request.user, case=self.get_object())
        return self._detail(case)

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseDetailSerializer})
    def create(self, request: Request) -> Response:
        """接案: open a case for a resident."""
        form = CaseOpenSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        case = case_services.case_open(actor=request.user, **form.validated_data)
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseAdvanceSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        """Move the case to its next stage with the fields that stage requires."""
        case = self.get_object()
        form = CaseAdvanceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = {k: v for k, v in form.validated_data.items() if v not in ("", None)}
        if fields.pop("from_stage", case.stage) != case.stage:
            raise serializers.ValidationError({"from_stage": [str(CHANGED_MEANWHILE)]})
        if "closed_on" in fields and next_stage(case.stage) != Stage.CLOSED:
            message = _("A closing date is given only when the case closes.")
            raise serializers.ValidationError({"closed_on": [message]})
        case_services.case_advance(actor=request.user, case=case, **fields)
        return self._detail(case)

    @extend_schema(methods=["GET"], request=None, responses=CaseRecordSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=CaseRecordInputSerializer, responses={201: CaseRecordSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def records(self, request: Request, pk: str | None = None) -> Response:
        """个案服务记录 of the case: the list, or a new one."""
        case = self.get_object()
        context = self.get_serializer_context()
        if request.method != "POST":  # GET or HEAD
            page = self.paginate_queryset(selectors.case_records(user=request.user, case=case))
            data = CaseRecordSerializer(page, many=True, context=context).data
            return self.get_paginated_response(data)
        form = CaseRecordInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        record = case_services.case_record_service(
            actor=request.user, case=case, **form.validated_data
        )
        data = CaseRecordSerializer(record, context=context).data
        return Response(data, status=status.HTTP_201_CREATED)
