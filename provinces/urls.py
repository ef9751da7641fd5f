from django.urls import path

from . import views, views_dashboard

urlpatterns = [
    path("", views.home, name="home"),
    path("provinces/", views.province_list, name="province_list"),
    path("provinces/<str:code>/", views.province_detail, name="province_detail"),
    path("provinces/<str:code>/history/", views.province_history, name="province_history"),
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/<str:code>/", views.cluster_detail, name="cluster_detail"),
    path("map/", views_dashboard.national_map, name="national_map"),
    path("dashboard/", views_dashboard.national_dashboard, name="national_dashboard"),
    path("dashboard/clusters/<str:code>/", views_dashboard.cluster_dashboard, name="cluster_dashboard"),
    path("healthz", views.healthz, name="healthz"),
]
