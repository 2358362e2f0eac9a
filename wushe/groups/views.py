"""Pages for group work (小组): the list, a group with its members and sessions, and the forms.

Every read starts from the user's subtree (the selectors); a group outside it is a 404. Every
write goes through the services with the signed-in user as actor. Pages that name residents
are not kept in caches (``never_cache``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.groups import selectors, services, session_services
from wushe.groups.filtersets import GroupFilterSet
from wushe.groups.forms import (
    GroupForm,
    MemberAddForm,
    MemberRemoveForm,
    ResidentSearchForm,
    SessionForm,
)
from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.people.selectors import resident_list, resident_search

SEARCH_LIMIT = 20


def can_write(user) -> bool:
    return user.role in services.WRITERS


def _require(request: HttpRequest, allowed: bool, action: str, object_type: str, pk="") -> None:
    """A role that may look but not change: 403, recorded (after the 404 for what is outside)."""
    if not allowed:
        audit_denied(actor=request.user, action=action, object_type=object_type, object_id=pk)
        raise PermissionDenied(_("Your role cannot record service work."))


def _visible_group(request: HttpRequest, pk: int, action: str) -> Group:
    return visible_or_404(request, selectors.group_list(user=request.user), action, pk=pk)


def _visible_member(request: HttpRequest, group: Group, pk: int, action: str) -> GroupMember:
    members = GroupMember.objects.visible_to(request.user).filter(group=group)
    return visible_or_404(request, members, action, pk=pk)


def _visible_session(request: HttpRequest, group: Group, pk: int, action: str) -> GroupSession:
    sessions = GroupSession.objects.visible_to(request.user).filter(group=group)
    return visible_or_404(request, sessions, action, pk=pk)


def _status(*forms) -> int:
    return 400 if any(form is not None and form.is_bound and form.errors for form in forms) else 200


# Groups -----------------------------------------------------------------------------------------


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    filterset = GroupFilterSet(
        request.GET or None, queryset=selectors.group_list(user=request.user)
    )
    valid = not filterset.is_bound or filterset.is_valid()
    groups = filterset.qs if valid else filterset.queryset.none()
    context = {
        "filterset": filterset,
        "page": paginate(request, groups),
        "can_write": can_write(request.user),
    }
    return render(request, "groups/group_list.html", context, status=200 if valid else 400)


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    _require(request, can_write(request.user), Action.CREATE, "groups.group")
    form = GroupForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            group = services.group_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Group %(name)s created.") % {"name": group.name})
            return redirect("groups:group_detail", pk=group.pk)
    context = {"form": form, "group": None}
    return render(request, "groups/group_form.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _visible_group(request, pk, Action.UPDATE)
    _require(request, can_write(request.user), Action.UPDATE, "groups.group", pk)
    name = group.name  # the service changes the object even when it then refuses
    data = request.POST if request.method == "POST" else None
    form = GroupForm(data, initial=GroupForm.initial_from(group), user=request.user)
    if form.is_bound and form.is_valid():
        try:
            services.group_update(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Group %(name)s saved.") % {"name": group.name})
            return redirect("groups:group_detail", pk=pk)
    context = {"form": form, "group": group, "name": name}
    return render(request, "groups/group_form.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    group = _visible_group(request, pk, Action.DELETE)
    allowed = request.user.role in services.SUPERVISORS
    _require(request, allowed, Action.DELETE, "groups.group", pk)
    if request.method == "POST":
        services.group_delete(actor=request.user, group=group)
        messages.success(request, _("Group %(name)s deleted.") % {"name": group.name})
        return redirect("groups:group_list")
    return render(request, "groups/group_confirm_delete.html", {"group": group})


@never_cache
@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _visible_group(request, pk, Action.VIEW)
    return _render_detail(request, group)


def _with_names(user, members) -> list[GroupMember]:
    members = list(members)
    for member in members:
        member.shown_name = selectors.shown_name(user, member.resident)
    return members


def _render_detail(request: HttpRequest, group: Group, **forms) -> HttpResponse:
    user = request.user
    context = {
        "group": group,
        "members": _with_names(user, selectors.group_members(user=user, group=group)),
        "sessions": selectors.group_sessions(user=user, group=group),
        "can_write": can_write(user),
        "can_delete": user.role in services.SUPERVISORS,
        "add_form": forms.get("add_form") or MemberAddForm(),
        "remove_form": forms.get("remove_form"),
        "search_form": ResidentSearchForm(),
        "found": forms.get("found", []),
        "searched": "found" in forms,
    }
    status = _status(*(form for name, form in forms.items() if name.endswith("_form")))
    return render(request, "groups/group_detail.html", context, status=status)


# Members ----------------------------------------------------------------------------------------


@never_cache
@login_required
@require_POST
def member_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Residents to add, found by name, pinyin or ID number inside the user's subtree. The query
    is POSTed (it may be an ID number: never in a URL) and htmx puts the result in the page."""
    group = _visible_group(request, pk, Action.VIEW)
    form = ResidentSearchForm(request.POST)
    found = []
    if form.is_valid():
        members = group.members.values("resident_id")
        found = resident_search(user=request.user, query=form.cleaned_data["q"])
        found = found.exclude(pk__in=members)[:SEARCH_LIMIT]
    if not request.headers.get("HX-Request"):  # without JavaScript: the whole page
        return _render_detail(request, group, found=found)
    context = {"group": group, "found": found, "searched": form.is_valid()}
    return render(request, "groups/_resident_results.html", context)


@never_cache
@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _visible_group(request, pk, Action.CREATE)
    _require(request, can_write(request.user), Action.CREATE, "groups.groupmember")
    form = MemberAddForm(request.POST)
    if form.is_valid():
        residents = resident_list(user=request.user)
        resident = residents.filter(pk=form.cleaned_data["resident"]).first()
        try:
            if resident is None:
                raise ValidationError({"resident": _("No such resident.")})
            services.member_add(
                actor=request.user,
                group=group,
                resident=resident,
                joined_on=form.cleaned_data["joined_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s joined the group.") % {"name": resident.name})
            return redirect("groups:group_detail", pk=pk)
    return _render_detail(request, group, add_form=form)


@never_cache
@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    group = _visible_group(request, pk, Action.UPDATE)
    member = _visible_member(request, group, member_pk, Action.UPDATE)
    _require(request, can_write(request.user), Action.UPDATE, "groups.groupmember", member_pk)
    form = MemberRemoveForm(request.POST)
    if form.is_valid():
        try:
            services.member_remove(
                actor=request.user, member=member, left_on=form.cleaned_data["left_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            name = selectors.shown_name(request.user, member.resident) or selectors.hidden_label()
            messages.success(request, _("%(name)s left the group.") % {"name": name})
            return redirect("groups:group_detail", pk=pk)
    form.member = member  # the page shows the errors beside this member
    return _render_detail(request, group, remove_form=form)


# Sessions ---------------------------------------------------------------------------------------


def _session_page(request, group, form, session=None) -> HttpResponse:
    context = {"group": group, "form": form, "session": session}
    return render(request, "groups/session_form.html", context, status=_status(form))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = _visible_group(request, pk, Action.CREATE)
    _require(request, can_write(request.user), Action.CREATE, "groups.groupsession")
    data = request.POST if request.method == "POST" else None
    form = SessionForm(data, group=group, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            session = session_services.session_record(
                actor=request.user, group=group, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("Session %(number)s recorded.") % {"number": session.number}
            messages.success(request, message)
            return redirect("groups:group_detail", pk=pk)
    return _session_page(request, group, form)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    group = _visible_group(request, pk, Action.UPDATE)
    session = _visible_session(request, group, session_pk, Action.UPDATE)
    _require(request, can_write(request.user), Action.UPDATE, "groups.groupsession", session_pk)
    data = request.POST if request.method == "POST" else None
    form = SessionForm(
        data, group=group, user=request.user, initial=SessionForm.initial_from(session)
    )
    if form.is_bound and form.is_valid():
        try:
            session_services.session_update(
                actor=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session %(number)s saved.") % {"number": session.number})
            return redirect("groups:group_detail", pk=pk)
    return _session_page(request, group, form, session)


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    group = _visible_group(request, pk, Action.DELETE)
    session = _visible_session(request, group, session_pk, Action.DELETE)
    _require(request, can_write(request.user), Action.DELETE, "groups.groupsession", session_pk)
    session_services.session_delete(actor=request.user, session=session)
    messages.success(request, _("Session deleted."))
    return redirect("groups:group_detail", pk=pk)
