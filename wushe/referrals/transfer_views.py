"""Pages for transfer requests (档案转移申请): outgoing and incoming lists, a request, and one
request with the holder's approve/decline form.

Reads start from ``TransferRequest.objects.visible_to(user)`` (the requester's side or the
holder's). What a page says of the file comes only from ``selectors.residents_by_hash``, which
finds nothing for a requester until the file is theirs: before approval a requester sees their
own request, its status and the decider's note, and nothing else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.casework.services import can_read_notes
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.referrals import rules, selectors, transfers
from wushe.referrals.choices import TransferStatus
from wushe.referrals.forms import TransferDecisionForm, TransferRequestForm
from wushe.referrals.models import TransferRequest
from wushe.referrals.views import no_store, refuse, status_filter

TRANSFER = "referrals.transferrequest"


def _render_list(request: HttpRequest, transfers_, box: str) -> HttpResponse:
    status = status_filter(request, TransferStatus.values)
    if status:
        transfers_ = transfers_.filter(status=status)
    page = paginate(request, transfers_)
    files = selectors.residents_by_hash(user=request.user, hashes=[t.id_hash for t in page])
    context = {
        "page": page,
        "rows": [(transfer, files.get(transfer.id_hash)) for transfer in page],
        "box": box,
        "status": status,
        "statuses": TransferStatus.choices,
        "can_write": rules.is_writer(request.user),
    }
    return render(request, "referrals/transfer_list.html", context)


@no_store
@login_required
@require_GET
def transfer_outgoing(request: HttpRequest) -> HttpResponse:
    return _render_list(request, selectors.transfer_outgoing(user=request.user), "outgoing")


@no_store
@login_required
@require_GET
def transfer_incoming(request: HttpRequest) -> HttpResponse:
    return _render_list(request, selectors.transfer_incoming(user=request.user), "incoming")


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def transfer_create(request: HttpRequest) -> HttpResponse:
    """A request for a file. The filing form's "ask for a transfer" button POSTs the number and
    village here with ``prefill``: the number travels in a body, never in a URL."""
    if not rules.is_writer(request.user):
        refuse(request, Action.CREATE, TRANSFER)
    prefill = request.method == "POST" and "prefill" in request.POST
    if prefill:
        initial = {name: request.POST.get(name, "")[:40] for name in ("id_number", "village")}
        form = TransferRequestForm(user=request.user, initial=initial)
    else:
        data = request.POST if request.method == "POST" else None
        form = TransferRequestForm(data, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            transfer = transfers.transfer_request_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Transfer request sent."))
            return redirect("referrals:transfer_detail", pk=transfer.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "referrals/transfer_form.html", {"form": form}, status=status)


def _render_detail(
    request: HttpRequest,
    transfer: TransferRequest,
    *,
    form: TransferDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    resident = selectors.residents_by_hash(user=user, hashes=[transfer.id_hash]).get(
        transfer.id_hash
    )
    if form is None and rules.can_decide_transfer(user, transfer, resident and resident.region_id):
        form = TransferDecisionForm()
    context = {
        "transfer": transfer,
        "resident": resident,
        # The holder's side sees who decided; a requester sees only the outcome and the note.
        "holder_side": resident is not None or user.can_see_code(transfer.holder_region_code),
        "form": form,
        "can_read_notes": can_read_notes(user),
    }
    return render(request, "referrals/transfer_detail.html", context, status=status)


def _visible_transfer(request: HttpRequest, pk: int, action: str) -> TransferRequest:
    return visible_or_404(request, selectors.transfer_list(user=request.user), action, pk=pk)


@no_store
@login_required
@require_GET
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible_transfer(request, pk, Action.VIEW))


@no_store
@login_required
@require_POST
def transfer_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """同意 or 拒绝, by the station holding the file."""
    transfer = _visible_transfer(request, pk, Action.UPDATE)
    held = selectors.residents_by_hash(user=request.user, hashes=[transfer.id_hash])
    holder = held.get(transfer.id_hash)
    # A decided request keeps the holder that decided it, so deciding again gets its answer.
    if not rules.is_holder(
        request.user, holder.region_id if holder else transfer.holder_region_code
    ):
        refuse(request, Action.UPDATE, TRANSFER, pk)
    form = TransferDecisionForm(request.POST)
    if form.is_valid():
        try:
            transfers.transfer_decide(actor=request.user, transfer=transfer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("referrals:transfer_detail", pk=pk)
    return _render_detail(request, transfer, form=form, status=400)
