"""API views of group work. Reads start from the selectors (the user's subtree); a group, member
or session outside it is a 404. Writes go through the services with the requesting user as
actor; auditors get 403 (after the 404 for what is outside)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.core.api import parse_id, scoped_or_404
from wushe.groups import selectors, services, session_services
from wushe.groups.api.serializers import (
    AttendanceSerializer,
    GroupInputSerializer,
    GroupSerializer,
    LeaveSerializer,
    MemberInputSerializer,
    MemberSerializer,
    SessionInputSerializer,
    SessionSerializer,
)
from wushe.groups.filtersets import GroupFilterSet
from wushe.groups.models import Group, GroupMember, GroupSession

MEMBER_ID = OpenApiParameter("member_id", int, OpenApiParameter.PATH)
SESSION_ID = OpenApiParameter("session_id", int, OpenApiParameter.PATH)


class CanWrite(permissions.BasePermission):
    """Auditors read but never write: 403 before a new group's payload is checked; for an
    existing group, after the scoped lookup has answered 404 for groups outside the subtree."""

    message = _("Your role cannot record service work.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or request.user.role in services.WRITERS

    def has_object_permission(self, request: Request, view, obj) -> bool:
        safe = request.method in permissions.SAFE_METHODS
        return safe or request.user.role in services.WRITERS


class GroupViewSet(viewsets.ModelViewSet):
    """小组: group work in the user's subtree, with nested members, sessions and attendance."""

    serializer_class = GroupSerializer
    permission_classes = [permissions.IsAuthenticated, CanWrite]
    filterset_class = GroupFilterSet

    def get_queryset(self):
        return selectors.group_list(user=self.request.user)

    def get_object(self) -> Group:
        group = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, group)
        return group

    def finalize_response(self, request, response, *args, **kwargs):
        # Members and sessions name residents: not for caches.
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def _fresh(self, group: Group) -> dict:
        return GroupSerializer(self.get_queryset().get(pk=group.pk)).data

    @extend_schema(request=GroupInputSerializer, responses={201: GroupSerializer})
    def create(self, request: Request) -> Response:
        form = GroupInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        group = services.group_create(actor=request.user, **form.validated_data)
        return Response(self._fresh(group), status=status.HTTP_201_CREATED)

    @extend_schema(request=GroupInputSerializer, responses=GroupSerializer)
    def update(self, request: Request, pk: str | None = None, partial: bool = False) -> Response:
        group = self.get_object()
        form = GroupInputSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        services.group_update(actor=request.user, group=group, **form.validated_data)
        return Response(self._fresh(group))

    @extend_schema(request=GroupInputSerializer, responses=GroupSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk, partial=True)

    def perform_destroy(self, instance: Group) -> None:
        services.group_delete(actor=self.request.user, group=instance)

    # Members ------------------------------------------------------------------------------------

    def _member(self, group: Group, member_id: str | None) -> GroupMember:
        members = GroupMember.objects.visible_to(self.request.user).filter(group=group)
        return scoped_or_404(self.request, members, pk=parse_id(member_id))

    @extend_schema(methods=["GET"], request=None, responses=MemberSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=MemberInputSerializer, responses={201: MemberSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def members(self, request: Request, pk: str | None = None) -> Response:
        """组员: the list, or a resident joining."""
        group = self.get_object()
        if request.method != "POST":
            members = selectors.group_members(user=request.user, group=group)
            context = self.get_serializer_context()
            return Response(MemberSerializer(members, many=True, context=context).data)
        form = MemberInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        member = services.member_add(actor=request.user, group=group, **form.validated_data)
        member = selectors.group_members(user=request.user, group=group).get(pk=member.pk)
        data = MemberSerializer(member, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, parameters=[MEMBER_ID])
    @action(
        detail=True,
        methods=["delete"],
        filter_backends=[],
        url_path=r"members/(?P<member_id>[^/]+)",
    )
    def member_delete(
        self, request: Request, pk: str | None = None, member_id: str | None = None
    ) -> Response:
        """A member added by mistake, who attended no session."""
        member = self._member(self.get_object(), member_id)
        services.member_remove(actor=request.user, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=LeaveSerializer, responses=MemberSerializer, parameters=[MEMBER_ID])
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        url_path=r"members/(?P<member_id>[^/]+)/leave",
    )
    def member_leave(
        self, request: Request, pk: str | None = None, member_id: str | None = None
    ) -> Response:
        """退组: the member left on ``left_on``; their attendance stays."""
        group = self.get_object()
        member = self._member(group, member_id)
        form = LeaveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.member_remove(actor=request.user, member=member, **form.validated_data)
        member = selectors.group_members(user=request.user, group=group).get(pk=member.pk)
        return Response(MemberSerializer(member, context=self.get_serializer_context()).data)

    # Sessions -----------------------------------------------------------------------------------

    def _sessions(self, group: Group):
        members = Prefetch("attendees", queryset=GroupMember.objects.only("id"))
        return (
            GroupSession.objects.visible_to(self.request.user)
            .filter(group=group)
            .prefetch_related(members)
            .order_by("number", "id")
        )

    def _session(self, group: Group, session_id: str | None) -> GroupSession:
        return scoped_or_404(self.request, self._sessions(group), pk=parse_id(session_id))

    @extend_schema(methods=["GET"], request=None, responses=SessionSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=SessionInputSerializer, responses={201: SessionSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def sessions(self, request: Request, pk: str | None = None) -> Response:
        """节: the group's sessions by number, or a new one with the members present."""
        group = self.get_object()
        if request.method != "POST":
            return Response(SessionSerializer(self._sessions(group), many=True).data)
        form = SessionInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        session = session_services.session_record(
            actor=request.user, group=group, **form.validated_data
        )
        data = SessionSerializer(self._session(group, session.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=SessionSerializer)
    @extend_schema(methods=["PATCH"], request=SessionInputSerializer, responses=SessionSerializer)
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @extend_schema(parameters=[SESSION_ID])
    @action(
        detail=True,
        methods=["get", "patch", "delete"],
        filter_backends=[],
        url_path=r"sessions/(?P<session_id>[^/]+)",
    )
    def session(
        self, request: Request, pk: str | None = None, session_id: str | None = None
    ) -> Response:
        """One session: read, change (only the fields sent) or delete."""
        group = self.get_object()
        session = self._session(group, session_id)
        if request.method == "DELETE":
            session_services.session_delete(actor=request.user, session=session)
            return Response(status=status.HTTP_204_NO_CONTENT)
        if request.method == "PATCH":
            form = SessionInputSerializer(
                data=request.data, partial=True, context=self.get_serializer_context()
            )
            form.is_valid(raise_exception=True)
            session_services.session_update(
                actor=request.user, session=session, **form.validated_data
            )
            session = self._session(group, session.pk)
        return Response(SessionSerializer(session).data)

    @extend_schema(methods=["GET"], request=None, responses=AttendanceSerializer)
    @extend_schema(methods=["PUT"], request=AttendanceSerializer, responses=AttendanceSerializer)
    @extend_schema(parameters=[SESSION_ID])
    @action(
        detail=True,
        methods=["get", "put"],
        filter_backends=[],
        url_path=r"sessions/(?P<session_id>[^/]+)/attendance",
    )
    def attendance(
        self, request: Request, pk: str | None = None, session_id: str | None = None
    ) -> Response:
        """签到: the members present at a session (PUT replaces the list)."""
        group = self.get_object()
        session = self._session(group, session_id)
        if request.method == "PUT":
            form = AttendanceSerializer(data=request.data, context=self.get_serializer_context())
            form.is_valid(raise_exception=True)
            session_services.session_update(
                actor=request.user, session=session, attendees=form.validated_data["attendees"]
            )
            session = self._session(group, session.pk)
        attendees = sorted(member.pk for member in session.attendees.all())
        return Response({"attendees": attendees})
