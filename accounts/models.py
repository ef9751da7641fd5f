from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OIDCIdentity(models.Model):
    """A government account (an OpenID Connect provider's subject) linked to an account of this system. The
    provider names a person by issuer and subject, which never change; the email address may. One link per
    subject, and an account has at most one subject at each provider."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="oidc_identities",
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject identifier"), max_length=255)
    created_at = models.DateTimeField(_("linked on"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("government account")
        verbose_name_plural = _("government accounts")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidcidentity_unique_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="oidcidentity_one_per_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.issuer}"
