"""API views for volunteers, their ledger, skills and teams (staff), scoped like the pages: a
volunteer or team outside the user's subtree is a 404; every write goes through the services,
which check the role and write the audit log. Answers say ``Cache-Control: no-store``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, parsers, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.activities.models import Activity
from wushe.core.api import parse_id, scoped_or_404
from wushe.core.parsers import JSONParser
from wushe.people import roles
from wushe.volunteers import ledger_services, selectors, services, skill_services
from wushe.volunteers.api.filtersets import VolunteerApiFilterSet
from wushe.volunteers.api.serializers import (
    AccountSerializer,
    CertificateIssueSerializer,
    CertificateSerializer,
    CorrectSerializer,
    HonourSerializer,
    InviteSerializer,
    LedgerEntrySerializer,
    RedeemSerializer,
    ServiceSerializer,
    SkillSerializer,
    SkillUpdateSerializer,
    VolunteerCreateSerializer,
    VolunteerDetailSerializer,
    VolunteerSearchSerializer,
    VolunteerSerializer,
    VolunteerUpdateSerializer,
)
from wushe.volunteers.certificate_pdf import pdf_response
from wushe.volunteers.certificates import certificate_issue, certificate_printed, may_issue
from wushe.volunteers.models import Certificate, LedgerEntry, Skill, Volunteer

ENTRY_ID = OpenApiParameter("entry_id", int, OpenApiParameter.PATH)
CERTIFICATE_ID = OpenApiParameter("certificate_id", int, OpenApiParameter.PATH)
READS = ("list", "retrieve", "search", "ledger", "metadata", "certificate_pdf")


class NoStore:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class CanWriteVolunteers(permissions.BasePermission):
    """Auditors read but never write: 403 before a new record's payload is checked; for an
    existing record, after the scoped lookup has answered 404 outside the subtree."""

    message = _("Your role cannot change volunteers' records.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or services.can_write(request.user)

    def has_object_permission(self, request: Request, view, obj) -> bool:
        writes = view.action not in READS and not (
            view.action == "certificates" and request.method == "GET"
        )
        return not writes or services.can_write(request.user)


def skills_by_code(codes: list[str] | None) -> list[Skill] | None:
    """Skills named by their codes; an unknown code is a field error."""
    if codes is None:
        return None
    found = {skill.code: skill for skill in Skill.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise services.field_error(
            "skills", _("Unknown skill: %(codes)s.") % {"codes": ", ".join(unknown[:5])}, "unknown"
        )
    return [found[code] for code in dict.fromkeys(codes)]


class VolunteerViewSet(
    NoStore, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """志愿者: volunteers in the user's subtree. ID numbers and phones are masked; an ID number
    is searched with ``POST search/``, never in a URL."""

    serializer_class = VolunteerSerializer
    permission_classes = [permissions.IsAuthenticated, CanWriteVolunteers]
    filterset_class = VolunteerApiFilterSet
    parser_classes = [JSONParser, parsers.FormParser]

    def get_queryset(self):
        volunteers = selectors.volunteer_list(user=self.request.user)
        return selectors.with_totals(volunteers).prefetch_related("skills")

    def get_object(self) -> Volunteer:
        volunteer = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, volunteer)
        return volunteer

    def _detail(self, volunteer: Volunteer) -> dict:
        fresh = self.get_queryset().get(pk=volunteer.pk)
        context = {
            "summary": selectors.volunteer_summary(fresh),
            "roles": roles.roles_visible(fresh.id_hash, self.request.user),
        }
        return VolunteerDetailSerializer(fresh, context=context).data

    @extend_schema(responses=VolunteerDetailSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """Opening a volunteer's record is a view in the audit log."""
        volunteer = services.volunteer_open(actor=request.user, volunteer=self.get_object())
        return Response(self._detail(volunteer))

    @extend_schema(request=VolunteerCreateSerializer, responses={201: VolunteerDetailSerializer})
    def create(self, request: Request) -> Response:
        form = VolunteerCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        skills = skills_by_code(data.pop("skills", [])) or []
        volunteer = services.volunteer_register(actor=request.user, skills=skills, **data)
        return Response(self._detail(volunteer), status=status.HTTP_201_CREATED)

    @extend_schema(request=VolunteerUpdateSerializer, responses=VolunteerDetailSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        volunteer = self.get_object()
        form = VolunteerUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        skills = skills_by_code(data.pop("skills", None))
        services.volunteer_update(actor=request.user, volunteer=volunteer, skills=skills, **data)
        return Response(self._detail(volunteer))

    @extend_schema(request=VolunteerSearchSerializer, responses=VolunteerSerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request: Request) -> Response:
        """By name, pinyin, initials, volunteer number or exact ID number, sent in the body."""
        form = VolunteerSearchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        found = selectors.volunteer_search(user=request.user, query=form.validated_data["q"])
        page = self.paginate_queryset(
            self.filter_queryset(selectors.with_totals(found).prefetch_related("skills"))
        )
        return self.get_paginated_response(VolunteerSerializer(page, many=True).data)

    @extend_schema(request=InviteSerializer, responses={201: AccountSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def invite(self, request: Request, pk: str | None = None) -> Response:
        """A portal account (role volunteer), so they see their own hours, points and tasks."""
        volunteer = self.get_object()
        form = InviteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = services.volunteer_invite(
            actor=request.user, volunteer=volunteer, **form.validated_data
        )
        return Response(AccountSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=LedgerEntrySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def ledger(self, request: Request, pk: str | None = None) -> Response:
        """志愿服务记录: the volunteer's entries, newest first."""
        entries = self.paginate_queryset(selectors.ledger_of(self.get_object()))
        return self.get_paginated_response(LedgerEntrySerializer(entries, many=True).data)

    def _entry(self, request: Request, serializer_class, write) -> Response:
        volunteer = self.get_object()
        form = serializer_class(data=request.data)
        form.is_valid(raise_exception=True)
        entry = write(actor=request.user, volunteer=volunteer, **form.validated_data)
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ServiceSerializer, responses={201: LedgerEntrySerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def service(self, request: Request, pk: str | None = None) -> Response:
        """服务获得: hours served; points by the region's rule."""

        def write(*, activity=None, **values):
            if activity is not None:
                visible = Activity.objects.visible_to(request.user).filter(pk=activity).first()
                if visible is None:
                    raise services.field_error("activity", _("No such activity."), "not_found")
                activity = visible
            return ledger_services.service_record(activity=activity, **values)

        return self._entry(request, ServiceSerializer, write)

    @extend_schema(request=HonourSerializer, responses={201: LedgerEntrySerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def honour(self, request: Request, pk: str | None = None) -> Response:
        """荣誉时长 (administrators): hours without points."""
        return self._entry(request, HonourSerializer, ledger_services.honour_hours)

    @extend_schema(request=RedeemSerializer, responses={201: LedgerEntrySerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def redeem(self, request: Request, pk: str | None = None) -> Response:
        """兑换: refused above the points the volunteer has."""
        return self._entry(request, RedeemSerializer, ledger_services.points_redeem)

    @extend_schema(
        request=CorrectSerializer, responses={201: LedgerEntrySerializer}, parameters=[ENTRY_ID]
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        url_path=r"entries/(?P<entry_id>[^/]+)/correct",
    )
    def correct(self, request: Request, pk: str | None = None, entry_id: str | None = None):
        """更正 (managers and administrators): a reversing entry."""
        volunteer = self.get_object()
        entries = LedgerEntry.objects.filter(volunteer=volunteer)
        entry = scoped_or_404(request, entries, pk=parse_id(entry_id))
        form = CorrectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        correction = ledger_services.entry_correct(
            actor=request.user, entry=entry, reason=form.validated_data["reason"]
        )
        return Response(LedgerEntrySerializer(correction).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=CertificateSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=CertificateIssueSerializer, responses={201: CertificateSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def certificates(self, request: Request, pk: str | None = None) -> Response:
        """志愿服务记录证明: those issued, or a new one (its PDF at ``certificates/{id}/pdf/``)."""
        volunteer = self.get_object()
        if request.method != "POST":
            return Response(CertificateSerializer(volunteer.certificates.all(), many=True).data)
        if not may_issue(request.user, volunteer):
            raise PermissionDenied(_("You cannot issue a certificate for this volunteer."))
        form = CertificateIssueSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        certificate = certificate_issue(
            actor=request.user, volunteer=volunteer, **form.validated_data
        )
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        parameters=[CERTIFICATE_ID],
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        url_path=r"certificates/(?P<certificate_id>[^/]+)/pdf",
    )
    def certificate_pdf(
        self, request: Request, pk: str | None = None, certificate_id: str | None = None
    ) -> HttpResponse:
        """The certificate's PDF, the same document each time; printing it is recorded."""
        volunteer = self.get_object()
        certificates = Certificate.objects.visible_to(request.user).filter(volunteer=volunteer)
        certificate = scoped_or_404(request, certificates, pk=parse_id(certificate_id))
        certificate_printed(actor=request.user, certificate=certificate)
        return pdf_response(certificate)


class SkillPermission(permissions.BasePermission):
    """Staff read the taxonomy; only administrators change it (403 before the payload)."""

    message = _("Only an administrator can change the skills list.")

    def has_permission(self, request: Request, view) -> bool:
        user = request.user
        if not user.is_authenticated or user.is_volunteer:
            return False
        return request.method in permissions.SAFE_METHODS or user.is_admin


class SkillViewSet(
    NoStore,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """技能: the shared taxonomy, with each skill's bit in the matching solver's mask.
    Administrators add, rename and retire skills; a skill is never deleted."""

    serializer_class = SkillSerializer
    permission_classes = [permissions.IsAuthenticated, SkillPermission]
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return selectors.skill_list(include_retired=True)

    def get_object(self) -> Skill:
        return scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))

    def perform_create(self, serializer) -> None:
        serializer.instance = skill_services.skill_create(
            actor=self.request.user,
            code=serializer.validated_data["code"],
            name=serializer.validated_data["name"],
        )

    @extend_schema(request=SkillUpdateSerializer, responses=SkillSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        skill = self.get_object()
        form = SkillUpdateSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        skill_services.skill_update(actor=request.user, skill=skill, **form.validated_data)
        return Response(SkillSerializer(skill).data)
