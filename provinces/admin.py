from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .admin_dates import BEDatesAdmin
from .admin_history import HistoryAdmin
from .models import Cluster, Country, Province, Region, UserScope


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "scheme", "name_th", "name_en"]
    list_filter = ["scheme"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en"]


@admin.register(Province)
class ProvinceAdmin(HistoryAdmin):
    list_display = ["code", "name_th", "name_en", "region4", "cluster", "coastal"]
    list_filter = ["region4", "region6", "cluster", "coastal", "border_countries"]
    search_fields = ["code", "name_th", "name_en", "name_en_alt"]
    filter_horizontal = ["border_countries"]


@admin.register(Cluster)
class ClusterAdmin(HistoryAdmin):
    list_display = ["code", "name_th", "lead_province", "lead_confidence"]
    list_filter = ["lead_confidence"]
    search_fields = ["code", "name_th", "name_en"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the cluster's own members can lead it.
        if db_field.name == "lead_province":
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = (
                Province.objects.filter(cluster_id=object_id) if object_id else Province.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UserScopeInline(admin.StackedInline):
    model = UserScope
    can_delete = True
    max_num = 1
    autocomplete_fields = ["province", "cluster"]


admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(BEDatesAdmin, UserAdmin):
    """Users with their role and unit; the scope's named constraint rejects impossible combinations."""

    inlines = [UserScopeInline]
    list_display = ["username", "first_name", "last_name", "scope", "is_active", "is_staff"]
    list_select_related = ["scope", "scope__province", "scope__cluster"]
    list_filter = ["scope__role", "is_active", "is_staff"]


@admin.register(UserScope)
class UserScopeAdmin(HistoryAdmin):
    """Who works where, at a glance; edit a scope here or on the user's page."""

    list_display = ["user", "role", "province", "cluster"]
    list_filter = ["role", "cluster"]
    list_select_related = ["user", "province", "cluster"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "province", "cluster"]
