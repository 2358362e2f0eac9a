from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wushe.accounts.forms import UserCreateForm
from wushe.accounts.models import User
from wushe.accounts.services import user_create
from wushe.core.views import add_service_errors, paginate


class WusheLoginView(LoginView):
    # Failed attempts are counted by django-axes, which answers with accounts/locked.html.
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(failure_limit=settings.AXES_FAILURE_LIMIT, **kwargs)


class WusheLogoutView(LogoutView):
    """POST only (Django's own rule since 5.0), so a link or an image cannot sign anyone out."""


def _require_admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied(_("Only an administrator can manage users."))


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    users = User.objects.visible_to(request.user).select_related("region").order_by("username")
    return render(request, "accounts/user_list.html", {"page": paginate(request, users)})


@login_required
def user_create_page(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    data = request.POST if request.method == "POST" else None
    form = UserCreateForm(data, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = user_create(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error, aliases={"password": "password1"})
        else:
            messages.success(request, _("User %(name)s created.") % {"name": created.username})
            return redirect("user_list")
    return render(request, "accounts/user_form.html", {"form": form})
