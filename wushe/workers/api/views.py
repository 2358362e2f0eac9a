"""API views of social workers. Reads start from the selectors (the user's subtree); a worker
outside it is a 404, recorded as denied; opening one is a view in the audit log. Writes go
through the services with the requesting user as actor; a role that may not do something gets
403 (after the 404 for what is outside). Answers hold personal data: not for caches."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.core.api import parse_id, scoped_or_404
from wushe.workers import selectors, services
from wushe.workers.api.serializers import (
    SocialWorkerInputSerializer,
    SocialWorkerSerializer,
    TrainingInputSerializer,
    TrainingSerializer,
    WorkerUnmaskedSerializer,
    WorkerUnmaskSerializer,
)
from wushe.workers.filtersets import SocialWorkerFilterSet
from wushe.workers.models import SocialWorker, Training

TRAINING_ID = OpenApiParameter("training_id", int, OpenApiParameter.PATH)


def _allowed(request: Request, view) -> bool:
    if view.action in ("create", "update", "partial_update"):
        return services.can_register(request.user)
    if view.action == "unmask":
        return services.can_unmask(request.user)
    if view.action in ("trainings", "training_delete") and request.method != "GET":
        return services.can_record_training(request.user)
    return True


class ByRole(permissions.BasePermission):
    """Managers and administrators keep the register; workers too record trainings; only the
    roles that may unmask a resident's numbers unmask a worker's; auditors read."""

    message = _("Your role cannot do this with social workers.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or _allowed(request, view)

    def has_object_permission(self, request: Request, view, obj) -> bool:
        return _allowed(request, view)


class SocialWorkerViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """社会工作者: social workers in the user's subtree, with their trainings."""

    serializer_class = SocialWorkerSerializer
    permission_classes = [permissions.IsAuthenticated, ByRole]
    filterset_class = SocialWorkerFilterSet

    def get_queryset(self):
        return selectors.worker_list(user=self.request.user)

    def get_object(self) -> SocialWorker:
        worker = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, worker)
        return worker

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def _input(self, serializer_class, **kwargs) -> dict:
        form = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        form.is_valid(raise_exception=True)
        return form.validated_data

    def _fresh(self, worker: SocialWorker, **kwargs) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=worker.pk)).data, **kwargs)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        worker = self.get_object()
        services.worker_open(actor=request.user, worker=worker)
        return Response(self.get_serializer(worker).data)

    @extend_schema(request=SocialWorkerInputSerializer, responses={201: SocialWorkerSerializer})
    def create(self, request: Request) -> Response:
        fields = self._input(SocialWorkerInputSerializer)
        worker = services.worker_register(actor=request.user, **fields)
        return self._fresh(worker, status=status.HTTP_201_CREATED)

    @extend_schema(request=SocialWorkerInputSerializer, responses=SocialWorkerSerializer)
    def update(self, request: Request, pk: str | None = None, partial: bool = False) -> Response:
        worker = self.get_object()
        fields = self._input(SocialWorkerInputSerializer, partial=partial)
        services.worker_update(actor=request.user, worker=worker, **fields)
        return self._fresh(worker)

    @extend_schema(request=SocialWorkerInputSerializer, responses=SocialWorkerSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(request=WorkerUnmaskSerializer, responses=WorkerUnmaskedSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def unmask(self, request: Request, pk: str | None = None) -> Response:
        """The full ID number or phone, in the body of a POST (never in a URL); audited."""
        worker = self.get_object()
        field = self._input(WorkerUnmaskSerializer)["field"]
        value = services.worker_unmask(actor=request.user, worker=worker, field=field)
        return Response({"field": field, "value": value})

    @extend_schema(methods=["GET"], request=None, responses=TrainingSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=TrainingInputSerializer, responses={201: TrainingSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def trainings(self, request: Request, pk: str | None = None) -> Response:
        """培训: the worker's trainings, newest first, or a new one."""
        worker = self.get_object()
        if request.method != "POST":
            found = selectors.worker_trainings(user=request.user, worker=worker)
            return Response(TrainingSerializer(found, many=True).data)
        fields = self._input(TrainingInputSerializer)
        training = services.training_add(actor=request.user, worker=worker, **fields)
        return Response(TrainingSerializer(training).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, parameters=[TRAINING_ID])
    @action(
        detail=True,
        methods=["delete"],
        filter_backends=[],
        url_path=r"trainings/(?P<training_id>[^/]+)",
    )
    def training_delete(
        self, request: Request, pk: str | None = None, training_id: str | None = None
    ) -> Response:
        """A training recorded by mistake."""
        worker = self.get_object()
        trainings = Training.objects.visible_to(request.user).filter(worker=worker)
        training = scoped_or_404(request, trainings, pk=parse_id(training_id))
        services.training_delete(actor=request.user, training=training)
        return Response(status=status.HTTP_204_NO_CONTENT)
