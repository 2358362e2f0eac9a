"""API views of charity resources. Reads start from the selectors (the user's subtree); an
object outside it is a 404, recorded as denied. Writes go through the services with the
requesting user as actor; a role that may not do something gets 403 (after the 404 for what
is outside). Donors and donations name people: answers are not for caches."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.charity import fund_services, goods_services, selectors, services
from wushe.charity.api.serializers import (
    CancelSerializer,
    DisburseSerializer,
    DistributeSerializer,
    DonationInputSerializer,
    DonationSerializer,
    DonorInputSerializer,
    DonorSerializer,
    DonorUnmaskedSerializer,
    DonorUnmaskSerializer,
    FundEntrySerializer,
    FundInputSerializer,
    FundSerializer,
    FundUpdateSerializer,
    GoodsItemSerializer,
    GoodsMovementSerializer,
    ReverseSerializer,
)
from wushe.charity.filtersets import (
    DonationFilterSet,
    DonorFilterSet,
    FundFilterSet,
    GoodsFilterSet,
)
from wushe.charity.models import FundEntry, GoodsMovement
from wushe.charity.rules import can_supervise, can_write
from wushe.core.api import parse_id, scoped_or_404

ENTRY_ID = OpenApiParameter("entry_id", int, OpenApiParameter.PATH)
MOVEMENT_ID = OpenApiParameter("movement_id", int, OpenApiParameter.PATH)


class ByRole(permissions.BasePermission):
    """The view's ``writers`` (actions any writing role may do) and ``supervisors`` (actions
    for managers and administrators): checked before a new object's payload, and for an
    existing one after the scoped lookup has answered 404 for what is outside."""

    message = _("Your role cannot do this with charity resources.")

    def _allowed(self, request: Request, view) -> bool:
        if view.action in getattr(view, "supervisors", ()):
            return can_supervise(request.user)
        if view.action in getattr(view, "writers", ()):
            return can_write(request.user)
        return True

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or self._allowed(request, view)

    def has_object_permission(self, request: Request, view, obj) -> bool:
        return self._allowed(request, view)


class _Scoped(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, ByRole]

    def get_object(self):
        obj = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, obj)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def _input(self, serializer_class, **kwargs):
        form = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        form.is_valid(raise_exception=True)
        return form.validated_data

    def _fresh(self, obj, serializer_class=None, **kwargs) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        serializer = (serializer_class or self.get_serializer_class())(
            fresh, context=self.get_serializer_context()
        )
        return Response(serializer.data, **kwargs)

    def _page(self, queryset, serializer_class) -> Response:
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


class DonorViewSet(mixins.ListModelMixin, _Scoped):
    """捐赠方: donors in the user's subtree. ID numbers and phones are masked; opening one is a
    view in the audit log."""

    serializer_class = DonorSerializer
    filterset_class = DonorFilterSet
    writers = ("create", "partial_update", "unmask")

    def get_queryset(self):
        return selectors.donor_list(user=self.request.user)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        donor = self.get_object()
        services.donor_open(actor=request.user, donor=donor)
        return Response(self.get_serializer(donor).data)

    @extend_schema(request=DonorInputSerializer, responses={201: DonorSerializer})
    def create(self, request: Request) -> Response:
        donor = services.donor_register(actor=request.user, **self._input(DonorInputSerializer))
        return self._fresh(donor, status=status.HTTP_201_CREATED)

    @extend_schema(request=DonorInputSerializer, responses=DonorSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        donor = self.get_object()
        fields = self._input(DonorInputSerializer, partial=True)
        services.donor_update(actor=request.user, donor=donor, **fields)
        return self._fresh(donor)

    @extend_schema(request=DonorUnmaskSerializer, responses=DonorUnmaskedSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def unmask(self, request: Request, pk: str | None = None) -> Response:
        """The full ID number or phone, in the body of a POST (never in a URL); audited."""
        donor = self.get_object()
        field = self._input(DonorUnmaskSerializer)["field"]
        value = services.donor_unmask(actor=request.user, donor=donor, field=field)
        return Response({"field": field, "value": value})


class DonationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """捐赠: money (into a community fund or not) or goods (into the region's stock)."""

    serializer_class = DonationSerializer
    filterset_class = DonationFilterSet
    writers = ("create",)
    supervisors = ("cancel",)

    def get_queryset(self):
        return selectors.donation_list(user=self.request.user)

    @extend_schema(request=DonationInputSerializer, responses={201: DonationSerializer})
    def create(self, request: Request) -> Response:
        fields = self._input(DonationInputSerializer)
        donation = services.donation_receive(actor=request.user, **fields)
        return self._fresh(donation, status=status.HTTP_201_CREATED)

    @extend_schema(request=CancelSerializer, responses=DonationSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """撤销: a donation recorded by mistake; its ledger entries are reversed."""
        donation = self.get_object()
        reason = self._input(CancelSerializer)["reason"]
        services.donation_cancel(actor=request.user, donation=donation, reason=reason)
        return self._fresh(donation)


class CommunityFundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """社区基金: funds with their balance; ``ledger/`` lists the entries (newest first, each
    with the balance after it); ``disburse/`` spends (refused above the balance)."""

    serializer_class = FundSerializer
    filterset_class = FundFilterSet
    supervisors = ("create", "partial_update", "disburse", "reverse")

    def get_queryset(self):
        return selectors.fund_list(user=self.request.user)

    @extend_schema(request=FundInputSerializer, responses={201: FundSerializer})
    def create(self, request: Request) -> Response:
        fund = fund_services.fund_open(actor=request.user, **self._input(FundInputSerializer))
        return self._fresh(fund, status=status.HTTP_201_CREATED)

    @extend_schema(request=FundUpdateSerializer, responses=FundSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        fund = self.get_object()
        fields = self._input(FundUpdateSerializer, partial=True)
        fund_services.fund_update(actor=request.user, fund=fund, **fields)
        return self._fresh(fund)

    @extend_schema(request=None, responses=FundEntrySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def ledger(self, request: Request, pk: str | None = None) -> Response:
        """基金收支: the fund's entries, newest first, with the balance after each."""
        fund = self.get_object()
        return self._page(selectors.fund_ledger(user=request.user, fund=fund), FundEntrySerializer)

    @extend_schema(request=DisburseSerializer, responses={201: FundEntrySerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def disburse(self, request: Request, pk: str | None = None) -> Response:
        """支出: 400 with a message on ``amount``, and nothing written, above the balance."""
        fund = self.get_object()
        entry = fund_services.fund_disburse(
            actor=request.user, fund=fund, **self._input(DisburseSerializer)
        )
        return Response(FundEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReverseSerializer, responses={201: FundEntrySerializer}, parameters=[ENTRY_ID]
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        url_path=r"entries/(?P<entry_id>[^/]+)/reverse",
    )
    def reverse(self, request: Request, pk: str | None = None, entry_id: str | None = None):
        """冲正: a new entry in the other direction; the entry itself never changes."""
        fund = self.get_object()
        entries = FundEntry.objects.visible_to(request.user).filter(fund=fund)
        entry = scoped_or_404(request, entries, pk=parse_id(entry_id))
        reversal = fund_services.fund_entry_reverse(
            actor=request.user, entry=entry, **self._input(ReverseSerializer)
        )
        return Response(FundEntrySerializer(reversal).data, status=status.HTTP_201_CREATED)


class GoodsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """物资: goods in stock per region (they come in by donations); ``distribute/`` hands
    them out (refused above what is on hand); ``movements/`` lists the stock ledger."""

    serializer_class = GoodsItemSerializer
    filterset_class = GoodsFilterSet
    writers = ("distribute",)
    supervisors = ("reverse",)

    def get_queryset(self):
        return selectors.goods_stock(user=self.request.user)

    @extend_schema(request=None, responses=GoodsMovementSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def movements(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        movements = selectors.goods_movements(user=request.user, item=item)
        return self._page(movements, GoodsMovementSerializer)

    @extend_schema(request=DistributeSerializer, responses={201: GoodsMovementSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def distribute(self, request: Request, pk: str | None = None) -> Response:
        """发放: 400 with a message on ``quantity``, and nothing written, above the stock."""
        item = self.get_object()
        movement = goods_services.goods_distribute(
            actor=request.user, item=item, **self._input(DistributeSerializer)
        )
        return Response(GoodsMovementSerializer(movement).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReverseSerializer,
        responses={201: GoodsMovementSerializer},
        parameters=[MOVEMENT_ID],
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        url_path=r"movements/(?P<movement_id>[^/]+)/reverse",
    )
    def reverse(self, request: Request, pk: str | None = None, movement_id: str | None = None):
        item = self.get_object()
        movements = GoodsMovement.objects.visible_to(request.user).filter(item=item)
        movement = scoped_or_404(request, movements, pk=parse_id(movement_id))
        reversal = goods_services.goods_movement_reverse(
            actor=request.user, movement=movement, **self._input(ReverseSerializer)
        )
        return Response(GoodsMovementSerializer(reversal).data, status=status.HTTP_201_CREATED)
