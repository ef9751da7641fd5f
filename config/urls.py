from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language

from provinces.forms import LoginForm

# In the reader's language, like the rest of the admin.
admin.site.site_header = admin.site.site_title = gettext_lazy("ASEAN Readiness Planner")

urlpatterns = [
    path("", include("provinces.urls")),
    path("", include("dashboards.urls")),
    path("", include("readiness.urls")),
    path("", include("strategies.urls")),
    path("", include("briefings.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch works before login too (the login page has it).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
]
