"""API views for volunteer teams (志愿服务队), scoped by the team's region."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.core.api import parse_id, scoped_or_404
from wushe.volunteers import selectors, services, team_services
from wushe.volunteers.api.serializers import TeamInputSerializer, TeamSerializer
from wushe.volunteers.api.views import NoStore
from wushe.volunteers.models import Volunteer, VolunteerTeam


class CanWriteTeams(permissions.BasePermission):
    message = _("Your role cannot change volunteers' records.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or services.can_write(request.user)

    def has_object_permission(self, request: Request, view, obj) -> bool:
        return request.method in permissions.SAFE_METHODS or services.can_write(request.user)


def _by_number(user, numbers: list[str], field: str) -> list[Volunteer]:
    numbers = [n.strip().upper() for n in numbers if n and n.strip()]
    found = {v.number: v for v in selectors.volunteer_list(user=user).filter(number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        message = _("No such volunteer: %(numbers)s.") % {"numbers": ", ".join(missing[:5])}
        raise services.field_error(field, message, "not_found")
    return [found[n] for n in dict.fromkeys(numbers)]


class TeamViewSet(
    NoStore,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """志愿服务队: teams in the user's subtree; members and leader by volunteer number."""

    serializer_class = TeamSerializer
    permission_classes = [permissions.IsAuthenticated, CanWriteTeams]
    filter_backends: list = []

    def get_queryset(self):
        return (
            VolunteerTeam.objects.visible_to(self.request.user)
            .select_related("region", "leader")
            .prefetch_related("members")
            .order_by(*VolunteerTeam._meta.ordering)
        )

    def get_object(self) -> VolunteerTeam:
        team = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, team)
        return team

    def _values(self, request: Request, partial: bool) -> dict:
        form = TeamInputSerializer(data=request.data, partial=partial, context={"request": request})
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        if "members" in values:
            values["members"] = _by_number(request.user, values["members"], "members")
        if "leader" in values:
            leader = values["leader"]
            values["leader"] = _by_number(request.user, [leader], "leader")[0] if leader else None
        return values

    def _fresh(self, team: VolunteerTeam) -> dict:
        return TeamSerializer(self.get_queryset().get(pk=team.pk)).data

    @extend_schema(request=TeamInputSerializer, responses={201: TeamSerializer})
    def create(self, request: Request) -> Response:
        team = team_services.team_create(actor=request.user, **self._values(request, False))
        return Response(self._fresh(team), status=status.HTTP_201_CREATED)

    @extend_schema(request=TeamInputSerializer, responses=TeamSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        team = self.get_object()
        team_services.team_update(actor=request.user, team=team, **self._values(request, True))
        return Response(self._fresh(team))

    def perform_destroy(self, instance: VolunteerTeam) -> None:
        team_services.team_delete(actor=self.request.user, team=instance)
