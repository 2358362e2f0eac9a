"""API plumbing shared by every app: errors as JSON with field messages, never a 500 page,
one pagination, and the scoped lookup every viewset uses. Refusals (403) and misses (404) of a
signed-in user are recorded in the audit log, as the pages do."""

from __future__ import annotations

import logging

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    SuspiciousOperation,
    ValidationError,
)
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from wushe.audit.models import Action
from wushe.audit.services import audit_denied

# The largest value a BigAutoField holds; ids beyond it cannot exist.
MAX_ID = 2**63 - 1
ACTION_OF_METHOD = {
    "POST": Action.CREATE,
    "PUT": Action.UPDATE,
    "PATCH": Action.UPDATE,
    "DELETE": Action.DELETE,
}


def _field_messages(exc: ValidationError) -> dict | list:
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in exc.message_dict.items()
    }


def _action_of(request) -> str:
    return ACTION_OF_METHOD.get(request.method, Action.VIEW)


def _object_type_of(view) -> str:
    try:
        return view.get_queryset().model._meta.label_lower
    except (AttributeError, AssertionError):  # plain APIViews have no queryset
        return ""


def _record_refusal(request, view) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    kwargs = getattr(view, "kwargs", None) or {}
    audit_denied(
        actor=user,
        action=_action_of(request),
        object_type=_object_type_of(view),
        object_id=str(kwargs.get("pk") or kwargs.get("code") or ""),
    )


def exception_handler(exc, context):
    # Service functions raise Django's ValidationError; present it as DRF's 400 with fields.
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(detail=_field_messages(exc))
    elif isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        _record_refusal(context.get("request"), context.get("view"))
        if isinstance(exc, PermissionDenied):
            exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, Http404):
        # One message for "does not exist" and "outside your subtree": the two must not differ.
        exc = exceptions.NotFound()
    elif isinstance(exc, SuspiciousOperation):
        # Too many form fields and the like: Django would answer with an HTML 400 page. Logged
        # to the same security logger Django uses.
        logging.getLogger(f"django.security.{type(exc).__name__}").warning("%s", exc)
        exc = exceptions.ParseError()
    return drf_exception_handler(exc, context)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def scoped_or_404(request, queryset: QuerySet, **lookup) -> Model:
    """One object of an already scoped queryset. A miss (absent, or outside the user's subtree:
    the two look the same) is a 404 and is recorded as a denied access."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        audit_denied(
            actor=request.user,
            action=_action_of(request),
            object_type=queryset.model._meta.label_lower,
            object_id=str(next(iter(lookup.values()), "")),
        )
        raise Http404
    return obj


def parse_id(raw: object) -> int:
    """An object id from a URL, or 404: letters, signs and numbers too big are no id at all."""
    text = str(raw)
    if not text.isascii() or not text.isdigit() or len(text) > 19 or int(text) > MAX_ID:
        raise Http404
    return int(text)


class _NotFoundView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    schema = None  # not an endpoint: kept out of the OpenAPI document

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()


_not_found_view = _NotFoundView.as_view()


def _names_an_endpoint(path: str) -> bool:
    try:
        return resolve(path).func is not not_found
    except Resolver404:
        return False


@csrf_exempt  # it changes nothing; without this a POST would get Django's HTML CSRF page
def not_found(request, *args, **kwargs):
    """Any path under /api/ that names no endpoint: a JSON 404 like the rest of the API
    (after the trailing-slash redirect Django would have given)."""
    if not request.path_info.endswith("/") and _names_an_endpoint(request.path_info + "/"):
        return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return _not_found_view(request, *args, **kwargs)
