"""The government sign-in service's configuration, from its discovery document.

Read lazily, with a timeout, and kept in the cache: the login page never waits for the provider, and a
provider that cannot be reached costs only the OIDC button (a Thai message), never the local passwords.
"""

import hashlib
import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
CACHE_SECONDS = 3600


class ProviderUnavailable(Exception):
    """The discovery document could not be read, or does not describe the configured issuer."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str
    end_session_endpoint: str  # "" when the provider offers no RP-initiated logout


def is_configured() -> bool:
    """Sign-in with government accounts is on when an issuer and a client are configured."""
    return bool(settings.OIDC_ISSUER_URL and settings.OIDC_RP_CLIENT_ID)


def _cache_key(issuer: str) -> str:
    return "oidc-discovery:" + hashlib.sha256(issuer.encode()).hexdigest()


def discover() -> Provider:
    """The configured provider's endpoints; ProviderUnavailable when it cannot be reached or answers nonsense.
    A failure is not cached: the next click tries again."""
    issuer = settings.OIDC_ISSUER_URL
    cached = cache.get(_cache_key(issuer))
    if cached:
        return Provider(**cached)
    try:
        response = requests.get(issuer + DISCOVERY_PATH, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OIDC discovery at %s failed: %s", issuer, exc)
        raise ProviderUnavailable(str(exc)) from exc
    if not isinstance(document, dict):
        raise ProviderUnavailable("the discovery document is not an object")
    # OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer it was fetched for.
    if document.get("issuer", "").rstrip("/") != issuer:
        logger.warning("OIDC discovery at %s names another issuer: %r", issuer, document.get("issuer"))
        raise ProviderUnavailable("the discovery document names another issuer")
    try:
        provider = Provider(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            jwks_uri=document["jwks_uri"],
            userinfo_endpoint=document.get("userinfo_endpoint", ""),
            end_session_endpoint=document.get("end_session_endpoint", ""),
        )
    except KeyError as exc:
        raise ProviderUnavailable(f"the discovery document has no {exc}") from exc
    if not all(isinstance(value, str) for value in vars(provider).values()):
        raise ProviderUnavailable("the discovery document has a field that is not text")
    cache.set(_cache_key(issuer), vars(provider), CACHE_SECONDS)
    return provider
