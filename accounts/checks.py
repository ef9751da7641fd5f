"""Start-up checks: a configuration in which no one could sign in fails loudly."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def sign_in_configured(app_configs, **kwargs):
    errors = []
    if settings.OIDC_ISSUER_URL and not (settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET):
        errors.append(
            Error("OIDC_ISSUER_URL is set without OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.", id="accounts.E001")
        )
    if not settings.LOCAL_PASSWORDS and not settings.OIDC_ISSUER_URL:
        errors.append(
            Error(
                "LOCAL_PASSWORDS is off but OIDC_ISSUER_URL is not set: no one could sign in.",
                id="accounts.E002",
            )
        )
    return errors
