"""The volunteer's own tasks in the API (/api/volunteer/tasks/): only a volunteer account's own
tasks, with the minimum of the person served (name, village, need, masked phone). Any other
task id, and any staff account, gets 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.core.api import parse_id
from wushe.matching import portal, task_services
from wushe.matching.api.serializers import AnswerSerializer
from wushe.matching.models import Task


class PortalTaskSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    need = serializers.CharField(source="need.description", read_only=True)
    service_area = serializers.CharField(source="need.get_service_area_display", read_only=True)
    urgency = serializers.CharField(source="need.get_urgency_display", read_only=True)
    date_from = serializers.DateField(source="need.date_from", read_only=True)
    date_to = serializers.DateField(source="need.date_to", read_only=True)
    window = serializers.IntegerField(source="need.window", read_only=True)
    station = serializers.CharField(source="need.station.name", read_only=True)
    name = serializers.SerializerMethodField()
    village = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField(help_text="Masked, e.g. 138****5678.")

    class Meta:
        model = Task
        fields = [
            "id", "status", "status_label", "offered_at", "answered_at", "served_on", "hours",
            "need", "service_area", "urgency", "date_from", "date_to", "window", "station",
            "name", "village", "phone",
        ]  # fmt: skip
        read_only_fields = fields

    def get_name(self, task: Task) -> str:
        return portal.served(task).name

    def get_village(self, task: Task) -> str:
        return portal.served(task).village

    def get_phone(self, task: Task) -> str:
        return portal.served(task).phone


class VolunteerTaskViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """我的任务: the signed-in volunteer's own tasks."""

    serializer_class = PortalTaskSerializer
    queryset = Task.objects.none()  # for the schema; get_queryset reads the volunteer's own
    filter_backends: list = []

    def get_queryset(self):
        if not self.request.user.is_volunteer:
            raise Http404
        return portal.own_tasks(self.request.user)

    def get_object(self) -> Task:
        self.get_queryset()  # staff: 404
        return portal.own_task_or_404(self.request.user, parse_id(self.kwargs["pk"]))

    def retrieve(self, request: Request, pk=None) -> Response:
        task = portal.task_open(actor=request.user, task=self.get_object())
        return Response(self.get_serializer(task).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    @extend_schema(request=AnswerSerializer, responses=PortalTaskSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk=None) -> Response:
        """接受 (accept) or 谢绝 (decline) the task."""
        task = self.get_object()
        form = AnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        accept = form.validated_data["answer"] == "accept"
        service = task_services.task_accept if accept else task_services.task_decline
        service(actor=request.user, task=task)
        return Response(PortalTaskSerializer(portal.own_task_or_404(request.user, task.pk)).data)
