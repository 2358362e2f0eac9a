"""The volunteer's own API (/api/volunteer/): their summary, latest entries and certificates,
read through their own record. Anyone else gets 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wushe.volunteers import selectors
from wushe.volunteers.api.serializers import (
    CertificateSerializer,
    OwnEntrySerializer,
    SummarySerializer,
    VolunteerMeSerializer,
)

LATEST = 50


class VolunteerMeView(APIView):
    @extend_schema(responses=VolunteerMeSerializer)
    def get(self, request: Request) -> Response:
        """志愿者本人: my hours, points, stars, latest entries and certificates."""
        volunteer = selectors.own_volunteer(request.user)
        if volunteer is None:
            raise Http404
        data = {
            "number": volunteer.number,
            "name": volunteer.name,
            "region_name": volunteer.region.name,
            "summary": SummarySerializer(selectors.volunteer_summary(volunteer)).data,
            "entries": OwnEntrySerializer(selectors.ledger_of(volunteer)[:LATEST], many=True).data,
            "certificates": CertificateSerializer(volunteer.certificates.all(), many=True).data,
        }
        response = Response(data)
        add_never_cache_headers(response)
        return response
