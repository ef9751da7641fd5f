from django.urls import path

from . import views

urlpatterns = [
    path("briefings/", views.briefing_list, name="briefing_list"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing_detail"),
    path("briefings/<int:pk>/status/", views.briefing_status, name="briefing_status"),
    path("briefings/<int:pk>/download/", views.briefing_download, name="briefing_download"),
    path("briefings/<int:pk>/retry/", views.briefing_retry, name="briefing_retry"),
    path("briefings/<int:pk>/again/", views.briefing_rerender, name="briefing_rerender"),
]
