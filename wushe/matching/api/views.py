"""API views of the three lists and matching. Reads start from the selectors (the user's
subtree); a record outside it is a 404. Writes go through the services with the requesting
user as actor; auditors get 403 (after the 404 for what is outside)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.core.api import parse_id, scoped_or_404
from wushe.matching import (
    need_services,
    offer_services,
    project_services,
    run_services,
    selectors,
    task_services,
)
from wushe.matching.api import serializers as s
from wushe.matching.filtersets import NeedFilterSet, ProjectFilterSet, TaskFilterSet
from wushe.matching.models import Proposal

WRITE_ACTIONS = ("create", "update", "partial_update")


class CanWrite(permissions.BasePermission):
    """Auditors read but never write: 403 before a new record's payload is checked; for an
    existing one, after the scoped lookup has answered 404 for records outside the subtree."""

    message = _("Your role cannot change the three lists.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or request.user.role in need_services.WRITERS

    def has_object_permission(self, request: Request, view, obj) -> bool:
        safe = request.method in permissions.SAFE_METHODS
        return safe or request.user.role in need_services.WRITERS


class ScopedViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, CanWrite]

    def get_object(self):
        obj = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, obj)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        # Needs and tasks name residents: not for caches.
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def _fresh(self, obj) -> dict:
        return self.serializer_class(self.get_queryset().get(pk=obj.pk)).data


class ListRetrieve(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass


class NeedViewSet(ListRetrieve):
    """需求清单: needs recorded by the stations of the user's subtree."""

    serializer_class = s.NeedSerializer
    filterset_class = NeedFilterSet

    def get_queryset(self):
        return selectors.need_list(user=self.request.user)

    def retrieve(self, request: Request, pk=None) -> Response:
        need = need_services.need_open(actor=request.user, need=self.get_object())
        return Response(self.get_serializer(need).data)

    @extend_schema(request=s.NeedInputSerializer, responses={201: s.NeedSerializer})
    def create(self, request: Request) -> Response:
        form = s.NeedInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        need = need_services.need_create(actor=request.user, **form.validated_data)
        return Response(self._fresh(need), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.NeedInputSerializer, responses=s.NeedSerializer)
    def update(self, request: Request, pk=None, partial: bool = False) -> Response:
        need = self.get_object()
        form = s.NeedInputSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        need_services.need_update(actor=request.user, need=need, **form.validated_data)
        return Response(self._fresh(need))

    @extend_schema(request=s.NeedInputSerializer, responses=s.NeedSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(request=None, responses=s.NeedSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk=None) -> Response:
        """取消需求 (a task offered or under way for it is cancelled too)."""
        need = self.get_object()
        need_services.need_cancel(actor=request.user, need=need)
        return Response(self._fresh(need))


class OfferViewSet(ListRetrieve):
    """组织服务供给: organisations' offers on the resources list."""

    serializer_class = s.OfferSerializer

    def get_queryset(self):
        return selectors.offer_list(user=self.request.user)

    @extend_schema(request=s.OfferInputSerializer, responses={201: s.OfferSerializer})
    def create(self, request: Request) -> Response:
        form = s.OfferInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        offer = offer_services.offer_create(actor=request.user, **form.validated_data)
        return Response(self._fresh(offer), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OfferInputSerializer, responses=s.OfferSerializer)
    def update(self, request: Request, pk=None, partial: bool = False) -> Response:
        offer = self.get_object()
        form = s.OfferInputSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        offer_services.offer_update(actor=request.user, offer=offer, **form.validated_data)
        return Response(self._fresh(offer))

    @extend_schema(request=s.OfferInputSerializer, responses=s.OfferSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        return self.update(request, pk, partial=True)


class ProjectViewSet(ListRetrieve):
    """服务项目清单: projects of the stations of the user's subtree."""

    serializer_class = s.ProjectSerializer
    filterset_class = ProjectFilterSet

    def get_queryset(self):
        return selectors.project_list(user=self.request.user).prefetch_related("needs")

    @extend_schema(request=s.ProjectInputSerializer, responses={201: s.ProjectSerializer})
    def create(self, request: Request) -> Response:
        form = s.ProjectInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        project = project_services.project_create(actor=request.user, **form.validated_data)
        return Response(self._fresh(project), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ProjectInputSerializer, responses=s.ProjectSerializer)
    def update(self, request: Request, pk=None, partial: bool = False) -> Response:
        project = self.get_object()
        form = s.ProjectInputSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        fields = dict(form.validated_data)
        if "needs" in fields:
            hidden = project.needs.exclude(pk__in=selectors.need_list(user=request.user))
            fields["needs"] = [
                *fields["needs"],
                *hidden,
            ]  # linked from above: they stay
        project_services.project_update(actor=request.user, project=project, **fields)
        return Response(self._fresh(project))

    @extend_schema(request=s.ProjectInputSerializer, responses=s.ProjectSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        return self.update(request, pk, partial=True)


class RunViewSet(ListRetrieve):
    """对接批次: matching runs; POST runs matching for a station or a county."""

    serializer_class = s.RunSerializer

    def get_queryset(self):
        return selectors.run_list(user=self.request.user)

    @extend_schema(request=s.RunInputSerializer, responses={201: s.RunSerializer})
    def create(self, request: Request) -> Response:
        form = s.RunInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        result = run_services.match_run(
            actor=request.user, today=timezone.localdate(), **form.validated_data
        )
        body = s.RunSerializer(result.summary).data
        if result.run is None:  # a dry run: the proposals it would make, nothing stored
            body["proposals"] = [_proposal_preview(p) for p in result.proposals]
            return Response(body, status=status.HTTP_200_OK)
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.ProposalSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def proposals(self, request: Request, pk=None) -> Response:
        rows = selectors.run_proposals(user=request.user, run=self.get_object())
        return Response(s.ProposalSerializer(rows, many=True).data)

    @extend_schema(responses=s.UnmetSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def unmet(self, request: Request, pk=None) -> Response:
        rows = selectors.run_unmet(user=request.user, run=self.get_object())
        return Response(s.UnmetSerializer(rows, many=True).data)


def _proposal_preview(proposal: Proposal) -> dict:
    return {
        "need": proposal.need_id,
        "volunteer": proposal.volunteer_id,
        "offer": proposal.offer_id,
        "distance_km": proposal.distance_km,
        "cost": proposal.cost,
    }


class ProposalViewSet(ListRetrieve):
    """对接建议: accept (a task is offered), reject, or change the supplier by hand."""

    serializer_class = s.ProposalSerializer

    def get_queryset(self):
        return Proposal.objects.visible_to(self.request.user).select_related(
            "need",
            "volunteer",
            "offer__organisation",
            "next_volunteer",
            "next_offer",
            "task",
        )

    @extend_schema(request=None, responses={201: s.TaskSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk=None) -> Response:
        task = task_services.proposal_accept(
            actor=request.user, proposal=self.get_object(), today=timezone.localdate()
        )
        return Response(s.TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk=None) -> Response:
        proposal = task_services.proposal_reject(actor=request.user, proposal=self.get_object())
        return Response(self._fresh(proposal))

    @extend_schema(request=s.SupplierInputSerializer, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def edit(self, request: Request, pk=None) -> Response:
        """Another volunteer or organisation by hand, within the hard constraints."""
        proposal = self.get_object()
        form = s.SupplierInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        supplier = form.validated_data.get("volunteer") or form.validated_data.get("offer")
        task_services.proposal_edit(
            actor=request.user,
            proposal=proposal,
            supplier=supplier,
            today=timezone.localdate(),
        )
        return Response(self._fresh(proposal))


class TaskViewSet(ListRetrieve):
    """服务任务: answered on a volunteer's behalf, withdrawn, or confirmed done with hours."""

    serializer_class = s.TaskSerializer
    filterset_class = TaskFilterSet

    def get_queryset(self):
        return selectors.task_list(user=self.request.user)

    @extend_schema(request=s.AnswerSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk=None) -> Response:
        task = self.get_object()
        form = s.AnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        accept = form.validated_data["answer"] == "accept"
        service = task_services.task_accept if accept else task_services.task_decline
        service(actor=request.user, task=task)
        return Response(self._fresh(task))

    @extend_schema(request=None, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        task = task_services.task_withdraw(actor=request.user, task=self.get_object())
        return Response(self._fresh(task))

    @extend_schema(request=s.CompleteSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk=None) -> Response:
        """确认完成: the hours go to the volunteer's ledger."""
        task = self.get_object()
        form = s.CompleteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        task_services.task_complete(actor=request.user, task=task, **form.validated_data)
        return Response(self._fresh(task))
