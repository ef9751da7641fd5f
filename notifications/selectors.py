"""Reads of the notifications app, always for the viewing user: the unread count, the inbox, and each
notification's message with its object — loaded as that user may open it, a few queries per page whatever
the number of notifications (one per object type on the page)."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from briefings.choices import BriefingKind
from briefings.models import Briefing
from provinces.models import Cluster, Province
from readiness.models import Assessment, Round
from strategies.models import Project

from . import access, links, messages
from .choices import Delivery, NotificationKind
from .models import Notification, NotificationPreference

# What each object type's message needs beyond the row itself.
RELATED: dict[type[models.Model], tuple[str, ...]] = {
    Assessment: ("province", "round"),
    Project: ("strategy",),
}


@dataclass(frozen=True)
class Item:
    notification: Notification
    message: messages.Message
    url: str | None  # a path on this site, or None: nothing to open


def unread_count(user: User | AnonymousUser) -> int:
    """The bell's number: one query."""
    return access.visible_notifications(user).filter(read_at__isnull=True).count()


def inbox(
    user: User | AnonymousUser, *, kind: str = "", unread: bool = False, round_id: int | None = None
) -> QuerySet[Notification]:
    notifications = access.visible_notifications(user).select_related("actor", "round")
    if kind:
        notifications = notifications.filter(kind=kind)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    if round_id:
        notifications = notifications.filter(round_id=round_id)
    return notifications.order_by("-created_at", "-pk")


def get_notification_for_user(user: User | AnonymousUser, pk: int) -> Notification | None:
    return access.visible_notifications(user).filter(pk=pk).first()


def openable_targets(
    user: User | AnonymousUser, notifications: list[Notification]
) -> dict[tuple[int, int], models.Model]:
    """{(content type id, object id): object} of the notifications' objects the user may open now."""
    ids: dict[int, set[int]] = defaultdict(set)
    for notification in notifications:
        if notification.target_type_id and notification.target_id:
            ids[notification.target_type_id].add(notification.target_id)
    found: dict[tuple[int, int], models.Model] = {}
    for type_id, object_ids in ids.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        visible = access.visible_of_type(user, model).filter(pk__in=object_ids)
        if related := RELATED.get(model):
            visible = visible.select_related(*related)
        for obj in visible:
            found[(type_id, obj.pk)] = obj
    return found


def _subject_names(targets) -> dict[str, str]:
    """Names of the provinces and clusters briefings are about (briefings store the code)."""
    codes = {t.subject for t in targets if isinstance(t, Briefing) and t.kind != BriefingKind.NATIONAL}
    if not codes:
        return {}
    names = {p.code: p.name for p in Province.objects.filter(code__in=codes)}
    names.update({c.code: c.name for c in Cluster.objects.filter(code__in=codes)})
    return names


def items(user: User | AnonymousUser, notifications: list[Notification]) -> list[Item]:
    """Each notification with its message for this reader and a safe link."""
    targets = openable_targets(user, notifications)
    names = _subject_names(targets.values())
    result = []
    for notification in notifications:
        type_id, object_id = notification.target_type_id, notification.target_id
        # Only a notification with both parts of its object has one to look up (openable_targets skips the rest).
        target = targets.get((type_id, object_id)) if type_id is not None and object_id is not None else None
        has_target = type_id is not None
        url = links.safe_local_url(notification.url) if (target is not None or not has_target) else None
        result.append(Item(notification, messages.describe(notification, target, names), url))
    return result


def rounds_in_inbox(user: User | AnonymousUser) -> list:
    """The rounds the user's notifications speak of, for the inbox's filter."""
    return list(
        Round.objects.filter(pk__in=access.visible_notifications(user).values("round_id")).order_by(
            "-fiscal_year"
        )
    )


def preferences(user: User) -> list[tuple[NotificationKind, Delivery]]:
    """Every kind with how the user wants it mailed (at once when never chosen)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [(kind, Delivery(chosen.get(kind.value, Delivery.IMMEDIATE))) for kind in NotificationKind]
