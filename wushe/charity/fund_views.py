"""Pages for community funds (社区基金: the list with balances, a fund's ledger with its
running balance, opening, spending, reversing) and goods in stock (物资: the list, an item's
movements, handing out, reversing). Same rules as ``views``: scoped reads, 404 outside, the
services for every write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.charity import fund_services, goods_services, selectors
from wushe.charity.filtersets import FundFilterSet, GoodsFilterSet
from wushe.charity.forms import (
    DisburseForm,
    DistributeForm,
    FundEditForm,
    FundForm,
    ReverseForm,
)
from wushe.charity.models import CommunityFund, FundEntry, GoodsItem, GoodsMovement
from wushe.charity.rules import can_supervise, can_write
from wushe.charity.views import filtered_page, require, status_of
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.people.selectors import resident_list

FUND = "charity.communityfund"
ENTRY = "charity.fundentry"
ITEM = "charity.goodsitem"
MOVEMENT = "charity.goodsmovement"


def _resident_of(request: HttpRequest, form):
    """The resident a form names by file number, in the user's subtree (or a field error)."""
    pk = form.cleaned_data.pop("resident", None)
    if pk is None:
        return None
    resident = resident_list(user=request.user).filter(pk=pk).first()
    if resident is None:
        raise ValidationError({"resident": _("No such resident.")})
    return resident


# Funds ------------------------------------------------------------------------------------------


def _visible_fund(request: HttpRequest, pk: int, action: str) -> CommunityFund:
    return visible_or_404(request, selectors.fund_list(user=request.user), action, pk=pk)


@login_required
@require_GET
def fund_list(request: HttpRequest) -> HttpResponse:
    filterset, page, status = filtered_page(
        request, FundFilterSet, selectors.fund_list(user=request.user)
    )
    context = {"filterset": filterset, "page": page, "can_open": can_supervise(request.user)}
    return render(request, "charity/fund_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def fund_create(request: HttpRequest) -> HttpResponse:
    require(request, can_supervise(request.user), Action.CREATE, FUND)
    data = request.POST if request.method == "POST" else None
    form = FundForm(data, user=request.user, initial={"opened_on": timezone.localdate()})
    if form.is_bound and form.is_valid():
        try:
            fund = fund_services.fund_open(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Fund %(name)s opened.") % {"name": fund.name})
            return redirect("charity:fund_detail", pk=fund.pk)
    context = {"form": form, "fund": None}
    return render(request, "charity/fund_form.html", context, status=status_of(form))


@login_required
@require_http_methods(["GET", "POST"])
def fund_edit(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _visible_fund(request, pk, Action.UPDATE)
    require(request, can_supervise(request.user), Action.UPDATE, FUND, pk)
    name = fund.name
    initial = {"name": fund.name, "status": fund.status, "note": fund.note}
    form = FundEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            fund_services.fund_update(actor=request.user, fund=fund, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Fund %(name)s saved.") % {"name": fund.name})
            return redirect("charity:fund_detail", pk=pk)
    context = {"form": form, "fund": fund, "name": name}
    return render(request, "charity/fund_form.html", context, status=status_of(form))


@never_cache
@login_required
@require_GET
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _visible_fund(request, pk, Action.VIEW)
    return _render_fund(request, fund)


def _render_fund(request: HttpRequest, fund: CommunityFund, **forms) -> HttpResponse:
    supervise = can_supervise(request.user)
    context = {
        "fund": fund,
        "page": paginate(request, selectors.fund_ledger(user=request.user, fund=fund)),
        "can_supervise": supervise,
        "disburse_form": forms.get("disburse_form") or (DisburseForm() if supervise else None),
        "reverse_form": forms.get("reverse_form"),
        "reversing": forms.get("reversing"),
    }
    return render(request, "charity/fund_detail.html", context, status=status_of(*forms.values()))


@never_cache
@login_required
@require_POST
def fund_disburse(request: HttpRequest, pk: int) -> HttpResponse:
    """支出: refused beside the amount, with nothing written, above the balance."""
    fund = _visible_fund(request, pk, Action.CREATE)
    require(request, can_supervise(request.user), Action.CREATE, ENTRY)
    form = DisburseForm(request.POST)
    if form.is_valid():
        try:
            resident = _resident_of(request, form)
            fund_services.fund_disburse(
                actor=request.user, fund=fund, resident=resident, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Disbursement recorded."))
            return redirect("charity:fund_detail", pk=pk)
    fund = _visible_fund(request, pk, Action.VIEW)  # its balance as stored
    return _render_fund(request, fund, disburse_form=form)


@never_cache
@login_required
@require_POST
def fund_entry_reverse(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """冲正 of one entry of the fund's ledger."""
    fund = _visible_fund(request, pk, Action.CREATE)
    entries = FundEntry.objects.visible_to(request.user).filter(fund=fund)
    entry = visible_or_404(request, entries, Action.CREATE, pk=entry_pk)
    require(request, can_supervise(request.user), Action.CREATE, ENTRY, entry_pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            fund_services.fund_entry_reverse(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Entry reversed."))
            return redirect("charity:fund_detail", pk=pk)
    fund = _visible_fund(request, pk, Action.VIEW)
    return _render_fund(request, fund, reverse_form=form, reversing=entry)


# Goods ------------------------------------------------------------------------------------------


def _visible_item(request: HttpRequest, pk: int, action: str) -> GoodsItem:
    return visible_or_404(request, selectors.goods_stock(user=request.user), action, pk=pk)


@login_required
@require_GET
def goods_list(request: HttpRequest) -> HttpResponse:
    filterset, page, status = filtered_page(
        request, GoodsFilterSet, selectors.goods_stock(user=request.user)
    )
    context = {"filterset": filterset, "page": page, "can_write": can_write(request.user)}
    return render(request, "charity/goods_list.html", context, status=status)


@never_cache
@login_required
@require_GET
def goods_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request, pk, Action.VIEW)
    return _render_item(request, item)


def _render_item(request: HttpRequest, item: GoodsItem, **forms) -> HttpResponse:
    writer = can_write(request.user)
    context = {
        "item": item,
        "page": paginate(request, selectors.goods_movements(user=request.user, item=item)),
        "can_write": writer,
        "can_supervise": can_supervise(request.user),
        "distribute_form": forms.get("distribute_form") or (DistributeForm() if writer else None),
        "reverse_form": forms.get("reverse_form"),
        "reversing": forms.get("reversing"),
    }
    return render(request, "charity/goods_detail.html", context, status=status_of(*forms.values()))


@never_cache
@login_required
@require_POST
def goods_distribute(request: HttpRequest, pk: int) -> HttpResponse:
    """发放: refused beside the quantity, with nothing written, above what is on hand."""
    item = _visible_item(request, pk, Action.CREATE)
    require(request, can_write(request.user), Action.CREATE, MOVEMENT)
    form = DistributeForm(request.POST)
    if form.is_valid():
        try:
            resident = _resident_of(request, form)
            goods_services.goods_distribute(
                actor=request.user, item=item, resident=resident, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Goods handed out."))
            return redirect("charity:goods_detail", pk=pk)
    item = _visible_item(request, pk, Action.VIEW)
    return _render_item(request, item, distribute_form=form)


@never_cache
@login_required
@require_POST
def goods_movement_reverse(request: HttpRequest, pk: int, movement_pk: int) -> HttpResponse:
    item = _visible_item(request, pk, Action.CREATE)
    movements = GoodsMovement.objects.visible_to(request.user).filter(item=item)
    movement = visible_or_404(request, movements, Action.CREATE, pk=movement_pk)
    require(request, can_supervise(request.user), Action.CREATE, MOVEMENT, movement_pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            goods_services.goods_movement_reverse(
                actor=request.user, movement=movement, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Entry reversed."))
            return redirect("charity:goods_detail", pk=pk)
    item = _visible_item(request, pk, Action.VIEW)
    return _render_item(request, item, reverse_form=form, reversing=movement)
