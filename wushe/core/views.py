"""The home page, and the few helpers every app's pages share (NetBox keeps its generic views in
its core too). Pages are thin: a scoped queryset or selector, a form or filterset, a template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from wushe.audit.services import audit_denied
from wushe.regions import selectors

PAGE_SIZE = 50


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """The page named by ``?page=``; a missing, malformed or too large number gives a real page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def visible_or_404(request: HttpRequest, queryset: QuerySet, action: str, **lookup) -> Model:
    """One object of an already scoped queryset. A miss (absent, or outside the user's subtree:
    the two look the same) is a 404 and is recorded as a denied access."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        audit_denied(
            actor=request.user,
            action=action,
            object_type=queryset.model._meta.label_lower,
            object_id=str(next(iter(lookup.values()), "")),
        )
        raise Http404
    return obj


def add_service_errors(
    form: Form, error: ValidationError, *, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form, each message beside its field.

    ``aliases`` maps a service's field name to the form field that shows it (for example the
    whole-object ``__all__`` of a constraint to the field the user should change); anything
    else the form has no field for goes to the top of the form.
    """
    aliases = aliases or {}
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, texts in messages.items():
        target = aliases.get(name, name)
        for text in texts:
            form.add_error(target if target in form.fields else None, text)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Counts for the user's own subtree, each from a scoped selector."""
    region = selectors.user_root(request.user)
    context = {
        "counts": selectors.site_counts(user=request.user),
        "coverage": selectors.coverage_of(user=request.user, region=region) if region else None,
        "region": region,
    }
    return render(request, "core/home.html", context)
