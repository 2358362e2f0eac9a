from django.contrib import admin

from wushe.accounts.models import User
from wushe.core.admin import ScopedReadOnlyAdmin


@admin.register(User)
class UserAdmin(ScopedReadOnlyAdmin):
    list_display = ("username", "full_name", "role", "region", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    list_select_related = ("region",)
    exclude = ("password",)
