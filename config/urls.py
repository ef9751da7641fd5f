from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language

# In the reader's language, like the rest of the admin.
admin.site.site_header = admin.site.site_title = gettext_lazy("ASEAN Readiness Planner")

urlpatterns = [
    path("", include("provinces.urls")),
    path("", include("dashboards.urls")),
    path("", include("readiness.urls")),
    path("", include("strategies.urls")),
    path("", include("briefings.urls")),
    path("", include("search.urls")),
    path("", include("notifications.urls")),
    path("", include("privacy.urls")),
    # Log-in (passwords, government accounts through OpenID Connect) and log-out.
    path("accounts/", include("accounts.urls")),
    # The language switch works before login too (the login page has it).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
]
