"""Pages for charity resources: the overview, donors and donations. Funds and stock are in
``fund_views``.

Every read starts from the user's subtree (the selectors); an object outside it is a 404,
recorded as denied. Every write goes through the services with the signed-in user as actor.
Donor pages name people and hold masked numbers: not kept in caches (``never_cache``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.charity import selectors, services
from wushe.charity.choices import UNITS, DonationKind
from wushe.charity.filtersets import DonationFilterSet, DonorFilterSet
from wushe.charity.forms import CancelForm, DonationForm, DonorForm, UnmaskForm
from wushe.charity.models import Donation, Donor
from wushe.charity.rules import can_supervise, can_write
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.organisations.models import Organisation
from wushe.people.identity import mask_id_number
from wushe.people.phones import mask_phone
from wushe.people.roles import roles_visible

DONOR = "charity.donor"
DONATION = "charity.donation"


def require(request: HttpRequest, allowed: bool, action: str, object_type: str, pk="") -> None:
    """A role that may look but not do this: 403, recorded (after the 404 for what is outside)."""
    if not allowed:
        audit_denied(actor=request.user, action=action, object_type=object_type, object_id=pk)
        raise PermissionDenied(_("Your role cannot do this with charity resources."))


def status_of(*forms) -> int:
    return 400 if any(form is not None and form.is_bound and form.errors for form in forms) else 200


def with_donors(user, donations):
    """Each donation with ``donor_shown``: the donor's name when the user can see the donor,
    "anonymous" without one, and no name for a donor registered outside the user's subtree."""
    donations = list(donations)
    for donation in donations:
        if donation.donor is None:
            donation.donor_shown = _("Anonymous")
        elif user.can_see_code(donation.donor.region_id):
            donation.donor_shown = str(donation.donor)
        else:
            donation.donor_shown = _("A donor of another area")
    return donations


def filtered_page(request: HttpRequest, filterset_class, queryset):
    filterset = filterset_class(request.GET or None, queryset=queryset)
    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs if valid else filterset.queryset.none()
    return filterset, paginate(request, rows), 200 if valid else 400


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """社会慈善资源: the funds' totals and counts of the user's subtree."""
    user = request.user
    context = {
        "totals": selectors.fund_totals(user.scope_range) if user.region_id else None,
        "donors": selectors.donor_list(user=user).count(),
        "donations": selectors.donation_list(user=user).filter(cancelled_at__isnull=True).count(),
        "items": selectors.goods_stock(user=user).filter(quantity__gt=0).count(),
    }
    return render(request, "charity/overview.html", context)


# Donors -----------------------------------------------------------------------------------------


def _visible_donor(request: HttpRequest, pk: int, action: str) -> Donor:
    return visible_or_404(request, selectors.donor_list(user=request.user), action, pk=pk)


@never_cache
@login_required
@require_GET
def donor_list(request: HttpRequest) -> HttpResponse:
    filterset, page, status = filtered_page(
        request, DonorFilterSet, selectors.donor_list(user=request.user)
    )
    context = {"filterset": filterset, "page": page, "can_write": can_write(request.user)}
    return render(request, "charity/donor_list.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def donor_create(request: HttpRequest) -> HttpResponse:
    require(request, can_write(request.user), Action.CREATE, DONOR)
    form = DonorForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            donor = services.donor_register(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Donor %(name)s registered.") % {"name": donor})
            return redirect("charity:donor_detail", pk=donor.pk)
    context = {"form": form, "donor": None}
    return render(request, "charity/donor_form.html", context, status=status_of(form))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def donor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    donor = _visible_donor(request, pk, Action.UPDATE)
    require(request, can_write(request.user), Action.UPDATE, DONOR, pk)
    name = str(donor)  # the service changes the object even when it then refuses
    data = request.POST if request.method == "POST" else None
    form = DonorForm(data, user=request.user, donor=donor)
    if form.is_bound and form.is_valid():
        try:
            services.donor_update(actor=request.user, donor=donor, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Donor %(name)s saved.") % {"name": donor})
            return redirect("charity:donor_detail", pk=pk)
    context = {"form": form, "donor": donor, "name": name}
    return render(request, "charity/donor_form.html", context, status=status_of(form))


@never_cache
@login_required
@require_GET
def donor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A donor with their donations; opening it is a view in the audit log."""
    donor = _visible_donor(request, pk, Action.VIEW)
    services.donor_open(actor=request.user, donor=donor)
    roles = roles_visible(donor.id_hash, request.user) if donor.id_hash else {}
    page = paginate(request, selectors.donation_list(user=request.user).filter(donor=donor))
    page.object_list = with_donors(request.user, page.object_list)
    context = {
        "donor": donor,
        "masked": {
            "id_number": mask_id_number(donor.id_number) if donor.id_number else "",
            "phone": mask_phone(donor.phone) if donor.phone else "",
        },
        "residents": roles.get("resident", []),
        # The linked organisation, when the user can see it (it may be registered higher up).
        "organisation": Organisation.objects.visible_to(request.user)
        .filter(pk=donor.organisation_id)
        .first(),
        "other_roles": sorted(name for name in roles if name not in ("donor", "resident")),
        "page": page,
        "can_write": can_write(request.user),
    }
    return render(request, "charity/donor_detail.html", context)


@never_cache
@login_required
@require_POST
def donor_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    """A donor's number in full, in the answer to a POST (never in a URL); htmx swaps it in
    place of the masked one. Recorded as a view by the service."""
    donor = _visible_donor(request, pk, Action.VIEW)
    form = UnmaskForm(request.POST)
    if not form.is_valid():
        return render(request, "charity/unmask.html", {"donor": donor, "form": form}, status=400)
    require(request, can_write(request.user), Action.VIEW, DONOR, pk)
    field = form.cleaned_data["field"]
    value = services.donor_unmask(actor=request.user, donor=donor, field=field)
    context = {"donor": donor, "value": value, "field": field}
    if request.headers.get("HX-Request"):
        return render(request, "charity/_unmasked.html", context)
    return render(request, "charity/unmask.html", context)


# Donations --------------------------------------------------------------------------------------


def _visible_donation(request: HttpRequest, pk: int, action: str) -> Donation:
    return visible_or_404(request, selectors.donation_list(user=request.user), action, pk=pk)


@never_cache
@login_required
@require_GET
def donation_list(request: HttpRequest) -> HttpResponse:
    filterset, page, status = filtered_page(
        request, DonationFilterSet, selectors.donation_list(user=request.user)
    )
    page.object_list = with_donors(request.user, page.object_list)
    context = {"filterset": filterset, "page": page, "can_write": can_write(request.user)}
    return render(request, "charity/donation_list.html", context, status=status)


def _kind_asked(request: HttpRequest) -> str:
    kind = (request.POST if request.method == "POST" else request.GET).get("kind", "")
    return kind if kind in DonationKind.values else DonationKind.MONEY


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def donation_create(request: HttpRequest) -> HttpResponse:
    """接收捐赠: one form; choosing money or goods swaps the fields (htmx), or the page reloads
    with ``?kind=`` without JavaScript. A donor's page links here with ``?donor=``."""
    require(request, can_write(request.user), Action.CREATE, DONATION)
    kind = _kind_asked(request)
    if request.method == "POST":
        form = DonationForm(request.POST, user=request.user, kind=kind)
    else:
        # Switching kind keeps what was typed of the fields both kinds share.
        kept = {name: request.GET.get(name, "")[:500] for name in ("received_on", "region", "note")}
        initial = {"received_on": timezone.localdate(), **{k: v for k, v in kept.items() if v}}
        initial["kind"] = kind
        donor = request.GET.get("donor", "")
        if donor.isascii() and donor.isdigit() and len(donor) < 19:
            initial["donor"] = int(donor)
        form = DonationForm(initial=initial, user=request.user, kind=kind)
    if form.is_bound and form.is_valid():
        try:
            donation = services.donation_receive(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Donation received."))
            return redirect("charity:donation_detail", pk=donation.pk)
    context = {"form": form, "kind": form.kind, "units": UNITS, "kinds": DonationKind.choices}
    return render(request, "charity/donation_form.html", context, status=status_of(form))


@never_cache
@login_required
@require_GET
def donation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    donation = _visible_donation(request, pk, Action.VIEW)
    return _render_donation(request, donation)


def _render_donation(request: HttpRequest, donation: Donation, form=None) -> HttpResponse:
    supervise = can_supervise(request.user) and not donation.cancelled
    context = {
        "donation": donation,
        "entries": donation.fund_entries.select_related("fund").order_by("id"),
        "movements": donation.goods_movements.select_related("item").order_by("id"),
        "donor_visible": donation.donor is not None
        and request.user.can_see_code(donation.donor.region_id),
        "cancel_form": form or (CancelForm() if supervise else None),
    }
    return render(request, "charity/donation_detail.html", context, status=status_of(form))


@login_required
@require_POST
def donation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    donation = _visible_donation(request, pk, Action.UPDATE)
    require(request, can_supervise(request.user), Action.UPDATE, DONATION, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.donation_cancel(
                actor=request.user, donation=donation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Donation cancelled; its entries are reversed."))
            return redirect("charity:donation_detail", pk=pk)
    donation = _visible_donation(request, pk, Action.VIEW)  # as it is, not as half-changed
    return _render_donation(request, donation, form)
