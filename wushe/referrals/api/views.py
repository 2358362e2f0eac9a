"""API views for referrals and transfer requests. Reads start from the two-sided
``visible_to(user)``: anything else is a 404. Writes go through the services, which check role
and scope and write the audit log. Every answer says ``Cache-Control: no-store``."""

from __future__ import annotations

import django_filters
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.casework.models import Case
from wushe.core.api import parse_id, scoped_or_404
from wushe.referrals import rules, selectors, services, transfers
from wushe.referrals.api.serializers import (
    CaseHistorySerializer,
    DepartmentAnswerSerializer,
    ReferralCreateSerializer,
    ReferralDecisionSerializer,
    ReferralSerializer,
    TransferCreateSerializer,
    TransferDecisionSerializer,
    TransferRequestSerializer,
)
from wushe.referrals.choices import ReferralStatus, TransferStatus
from wushe.referrals.models import Referral, TransferRequest
from wushe.regions.models import Site

BOXES = [("outgoing", gettext_lazy("Sent from my subtree")), ("incoming", gettext_lazy("Received"))]


class NoStore:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class CanWrite(permissions.BasePermission):
    """Auditors read but never write: 403 before a new request's payload is checked."""

    message = gettext_lazy("Your role cannot make referrals or transfer requests.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or rules.is_writer(request.user)


class BoxFilterSet(django_filters.FilterSet):
    """``?box=outgoing`` (sent from the user's subtree) or ``incoming``; ``?status=``."""

    box = django_filters.ChoiceFilter(choices=BOXES, method="filter_box")

    def filter_box(self, queryset, name, value):
        code_range = self.request.user.scope_range
        if value == "outgoing":
            return queryset.within(code_range)
        return queryset.other_side_within(code_range)


class ReferralFilterSet(BoxFilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)

    class Meta:
        model = Referral
        fields = ["box", "status"]


class TransferFilterSet(BoxFilterSet):
    status = django_filters.ChoiceFilter(choices=TransferStatus.choices)

    class Meta:
        model = TransferRequest
        fields = ["box", "status"]


class ReferralViewSet(NoStore, mixins.ListModelMixin, viewsets.GenericViewSet):
    """转介: referrals sent from the user's subtree or to a station in it. The receiving
    station accepts or returns with ``decide/``; for a department the sender records the
    answer with ``answer/``. ``case/`` shows the referred case (audited) to those who may read
    it through the referral."""

    serializer_class = ReferralSerializer
    permission_classes = [permissions.IsAuthenticated, CanWrite]
    filterset_class = ReferralFilterSet

    def get_queryset(self):
        return selectors.referral_list(user=self.request.user)

    def get_object(self):
        return scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))

    def _answer(self, referral, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=referral.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(responses=ReferralSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(self.get_object())

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request: Request) -> Response:
        form = ReferralCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        case = Case.objects.visible_to(request.user).filter(pk=data.pop("case")).first()
        if case is None:
            raise serializers.ValidationError({"case": [_("No such case.")]})
        station_id = data.pop("to_station", None)
        station = None
        if station_id is not None:
            station = Site.objects.filter(pk=station_id).first()
            if station is None:
                raise serializers.ValidationError({"to_station": [_("No such station.")]})
        referral = services.referral_create(
            actor=request.user, case=case, to_station=station, **data
        )
        return self._answer(referral, status.HTTP_201_CREATED)

    @extend_schema(request=ReferralDecisionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """接收 (accept) or 退回 (return, with a note) by the receiving station."""
        referral = self.get_object()
        form = ReferralDecisionSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        services.referral_decide(actor=request.user, referral=referral, **form.validated_data)
        return self._answer(referral)

    @extend_schema(request=DepartmentAnswerSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        """A department's answer, recorded by the sending station."""
        referral = self.get_object()
        form = DepartmentAnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.referral_record_department_answer(
            actor=request.user, referral=referral, **form.validated_data
        )
        return self._answer(referral)

    @extend_schema(request=None, responses=CaseHistorySerializer)
    @action(detail=True, methods=["get"], filter_backends=[])
    def case(self, request: Request, pk: str | None = None) -> Response:
        """The referred case, its records and referrals; an audited view. 404 for a user who
        sees the referral but may not read the case (a receiver once it is returned)."""
        referral = self.get_object()
        history = selectors.referral_case_history(user=request.user, referral=referral)
        if history is None:
            audit_denied(
                actor=request.user,
                action=Action.VIEW,
                object_type="casework.case",
                object_id=str(referral.case_id),
            )
            raise Http404
        return Response(CaseHistorySerializer(history, context={"request": request}).data)


class TransferRequestViewSet(NoStore, mixins.ListModelMixin, viewsets.GenericViewSet):
    """档案转移申请: requests made for villages of the user's subtree, or for files held in it.
    The holding station approves (the file moves) or declines with ``decide/``. A requester
    sees nothing of the file until it is theirs."""

    serializer_class = TransferRequestSerializer
    permission_classes = [permissions.IsAuthenticated, CanWrite]
    filterset_class = TransferFilterSet

    def get_queryset(self):
        return selectors.transfer_list(user=self.request.user)

    def get_object(self):
        return scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))

    def _context(self, transfers_) -> dict:
        files = selectors.residents_by_hash(
            user=self.request.user, hashes=[t.id_hash for t in transfers_]
        )
        return {**self.get_serializer_context(), "files": files}

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = TransferRequestSerializer(page, many=True, context=self._context(page)).data
        return self.get_paginated_response(data)

    def _answer(self, transfer, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=transfer.pk)
        data = TransferRequestSerializer(fresh, context=self._context([fresh])).data
        return Response(data, status=code)

    @extend_schema(responses=TransferRequestSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(self.get_object())

    @extend_schema(request=TransferCreateSerializer, responses={201: TransferRequestSerializer})
    def create(self, request: Request) -> Response:
        form = TransferCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        transfer = transfers.transfer_request_create(actor=request.user, **form.validated_data)
        return self._answer(transfer, status.HTTP_201_CREATED)

    @extend_schema(request=TransferDecisionSerializer, responses=TransferRequestSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """同意 (approve) or 拒绝 (decline, with a note) by the station holding the file."""
        transfer = self.get_object()
        form = TransferDecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        transfer = transfers.transfer_decide(
            actor=request.user, transfer=transfer, **form.validated_data
        )
        return self._answer(transfer)
