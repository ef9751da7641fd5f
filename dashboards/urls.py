from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("provinces/<str:code>/", views.province_detail, name="province_detail"),
    path("map/", views.national_map, name="national_map"),
    path("dashboard/", views.national_dashboard, name="national_dashboard"),
    path("dashboard/clusters/<str:code>/", views.cluster_dashboard, name="cluster_dashboard"),
]
