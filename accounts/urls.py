from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("oidc/authenticate/", views.GovernmentSignInStart.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", views.GovernmentSignInCallback.as_view(), name="oidc_authentication_callback"),
]
