"""Celery tasks of the notifications app: thin — load by id, call the service.

A mail that fails to go out is retried with an exponential backoff (a few times, then logged); the in-app
notification is already committed and never depends on the mail."""

import logging
import smtplib

from celery import Task, shared_task
from django.conf import settings

logger = logging.getLogger(__name__)

# What a mail server or the network answers when it is briefly unavailable.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)


class MailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # The last retry failed too (or the error was not one worth retrying): the notification stays in the
        # inbox, unmailed; an operator finds it here.
        notification_id = args[0] if args else kwargs.get("notification_id")
        logger.error("Gave up mailing notification %s: %r", notification_id, exc)


@shared_task(
    base=MailTask,
    name="notifications.tasks.send_notification_email",
    ignore_result=True,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    max_retries=getattr(settings, "NOTIFICATIONS_MAIL_MAX_RETRIES", 5),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
)
def send_notification_email(notification_id: int) -> str:
    from . import services
    from .models import Notification

    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return "missing"
    try:
        return services.send_notification_email(notification=notification)
    except TRANSIENT_MAIL_ERRORS:
        logger.warning("Mail of notification %s failed; will retry", notification_id, exc_info=True)
        raise


@shared_task(name="notifications.tasks.send_digests", ignore_result=True)
def send_digests() -> int:
    from . import services

    sent = services.send_digests()
    logger.info("Sent %s notification digests", sent)
    return sent


# A quarter's last day reminds the owner of every running project: longer than the default limits allow.
# Stopped part-way it is simply run again: what was sent is not sent twice.
@shared_task(
    name="notifications.tasks.send_reminders", ignore_result=True, soft_time_limit=1800, time_limit=1900
)
def send_reminders() -> int:
    """Celery beat's daily run of ``manage.py send_reminders`` for today in Bangkok."""
    from django.utils import timezone

    from .reminders import send_reminders as send

    run = send(today=timezone.localdate())
    logger.info("Sent %s reminders for %s", run.total, run.today)
    return run.total
