"""Writes of the privacy app: anonymising a departed user, and the retention purge.

Anonymising replaces what identifies the person — names, email, username — with a pseudonym that names
only the account's id, makes the password unusable and deactivates the account. The row itself stays, so
every link to it stays: change-history rows (history_user), answers, reviews, strategies and access-log
entries still point at the same user id, and show the pseudonym wherever a name is shown. Nothing is deleted.
The login-throttling records (django-axes) keep the login name as text; they get the pseudonym too.
"""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.choices import AccessAction
from audit.models import AccessLogEntry
from audit.services import log_access

from .access import may_manage_personal_data

ANONYMISED_USERNAME_PREFIX = "anonymised-"


class PrivacyError(Exception):
    """A refused privacy action; ``message`` is for the user, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def pseudonym_username(user: User) -> str:
    return f"{ANONYMISED_USERNAME_PREFIX}{user.pk}"


def is_anonymised(user: User) -> bool:
    return user.username == pseudonym_username(user)


def _axes_usernames(old: str, new: str) -> None:
    for model_name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
        try:
            model = apps.get_model("axes", model_name)
        except LookupError:
            continue
        model.objects.filter(username=old).update(username=new)


@transaction.atomic
def user_anonymise(*, user: User, by: User, path: str = "", ip_address: str | None = None) -> User:
    """Replace ``user``'s name, email and username by a stable pseudonym ("ผู้ใช้ที่ลบข้อมูลแล้ว #17"),
    make the password unusable and deactivate the account. Refused for non-administrators and for one's own
    account. Running it again changes nothing."""
    if not may_manage_personal_data(by):
        raise PrivacyError(_("Only administrators can anonymise a user."))
    if user.pk == by.pk:
        raise PrivacyError(_("You cannot anonymise your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    old_username = user.username
    # The pseudonym is stored data, not a label: always in the product's language (Thai), whoever runs it.
    with translation.override(settings.LANGUAGE_CODE):
        user.first_name = _("Anonymised user")
    user.last_name = f"#{user.pk}"
    user.username = pseudonym_username(user)
    user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save()
    _axes_usernames(old_username, user.username)
    log_access(
        user=by,
        action=AccessAction.ANONYMISED,
        subject=user,
        description=user.get_full_name(),
        path=path,
        ip_address=ip_address,
    )
    return user


@dataclass(frozen=True)
class PurgeResult:
    access_log_entries: int
    notifications: int

    def __str__(self) -> str:
        return _("Deleted %(log)s access-log entries and %(notifications)s notifications.") % {
            "log": self.access_log_entries,
            "notifications": self.notifications,
        }


@transaction.atomic
def purge_expired(*, now: dt.datetime | None = None) -> PurgeResult:
    """Delete access-log entries older than PRIVACY_ACCESS_LOG_RETENTION_DAYS and notifications older than
    NOTIFICATION_RETENTION_DAYS (when the notifications app is installed). Rows exactly at the limit stay."""
    now = now or timezone.now()
    log_cutoff = now - dt.timedelta(days=settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS)
    log_deleted, _detail = AccessLogEntry.objects.filter(at__lt=log_cutoff).delete()
    notifications_deleted = 0
    if apps.is_installed("notifications"):
        notification = apps.get_model("notifications", "Notification")
        cutoff = now - dt.timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
        notifications_deleted, _detail = notification.objects.filter(created_at__lt=cutoff).delete()
    return PurgeResult(access_log_entries=log_deleted, notifications=notifications_deleted)
