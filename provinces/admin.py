from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from audit.choices import AccessAction
from audit.services import log_request

from .admin_dates import BEDatesAdmin
from .admin_history import HistoryAdmin
from .choices import Role
from .models import AdvisorAssignment, Cluster, Country, Holiday, Province, Region, UserScope


def advisor_users():
    """The users an administrator may assign to a cluster: ministry advisors."""
    return User.objects.filter(scope__role=Role.ADVISOR).order_by("username")


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


class AdvisorAssignmentInline(admin.TabularInline):
    model = AdvisorAssignment
    extra = 1
    verbose_name = _("responsible advisor")
    verbose_name_plural = _("responsible advisors (none: every advisor)")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "advisor":
            kwargs["queryset"] = advisor_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Cluster)
class ClusterAdmin(HistoryAdmin):
    inlines = [AdvisorAssignmentInline]
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

    # Who looked at whose contact details goes to the access log (PDPA), apart from the change history.
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            log_request(
                request, action=AccessAction.USER_LIST, description=str(self.opts.verbose_name_plural)
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            subject = self.get_object(request, object_id)
            log_request(
                request, action=AccessAction.CONTACT_DETAILS, description=f"#{object_id}", subject=subject
            )
        return response


@admin.register(UserScope)
class UserScopeAdmin(HistoryAdmin):
    """Who works where, at a glance; edit a scope here or on the user's page."""

    list_display = ["user", "role", "province", "cluster"]
    list_filter = ["role", "cluster"]
    list_select_related = ["user", "province", "cluster"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "province", "cluster"]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            log_request(
                request, action=AccessAction.USER_LIST, description=str(self.opts.verbose_name_plural)
            )
        return response


@admin.register(Holiday)
class HolidayAdmin(BEDatesAdmin):
    """Ministry holidays on top of the Thai public holidays the calendar package knows: reminders and
    "working days overdue" skip them."""

    list_display = ["date", "name_th", "name_en"]
    search_fields = ["name_th", "name_en"]


@admin.register(AdvisorAssignment)
class AdvisorAssignmentAdmin(HistoryAdmin):
    """Which advisors are responsible for which cluster (also on each cluster's page)."""

    list_display = ["cluster", "advisor"]
    list_filter = ["cluster"]
    list_select_related = ["cluster", "advisor"]
    search_fields = ["cluster__code", "cluster__name_th", "advisor__username", "advisor__first_name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "advisor":
            kwargs["queryset"] = advisor_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
