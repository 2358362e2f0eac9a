"""The volunteer's own pages (志愿者本人). Only a volunteer account may open them (the
middleware keeps volunteers here; staff get 404). Everything is read through the volunteer's own
record, found from the signed-in account (``selectors.own_volunteer``), never through a scope or
an id in the URL: another volunteer's certificate is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from wushe.core.views import paginate
from wushe.volunteers import selectors
from wushe.volunteers.certificate_pdf import pdf_response
from wushe.volunteers.certificates import certificate_issue, certificate_printed
from wushe.volunteers.choices import DAY_NAMES
from wushe.volunteers.models import Volunteer
from wushe.volunteers.views import no_store, week_rows


def _volunteer_user(request: HttpRequest) -> None:
    if not request.user.is_volunteer:
        raise Http404


def _own(request: HttpRequest) -> Volunteer:
    _volunteer_user(request)
    volunteer = selectors.own_volunteer(request.user)
    if volunteer is None:
        raise Http404
    return volunteer


@no_store
@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """My hours, points and stars, my latest entries and certificates. An account whose record
    is not linked (yet) sees a plain notice, not an error."""
    _volunteer_user(request)
    volunteer = selectors.own_volunteer(request.user)
    context = {"volunteer": volunteer}
    if volunteer is not None:
        context.update(
            summary=selectors.volunteer_summary(volunteer),
            entries=selectors.ledger_of(volunteer)[:10],
            certificates=volunteer.certificates.all()[:10],
            skills=volunteer.skills.all(),
            week=week_rows(volunteer.availability),
            days=DAY_NAMES,
        )
    return render(request, "volunteers/portal_home.html", context)


@no_store
@login_required
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    volunteer = _own(request)
    context = {
        "volunteer": volunteer,
        "summary": selectors.volunteer_summary(volunteer),
        "page": paginate(request, selectors.ledger_of(volunteer)),
    }
    return render(request, "volunteers/portal_ledger.html", context)


@no_store
@login_required
@require_POST
def certificate_create(request: HttpRequest) -> HttpResponse:
    """Issue my certificate (audited) and download it."""
    volunteer = _own(request)
    return pdf_response(certificate_issue(actor=request.user, volunteer=volunteer))


@no_store
@login_required
@require_GET
def certificate_download(request: HttpRequest, certificate_pk: int) -> HttpResponse:
    volunteer = _own(request)
    certificate = volunteer.certificates.filter(pk=certificate_pk).first()
    if certificate is None:
        raise Http404
    certificate_printed(actor=request.user, certificate=certificate)
    return pdf_response(certificate)
