from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AccessAction


class AccessLogEntry(models.Model):
    """One access to personal data: who (``user``) saw or took whose data (``subject``, when it is one person),
    what kind of access (``action``), of what (``description``), at which address (``path``), from which client
    address (``ip_address``, as login throttling sees it behind the proxy) and when.

    Kept apart from the change history (django-simple-history records what changed; this records who looked),
    written only by ``audit.services.log_access``, never changed afterwards, and deleted only by the retention
    purge (PRIVACY_ACCESS_LOG_RETENTION_DAYS). A deleted account leaves its entries with an empty user; an
    anonymised one keeps them, showing the pseudonym."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_log_entries",
    )
    action = models.CharField(_("kind of access"), max_length=20, choices=AccessAction.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose data"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.CharField(_("what"), max_length=500, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AccessAction.values), name="accesslogentry_action_known"
            )
        ]
        indexes = [models.Index(fields=["user", "-at"], name="accesslog_user_recent")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.description}"

    @property
    def action_choice(self) -> AccessAction:
        return AccessAction(self.action)
