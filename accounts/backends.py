"""Authentication backends: government accounts through mozilla-django-oidc, and the switch for local passwords."""

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from provinces.errors import WorkflowError

from .provider import Provider, ProviderUnavailable, discover
from .services import account_sign_in, claims_from


def not_verified() -> WorkflowError:
    return WorkflowError(
        _("The government sign-in service's answer could not be verified. Please start signing in again.")
    )


class LocalPasswordsSwitch:
    """With local passwords off (settings.LOCAL_PASSWORDS), refuses every password before it is checked: the
    login page, the admin's login page and any other path that calls authenticate() with one."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not settings.LOCAL_PASSWORDS:
            raise PermissionDenied
        return None


class GovernmentAccountBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow (token exchange with the PKCE verifier, RS256 signature against the
    provider's JWKS, nonce), with the endpoints from discovery, the ID token's issuer, audience and expiry
    checked too, and this project's matching rules (accounts.services). Every refusal is a WorkflowError with
    a message for the login page; a provider that cannot be reached is ProviderUnavailable."""

    provider: Provider

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every request that has a session: read no endpoints and no network here.
        self.UserModel = get_user_model()

    def authenticate(self, request, *, nonce, code_verifier):
        """Keyword-only arguments: Django never offers this backend a user name and password."""
        self.provider = discover()
        self.OIDC_OP_TOKEN_ENDPOINT = self.provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = self.provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = self.provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except SuspiciousOperation as exc:  # signature, algorithm or nonce
            raise not_verified() from exc
        except requests.HTTPError as exc:  # the provider refused the code (used, expired, wrong verifier)
            raise not_verified() from exc
        except requests.RequestException as exc:
            raise ProviderUnavailable(str(exc)) from exc
        except ValueError as exc:  # an answer that is not JSON, or a token that is not a JWT
            raise not_verified() from exc

    def get_or_create_user(self, access_token, id_token, payload):
        self._check_id_token(payload)
        userinfo = self.get_userinfo(access_token, id_token, payload) if self.OIDC_OP_USER_ENDPOINT else {}
        if not isinstance(userinfo, dict):
            raise not_verified()
        claims = claims_from(issuer=self.provider.issuer, id_token=payload, userinfo=userinfo)
        return account_sign_in(claims=claims)

    def _check_id_token(self, payload: dict) -> None:
        """OpenID Connect Core 3.1.3.7: the token is from our provider, for our client, and not expired (PyJWT
        checks the expiry when there is one; there must be one)."""
        audience = payload.get("aud")
        audiences = (
            [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
        )
        if (
            payload.get("iss") != self.provider.issuer
            or settings.OIDC_RP_CLIENT_ID not in audiences
            or "exp" not in payload
            or (len(audiences) > 1 and payload.get("azp") != settings.OIDC_RP_CLIENT_ID)
        ):
            raise not_verified()

    def get_user(self, user_id):
        # Django's rule (an inactive account is signed out), not the library's (any account).
        return ModelBackend.get_user(self, user_id)
