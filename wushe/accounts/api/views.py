"""API views for the current user, tokens and accounts."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wushe.accounts import services
from wushe.accounts.api.serializers import (
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserCreateSerializer,
    UserSerializer,
)
from wushe.accounts.models import User
from wushe.core.api import parse_id, scoped_or_404


class MeView(APIView):
    """The signed-in user: name, role and region."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class TokenView(APIView):
    """Exchange a username and password for an API token (send it as ``Authorization: Token …``).

    It is a login like the login page: through django.contrib.auth.authenticate, so a locked
    account stays locked (django-axes) and failures and successes go to the audit log.
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong username or password, or a field missing."),
            429: OpenApiResponse(description="The account is locked after repeated failures."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(request, **form.validated_data)
        # Axes flags the request it was given when the account is (or just became) locked.
        if getattr(request, "axes_locked_out", False):
            return Response(
                {"detail": _("Too many failed logins: this account is locked for a while.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Wrong username or password.")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response({"token": token.key})


class CanCreateUsers(permissions.BasePermission):
    """Others than administrators are told 403 before the payload is checked."""

    message = gettext_lazy("Only an administrator can create users.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or request.user.is_admin


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """用户: accounts in the user's subtree. Only administrators create them (the service says
    so), inside their subtree and at or below their own role."""

    filterset_fields = ["role", "is_active"]
    permission_classes = [permissions.IsAuthenticated, CanCreateUsers]

    def get_queryset(self):
        return User.objects.visible_to(self.request.user).select_related("region")

    def get_serializer_class(self):
        return UserCreateSerializer if self.action == "create" else UserSerializer

    def get_object(self) -> User:
        return scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        form = UserCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        user = services.user_create(actor=request.user, **form.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)
