"""API views of community activities. Reads start from ``selectors.activity_list`` (the user's
subtree); an activity outside it is a 404. Writes go through ``activities.services`` with the
requesting user as actor; auditors get 403 (after the 404 for what is outside)."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.activities import selectors, services
from wushe.activities.api.serializers import (
    ActivityInputSerializer,
    ActivitySerializer,
    ParticipantSerializer,
    ParticipantsSerializer,
)
from wushe.activities.filtersets import ActivityFilterSet
from wushe.activities.models import Activity
from wushe.core.api import parse_id, scoped_or_404


class CanWrite(permissions.BasePermission):
    message = _("Your role cannot record service work.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or request.user.role in services.WRITERS

    def has_object_permission(self, request: Request, view, obj) -> bool:
        safe = request.method in permissions.SAFE_METHODS
        return safe or request.user.role in services.WRITERS


class ActivityViewSet(viewsets.ModelViewSet):
    """社区活动: community activities held in the user's subtree."""

    serializer_class = ActivitySerializer
    permission_classes = [permissions.IsAuthenticated, CanWrite]
    filterset_class = ActivityFilterSet

    def get_queryset(self):
        return selectors.activity_list(user=self.request.user)

    def get_object(self) -> Activity:
        activity = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, activity)
        return activity

    def finalize_response(self, request, response, *args, **kwargs):
        # Participants are residents by name: not for caches.
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def _fresh(self, activity: Activity) -> dict:
        return ActivitySerializer(self.get_queryset().get(pk=activity.pk)).data

    def _context(self, activity: Activity | None = None) -> dict:
        return {**self.get_serializer_context(), "activity": activity}

    @extend_schema(request=ActivityInputSerializer, responses={201: ActivitySerializer})
    def create(self, request: Request) -> Response:
        form = ActivityInputSerializer(data=request.data, context=self._context())
        form.is_valid(raise_exception=True)
        activity = services.activity_create(actor=request.user, **form.validated_data)
        return Response(self._fresh(activity), status=status.HTTP_201_CREATED)

    @extend_schema(request=ActivityInputSerializer, responses=ActivitySerializer)
    def update(self, request: Request, pk: str | None = None, partial: bool = False) -> Response:
        activity = self.get_object()
        form = ActivityInputSerializer(
            data=request.data, partial=partial, context=self._context(activity)
        )
        form.is_valid(raise_exception=True)
        fields = dict(form.validated_data)
        if not partial:
            fields.setdefault("region", fields["station"].region)  # PUT without it: the default
        services.activity_update(actor=request.user, activity=activity, **fields)
        return Response(self._fresh(activity))

    @extend_schema(request=ActivityInputSerializer, responses=ActivitySerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk, partial=True)

    def perform_destroy(self, instance: Activity) -> None:
        services.activity_delete(actor=self.request.user, activity=instance)

    @extend_schema(methods=["GET"], request=None, responses=ParticipantSerializer(many=True))
    @extend_schema(
        methods=["PUT"], request=ParticipantsSerializer, responses=ParticipantSerializer(many=True)
    )
    @action(detail=True, methods=["get", "put"], filter_backends=[], pagination_class=None)
    def participants(self, request: Request, pk: str | None = None) -> Response:
        """参与居民: the named participants (PUT replaces the list)."""
        activity = self.get_object()
        if request.method == "PUT":
            form = ParticipantsSerializer(data=request.data, context=self._context(activity))
            form.is_valid(raise_exception=True)
            services.activity_participants_set(
                actor=request.user,
                activity=activity,
                participants=form.validated_data["participants"],
            )
        residents = selectors.activity_participants(activity=activity)
        context = self.get_serializer_context()
        return Response(ParticipantSerializer(residents, many=True, context=context).data)
