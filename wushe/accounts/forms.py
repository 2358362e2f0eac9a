from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import Role, User
from wushe.regions import codes
from wushe.regions.models import Region


class UserCreateForm(forms.Form):
    """The page side of ``accounts.services.user_create``: it only parses input; the service
    decides which roles and regions this administrator may give."""

    username = User._meta.get_field("username").formfield()
    full_name = User._meta.get_field("full_name").formfield()
    email = User._meta.get_field("email").formfield()
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    region = forms.CharField(
        label=_("Region code"),
        max_length=20,
        help_text=_("2, 4, 6, 9 or 12 digits, inside your own region."),
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_region(self) -> Region:
        code = codes.normalize_code(self.cleaned_data["region"])
        region = Region.objects.visible_to(self.user).filter(code=code).first()
        if region is None:
            raise ValidationError(_("No such region."), code="not_found")
        return region

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if first and first != second:
            raise ValidationError(_("The two passwords differ."), code="password_mismatch")
        return second

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "username": data["username"],
            "full_name": data["full_name"],
            "email": data["email"],
            "role": data["role"],
            "region": data["region"],
            "password": data["password1"],
        }
