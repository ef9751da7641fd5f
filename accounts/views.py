"""The login page, sign-in with a government account (OpenID Connect) and log-out."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from provinces.errors import WorkflowError
from provinces.forms import LoginForm

from .provider import ProviderUnavailable, discover, is_configured

logger = logging.getLogger(__name__)


def _unavailable() -> str:
    return _("The government sign-in service cannot be reached at the moment. Please try again later.")


def _back_to_login(request: HttpRequest, message: str) -> HttpResponse:
    """Every refused sign-in ends here: the login page with the reason, nothing changed."""
    messages.error(request, message)
    return redirect("login")


class SignInView(auth_views.LoginView):
    """Django's login page, with the government sign-in button when it is configured; with local passwords
    off (settings.LOCAL_PASSWORDS) only the button, and a password sent anyway is refused."""

    redirect_authenticated_user = True
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            messages.error(
                request,
                _(
                    "Signing in with a user name and password is turned off. Please sign in with your government account."
                ),
            )
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = is_configured()
        context["local_passwords"] = settings.LOCAL_PASSWORDS
        return context


@method_decorator(login_not_required, name="dispatch")
class GovernmentSignInStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (authorization code flow; state, nonce and the PKCE verifier stay in
    the session). The provider's endpoints come from discovery, read here and not at start-up."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library's reads endpoints from settings, which we do not have

    def get(self, request):
        if not is_configured():
            return _back_to_login(
                request, _("Signing in with a government account is not set up on this system.")
            )
        try:
            provider = discover()
        except ProviderUnavailable:
            return _back_to_login(request, _unavailable())
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class GovernmentSignInCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back. The state must be one this session started (each is used
    once); the rest is accounts.backends. Any refusal: the login page with a Thai message, nothing changed."""

    def get(self, request):
        if not is_configured():
            return _back_to_login(
                request, _("Signing in with a government account is not set up on this system.")
            )
        states = request.session.get("oidc_states")
        state = request.GET.get("state", "")
        entry = states.pop(state, None) if isinstance(states, dict) else None
        if entry is not None:
            request.session.modified = True
            request.session.save()
        if request.GET.get("error"):
            return _back_to_login(
                request, _("Signing in with the government account was cancelled or refused by the provider.")
            )
        if entry is None or not request.GET.get("code"):
            return _back_to_login(
                request,
                _(
                    "The sign-in request has expired or was not started in this browser. Please start signing in again."
                ),
            )
        # Read the session again after the slow exchange with the provider, as the library does: another tab
        # may have changed it meanwhile.
        request.session = request.session.__class__(request.session.session_key)
        try:
            self.user = auth.authenticate(
                request=request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
            )
        except ProviderUnavailable as exc:
            logger.warning("Government sign-in: the provider cannot be reached: %s", exc)
            return _back_to_login(request, _unavailable())
        except WorkflowError as refusal:
            logger.info("Government sign-in refused: %s", refusal.__cause__ or refusal.message)
            return _back_to_login(request, refusal.message)
        if self.user is None or not self.user.is_active:
            return _back_to_login(
                request, _("This account cannot sign in. Please contact the system administrator.")
            )
        id_token = request.session.get("oidc_id_token")
        response = self.login_success()
        if id_token:  # auth.login empties the session when another user was signed in
            request.session["oidc_id_token"] = id_token
        return response


class SignOutView(auth_views.LogoutView):
    """Django's log-out; after a government sign-in it also ends the provider's session where the provider
    offers that (end_session_endpoint), coming back to the login page."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if not id_token or not is_configured():
            return response
        try:
            provider = discover()
        except ProviderUnavailable:
            return response
        if not provider.end_session_endpoint:
            return response
        params = {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
        separator = "&" if "?" in provider.end_session_endpoint else "?"
        return HttpResponseRedirect(provider.end_session_endpoint + separator + urlencode(params))
