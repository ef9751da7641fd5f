"""The access log for administrators (read-only), and "anonymise a departed user" on the users' admin.

The access log is registered here, not in the audit app: audit stands below every app and imports nothing of
the project, while its admin page uses the base's Buddhist-Era dates and names.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AccessLogEntry
from audit.services import client_ip
from provinces.admin_dates import BEDatesAdmin
from provinces.templatetags.thai import who

from . import services
from .access import may_manage_personal_data


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(BEDatesAdmin):
    """Who viewed or exported personal data. Entries are never added, changed or deleted here: only the
    application writes them, and only the retention purge removes them."""

    list_display = ["at", "who", "action", "whose", "description", "path", "ip_address"]
    list_filter = ["action", "at"]
    search_fields = ["description", "path", "user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "subject"]
    fields = ["at", "user", "action", "subject", "description", "path", "ip_address"]

    @admin.display(description=gettext_lazy("who"), ordering="user__username")
    def who(self, entry: AccessLogEntry) -> str:
        return who(entry.user)

    @admin.display(description=gettext_lazy("whose data"))
    def whose(self, entry: AccessLogEntry) -> str:
        return who(entry.subject) if entry.subject_id else "–"

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_manage_personal_data(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# The users' admin registered by provinces (and possibly extended by other apps): extended, not replaced.
_UserAdmin = type(admin.site.get_model_admin(User))


class PrivacyUserAdmin(_UserAdmin):  # type: ignore[valid-type, misc]  # the class is read from the registry
    actions = [*(_UserAdmin.actions or []), "anonymise_users"]

    def has_anonymise_permission(self, request: HttpRequest) -> bool:
        return may_manage_personal_data(request.user)

    @admin.action(
        description=gettext_lazy("Anonymise the selected departed users"), permissions=["anonymise"]
    )
    def anonymise_users(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        users = list(queryset.order_by("pk"))
        if request.POST.get("confirm") == "yes":
            done = 0
            # The admin site lets only signed-in staff through.
            assert isinstance(request.user, User)
            for user in users:
                try:
                    services.user_anonymise(
                        user=user,
                        by=request.user,
                        path=request.get_full_path(),
                        ip_address=client_ip(request),
                    )
                except services.PrivacyError as error:
                    self.message_user(request, f"{who(user)}: {error.message}", messages.ERROR)
                else:
                    done += 1
            if done:
                self.message_user(
                    request, _("%(count)s users anonymised.") % {"count": done}, messages.SUCCESS
                )
            return None
        return TemplateResponse(
            request,
            "privacy/admin/anonymise_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Anonymise departed users?"),
                "users": users,
                "own_account": any(u.pk == request.user.pk for u in users),
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "action": "anonymise_users",
            },
        )


admin.site.unregister(User)
admin.site.register(User, PrivacyUserAdmin)
