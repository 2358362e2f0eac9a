"""The volunteer's own API (/api/volunteer/): their summary, their ledger, and their service
record certificates (issue one, download its PDF), read through their own record. Anyone else,
staff included, gets 404: the pages' rule."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wushe.core.api import parse_id
from wushe.volunteers import selectors
from wushe.volunteers.api.serializers import (
    CertificateSerializer,
    OwnEntrySerializer,
    SummarySerializer,
    VolunteerMeSerializer,
)
from wushe.volunteers.certificate_pdf import pdf_response
from wushe.volunteers.certificates import certificate_issue, certificate_printed
from wushe.volunteers.models import LedgerEntry, Volunteer

LATEST = 50


def own_or_404(request: Request) -> Volunteer:
    """The signed-in volunteer's own record; staff, and an account not linked yet, get 404."""
    volunteer = selectors.own_volunteer(request.user)
    if volunteer is None:
        raise Http404
    return volunteer


class _Own(APIView):
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class VolunteerMeView(_Own):
    @extend_schema(responses=VolunteerMeSerializer)
    def get(self, request: Request) -> Response:
        """志愿者本人: my hours, points, stars, latest entries and certificates."""
        volunteer = own_or_404(request)
        data = {
            "number": volunteer.number,
            "name": volunteer.name,
            "region_name": volunteer.region.name,
            "summary": SummarySerializer(selectors.volunteer_summary(volunteer)).data,
            "entries": OwnEntrySerializer(selectors.ledger_of(volunteer)[:LATEST], many=True).data,
            "certificates": CertificateSerializer(volunteer.certificates.all(), many=True).data,
        }
        return Response(data)


class OwnLedgerView(_Own, generics.ListAPIView):
    """我的服务记录: every entry of my ledger, newest first, without the staff's notes."""

    serializer_class = OwnEntrySerializer
    queryset = LedgerEntry.objects.none()  # for the schema; get_queryset reads my own
    filter_backends: list = []

    def get_queryset(self):
        return selectors.ledger_of(own_or_404(self.request))


class OwnCertificatesView(_Own):
    @extend_schema(responses=CertificateSerializer(many=True))
    def get(self, request: Request) -> Response:
        """我的志愿服务记录证明: those issued to me."""
        certificates = own_or_404(request).certificates.all()
        return Response(CertificateSerializer(certificates, many=True).data)

    @extend_schema(request=None, responses={201: CertificateSerializer})
    def post(self, request: Request) -> Response:
        """Issue my certificate (its PDF at ``certificates/{id}/pdf/``)."""
        certificate = certificate_issue(actor=request.user, volunteer=own_or_404(request))
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


class OwnCertificatePdfView(_Own):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, certificate_id: str) -> HttpResponse:
        """My certificate's PDF, the same document each time; printing it is recorded."""
        volunteer = own_or_404(request)
        certificate = volunteer.certificates.filter(pk=parse_id(certificate_id)).first()
        if certificate is None:
            raise Http404
        certificate_printed(actor=request.user, certificate=certificate)
        return pdf_response(certificate)
