from django.urls import path

from . import views

urlpatterns = [
    path("provinces/", views.province_list, name="province_list"),
    path("provinces/<str:code>/history/", views.province_history, name="province_history"),
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/<str:code>/", views.cluster_detail, name="cluster_detail"),
    path("healthz", views.healthz, name="healthz"),
]
