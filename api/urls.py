"""/api/ — read-only JSON for other ministry systems; the schema at /api/schema/, the docs at /api/docs/."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("provinces", views.ProvinceViewSet, basename="province")
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("projects", views.ProjectViewSet, basename="project")

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("", include(router.urls)),
    path("rollups/clusters/<str:code>/", views.ClusterRollupView.as_view(), name="rollup-cluster"),
    path("rollups/national/", views.NationalRollupView.as_view(), name="rollup-national"),
    # The schema answers a token or a session (SPECTACULAR_SETTINGS SERVE_PERMISSIONS: a user with a role).
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The docs page is for people: anonymous visitors go to the login page like everywhere on the site.
    # Swagger UI's files come from drf-spectacular-sidecar (static files), never from a CDN; the split view serves
    # its start-up script as a file, so the page needs no inline script (Content-Security-Policy).
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
]
