from django.contrib import admin

from wushe.core.admin import ScopedReadOnlyAdmin
from wushe.regions.models import Region, Site


@admin.register(Region)
class RegionAdmin(ScopedReadOnlyAdmin):
    list_display = ("code", "name", "level", "township_count", "village_count")
    list_filter = ("level",)
    search_fields = ("=code", "name")


@admin.register(Site)
class SiteAdmin(ScopedReadOnlyAdmin):
    list_display = ("name", "kind", "region", "status", "opened_on")
    list_filter = ("kind", "status")
    search_fields = ("name",)
    list_select_related = ("region",)
