from django.urls import path

from . import views

urlpatterns = [
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("privacy/my-data.json", views.my_data_download, name="privacy_my_data"),
]
