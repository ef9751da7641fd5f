"""Writes of the notifications app: notify() — the one entry point every event goes through — marking
read, preferences, and the mail (one notification at once, or a user's daily digest)."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from readiness.models import Round

from . import access, links
from .choices import Delivery, NotificationKind
from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    actor: User | None = None,
    target: models.Model | None = None,
    url: str = "",
    params: dict | None = None,
    round: Round | None = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Tell each recipient (once, never the actor themself, only those who may open the target) that
    something happened; queue the mail of those who want it at once after the transaction commits.
    Returns the rows created: a recipient who already has this ``dedupe_key`` gets none."""
    kind = NotificationKind(kind).value
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    url = url or links.url_for(target)
    created: list[Notification] = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.pk in seen or (actor is not None and recipient.pk == actor.pk):
            continue
        seen.add(recipient.pk)
        if not recipient.is_active or not access.may_open(recipient, target):
            continue
        try:
            # Its own savepoint: a duplicate (another run got there first) leaves the others and the
            # caller's transaction intact.
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind=kind,
                    actor=actor,
                    target_type=target_type,
                    target_id=target.pk if target is not None else None,
                    url=url,
                    params=params or {},
                    round=round,
                    dedupe_key=dedupe_key,
                )
        except IntegrityError:
            if not dedupe_key:
                raise
            continue
        created.append(notification)
        if recipient.email and delivery_for(recipient, kind) == Delivery.IMMEDIATE:
            transaction.on_commit(_enqueue_mail(notification.pk))
    return created


def _enqueue_mail(notification_id: int):
    def enqueue() -> None:
        from .tasks import send_notification_email

        try:
            send_notification_email.delay(notification_id)
        except Exception:  # a broker that is down must not turn the user's action into a 500
            logger.exception("Could not queue the mail of notification %s", notification_id)

    return enqueue


def delivery_for(user: User, kind: str) -> Delivery:
    """How the user wants this kind mailed (no row: at once)."""
    value = (
        NotificationPreference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    )
    return Delivery(value or Delivery.IMMEDIATE)


@transaction.atomic
def set_delivery(*, user: User, kind: str, delivery: str) -> NotificationPreference:
    kind = NotificationKind(kind).value
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": Delivery(delivery).value}
    )
    return preference


@transaction.atomic
def mark_read(*, user: User, notification: Notification) -> bool:
    """Mark one of the user's notifications read; True when it was unread."""
    return bool(
        Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- mail ---------------------------------------------------------------------------------------------


def send_notification_email(*, notification: Notification) -> str:
    """Mail one notification to its recipient now, if they still want it at once and have an address.

    The row is claimed first (emailed_at set where it was empty), so a task that runs twice mails once; a
    failed send gives the claim back and re-raises, for the task to retry."""
    from . import mail

    user = notification.recipient
    if not user.email or not user.is_active:
        return "no address"
    if delivery_for(user, notification.kind) != Delivery.IMMEDIATE:
        return "not wanted"
    claimed_at = timezone.now()
    if not Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=claimed_at
    ):
        return "already sent"
    try:
        mail.notification_mail(notification).send()
    except Exception:
        Notification.objects.filter(pk=notification.pk, emailed_at=claimed_at).update(emailed_at=None)
        raise
    logger.info("Mailed notification %s (%s) to user %s", notification.pk, notification.kind, user.pk)
    return "sent"


def pending_digest(user: User | None = None) -> models.QuerySet[Notification]:
    """Notifications not yet mailed whose recipient wants their kind in the daily digest (recent ones only:
    switching a kind to the digest does not mail a backlog of months)."""
    since = timezone.now() - dt.timedelta(days=settings.NOTIFICATIONS_DIGEST_MAX_AGE_DAYS)
    wanted = NotificationPreference.objects.filter(
        user=models.OuterRef("recipient"), kind=models.OuterRef("kind"), delivery=Delivery.DIGEST
    )
    pending = Notification.objects.filter(
        models.Exists(wanted),
        emailed_at__isnull=True,
        created_at__gte=since,
        recipient__is_active=True,
    ).exclude(recipient__email="")
    return pending.filter(recipient=user) if user is not None else pending


def send_digest(*, user: User) -> int:
    """Mail the user one message with all their pending digest notifications; the number mailed (0: none).
    Claims the rows first, so a second run (or a second beat) mails nothing twice."""
    from . import mail

    ids = list(pending_digest(user).values_list("pk", flat=True))
    if not ids:
        return 0
    claimed_at = timezone.now()
    with transaction.atomic():
        claimed = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
            emailed_at=claimed_at
        )
    if not claimed:
        return 0
    notifications = list(
        Notification.objects.filter(pk__in=ids, emailed_at=claimed_at)
        .select_related("actor", "round", "recipient")
        .order_by("created_at", "pk")
    )
    try:
        mail.digest_mail(user, notifications).send()
    except Exception:
        Notification.objects.filter(pk__in=[n.pk for n in notifications], emailed_at=claimed_at).update(
            emailed_at=None
        )
        raise
    logger.info("Mailed a digest of %s notifications to user %s", len(notifications), user.pk)
    return len(notifications)


def send_digests() -> int:
    """The daily digest of every user who has one pending; the number of mails sent. One user's failure
    (logged) does not stop the others; their notifications wait for the next run."""
    sent = 0
    user_ids = pending_digest().values_list("recipient_id", flat=True).distinct()
    for user in User.objects.filter(pk__in=list(user_ids)).order_by("pk"):
        try:
            if send_digest(user=user):
                sent += 1
        except Exception:
            logger.exception("The digest of user %s could not be mailed", user.pk)
    return sent
