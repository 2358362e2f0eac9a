"""Staff pages for a volunteer's ledger: recording service hours, honour hours, redemptions,
corrections, and issuing or printing a service-record certificate (PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.views import add_service_errors, visible_or_404
from wushe.volunteers import ledger_services, selectors
from wushe.volunteers.certificate_pdf import pdf_response
from wushe.volunteers.certificates import certificate_issue, certificate_printed, may_issue
from wushe.volunteers.ledger_forms import (
    CertificateForm,
    CorrectForm,
    HonourForm,
    RedeemForm,
    ServiceForm,
)
from wushe.volunteers.models import Certificate, LedgerEntry
from wushe.volunteers.services import SUPERVISORS
from wushe.volunteers.views import VOLUNTEER, no_store, require_writer, status_of, visible_volunteer

ENTRY = "volunteers.ledgerentry"


def _ledger_form(request, pk, form_class, write, template, done_message, *, allowed=None):
    """The shared shape of a ledger page: the volunteer in scope, the role, the form, the
    service, its errors beside the fields, back to the record when done."""
    volunteer = visible_volunteer(request, pk, Action.CREATE)
    require_writer(request, Action.CREATE, pk)
    if allowed is not None and not allowed(request.user):
        audit_denied(actor=request.user, action=Action.CREATE, object_type=ENTRY, object_id=pk)
        raise PermissionDenied
    kwargs = {"user": request.user} if form_class is ServiceForm else {}
    form = form_class(request.POST if request.method == "POST" else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            write(actor=request.user, volunteer=volunteer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done_message)
            return redirect("volunteers:volunteer_detail", volunteer.pk)
    context = {"form": form, "volunteer": volunteer, "summary": None}
    if form_class is RedeemForm:
        context["summary"] = selectors.volunteer_summary(volunteer)
    return render(request, template, context, status=status_of(form))


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _ledger_form(
        request,
        pk,
        ServiceForm,
        ledger_services.service_record,
        "volunteers/service_form.html",
        _("Service hours recorded."),
    )


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def honour_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _ledger_form(
        request,
        pk,
        HonourForm,
        ledger_services.honour_hours,
        "volunteers/honour_form.html",
        _("Honour hours recorded."),
        allowed=lambda user: user.is_admin,
    )


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def redeem_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _ledger_form(
        request,
        pk,
        RedeemForm,
        ledger_services.points_redeem,
        "volunteers/redeem_form.html",
        _("Points redeemed."),
    )


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def entry_correct(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    volunteer = visible_volunteer(request, pk, Action.CREATE)
    entry = visible_or_404(
        request, LedgerEntry.objects.filter(volunteer=volunteer), Action.CREATE, pk=entry_pk
    )
    if request.user.role not in SUPERVISORS:
        audit_denied(actor=request.user, action=Action.CREATE, object_type=ENTRY, object_id=pk)
        raise PermissionDenied(_("Only a station manager or administrator can correct the ledger."))
    form = CorrectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ledger_services.entry_correct(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases={"entry": None})
        else:
            messages.success(request, _("Correction recorded."))
            return redirect("volunteers:volunteer_detail", volunteer.pk)
    context = {"form": form, "volunteer": volunteer, "entry": entry}
    return render(request, "volunteers/correct_form.html", context, status=status_of(form))


@no_store
@login_required
@require_POST
def certificate_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a certificate (audited) and answer with its PDF."""
    volunteer = visible_volunteer(request, pk, Action.CREATE)
    if not may_issue(request.user, volunteer):
        audit_denied(actor=request.user, action=Action.CREATE, object_type=VOLUNTEER, object_id=pk)
        raise PermissionDenied(_("You cannot issue a certificate for this volunteer."))
    form = CertificateForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            certificate = certificate_issue(
                actor=request.user, volunteer=volunteer, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return pdf_response(certificate)
    for error in form.errors.get("issuer_site", []):
        messages.error(request, error)
    return redirect("volunteers:volunteer_detail", volunteer.pk)


@no_store
@login_required
@require_GET
def certificate_download(request: HttpRequest, pk: int, certificate_pk: int) -> HttpResponse:
    """Print an issued certificate again (the same document), recorded as an export."""
    volunteer = visible_volunteer(request, pk)
    certificates = Certificate.objects.visible_to(request.user).filter(volunteer=volunteer)
    certificate = visible_or_404(request, certificates, Action.EXPORT, pk=certificate_pk)
    certificate_printed(actor=request.user, certificate=certificate)
    return pdf_response(certificate)
