"""API views of social organisations. Reads start from the selectors (the user's subtree); an
organisation outside it is a 404, recorded as denied. Writes go through the services with the
requesting user as actor; auditors get 403 (after the 404 for what is outside). Organisations
are deregistered, never deleted: there is no DELETE."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.core.api import parse_id, scoped_or_404
from wushe.organisations import selectors, services
from wushe.organisations.api.serializers import (
    IncubationEnterSerializer,
    IncubationLeaveSerializer,
    IncubationSerializer,
    OrganisationDetailSerializer,
    OrganisationInputSerializer,
    OrganisationSerializer,
)
from wushe.organisations.filtersets import OrganisationFilterSet
from wushe.organisations.models import Organisation


class CanWrite(permissions.BasePermission):
    """Auditors read but never write: 403 before a new organisation's payload is checked; for
    an existing one, after the scoped lookup has answered 404 for those outside the subtree."""

    message = _("Your role cannot change social organisations.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or services.can_write(request.user)

    def has_object_permission(self, request: Request, view, obj) -> bool:
        return request.method in permissions.SAFE_METHODS or services.can_write(request.user)


class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """社会组织: organisations in the user's subtree, with their service areas and incubation."""

    serializer_class = OrganisationSerializer
    permission_classes = [permissions.IsAuthenticated, CanWrite]
    filterset_class = OrganisationFilterSet

    def get_queryset(self):
        organisations = selectors.organisation_list(user=self.request.user)
        if self.action != "list":
            organisations = organisations.prefetch_related("incubations__site")
        return organisations

    def get_serializer_class(self):
        return OrganisationSerializer if self.action == "list" else OrganisationDetailSerializer

    def get_object(self) -> Organisation:
        organisation = scoped_or_404(
            self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"])
        )
        self.check_object_permissions(self.request, organisation)
        return organisation

    def _input(self, serializer_class, **kwargs) -> dict:
        form = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        form.is_valid(raise_exception=True)
        return form.validated_data

    def _fresh(self, organisation: Organisation, **kwargs) -> Response:
        fresh = self.get_queryset().get(pk=organisation.pk)
        return Response(OrganisationDetailSerializer(fresh).data, **kwargs)

    @extend_schema(
        request=OrganisationInputSerializer, responses={201: OrganisationDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        fields = self._input(OrganisationInputSerializer)
        organisation = services.organisation_register(actor=request.user, **fields)
        return self._fresh(organisation, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrganisationInputSerializer, responses=OrganisationDetailSerializer)
    def update(self, request: Request, pk: str | None = None, partial: bool = False) -> Response:
        organisation = self.get_object()
        fields = self._input(OrganisationInputSerializer, partial=partial)
        services.organisation_update(actor=request.user, organisation=organisation, **fields)
        return self._fresh(organisation)

    @extend_schema(request=OrganisationInputSerializer, responses=OrganisationDetailSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(request=IncubationEnterSerializer, responses={201: IncubationSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], url_path="incubation/enter")
    def incubation_enter(self, request: Request, pk: str | None = None) -> Response:
        """入驻孵化基地: a site (``site``) or a named base (``base_name``), from ``entered_on``."""
        organisation = self.get_object()
        fields = self._input(IncubationEnterSerializer)
        period = services.incubation_enter(actor=request.user, organisation=organisation, **fields)
        return Response(IncubationSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IncubationLeaveSerializer, responses=IncubationSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], url_path="incubation/leave")
    def incubation_leave(self, request: Request, pk: str | None = None) -> Response:
        """出壳: the organisation left its incubation base on ``left_on``."""
        organisation = self.get_object()
        fields = self._input(IncubationLeaveSerializer)
        period = services.incubation_leave(actor=request.user, organisation=organisation, **fields)
        return Response(IncubationSerializer(period).data)
